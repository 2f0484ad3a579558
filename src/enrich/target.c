/*
 * target.c -- lookup targets: address, host name or URL (RFC 3986 3.2,
 * authority = [userinfo "@"] host [":" port]); registered domains from the
 * Public Suffix List (https://publicsuffix.org/list/, through libpsl);
 * defanging. See target.h. Input is untrusted: a phishing URL is built to
 * mislead ("https://bank.example@evil.example/" has host evil.example).
 */
#include "enrich/target.h"

#include <ctype.h>
#include <libpsl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "base/validate.h"

struct target_psl {
	psl_ctx_t *ctx;
	char source[300];
};

static int
has_nonascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

/* Host part h (hl bytes) into t. */
static int
set_host(struct target *t, const char *h, size_t hl, const char *arg,
    char *errbuf)
{
	char show[96], tmp[TARGET_HOST_MAX];
	size_t i;

	text_sanitize(show, sizeof(show), arg, strlen(arg));
	if (hl == 0)
		return err_set(errbuf, "'%s' has no host", show);
	if (h[0] == '[') {
		/* An IPv6 literal. */
		if (hl < 3 || h[hl - 1] != ']' || hl - 2 >= sizeof(tmp))
			return err_set(errbuf, "'%s': bad IPv6 literal", show);
		memcpy(tmp, h + 1, hl - 2);
		tmp[hl - 2] = '\0';
		if (addr_parse(tmp, &t->addr) != 0 || t->addr.family != 6)
			return err_set(errbuf, "'%s': bad IPv6 literal", show);
		t->is_addr = 1;
		addr_format(&t->addr, t->host, sizeof(t->host));
		return 0;
	}
	if (has_nonascii(h, hl))
		return err_set(errbuf, "'%s': the host name is not ASCII; give "
		    "its IDNA A-label form (xn--...), e.g. from `idn2`", show);
	if (hl >= sizeof(tmp))
		return err_set(errbuf, "'%s': host name over %d bytes", show,
		    TARGET_HOST_MAX - 1);
	for (i = 0; i < hl; i++)
		tmp[i] = (char)tolower((unsigned char)h[i]);
	tmp[hl] = '\0';
	if (addr_parse(tmp, &t->addr) == 0 && t->addr.family == 4) {
		t->is_addr = 1;
		addr_format(&t->addr, t->host, sizeof(t->host));
		return 0;
	}
	if (hl > 1 && tmp[hl - 1] == '.')
		tmp[--hl] = '\0';
	if (!validate_hostname(tmp, hl) || strchr(tmp, '_') != NULL)
		return err_set(errbuf, "'%s' is not an address, a host name or "
		    "a URL", show);
	memcpy(t->host, tmp, hl + 1);
	return 0;
}

/* Undo defanging an operator pasted back: "hxxp" -> "http" at the start,
 * "[.]" -> ".". Returns a copy (free it). */
static char *
refang(const char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *r = xmalloc(n + 1);

	for (i = 0; i < n; i++) {
		if (strncmp(s + i, "[.]", 3) == 0) {
			r[o++] = '.';
			i += 2;
		} else
			r[o++] = s[i];
	}
	r[o] = '\0';
	if (strncasecmp(r, "hxxp", 4) == 0)
		memcpy(r, "http", 4);
	return r;
}

static int parse(const char *arg, struct target *t, char *errbuf);

int
target_parse(const char *arg, struct target *t, char *errbuf)
{
	char *s = refang(arg);
	int rc = parse(s, t, errbuf);

	free(s);
	return rc;
}

