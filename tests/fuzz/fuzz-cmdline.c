/* fuzz-cmdline.c: any bytes as a kernel command line: cmdline_parse must not crash, and what it accepts must be sane. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cmdline.h"

static void must(int cond)
{
	if (!cond)
		abort();
}

/* NUL-terminated inside its buffer and free of control bytes. */
static void clean_string(const char *s, size_t size)
{
	const char *end = memchr(s, '\0', size);

	must(end != NULL);
	for (; s < end; s++)
		must((unsigned char)*s >= 0x20 && *s != 0x7f);
}

static void check_err(const char *err, size_t errlen)
{
	size_t n = strnlen(err, errlen);

	must(n > 0 && n < errlen);
	for (; *err; err++)
		must(*err >= 0x20 && *err < 0x7f);
}

static void check_addr(const struct nbdroot_addr *a, int v6_ok)
{
	struct nbdroot_addr b;
	char text[64];

	must(a->family == 0 || a->family == 4 || (v6_ok && a->family == 6));
	if (!a->family)
		return;
	/* what we will print, log and hand to connect() must parse back to itself */
	addr_format(a, text, sizeof(text));
	must(addr_parse(text, strlen(text), &b) == 0);
	must(b.family == a->family && memcmp(a->bytes, b.bytes, 16) == 0);
}

static void check_config(const struct nbdroot_config *c)
{
	const char *digits;

	check_addr(&c->server, 1);
	must(c->port != 0);
	clean_string(c->export_name, sizeof(c->export_name));
	clean_string(c->device, sizeof(c->device));
	clean_string(c->fstype, sizeof(c->fstype));
	clean_string(c->rootflags, sizeof(c->rootflags));
	must(strncmp(c->device, "/dev/nbd", 8) == 0);
	digits = c->device + 8;
	must(*digits != '\0' && strspn(digits, "0123456789") == strlen(digits));
	must(c->timeout >= 1 && c->timeout <= 86400);
	must(c->dead_timeout <= 604800);
	must(c->connections >= 1 && c->connections <= NBDROOT_MAX_CONNECTIONS);
	must(c->readonly == 0 || c->readonly == 1);
	must(c->debug == 0 || c->debug == 1);
	must(c->dhcp == 0 || c->dhcp == 1);
	/* nbdroot=dhcp wins over any server, so both at once means a mixed-up merge */
	must(!(c->dhcp && c->server.family));
	must(c->ip.present == 0 || c->ip.present == 1);
	if (!c->ip.present) {
		must(c->ip.autoconf[0] == '\0' && c->ip.client.family == 0);
		return;
	}
	check_addr(&c->ip.client, 0);
	check_addr(&c->ip.server, 0);
	check_addr(&c->ip.gateway, 0);
	check_addr(&c->ip.netmask, 0);
	clean_string(c->ip.hostname, sizeof(c->ip.hostname));
	clean_string(c->ip.device, sizeof(c->ip.device));
	clean_string(c->ip.autoconf, sizeof(c->ip.autoconf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nbdroot_config a, b;
	char err[512];
	char *tiny;
	int rc;

	memset(&a, 0x11, sizeof(a));
	memset(&b, 0xee, sizeof(b));
	rc = cmdline_parse((const char *)data, size, &a, err, sizeof(err));
	must(rc == 0 || rc == -1);
	if (rc) {
		check_err(err, sizeof(err));
		must(strstr(err, ", expected ") != NULL);
	} else {
		check_config(&a);
		/* pure: the same bytes give the same bytes, whatever cfg held before */
		must(cmdline_parse((const char *)data, size, &b, err, sizeof(err)) == 0);
		must(memcmp(&a, &b, sizeof(a)) == 0);
	}
	/* a short error buffer is cut, never overrun (ASan watches the heap copy) */
	tiny = malloc(7);
	must(tiny != NULL);
	if (cmdline_parse((const char *)data, size, &b, tiny, 7))
		must(memchr(tiny, '\0', 7) != NULL);
	free(tiny);
	return 0;
}
