/* overlay_opt.h: the values of nbdroot.overlay= and nbdroot.overlay_size=, checked before the init mounts anything. */
#ifndef NBDROOT_OVERLAY_OPT_H
#define NBDROOT_OVERLAY_OPT_H

#include <stddef.h>

#include "cmdline.h"

/* nbdroot.overlay=tmpfs|off (bare: tmpfs) -> *on. 0, or -1 with c's error. */
int overlay_type(const struct cmdline_ctx *c, const char *s, size_t len, int *on);

/* nbdroot.overlay_size=<N>[k|m|g|K|M|G] or <N>% (tmpfs's size= syntax,
 * not 0), copied to dst (16 bytes). 0, or -1 with c's error. */
int overlay_size(const struct cmdline_ctx *c, const char *s, size_t len, char *dst);

#endif
