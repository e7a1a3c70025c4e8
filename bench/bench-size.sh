#!/bin/bash
# bench-size: the stripped static nbdroot beside the anchors' client binaries and the shared libraries they load.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

make -s build/nbdroot >&2

# A binary plus every shared library it loads, as ldd resolves them.
closure_size() {
	local bin=$1 total
	total=$(stat -L -c %s "$bin")
	while read -r lib; do
		total=$((total + $(stat -L -c %s "$lib")))
	done < <(ldd "$bin" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p' | sort -u)
	echo "$total"
}

echo "## Size"
echo
echo "| client | bytes | what is counted |"
echo "|---|---:|---|"
echo "| nbdroot (static, stripped) | $(stat -c %s build/nbdroot) | build/nbdroot, everything included |"
if command -v nbd-client >/dev/null; then
	echo "| nbd-client $(dpkg-query -W -f='${Version}' nbd-client) | $(closure_size "$(command -v nbd-client)") | the binary and the shared libraries it loads |"
else
	echo "| nbd-client | not installed | |"
fi
