#!/bin/bash
# mirror.sh: prints the Debian mirror this host's apt uses (deb822 first, then the one-line form), for debootstrap.
set -euo pipefail

mirror=${DEBOOTSTRAP_MIRROR:-$(sed -n 's/^URIs: *\([^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)}
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(\[[^]]*\] \)\?\(http[^ ]*\) .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -n1)
echo "${mirror:-http://deb.debian.org/debian}"
