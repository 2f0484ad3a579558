/*
 * contacts_record.c -- one record of the contact database: its fields
 * checked (syntax from validate.c) and turned into a struct contact. Format:
 * man/kyocho-contacts.5.
 *
 * Three kinds of field: single values checked and stored as they are
 * (table scalars[]), lists split at commas or blanks with each item
 * checked (table lists[], plus AS numbers and prefixes, which are parsed),
 * and the rest, which need their own code (kind, country, timezone, hours,
 * notes). What a record gathers while its fields are read is a struct
 * recstate; everything that stays lives in the database's arena.
 */
#include "contacts/contacts_impl.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/validate.h"

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
	{ "source", 1 }, { "verified", 0 }, { "formats", 1 },
};

/* ---- the checks, in the shape the tables want --------------------------- */

/* A sharing format the recipient's tools read (kyocho incident export). */
static int
format_ok(const char *s)
{
	return strcmp(s, "xarf") == 0 || strcmp(s, "misp") == 0 ||
	    strcmp(s, "stix") == 0;
}

/* A record or FIRST team id: letters, digits, '.', '_', '-'; 1-64. */
static int
ident_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')) &&
		    strchr("._-", s[i]) == NULL)
			return 0;
	return 1;
}

static int
web_url_ok(const char *s)
{
	return validate_url(s, 0);
}

static int
https_url_ok(const char *s)
{
	return validate_url(s, 1);
}

static int
email_ok(const char *s)
{
	return validate_email(s, strlen(s), VALIDATE_UTF8);
}

static int
country_ok(const char *s)
{
	return validate_country(s, strlen(s));
}

/* Single-valued fields that are checked and kept as written. */
static const struct scalar {
	const char *key;
	size_t off;			/* of the const char * in struct contact */
	int (*ok)(const char *);	/* NULL: any text */
	const char *what;		/* follows "'value' " in a diagnostic */
} scalars[] = {
	{ "id", offsetof(struct contact, id), ident_ok,
	    "is not an id (letters, digits, '.', '_', '-'; at most 64)" },
	{ "team", offsetof(struct contact, team), NULL, NULL },
	{ "url", offsetof(struct contact, url), web_url_ok,
	    "is not an http or https URL" },
	{ "security-txt", offsetof(struct contact, security_txt), https_url_ok,
	    "is not an https URL (RFC 9116)" },
	{ "pgp", offsetof(struct contact, pgp), validate_pgp_fingerprint,
	    "is not a key fingerprint (40 or 64 hex digits)" },
	{ "tlp", offsetof(struct contact, tlp), validate_tlp_lead,
	    "does not start with a TLP label (TLP:CLEAR, TLP:GREEN, TLP:AMBER, "
	    "TLP:AMBER+STRICT, TLP:RED)" },
	{ "first-id", offsetof(struct contact, first_id), ident_ok,
	    "is not a FIRST team id (letters, digits, '.', '_', '-')" },
	{ "verified", offsetof(struct contact, verified), validate_date,
	    "is not a date (YYYY-MM-DD)" },
};

/* List fields: items checked one by one, kept in file order. */
static const struct listfield {
	const char *key;
	size_t off;			/* of the struct contact_list */
	int commas_only;		/* items hold blanks (phone numbers) */
	int (*ok)(const char *);
	const char *what;
} lists[] = {
	{ "languages", offsetof(struct contact, languages), 0,
	    validate_langtag,
	    "is not a BCP 47 language tag (ja, en, ru, pt-BR)" },
	{ "email", offsetof(struct contact, email), 0, email_ok,
	    "is not an e-mail address (user@example.net)" },
	{ "abuse-email", offsetof(struct contact, abuse_email), 0, email_ok,
	    "is not an e-mail address (user@example.net)" },
	{ "phone", offsetof(struct contact, phone), 1, validate_phone,
	    "is not an international phone number (+81 3 1234 5678)" },
	{ "emergency-phone", offsetof(struct contact, emergency_phone), 1,
	    validate_phone,
	    "is not an international phone number (+81 3 1234 5678)" },
	{ "constituency", offsetof(struct contact, constituency), 0,
	    country_ok,
	    "is not an ISO 3166-1 alpha-2 country code (JP, RU, BR)" },
	{ "source", offsetof(struct contact, source), 0, web_url_ok,
	    "is not an http or https URL" },
	{ "formats", offsetof(struct contact, formats), 0, format_ok,
	    "is not a sharing format (xarf, misp, stix)" },
};
#define NLISTS	NITEMS(lists)

/* ---- gathering a record ------------------------------------------------- */

/* A growing array on the heap; the record's final copy goes to the arena. */
struct acc {
	void *v;
	size_t n, cap, size;	/* size: of one element */
};

