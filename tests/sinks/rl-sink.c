/* rl-sink: the receiving ends the notification tests talk to, on
 * 127.0.0.1 or a unix socket, recording what arrives into files the
 * test scripts read.
 *
 *   rl-sink webhook --dir D --port-file F [--port N]
 *       An HTTP server (libmicrohttpd). Each request is saved as
 *       D/NNN.body and D/NNN.headers ("Name: value" lines) in arrival
 *       order; the answer's status is read from D/status on every request
 *       (200 when absent), so a test can make the receiver refuse.
 *   rl-sink smtp --dir D --port-file F [--port N]
 *       A minimal SMTP server (plain sockets, no TLS offered): each
 *       message's envelope and data go to D/NNN.eml.
 *   rl-sink notify-socket --path P --out F
 *       A unix datagram socket like systemd's NOTIFY_SOCKET: each
 *       datagram is appended to F, one assignment per line.
 *
 * --port 0 (the default) picks a free port; the port is written to
 * --port-file once the sink listens, so a restarted sink can reuse it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#define LINE_MAX_LEN 4096
#define BODY_MAX     (8 * 1024 * 1024)

static const char *dir;
static int seq;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static FILE *open_next(const char *ext)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%03d.%s.tmp", dir, seq, ext);
	return fopen(path, "w");
}

/* Files appear whole: written under .tmp, then renamed. */
static void publish(const char *ext)
{
	char tmp[4096], path[4096];

	snprintf(tmp, sizeof(tmp), "%s/%03d.%s.tmp", dir, seq, ext);
	snprintf(path, sizeof(path), "%s/%03d.%s", dir, seq, ext);
	rename(tmp, path);
}

static int write_port(const char *file, int port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%d\n", port);
	fclose(f);
	return rename(tmp, file);
}

/* --- webhook ----------------------------------------------------------- */

typedef struct req {
	char *body;
	size_t len;
	int too_big;
} req;

static int answer_status(void)
{
	char path[4096];
	int status = 200;
	FILE *f;

	snprintf(path, sizeof(path), "%s/status", dir);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d", &status) != 1)
			status = 200;
		fclose(f);
	}
	return status;
}

static enum MHD_Result save_header(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
	(void)kind;
	fprintf(cls, "%s: %s\n", k, v ? v : "");
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **state)
{
	req *r = *state;
	struct MHD_Response *resp;
	static const char ok[] = "thanks\n", no[] = "not now\n";
	enum MHD_Result ret;
	int status;
	FILE *f;

	(void)cls;
	(void)version;
	if (!r) {
		*state = calloc(1, sizeof(req));
		return *state ? MHD_YES : MHD_NO;
	}
	if (*size) {
		if (r->len + *size > BODY_MAX) {
			r->too_big = 1;
		} else {
			char *nb = realloc(r->body, r->len + *size + 1);

			if (!nb)
				return MHD_NO;
			r->body = nb;
			memcpy(r->body + r->len, data, *size);
			r->len += *size;
		}
		*size = 0;
		return MHD_YES;
	}
	status = answer_status();
	seq++;
	f = open_next("headers");
	if (f) {
		fprintf(f, "Method: %s\nPath: %s\n", method, url);
		MHD_get_connection_values(c, MHD_HEADER_KIND, save_header, f);
		fprintf(f, "Answered: %d\n", status);
		fclose(f);
		publish("headers");
	}
	f = open_next("body");
	if (f) {
		if (r->len)
			fwrite(r->body, 1, r->len, f);
		fclose(f);
		publish("body");
	}
	resp = MHD_create_response_from_buffer(status < 300 ? sizeof(ok) - 1 : sizeof(no) - 1,
					       (void *)(status < 300 ? ok : no),
					       MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
		    enum MHD_RequestTerminationCode code)
{
	req *r = *state;

	(void)cls;
	(void)c;
	(void)code;
	if (r) {
		free(r->body);
		free(r);
	}
	*state = NULL;
}

static int run_webhook(int port, const char *port_file)
{
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, (uint16_t)port, NULL, NULL,
			     on_request, NULL, MHD_OPTION_SOCK_ADDR, &sa,
			     MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "rl-sink: cannot listen on port %d\n", port);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (!info || write_port(port_file, info->port) < 0) {
		MHD_stop_daemon(d);
		return 1;
	}
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	return 0;
}

/* --- smtp -------------------------------------------------------------- */

static int read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;
	char c;

	while (n + 1 < len) {
		ssize_t k = read(fd, &c, 1);

		if (k <= 0)
			return -1;
		if (c == '\n') {
			if (n && buf[n - 1] == '\r')
				n--;
			buf[n] = '\0';
			return (int)n;
		}
		buf[n++] = c;
	}
	buf[n] = '\0';
	return (int)n;
}

