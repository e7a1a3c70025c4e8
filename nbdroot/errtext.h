/* errtext.h: short texts for the errno values nbdroot can meet, without klibc's 4 KB sys_errlist. */
#ifndef NBDROOT_ERRTEXT_H
#define NBDROOT_ERRTEXT_H

/* A text for e; "errno N" for values outside the table (never NULL).
 * The result for unknown values lives in a static buffer. */
const char *errtext(int e);

#endif