static void *
acc_push(struct acc *a)
{
	a->v = xgrow(a->v, a->n, &a->cap, 4, a->size);
	return (char *)a->v + a->n++ * a->size;
}

/* The accumulated elements copied into the arena, with room for spare
 * more (zeroed: a string list keeps a NULL end and is never NULL itself);
 * frees the heap array. */
static void *
acc_finish(struct contacts *db, struct acc *a, size_t spare)
{
	void *p = contacts_arena_alloc(&db->ar, (a->n + spare) * a->size);

	memset(p, 0, (a->n + spare) * a->size);
	if (a->n > 0)
		memcpy(p, a->v, a->n * a->size);
	free(a->v);
	a->v = NULL;
	a->cap = 0;
	return p;
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
	pc->v = xgrow(pc->v, pc->n, &pc->cap, 4, sizeof(*pc->v));
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
		s = contacts_arena_alloc(&db->ar, pc->bytes + (pc->n - 1) * sl +
		    1);
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

/* What a record gathers while its fields are read. */
struct recstate {
	unsigned seen[NITEMS(known)];	/* line of each known field, or 0 */
	struct acc list[NLISTS];	/* const char * items, per lists[] */
	struct acc asns;		/* struct contact_asn */
	struct acc pfx;			/* struct prefix */
	struct pieces notes, hours;
	unsigned hours_line;		/* first hours: line */
	unsigned tzline;		/* line of a timezone tz_get refused */
};

/* An item callback: one item of a list field key, from the given line. */
typedef void (*item_fn)(struct contacts *, struct recstate *, size_t which,
    const char *key, const char *item, unsigned line);

/* Split f's lines into items at commas (and at blanks unless
 * commas_only); calls fn for each non-empty item. */
static void
each_item(struct contacts *db, struct recstate *rs, size_t which,
    const struct pfield *f, int commas_only, item_fn fn)
{
	const struct vline *lines = PF_LINES(f);
	size_t i;

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

				contacts_diag_add(db, lines[i].line, f->key,
				    "'%s...' is too long",
				    contacts_quote(b, sizeof(b), s, n));
				continue;
			}
			memcpy(item, s, n);
			item[n] = '\0';
			fn(db, rs, which, f->key, item, lines[i].line);
		}
	}
}

/* One item of lists[which]: checked, kept in the arena (a country code
 * in upper case). */
static void
item_list(struct contacts *db, struct recstate *rs, size_t which,
    const char *key, const char *item, unsigned line)
{
	const struct listfield *lf = &lists[which];
	char b[64], *kept;

	if (!lf->ok(item)) {
		contacts_diag_add(db, line, key, "'%s' %s",
		    contacts_quote(b, sizeof(b), item, strlen(item)), lf->what);
		return;
	}
	if (strcmp(key, "constituency") == 0) {
		kept = contacts_arena_strndup(&db->ar, item, 2);
		kept[0] = (char)toupper((unsigned char)kept[0]);
		kept[1] = (char)toupper((unsigned char)kept[1]);
	} else
		kept = contacts_arena_strndup(&db->ar, item, strlen(item));
	*(const char **)acc_push(&rs->list[which]) = kept;
}

static void
item_asn(struct contacts *db, struct recstate *rs, size_t which,
    const char *key, const char *item, unsigned line)
{
	struct contact_asn a;
	char b[64];

	(void)which;
	if (!validate_asn(item, &a.lo, &a.hi)) {
		contacts_diag_add(db, line, key, "'%s' is not an AS number "
		    "(AS64496, 64496 or a range AS64496-AS64511; 1 to "
		    "4294967295)", contacts_quote(b, sizeof(b), item,
		    strlen(item)));
		return;
	}
	*(struct contact_asn *)acc_push(&rs->asns) = a;
}

static void
item_prefix(struct contacts *db, struct recstate *rs, size_t which,
    const char *key, const char *item, unsigned line)
{
	struct prefix p;
	struct addr a;
	char b[64], host[64], f[64];
	const char *slash = strchr(item, '/');
	size_t hl = slash != NULL ? (size_t)(slash - item) : strlen(item);

	(void)which;
	if (prefix_parse(item, &p) != 0 || hl >= sizeof(host)) {
		contacts_diag_add(db, line, key, "'%s' is not an address "
		    "prefix (192.0.2.0/24, 2001:db8::/32)",
		    contacts_quote(b, sizeof(b), item, strlen(item)));
		return;
	}
	memcpy(host, item, hl);
	host[hl] = '\0';
	if (addr_parse(host, &a) == 0 && memcmp(a.b, p.addr.b, 16) != 0) {
		contacts_diag_add(db, line, key, "'%s' has host bits set (did "
		    "you mean %s?)", contacts_quote(b, sizeof(b), item,
		    strlen(item)), prefix_format(&p, f, sizeof(f)));
		return;
	}
	*(struct prefix *)acc_push(&rs->pfx) = p;
}

