/*
 * rdap.c -- RDAP client and response parsers. See rdap.h.
 *
 * RFC 9224 bootstrap: {"services": [[[KEY...], [URL...]], ...]}, keys are
 * DNS labels (longest match of the domain's trailing labels) or CIDR
 * prefixes (longest prefix holding the address); of the URLs, the first
 * https one, else the first http one.
 * RFC 9083 responses: a domain object ("ldhName", "events" with
 * eventAction "registration", "nameservers", "entities"), an ip network
 * object ("handle", "name", "country", "startAddress", "endAddress",
 * "entities"); entities carry "roles" and a jCard (RFC 7095) in
 * "vcardArray": ["vcard", [[NAME, PARAMS, TYPE, VALUE], ...]]. The
 * registrar's abuse contact is an entity with role "abuse" inside the
 * entity with role "registrar" (ICANN's gTLD RDAP profile); an RIR's is
 * an "abuse" entity at any depth (RIPE: top level; ARIN: inside the
 * organisation's entity).
 *
 * Data: the three bootstrap files as jansson trees; a cache of answers
 * (array, linear search: a run asks at most a few thousand questions).
 */
#include "enrich/rdap.h"

#include <ctype.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/util.h"
#include "base/validate.h"

struct cached_domain {
	char key[254];
	struct rdap_domain d;
};

struct rdap {
	json_t *boot[3];		/* dns, ipv4, ipv6 (NULL: none) */
	char *ca_file;
	unsigned timeout_ms;
	int64_t interval_ms;		/* between two requests */
	int64_t last_ms;		/* when the last one started */
	CURL *curl;
	struct cached_domain *dc;
	size_t ndc;
	struct rdap_ip *ic;
	size_t nic;
	struct rdap_stats st;
};

const char *
rdap_status_name(enum rdap_status s)
{
	static const char *const names[] = { "ok", "not-found", "no-server",
	    "http-error", "too-big", "timeout", "redirect-refused",
	    "bad-answer", "error" };

	return (size_t)s < NITEMS(names) ? names[s] : "?";
}

static void
now_rfc3339(char buf[32])
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	time_rfc3339(buf, 32, (int64_t)ts.tv_sec * 1000000, 0);
}

/* ---- parsing ----------------------------------------------------------- */

/* A JSON string, sanitized into dst; "" (and *cut++) if not a string. */
static void
take_text(json_t *v, char *dst, size_t len, unsigned *cut)
{
	dst[0] = '\0';
	if (v == NULL)
		return;
	if (!json_is_string(v)) {
		(*cut)++;
		return;
	}
	text_sanitize(dst, len, json_string_value(v), json_string_length(v));
}

/* A host name (ldhName), lower case, into dst; 0 or -1. */
static int
take_host(json_t *v, char *dst, size_t len)
{
	const char *s;
	size_t n, i;

	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0 || n >= len || strlen(s) != n || !validate_hostname(s, n))
		return -1;
	for (i = 0; i < n; i++)
		dst[i] = (char)tolower((unsigned char)s[i]);
	if (dst[n - 1] == '.')
		n--;
	dst[n] = '\0';
	return 0;
}

static int
has_role(json_t *ent, const char *role)
{
	json_t *roles = json_object_get(ent, "roles"), *r;
	size_t i;

	if (!json_is_array(roles))
		return 0;
	json_array_foreach(roles, i, r) {
		if (i >= 16)
			break;
		if (json_is_string(r) && strcasecmp(json_string_value(r),
		    role) == 0)
			return 1;
	}
	return 0;
}

/* The first entity with role in arr, depth-first, depth levels down. */
static json_t *
find_role(json_t *arr, const char *role, int depth, unsigned *cut)
{
	json_t *e, *f;
	size_t i;

	if (!json_is_array(arr) || depth <= 0)
		return NULL;
	json_array_foreach(arr, i, e) {
		if (i >= RDAP_MAX_ENTITIES) {
			(*cut)++;
			break;
		}
		if (json_is_object(e) && has_role(e, role))
			return e;
	}
	json_array_foreach(arr, i, e) {
		if (i >= RDAP_MAX_ENTITIES)
			break;
		if (json_is_object(e) && (f = find_role(json_object_get(e,
		    "entities"), role, depth - 1, cut)) != NULL)
			return f;
	}
	return NULL;
}

