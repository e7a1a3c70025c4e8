/* clock.c: a monotonic millisecond clock that works on klibc (no clock_gettime). */
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

#ifdef __KLIBC__
/* times() returns jiffies-based ticks since an arbitrary point: monotonic,
 * in USER_HZ units, which the kernel fixes at 100 on every architecture. */
uint64_t clock_ms(void)
{
	struct tms t;

	return (uint64_t)(unsigned long)times(&t) * 10u;
}
#else
uint64_t clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
#endif

int clock_left_ms(uint64_t deadline)
{
	uint64_t now = clock_ms();

	if (now >= deadline)
		return 0;
	if (deadline - now > 0x7fffffff)
		return 0x7fffffff;
	return (int)(deadline - now);
}
