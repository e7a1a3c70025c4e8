/* supervise.c: the process that keeps an attached NBD device connected: dead-link detection, reconnect with backoff, status. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "addr.h"
#include "clock.h"
#include "dhcp_lease.h"
#include "errtext.h"
#include "kernel_backend.h"
#include "log.h"
#include "session.h"
#include "status.h"
#include "supervise.h"
#include "sysfs.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef AT_RANDOM
#define AT_RANDOM 25 /* klibc's elf.h lacks it; its getauxval keeps it */
#endif
#ifndef PR_SET_IO_FLUSHER
#define PR_SET_IO_FLUSHER 57 /* 5.6; klibc's headers predate it */
#endif

#define CHECK_EVERY_MS 10000 /* NBD_CMD_STATUS while up */
/* 100 ms doubling to 400, each drawn from [delay/2, delay]: a server back
 * from a restart is found within 400 ms, and one that is
 * down gets at most 5 attempts a second from each client. */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 400
#define NL_TIMEOUT_MS 5000
/* Room for a socket the kernel already dropped but whose hangup we have not
 * seen yet, next to its replacement. */
#define SLOTS (2 * NBDROOT_MAX_CONNECTIONS)

enum { START, UP, DOWN, REFUSED, GONE };
static const char *const state_name[] = { "start", "up", "down", "refused", "gone" };

static struct {
	const struct nbdroot_config *cfg;
	struct nbd_export ex; /* what was attached: a reconnect must find the same */
	unsigned index;
	int lost; /* our sockets that hung up and are not replaced yet */
	int fds[SLOTS]; /* our copies of the kernel's sockets (-1: free), polled for hangups */
	int nl, mc, sysdir, rundir, keeper; /* keeper: a pipe that hangs up when the keeper dies */
	uint16_t family;
	int state;
	unsigned server; /* attempt number for session_server() */
	unsigned delay; /* backoff, ms */
	uint64_t next; /* clock_ms() of the next check or attempt */
	uint32_t rnd;
	char backend[GENL_BACKEND_ID_MAX];
	char diskseq[32];
} sv;
/* in a page shared with the keeper: a worker's counters outlive it */
static struct status *st;

/* sysfs through the directory opened before switch_root: after it, our
 * root is the emptied initramfs and /sys lives elsewhere. */
static int sys_read(const char *attr, char *buf, size_t size)
{
	return sysfs_read(sv.sysdir, attr, buf, size);
}

static void set_state(int s)
{
	if (s != sv.state)
		log_info("supervise", "%s: %s -> %s %s", st->device, state_name[sv.state],
			 state_name[s], st->server);
	sv.state = s;
	st->state = state_name[s];
	status_write(sv.rundir, st);
}

/* Logged once until it changes: a long outage retries every second. */
static void failure(const char *what, const char *why)
{
	char e[sizeof(st->error)];

	snprintf(e, sizeof(e), "%s: %s", what, why);
	if (strcmp(e, st->error) == 0)
		return;
	log_err("supervise", "%s: %s", st->device, e);
	memcpy(st->error, e, sizeof(e));
}

static void gone(const char *what, const char *why)
{
	failure(what, why);
	set_state(GONE);
	_exit(0);
}

static void server_text(void)
{
	struct nbdroot_addr a;
	uint16_t port;
	char host[48];

	session_server(sv.cfg, sv.server, &a, &port);
	addr_format(&a, host, sizeof(host));
	snprintf(st->server, sizeof(st->server), a.family == 6 ? "[%s]:%u" : "%s:%u", host,
		 (unsigned)port);
}

/* The kernel's view, which on 6.1 says "connected" even with every socket
 * dead: it can only tell us the device was torn down. */
static void check(void)
{
	uint8_t msg[64];
	struct genl_reply r;
	char e[160];
	uint32_t seq = nbdnl_seq();
	size_t len = genl_build_nbd_status(msg, sizeof(msg), sv.family, seq, sv.index);

	if (nbdnl_transact(sv.nl, msg, len, seq, sv.family, NULL, &r, NL_TIMEOUT_MS, e, sizeof(e)))
		failure("STATUS", e);
	else if (r.error || r.connected == 0)
		gone("STATUS", r.error ? errtext(r.error) : "disconnected");
}