/* 1 if the jCard property's parameters say "fax". */
static int
is_fax(json_t *params)
{
	json_t *t = json_object_get(params, "type"), *x;
	size_t i;

	if (json_is_string(t))
		return strcasecmp(json_string_value(t), "fax") == 0;
	json_array_foreach(t, i, x) {
		if (i >= 8)
			break;
		if (json_is_string(x) && strcasecmp(json_string_value(x),
		    "fax") == 0)
			return 1;
	}
	return 0;
}

/*
 * The fn, first valid email and first valid non-fax tel of an entity's
 * jCard. Invalid ones are counted in *cut.
 */
static void
vcard(json_t *ent, char *fn, size_t fnlen, char *email, size_t elen,
    char *tel, size_t tlen, unsigned *cut)
{
	json_t *va = json_object_get(ent, "vcardArray"), *props, *p;
	size_t i;

	if (fn != NULL)
		fn[0] = '\0';
	email[0] = tel[0] = '\0';
	if (!json_is_array(va) || json_array_size(va) != 2 ||
	    !json_is_array(props = json_array_get(va, 1))) {
		if (va != NULL)
			(*cut)++;
		return;
	}
	json_array_foreach(props, i, p) {
		const char *name, *v;
		json_t *val;
		size_t n;

		if (i >= 64) {
			(*cut)++;
			break;
		}
		if (!json_is_array(p) || json_array_size(p) < 4 ||
		    !json_is_string(json_array_get(p, 0)))
			continue;
		name = json_string_value(json_array_get(p, 0));
		val = json_array_get(p, 3);
		if (strcasecmp(name, "fn") == 0 && fn != NULL && fn[0] == '\0') {
			take_text(val, fn, fnlen, cut);
			continue;
		}
		if (!json_is_string(val))
			continue;
		v = json_string_value(val);
		n = json_string_length(val);
		if (strlen(v) != n) {
			(*cut)++;
			continue;
		}
		if (strcasecmp(name, "email") == 0 && email[0] == '\0') {
			if (n < elen && validate_email(v, n, 0))
				memcpy(email, v, n + 1);
			else
				(*cut)++;
		} else if (strcasecmp(name, "tel") == 0 && tel[0] == '\0' &&
		    !is_fax(json_array_get(p, 1))) {
			char buf[64];
			size_t k;

			if (strncasecmp(v, "tel:", 4) == 0) {
				v += 4;
				n -= 4;
			}
			k = strcspn(v, ";");	/* ";ext=..." */
			if (k < sizeof(buf)) {
				memcpy(buf, v, k);
				buf[k] = '\0';
			} else
				buf[0] = '\0';
			if (buf[0] != '\0' && validate_phone(buf) &&
			    k < tlen)
				memcpy(tel, buf, k + 1);
			else
				(*cut)++;
		}
	}
}

static json_t *
load(const uint8_t *body, size_t len, const char *want, char *err,
    size_t errlen)
{
	json_error_t je;
	json_t *root, *cls;

	root = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		char show[96];

		text_sanitize(show, sizeof(show), je.text, strlen(je.text));
		snprintf(err, errlen, "not JSON: %s (line %d)", show, je.line);
		return NULL;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "not a JSON object");
		json_decref(root);
		return NULL;
	}
	cls = json_object_get(root, "objectClassName");
	if (cls != NULL && (!json_is_string(cls) ||
	    strcasecmp(json_string_value(cls), want) != 0)) {
		char show[48] = "";

		if (json_is_string(cls))
			text_sanitize(show, sizeof(show),
			    json_string_value(cls), json_string_length(cls));
		snprintf(err, errlen, "objectClassName '%s', not '%s'", show,
		    want);
		json_decref(root);
		return NULL;
	}
	return root;
}

