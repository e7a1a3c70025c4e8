/* nbd-replay.c: replays one boot's recorded NBD reads as N clients at once (a thread each) against one server; prints per-client times and totals. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "clock.h"
#include "fingerprint.h"
#include "handshake.h"
#include "handshake_parse.h"
#include "nbd_proto.h"
#include "net.h"

#define NBD_CMD_DISC 2
#define MAX_CLIENTS 4096
#define MAX_READS 1000000
#define REQUEST_LEN 28
/* nbdroot's boot (main.c connect_with_retry): temporary failures are retried
 * after 250 ms, doubling up to 4 s, within 30 s. */
#define RETRY_WINDOW_MS 30000u
#define RETRY_FIRST_MS 250u
#define RETRY_MAX_MS 4000u

struct rec {
	uint64_t offset;
	uint32_t len;
};

static struct {
	struct nbdroot_addr addr;
	uint16_t port;
	const char *export_name;
	unsigned timeout_ms;
	struct rec *reads;
	size_t nreads, cap, first; /* reads[first..] are replayed (see load_reads) */
	uint32_t max_len;
	uint64_t bytes; /* per client */
	pthread_barrier_t start, done, release;
	int hold;
} g;

struct client {
	pthread_t tid;
	unsigned idx;
	uint64_t end_us; /* since the common start */
	unsigned retries; /* connections tried again, as nbdroot's boot would */
	int failed;
	char err[512]; /* context and the parser's 256-byte message */
};

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t t0_us;

static void die(const char *ctx, const char *what)
{
	fprintf(stderr, "nbdroot: nbd-replay: %s: %s\n", ctx, what);
	exit(2);
}

/* The recording: one read a line, "<offset> <length>" (C notation, 0x for
 * hex), '#' starts a comment. nbd_handshake reads the first 4096 bytes
 * itself (nbdroot's image fingerprint, as in a real boot), so a first
 * record that is exactly that read is not sent a second time. */
static void load_reads(const char *path)
{
	char line[256], *end;
	FILE *f = fopen(path, "r");
	unsigned long long off, len;
	unsigned lineno = 0;
	char ctx[300];

	if (!f)
		die(path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		snprintf(ctx, sizeof(ctx), "%s line %u", path, lineno);
		if (line[0] == '#' || line[0] == '\n')
			continue;
		errno = 0;
		off = strtoull(line, &end, 0);
		if (errno || end == line)
			die(ctx, "expected \"<offset> <length>\"");
		len = strtoull(end, &end, 0);
		if (errno || (*end && *end != '\n' && *end != ' '))
			die(ctx, "expected \"<offset> <length>\"");
		if (len == 0 || len > HSP_KERNEL_MAX_REQUEST) {
			snprintf(line, sizeof(line), "read length %llu, expected 1..33554432", len);
			die(ctx, line);
		}
		if (g.nreads == MAX_READS)
			die(ctx, "more than 1000000 reads");
		if (g.nreads == g.cap) {
			g.cap = g.cap ? g.cap * 2 : 64;
			g.reads = realloc(g.reads, g.cap * sizeof(*g.reads));
			if (!g.reads)
				die("memory", "out of memory");
		}
		g.reads[g.nreads].offset = off;
		g.reads[g.nreads].len = (uint32_t)len;
		g.nreads++;
	}
	fclose(f);
	if (!g.nreads)
		die(path, "no reads recorded");
	g.first = g.reads[0].offset == 0 && g.reads[0].len == FP_HEAD_LEN;
	g.bytes = 0;
	for (size_t i = g.first; i < g.nreads; i++) {
		g.bytes += g.reads[i].len;
		if (g.reads[i].len > g.max_len)
			g.max_len = g.reads[i].len;
	}
	g.bytes += FP_HEAD_LEN; /* nbd_handshake's read */
}

static int fail(struct client *c, const char *fmt, const char *what)
{
	snprintf(c->err, sizeof(c->err), fmt, what);
	c->failed = 1;
	return -1;
}

/* Connect and negotiate (NBD_OPT_GO) as nbdroot's boot does, retrying
 * temporary failures (refused, reset, timed out) the way it does. Returns
 * the fd, or -1 with the client failed. */
