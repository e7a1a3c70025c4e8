/* shquote.h: shell-sourceable KEY='value' output for values that came from untrusted input. */
#ifndef NBDROOT_SHQUOTE_H
#define NBDROOT_SHQUOTE_H

#include <stdio.h>

/* Print KEY='value' and a newline; a ' in value becomes '\'' . */
void shquote_print(FILE *f, const char *key, const char *value);
void shquote_print_u64(FILE *f, const char *key, unsigned long long value);

#endif
