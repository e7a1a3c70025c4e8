#!/bin/bash
# demo.sh: builds what is missing and boots a QEMU guest whose root is an NBD export, leaving you at its shell.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

server=nbdkit
check=
usage() {
	cat <<EOF
usage: qemu/demo.sh [--server nbdkit|nbd-server|qemu-nbd] [--check]
  Boots the lab guest from an NBD root and leaves you at a shell on it
  (serial console here; 'exit' powers off, ctrl-a x quits QEMU).
  --check  boot without a person: pass when the root's init reports in (for CI)
EOF
}
while [ $# -gt 0 ]; do
	case $1 in
	--server) server=$2; shift ;;
	--check) check=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

[ -e .cache/kernel/vmlinuz ] || ./qemu/deps.sh
[ -x build/nbdroot ] || make build/nbdroot
./initramfs/build.sh -o build/initramfs.cpio.gz
./qemu/mkroot.sh

cmdline="nbdroot=10.77.0.1:10809/root ip=10.77.0.10:10.77.0.1::255.255.255.0::eth0:off root=/dev/nbd0"
if [ -n "$check" ]; then
	exec ./qemu/lab.sh --case demo-check --server "$server" --timeout 60 \
		--append "$cmdline lab.test=poweroff" \
		--expect 'NBDROOT-TEST: root-init .*root="/dev/nbd0 / ext4 rw,.* rw-probe=ok'
fi
cat <<EOF

  nbdroot demo: $server serves the test root at 10.77.0.1:10809 (export "root")
  inside a private network namespace; the guest boots with
    $cmdline
  and gets a shell on /dev/nbd0. 'exit' powers it off; ctrl-a x quits QEMU.

EOF
exec ./qemu/lab.sh --case demo --server "$server" --interactive --append "$cmdline"
