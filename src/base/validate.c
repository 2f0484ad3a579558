/*
 * validate.c -- field syntax checks shared by contacts.c, dns.c and
 * incident.c. See validate.h.
 *
 * References: addresses RFC 5321/5322 addr-spec (RFC 6531 for UTF-8),
 * host names RFC 1035 3.5 and RFC 2181 11, language tags RFC 5646 (BCP 47),
 * URLs RFC 3986, security.txt RFC 9116, AS numbers RFC 6793, country codes
 * ISO 3166-1 alpha-2, phone numbers ITU-T E.164, TLP: FIRST TLP 2.0.
 *
 * Letters and digits are ASCII here whatever the locale: these checks
 * must not change with LC_CTYPE.
 */
#include "base/validate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/addr.h"
#include "base/util.h"

const char *const tlp_labels[TLP_NLABELS] = {
	"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED",
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

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static int
is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* ---- addresses and names ------------------------------------------------ */

/* RFC 5322 atext, plus UTF-8 octets (RFC 6531) when utf8. */
static int
is_atext(int c, int utf8)
{
	if (c >= 0x80)
		return utf8;
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c)
	    != NULL);
}

int
validate_domain(const char *d, size_t n, unsigned flags)
{
	size_t i, lab = 0, nlab = 0, last = 0, k;
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
			for (k = last; k < i; k++)
				if (!is_digit((unsigned char)d[k]))
					alpha_top = 1;
			lab = 0;
			last = i + 1;
			continue;
		}
		if (c >= 0x80 ? !(flags & VALIDATE_UTF8) :
		    !is_alnum(c) && c != '-')
			return 0;
		lab++;
	}
	return nlab >= 2 && alpha_top;
}

int
validate_email(const char *s, size_t n, unsigned flags)
{
	const char *at = memrchr(s, '@', n);
	size_t ll, i;

	if (at == NULL || at == s || n > 254)
		return 0;
	ll = (size_t)(at - s);
	if (ll > 64 || s[0] == '.' || at[-1] == '.')
		return 0;
	for (i = 0; i < ll; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return 0;	/* i + 1 < ll: at[-1] != '.' */
			continue;
		}
		if (!is_atext((unsigned char)s[i], flags & VALIDATE_UTF8))
			return 0;
	}
	return validate_domain(at + 1, n - ll - 1, flags);
}

int
validate_hostname(const char *s, size_t n)
{
	size_t i, lab = 0;

	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (lab == 0 || s[i - 1] == '-')
				return 0;
			lab = 0;
			continue;
		}
		if (!is_alnum(c) && c != '-' && c != '_')
			return 0;
		if (c == '-' && lab == 0)
			return 0;	/* LDH: no hyphen at either end */
		if (++lab > 63)
			return 0;
	}
	return lab > 0 && s[n - 1] != '-';
}

/* ---- codes and tags ----------------------------------------------------- */

int
validate_country_letters(const char *s, size_t n)
{
	return n == 2 && is_alpha((unsigned char)s[0]) &&
	    is_alpha((unsigned char)s[1]);
}

int
validate_country(const char *s, size_t n)
{
	const char *p;

	if (!validate_country_letters(s, n))
		return 0;
	for (p = iso3166; p + 2 <= iso3166 + sizeof(iso3166) - 1; p += 3)
		if (p[0] == upper((unsigned char)s[0]) &&
		    p[1] == upper((unsigned char)s[1]))
			return 1;
	return 0;
}

/* 1 if s[0..n) holds only letters (if alpha) and digits (if digit). */
static int
alnum_run(const char *s, size_t n, int alpha, int digit)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (!((alpha && is_alpha(c)) || (digit && is_digit(c))))
			return 0;
	}
	return 1;
}

/* Where a language tag's subtags are (RFC 5646 2.1). */
enum lt_state {
	LT_LANGUAGE,	/* expecting the primary language */
	LT_EXTLANG,	/* after a 2-3 letter language: extlang allowed */
	LT_SCRIPT,	/* script position passed */
	LT_REGION,	/* after a script: a region may follow */
	LT_VARIANT,	/* after a region: variants */
	LT_EXTENSION,	/* after a singleton */
	LT_PRIVATE,	/* after "x": 1-8 alphanumerics each */
};

/*
 * One subtag p[0..n) in state *st; *pending is 1 after a singleton until a
 * subtag follows it, *nextlang counts extlang subtags. Returns 0 if the
 * subtag cannot stand here.
 */
