/* The notifier: deliveries in flight on one curl multi handle plus exec
 * children, moved along without blocking so the daemon's one loop can
 * poll them beside its fetches. A delivery succeeds when every transport
 * of its channel said yes; the caller moves its cursor only then. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "notify-internal.h"
#include "redline/util.h"

#define EXEC_POLL_MS 50 /* re-check a hook that closed its output but lives */

int rl_notifier_new(rl_notifier **out, const rl_notify_opts *opts, rl_error *err)
{
	rl_notifier *n = calloc(1, sizeof(*n));

	*out = NULL;
	if (!n)
		return rl_error_set(err, RL_ENOMEM, "out of memory");
	n->multi = curl_multi_init();
	n->user_agent = strdup(opts && opts->user_agent ? opts->user_agent
							: "redline/" RL_VERSION " (notifications)");
	n->timeout_ms = opts && opts->timeout_ms > 0 ? opts->timeout_ms : RL_NOTIFY_TIMEOUT_MS;
	if (!n->multi || !n->user_agent) {
		rl_notifier_free(n);
		return rl_error_set(err, RL_ENOMEM, "cannot set up the notifier");
	}
	*out = n;
	return 0;
}

static void leg_clear(rl_notifier *n, nleg *l)
{
	if (l->easy) {
		curl_multi_remove_handle(n->multi, l->easy);
		curl_easy_cleanup(l->easy);
	}
	if (l->kind == LEG_EXEC && !l->reaped)
		leg_exec_perform(l, 1);
	curl_slist_free_all(l->headers);
	curl_slist_free_all(l->rcpt);
	rl_buf_free(&l->payload);
	rl_buf_free(&l->response);
	if (l->password) {
		explicit_bzero(l->password, strlen(l->password));
		free(l->password);
	}
	free(l->label);
	free(l->answer);
}

static void delivery_free(rl_notifier *n, ndelivery *d)
{
	for (size_t i = 0; i < d->n_legs; i++)
		leg_clear(n, &d->legs[i]);
	free(d->legs);
	free(d->tag);
	free(d->channel);
	free(d->key);
	free(d);
}

static void free_list(rl_notifier *n, ndelivery *d)
{
	while (d) {
		ndelivery *next = d->next;

		delivery_free(n, d);
		d = next;
	}
}

void rl_notifier_abort(rl_notifier *n)
{
	if (!n)
		return;
	free_list(n, n->active);
	n->active = NULL;
	n->n_active = 0;
}

void rl_notifier_free(rl_notifier *n)
{
	if (!n)
		return;
	rl_notifier_abort(n);
	free_list(n, n->done);
	curl_multi_cleanup(n->multi);
	free(n->user_agent);
	free(n);
}

void rl_delivery_free(rl_delivery *d)
{
	if (!d)
		return;
	free(d->tag);
	free(d->channel);
	free(d->key);
	free(d->answer);
	free(d);
}

size_t rl_notifier_pending(const rl_notifier *n)
{
	return n ? n->n_active + n->n_done : 0;
}

