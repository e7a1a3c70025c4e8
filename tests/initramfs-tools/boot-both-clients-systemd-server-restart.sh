#!/bin/bash
# boot-both-clients-systemd-server-restart: an image built with Debian's nbd-client package installed as well (its hook and local-top/nbd): the image holds nbd-client but not its boot script, and nbdroot alone attaches the root; the debootstrap systemd root boots to multi-user, the supervisor survives run-init (root the emptied initramfs, '@', oom -1000, mlocked), rides out a SIGKILL restart of the server with zero I/O errors, and systemd powers off cleanly.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(it_image both) || exit 2
files=$(it_files "$img")
grep -qx 'usr/sbin/nbd-client\|sbin/nbd-client' <<<"$files" ||
	{ echo "lab: FAIL it-both-clients: no nbd-client in $img: the image does not have both clients"; exit 1; }
if grep -qx 'scripts/local-top/nbd' <<<"$files"; then
	echo "lab: FAIL it-both-clients: $img still has nbd-client's scripts/local-top/nbd"
	exit 1
fi
grep -q "nbdroot: hook: removed nbd-client's scripts/local-top/nbd" "$IT_DIR/both.log" ||
	{ echo "lab: FAIL it-both-clients: the build log has no note of the removal"; exit 1; }
echo "lab: it-both-clients: $img has nbd-client and not its local-top/nbd; scripts/local-top/ORDER: $(zcat "$img" | cpio -i --quiet --to-stdout scripts/local-top/ORDER 2>/dev/null | grep -c '^/scripts') script(s)"
root=$("$BOOT_HERE/qemu/mksystemdroot.sh" --print) || { echo "lab: FAIL it-both-clients: qemu/mksystemdroot.sh failed"; exit 2; }
# nbdroot.timeout=10: the request in flight when the server dies is resent
# only once it times out (see tests/boot/boot-reconnect-server-restarts.sh).
it_lab "$img" --case it-both-clients-systemd-server-restart --server nbdkit --image "$root" --timeout 420 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0 $IT_ARGS nbdroot.timeout=10 lab.test=systemd-root lab.reconnects=1" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; restarts 4 5" \
	--expect 'nbdroot: supervise: /dev/nbd0: start -> up 10\.77\.0\.1:10809' \
	"${SYSTEMD_ROOT_CHECKS[@]}" --reject "$IT_NBD_CLIENT_RE" "$@"
