/* modules.c: loads the kernel modules /etc/modules lists, in its order. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "init.h"

/* /etc/modules: "<path> [parameters]" per line, dependencies first. A module
 * that fails is reported and skipped: a NIC driver for absent hardware or a
 * CPU-specific crc32c may refuse to load, and whatever really needed it
 * fails next with its own message. */
void load_modules(void)
{
	static char list[8192];
	char *line, *next, *params;
	int fd, n = 0;

	if (read_file("/etc/modules", list, sizeof(list)) < 0)
		return; /* a kernel with everything built in */
	for (line = list; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (!*line || *line == '#')
			continue;
		params = strchr(line, ' ');
		if (params)
			*params++ = '\0';
		fd = open(line, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			warn("module %s: %s", line, strerror(errno));
			continue;
		}
		if (finit_module(fd, params ? params : "", 0) == 0)
			n++;
		else if (errno == ENODEV)
			note(6, "module %s: no device for it here, skipped", line);
		else if (errno != EEXIST)
			warn("module %s: %s", line, strerror(errno));
		close(fd);
	}
	info("loaded %d modules", n);
}