static int
parse(const char *arg, struct target *t, char *errbuf)
{
	const char *sep, *auth, *end, *at, *hp, *colon;
	char show[96];
	size_t n = strlen(arg), i;

	memset(t, 0, sizeof(*t));
	text_sanitize(show, sizeof(show), arg, n);
	for (i = 0; i < n; i++)
		if ((unsigned char)arg[i] < 0x20 || arg[i] == 0x7f ||
		    arg[i] == ' ')
			return err_set(errbuf, "'%s' holds a blank or a control "
			    "character", show);
	if (addr_parse(arg, &t->addr) == 0) {
		t->is_addr = 1;
		addr_format(&t->addr, t->host, sizeof(t->host));
		return 0;
	}
	if ((sep = strstr(arg, "://")) == NULL)
		return set_host(t, arg, n, arg, errbuf);
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
	if (sep == arg || (size_t)(sep - arg) >= sizeof(t->scheme) ||
	    !isalpha((unsigned char)arg[0]))
		return err_set(errbuf, "'%s': bad URL scheme", show);
	for (i = 0; arg + i < sep; i++) {
		char c = arg[i];

		if (!isalnum((unsigned char)c) && c != '+' && c != '-' &&
		    c != '.')
			return err_set(errbuf, "'%s': bad URL scheme", show);
		t->scheme[i] = (char)tolower((unsigned char)c);
	}
	if (n >= sizeof(t->url))
		return err_set(errbuf, "'%s': URL over %d bytes", show,
		    TARGET_URL_MAX - 1);
	memcpy(t->url, arg, n + 1);
	auth = sep + 3;
	end = auth + strcspn(auth, "/?#");
	/* The last '@' ends the userinfo (a phishing trick). */
	hp = auth;
	for (at = auth; at < end; at++)
		if (*at == '@')
			hp = at + 1;
	if (*hp == '[') {
		const char *rb = memchr(hp, ']', (size_t)(end - hp));

		colon = rb != NULL && rb + 1 < end && rb[1] == ':' ? rb + 1 :
		    NULL;
		if (rb == NULL)
			return err_set(errbuf, "'%s': bad IPv6 literal", show);
	} else
		colon = memchr(hp, ':', (size_t)(end - hp));
	if (colon != NULL) {
		unsigned long port = 0;
		const char *p;

		if (colon + 1 == end || end - colon > 6)
			return err_set(errbuf, "'%s': bad port", show);
		for (p = colon + 1; p < end; p++) {
			if (!isdigit((unsigned char)*p))
				return err_set(errbuf, "'%s': bad port", show);
			port = port * 10 + (unsigned long)(*p - '0');
		}
		if (port == 0 || port > 65535)
			return err_set(errbuf, "'%s': bad port", show);
		t->port = (unsigned)port;
	} else
		colon = end;
	if (memchr(hp, '%', (size_t)(colon - hp)) != NULL)
		return err_set(errbuf, "'%s': percent-encoded host names are "
		    "not taken; decode it first", show);
	return set_host(t, hp, (size_t)(colon - hp), arg, errbuf);
}

struct target_psl *
target_psl_open(char *errbuf)
{
	struct target_psl *p = xcalloc(1, sizeof(*p));
	const char *dist = psl_dist_filename();

	/* psl_latest: the newer of the system file and the built-in list. */
	if ((p->ctx = psl_latest(NULL)) == NULL) {
		free(p);
		err_set(errbuf, "the Public Suffix List could not be loaded "
		    "(%s: install Debian's publicsuffix package)",
		    dist != NULL && dist[0] != '\0' ? dist :
		    "/usr/share/publicsuffix/public_suffix_list.dafsa");
		return NULL;
	}
	snprintf(p->source, sizeof(p->source), "psl:%s",
	    dist != NULL && dist[0] != '\0' ? dist : "libpsl built-in");
	return p;
}

void
target_psl_free(struct target_psl *p)
{
	if (p == NULL)
		return;
	psl_free(p->ctx);
	free(p);
}

const char *
target_psl_source(const struct target_psl *p)
{
	return p->source;
}

int
target_psl_regdom(const struct target_psl *p, struct target *t)
{
	const char *r;

	t->regdom[0] = '\0';
	if (t->is_addr)
		return -1;
	if ((r = psl_registrable_domain(p->ctx, t->host)) == NULL)
		return -1;
	snprintf(t->regdom, sizeof(t->regdom), "%s", r);
	return 0;
}
