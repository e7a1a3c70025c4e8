/* fuzz-rootspec.c: any bytes as a root-path (DHCP option 17) and as an address literal: no crash, and results that round-trip. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cmdline.h"

static void must(int cond)
{
	if (!cond)
		abort();
}

static void clean_string(const char *s, size_t size)
{
	const char *end = memchr(s, '\0', size);

	must(end != NULL);
	for (; s < end; s++)
		must((unsigned char)*s >= 0x20 && *s != 0x7f);
}

/* Addresses: accepted text formats canonically, and the canonical text is a
 * fixed point of parse + format. */
static void addresses(const char *s, size_t size)
{
	struct nbdroot_addr a, b;
	char t1[64], t2[64];

	if (addr_parse(s, size, &a))
		return;
	must(a.family == 4 || a.family == 6);
	must(memchr(s, '%', size) == NULL && memchr(s, '[', size) == NULL);
	addr_format(&a, t1, sizeof(t1));
	must(strlen(t1) < 46);
	must(addr_parse(t1, strlen(t1), &b) == 0);
	must(b.family == a.family && memcmp(a.bytes, b.bytes, 16) == 0);
	addr_format(&b, t2, sizeof(t2));
	must(strcmp(t1, t2) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nbdroot_config c, d, defaults;
	static char canon[NBDROOT_STRING_MAX + 80];
	const char *s = (const char *)data;
	char err[512], server[64];
	int n;

	addresses(s, size);
	config_defaults(&defaults);
	c = defaults;
	if (rootspec_parse(s, size, "root-path", &c, err, sizeof(err))) {
		size_t len = strnlen(err, sizeof(err));

		must(len > 0 && len < sizeof(err));
		must(strncmp(err, "root-path: ", 11) == 0 && strstr(err, ", expected ") != NULL);
		/* a rejected spec leaves the configuration untouched */
		must(memcmp(&c, &defaults, sizeof(c)) == 0);
		return 0;
	}
	must(c.port != 0);
	must(c.server.family == 0 || c.server.family == 4 || c.server.family == 6);
	clean_string(c.export_name, sizeof(c.export_name));
	clean_string(c.fstype, sizeof(c.fstype));
	clean_string(c.rootflags, sizeof(c.rootflags));
	must(c.timeout >= 1 && c.timeout <= 86400 && c.dead_timeout <= 604800);
	must(c.connections >= 1 && c.connections <= NBDROOT_MAX_CONNECTIONS);
	must(c.dhcp == 0 && c.ip.present == 0);
	must(strcmp(c.device, NBDROOT_DEFAULT_DEVICE) == 0);

	/* whatever form it came in, the canonical form says the same thing */
	addr_format(&c.server, server, sizeof(server));
	n = snprintf(canon, sizeof(canon), "%s%s%s%s%u/%s", c.server.family == 6 ? "[" : "",
		     server, c.server.family == 6 ? "]" : "", c.server.family ? ":" : "",
		     (unsigned)c.port, c.export_name);
	must(n > 0 && (size_t)n < sizeof(canon));
	d = defaults;
	must(rootspec_parse(canon, (size_t)n, "root-path", &d, err, sizeof(err)) == 0);
	must(memcmp(&d.server, &c.server, sizeof(c.server)) == 0);
	must(d.port == c.port && strcmp(d.export_name, c.export_name) == 0);
	return 0;
}