static void reconnect(void)
{
	uint8_t msg[512];
	int fds[NBDROOT_MAX_CONNECTIONS];
	int want = sv.lost < 1 ? 1 : sv.lost > NBDROOT_MAX_CONNECTIONS ? NBDROOT_MAX_CONNECTIONS :
		   sv.lost;
	int n = 0, i, j, rc = 0, took = 0;
	struct nbd_export ex;
	struct genl_reply r;
	struct timeval tv;
	socklen_t tl;
	const char *what, *why;
	char e[256];
	uint32_t seq;
	size_t len;

	check();
	server_text();
	for (why = e; n < want; n++) {
		rc = session_open(sv.cfg, sv.server, &ex, &fds[n], &what, e, sizeof(e));
		if (rc)
			goto out;
		/* Other blocks under the mounted filesystem would corrupt it
		 * silently: refuse, and retry until the original is back. */
		if (ex.size != sv.ex.size || ex.flags != sv.ex.flags ||
		    strcmp(ex.fingerprint, sv.ex.fingerprint)) {
			snprintf(e, sizeof(e), "%llu bytes, flags 0x%x, image %s, not %s",
				 (unsigned long long)ex.size, (unsigned)ex.flags, ex.fingerprint,
				 sv.ex.fingerprint);
			what = "export changed";
			rc = REFUSED;
			n++;
			goto out;
		}
	}
	what = "RECONFIGURE";
	/* a device number reused for another export must not get our socket */
	if (sv.diskseq[0] && (sys_read("diskseq", e, sizeof(e)) || strcmp(e, sv.diskseq)))
		gone("diskseq", "changed");
	seq = nbdnl_seq();
	len = genl_build_nbd_reconfigure(msg, sizeof(msg), sv.family, seq, sv.index, fds, n,
					 sv.backend);
	if (nbdnl_transact(sv.nl, msg, len, seq, sv.family, NULL, &r, NL_TIMEOUT_MS, e, sizeof(e)))
		goto out;
	why = errtext(r.error);
	if (r.error)
		goto out;
	/* The driver acks a socket it dropped for want of a dead slot as a
	 * success; one it took got its send timeout set. */
	for (i = 0; i < n; i++) {
		tv.tv_sec = tv.tv_usec = 0;
		tl = sizeof(tv);
		if (getsockopt(fds[i], SOL_SOCKET, SO_SNDTIMEO, &tv, &tl) || !(tv.tv_sec | tv.tv_usec))
			continue;
		took++;
		for (j = 0; j < SLOTS - 1 && sv.fds[j] >= 0; j++)
			;
		if (sv.fds[j] >= 0)
			close(sv.fds[j]); /* unwatched: the kernel holds its own reference */
		sv.fds[j] = fds[i];
		fds[i] = -1;
	}
	/* None taken: the kernel had no dead connection (another tool
	 * reconnected it, or it has yet to notice; LINK_DEAD will say). */
	if (took) {
		st->reconnects++;
		st->last_reconnect = (unsigned long long)time(NULL);
	}
	sv.lost = 0;
	sv.delay = 0;
	sv.next = clock_ms() + CHECK_EVERY_MS;
	set_state(UP);
out:
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (sv.state == UP)
		return;
	failure(what, why);
	sv.server++;
	sv.delay = sv.delay ? 2 * sv.delay : BACKOFF_MIN_MS;
	if (sv.delay > BACKOFF_MAX_MS)
		sv.delay = BACKOFF_MAX_MS;
	/* jitter: a fleet that lost one server must not return in lockstep */
	sv.rnd ^= sv.rnd << 13;
	sv.rnd ^= sv.rnd >> 17;
	sv.rnd ^= sv.rnd << 5;
	sv.next = clock_ms() + sv.delay / 2 + sv.rnd % (sv.delay / 2 + 1);
	set_state(rc == REFUSED ? REFUSED : DOWN);
}

