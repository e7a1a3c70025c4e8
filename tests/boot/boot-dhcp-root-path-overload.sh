#!/bin/bash
# boot-dhcp-root-path-overload: the root-path reaches nbdroot only inside the BOOTP file field (option 52 overload): a 250-byte option fills the options field first.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# dnsmasq emits its options in reverse order of the command line: the root-path
# given first comes after the filler, finds no room, and goes to the file field.
# The export exists under this name only, so a root-path lost means no root.
filler=$(printf '%250s' '' | tr ' ' x)
out=$(lab --case boot-dhcp-root-path-overload --server nbdkit --export overloaded --dnsmasq \
	--keep-logs --timeout 90 \
	--dnsmasq-arg=--dhcp-option=17,10.77.0.1:10809/overloaded \
	--dnsmasq-arg=--dhcp-option-force=250,"$filler" \
	--append "nbdroot=dhcp $ROOT_ARGS" \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "overloaded" \(server from the root-path\)' \
	--expect "$(marker_re rw ok 0)")
rc=$?
echo "$out"
logs=$(echo "$out" | sed -n 's/^lab: logs kept in //p')
# that the root-path really went into the file field is dnsmasq's word
if [ "$rc" = 0 ] && ! grep -q 'option: 52 option-overload  01' "$BOOT_HERE/$logs/dnsmasq.log"; then
	echo "boot-dhcp-root-path-overload: FAIL: dnsmasq did not overload the file field"
	rc=1
fi
[ "$rc" = 0 ] && rm -rf "${BOOT_HERE:?}/$logs"
exit "$rc"
