/* Whether this machine hands its free memory back to a hypervisor
 * (redline/util.h).
 *
 * A virtual machine whose balloon reports free pages (virtio's
 * VIRTIO_BALLOON_F_REPORTING, Hyper-V's balloon since Linux 5.11) tells
 * the host which free blocks of 2 MiB or more it may take back, and the
 * host does, a few seconds after they were freed. The next use of such a
 * block costs a fault on the host for every 4 KiB of it, on top of the
 * guest's own: a transparent huge page is such a block, zeroed whole when
 * it is first touched. A compare of two 1 MB texts run once on such a
 * machine (Firecracker, here) took 72 ms with its heap advised onto huge
 * pages and 31 ms without; run again at once, while the blocks it had
 * freed were not yet reported, 18.6 and 28.9 ms (doc/differ.md). */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "redline/util.h"

/* The virtio device id of a memory balloon, and the bit of its features
 * that says it reports free pages (linux/virtio_ids.h,
 * linux/virtio_balloon.h). */
#define BALLOON_DEVICE_ID   "0x0005"
#define BALLOON_REPORTS_BIT 5

/* The first line of dir/name/attr into buf, without its newline; -1 when
 * it cannot be read. */
static int read_attr(const char *dir, const char *name, const char *attr, char *buf, size_t len)
{
	char path[4096];
	FILE *f;
	int rc = -1;

	if (snprintf(path, sizeof(path), "%s/%s/%s", dir, name, attr) >= (int)sizeof(path) ||
	    !(f = fopen(path, "r")))
		return -1;
	if (fgets(buf, (int)len, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		rc = 0;
	}
	fclose(f);
	return rc;
}

/* A virtio balloon that reports free pages: sysfs shows each device's
 * negotiated features as a string of 0s and 1s, bit 0 first. */
static int virtio_reports(const char *sysfs)
{
	char dir[4096], id[32], features[256];
	struct dirent *e;
	DIR *d;
	int reports = 0;

	if (snprintf(dir, sizeof(dir), "%s/bus/virtio/devices", sysfs) >= (int)sizeof(dir) ||
	    !(d = opendir(dir)))
		return 0;
	while (!reports && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' ||
		    read_attr(dir, e->d_name, "device", id, sizeof(id)) < 0 ||
		    strcmp(id, BALLOON_DEVICE_ID) != 0 ||
		    read_attr(dir, e->d_name, "features", features, sizeof(features)) < 0)
			continue;
		reports =
		    strlen(features) > BALLOON_REPORTS_BIT && features[BALLOON_REPORTS_BIT] == '1';
	}
	closedir(d);
	return reports;
}

int rl_free_memory_reported(const char *sysfs)
{
	char path[4096];
	struct stat st;

	if (!sysfs)
		sysfs = "/sys";
	if (virtio_reports(sysfs))
		return 1;
	/* Hyper-V's balloon reports free pages where the host asks it to,
	 * which sysfs does not show: taken as reporting. */
	return snprintf(path, sizeof(path), "%s/bus/vmbus/drivers/hv_balloon", sysfs) <
		   (int)sizeof(path) &&
	       stat(path, &st) == 0;
}