int
rdap_parse_domain(const uint8_t *body, size_t len, struct rdap_domain *out)
{
	struct rdap_meta m = out->m;
	json_t *root, *v, *x, *reg, *ab;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->m = m;
	if ((root = load(body, len, "domain", out->m.err,
	    sizeof(out->m.err))) == NULL) {
		out->m.status = RDAP_BAD;
		return -1;
	}
	if (take_host(json_object_get(root, "ldhName"), out->name,
	    sizeof(out->name)) != 0)
		out->m.cut++;
	v = json_object_get(root, "events");
	json_array_foreach(v, i, x) {
		json_t *act = json_object_get(x, "eventAction");
		json_t *date = json_object_get(x, "eventDate");
		int64_t us;

		if (i >= RDAP_MAX_ENTITIES) {
			out->m.cut++;
			break;
		}
		if (!json_is_string(act) || strcasecmp(json_string_value(act),
		    "registration") != 0)
			continue;
		if (json_is_string(date) && time_parse_rfc3339(
		    json_string_value(date), &us) == 0)
			time_rfc3339(out->created, sizeof(out->created), us, 0);
		else
			out->m.cut++;
		break;
	}
	v = json_object_get(root, "nameservers");
	json_array_foreach(v, i, x) {
		if (out->nns == RDAP_MAX_NS) {
			out->m.cut++;
			break;
		}
		if (take_host(json_object_get(x, "ldhName"),
		    out->ns[out->nns], sizeof(out->ns[0])) == 0)
			out->nns++;
		else
			out->m.cut++;
	}
	v = json_object_get(root, "entities");
	if ((reg = find_role(v, "registrar", 1, &out->m.cut)) != NULL) {
		char e[8], t[8];
		json_t *ids = json_object_get(reg, "publicIds");

		vcard(reg, out->registrar, sizeof(out->registrar), e, sizeof(e),
		    t, sizeof(t), &out->m.cut);
		json_array_foreach(ids, i, x) {
			json_t *type = json_object_get(x, "type");
			json_t *id = json_object_get(x, "identifier");

			if (i >= 8)
				break;
			if (json_is_string(type) && json_is_string(id) &&
			    strcasecmp(json_string_value(type),
			    "IANA Registrar ID") == 0) {
				const char *s = json_string_value(id);
				size_t n = strspn(s, "0123456789");

				if (n > 0 && n < sizeof(out->registrar_id) &&
				    s[n] == '\0')
					memcpy(out->registrar_id, s, n + 1);
				else
					out->m.cut++;
			}
		}
		ab = find_role(json_object_get(reg, "entities"), "abuse",
		    RDAP_MAX_DEPTH - 1, &out->m.cut);
	} else
		ab = NULL;
	if (ab == NULL)
		ab = find_role(v, "abuse", RDAP_MAX_DEPTH, &out->m.cut);
	if (ab != NULL)
		vcard(ab, NULL, 0, out->abuse_email, sizeof(out->abuse_email),
		    out->abuse_phone, sizeof(out->abuse_phone), &out->m.cut);
	json_decref(root);
	out->m.status = RDAP_OK;
	return 0;
}