/* Is the multicast a LINK_DEAD for our device? */
static int link_dead(void)
{
	uint8_t buf[1024];
	struct genl_reply r;
	char e[8];
	ssize_t n = recv(sv.mc, buf, sizeof(buf), MSG_DONTWAIT);

	/* ENOBUFS (an overrun) loses events: our own copies still watch */
	genl_reply_init(&r);
	return n > 0 && genl_parse(buf, (size_t)n, 0, sv.family, NULL, &r, e, sizeof(e)) == 0 &&
	       r.cmd == NBD_CMD_LINK_DEAD && r.index == sv.index;
}

/* Never paged out, nor throttled by the I/O we exist to rescue (both asked
 * for even when one fails); neither is inherited by a fork. */
static void pin(void)
{
	if ((mlockall(MCL_CURRENT | MCL_FUTURE) | prctl(PR_SET_IO_FLUSHER, 1, 0, 0, 0)) < 0)
		log_err("supervise", "mlockall: %s", errtext(errno));
}

static void died(void)
{
	log_err("supervise", "%s: supervisor died", st->device);
	st->restarts++;
}

/* The keeper: a parent that only forks the worker, and forks it again when
 * it dies of anything but gone(); the new one starts from the state the
 * keeper forked with. Its sockets, stale or not, are polled again: a dead
 * one has hung up, and the reconnect that follows offers the kernel a
 * socket that a live device drops. The worker watches a pipe to the
 * keeper, and becomes the keeper itself if it dies. Returns in a worker. */
static void keep(void)
{
	int p[2], ws = -1;
	pid_t pid;

	for (;;) {
		pid = pipe(p) ? -1 : fork();
		if (pid == 0) {
			close(p[1]);
			close(sv.keeper); /* -1 in the first */
			sv.keeper = p[0];
			pin();
			set_state(sv.state ?: UP);
			return;
		}
		if (pid > 0) {
			close(p[0]);
			while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
				;
			close(p[1]);
			if (WIFEXITED(ws))
				_exit(0); /* gone(): nothing left to keep */
		}
		poll(NULL, 0, 1000); /* a worker that dies at once must not spin */
		died();
	}
}

static __attribute__((noreturn)) void run(void)
{
	struct pollfd p[3 + SLOTS];
	int i, k, n, t, dead;

	for (;;) {
		p[0].fd = sv.mc;
		/* the boot's DHCP lease, renewed from here for the machine's life */
		p[1].fd = dhcp_lease_fd(); /* -1: no lease, poll skips it */
		p[0].events = p[1].events = POLLIN;
		p[2].fd = sv.keeper;
		p[2].events = 0;
		/* no events asked: a hangup or error is reported anyway, and the
		 * kernel shuts a socket down when it marks it dead */
		for (i = 0, n = 3; i < SLOTS; i++) {
			if (sv.fds[i] >= 0) {
				p[n].fd = sv.fds[i];
				p[n++].events = 0;
			}
		}
		t = dhcp_lease_pending_ms(clock_ms());
		if (t < 0 || t > clock_left_ms(sv.next))
			t = clock_left_ms(sv.next);
		if (poll(p, (nfds_t)n, t) < 0)
			continue;
		if (p[1].revents || dhcp_lease_pending_ms(clock_ms()) == 0)
			dhcp_lease_tick(clock_ms());
		if (p[2].revents) {
			/* the keeper died: this worker becomes it, and forks a worker with its state */
			died();
			keep();
		}
		dead = (p[0].revents & POLLIN) && link_dead();
		for (i = 0, k = 3; i < SLOTS; i++) {
			if (sv.fds[i] >= 0 && p[k++].revents) {
				close(sv.fds[i]);
				sv.fds[i] = -1;
				sv.lost++;
			}
		}
		if (sv.state == UP && (dead || sv.lost)) {
			failure("link dead", dead ? "LINK_DEAD" : "socket closed");
			set_state(DOWN);
			sv.next = 0;
		}
		if (clock_left_ms(sv.next) > 0)
			continue;
		if (sv.state == UP) {
			check();
			sv.next = clock_ms() + CHECK_EVERY_MS;
		} else {
			reconnect();
		}
	}
}

