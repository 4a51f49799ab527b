/* Charsets: which one a page is in, and its text as UTF-8.
 *
 * The order is the web's (WHATWG "encoding sniffing"): a byte order mark,
 * then the Content-Type header, then a <meta> or XML declaration in the
 * first bytes, then a guess (valid UTF-8 is UTF-8; otherwise ICU's
 * detector, then windows-1252). Labels map the way browsers map them:
 * "euc-kr" is read as windows-949, "shift_jis" as windows-31j, "gb2312"
 * as GB18030, "iso-8859-1" as windows-1252, each a superset of what the
 * label names. Invalid bytes become U+FFFD and are counted in a warning. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/utf8.h>

#include "extract-int.h"

#define PRESCAN_BYTES         4096                /* where a <meta charset> must be */
#define DETECT_BYTES          ((size_t)64 * 1024) /* what the detector reads */
#define DETECT_MIN_CONFIDENCE 10
#define LABEL_MAX             40

/* clang-format off */
static const struct {
	const char *label;
	const char *name;
} labels[] = {
	{ "utf-8", "UTF-8" },
	{ "utf8", "UTF-8" },
	{ "unicode-1-1-utf-8", "UTF-8" },
	{ "euc-kr", "windows-949" },
	{ "ks_c_5601-1987", "windows-949" },
	{ "ks_c_5601-1989", "windows-949" },
	{ "ksc5601", "windows-949" },
	{ "ksc_5601", "windows-949" },
	{ "korean", "windows-949" },
	{ "windows-949", "windows-949" },
	{ "cp949", "windows-949" },
	{ "x-windows-949", "windows-949" },
	{ "uhc", "windows-949" },
	{ "csksc56011987", "windows-949" },
	{ "iso-ir-149", "windows-949" },
	{ "shift_jis", "windows-31j" },
	{ "shift-jis", "windows-31j" },
	{ "sjis", "windows-31j" },
	{ "x-sjis", "windows-31j" },
	{ "ms_kanji", "windows-31j" },
	{ "csshiftjis", "windows-31j" },
	{ "windows-31j", "windows-31j" },
	{ "ms932", "windows-31j" },
	{ "cp932", "windows-31j" },
	{ "euc-jp", "EUC-JP" },
	{ "x-euc-jp", "EUC-JP" },
	{ "iso-2022-jp", "ISO-2022-JP" },
	{ "gb2312", "GB18030" },
	{ "gbk", "GB18030" },
	{ "gb18030", "GB18030" },
	{ "x-gbk", "GB18030" },
	{ "cp936", "GB18030" },
	{ "windows-936", "GB18030" },
	{ "chinese", "GB18030" },
	{ "csgb2312", "GB18030" },
	{ "euc-cn", "GB18030" },
	{ "iso-ir-58", "GB18030" },
	{ "big5", "windows-950" },
	{ "cn-big5", "windows-950" },
	{ "x-x-big5", "windows-950" },
	{ "iso-8859-1", "windows-1252" },
	{ "iso8859-1", "windows-1252" },
	{ "iso_8859-1", "windows-1252" },
	{ "latin1", "windows-1252" },
	{ "l1", "windows-1252" },
	{ "us-ascii", "windows-1252" },
	{ "ascii", "windows-1252" },
	{ "cp1252", "windows-1252" },
	{ "windows-1252", "windows-1252" },
	{ "x-cp1252", "windows-1252" },
	{ "cp819", "windows-1252" },
	{ "ibm819", "windows-1252" },
	{ "utf-16", "UTF-16LE" },
	{ "utf-16le", "UTF-16LE" },
	{ "utf-16be", "UTF-16BE" },
};
/* clang-format on */

const char *rlx_charset_name(const char *label, size_t len)
{
	char l[LABEL_MAX + 1];
	UErrorCode st = U_ZERO_ERROR;
	const char *name;

	while (len && isspace((unsigned char)*label))
		label++, len--;
	while (len && isspace((unsigned char)label[len - 1]))
		len--;
	if (len == 0 || len > LABEL_MAX)
		return NULL;
	for (size_t i = 0; i < len; i++)
		l[i] = (char)tolower((unsigned char)label[i]);
	l[len] = '\0';
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].label, l) == 0)
			return labels[i].name;
	/* Anything else ICU knows by this name (koi8-r, iso-8859-5, ...). */
	name = ucnv_getAlias(l, 0, &st);
	return U_SUCCESS(st) ? name : NULL;
}

/* The value after `key` and '=' in s[0..n): charset=euc-kr, encoding="x". */
static int param(const char *s, size_t n, const char *key, const char **val, size_t *vlen)
{
	size_t k = strlen(key);

	for (size_t i = 0; i + k < n; i++) {
		size_t j;

		if (strncasecmp(s + i, key, k) != 0)
			continue;
		j = i + k;
		while (j < n && isspace((unsigned char)s[j]))
			j++;
		if (j >= n || s[j] != '=')
			continue;
		j++;
		while (j < n && (isspace((unsigned char)s[j]) || s[j] == '"' || s[j] == '\''))
			j++;
		*val = s + j;
		while (j < n && (isalnum((unsigned char)s[j]) || strchr("-_.:", s[j])))
			j++;
		*vlen = (size_t)(s + j - *val);
		if (*vlen)
			return 1;
	}
	return 0;
}

