# lib.sh: statistics, plots, image sizes and a loopback nbd-server shared by the benchmarks (sourced).
# shellcheck shell=bash

# stats < numbers (one a line) -> "median min max" (median of an even count: the lower middle)
stats() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- - -"; exit }
		printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

# plot PNG GNUPLOT-SCRIPT: renders the script (which plots from files it names) into bench/results/PNG;
# a missing gnuplot is reported, not fatal (the tables stand alone). Prints the markdown image link.
plot() {
	local png=$1 script=$2
	if ! command -v gnuplot >/dev/null; then
		echo "bench: no gnuplot, $png not drawn (qemu/deps.sh installs gnuplot-nox)" >&2
		return 0
	fi
	mkdir -p bench/results
	if gnuplot -e "set terminal pngcairo size 900,500 font ',10' noenhanced; set output 'bench/results/$png'" -e "$script" >&2; then
		echo "![${png%.png}]($png)"
	else
		echo "bench: gnuplot failed for $png" >&2
	fi
}

# bench_root: the lab's test root (qemu/mkroot.sh) plus Debian's fio with the shared libraries it loads and
# bench/guest/*.sh in /test, as an ext4 image of 192 MiB inside a 448 MiB export whose tail (from 200 MiB)
# no filesystem uses, so the guest may write there. Cached; prints the image path.
bench_root() {
	local cache=${NBDROOT_CACHE:-$PWD/.cache}/bench img stamp dir f
	img=$cache/benchroot.img
	./qemu/mkroot.sh >&2
	command -v fio >/dev/null || { echo "bench: no fio (qemu/deps.sh installs it)" >&2; return 1; }
	stamp=$({
		cat "${NBDROOT_CACHE:-$PWD/.cache}/testroot.stamp"
		sha256sum "$(command -v fio)" bench/guest/*.sh
		declare -f bench_root
	} | sha256sum | cut -d' ' -f1)
	if [ -f "$img" ] && [ "$(cat "$img.stamp" 2>/dev/null)" = "$stamp" ]; then
		echo "$img"
		return 0
	fi
	mkdir -p "$cache"
	dir=$cache/benchroot.new
	rm -rf "$dir"
	cp -a "${NBDROOT_CACHE:-$PWD/.cache}/testroot" "$dir"
	# The test root has no /usr/lib: fio's libraries (and the loader) go where ldd found them.
	for f in "$(command -v fio)" $(ldd "$(command -v fio)" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'); do
		mkdir -p "$dir$(dirname "$f")"
		cp -L "$f" "$dir$f"
	done
	cp bench/guest/*.sh "$dir/test/"
	chmod 755 "$dir"/test/*.sh
	rm -f "$img.new"
	mkfs.ext4 -q -F -L nbdroot-test -d "$dir" "$img.new" 192M >&2
	truncate -s 448M "$img.new"
	rm -rf "$dir"
	mv "$img.new" "$img"
	echo "$stamp" >"$img.stamp"
	echo "bench: $img (test root + fio, 192 MiB ext4 in 448 MiB)" >&2
	echo "$img"
}

# Uncompressed size of an initramfs, whatever its compression (by magic).
raw_size() {
	case $(od -An -tx1 -N4 "$1" | tr -d ' ') in
	1f8b*) gzip -dc <"$1" | wc -c ;;
	28b52ffd) zstd -qdc <"$1" | wc -c ;;
	fd377a58) xz -dc <"$1" | wc -c ;;
	3037303*) wc -c <"$1" ;;
	*) echo "?" ;;
	esac
}

# nbd_server_loopback DIR PORT: an nbd-server configuration DIR/nbd-server.conf serving DIR/disk.img
# (64 MiB, made here) as "root" on 127.0.0.1:PORT; run it with nbd_server_start DIR.
nbd_server_loopback() {
	truncate -s 64M "$1/disk.img"
	cat >"$1/nbd-server.conf" <<CONF
[generic]
	port = $2
	listenaddr = 127.0.0.1
	allowlist = false
[root]
	exportname = $1/disk.img
CONF
}

nbd_server_start() {
	nbd-server -C "$1/nbd-server.conf" -p "$1/nbd-server.pid" >>"$1/server.log" 2>&1
}

# nbd_server_kill DIR: nbd-server daemonizes (a session of its own): its pid file names that group.
nbd_server_kill() {
	if [ -s "$1/nbd-server.pid" ]; then
		kill -KILL -- "-$(cat "$1/nbd-server.pid")" 2>/dev/null || true
		rm -f "$1/nbd-server.pid"
	fi
}

# server_stop DIR: kills the benchmark's server: the process group server_pgid (a server started
# with setsid; the caller's variable) and an nbd-server whose pid file is in DIR; returns once their
# processes are gone (at most 30 s), so the next server can bind the port and no client reaches
# a dying one.
server_stop() {
	local groups=${server_pgid:-} g
	[ -s "$1/nbd-server.pid" ] && groups="$groups $(cat "$1/nbd-server.pid")"
	[ -z "${server_pgid:-}" ] || kill -KILL -- "-$server_pgid" 2>/dev/null || true
	server_pgid=
	nbd_server_kill "$1"
	for g in $groups; do
		for _ in $(seq 300); do
			pgrep -g "$g" >/dev/null || break
			sleep 0.1
		done
	done
}

# in_private_netns "$@": re-runs the calling benchmark (after building nbdroot) in a private network
# namespace of its own, where only loopback is up.
in_private_netns() {
	if [ -z "${BENCH_IN_NETNS:-}" ]; then
		make -s build/nbdroot >&2
		BENCH_IN_NETNS=1 exec unshare --net "$0" "$@"
	fi
	ip link set lo up
}

# wait_port PORT: until something listens on PORT, at most 10 s.
wait_port() {
	for _ in $(seq 200); do
		ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.05
	done
	echo "bench: nothing listens on port $1 after 10 s" >&2
	return 1
}

# boot_reads LOG: the reads of connection 1 in an nbdkit log filter's LOG, in the order they arrived,
# as "<offset> <length>" lines (hex, as nbdkit logs them): what bench/nbd-replay.c replays.
boot_reads() {
	sed -n 's/^[^ ]* [^ ]* connection=1 Read id=[0-9]* offset=\(0x[0-9a-f]*\) count=\(0x[0-9a-f]*\) .*/\1 \2/p' "$1"
}

# cpu_mark: "<jiffies in all states> <idle and iowait jiffies>" of all cores, from /proc/stat
# (user..steal: guest time is inside user already).
cpu_mark() {
	awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $5 + $6; exit }' /proc/stat
}

# cpu_busy "MARK-BEFORE" "MARK-AFTER": the busy share of all cores between the marks, in percent.
cpu_busy() {
	awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[1] - x[1]
		printf "%.0f", (t > 0 ? 100 * (t - (y[2] - x[2])) / t : 0) }'
}

# boot_times TAG RUNS LAB-COMMAND...: boots RUNS times with the lab command
# (which must --expect the root-init marker) and prints the guest uptime at
# which the real root's init started, one a line; a failed boot is told on
# stderr and counted in boot_failures.
boot_times() {
	local tag=$1 runs=$2 i out
	shift 2
	for i in $(seq "$runs"); do
		echo "$tag boot $i/$runs" >&2
		out=$("$@" 2>&1) || true
		if grep -q '^lab: PASS' <<<"$out"; then
			sed -n 's/^lab: matched: .*root-init uptime=\([0-9.]*\).*/\1/p' <<<"$out"
		else
			tail -n 5 <<<"$out" >&2
			echo "$tag boot $i failed" >&2
		fi
	done
}