int
rdap_parse_ip(const uint8_t *body, size_t len, struct rdap_ip *out)
{
	struct rdap_meta m = out->m;
	json_t *root, *v, *ab;
	char buf[64];

	memset(out, 0, sizeof(*out));
	out->m = m;
	if ((root = load(body, len, "ip network", out->m.err,
	    sizeof(out->m.err))) == NULL) {
		out->m.status = RDAP_BAD;
		return -1;
	}
	take_text(json_object_get(root, "handle"), out->handle,
	    sizeof(out->handle), &out->m.cut);
	take_text(json_object_get(root, "name"), out->name, sizeof(out->name),
	    &out->m.cut);
	v = json_object_get(root, "country");
	if (json_is_string(v) && json_string_length(v) == 2 &&
	    validate_country_letters(json_string_value(v), 2)) {
		out->country[0] = (char)toupper(
		    (unsigned char)json_string_value(v)[0]);
		out->country[1] = (char)toupper(
		    (unsigned char)json_string_value(v)[1]);
	} else if (v != NULL)
		out->m.cut++;
	take_text(json_object_get(root, "startAddress"), buf, sizeof(buf),
	    &out->m.cut);
	if (buf[0] != '\0' && addr_parse(buf, &out->start) != 0) {
		memset(&out->start, 0, sizeof(out->start));
		out->m.cut++;
	}
	take_text(json_object_get(root, "endAddress"), buf, sizeof(buf),
	    &out->m.cut);
	if (buf[0] != '\0' && addr_parse(buf, &out->end) != 0) {
		memset(&out->end, 0, sizeof(out->end));
		out->m.cut++;
	}
	if (out->start.family != out->end.family ||
	    addr_cmp(&out->start, &out->end) > 0) {
		memset(&out->start, 0, sizeof(out->start));
		memset(&out->end, 0, sizeof(out->end));
	}
	ab = find_role(json_object_get(root, "entities"), "abuse",
	    RDAP_MAX_DEPTH, &out->m.cut);
	if (ab != NULL)
		vcard(ab, out->abuse_name, sizeof(out->abuse_name),
		    out->abuse_email, sizeof(out->abuse_email),
		    out->abuse_phone, sizeof(out->abuse_phone), &out->m.cut);
	json_decref(root);
	out->m.status = RDAP_OK;
	return 0;
}

/* ---- bootstrap --------------------------------------------------------- */

/* The URL to use of an entry's URL list: first https, else first http. */
static const char *
pick_url(json_t *urls)
{
	const char *http = NULL;
	json_t *u;
	size_t i;

	json_array_foreach(urls, i, u) {
		const char *s = json_string_value(u);

		if (i >= 8 || s == NULL)
			break;
		if (strncmp(s, "https://", 8) == 0)
			return s;
		if (http == NULL && strncmp(s, "http://", 7) == 0)
			http = s;
	}
	return http;
}

static const char *
boot_dns(json_t *boot, const char *domain)
{
	json_t *svc = json_object_get(boot, "services"), *e, *k;
	const char *best = NULL;
	size_t i, j, dl = strlen(domain), bestlen = 0;

	json_array_foreach(svc, i, e) {
		json_array_foreach(json_array_get(e, 0), j, k) {
			const char *s = json_string_value(k);
			size_t n = s != NULL ? strlen(s) : 0;

			if (n == 0 || n > dl || n <= bestlen)
				continue;
			if (strcasecmp(domain + dl - n, s) == 0 &&
			    (n == dl || domain[dl - n - 1] == '.')) {
				const char *u = pick_url(json_array_get(e, 1));

				if (u != NULL) {
					best = u;
					bestlen = n;
				}
			}
		}
	}
	return best;
}

static const char *
boot_ip(json_t *boot, const struct addr *a)
{
	json_t *svc = json_object_get(boot, "services"), *e, *k;
	const char *best = NULL;
	int bestlen = -1;
	size_t i, j;

	json_array_foreach(svc, i, e) {
		json_array_foreach(json_array_get(e, 0), j, k) {
			struct prefix p;
			const char *s = json_string_value(k);

			if (s == NULL || prefix_parse(s, &p) != 0 ||
			    !prefix_contains(&p, a) || (int)p.len <= bestlen)
				continue;
			if (pick_url(json_array_get(e, 1)) != NULL) {
				best = pick_url(json_array_get(e, 1));
				bestlen = p.len;
			}
		}
	}
	return best;
}

int
rdap_bootstrap_dns(const uint8_t *body, size_t len, const char *domain,
    char *url, size_t urllen)
{
	json_t *root = json_loadb((const char *)body, len, 0, NULL);
	const char *u;
	int rc = -1;

	if (root != NULL && (u = boot_dns(root, domain)) != NULL &&
	    strlen(u) < urllen) {
		memcpy(url, u, strlen(u) + 1);
		rc = 0;
	}
	json_decref(root);
	return rc;
}

