/* Logging: under systemd (stderr is the journal's stream, as
 * JOURNAL_STREAM says) every line goes through sd_journal_send with
 * structured fields (SOURCE=, URL=, CHANGE=, COMMIT=, CHANNEL=,
 * MESSAGE_ID=) so `journalctl SOURCE=wp85` finds a source's story;
 * otherwise one readable line on stderr. Never a secret: callers log
 * URLs of sources and the answers of receivers, which the notifier has
 * already stripped of paths and credentials. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

/* The CODE_FILE= of every entry would be this file: leave it out. */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

#include "redlined.h"

static int to_journal, verbose;

void log_verbose(int on)
{
	verbose = on;
}

void log_init(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char *end;

	/* JOURNAL_STREAM=DEV:INODE of the stream systemd connected; it
	 * counts only while stderr still is that stream. */
	to_journal = 0;
	if (!js || fstat(STDERR_FILENO, &st) < 0)
		return;
	dev = strtoull(js, &end, 10);
	if (*end != ':')
		return;
	ino = strtoull(end + 1, &end, 10);
	if (*end == '\0' && (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino)
		to_journal = 1;
}

static void journal(int priority, const log_fields *f, const char *msg)
{
	struct iovec iov[8];
	char *s[8];
	int n = 0;

#define FIELD(name, value)                                                                         \
	do {                                                                                       \
		if ((value) && *(value) && asprintf(&s[n], name "=%s", (value)) >= 0) {            \
			iov[n].iov_base = s[n];                                                    \
			iov[n].iov_len = strlen(s[n]);                                             \
			n++;                                                                       \
		}                                                                                  \
	} while (0)
	FIELD("MESSAGE", msg);
	if (asprintf(&s[n], "PRIORITY=%d", priority) >= 0) {
		iov[n].iov_base = s[n];
		iov[n].iov_len = strlen(s[n]);
		n++;
	}
	if (f) {
		FIELD("SOURCE", f->source);
		FIELD("URL", f->url);
		FIELD("CHANGE", f->change);
		FIELD("COMMIT", f->commit);
		FIELD("CHANNEL", f->channel);
		FIELD("MESSAGE_ID", f->message_id);
	}
#undef FIELD
	if (sd_journal_sendv(iov, n) < 0)
		fprintf(stderr, "%s\n", msg);
	for (int i = 0; i < n; i++)
		free(s[i]);
}

void daemon_logf(int priority, const log_fields *f, const char *fmt, ...)
{
	rl_buf b = RL_BUF_INIT;
	va_list ap;

	/* Every unchanged fetch of every source would drown the rest. */
	if (priority >= LOG_DEBUG && !verbose)
		return;
	if (f && f->source)
		rl_buf_printf(&b, "%s: ", f->source);
	va_start(ap, fmt);
	rl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (to_journal) {
		journal(priority, f, rl_buf_cstr(&b));
	} else {
		fprintf(stderr, "redlined: %s\n", rl_buf_cstr(&b));
		fflush(stderr);
	}
	rl_buf_free(&b);
}

void daemon_log(const char *source, const char *fmt, ...)
{
	log_fields f = {0};
	rl_buf b = RL_BUF_INIT;
	va_list ap;

	f.source = source;
	va_start(ap, fmt);
	rl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	daemon_logf(LOG_INFO, &f, "%s", rl_buf_cstr(&b));
	rl_buf_free(&b);
}
