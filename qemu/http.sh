# http.sh: the lab's HTTP server (lighttpd): static files with byte ranges, every request logged; sourced after lib.sh.
# shellcheck shell=bash disable=SC2154 # $ns is the sourcing script's netns

# http_start DOCROOT IP PORT LOGDIR: lighttpd serves DOCROOT on IP:PORT in the
# netns until http_stop. GET and HEAD only (no PUT or POST module is loaded), and
# a Range request gets 206 Partial Content. Every request becomes one line of
# LOGDIR/http-access.log: client [time] "METHOD PATH PROTO" status bytes "Range".
# Prints lighttpd's pid; fails (one line) when it does not listen within 10 s.
http_start() {
	local docroot=$1 ip=$2 port=$3 logdir=$4 conf=$4/lighttpd.conf pid
	cat >"$conf" <<EOF
server.document-root = "$docroot"
server.bind = "$ip"
server.port = $port
server.modules = ( "mod_accesslog" )
server.errorlog = "$logdir/http-error.log"
accesslog.filename = "$logdir/http-access.log"
accesslog.format = "%h %t \"%r\" %>s %b \"%{Range}i\""
mimetype.assign = ( "" => "application/octet-stream" )
EOF
	lighttpd -tt -f "$conf" >>"$logdir/http-error.log" 2>&1 || {
		echo "nbdroot: http: lighttpd refuses $conf: $(tail -n 1 "$logdir/http-error.log")" >&2
		return 1
	}
	pid=$(start_bg "$logdir/http-error.log" lighttpd -D -f "$conf")
	for _ in $(seq 100); do
		ip netns exec "$ns" ss -Hltn "src $ip:$port" 2>/dev/null | grep -q . && {
			echo "$pid"
			return 0
		}
		sleep 0.1
	done
	echo "nbdroot: http: lighttpd did not listen on $ip:$port within 10 s (log: $logdir/http-error.log)" >&2
	return 1
}

# http_stop PID: a clean stop (SIGINT: lighttpd finishes its requests), so that
# the access log, which lighttpd writes out about once a second, is complete.
http_stop() {
	kill -INT "$1" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null || true
}
