/* test-errtext: every errno errtext() knows reads exactly as glibc's strerror(), and the rest fall back to "errno N". */
#include <errno.h>
#include <string.h>

#include "errtext.h"
#include "unit.h"

int main(void)
{
	char want[32];
	int e, known = 0;

	for (e = 1; e < 256; e++) {
		const char *t = errtext(e);

		snprintf(want, sizeof(want), "errno %d", e);
		if (strcmp(t, want) == 0)
			continue;
		known++;
		CHECK(strcmp(t, strerror(e)) == 0, "errno %d: \"%s\", glibc says \"%s\"", e, t,
		      strerror(e));
	}
	CHECK(known == 30, "%d errno values have texts, expected 30", known);
	CHECK(strcmp(errtext(ECONNREFUSED), "Connection refused") == 0, "ECONNREFUSED");
	CHECK(strcmp(errtext(0), "errno 0") == 0, "errno 0 falls back");
	return unit_done("test-errtext");
}
