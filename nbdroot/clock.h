/* clock.h: a monotonic millisecond clock that works on klibc (no clock_gettime). */
#ifndef NBDROOT_CLOCK_H
#define NBDROOT_CLOCK_H

#include <stdint.h>

uint64_t clock_ms(void);

/* Milliseconds left until deadline (0 when passed), clamped to int for poll(). */
int clock_left_ms(uint64_t deadline);

#endif