/* ---- one field ---------------------------------------------------------- */

static int
known_index(const char *key)
{
	size_t i;

	for (i = 0; i < NITEMS(known); i++)
		if (strcmp(key, known[i].name) == 0)
			return (int)i;
	return -1;
}

/* Join a field's lines with sep into the arena. */
static char *
join_lines(struct contacts *db, const struct pfield *f, char sep)
{
	const struct vline *lines = PF_LINES(f);
	size_t n = 0, i;
	char *s, *p;

	for (i = 0; i < f->nlines; i++)
		n += lines[i].n + 1;
	p = s = contacts_arena_alloc(&db->ar, n + 1);
	for (i = 0; i < f->nlines; i++) {
		if (i > 0)
			*p++ = sep;
		memcpy(p, lines[i].s, lines[i].n);
		p += lines[i].n;
	}
	*p = '\0';
	return s;
}

/* Fields with a table entry; 0 if key has none. */
static int
take_table_field(struct contacts *db, struct contact *c, struct recstate *rs,
    const struct pfield *f, const char *v)
{
	char b[64];
	size_t i;

	for (i = 0; i < NITEMS(scalars); i++) {
		const struct scalar *sc = &scalars[i];

		if (strcmp(f->key, sc->key) != 0)
			continue;
		if (sc->ok != NULL && !sc->ok(v))
			contacts_diag_add(db, f->line, f->key, "'%s' %s",
			    contacts_quote(b, sizeof(b), v, strlen(v)),
			    sc->what);
		*(const char **)((char *)c + sc->off) = v;
		return 1;
	}
	for (i = 0; i < NLISTS; i++)
		if (strcmp(f->key, lists[i].key) == 0) {
			each_item(db, rs, i, f, lists[i].commas_only,
			    item_list);
			return 1;
		}
	return 0;
}

/* A known field that is not "given twice": check it and keep its value
 * v (joined lines, in the arena; a country is put in upper case in place). */
static void
take_field(struct contacts *db, struct contact *c, struct recstate *rs,
    const struct pfield *f, char *v)
{
	char b[64], err[ERRBUF_SIZE];

	if (take_table_field(db, c, rs, f, v))
		return;
	if (strcmp(f->key, "org") == 0) {
		if (*v == '\0')
			contacts_diag_add(db, f->line, "org", "empty");
		c->org = v;
	} else if (strcmp(f->key, "kind") == 0) {
		int kk = contacts_kind_parse(v);

		if (kk < 0)
			contacts_diag_add(db, f->line, "kind", "'%s' is not a "
			    "kind (one of peering-isp, transit-isp, customer, "
			    "national-csirt, national-poc, csirt, first-team, "
			    "nog, rir, isac, anti-abuse, law-enforcement, "
			    "hosting, registrar, domestic-agency, other)",
			    contacts_quote(b, sizeof(b), v, strlen(v)));
		else
			c->kind = (enum contact_kind)kk;
		c->kind_name = v;
	} else if (strcmp(f->key, "country") == 0) {
		if (!country_ok(v))
			contacts_diag_add(db, f->line, "country", "'%s' is not "
			    "an ISO 3166-1 alpha-2 country code (JP, RU, BR)",
			    contacts_quote(b, sizeof(b), v, strlen(v)));
		else {
			v[0] = (char)toupper((unsigned char)v[0]);
			v[1] = (char)toupper((unsigned char)v[1]);
		}
		c->country = v;
	} else if (strcmp(f->key, "timezone") == 0) {
		c->timezone = v;
		if ((c->tz = tz_get(v, err)) == NULL)
			rs->tzline = f->line;
	} else if (strcmp(f->key, "hours") == 0) {
		if (rs->hours.n == 0)
			rs->hours_line = f->line;
		pieces_add(&rs->hours, v);
	} else if (strcmp(f->key, "notes") == 0)
		pieces_add(&rs->notes, v);
	else if (strcmp(f->key, "asn") == 0)
		each_item(db, rs, 0, f, 0, item_asn);
	else if (strcmp(f->key, "prefixes") == 0)
		each_item(db, rs, 0, f, 0, item_prefix);
}

/* ---- finishing a record ------------------------------------------------- */

/* The lists, AS numbers and prefixes gathered, into the arena. */
static void
finish_lists(struct contacts *db, struct contact *c, struct recstate *rs)
{
	size_t i;

	for (i = 0; i < NLISTS; i++) {
		struct contact_list *l = (struct contact_list *)
		    ((char *)c + lists[i].off);

		l->n = rs->list[i].n;
		l->v = acc_finish(db, &rs->list[i], 1);
	}
	c->nasns = rs->asns.n;
	if (rs->asns.n > 0)
		c->asns = acc_finish(db, &rs->asns, 0);
	free(rs->asns.v);
	c->nprefixes = rs->pfx.n;
	if (rs->pfx.n > 0)
		c->prefixes = acc_finish(db, &rs->pfx, 0);
	free(rs->pfx.v);
}

