/* overlay.c: nbdroot.overlay=tmpfs: a RAM layer (its own tmpfs) over the read-only NBD root, as the new root. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "init.h"

/* The lower layer is mounted already (mount_root on OVERLAY_LOWER, read-only). */
void mount_overlay(const struct root_mount *rm)
{
	char data[256];
	const char *size = opt.overlay_size[0] ? opt.overlay_size : "50%";

	/* Its own tmpfs, not /run: systemd caps /run at 20% of RAM and the size
	 * is the user's to choose. */
	mkdir(OVERLAY_RW, 0755);
	snprintf(data, sizeof(data), "size=%s,mode=0755", size);
	if (mount("tmpfs", OVERLAY_RW, "tmpfs", 0, data) < 0)
		die("nbdroot.overlay_size=%s: tmpfs on %s refused it: %s (expected tmpfs's size= "
		    "syntax: a percentage of RAM such as 50%% or a size such as 512m or 2g)",
		    size, OVERLAY_RW, strerror(errno));
	if ((mkdir(OVERLAY_RW "/upper", 0755) < 0 && errno != EEXIST) ||
	    (mkdir(OVERLAY_RW "/work", 0755) < 0 && errno != EEXIST))
		die("overlay: mkdir upper, work in %s: %s", OVERLAY_RW, strerror(errno));
	snprintf(data, sizeof(data), "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", OVERLAY_LOWER,
		 OVERLAY_RW, OVERLAY_RW);
	if (mount("overlay", NEWROOT, "overlay", 0, data) < 0) {
		if (errno == ENODEV)
			die("nbdroot.overlay=%s: this kernel has no overlay filesystem and no module for "
			    "it is in this initramfs (build it with --add-modules overlay)", opt.overlay);
		die("nbdroot.overlay=%s: mount overlay (%s) on %s: %s", opt.overlay, data, NEWROOT,
		    strerror(errno));
	}
	info("root: overlay tmpfs size=%s on %s (%s, %s)", size, rm->dev, rm->fstype,
	     rm->ro ? "ro" : "rw");
}