static int
load_boot(const char *path, json_t **out, char *errbuf)
{
	json_error_t je;
	json_t *svc;

	*out = NULL;
	if (path == NULL)
		return 0;
	if ((*out = json_load_file(path, 0, &je)) == NULL)
		return err_set(errbuf, "%s: %s", path, je.text);
	svc = json_object_get(*out, "services");
	if (!json_is_array(svc)) {
		json_decref(*out);
		*out = NULL;
		return err_set(errbuf, "%s: not an RDAP bootstrap file (RFC "
		    "9224: no \"services\" array)", path);
	}
	return 0;
}

struct rdap *
rdap_new(const struct rdap_settings *s, char *errbuf)
{
	struct rdap *r = xcalloc(1, sizeof(*r));

	if (load_boot(s->bootstrap_dns, &r->boot[0], errbuf) != 0 ||
	    load_boot(s->bootstrap_ipv4, &r->boot[1], errbuf) != 0 ||
	    load_boot(s->bootstrap_ipv6, &r->boot[2], errbuf) != 0)
		goto fail;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (r->curl = curl_easy_init()) == NULL) {
		err_set(errbuf, "libcurl could not start");
		goto fail;
	}
	r->ca_file = s->ca_file != NULL ? xstrdup(s->ca_file) : NULL;
	r->timeout_ms = s->timeout_ms > 0 ? s->timeout_ms : 10000;
	r->interval_ms = 60000 / (s->rate > 0 ? s->rate : 60);
	r->last_ms = -1;
	return r;
fail:
	rdap_free(r);
	return NULL;
}

void
rdap_free(struct rdap *r)
{
	int i;

	if (r == NULL)
		return;
	for (i = 0; i < 3; i++)
		json_decref(r->boot[i]);
	if (r->curl != NULL) {
		curl_easy_cleanup(r->curl);
		curl_global_cleanup();
	}
	free(r->ca_file);
	free(r->dc);
	free(r->ic);
	free(r);
}

void
rdap_stats(const struct rdap *r, struct rdap_stats *st)
{
	*st = r->st;
}

/* ---- HTTP -------------------------------------------------------------- */

struct body {
	uint8_t *p;
	size_t len;
	int over;
};

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct body *b = arg;
	size_t n = size * nmemb;

	if (n > RDAP_MAX_BYTES - b->len) {
		b->over = 1;
		return 0;	/* CURLE_WRITE_ERROR: stop reading */
	}
	memcpy(b->p + b->len, ptr, n);
	b->len += n;
	return n;
}

/* 1 if two URLs have the same scheme, host and port. */
static int
same_origin(const char *a, const char *b)
{
	static const CURLUPart parts[] = { CURLUPART_SCHEME, CURLUPART_HOST,
	    CURLUPART_PORT };
	CURLU *ua = curl_url(), *ub = curl_url();
	int same = ua != NULL && ub != NULL &&
	    curl_url_set(ua, CURLUPART_URL, a, 0) == CURLUE_OK &&
	    curl_url_set(ub, CURLUPART_URL, b, 0) == CURLUE_OK;
	size_t i;

	for (i = 0; same && i < NITEMS(parts); i++) {
		char *x = NULL, *y = NULL;

		same = curl_url_get(ua, parts[i], &x, CURLU_DEFAULT_PORT) ==
		    CURLUE_OK && curl_url_get(ub, parts[i], &y,
		    CURLU_DEFAULT_PORT) == CURLUE_OK && strcasecmp(x, y) == 0;
		curl_free(x);
		curl_free(y);
	}
	curl_url_cleanup(ua);
	curl_url_cleanup(ub);
	return same;
}

static void
pace(struct rdap *r)
{
	int64_t now = mono_ms(), due = r->last_ms + r->interval_ms;

	if (r->last_ms >= 0 && now < due) {
		struct timespec ts = { (time_t)((due - now) / 1000),
		    (long)((due - now) % 1000) * 1000000 };

		while (nanosleep(&ts, &ts) != 0)
			;
	}
	r->last_ms = mono_ms();
}

/*
 * GET url into *b (b->p: RDAP_MAX_BYTES, the caller's). Fills m (url,
 * at, and status/err unless the answer is 200). Returns 0 on 200.
 */