/* <meta charset=...>, <meta http-equiv content="...; charset=...">, or
 * <?xml ... encoding="..."?> among the first bytes. */
static int prescan(const char *s, size_t n, const char **val, size_t *vlen)
{
	if (n > PRESCAN_BYTES)
		n = PRESCAN_BYTES;
	for (size_t i = 0; i + 5 < n; i++) {
		const char *end;

		if (s[i] != '<')
			continue;
		end = memchr(s + i, '>', n - i);
		if (!end)
			return 0;
		if (strncasecmp(s + i, "<meta", 5) == 0 &&
		    param(s + i, (size_t)(end - (s + i)), "charset", val, vlen))
			return 1;
		if (strncmp(s + i, "<?xml", 5) == 0 &&
		    param(s + i, (size_t)(end - (s + i)), "encoding", val, vlen))
			return 1;
	}
	return 0;
}

/* Copies UTF-8 text, replacing invalid sequences with U+FFFD, turning CR
 * LF and CR into LF and dropping NUL and control bytes (tab, LF and form
 * feed, which separates pages of plain text, stay). Counts the bytes of
 * invalid sequences (bad), the NULs, and the valid sequences of more than
 * one byte (multi): what a UTF-8 reading made of the text. */
static int clean(rl_buf *out, const char *s, size_t n, size_t *bad, size_t *nuls, size_t *multi)
{
	size_t i = 0;

	if (rl_buf_grow(out, n + n / 2) < 0)
		return -1;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t at = i;
		int32_t cp;

		if (c >= 0x20 && c < 0x7F) {
			size_t j = rlx_ascii_end(s, i + 1, n, 0x20);

			rl_buf_put(out, s + i, j - i);
			i = j;
			continue;
		}
		if (c < 0x80) {
			i++;
			if (c == '\r') {
				rl_buf_putc(out, '\n');
				if (i < n && s[i] == '\n')
					i++;
			} else if (c == '\t' || c == '\n' || c == '\f') {
				rl_buf_putc(out, (char)c);
			} else if (c == 0) {
				(*nuls)++;
			}
			continue;
		}
		U8_NEXT((const uint8_t *)s, i, n, cp);
		if (cp < 0) {
			*bad += i - at;
			rl_buf_put(out, "\xEF\xBF\xBD", 3);
		} else {
			(*multi)++;
			rl_buf_put(out, s + at, i - at);
		}
	}
	return out->failed ? -1 : 0;
}

/* Whether clean would copy s as it is: printable ASCII, tab, line feed,
 * form feed and valid UTF-8 sequences, nothing else. */
static int clean_already(const char *s, size_t n)
{
	size_t i = 0;

	while ((i = rlx_plain_text_end(s, i, n)) < n) {
		int32_t cp;

		if ((unsigned char)s[i] < 0x80)
			return 0; /* another control character, or DEL */
		U8_NEXT((const uint8_t *)s, i, n, cp);
		if (cp < 0)
			return 0;
	}
	return 1;
}

struct bad_bytes {
	size_t *n; /* ICU hands the context back const: count through a pointer */
};

static void on_bad(const void *context, UConverterToUnicodeArgs *args, const char *units,
		   int32_t length, UConverterCallbackReason reason, UErrorCode *st)
{
	static const UChar fffd = 0xFFFD;
	const struct bad_bytes *b = context;

	(void)units;
	if (reason > UCNV_IRREGULAR)
		return;
	*b->n += (size_t)length;
	*st = U_ZERO_ERROR;
	ucnv_cbToUWriteUChars(args, &fffd, 1, 0, st);
}

static int convert(rl_buf *out, const char *name, const char *s, size_t n, size_t *bad,
		   rl_error *err)
{
	UErrorCode st = U_ZERO_ERROR;
	UConverter *cnv;
	size_t count = 0;
	struct bad_bytes b = {&count};
	int32_t got;
	size_t cap;

	if (n > INT32_MAX / 4)
		return rl_error_set(err, RL_EEXTRACT, "%zu bytes: too large to convert", n);
	cnv = ucnv_open(name, &st);
	if (U_FAILURE(st))
		return rl_error_set(err, RL_EEXTRACT, "charset %s: %s", name, u_errorName(st));
	ucnv_setToUCallBack(cnv, on_bad, &b, NULL, NULL, &st);
	cap = 3 * n + 16;
	for (int tries = 0; tries < 2; tries++) {
		rl_buf_reset(out);
		if (rl_buf_grow(out, cap) < 0) {
			ucnv_close(cnv);
			return rl_error_set(err, RL_ENOMEM, "out of memory");
		}
		st = U_ZERO_ERROR;
		count = 0;
		ucnv_resetToUnicode(cnv);
		got =
		    ucnv_toAlgorithmic(UCNV_UTF8, cnv, out->ptr, (int32_t)cap, s, (int32_t)n, &st);
		if (st != U_BUFFER_OVERFLOW_ERROR)
			break;
		cap = (size_t)got + 16;
	}
	ucnv_close(cnv);
	if (U_FAILURE(st))
		return rl_error_set(err, RL_EEXTRACT, "charset %s: %s", name, u_errorName(st));
	out->len = (size_t)got;
	out->ptr[out->len] = '\0';
	*bad = count;
	return 0;
}