static void say(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		return;
}

static void smtp_session(int fd)
{
	char line[LINE_MAX_LEN];
	FILE *f = NULL;

	say(fd, "220 rl-sink ESMTP\r\n");
	while (read_line(fd, line, sizeof(line)) >= 0) {
		if (strncasecmp(line, "EHLO", 4) == 0) {
			say(fd, "250-rl-sink\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n");
		} else if (strncasecmp(line, "HELO", 4) == 0) {
			say(fd, "250 rl-sink\r\n");
		} else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
			seq++;
			f = open_next("eml");
			if (f)
				fprintf(f, "X-Envelope-From: %s\n", line + 10);
			say(fd, "250 sender ok\r\n");
		} else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
			if (f)
				fprintf(f, "X-Envelope-To: %s\n", line + 8);
			say(fd, "250 recipient ok\r\n");
		} else if (strcasecmp(line, "DATA") == 0) {
			say(fd, "354 go ahead, end with <CRLF>.<CRLF>\r\n");
			while (read_line(fd, line, sizeof(line)) >= 0 && strcmp(line, ".") != 0)
				if (f)
					fprintf(f, "%s\n", line[0] == '.' ? line + 1 : line);
			if (f) {
				fclose(f);
				publish("eml");
				f = NULL;
			}
			say(fd, "250 queued as rl-sink\r\n");
		} else if (strcasecmp(line, "QUIT") == 0) {
			say(fd, "221 bye\r\n");
			break;
		} else if (strcasecmp(line, "RSET") == 0 || strcasecmp(line, "NOOP") == 0) {
			say(fd, "250 ok\r\n");
		} else {
			say(fd, "502 command not recognized\r\n");
		}
	}
	if (f)
		fclose(f);
}

static int run_smtp(int port, const char *port_file)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 8) < 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &sl) < 0) {
		fprintf(stderr, "rl-sink: smtp: %s\n", strerror(errno));
		return 1;
	}
	if (write_port(port_file, ntohs(sa.sin_port)) < 0)
		return 1;
	while (!stop) {
		int c = accept(s, NULL, NULL);

		if (c < 0)
			continue;
		smtp_session(c);
		close(c);
	}
	close(s);
	return 0;
}

/* --- notify socket ----------------------------------------------------- */

static int run_notify_socket(const char *path, const char *out)
{
	struct sockaddr_un sa;
	char buf[4096];
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	FILE *f = fopen(out, "a");

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	if (s < 0 || !f || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "rl-sink: notify-socket %s: %s\n", path, strerror(errno));
		return 1;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	while (!stop) {
		ssize_t k = recv(s, buf, sizeof(buf) - 1, 0);

		if (k < 0)
			continue;
		buf[k] = '\0';
		fprintf(f, "%s%s", buf, k && buf[k - 1] == '\n' ? "" : "\n");
	}
	fclose(f);
	close(s);
	unlink(path);
	return 0;
}

/* A restarted sink goes on numbering after what its predecessor saved. */
static void continue_numbering(void)
{
	DIR *dh = dir ? opendir(dir) : NULL;
	struct dirent *e;

	while (dh && (e = readdir(dh)))
		if (atoi(e->d_name) > seq)
			seq = atoi(e->d_name);
	if (dh)
		closedir(dh);
}

static void usage(void)
{
	fprintf(stderr, "usage: rl-sink webhook|smtp --dir D --port-file F [--port N]\n"
			"       rl-sink notify-socket --path P --out F\n");
}

int main(int argc, char **argv)
{
	const char *port_file = NULL, *path = NULL, *out = NULL;
	struct sigaction sa;
	int port = 0;

	if (argc < 2) {
		usage();
		return 2;
	}
	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--dir") == 0)
			dir = argv[i + 1];
		else if (strcmp(argv[i], "--port-file") == 0)
			port_file = argv[i + 1];
		else if (strcmp(argv[i], "--port") == 0)
			port = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--path") == 0)
			path = argv[i + 1];
		else if (strcmp(argv[i], "--out") == 0)
			out = argv[i + 1];
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a blocked accept/recv returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(argv[1], "notify-socket") == 0 && path && out)
		return run_notify_socket(path, out);
	if (!dir || !port_file) {
		usage();
		return 2;
	}
	continue_numbering();
	if (strcmp(argv[1], "webhook") == 0)
		return run_webhook(port, port_file);
	if (strcmp(argv[1], "smtp") == 0)
		return run_smtp(port, port_file);
	usage();
	return 2;
}