static int attach(struct client *c, struct nbd_export *ex)
{
	uint64_t until = clock_ms() + RETRY_WINDOW_MS;
	unsigned delay = RETRY_FIRST_MS;
	char err[256];
	int fd, rc;

	for (;;) {
		fd = net_connect(&g.addr, g.port, g.timeout_ms, err, sizeof(err));
		if (fd < 0) {
			rc = HS_TEMPORARY;
			fail(c, "connect: %s", err);
		} else {
			rc = nbd_handshake(fd, g.export_name, g.timeout_ms, ex, err, sizeof(err));
			if (rc == HS_OK) {
				c->failed = 0;
				return fd;
			}
			close(fd);
			fail(c, "handshake: %s", err);
		}
		if (rc != HS_TEMPORARY || clock_ms() + delay >= until)
			return -1;
		usleep(delay * 1000u);
		c->retries++;
		if (delay < RETRY_MAX_MS)
			delay *= 2;
	}
}

/* One client's boot after attach: each read in order, one outstanding at a time. Every reply header is checked by
 * nbdroot's own parser before any payload is read; the payload's length is
 * the one we asked for (simple replies carry none). */
static int boot_reads(struct client *c, int fd, const struct nbd_export *exp, uint8_t *buf)
{
	const struct nbd_export ex = *exp;
	uint8_t req[REQUEST_LEN], *p;
	char err[256], ctx[96];
	const char *e;
	uint64_t deadline;

	for (size_t i = g.first; i < g.nreads; i++) {
		const struct rec *r = &g.reads[i];

		snprintf(ctx, sizeof(ctx), "read %zu (offset 0x%llx, %u bytes)", i,
			 (unsigned long long)r->offset, (unsigned)r->len);
		if (r->offset > ex.size || r->len > ex.size - r->offset) {
			snprintf(c->err, sizeof(c->err), "%s: beyond the export's %llu bytes",
				 ctx, (unsigned long long)ex.size);
			c->failed = 1;
			return -1;
		}
		p = hsp_put32(req, NBD_MAGIC_REQUEST);
		p = hsp_put32(p, NBD_CMD_READ);
		p = hsp_put64(p, i); /* the handle */
		p = hsp_put64(p, r->offset);
		hsp_put32(p, r->len);
		deadline = clock_ms() + g.timeout_ms;
		if (net_write_full(fd, req, REQUEST_LEN, deadline) ||
		    net_read_full(fd, buf, HSP_SIMPLE_REPLY_LEN, deadline)) {
			snprintf(c->err, sizeof(c->err), "%s: %s", ctx,
				 errno ? strerror(errno) : "closed by the server");
			c->failed = 1;
			return -1;
		}
		if (hsp_simple_reply(buf, HSP_SIMPLE_REPLY_LEN, i, err, sizeof(err)) != HS_OK) {
			/* the parser words its message for nbdroot's first read */
			e = strncmp(err, "first block's ", 14) ? err : err + 14;
			snprintf(c->err, sizeof(c->err), "%s: %s", ctx, e);
			c->failed = 1;
			return -1;
		}
		if (net_read_full(fd, buf, r->len, deadline)) {
			snprintf(c->err, sizeof(c->err), "%s: payload: %s", ctx,
				 errno ? strerror(errno) : "closed by the server");
			c->failed = 1;
			return -1;
		}
	}
	return 0;
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	uint8_t *buf = malloc(g.max_len > HSP_SIMPLE_REPLY_LEN ? g.max_len : HSP_SIMPLE_REPLY_LEN);
	uint8_t disc[REQUEST_LEN] = { 0 }, *p;
	struct nbd_export ex;
	int fd = -1;

	pthread_barrier_wait(&g.start);
	if (!buf)
		fail(c, "%s", "out of memory");
	else if ((fd = attach(c, &ex)) >= 0)
		boot_reads(c, fd, &ex, buf);
	c->end_us = now_us() - t0_us;
	pthread_barrier_wait(&g.done);
	if (g.hold)
		pthread_barrier_wait(&g.release);
	if (fd >= 0) {
		if (!c->failed) {
			p = hsp_put32(disc, NBD_MAGIC_REQUEST);
			hsp_put32(p, NBD_CMD_DISC);
			(void)net_write_full(fd, disc, sizeof(disc), clock_ms() + 1000);
		}
		close(fd);
	}
	free(buf);
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least p% of the values at or below it. */
static uint64_t pct(const uint64_t *sorted, size_t n, unsigned p)
{
	size_t rank = (n * p + 99) / 100;

	return sorted[rank ? rank - 1 : 0];
}

static void usage(void)
{
	fprintf(stderr, "usage: nbd-replay -p PORT -e EXPORT -r READS -n CLIENTS [-a ADDR] [-t SECONDS] [-H FILE]\n"
		"  -H FILE: once every client has done its reads, print the summary, create FILE and\n"
		"           keep the connections open until FILE is removed (to read the server's memory)\n"
		"exit: 0 every client read everything, 1 some failed (each one said why), 2 usage or setup\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *addr = "127.0.0.1", *reads = NULL, *hold = NULL;
	unsigned long n = 0, port = 0, timeout_s = 120;
	struct client *cl;
	uint64_t *t, wall;
	size_t ok = 0, i;
	unsigned long retries = 0;
	int opt;
	FILE *f;

	while ((opt = getopt(argc, argv, "a:p:e:r:n:t:H:")) != -1) {
		switch (opt) {
		case 'a': addr = optarg; break;
		case 'p': port = strtoul(optarg, NULL, 10); break;
		case 'e': g.export_name = optarg; break;
		case 'r': reads = optarg; break;
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 't': timeout_s = strtoul(optarg, NULL, 10); break;
		case 'H': hold = optarg; break;
		default: usage();
		}
	}
	if (!reads || !g.export_name || optind != argc)
		usage();
	if (port < 1 || port > 65535)
		die("-p", "port out of range, expected 1..65535");
	if (n < 1 || n > MAX_CLIENTS)
		die("-n", "client count out of range, expected 1..4096");
	if (timeout_s < 1 || timeout_s > 3600)
		die("-t", "timeout out of range, expected 1..3600 seconds");
	if (addr_parse(addr, strlen(addr), &g.addr))
		die(addr, "not an IPv4 or IPv6 address");
	g.port = (uint16_t)port;
	g.timeout_ms = (unsigned)timeout_s * 1000u;
	g.hold = hold != NULL;
	load_reads(reads);
	cl = calloc(n, sizeof(*cl));
	t = calloc(n, sizeof(*t));
	if (!cl || !t)
		die("memory", "out of memory");
	pthread_barrier_init(&g.start, NULL, (unsigned)n + 1);
	pthread_barrier_init(&g.done, NULL, (unsigned)n + 1);
	pthread_barrier_init(&g.release, NULL, (unsigned)n + 1);
	for (i = 0; i < n; i++) {
		pthread_attr_t a;

		cl[i].idx = (unsigned)i;
		pthread_attr_init(&a);
		pthread_attr_setstacksize(&a, 256 << 10);
		if (pthread_create(&cl[i].tid, &a, client_main, &cl[i]))
			die("pthread_create", "cannot start a client thread");
		pthread_attr_destroy(&a);
	}
	t0_us = now_us();
	pthread_barrier_wait(&g.start);
	pthread_barrier_wait(&g.done);
	for (i = 0; i < n; i++) {
		retries += cl[i].retries;
		if (cl[i].failed) {
			fprintf(stderr, "nbdroot: nbd-replay: client %zu: %s\n", i, cl[i].err);
			continue;
		}
		t[ok++] = cl[i].end_us;
	}
	if (ok) {
		qsort(t, ok, sizeof(*t), cmp_u64);
		wall = t[ok - 1] ? t[ok - 1] : 1;
		/* requests: the replayed reads and nbd_handshake's one */
		printf("clients=%lu ok=%zu failed=%zu retries=%lu reads=%zu bytes=%llu p50_ms=%.1f p99_ms=%.1f "
		       "max_ms=%.1f wall_ms=%.1f mib_s=%.1f req_s=%.0f\n",
		       n, ok, n - ok, retries, g.nreads - g.first + 1, (unsigned long long)g.bytes,
		       pct(t, ok, 50) / 1e3, pct(t, ok, 99) / 1e3, t[ok - 1] / 1e3, wall / 1e3,
		       (double)g.bytes * (double)ok / (1 << 20) / (wall / 1e6),
		       (double)(g.nreads - g.first + 1) * (double)ok / (wall / 1e6));
	} else {
		printf("clients=%lu ok=0 failed=%lu retries=%lu\n", n, n, retries);
	}
	fflush(stdout);
	if (hold) {
		f = fopen(hold, "w");
		if (!f)
			die(hold, strerror(errno));
		fclose(f);
		/* bounded: a bench that died must not leave us holding connections */
		for (i = 0; access(hold, F_OK) == 0 && i < g.timeout_ms / 20; i++)
			usleep(20000);
		pthread_barrier_wait(&g.release);
	}
	for (i = 0; i < n; i++)
		pthread_join(cl[i].tid, NULL);
	free(cl);
	free(t);
	free(g.reads);
	return ok == n ? 0 : 1;
}
