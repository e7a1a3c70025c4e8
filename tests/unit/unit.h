/* unit.h: the few assertions the table-driven unit tests share. */
#ifndef NBDROOT_UNIT_H
#define NBDROOT_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_failures;
static int unit_checks;

#define CHECK(cond, ...)                                                          \
	do {                                                                      \
		unit_checks++;                                                    \
		if (!(cond)) {                                                    \
			unit_failures++;                                          \
			fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                             \
			fputc('\n', stderr);                                      \
		}                                                                 \
	} while (0)

/* Call at the end of main: prints a summary, returns the exit code. */
static inline int unit_done(const char *name)
{
	printf("%s: %d checks, %d failures\n", name, unit_checks, unit_failures);
	return unit_failures ? 1 : 0;
}

#endif