static int
get(struct rdap *r, const char *url, struct body *b, struct rdap_meta *m)
{
	struct curl_slist *hdr = NULL;
	char cur[RDAP_URL], show[128], errb[CURL_ERROR_SIZE];
	int64_t deadline = mono_ms() + r->timeout_ms;
	int hops;

	text_sanitize(m->url, sizeof(m->url), url, strlen(url));
	if (strlen(url) >= sizeof(cur)) {
		m->status = RDAP_ERROR;
		snprintf(m->err, sizeof(m->err), "URL too long");
		return -1;
	}
	memcpy(cur, url, strlen(url) + 1);
	hdr = curl_slist_append(hdr, "Accept: application/rdap+json");
	for (hops = 0;; hops++) {
		CURL *c = r->curl;
		CURLcode cc;
		long code = 0;
		char *loc = NULL;
		int64_t left;

		pace(r);
		if ((left = deadline - mono_ms()) <= 0) {
			m->status = RDAP_TIMEOUT;
			snprintf(m->err, sizeof(m->err), "no answer within %u "
			    "ms", r->timeout_ms);
			break;
		}
		r->st.queries++;
		b->len = 0;
		b->over = 0;
		errb[0] = '\0';
		curl_easy_reset(c);
		curl_easy_setopt(c, CURLOPT_URL, cur);
		/* http only where the bootstrap named an http server. */
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
		    strncmp(url, "http://", 7) == 0 ? "http" : "https");
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)left);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)left);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)RDAP_MAX_BYTES);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(c, CURLOPT_USERAGENT, "kyocho/" KYOCHO_VERSION);
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errb);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
		if (r->ca_file != NULL)
			curl_easy_setopt(c, CURLOPT_CAINFO, r->ca_file);
		cc = curl_easy_perform(c);
		now_rfc3339(m->at);
		if (b->over || cc == CURLE_FILESIZE_EXCEEDED) {
			m->status = RDAP_TOOBIG;
			snprintf(m->err, sizeof(m->err), "answer over %d bytes: "
			    "cut, not read", RDAP_MAX_BYTES);
			break;
		}
		if (cc == CURLE_OPERATION_TIMEDOUT) {
			m->status = RDAP_TIMEOUT;
			snprintf(m->err, sizeof(m->err), "no answer within %u "
			    "ms", r->timeout_ms);
			break;
		}
		if (cc != CURLE_OK) {
			m->status = RDAP_ERROR;
			text_sanitize(show, sizeof(show), errb[0] ? errb :
			    curl_easy_strerror(cc), strlen(errb[0] ? errb :
			    curl_easy_strerror(cc)));
			snprintf(m->err, sizeof(m->err), "%s", show);
			break;
		}
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (code == 200) {
			curl_slist_free_all(hdr);
			return 0;
		}
		if (code == 404) {
			m->status = RDAP_NOTFOUND;
			snprintf(m->err, sizeof(m->err), "not found (404)");
			break;
		}
		if (code >= 300 && code < 400 && curl_easy_getinfo(c,
		    CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc != NULL) {
			text_sanitize(show, sizeof(show), loc, strlen(loc));
			if (!same_origin(cur, loc) || strlen(loc) >= sizeof(cur)) {
				m->status = RDAP_REDIRECT;
				snprintf(m->err, sizeof(m->err), "redirect to "
				    "another server not followed: %s", show);
				break;
			}
			if (hops + 1 > RDAP_MAX_REDIRECTS) {
				m->status = RDAP_REDIRECT;
				snprintf(m->err, sizeof(m->err), "more than %d "
				    "redirects", RDAP_MAX_REDIRECTS);
				break;
			}
			memmove(cur, loc, strlen(loc) + 1);
			text_sanitize(m->url, sizeof(m->url), cur, strlen(cur));
			continue;
		}
		m->status = RDAP_HTTP;
		snprintf(m->err, sizeof(m->err), "HTTP status %ld%s", code,
		    code == 429 ? " (rate limited by the server)" : "");
		break;
	}
	curl_slist_free_all(hdr);
	r->st.failed++;
	return -1;
}