static int
langtag_subtag(const char *p, size_t n, enum lt_state *st, int *pending,
    int *nextlang)
{
	int letters = alnum_run(p, n, 1, 0);

	if (n == 0 || n > 8 || !alnum_run(p, n, 1, 1))
		return 0;
	if (*st == LT_PRIVATE) {
		*pending = 0;
	} else if (*st == LT_LANGUAGE) {
		/* RFC 5646 reserves 4-letter primary subtags and allows 5-8
		 * letter "registered" ones, but none is registered: "russian"
		 * or "japanese" are mistakes, so refuse them. */
		if (!letters || n < 2 || n > 3)
			return 0;
		*st = LT_EXTLANG;
	} else if (n == 1) {
		if (*pending)
			return 0;
		*st = (*p == 'x' || *p == 'X') ? LT_PRIVATE : LT_EXTENSION;
		*pending = 1;
	} else if (*st == LT_EXTENSION) {
		*pending = 0;
	} else if (*st == LT_EXTLANG && n == 3 && letters && *nextlang < 3) {
		(*nextlang)++;
	} else if (*st <= LT_SCRIPT && n == 4 && letters) {
		*st = LT_REGION;
	} else if (*st <= LT_REGION && ((n == 2 && letters) ||
	    (n == 3 && alnum_run(p, n, 0, 1)))) {
		*st = LT_VARIANT;
	} else if (*st <= LT_VARIANT && (n >= 5 ||
	    (n == 4 && is_digit((unsigned char)*p)))) {
		*st = LT_VARIANT;
	} else
		return 0;
	return 1;
}

int
validate_langtag(const char *s)
{
	const char *p = s, *e;
	enum lt_state st = LT_LANGUAGE;
	int pending = 0, nextlang = 0;

	if (*s == '\0' || strlen(s) > 64)
		return 0;
	if ((s[0] == 'x' || s[0] == 'X') && s[1] == '-') {
		st = LT_PRIVATE;
		pending = 1;
		p = s + 2;
	}
	for (;; p = e + 1) {
		e = strchr(p, '-');
		if (e == NULL)
			e = p + strlen(p);
		if (!langtag_subtag(p, (size_t)(e - p), &st, &pending,
		    &nextlang))
			return 0;
		if (*e == '\0')
			break;
	}
	return !pending;
}

/* ---- URLs, dates, numbers ----------------------------------------------- */

/* The URL's authority h[0..e): "[v6]", or a host and an optional port. */
static int
url_authority_ok(const char *h, const char *e)
{
	const char *colon, *hend, *q;
	char a[64];
	struct addr ad;

	if (e > h && *h == '[') {
		const char *rb = memchr(h, ']', (size_t)(e - h));

		if (rb == NULL || (size_t)(rb - h - 1) >= sizeof(a))
			return 0;
		memcpy(a, h + 1, (size_t)(rb - h - 1));
		a[rb - h - 1] = '\0';
		return addr_parse(a, &ad) == 0 && ad.family == 6;
	}
	colon = memchr(h, ':', (size_t)(e - h));
	hend = colon != NULL ? colon : e;
	if (colon != NULL) {
		if (colon + 1 == e || e - colon > 6)
			return 0;
		for (q = colon + 1; q < e; q++)
			if (!is_digit((unsigned char)*q))
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
	return validate_domain(h, (size_t)(hend - h), VALIDATE_UTF8);
}

int
validate_url(const char *s, int https_only)
{
	const char *h;
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
	return url_authority_ok(h, h + strcspn(h, "/?#"));
}

int
validate_date(const char *s)
{
	static const int mdays[] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	int y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return y >= 1900;
}

int
validate_phone(const char *s)
{
	int digits = 0;
	const char *p;

	if (s[0] != '+')
		return 0;
	for (p = s + 1; *p != '\0'; p++) {
		if (is_digit((unsigned char)*p))
			digits++;
		else if (strchr(" -.()", *p) == NULL)
			return 0;
	}
	return digits >= 7 && digits <= 15;
}

int
validate_asn(const char *s, uint32_t *lo, uint32_t *hi)
{
	uint32_t v[2];
	int i;
	const char *p = s;

	for (i = 0; i < 2; i++) {
		unsigned long long x = 0;
		int nd = 0;

		if (strncasecmp(p, "AS", 2) == 0)
			p += 2;
		while (is_digit((unsigned char)*p) && nd < 11) {
			x = x * 10 + (unsigned)(*p++ - '0');
			nd++;
		}
		if (nd == 0 || x == 0 || x > 4294967295ULL)
			return 0;
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
		return 0;
	*lo = v[0];
	*hi = v[1];
	return 1;
}

int
validate_pgp_fingerprint(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ')
			continue;
		if (!is_xdigit((unsigned char)*s))
			return 0;
		n++;
	}
	return n == 40 || n == 64;
}

/* ---- Traffic Light Protocol --------------------------------------------- */

int
validate_tlp(const char *s)
{
	size_t i;

	for (i = 0; i < TLP_NLABELS; i++)
		if (strcmp(s, tlp_labels[i]) == 0)
			return 1;
	return 0;
}

/* 1 if s starts with the label name (without "TLP:"), any case, and the
 * name ends there. */
static int
starts_with_label(const char *s, const char *name)
{
	size_t n = strlen(name);

	return strncasecmp(s, name, n) == 0 && (s[n] == '\0' ||
	    s[n] == ' ' || s[n] == ';' || s[n] == ',' || s[n] == '\n');
}

int
validate_tlp_lead(const char *s)
{
	size_t i;

	if (strncasecmp(s, "TLP:", 4) == 0)
		s += 4;
	for (i = 0; i < TLP_NLABELS; i++)
		if (starts_with_label(s, tlp_labels[i] + 4))
			return 1;
	return starts_with_label(s, "WHITE");	/* TLP 1.0 name of CLEAR */
}
