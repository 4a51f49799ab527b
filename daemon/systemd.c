/* The service manager: READY=1 once configuration and archive are
 * loaded, STATUS= with a one-line summary when it changes, WATCHDOG=1
 * from the loop at half the interval systemd asked for, RELOADING=1 and
 * STOPPING=1 around a reload and a stop. Without NOTIFY_SOCKET every
 * call is a no-op. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "redlined.h"

static uint64_t watchdog_usec;
static int64_t last_ping, last_status_ms;
static char last_status[256];

void sd_init(rl_daemon *d)
{
	(void)d;
	if (sd_watchdog_enabled(0, &watchdog_usec) <= 0)
		watchdog_usec = 0;
}

long sd_wait_ms(void)
{
	if (!watchdog_usec)
		return -1;
	/* Wake at least four times per interval: a ping at half of it is
	 * then never late by more than a quarter. */
	return (long)(watchdog_usec / 4000) > 0 ? (long)(watchdog_usec / 4000) : 1;
}

static void status_line(const rl_daemon *d, char *out, size_t len)
{
	size_t failing = 0, owed = notify_owed(d);

	for (size_t i = 0; i < d->n_sources; i++)
		failing += (size_t)d->sources[i].failing;
	snprintf(out, len,
		 "%zu source%s (%zu failing), %zu fetch%s, %zu new version%s, "
		 "%zu notification%s delivered, %zu channel queue%s waiting",
		 d->n_sources, d->n_sources == 1 ? "" : "s", failing, d->fetches,
		 d->fetches == 1 ? "" : "es", d->versions, d->versions == 1 ? "" : "s",
		 d->delivered, d->delivered == 1 ? "" : "s", owed, owed == 1 ? "" : "s");
}

void sd_ready(rl_daemon *d)
{
	char line[256];

	status_line(d, line, sizeof(line));
	snprintf(last_status, sizeof(last_status), "%s", line);
	sd_notifyf(0, "READY=1\nSTATUS=%s\nMAINPID=%ld", line, (long)getpid());
	last_ping = rl_now_ms();
	if (watchdog_usec)
		sd_notify(0, "WATCHDOG=1");
}

void sd_reloading(void)
{
	sd_notify(0, "RELOADING=1\nSTATUS=reloading the configuration");
}

void sd_stopping(void)
{
	sd_notify(0, "STOPPING=1\nSTATUS=stopping");
}

void sd_tick(rl_daemon *d)
{
	int64_t now = rl_now_ms();
	char line[256];

	if (watchdog_usec && (now - last_ping) * 2000 >= (int64_t)watchdog_usec) {
		sd_notify(0, "WATCHDOG=1");
		last_ping = now;
	}
	/* STATUS= at most once a second: it is for people. */
	if (now - last_status_ms < 1000)
		return;
	last_status_ms = now;
	status_line(d, line, sizeof(line));
	if (strcmp(line, last_status) != 0) {
		snprintf(last_status, sizeof(last_status), "%s", line);
		sd_notifyf(0, "STATUS=%s", line);
	}
}