static void
query_url(char *buf, size_t len, const char *base, const char *kind,
    const char *what)
{
	size_t n = strlen(base);

	snprintf(buf, len, "%s%s%s/%s", base, n > 0 && base[n - 1] == '/' ?
	    "" : "/", kind, what);
}

void
rdap_domain(struct rdap *r, const char *domain, struct rdap_domain *out)
{
	struct body b = { NULL, 0, 0 };
	const char *base;
	char url[RDAP_URL];
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < r->ndc; i++)
		if (strcasecmp(r->dc[i].key, domain) == 0) {
			*out = r->dc[i].d;
			out->m.cached = 1;
			r->st.cache_hits++;
			return;
		}
	if (r->boot[0] == NULL || (base = boot_dns(r->boot[0], domain)) ==
	    NULL) {
		out->m.status = RDAP_NOSERVER;
		snprintf(out->m.err, sizeof(out->m.err), "%s", r->boot[0] ?
		    "the bootstrap file names no RDAP server for this "
		    "domain" : "no bootstrap file (rdap-bootstrap)");
		return;
	}
	query_url(url, sizeof(url), base, "domain", domain);
	b.p = xmalloc(RDAP_MAX_BYTES);
	if (get(r, url, &b, &out->m) == 0)
		rdap_parse_domain(b.p, b.len, out);
	free(b.p);
	r->dc = xreallocarray(r->dc, r->ndc + 1, sizeof(*r->dc));
	snprintf(r->dc[r->ndc].key, sizeof(r->dc[0].key), "%s", domain);
	r->dc[r->ndc++].d = *out;
}

static int
in_range(const struct rdap_ip *x, const struct addr *a)
{
	return x->m.status == RDAP_OK && x->start.family == a->family &&
	    addr_cmp(&x->start, a) <= 0 && addr_cmp(a, &x->end) <= 0;
}

void
rdap_ip(struct rdap *r, const struct addr *a, struct rdap_ip *out)
{
	struct body b = { NULL, 0, 0 };
	const char *base;
	json_t *boot = r->boot[a->family == 4 ? 1 : 2];
	char url[RDAP_URL], text[ADDR_STRLEN];
	size_t i;

	memset(out, 0, sizeof(*out));
	addr_format(a, text, sizeof(text));
	for (i = 0; i < r->nic; i++)
		if (in_range(&r->ic[i], a) || (r->ic[i].m.status != RDAP_OK &&
		    addr_cmp(&r->ic[i].start, a) == 0)) {
			*out = r->ic[i];
			out->m.cached = 1;
			r->st.cache_hits++;
			return;
		}
	if (boot == NULL || (base = boot_ip(boot, a)) == NULL) {
		out->m.status = RDAP_NOSERVER;
		snprintf(out->m.err, sizeof(out->m.err), "%s", boot ?
		    "the bootstrap file names no RDAP server for this "
		    "address" : a->family == 4 ? "no bootstrap file "
		    "(rdap-bootstrap-ipv4)" : "no bootstrap file "
		    "(rdap-bootstrap-ipv6)");
		return;
	}
	query_url(url, sizeof(url), base, "ip", text);
	b.p = xmalloc(RDAP_MAX_BYTES);
	if (get(r, url, &b, &out->m) == 0 &&
	    rdap_parse_ip(b.p, b.len, out) == 0 && !in_range(out, a)) {
		/* A range that does not hold the address: keep the answer,
		 * but do not let it speak for other addresses. */
		out->m.cut++;
		memset(&out->start, 0, sizeof(out->start));
		memset(&out->end, 0, sizeof(out->end));
	}
	free(b.p);
	r->ic = xreallocarray(r->ic, r->nic + 1, sizeof(*r->ic));
	r->ic[r->nic] = *out;
	if (!in_range(out, a))
		r->ic[r->nic].start = *a;	/* cache key of a failure */
	if (out->m.status != RDAP_OK)
		r->ic[r->nic].start = *a;
	r->nic++;
}