/* The hours: fields, joined with "; ", parsed. */
static void
finish_hours(struct contacts *db, struct contact *c, struct recstate *rs)
{
	const char *text = pieces_join(db, &rs->hours, "; ");
	char err[ERRBUF_SIZE];
	struct hours h;
	struct hours *hp;

	if (text == NULL)
		return;
	c->hours_text = text;
	if (hours_parse(text, strlen(text), &h, err) != 0) {
		contacts_diag_add(db, rs->hours_line, "hours", "%s", err);
		return;
	}
	hp = contacts_arena_alloc(&db->ar, sizeof(*hp));
	*hp = h;
	c->hours = hp;
	c->has_hours = 1;
}

/* A timezone tz_get refused: say so, naming the country's zones if the
 * record has a country that tzdata knows. */
static void
report_bad_zone(struct contacts *db, const struct contact *c, unsigned line)
{
	char sugg[256] = "", b[64], err[ERRBUF_SIZE];
	char (*names)[TZ_NAME_MAX] = xcalloc(8, TZ_NAME_MAX);
	int nz = country_ok(c->country) ?
	    tz_country_zones(c->country, names, 8, err) : 0, zi;
	size_t o = 0;

	for (zi = 0; zi < nz && o + 2 < sizeof(sugg); zi++)
		o += (size_t)snprintf(sugg + o, sizeof(sugg) - o, "%s%s",
		    zi ? ", " : "", names[zi]);
	free(names);
	if (nz > 0)
		contacts_diag_add(db, line, "timezone", "'%s' is not a known "
		    "zone (zones for %s: %s)", contacts_quote(b, sizeof(b),
		    c->timezone, strlen(c->timezone)), c->country, sugg);
	else
		contacts_diag_add(db, line, "timezone", "'%s' is not a known "
		    "zone (an IANA name such as Asia/Tokyo)", contacts_quote(b,
		    sizeof(b), c->timezone, strlen(c->timezone)));
}

/* The zone of a country that has only one (cached per database), or
 * NULL. */
static const char *
zone_for_country(struct contacts *db, const char *cc)
{
	int i;
	char err[ERRBUF_SIZE];

	if (!country_ok(cc))
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

static void
record_defaults(struct contact *c)
{
	c->id = c->org = c->team = c->kind_name = c->country = c->timezone =
	    c->url = c->pgp = c->tlp = c->first_id = c->security_txt =
	    c->verified = c->hours_text = c->notes = "";
	c->kind = CK_OTHER;
}

void
contacts_build_record(struct contacts *db, struct contact *c,
    struct pfield *pf, size_t npf, unsigned first_line)
{
	size_t i, ndiag0 = db->ndiags;
	struct contact_field *fields;
	struct recstate rs;
	char err[ERRBUF_SIZE];

	memset(&rs, 0, sizeof(rs));
	for (i = 0; i < NLISTS; i++)
		rs.list[i].size = sizeof(const char *);
	rs.asns.size = sizeof(struct contact_asn);
	rs.pfx.size = sizeof(struct prefix);
	record_defaults(c);
	fields = contacts_arena_alloc(&db->ar, (npf + 1) * sizeof(*fields));
	for (i = 0; i < npf; i++) {
		struct pfield *f = &pf[i];
		int k = known_index(f->key);
		char *v = join_lines(db, f, '\n');

		fields[i].key = contacts_arena_strndup(&db->ar, f->key,
		    strlen(f->key));
		fields[i].value = v;
		fields[i].line = f->line;
		if (k < 0 || f->bad)
			continue;
		if (!known[k].multi && rs.seen[k]) {
			contacts_diag_add(db, f->line, f->key, "given twice "
			    "(first at line %u)", rs.seen[k]);
			continue;
		}
		if (!rs.seen[k])
			rs.seen[k] = f->line;
		take_field(db, c, &rs, f, v);
	}
	c->fields = fields;
	c->nfields = npf;
	if (rs.notes.n > 0)
		c->notes = pieces_join(db, &rs.notes, "\n");
	finish_lists(db, c, &rs);
	finish_hours(db, c, &rs);
	if (rs.tzline != 0)
		report_bad_zone(db, c, rs.tzline);
	if (c->tz == NULL && *c->timezone == '\0' && *c->country != '\0') {
		const char *zn = zone_for_country(db, c->country);

		if (zn != NULL && (c->tz = tz_get(zn, err)) != NULL)
			c->tz_inferred = 1;
	}
	if (*c->id == '\0' && !rs.seen[0])
		contacts_diag_add(db, first_line, "id", "missing (every record "
		    "needs a unique id)");
	c->valid = db->ndiags == ndiag0;
}
