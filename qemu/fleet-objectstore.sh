# fleet-objectstore.sh: fleet.sh --server nbdkit-curl: the image on an HTTP server only, NBD front-ends (nbdkit curl + cache) spread over by DHCP.
# shellcheck shell=bash disable=SC2154 # fleet.sh's variables (ns, work, logdir, img, hosts, reqlog, reasons, ...)

HTTP_PORT=80
# One address each on br0; guest i boots from front-end i mod 2 (its DHCP
# tag) and has the other as nbdroot.alt_server.
FRONTENDS=(10.77.0.2 10.77.0.3)
frontend_ips=()
frontend_pids=()
http_pid=

# The front-end guest $1 is given by DHCP (--one-root-path: the first for all).
objectstore_frontend_of() {
	if [ -n "$one_root_path" ]; then echo 0; else echo $(($1 % ${#FRONTENDS[@]})); fi
}

# The image moves to the HTTP server's document root (LAB_IMAGE and the sha256
# checks follow it); lighttpd serves it, and each front-end reads it through
# the curl plugin alone, keeping what it read in its cache filter's file.
objectstore_start() {
	local k fe www=$work/www-image
	mkdir -p "$www"
	mv "$img" "$www/$export_name.img"
	img=$www/$export_name.img
	http_pid=$(http_start "$www" "$HOST_IP" "$HTTP_PORT" "$logdir") || setup_fail "the HTTP server did not start"
	for k in "${!FRONTENDS[@]}"; do
		fe=${FRONTENDS[$k]}
		ip -n "$ns" addr add "$fe/24" dev br0
		mkdir -p "$work/cache-$k"
		# The log filter first (it sees the clients' requests as sent), the cache
		# filter next to the plugin; the cache file lives in $TMPDIR.
		local cmd=(env "TMPDIR=$work/cache-$k" nbdkit --foreground --ipaddr "$fe" --port "$NBD_PORT" -r
			--filter=log --filter=exportname --filter=cache
			curl "url=http://$HOST_IP:$HTTP_PORT/$export_name.img" cache-on-read=true
			"exportname=$export_name" exportname-strict=true exportname-list=explicit
			"logfile=$logdir/nbdkit-requests-$k.log")
		echo "# $(printf '%q ' "${cmd[@]}")" >"$logdir/frontend-$k.log"
		frontend_pids+=("$(start_bg "$logdir/frontend-$k.log" "${cmd[@]}")")
		frontend_ips+=("$fe")
	done
	for k in "${!FRONTENDS[@]}"; do
		for _ in $(seq 100); do
			ip netns exec "$ns" ss -Hltn "src ${FRONTENDS[$k]}:$NBD_PORT" 2>/dev/null | grep -q . && break
			sleep 0.1
		done
		ip netns exec "$ns" ss -Hltn "src ${FRONTENDS[$k]}:$NBD_PORT" 2>/dev/null | grep -q . || {
			tail -n 20 "$logdir/frontend-$k.log"
			setup_fail "front-end $k (nbdkit curl) did not listen on ${FRONTENDS[$k]}:$NBD_PORT within 10 s"
		}
	done
	# The host's view of which guest is on which front-end: every new
	# established (front-end, guest) pair, with its time.
	start_bg "$logdir/connections.log" bash -c "$(declare -f objectstore_watch); objectstore_watch $NBD_PORT" >/dev/null
}

# objectstore_watch PORT (in the netns): prints "<time> <guest ip> <front-end ip>" for each new connection to PORT.
objectstore_watch() {
	local -A seen
	local l p
	while :; do
		while read -r l p; do
			[ -n "${seen[$p $l]:-}" ] && continue
			seen[$p $l]=1
			echo "$(date +%s.%N | cut -c1-14) $p $l"
		done < <(ss -Htn state established "( sport = :$1 )" |
			awk '{ sub(/:[0-9]+$/, "", $3); sub(/:[0-9]+$/, "", $4); print $3, $4 }')
		sleep 0.2
	done
}

# DHCP: a tag per guest's front-end, a root-path per tag.
objectstore_dhcp() {
	local i k
	hosts=()
	for ((i = 0; i < guests; i++)); do
		hosts+=("--dhcp-host=$(mac "$i"),set:fe$(objectstore_frontend_of "$i"),$(gip "$i"),fleet$i")
	done
	root_paths=()
	for k in "${!FRONTENDS[@]}"; do
		root_paths+=("--dhcp-option=tag:fe$k,17,${FRONTENDS[$k]}:$NBD_PORT/$export_name")
	done
}

# Guest $1's alternate: the front-end after its own.
objectstore_guest_args() {
	local k
	k=$(objectstore_frontend_of "$1")
	echo "nbdroot.alt_server=${FRONTENDS[$(((k + 1) % ${#FRONTENDS[@]}))]}"
}

# The front-ends go first, so that lighttpd's clean stop has no client left.
objectstore_stop() {
	local p
	for p in "${frontend_pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
	[ -z "$http_pid" ] || http_stop "$http_pid"
}

# objectstore_http_check ACCESSLOG: prints the requests by method and status; fails
# (printing why) unless there are 206 replies and no method but GET and HEAD.
objectstore_http_check() {
	local n206 other
	awk '{ m[substr($4, 2)]++; s[$(NF - 2)]++ } END {
		printf "fleet: HTTP requests:"; for (k in m) printf " %s=%d", k, m[k]
		printf " (status:"; for (k in s) printf " %s=%d", k, s[k]; print ")" }' "$1"
	n206=$(awk '$(NF - 2) == 206' "$1" | wc -l)
	other=$(awk '$4 != "\"GET" && $4 != "\"HEAD"' "$1" | head -n 1)
	[ "$n206" -gt 0 ] || { echo "the HTTP server sent no 206 (byte range) reply"; return 1; }
	[ -z "$other" ] || { echo "the HTTP server got a request other than GET or HEAD: $other"; return 1; }
}

# The verdict's part: the front-ends' request logs join fleet.sh's nbdkit
# checks (no Write, Trim, Zero, Flush), the HTTP log must show ranges and no
# writing method, and every front-end must be the first of some guest.
objectstore_verdict() {
	local out first fe i line
	cat "$logdir"/nbdkit-requests-*.log >"$reqlog" 2>/dev/null || true
	touch "$logdir/http-access.log" "$logdir/connections.log"
	out=$(objectstore_http_check "$logdir/http-access.log") || reasons+=("$(sed -n 2p <<<"$out")")
	sed -n 1p <<<"$out"
	for ((i = 0; i < guests; i++)); do
		line=$(awk -v g="$(gip "$i")" '$2 == g { printf " %s", $3 }' "$logdir/connections.log")
		echo "fleet: guest $i ($(gip "$i")) connected to:${line:- nothing}"
		echo "${line# }" | cut -d' ' -f1 >>"$work/first-frontends"
	done
	for fe in "${FRONTENDS[@]}"; do
		first=$(grep -cx "$fe" "$work/first-frontends" || true)
		[ "$guests" -lt "${#FRONTENDS[@]}" ] || [ "$first" -gt 0 ] ||
			reasons+=("front-end $fe was no guest's first (the guests booted from: $(paste -sd' ' "$work/first-frontends"))")
	done
}
