/* test-fmt: fmt_vsnprintf (the klcc build's vsnprintf) writes and counts exactly as glibc's snprintf for every conversion nbdroot uses, truncated or not. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>

#include "fmt.h"
#include "unit.h"

/* Both into buffers of 64 bytes filled with '#', with room for size bytes:
 * the same count, the same bytes, and nothing written past size. */
#define SAME(size, ...)                                                              \
	do {                                                                         \
		char a[64], b[64];                                                   \
		int ra, rb;                                                          \
		memset(a, '#', sizeof(a));                                           \
		memset(b, '#', sizeof(b));                                           \
		ra = snprintf(a, (size), __VA_ARGS__);                               \
		rb = fmt_snprintf(b, (size), __VA_ARGS__);                                   \
		CHECK(ra == rb && memcmp(a, b, sizeof(a)) == 0,                      \
		      "size %d, %s: glibc %d \"%.*s\", ours %d \"%.*s\"", (int)(size), \
		      #__VA_ARGS__, ra, (int)sizeof(a), a, rb, (int)sizeof(b), b);   \
		cases++;                                                             \
	} while (0)

int main(void)
{
	static const size_t sizes[] = { 64, 0, 1, 2, 5, 9, 17 };
	size_t i;
	int cases = 0;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];

		SAME(n, "plain text, no conversion");
		SAME(n, "%s", "");
		SAME(n, "%s: %s", "context", "what");
		SAME(n, "[%s]", "");
		SAME(n, "%sexport \"%.64s\"%s", "an ", "root", ".");
		SAME(n, "%.3s|%.0s|%.64s", "abcdef", "gone", "short");
		SAME(n, "%u %u %u", 0u, 42u, UINT_MAX);
		SAME(n, "%d %d %d %d", 0, -1, INT_MIN, INT_MAX);
		SAME(n, "%d", -4095);
		SAME(n, "<%d>nbdroot: %s: ", 3, "cmdline");
		SAME(n, "%lu %lu", 0ul, ULONG_MAX);
		SAME(n, "%zu of %zu", (size_t)16, SIZE_MAX);
		SAME(n, "%llu", ULLONG_MAX);
		SAME(n, "%llu bytes", 1073741824ull);
		SAME(n, "%x %x %x", 0u, 0xdeadbeefu, 0xabcdefu);
		SAME(n, "0x%08x", 0x25609513u);
		SAME(n, "%08x%08x", 0x1u, 0xffffffffu);
		SAME(n, "0x%016llx", 0x49484156454f5054ull);
		SAME(n, "0x%016llx", 0ull);
		SAME(n, "0x%04x", 0x3u);
		SAME(n, "0x%04x", 0x12345u);
		SAME(n, "%llx", 0x8000000000000000ull);
		SAME(n, "%5d|%05d|%3u|%s", -42, -42, 7u, "abc");
		SAME(n, "100%% sure, %s", "yes");
	}
	CHECK(cases == 24 * 7, "%d cases", cases);
	return unit_done("test-fmt");
}