/* ICU's guess, mapped through the label table; NULL when unsure. */
static const char *detect(const char *s, size_t n, int html)
{
	UErrorCode st = U_ZERO_ERROR;
	UCharsetDetector *csd = ucsdet_open(&st);
	const UCharsetMatch *m;
	const char *name = NULL, *got;

	if (U_FAILURE(st))
		return NULL;
	ucsdet_setText(csd, s, (int32_t)(n < DETECT_BYTES ? n : DETECT_BYTES), &st);
	ucsdet_enableInputFilter(csd, html ? 1 : 0);
	m = ucsdet_detect(csd, &st);
	if (U_SUCCESS(st) && m && ucsdet_getConfidence(m, &st) >= DETECT_MIN_CONFIDENCE &&
	    (got = ucsdet_getName(m, &st)) && U_SUCCESS(st))
		name = rlx_charset_name(got, strlen(got));
	ucsdet_close(csd);
	return name;
}

int rlx_decode(rl_buf *out, const char **text, size_t *text_len, const char *data, size_t len,
	       const char *content_type, int html, const char *where, rl_strv *warnings,
	       rl_error *err)
{
	const char *name = NULL, *val;
	size_t vlen, skip = 0, bad = 0, nuls = 0, multi = 0;
	rl_buf tmp = RL_BUF_INIT;
	int rc = 0;

	rl_buf_reset(out);
	*text = "";
	*text_len = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		name = "UTF-8", skip = 3;
	else if (len >= 2 && memcmp(data, "\xFF\xFE", 2) == 0)
		name = "UTF-16LE", skip = 2;
	else if (len >= 2 && memcmp(data, "\xFE\xFF", 2) == 0)
		name = "UTF-16BE", skip = 2;
	if (!name && content_type &&
	    param(content_type, strlen(content_type), "charset", &val, &vlen) &&
	    !(name = rlx_charset_name(val, vlen)) && warnings)
		rl_strv_pushf(warnings, "%s: unknown charset '%.*s' in Content-Type", where,
			      (int)(vlen > LABEL_MAX ? LABEL_MAX : vlen), val);
	if (!name && html && prescan(data, len, &val, &vlen)) {
		name = rlx_charset_name(val, vlen);
		/* A page cannot declare itself UTF-16 in bytes that read as ASCII. */
		if (name && strncmp(name, "UTF-16", 6) == 0)
			name = "UTF-8";
		if (!name && warnings)
			rl_strv_pushf(warnings, "%s: unknown charset '%.*s' in <meta>", where,
				      (int)(vlen > LABEL_MAX ? LABEL_MAX : vlen), val);
	}
	/* UTF-8 that reads as it is, as most does: the bytes themselves,
	 * not a copy of a megabyte written for the first time (half of
	 * decoding was its page faults) */
	if ((!name || strcmp(name, "UTF-8") == 0) && clean_already(data + skip, len - skip)) {
		*text = data + skip;
		*text_len = len - skip;
		return 1;
	}
	if (!name) {
		/* Read as UTF-8 at once, what it made of the text counted on
		 * the way (a census of its own was a pass over every byte):
		 * mostly UTF-8 with a few broken bytes is still UTF-8, and
		 * only a text that is not is read again. */
		if (clean(out, data, len, &bad, &nuls, &multi) < 0)
			return rl_error_set(err, RL_ENOMEM, "out of memory");
		if (bad == 0 || multi >= 4 * bad)
			name = "UTF-8";
		else if (!(name = detect(data, len, html)))
			name = "windows-1252";
		/* what the detector takes for UTF-8 is read already */
		if (strcmp(name, "UTF-8") != 0) {
			rl_buf_reset(out);
			bad = nuls = 0;
		}
	} else if (strcmp(name, "UTF-8") == 0 &&
		   clean(out, data + skip, len - skip, &bad, &nuls, &multi) < 0) {
		rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	if (rc == 0 && strcmp(name, "UTF-8") != 0) {
		size_t bad2 = 0;

		if ((rc = convert(&tmp, name, data + skip, len - skip, &bad, err)) == 0 &&
		    clean(out, tmp.ptr, tmp.len, &bad2, &nuls, &multi) < 0)
			rc = rl_error_set(err, RL_ENOMEM, "out of memory");
	}
	rl_buf_free(&tmp);
	if (rc < 0)
		return rc;
	if (bad && warnings)
		rl_strv_pushf(warnings, "%s: %zu invalid byte%s in %s replaced with U+FFFD", where,
			      bad, bad == 1 ? "" : "s", name);
	if (nuls && warnings)
		rl_strv_pushf(warnings, "%s: %zu NUL byte%s dropped", where, nuls,
			      nuls == 1 ? "" : "s");
	if (out->ptr)
		*text = out->ptr;
	*text_len = out->len;
	return 0;
}