int rl_notifier_send(rl_notifier *n, const rl_channel *ch, const rl_notice *notice, const char *tag,
		     rl_error *err)
{
	ndelivery *d = calloc(1, sizeof(*d));
	int rc = 0;

	if (!d || !(d->legs = calloc(3, sizeof(nleg))))
		goto nomem;
	d->tag = rl_strdup(tag ? tag : "");
	d->channel = rl_strdup(ch->name);
	d->key = rl_strdup(notice->key ? notice->key : "");
	if (!d->tag || !d->channel || !d->key)
		goto nomem;
	if (ch->webhook)
		d->legs[d->n_legs++].kind = LEG_WEBHOOK;
	if (ch->smtp_url)
		d->legs[d->n_legs++].kind = LEG_SMTP;
	if (ch->exec)
		d->legs[d->n_legs++].kind = LEG_EXEC;
	if (d->n_legs == 0) {
		delivery_free(n, d);
		return rl_error_set(err, RL_ECONFIG,
				    "channel '%s' has no webhook, smtp-url or exec", ch->name);
	}
	for (size_t i = 0; i < d->n_legs && rc == 0; i++) {
		nleg *l = &d->legs[i];

		l->del = d;
		l->in_fd = l->out_fd = -1;
		rl_buf_init(&l->payload);
		rl_buf_init(&l->response);
		if (l->kind == LEG_WEBHOOK)
			rc = leg_webhook_start(n, l, ch, notice, err);
		else if (l->kind == LEG_SMTP)
			rc = leg_smtp_start(n, l, ch, notice, err);
		else
			rc = leg_exec_start(n, l, ch, notice, err);
	}
	if (rc < 0) {
		rl_error_prefix(err, "channel '%s'", ch->name);
		delivery_free(n, d);
		return rc;
	}
	d->next = n->active;
	n->active = d;
	n->n_active++;
	return 0;
nomem:
	if (d)
		delivery_free(n, d);
	return rl_error_set(err, RL_ENOMEM, "out of memory");
}

static nleg *leg_of(CURL *easy)
{
	char *p = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, &p);
	return (nleg *)(void *)p;
}

static int delivery_finished(const ndelivery *d)
{
	for (size_t i = 0; i < d->n_legs; i++)
		if (!d->legs[i].done)
			return 0;
	return 1;
}

/* Finished deliveries go to the done list, in the order they finished. */
static void collect(rl_notifier *n)
{
	ndelivery **pp = &n->active, **tail = &n->done;

	while (*tail)
		tail = &(*tail)->next;
	while (*pp) {
		ndelivery *d = *pp;

		if (!delivery_finished(d)) {
			pp = &d->next;
			continue;
		}
		*pp = d->next;
		d->next = NULL;
		*tail = d;
		tail = &d->next;
		n->n_active--;
		n->n_done++;
	}
}

int rl_notifier_perform(rl_notifier *n, rl_error *err)
{
	CURLMsg *msg;
	CURLMcode mc;
	int running = 0, left;

	mc = curl_multi_perform(n->multi, &running);
	if (mc != CURLM_OK)
		return rl_error_set(err, RL_ERROR, "notifier: %s", curl_multi_strerror(mc));
	while ((msg = curl_multi_info_read(n->multi, &left))) {
		nleg *l;

		if (msg->msg != CURLMSG_DONE)
			continue;
		l = leg_of(msg->easy_handle);
		if (!l)
			continue;
		if (l->kind == LEG_WEBHOOK)
			leg_webhook_done(l, msg->data.result);
		else
			leg_smtp_done(l, msg->data.result);
		curl_multi_remove_handle(n->multi, l->easy);
		curl_easy_cleanup(l->easy);
		l->easy = NULL;
	}
	for (ndelivery *d = n->active; d; d = d->next)
		for (size_t i = 0; i < d->n_legs; i++)
			if (d->legs[i].kind == LEG_EXEC && !d->legs[i].done)
				leg_exec_perform(&d->legs[i], 0);
	collect(n);
	return 0;
}

static int add_fd(struct curl_waitfd *fds, unsigned max, unsigned *k, int fd, short events)
{
	for (unsigned i = 0; i < *k; i++)
		if (fds[i].fd == fd) {
			fds[i].events |= events;
			return 0;
		}
	if (*k >= max)
		return -1;
	fds[*k].fd = fd;
	fds[*k].events = events;
	fds[*k].revents = 0;
	(*k)++;
	return 0;
}

