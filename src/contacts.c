/*
 * contacts.c -- the contact database: parser, validation, editing, atomic
 * saving and matching. Format: man/kyocho-contacts.5.
 *
 * Syntax references: addresses RFC 5321/5322 addr-spec (with RFC 6531
 * UTF-8), language tags RFC 5646 (BCP 47), URLs RFC 3986, security.txt
 * RFC 9116, AS numbers RFC 6793, country codes ISO 3166-1 alpha-2, traffic
 * light protocol FIRST TLP 2.0.
 *
 * The database keeps the file's bytes (buf) and, per record, the byte range
 * of its block of lines. Everything parsed from the bytes -- records,
 * fields, lists, diagnostics -- lives in an arena freed as a whole, so an
 * edit is: build the new text (untouched records copied byte for byte),
 * parse it into a fresh database, and swap it in only if it is no worse.
 */
#include "contacts.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define CONTACTS_FILE_MAX	(256u << 20)

/* ---- arena ------------------------------------------------------------- */

struct ablock {
	struct ablock *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct ablock *head;
	size_t bytes;		/* handed out so far (for contacts_arena_bytes) */
};

static void *
arena_alloc(struct arena *a, size_t n)
{
	struct ablock *b = a->head;
	size_t al = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	void *p;

	if (b == NULL || b->size - b->used < al) {
		size_t sz = al > 65536 ? al : 65536;

		b = xmalloc(sizeof(*b) + sz);
		b->size = sz;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += al;
	a->bytes += al;
	return p;
}

static char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void
arena_free(struct arena *a)
{
	struct ablock *b, *n;

	for (b = a->head; b != NULL; b = n) {
		n = b->next;
		free(b);
	}
	a->head = NULL;
	a->bytes = 0;
}

/* ---- the database --------------------------------------------------------- */

struct rec {
	struct contact c;
	size_t off, end;	/* bytes of the record's block in buf */
	unsigned line0;		/* line of the block's first byte */
};

struct contacts {
	char *path;
	uint8_t *buf;
	size_t len;
	struct arena ar;
	struct rec **recs;		/* records live in the arena */
	size_t nrecs, caprecs;
	struct pfield *pf;		/* parser scratch, during parse_all */
	size_t cappf;
	struct contacts_diag *diags;
	size_t ndiags, capdiags;
	size_t ninvalid;
	int dirty;
	int have_id;		/* file identity below is known */
	struct stat id;
	/* Zones inferred from countries: the only zone1970.tab lists, "" if
	 * none or several, computed once per country. */
	char (*cczone)[TZ_NAME_MAX];
	uint8_t *cczone_done;
};

/* Field names and whether they may repeat (lists accumulate). */
static const struct {
	const char *name;
	int multi;
} known[] = {
	{ "id", 0 }, { "org", 0 }, { "team", 0 }, { "kind", 0 },
	{ "country", 0 }, { "timezone", 0 }, { "hours", 1 },
	{ "languages", 1 }, { "email", 1 }, { "abuse-email", 1 },
	{ "phone", 1 }, { "emergency-phone", 1 }, { "url", 0 }, { "pgp", 0 },
	{ "asn", 1 }, { "prefixes", 1 }, { "constituency", 1 }, { "tlp", 0 },
	{ "first-id", 0 }, { "security-txt", 0 }, { "notes", 1 },
	{ "source", 1 }, { "verified", 0 },
};

static const char *const kind_names[CK_COUNT] = {
	[CK_OTHER] = "other",
	[CK_PEERING_ISP] = "peering-isp",
	[CK_TRANSIT_ISP] = "transit-isp",
	[CK_CUSTOMER] = "customer",
	[CK_NATIONAL_CSIRT] = "national-csirt",
	[CK_NATIONAL_POC] = "national-poc",
	[CK_CSIRT] = "csirt",
	[CK_FIRST_TEAM] = "first-team",
	[CK_NOG] = "nog",
	[CK_RIR] = "rir",
	[CK_ISAC] = "isac",
	[CK_ANTI_ABUSE] = "anti-abuse",
	[CK_LAW_ENFORCEMENT] = "law-enforcement",
	[CK_HOSTING] = "hosting",
	[CK_REGISTRAR] = "registrar",
	[CK_DOMESTIC_AGENCY] = "domestic-agency",
};

/* ISO 3166-1 alpha-2, as tzdata's iso3166.tab lists them (249 codes). */
static const char iso3166[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI "
    "BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN "
    "CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK "
    "FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK "
    "ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP "
    "NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF "
    "TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW";

const char *
contacts_kind_name(enum contact_kind k)
{
	return (unsigned)k < CK_COUNT ? kind_names[k] : "other";
}

int
contacts_kind_parse(const char *s)
{
	int i;

	for (i = 0; i < CK_COUNT; i++)
		if (strcasecmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

int
contacts_country_ok(const char *cc)
{
	const char *p;

	if (strlen(cc) != 2 || !isalpha((unsigned char)cc[0]) ||
	    !isalpha((unsigned char)cc[1]))
		return 0;
	for (p = iso3166; p + 2 <= iso3166 + sizeof(iso3166) - 1; p += 3)
		if (p[0] == toupper((unsigned char)cc[0]) &&
		    p[1] == toupper((unsigned char)cc[1]))
			return 1;
	return 0;
}

/* ---- syntax checks ------------------------------------------------------- */

static int
is_atext(int c)
{
	return isalnum(c) || strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL ||
	    c >= 0x80;
}

/* A DNS name of LDH labels (or UTF-8 labels, IDN), at least two labels,
 * a non-numeric top label. */
static int
domain_ok(const char *d, size_t n)
{
	size_t i, lab = 0, nlab = 0, last = 0;
	int alpha_top = 0;

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i <= n; i++) {
		int c = i < n ? (unsigned char)d[i] : '.';

		if (c == '.') {
			if (lab == 0 || lab > 63 || d[i - 1] == '-' ||
			    d[last] == '-')
				return 0;
			nlab++;
			alpha_top = 0;
			for (size_t k = last; k < i; k++)
				if (!isdigit((unsigned char)d[k]))
					alpha_top = 1;
			lab = 0;
			last = i + 1;
			continue;
		}
		if (!isalnum(c) && c != '-' && c < 0x80)
			return 0;
		lab++;
	}
	return nlab >= 2 && alpha_top;
}

int
contacts_email_ok(const char *s)
{
	const char *at = strrchr(s, '@');
	size_t ll, i;

	if (at == NULL || at == s)
		return 0;
	ll = (size_t)(at - s);
	if (ll > 64 || s[0] == '.' || at[-1] == '.')
		return 0;
	for (i = 0; i < ll; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return 0;
		if (s[i] != '.' && !is_atext((unsigned char)s[i]))
			return 0;
	}
	return domain_ok(at + 1, strlen(at + 1));
}

static int
alnum_run(const char *s, size_t n, int alpha, int digit)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (!((alpha && isalpha(c) && c < 0x80) ||
		    (digit && isdigit(c))))
			return 0;
	}
	return 1;
}

int
contacts_langtag_ok(const char *s)
{
	/* RFC 5646 section 2.1, well-formedness only. state: 0 language,
	 * 1 after a 2-3 letter language (extlang allowed), 2 after script
	 * position, 3 after region, 4 variants, 5 extensions, 6 private use.
	 * need: a singleton was just seen and a subtag must follow. */
	const char *p = s, *e;
	size_t n;
	int state = 0, need = 0, nextlang = 0;

	if (*s == '\0' || strlen(s) > 64)
		return 0;
	if ((s[0] == 'x' || s[0] == 'X') && s[1] == '-') {
		state = 6;
		need = 1;
		p = s + 2;
	}
	for (; ; p = e + 1) {
		e = strchr(p, '-');
		if (e == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (n == 0 || n > 8 || !alnum_run(p, n, 1, 1))
			return 0;
		if (state == 6) {
			need = 0;	/* 1*8alphanum */
		} else if (state == 0) {
			/* RFC 5646 reserves 4-letter primary subtags and allows
			 * 5-8 letter "registered" ones, but none is registered:
			 * "russian" or "japanese" are mistakes, so refuse them. */
			if (!alnum_run(p, n, 1, 0) || n < 2 || n > 3)
				return 0;
			state = 1;
		} else if (n == 1) {
			if (need)
				return 0;
			state = (*p == 'x' || *p == 'X') ? 6 : 5;
			need = 1;
		} else if (state == 5) {
			if (n < 2)
				return 0;
			need = 0;
		} else if (state == 1 && n == 3 && alnum_run(p, n, 1, 0) &&
		    nextlang < 3) {
			nextlang++;
		} else if (state <= 2 && n == 4 && alnum_run(p, n, 1, 0)) {
			state = 3;
		} else if (state <= 3 && ((n == 2 && alnum_run(p, n, 1, 0)) ||
		    (n == 3 && alnum_run(p, n, 0, 1)))) {
			state = 4;
		} else if (state <= 4 && (n >= 5 ||
		    (n == 4 && isdigit((unsigned char)*p)))) {
			state = 4;
		} else
			return 0;
		if (*e == '\0')
			break;
	}
	return !need;
}

int
contacts_url_ok(const char *s, int https_only)
{
	const char *h, *e;
	size_t i;

	if (strncmp(s, "https://", 8) == 0)
		h = s + 8;
	else if (!https_only && strncmp(s, "http://", 7) == 0)
		h = s + 7;
	else
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return 0;
	e = h + strcspn(h, "/?#");
	if (e > h && *h == '[') {
		char a[64];
		struct addr ad;
		const char *rb = memchr(h, ']', (size_t)(e - h));

		if (rb == NULL || (size_t)(rb - h - 1) >= sizeof(a))
			return 0;
		memcpy(a, h + 1, (size_t)(rb - h - 1));
		a[rb - h - 1] = '\0';
		return addr_parse(a, &ad) == 0 && ad.family == 6;
	}
	{
		const char *colon = memchr(h, ':', (size_t)(e - h));
		const char *hend = colon != NULL ? colon : e;
		char a[64];
		struct addr ad;

		if (colon != NULL) {
			const char *q;

			if (colon + 1 == e || e - colon > 6)
				return 0;
			for (q = colon + 1; q < e; q++)
				if (!isdigit((unsigned char)*q))
					return 0;
		}
		if (hend - h > 0 && (size_t)(hend - h) < sizeof(a)) {
			memcpy(a, h, (size_t)(hend - h));
			a[hend - h] = '\0';
			if (addr_parse(a, &ad) == 0)
				return 1;
		}
		/* A fully qualified name may end in a dot. */
		if (hend - h > 1 && hend[-1] == '.')
			hend--;
		return domain_ok(h, (size_t)(hend - h));
	}
}

static int
date_ok(const char *s)
{
	static const int md[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > md[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return y >= 1900;
}

static int
phone_ok(const char *s)
{
	int digits = 0;
	const char *p;

	if (s[0] != '+')
		return 0;
	for (p = s + 1; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (strchr(" -.()", *p) == NULL)
			return 0;
	}
	return digits >= 7 && digits <= 15;
}

/* "AS64496", "64496", "AS64496-AS64511". */
static int
asn_parse(const char *s, struct contact_asn *out)
{
	uint32_t v[2];
	int i;
	const char *p = s;

	for (i = 0; i < 2; i++) {
		unsigned long long x = 0;
		int nd = 0;

		if (strncasecmp(p, "AS", 2) == 0)
			p += 2;
		while (isdigit((unsigned char)*p) && nd < 11) {
			x = x * 10 + (unsigned)(*p++ - '0');
			nd++;
		}
		if (nd == 0 || x == 0 || x > 4294967295ULL)
			return -1;
		v[i] = (uint32_t)x;
		if (i == 0 && *p == '-') {
			p++;
			continue;
		}
		if (i == 0)
			v[1] = v[0];
		break;
	}
	if (*p != '\0' || v[1] < v[0])
		return -1;
	out->lo = v[0];
	out->hi = v[1];
	return 0;
}

static int
pgp_ok(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ')
			continue;
		if (!isxdigit((unsigned char)*s))
			return 0;
		n++;
	}
	return n == 40 || n == 64;
}

static int
tlp_ok(const char *s)
{
	static const char *const labels[] = {
		"AMBER+STRICT", "CLEAR", "GREEN", "AMBER", "RED", "WHITE",
	};
	size_t i, n;

	if (strncasecmp(s, "TLP:", 4) == 0)
		s += 4;
	for (i = 0; i < NITEMS(labels); i++) {
		n = strlen(labels[i]);
		if (strncasecmp(s, labels[i], n) == 0 &&
		    (s[n] == '\0' || s[n] == ' ' || s[n] == ';' || s[n] == ',' ||
		    s[n] == '\n'))
			return 1;
	}
	return 0;
}

static int
ident_ok(const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && strchr("._-", s[i]) == NULL)
			return 0;
	return 1;
}

/* ---- parsing ------------------------------------------------------------- */

/* One physical line of a field's value. */
struct vline {
	const char *s;
	size_t n;
	unsigned line;
};

/* A field being parsed. Most fields have one line, kept inline; more go
 * to the heap (parsing 10,000 records must not malloc per field). */
struct pfield {
	char key[32];		/* key_ok() allows at most 31 */
	struct vline inl[2];
	struct vline *heap;	/* all lines once there are more than 2 */
	size_t nlines, cap;
	unsigned line;
	int bad;		/* line had invalid UTF-8: skip validation */
};

#define PF_LINES(f)	((f)->heap != NULL ? (f)->heap : (f)->inl)

static void
diag(struct contacts *db, unsigned line, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
diag(struct contacts *db, unsigned line, const char *field, const char *fmt,
    ...)
{
	struct contacts_diag *d;
	va_list ap;

	if (db->ndiags == db->capdiags) {
		db->capdiags = db->capdiags ? db->capdiags * 2 : 16;
		db->diags = xreallocarray(db->diags, db->capdiags,
		    sizeof(*db->diags));
	}
	d = &db->diags[db->ndiags++];
	d->line = line;
	snprintf(d->field, sizeof(d->field), "%s", field != NULL ? field : "");
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
}

/* Quote user text safely into a diagnostic (at most 60 bytes of it). */
static const char *
quote(char *buf, size_t len, const char *s, size_t n)
{
	if (len > 64)
		len = 64;
	text_sanitize(buf, len, s, n);
	return buf;
}

static const char *
zone_for_country(struct contacts *db, const char *cc)
{
	int i;
	char err[ERRBUF_SIZE];

	if (!contacts_country_ok(cc))
		return NULL;
	i = (toupper((unsigned char)cc[0]) - 'A') * 26 +
	    (toupper((unsigned char)cc[1]) - 'A');
	if (db->cczone == NULL) {
		db->cczone = xcalloc(26 * 26, TZ_NAME_MAX);
		db->cczone_done = xcalloc(26 * 26, 1);
	}
	if (!db->cczone_done[i]) {
		char (*names)[TZ_NAME_MAX] = xcalloc(2, TZ_NAME_MAX);

		if (tz_country_zones(cc, names, 2, err) == 1)
			memcpy(db->cczone[i], names[0], TZ_NAME_MAX);
		free(names);
		db->cczone_done[i] = 1;
	}
	return db->cczone[i][0] != '\0' ? db->cczone[i] : NULL;
}

/* Split a value line into items at commas (and at blanks unless
 * commas_only); calls fn for each non-empty item. */
typedef void (*item_fn)(struct contacts *, struct contact *, const char *key,
    const char *item, unsigned line, void *ctx);

static void
each_item(struct contacts *db, struct contact *c, const struct pfield *f,
    int commas_only, item_fn fn, void *ctx)
{
	size_t i;

	const struct vline *lines = PF_LINES(f);

	for (i = 0; i < f->nlines; i++) {
		const char *p = lines[i].s, *end = p + lines[i].n;

		while (p < end) {
			const char *s;
			char item[512];
			size_t n;

			while (p < end && (*p == ',' || (!commas_only &&
			    (*p == ' ' || *p == '\t'))))
				p++;
			s = p;
			while (p < end && *p != ',' && (commas_only ||
			    (*p != ' ' && *p != '\t')))
				p++;
			n = (size_t)(p - s);
			while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
				n--;
			while (n > 0 && (*s == ' ' || *s == '\t'))
				s++, n--;
			if (n == 0)
				continue;
			if (n >= sizeof(item)) {
				char b[64];

				diag(db, lines[i].line, f->key, "'%s...' is "
				    "too long", quote(b, sizeof(b), s, n));
				continue;
			}
			memcpy(item, s, n);
			item[n] = '\0';
			fn(db, c, f->key, item, lines[i].line, ctx);
		}
	}
}

struct listacc {
	const char **v;
	size_t n, cap;
};

static void
acc_push(struct listacc *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = s;
}

struct itemctx {
	struct listacc acc;
	struct contact_asn *asns;
	size_t nasns, capasns;
	struct prefix *pfx;
	size_t npfx, cappfx;
};

static void
item_list(struct contacts *db, struct contact *c, const char *key,
    const char *item, unsigned line, void *vctx)
{
	struct itemctx *ctx = vctx;
	char b[64];
	int ok = 1;
	const char *what = "";

	(void)c;
	if (strcmp(key, "email") == 0 || strcmp(key, "abuse-email") == 0) {
		ok = contacts_email_ok(item);
		what = "is not an e-mail address (user@example.net)";
	} else if (strcmp(key, "phone") == 0 ||
	    strcmp(key, "emergency-phone") == 0) {
		ok = phone_ok(item);
		what = "is not an international phone number (+81 3 1234 5678)";
	} else if (strcmp(key, "languages") == 0) {
		ok = contacts_langtag_ok(item);
		what = "is not a BCP 47 language tag (ja, en, ru, pt-BR)";
	} else if (strcmp(key, "constituency") == 0) {
		ok = contacts_country_ok(item);
		what = "is not an ISO 3166-1 alpha-2 country code (JP, RU, BR)";
	} else if (strcmp(key, "source") == 0) {
		ok = contacts_url_ok(item, 0);
		what = "is not an http or https URL";
	}
	if (!ok) {
		diag(db, line, key, "'%s' %s", quote(b, sizeof(b), item,
		    strlen(item)), what);
		return;
	}
	if (strcmp(key, "constituency") == 0) {
		char *u = arena_strndup(&db->ar, item, 2);

		u[0] = (char)toupper((unsigned char)u[0]);
		u[1] = (char)toupper((unsigned char)u[1]);
		acc_push(&ctx->acc, u);
	} else
		acc_push(&ctx->acc, arena_strndup(&db->ar, item, strlen(item)));
}

static void
item_asn(struct contacts *db, struct contact *c, const char *key,
    const char *item, unsigned line, void *vctx)
{
	struct itemctx *ctx = vctx;
	struct contact_asn a;
	char b[64];

	(void)c;
	if (asn_parse(item, &a) != 0) {
		diag(db, line, key, "'%s' is not an AS number (AS64496, 64496 "
		    "or a range AS64496-AS64511; 1 to 4294967295)",
		    quote(b, sizeof(b), item, strlen(item)));
		return;
	}
	if (ctx->nasns == ctx->capasns) {
		ctx->capasns = ctx->capasns ? ctx->capasns * 2 : 4;
		ctx->asns = xreallocarray(ctx->asns, ctx->capasns, sizeof(a));
	}
	ctx->asns[ctx->nasns++] = a;
}

static void
item_prefix(struct contacts *db, struct contact *c, const char *key,
    const char *item, unsigned line, void *vctx)
{
	struct itemctx *ctx = vctx;
	struct prefix p;
	struct addr a;
	char b[64], host[64], f[64];
	const char *slash = strchr(item, '/');
	size_t hl = slash != NULL ? (size_t)(slash - item) : strlen(item);

	(void)c;
	if (prefix_parse(item, &p) != 0 || hl >= sizeof(host)) {
		diag(db, line, key, "'%s' is not an address prefix "
		    "(192.0.2.0/24, 2001:db8::/32)",
		    quote(b, sizeof(b), item, strlen(item)));
		return;
	}
	memcpy(host, item, hl);
	host[hl] = '\0';
	if (addr_parse(host, &a) == 0 && memcmp(a.b, p.addr.b, 16) != 0) {
		diag(db, line, key, "'%s' has host bits set (did you mean %s?)",
		    quote(b, sizeof(b), item, strlen(item)),
		    prefix_format(&p, f, sizeof(f)));
		return;
	}
	if (ctx->npfx == ctx->cappfx) {
		ctx->cappfx = ctx->cappfx ? ctx->cappfx * 2 : 4;
		ctx->pfx = xreallocarray(ctx->pfx, ctx->cappfx, sizeof(p));
	}
	ctx->pfx[ctx->npfx++] = p;
}

static void
finish_list(struct contacts *db, struct itemctx *ctx, struct contact_list *l)
{
	l->n = ctx->acc.n;
	l->v = arena_alloc(&db->ar, (ctx->acc.n + 1) * sizeof(char *));
	if (ctx->acc.n > 0)
		memcpy(l->v, ctx->acc.v, ctx->acc.n * sizeof(char *));
	free(ctx->acc.v);
	memset(&ctx->acc, 0, sizeof(ctx->acc));
}

static int
known_index(const char *key)
{
	size_t i;

	for (i = 0; i < NITEMS(known); i++)
		if (strcmp(key, known[i].name) == 0)
			return (int)i;
	return -1;
}

/* Join a field's lines with '\n' (or sep) into the arena. */
static char *
join(struct contacts *db, const struct pfield *f, char sep)
{
	const struct vline *lines = PF_LINES(f);
	size_t n = 0, i;
	char *s, *p;

	for (i = 0; i < f->nlines; i++)
		n += lines[i].n + 1;
	p = s = arena_alloc(&db->ar, n + 1);
	for (i = 0; i < f->nlines; i++) {
		if (i > 0)
			*p++ = sep;
		memcpy(p, lines[i].s, lines[i].n);
		p += lines[i].n;
	}
	*p = '\0';
	return s;
}

/*
 * The values of a repeated field (notes, hours), joined once when the
 * record ends: joining as each repeat comes would copy the text so far
 * every time, quadratic in memory and time (issue 19: a 1 MB file of
 * notes: lines exhausted memory). v is on the heap, the strings in the
 * arena.
 */
struct pieces {
	const char **v;
	size_t n, cap, bytes;
};

static void
pieces_add(struct pieces *pc, const char *s)
{
	if (pc->n == pc->cap) {
		pc->cap = pc->cap ? pc->cap * 2 : 4;
		pc->v = xreallocarray(pc->v, pc->cap, sizeof(*pc->v));
	}
	pc->v[pc->n++] = s;
	pc->bytes += strlen(s);
}

/* The pieces joined with sep into the arena (NULL if none); frees v. */
static char *
pieces_join(struct contacts *db, struct pieces *pc, const char *sep)
{
	size_t i, sl = strlen(sep), o = 0;
	char *s = NULL;

	if (pc->n == 1)
		s = (char *)pc->v[0];
	else if (pc->n > 1) {
		s = arena_alloc(&db->ar, pc->bytes + (pc->n - 1) * sl + 1);
		for (i = 0; i < pc->n; i++) {
			size_t l = strlen(pc->v[i]);

			if (i > 0) {
				memcpy(s + o, sep, sl);
				o += sl;
			}
			memcpy(s + o, pc->v[i], l);
			o += l;
		}
		s[o] = '\0';
	}
	free(pc->v);
	memset(pc, 0, sizeof(*pc));
	return s;
}

/* Validate a record's fields and fill c's parsed views. */
static void
build_record(struct contacts *db, struct contact *c, struct pfield *pf,
    size_t npf, unsigned first_line)
{
	size_t i, j, ndiag0 = db->ndiags;
	unsigned seen[NITEMS(known)];
	struct contact_field *fields;
	struct itemctx lists[7], actx, pctx;
	const char *lkeys[7] = { "languages", "email", "abuse-email", "phone",
	    "emergency-phone", "constituency", "source" };
	struct contact_list *ldst[7] = { &c->languages, &c->email,
	    &c->abuse_email, &c->phone, &c->emergency_phone, &c->constituency,
	    &c->source };
	char b[64], err[ERRBUF_SIZE];
	const char *hours_text;
	unsigned hours_line = 0, tzline = 0;
	struct pieces notes = { NULL, 0, 0, 0 }, hours = { NULL, 0, 0, 0 };

	memset(seen, 0, sizeof(seen));
	memset(lists, 0, sizeof(lists));
	memset(&actx, 0, sizeof(actx));
	memset(&pctx, 0, sizeof(pctx));
	c->id = c->org = c->team = c->kind_name = c->country = c->timezone =
	    c->url = c->pgp = c->tlp = c->first_id = c->security_txt =
	    c->verified = c->hours_text = c->notes = "";
	c->kind = CK_OTHER;
	fields = arena_alloc(&db->ar, (npf + 1) * sizeof(*fields));
	for (i = 0; i < npf; i++) {
		struct pfield *f = &pf[i];
		int k = known_index(f->key);
		char *v = join(db, f, '\n');

		fields[i].key = arena_strndup(&db->ar, f->key, strlen(f->key));
		fields[i].value = v;
		fields[i].line = f->line;
		if (k < 0 || f->bad)
			continue;
		if (!known[k].multi && seen[k]) {
			diag(db, f->line, f->key, "given twice (first at line %u)",
			    seen[k]);
			continue;
		}
		if (!seen[k])
			seen[k] = f->line;
		if (strcmp(f->key, "id") == 0) {
			if (!ident_ok(v, 64))
				diag(db, f->line, "id", "'%s' is not an id (letters, "
				    "digits, '.', '_', '-'; at most 64)",
				    quote(b, sizeof(b), v, strlen(v)));
			c->id = v;
		} else if (strcmp(f->key, "org") == 0) {
			if (*v == '\0')
				diag(db, f->line, "org", "empty");
			c->org = v;
		} else if (strcmp(f->key, "team") == 0)
			c->team = v;
		else if (strcmp(f->key, "kind") == 0) {
			int kk = contacts_kind_parse(v);

			if (kk < 0)
				diag(db, f->line, "kind", "'%s' is not a kind (one "
				    "of peering-isp, transit-isp, customer, "
				    "national-csirt, national-poc, csirt, "
				    "first-team, nog, rir, isac, anti-abuse, "
				    "law-enforcement, hosting, registrar, "
				    "domestic-agency, other)",
				    quote(b, sizeof(b), v, strlen(v)));
			else
				c->kind = (enum contact_kind)kk;
			c->kind_name = v;
		} else if (strcmp(f->key, "country") == 0) {
			if (!contacts_country_ok(v))
				diag(db, f->line, "country", "'%s' is not an ISO "
				    "3166-1 alpha-2 country code (JP, RU, BR)",
				    quote(b, sizeof(b), v, strlen(v)));
			else {
				v[0] = (char)toupper((unsigned char)v[0]);
				v[1] = (char)toupper((unsigned char)v[1]);
			}
			c->country = v;
		} else if (strcmp(f->key, "timezone") == 0) {
			c->timezone = v;
			if ((c->tz = tz_get(v, err)) == NULL)
				tzline = f->line;
		} else if (strcmp(f->key, "hours") == 0) {
			if (hours.n == 0)
				hours_line = f->line;
			pieces_add(&hours, v);
		} else if (strcmp(f->key, "url") == 0) {
			if (!contacts_url_ok(v, 0))
				diag(db, f->line, "url", "'%s' is not an http or "
				    "https URL", quote(b, sizeof(b), v, strlen(v)));
			c->url = v;
		} else if (strcmp(f->key, "security-txt") == 0) {
			if (!contacts_url_ok(v, 1))
				diag(db, f->line, "security-txt", "'%s' is not an "
				    "https URL (RFC 9116)",
				    quote(b, sizeof(b), v, strlen(v)));
			c->security_txt = v;
		} else if (strcmp(f->key, "pgp") == 0) {
			if (!pgp_ok(v))
				diag(db, f->line, "pgp", "'%s' is not a key "
				    "fingerprint (40 or 64 hex digits)",
				    quote(b, sizeof(b), v, strlen(v)));
			c->pgp = v;
		} else if (strcmp(f->key, "tlp") == 0) {
			if (!tlp_ok(v))
				diag(db, f->line, "tlp", "'%s' does not start with "
				    "a TLP label (TLP:CLEAR, TLP:GREEN, TLP:AMBER, "
				    "TLP:AMBER+STRICT, TLP:RED)",
				    quote(b, sizeof(b), v, strlen(v)));
			c->tlp = v;
		} else if (strcmp(f->key, "first-id") == 0) {
			if (!ident_ok(v, 64))
				diag(db, f->line, "first-id", "'%s' is not a FIRST "
				    "team id (letters, digits, '.', '_', '-')",
				    quote(b, sizeof(b), v, strlen(v)));
			c->first_id = v;
		} else if (strcmp(f->key, "verified") == 0) {
			if (!date_ok(v))
				diag(db, f->line, "verified", "'%s' is not a date "
				    "(YYYY-MM-DD)", quote(b, sizeof(b), v, strlen(v)));
			c->verified = v;
		} else if (strcmp(f->key, "notes") == 0)
			pieces_add(&notes, v);
		else if (strcmp(f->key, "asn") == 0)
			each_item(db, c, f, 0, item_asn, &actx);
		else if (strcmp(f->key, "prefixes") == 0)
			each_item(db, c, f, 0, item_prefix, &pctx);
		else {
			for (j = 0; j < NITEMS(lkeys); j++)
				if (strcmp(f->key, lkeys[j]) == 0)
					each_item(db, c, f, strstr(f->key,
					    "phone") != NULL, item_list,
					    &lists[j]);
		}
	}
	c->fields = fields;
	c->nfields = npf;
	if (notes.n > 0)
		c->notes = pieces_join(db, &notes, "\n");
	hours_text = pieces_join(db, &hours, "; ");
	for (j = 0; j < NITEMS(lkeys); j++)
		finish_list(db, &lists[j], ldst[j]);
	c->nasns = actx.nasns;
	if (actx.nasns > 0) {
		struct contact_asn *a = arena_alloc(&db->ar,
		    actx.nasns * sizeof(*a));

		memcpy(a, actx.asns, actx.nasns * sizeof(*a));
		c->asns = a;
	}
	free(actx.asns);
	c->nprefixes = pctx.npfx;
	if (pctx.npfx > 0) {
		struct prefix *p = arena_alloc(&db->ar, pctx.npfx * sizeof(*p));

		memcpy(p, pctx.pfx, pctx.npfx * sizeof(*p));
		c->prefixes = p;
	}
	free(pctx.pfx);
	if (hours_text != NULL) {
		c->hours_text = hours_text;
		struct hours h;

		if (hours_parse(hours_text, strlen(hours_text), &h, err) != 0)
			diag(db, hours_line, "hours", "%s", err);
		else {
			struct hours *hp = arena_alloc(&db->ar, sizeof(*hp));

			*hp = h;
			c->hours = hp;
			c->has_hours = 1;
		}
	}
	if (tzline != 0) {
		char sugg[256] = "";
		char (*names)[TZ_NAME_MAX] = xcalloc(8, TZ_NAME_MAX);
		int nz = contacts_country_ok(c->country) ?
		    tz_country_zones(c->country, names, 8, err) : 0, zi;
		size_t o = 0;

		for (zi = 0; zi < nz && o + 2 < sizeof(sugg); zi++)
			o += (size_t)snprintf(sugg + o, sizeof(sugg) - o, "%s%s",
			    zi ? ", " : "", names[zi]);
		free(names);
		if (nz > 0)
			diag(db, tzline, "timezone", "'%s' is not a known zone "
			    "(zones for %s: %s)", quote(b, sizeof(b), c->timezone,
			    strlen(c->timezone)), c->country, sugg);
		else
			diag(db, tzline, "timezone", "'%s' is not a known zone "
			    "(an IANA name such as Asia/Tokyo)", quote(b,
			    sizeof(b), c->timezone, strlen(c->timezone)));
	}
	if (c->tz == NULL && *c->timezone == '\0' && *c->country != '\0') {
		const char *zn = zone_for_country(db, c->country);

		if (zn != NULL && (c->tz = tz_get(zn, err)) != NULL)
			c->tz_inferred = 1;
	}
	if (*c->id == '\0' && !seen[0])
		diag(db, first_line, "id", "missing (every record needs a "
		    "unique id)");
	c->valid = db->ndiags == ndiag0;
}

static void
pf_addline(struct pfield *f, const char *s, size_t n, unsigned line)
{
	struct vline *v;

	if (f->heap == NULL && f->nlines == NITEMS(f->inl)) {
		f->cap = 8;
		f->heap = xreallocarray(NULL, f->cap, sizeof(*f->heap));
		memcpy(f->heap, f->inl, sizeof(f->inl));
	} else if (f->heap != NULL && f->nlines == f->cap) {
		f->cap *= 2;
		f->heap = xreallocarray(f->heap, f->cap, sizeof(*f->heap));
	}
	v = &PF_LINES(f)[f->nlines++];
	v->s = s;
	v->n = n;
	v->line = line;
}

/* Invalid UTF-8 or a control character (other than tab) on a line:
 * report it and return -1. */
static int
line_check(struct contacts *db, const char *s, size_t ln, unsigned line,
    const char *key)
{
	size_t bad, i;

	if (!utf8_valid(s, ln, &bad)) {
		diag(db, line, key, "invalid UTF-8 at byte %zu of the line",
		    bad + 1);
		return -1;
	}
	for (i = 0; i < ln; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f) {
			diag(db, line, key, "control character 0x%02x at byte "
			    "%zu of the line", (unsigned char)s[i], i + 1);
			return -1;
		}
	return 0;
}

static int
key_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 31 || !isalpha((unsigned char)s[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

static struct rec *
new_rec(struct contacts *db)
{
	struct rec *r;

	if (db->nrecs == db->caprecs) {
		db->caprecs = db->caprecs ? db->caprecs * 2 : 64;
		db->recs = xreallocarray(db->recs, db->caprecs, sizeof(*db->recs));
	}
	r = arena_alloc(&db->ar, sizeof(*r));
	memset(r, 0, sizeof(*r));
	db->recs[db->nrecs++] = r;
	return r;
}

/* Parse the block of lines buf[off, end) starting at line number line0. */
static void
parse_block(struct contacts *db, size_t off, size_t end, unsigned line0)
{
	struct pfield *pf = db->pf;	/* scratch, reused across blocks */
	size_t npf = 0, p = off, i;
	unsigned line = line0, first = 0, nlines = 0;
	int is_record = 0;
	size_t ndiag0 = db->ndiags;
	struct rec *r;

	while (p < end) {
		const char *s = (const char *)db->buf + p;
		const uint8_t *nl = memchr(db->buf + p, '\n', end - p);
		size_t n = nl != NULL ? (size_t)(nl - (db->buf + p)) : end - p;
		size_t ln = n, k;

		p += n + (nl != NULL);
		nlines++;
		if (ln > 0 && s[ln - 1] == '\r')
			ln--;
		if (s[0] == '#') {
			(void)line_check(db, s, ln, line, "comment");
			line++;
			continue;
		}
		if (!is_record) {
			is_record = 1;
			first = line;
		}
		if (s[0] == ' ' || s[0] == '\t') {
			const char *v = s;
			size_t vn = ln;

			while (vn > 0 && (*v == ' ' || *v == '\t'))
				v++, vn--;
			while (vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
				vn--;
			if (npf == 0) {
				diag(db, line, NULL, "continuation line (it starts "
				    "with a blank) with no field before it");
			} else {
				if (line_check(db, s, ln, line,
				    pf[npf - 1].key) != 0)
					pf[npf - 1].bad = 1;
				pf_addline(&pf[npf - 1], v, vn, line);
			}
			line++;
			continue;
		}
		/* key: value */
		for (k = 0; k < ln && s[k] != ':'; k++)
			;
		{
			size_t kl = k;

			while (kl > 0 && (s[kl - 1] == ' ' || s[kl - 1] == '\t'))
				kl--;
			if (k == ln || !key_ok(s, kl)) {
				char b[64];

				if (line_check(db, s, ln, line, NULL) == 0)
					diag(db, line, NULL, "expected 'key: "
					    "value', got '%s'", quote(b, sizeof(b),
					    s, ln));
				line++;
				continue;
			}
			if (npf == db->cappf) {
				db->cappf = db->cappf ? db->cappf * 2 : 32;
				pf = db->pf = xreallocarray(db->pf, db->cappf,
				    sizeof(*pf));
			}
			memset(&pf[npf], 0, sizeof(pf[npf]));
			memcpy(pf[npf].key, s, kl);	/* kl <= 31: key_ok */
			pf[npf].key[kl] = '\0';
			for (i = 0; i < kl; i++)
				pf[npf].key[i] = (char)tolower((unsigned char)
				    pf[npf].key[i]);
			pf[npf].line = line;
			if (line_check(db, s, ln, line, pf[npf].key) != 0)
				pf[npf].bad = 1;
			{
				const char *v = s + k + 1;
				size_t vn = ln - k - 1;

				while (vn > 0 && (*v == ' ' || *v == '\t'))
					v++, vn--;
				while (vn > 0 && (v[vn - 1] == ' ' ||
				    v[vn - 1] == '\t'))
					vn--;
				pf_addline(&pf[npf], v, vn, line);
			}
			npf++;
		}
		line++;
	}
	if (is_record) {
		r = new_rec(db);
		r->off = off;
		r->end = end;
		r->line0 = line0;
		r->c.line = first;
		r->c.nlines = nlines;
		build_record(db, &r->c, pf, npf, first);
		if (db->ndiags != ndiag0)
			r->c.valid = 0;
	}
	for (i = 0; i < npf; i++)
		free(pf[i].heap);
}

static void
check_ids(struct contacts *db)
{
	size_t i, j;

	/* Quadratic only in the worst case: sort indices by id. */
	size_t *ix = xreallocarray(NULL, db->nrecs + 1, sizeof(size_t));
	size_t n = 0;

	for (i = 0; i < db->nrecs; i++)
		if (*db->recs[i]->c.id != '\0')
			ix[n++] = i;
	/* insertion into a hash would be faster; qsort with a context-free
	 * comparator needs a global, so use a simple hash table here. */
	{
		size_t cap = 1, *tab;

		while (cap < n * 2 + 2)
			cap <<= 1;
		tab = xreallocarray(NULL, cap, sizeof(size_t));
		for (i = 0; i < cap; i++)
			tab[i] = SIZE_MAX;
		for (j = 0; j < n; j++) {
			struct contact *c = &db->recs[ix[j]]->c;
			uint64_t h = 1469598103934665603ULL;
			const char *s;

			for (s = c->id; *s != '\0'; s++)
				h = (h ^ (unsigned char)*s) * 1099511628211ULL;
			for (i = h & (cap - 1); tab[i] != SIZE_MAX;
			    i = (i + 1) & (cap - 1)) {
				struct contact *o = &db->recs[tab[i]]->c;

				if (strcmp(o->id, c->id) == 0)
					break;
			}
			if (tab[i] == SIZE_MAX) {
				tab[i] = ix[j];
				continue;
			}
			{
				char b[64];
				const struct contact *o = &db->recs[tab[i]]->c;
				unsigned idline = c->line;
				size_t f;

				for (f = 0; f < c->nfields; f++)
					if (strcmp(c->fields[f].key, "id") == 0) {
						idline = c->fields[f].line;
						break;
					}
				for (f = 0; f < o->nfields; f++)
					if (strcmp(o->fields[f].key, "id") == 0)
						break;
				diag(db, idline, "id", "'%s' is already used by the "
				    "record at line %u", quote(b, sizeof(b), c->id,
				    strlen(c->id)), f < o->nfields ?
				    o->fields[f].line : o->line);
				c->valid = 0;
			}
		}
		free(tab);
	}
	free(ix);
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct contacts_diag *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return 0;
}

static void
parse_all(struct contacts *db)
{
	size_t p = 0, blk = 0;
	unsigned line = 1, blkline = 1;
	int inblk = 0;
	size_t i;

	/* A UTF-8 byte order mark (Windows editors add one) is skipped, and
	 * kept on save as the bytes before the first record. */
	if (db->len >= 3 && memcmp(db->buf, "\xef\xbb\xbf", 3) == 0)
		p = 3;

	while (p < db->len) {
		const uint8_t *nl = memchr(db->buf + p, '\n', db->len - p);
		size_t n = nl != NULL ? (size_t)(nl - (db->buf + p)) : db->len - p;
		size_t k;
		int blank = 1;

		for (k = 0; k < n; k++)
			if (db->buf[p + k] != ' ' && db->buf[p + k] != '\t' &&
			    db->buf[p + k] != '\r') {
				blank = 0;
				break;
			}
		if (blank && inblk) {
			parse_block(db, blk, p, blkline);
			inblk = 0;
		} else if (!blank && !inblk) {
			inblk = 1;
			blk = p;
			blkline = line;
		}
		p += n + (nl != NULL);
		line++;
	}
	if (inblk)
		parse_block(db, blk, db->len, blkline);
	free(db->pf);
	db->pf = NULL;
	db->cappf = 0;
	check_ids(db);
	/* Diagnostics in line order (a stable sort keeps a line's order). */
	for (i = 1; i < db->ndiags; i++) {
		struct contacts_diag d = db->diags[i];
		size_t j = i;

		while (j > 0 && diag_cmp(&db->diags[j - 1], &d) > 0) {
			db->diags[j] = db->diags[j - 1];
			j--;
		}
		db->diags[j] = d;
	}
	db->ninvalid = 0;
	for (i = 0; i < db->nrecs; i++)
		if (!db->recs[i]->c.valid)
			db->ninvalid++;
}

/* Parse buf[0..len), which must have room for a NUL at buf[len]; the
 * database takes ownership of buf. */
static struct contacts *
parse_owned(const char *name, uint8_t *buf, size_t len)
{
	struct contacts *db = xcalloc(1, sizeof(*db));

	db->path = xstrdup(name);
	db->buf = buf;
	db->buf[len] = '\0';
	db->len = len;
	parse_all(db);
	return db;
}

struct contacts *
contacts_parse(const char *name, const uint8_t *p, size_t len)
{
	uint8_t *buf = xmalloc(len + 1);

	if (len > 0)
		memcpy(buf, p, len);
	return parse_owned(name, buf, len);
}

size_t
contacts_arena_bytes(const struct contacts *db)
{
	return db->ar.bytes;
}

void
contacts_free(struct contacts *db)
{
	if (db == NULL)
		return;
	arena_free(&db->ar);
	free(db->path);
	free(db->buf);
	free(db->recs);
	free(db->diags);
	free(db->cczone);
	free(db->cczone_done);
	free(db);
}

int
contacts_load(const char *path, int create, struct contacts **out,
    char *errbuf)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT && create) {
			*out = contacts_parse(path, (const uint8_t *)"", 0);
			return 0;
		}
		return err_set(errbuf, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(errbuf, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > CONTACTS_FILE_MAX) {
		close(fd);
		return err_set(errbuf, "%s: larger than %u MiB", path,
		    CONTACTS_FILE_MAX >> 20);
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			free(buf);
			return err_set(errbuf, "%s: %s", path, strerror(e));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*out = parse_owned(path, buf, got);	/* buf has st_size + 1 bytes */
	(*out)->have_id = 1;
	(*out)->id = st;
	return 0;
}

const char *
contacts_path(const struct contacts *db)
{
	return db->path;
}

size_t
contacts_count(const struct contacts *db)
{
	return db->nrecs;
}

const struct contact *
contacts_get(const struct contacts *db, size_t i)
{
	return i < db->nrecs ? &db->recs[i]->c : NULL;
}

size_t
contacts_ninvalid(const struct contacts *db)
{
	return db->ninvalid;
}

long
contacts_find(const struct contacts *db, const char *id)
{
	size_t i;

	for (i = 0; i < db->nrecs; i++)
		if (db->recs[i]->c.valid && strcmp(db->recs[i]->c.id, id) == 0)
			return (long)i;
	return -1;
}

const char *
contact_field(const struct contact *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i].key, key) == 0)
			return c->fields[i].value;
	return NULL;
}

size_t
contacts_ndiags(const struct contacts *db)
{
	return db->ndiags;
}

const struct contacts_diag *
contacts_diag(const struct contacts *db, size_t i)
{
	return i < db->ndiags ? &db->diags[i] : NULL;
}

char *
contacts_diag_format(const struct contacts *db, size_t i, char *buf,
    size_t len)
{
	const struct contacts_diag *d = contacts_diag(db, i);

	if (d == NULL)
		snprintf(buf, len, "?");
	else if (d->field[0] != '\0')
		snprintf(buf, len, "%s:%u: %s: %s", db->path, d->line, d->field,
		    d->msg);
	else
		snprintf(buf, len, "%s:%u: %s", db->path, d->line, d->msg);
	return buf;
}

/* ---- editing --------------------------------------------------------------- */

struct sbuf {
	char *s;
	size_t n, cap;
};

static void
sb_add(struct sbuf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		while (b->n + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->s = xreallocarray(b->s, b->cap, 1);
	}
	memcpy(b->s + b->n, p, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* "key: value" with continuation lines for embedded newlines; blank value
 * lines are dropped (a blank line would end the record). */
static void
emit_field(struct sbuf *b, const char *key, const char *value)
{
	const char *p = value;
	int first = 1;

	sb_str(b, key);
	sb_str(b, ":");
	while (*p != '\0' || first) {
		const char *e = strchr(p, '\n');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		const char *s = p;
		size_t m = n;

		while (m > 0 && (*s == ' ' || *s == '\t' || *s == '\r'))
			s++, m--;
		while (m > 0 && (s[m - 1] == ' ' || s[m - 1] == '\t' ||
		    s[m - 1] == '\r'))
			m--;
		if (m > 0 || first) {
			sb_str(b, first ? (m > 0 ? " " : "") : "\n  ");
			sb_add(b, s, m);
		}
		first = 0;
		p += n + (e != NULL);
		if (e == NULL)
			break;
	}
	sb_str(b, "\n");
}

static int
kv_valid(const struct contacts_kv *kv, size_t n, char *errbuf)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (kv[i].key == NULL || !key_ok(kv[i].key, strlen(kv[i].key)))
			return err_set(errbuf, "'%s' is not a field name",
			    kv[i].key != NULL ? kv[i].key : "(null)");
	}
	return 0;
}

/*
 * The text of record r rebuilt with kv applied: its lines are re-emitted
 * in order -- comments verbatim, fields whose key kv does not name
 * verbatim (with their continuation lines), a named field's first
 * occurrence replaced and later ones dropped -- and new keys appended.
 */
static void
rebuild_record(const struct contacts *db, const struct rec *r,
    const struct contacts_kv *kv, size_t n, struct sbuf *out)
{
	uint8_t *done = xcalloc(n + 1, 1);
	size_t p = r->off, i;
	int skipping = 0;

	while (p < r->end) {
		const uint8_t *nl = memchr(db->buf + p, '\n', r->end - p);
		size_t len = nl != NULL ? (size_t)(nl - (db->buf + p)) + 1 :
		    r->end - p;
		const char *s = (const char *)db->buf + p;

		p += len;
		if (s[0] == '#') {
			sb_add(out, s, len);
			if (nl == NULL)
				sb_str(out, "\n");	/* so nothing joins it */
			continue;
		}
		if (s[0] == ' ' || s[0] == '\t') {
			if (!skipping) {
				sb_add(out, s, len);
				if (nl == NULL)
					sb_str(out, "\n");
			}
			continue;
		}
		skipping = 0;
		{
			size_t k = 0, kl;

			while (k < len && s[k] != ':' && s[k] != '\n')
				k++;
			kl = k;
			while (kl > 0 && (s[kl - 1] == ' ' || s[kl - 1] == '\t'))
				kl--;
			for (i = 0; i < n; i++)
				if (strlen(kv[i].key) == kl &&
				    strncasecmp(kv[i].key, s, kl) == 0)
					break;
			if (i == n || s[k] != ':') {
				sb_add(out, s, len);
				if (nl == NULL)
					sb_str(out, "\n");
				continue;
			}
			skipping = 1;
			if (!done[i] && kv[i].value != NULL &&
			    kv[i].value[0] != '\0')
				emit_field(out, kv[i].key, kv[i].value);
			done[i] = 1;
		}
	}
	for (i = 0; i < n; i++) {
		size_t j;

		if (done[i] || kv[i].value == NULL || kv[i].value[0] == '\0')
			continue;
		for (j = 0; j < i; j++)
			if (strcasecmp(kv[j].key, kv[i].key) == 0)
				break;
		if (j < i)
			continue;	/* the first of a repeated key wins */
		emit_field(out, kv[i].key, kv[i].value);
	}
	free(done);
}

/* Swap in a candidate text if it is no worse than the current one:
 * `target` (index in the candidate, or -1) must be valid, and no record
 * that was valid may become invalid. */
static int
apply(struct contacts *db, struct sbuf *text, long target, char *errbuf)
{
	struct contacts *nd = contacts_parse(db->path, (const uint8_t *)text->s,
	    text->n);
	size_t i;

	free(text->s);
	if (nd->ninvalid > db->ninvalid || (target >= 0 &&
	    ((size_t)target >= nd->nrecs || !nd->recs[target]->c.valid))) {
		/* Report the first diagnostic of the edited record, else the
		 * first new one. */
		const struct contacts_diag *d = NULL;

		for (i = 0; i < nd->ndiags && target >= 0 &&
		    (size_t)target < nd->nrecs; i++) {
			const struct rec *r = nd->recs[target];

			if (nd->diags[i].line >= r->line0 &&
			    nd->diags[i].line < r->line0 + r->c.nlines) {
				d = &nd->diags[i];
				break;
			}
		}
		if (d == NULL && nd->ndiags > 0)
			d = &nd->diags[nd->ndiags - 1];
		if (d != NULL && d->field[0] != '\0')
			err_set(errbuf, "%s: %s", d->field, d->msg);
		else if (d != NULL)
			err_set(errbuf, "%s", d->msg);
		else
			err_set(errbuf, "the edit would make the file invalid");
		contacts_free(nd);
		return -1;
	}
	/* Swap contents, keeping db's identity for the save check. */
	{
		struct contacts tmp = *db;

		*db = *nd;
		db->have_id = tmp.have_id;
		db->id = tmp.id;
		db->dirty = 1;
		*nd = tmp;
		contacts_free(nd);
	}
	return 0;
}

int
contacts_add(struct contacts *db, const struct contacts_kv *kv, size_t n,
    char *errbuf)
{
	struct sbuf t = { NULL, 0, 0 };
	size_t i;
	int has_id = 0;

	if (kv_valid(kv, n, errbuf) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (strcasecmp(kv[i].key, "id") == 0 && kv[i].value != NULL &&
		    kv[i].value[0] != '\0')
			has_id = 1;
	if (!has_id)
		return err_set(errbuf, "id: missing (every record needs a "
		    "unique id)");
	sb_add(&t, db->buf, db->len);
	if (t.n > 0 && t.s[t.n - 1] != '\n')
		sb_str(&t, "\n");
	if (t.n > 0 && !(t.n >= 2 && t.s[t.n - 2] == '\n'))
		sb_str(&t, "\n");
	else if (t.n == 1)
		sb_str(&t, "\n");
	for (i = 0; i < n; i++) {
		size_t j;

		if (kv[i].value == NULL || kv[i].value[0] == '\0')
			continue;
		for (j = 0; j < i; j++)
			if (strcasecmp(kv[j].key, kv[i].key) == 0)
				break;
		if (j == i)
			emit_field(&t, kv[i].key, kv[i].value);
	}
	return apply(db, &t, (long)db->nrecs, errbuf);
}

int
contacts_update(struct contacts *db, size_t idx, const struct contacts_kv *kv,
    size_t n, char *errbuf)
{
	struct sbuf t = { NULL, 0, 0 };
	size_t i, prev = 0;

	if (idx >= db->nrecs)
		return err_set(errbuf, "no record %zu", idx);
	if (kv_valid(kv, n, errbuf) != 0)
		return -1;
	for (i = 0; i < db->nrecs; i++) {
		sb_add(&t, db->buf + prev, db->recs[i]->off - prev);
		if (i == idx)
			rebuild_record(db, db->recs[i], kv, n, &t);
		else
			sb_add(&t, db->buf + db->recs[i]->off,
			    db->recs[i]->end - db->recs[i]->off);
		prev = db->recs[i]->end;
	}
	sb_add(&t, db->buf + prev, db->len - prev);
	if (t.s == NULL)
		sb_str(&t, "");
	return apply(db, &t, (long)idx, errbuf);
}

int
contacts_delete(struct contacts *db, size_t idx, char *errbuf)
{
	struct sbuf t = { NULL, 0, 0 };
	size_t end;

	if (idx >= db->nrecs)
		return err_set(errbuf, "no record %zu", idx);
	sb_add(&t, db->buf, db->recs[idx]->off);
	/* Drop the record and the blank lines after it. */
	end = db->recs[idx]->end;
	while (end < db->len) {
		const uint8_t *nl = memchr(db->buf + end, '\n', db->len - end);
		size_t n = nl != NULL ? (size_t)(nl - (db->buf + end)) + 1 :
		    db->len - end, k;
		int blank = 1;

		for (k = 0; k < n; k++)
			if (!strchr(" \t\r\n", db->buf[end + k]))
				blank = 0;
		if (!blank)
			break;
		end += n;
	}
	sb_add(&t, db->buf + end, db->len - end);
	if (t.s == NULL)
		sb_str(&t, "");
	return apply(db, &t, -1, errbuf);
}

int
contacts_dirty(const struct contacts *db)
{
	return db->dirty;
}

const uint8_t *
contacts_text(const struct contacts *db, size_t *len)
{
	*len = db->len;
	return db->buf;
}

int
contacts_save(struct contacts *db, char *errbuf)
{
	char *dircopy = xstrdup(db->path), *dir, *tmp;
	struct stat st;
	size_t off = 0;
	int fd, dfd, e;

	dir = dirname(dircopy);
	if (stat(db->path, &st) == 0) {
		if (!db->have_id || st.st_ino != db->id.st_ino ||
		    st.st_dev != db->id.st_dev || st.st_size != db->id.st_size ||
		    st.st_mtim.tv_sec != db->id.st_mtim.tv_sec ||
		    st.st_mtim.tv_nsec != db->id.st_mtim.tv_nsec) {
			free(dircopy);
			return err_set(errbuf, "%s changed on disk since it was "
			    "loaded; not saving over it (reload, then edit "
			    "again)", db->path);
		}
	} else if (errno != ENOENT || db->have_id) {
		e = errno;
		free(dircopy);
		return err_set(errbuf, "%s: %s", db->path, e == ENOENT ?
		    "removed since it was loaded" : strerror(e));
	}
	tmp = xasprintf("%s/.%s.tmpXXXXXX", dir, basename(db->path));
	if ((fd = mkstemp(tmp)) < 0) {
		e = errno;
		err_set(errbuf, "%s: cannot create a temporary file: %s", dir,
		    strerror(e));
		goto fail;
	}
	/*
	 * The new file takes the old one's owner and group, then its mode
	 * (fchown first: it may clear set-id bits). Without the group a file
	 * shared by a NOC group became unreadable to it after one edit; if
	 * the group cannot be kept (not root, not a member), say so rather
	 * than save a file the others lose.
	 */
	if (db->have_id) {
		if (fchown(fd, db->id.st_uid, db->id.st_gid) != 0 &&
		    fchown(fd, (uid_t)-1, db->id.st_gid) != 0) {
			e = errno;
			close(fd);
			unlink(tmp);
			err_set(errbuf, "%s: cannot keep its group %lu on the "
			    "new copy: %s; not saved", db->path,
			    (unsigned long)db->id.st_gid, strerror(e));
			goto fail;
		}
		(void)fchmod(fd, db->id.st_mode & 07777);
	} else
		(void)fchmod(fd, 0644);
	while (off < db->len) {
		ssize_t n = write(fd, db->buf + off, db->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = errno;
			close(fd);
			unlink(tmp);
			err_set(errbuf, "%s: write: %s", tmp, strerror(e));
			goto fail;
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		e = errno;
		unlink(tmp);
		err_set(errbuf, "%s: fsync: %s", tmp, strerror(e));
		goto fail;
	}
	if (rename(tmp, db->path) != 0) {
		e = errno;
		unlink(tmp);
		err_set(errbuf, "rename %s to %s: %s", tmp, db->path,
		    strerror(e));
		goto fail;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	if (stat(db->path, &st) == 0) {
		db->id = st;
		db->have_id = 1;
	}
	db->dirty = 0;
	free(tmp);
	free(dircopy);
	return 0;
fail:
	free(tmp);
	free(dircopy);
	return -1;
}

/* ---- searching and matching ------------------------------------------------- */

static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return 1;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

size_t
contacts_search(const struct contacts *db, const char *text, size_t *idx,
    size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < db->nrecs; i++) {
		const struct contact *c = &db->recs[i]->c;
		int hit = 0;

		for (j = 0; j < c->nfields && !hit; j++)
			if (contains_ci(c->fields[j].value, text))
				hit = 1;
		if (!hit)
			continue;
		if (n < max)
			idx[n] = i;
		n++;
	}
	return n;
}

int
contacts_query_parse(const char *s, struct contacts_query *q, char *errbuf)
{
	struct contact_asn a;

	memset(q, 0, sizeof(*q));
	if (s == NULL || *s == '\0') {
		q->type = CQ_ALL;
		return 0;
	}
	if (addr_parse(s, &q->addr) == 0) {
		q->type = CQ_ADDR;
		return 0;
	}
	if (asn_parse(s, &a) == 0 && a.lo == a.hi) {
		q->type = CQ_ASN;
		q->asn = a.lo;
		return 0;
	}
	if (contacts_country_ok(s)) {
		q->type = CQ_COUNTRY;
		q->cc[0] = (char)toupper((unsigned char)s[0]);
		q->cc[1] = (char)toupper((unsigned char)s[1]);
		return 0;
	}
	return err_set(errbuf, "'%.64s' is not an address, AS number (AS64496) "
	    "or ISO 3166 country code (RU)", s);
}

void
contact_status(const struct contact *c, int64_t t, struct contact_status *out)
{
	memset(out, 0, sizeof(*out));
	out->open = -1;
	if (c->tz == NULL || tz_local(c->tz, t, &out->local) != 0)
		return;
	out->has_zone = 1;
	out->awake = out->local.hour >= 7 && out->local.hour < 22;
	if (c->has_hours && hours_eval(c->hours, c->tz, t, &out->hs) == 0)
		out->open = out->hs.open;
}

static int
is_global(enum contact_kind k)
{
	return k == CK_FIRST_TEAM || k == CK_NOG || k == CK_RIR ||
	    k == CK_ANTI_ABUSE;
}

static int
awake_rank(const struct contact_status *s)
{
	if (s->open == 1)
		return 3;
	if (s->open == -1 && s->awake)
		return 2;
	if (s->awake)
		return 1;
	return 0;
}

static int
match_cmp(const void *a, const void *b)
{
	const struct contact_match *x = a, *y = b;
	int ax, ay;

	if (x->rel != y->rel)
		return x->rel > y->rel ? -1 : 1;
	if (x->rel == REL_PREFIX && x->plen != y->plen)
		return x->plen > y->plen ? -1 : 1;
	ax = awake_rank(&x->st);
	ay = awake_rank(&y->st);
	if (ax != ay)
		return ax > ay ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

size_t
contacts_match(const struct contacts *db, const struct contacts_query *q,
    int64_t t, struct contact_match **out)
{
	struct contact_match *m = NULL;
	size_t n = 0, cap = 0, i, j;

	*out = NULL;
	for (i = 0; i < db->nrecs; i++) {
		const struct contact *c = &db->recs[i]->c;
		enum contacts_rel rel = REL_ANY;
		int plen = -1;

		if (!c->valid)
			continue;
		switch (q->type) {
		case CQ_ALL:
			rel = REL_ANY;
			break;
		case CQ_ADDR:
			for (j = 0; j < c->nprefixes; j++)
				if (prefix_contains(&c->prefixes[j], &q->addr) &&
				    (int)c->prefixes[j].len > plen)
					plen = c->prefixes[j].len;
			rel = plen >= 0 ? REL_PREFIX : REL_ANY;
			break;
		case CQ_ASN:
			for (j = 0; j < c->nasns; j++)
				if (q->asn >= c->asns[j].lo &&
				    q->asn <= c->asns[j].hi)
					rel = REL_ASN;
			break;
		case CQ_COUNTRY:
			if (strcmp(c->country, q->cc) == 0)
				rel = REL_COUNTRY;
			for (j = 0; j < c->constituency.n; j++)
				if (strcmp(c->constituency.v[j], q->cc) == 0)
					rel = REL_COUNTRY;
			break;
		}
		if (q->type != CQ_ALL && rel == REL_ANY) {
			if (!is_global(c->kind))
				continue;
			rel = REL_GLOBAL;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			m = xreallocarray(m, cap, sizeof(*m));
		}
		m[n].index = i;
		m[n].c = c;
		m[n].rel = rel;
		m[n].plen = plen;
		contact_status(c, t, &m[n].st);
		n++;
	}
	if (n > 1)
		qsort(m, n, sizeof(*m), match_cmp);
	*out = m;
	return n;
}