void supervise_start(const struct nbdroot_config *cfg, const struct nbd_export *ex,
		     const int *fds, int nfds, unsigned server)
{
	char e[256] = "no nbd netlink family", path[48];
	const char *d = cfg->device;
	uint32_t grp = 0;
	sigset_t all;
	int kmsg, fd, i;
	pid_t pid;

	/* What the child needs is opened here, before the parent exits and
	 * the init switches root: no file is looked up afterwards. */
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED) {
		strcpy(e, errtext(errno));
		goto unsupervised;
	}
	sv.cfg = cfg;
	sv.ex = *ex;
	sv.server = server;
	st->device = d;
	st->image = sv.ex.fingerprint;
	for (i = 8; d[i]; i++) /* "/dev/nbdN", checked by the parser */
		sv.index = sv.index * 10 + (unsigned)(d[i] - '0');
	sv.nl = nbdnl_open(e, sizeof(e));
	sv.mc = nbdnl_open(e, sizeof(e));
	if (sv.nl < 0 || sv.mc < 0 || nbdnl_resolve(sv.nl, &sv.family, &grp, e, sizeof(e)) ||
	    setsockopt(sv.mc, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0)
		goto unsupervised;
	genl_backend_id(cfg, sv.backend, sizeof(sv.backend));
	snprintf(path, sizeof(path), "/sys/block/%s", d + 5);
	sv.sysdir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* NBD_CMD_CONNECT records its sender; on the ioctl path it is the
	 * NBD_DO_IT child, and RECONFIGURE would be refused */
	snprintf(path, sizeof(path), "%d", (int)getpid());
	if (sys_read("pid", e, sizeof(e)) || strcmp(e, path)) {
		strcpy(e, "ioctl attach");
		goto unsupervised;
	}
	if (sys_read("diskseq", sv.diskseq, sizeof(sv.diskseq)))
		sv.diskseq[0] = '\0'; /* before 5.15 */
	mkdir(STATUS_DIR, 0755);
	sv.rundir = open(STATUS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd >= 0 && write(fd, "-1000", 5) < 0) {
		/* best effort, as is what follows */
	}
	pid = fork();
	if (pid < 0) {
		strcpy(e, errtext(errno));
		goto unsupervised;
	}
	if (pid)
		return; /* the parent exits: its copies of all this go with it */
	setsid();
	if (chdir("/") < 0) {
		/* harmless: no file is opened by path from here on */
	}
	/* stdio to the kernel log: the console's tty may go away */
	for (i = 0; i < 3 && kmsg >= 0; i++)
		dup2(kmsg, i);
	log_to_kmsg(0);
	/* An init's SIGTERM/SIGINT/SIGHUP at switch_root and shutdown, and
	 * SIGPIPE, must not end us; none is handled, so all stay blocked.
	 * systemd-shutdown spares '@' processes its SIGTERM/SIGKILL, so the
	 * root stays reconnectable until it is remounted read-only; we hold
	 * no file and no reference to the device, so nothing waits for us
	 * and poweroff ends us with the machine. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	pin();
	for (i = 0; i < SLOTS; i++)
		sv.fds[i] = i < nfds ? fds[i] : -1;
	/* the kernel's random bytes for this exec: machines that boot in
	 * lockstep (a rack after a power cut) still spread their retries */
	if (getauxval(AT_RANDOM))
		memcpy(&sv.rnd, (const void *)getauxval(AT_RANDOM), sizeof(sv.rnd));
	sv.rnd |= 1;
	sv.next = clock_ms() + CHECK_EVERY_MS;
	server_text();
	sv.keeper = -1;
	keep();
	run();
unsupervised:
	log_err("supervise", "%s: no reconnects: %s", d, e);
}