int rl_notifier_fds(rl_notifier *n, struct curl_waitfd *fds, unsigned max, unsigned *n_fds,
		    long *timeout_ms)
{
	fd_set r, w, x;
	int maxfd = -1, full = 0;
	long t = -1;
	int64_t now = rl_now_ms();

	*n_fds = 0;
	*timeout_ms = -1;
	if (n->n_done) {
		*timeout_ms = 0;
		return 0;
	}
	if (!n->active)
		return 0;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&x);
	curl_multi_fdset(n->multi, &r, &w, &x, &maxfd);
	for (int fd = 0; fd <= maxfd && fd < FD_SETSIZE; fd++) {
		short ev = (short)((FD_ISSET(fd, &r) ? CURL_WAIT_POLLIN : 0) |
				   (FD_ISSET(fd, &w) ? CURL_WAIT_POLLOUT : 0) |
				   (FD_ISSET(fd, &x) ? CURL_WAIT_POLLPRI : 0));

		if (ev && add_fd(fds, max, n_fds, fd, ev) < 0)
			full = 1;
	}
	curl_multi_timeout(n->multi, &t);
	/* curl may have work without a descriptor (name resolution): then
	 * it says so through its timeout; with none at all, look soon. */
	if (maxfd < 0 && t < 0)
		t = EXEC_POLL_MS;
	for (ndelivery *d = n->active; d; d = d->next)
		for (size_t i = 0; i < d->n_legs; i++) {
			nleg *l = &d->legs[i];
			long left;

			if (l->kind != LEG_EXEC || l->done)
				continue;
			if (l->in_fd >= 0 &&
			    add_fd(fds, max, n_fds, l->in_fd, CURL_WAIT_POLLOUT) < 0)
				full = 1;
			if (l->out_fd >= 0 &&
			    add_fd(fds, max, n_fds, l->out_fd, CURL_WAIT_POLLIN) < 0)
				full = 1;
			left = l->out_fd < 0 ? EXEC_POLL_MS : (long)(l->deadline - now);
			if (left < 0)
				left = 0;
			if (t < 0 || left < t)
				t = left;
		}
	if (full && (t < 0 || t > EXEC_POLL_MS))
		t = EXEC_POLL_MS;
	*timeout_ms = t;
	return 0;
}

int rl_notifier_next(rl_notifier *n, rl_delivery **out)
{
	ndelivery *d = n->done;
	rl_delivery *r;
	rl_buf answer = RL_BUF_INIT;

	*out = NULL;
	if (!d)
		return 0;
	r = calloc(1, sizeof(*r));
	if (!r)
		return 0;
	n->done = d->next;
	n->n_done--;
	r->tag = d->tag;
	r->channel = d->channel;
	r->key = d->key;
	d->tag = d->channel = d->key = NULL;
	r->ok = 1;
	for (size_t i = 0; i < d->n_legs; i++) {
		if (i)
			rl_buf_puts(&answer, "; ");
		rl_buf_puts(&answer, d->legs[i].answer ? d->legs[i].answer : "?");
		r->ok = r->ok && d->legs[i].ok;
	}
	r->answer = rl_buf_detach(&answer, NULL);
	delivery_free(n, d);
	*out = r;
	return 1;
}

int rl_notifier_wait(rl_notifier *n, int timeout_ms, rl_error *err)
{
	struct curl_waitfd fds[64];
	struct pollfd pfd[64];
	int64_t end = rl_now_ms() + timeout_ms;
	int rc = 0;

	while (n->n_active && rc == 0) {
		unsigned k = 0;
		long t = -1;
		int64_t left = end - rl_now_ms();

		if (left <= 0)
			break;
		rc = rl_notifier_fds(n, fds, 64, &k, &t);
		if (t < 0 || t > left)
			t = (long)left;
		for (unsigned i = 0; i < k; i++) {
			pfd[i].fd = fds[i].fd;
			pfd[i].events = (short)((fds[i].events & CURL_WAIT_POLLIN ? POLLIN : 0) |
						(fds[i].events & CURL_WAIT_POLLOUT ? POLLOUT : 0) |
						(fds[i].events & CURL_WAIT_POLLPRI ? POLLPRI : 0));
		}
		if (rc == 0 && poll(pfd, k, (int)t) < 0 && errno != EINTR)
			rc = rl_error_set(err, RL_EIO, "poll: %s", strerror(errno));
		if (rc == 0)
			rc = rl_notifier_perform(n, err);
	}
	return rc;
}
