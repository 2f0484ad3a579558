/*
 * casework_share.c -- sharing in other tools' formats (issue 17,
 * casework.h): the rules of disclosure -- the TLP bounds, the share-peer /
 * share-csirt checklist gate, the journal entry of every export and
 * refusal -- and importing another team's report as an incident.
 */
#include "casework/casework_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

/* ---- sharing in other tools' formats (issue 17) ---------------------- */

/* The contact with this id (valid records only), or NULL. */
static const struct contact *
contact_by_id(struct casework *cw, const char *id)
{
	struct contacts *db;
	long i;

	if (id == NULL || *id == '\0')
		return NULL;
	if ((db = casework_contacts(cw)) == NULL &&
	    casework_load_contacts(cw, 0, NULL) == 0)
		db = casework_contacts(cw);
	if (db == NULL || (i = contacts_find(db, id)) < 0)
		return NULL;
	return contacts_get(db, (size_t)i);
}

const char *
casework_share_action(const struct contact *c)
{
	if (c == NULL)
		return "share-csirt";
	switch (c->kind) {
	case CK_NATIONAL_CSIRT: case CK_CSIRT: case CK_FIRST_TEAM:
	case CK_ISAC: case CK_NATIONAL_POC: case CK_NOG:
	case CK_DOMESTIC_AGENCY: case CK_LAW_ENFORCEMENT: case CK_RIR:
		return "share-csirt";
	default:
		return "share-peer";
	}
}

/* 1 if a network of c's (prefixes, AS numbers) holds one of the latest
 * evidence's sources: c is the organisation the evidence concerns. */
static int
evidence_concerns(const struct incident *inc, const struct contact *c)
{
	const struct incident_event *le = incident_last_evidence(inc);
	const struct ev_evidence *e;
	struct addr a;
	size_t i, k;

	if (le == NULL || c == NULL)
		return 0;
	e = &le->ev.u.evidence;
	for (i = 0; i < e->ntop; i++) {
		if (e->top[i].addr != NULL && addr_parse(e->top[i].addr, &a)
		    == 0 && prefix_list_contains(c->prefixes, c->nprefixes, &a))
			return 1;
		for (k = 0; k < c->nasns; k++)
			if (e->top[i].asn > 0 && e->top[i].asn >= c->asns[k].lo &&
			    e->top[i].asn <= c->asns[k].hi)
				return 1;
	}
	return 0;
}

/* May inc's evidence go to c (NULL: nobody named) in format? 0, or -1
 * with errbuf: the TLP, then the sharing action's checklist. */
static int
may_export(struct casework *cw, const struct incident *inc,
    const struct contact *c, const char *cid, char *errbuf)
{
	const char *action = casework_share_action(c);
	char why[ERRBUF_SIZE];

	if (strcmp(inc->tlp, "TLP:RED") == 0)
		return err_set(errbuf, "%s is TLP:RED: its evidence never "
		    "leaves the NOC (lower the TLP first if the source agrees)",
		    inc->id);
	if (cid != NULL && *cid != '\0' && c == NULL)
		return err_set(errbuf, "no valid contact '%s' in the contact "
		    "database", cid);
	if (strcmp(inc->tlp, "TLP:AMBER+STRICT") == 0 && c == NULL)
		return err_set(errbuf, "%s is TLP:AMBER+STRICT: it goes only "
		    "to the organisation it concerns; name it with --for",
		    inc->id);
	if (strcmp(inc->tlp, "TLP:AMBER+STRICT") == 0 &&
	    !evidence_concerns(inc, c))
		return err_set(errbuf, "%s is TLP:AMBER+STRICT: it goes only "
		    "to the organisation it concerns, and no network of %s "
		    "(%s) holds one of its sources", inc->id, c->id,
		    contacts_kind_name(c->kind));
	if (casework_may_take(cw, inc, action, why) != 0)
		return err_set(errbuf, "export is a disclosure: %s", why);
	return 0;
}

/* Journal a refusal; errbuf keeps the reason. Returns -1. */
static int
export_refused(struct incident_store *s, struct incident *inc,
    enum export_format fmt, const struct contact *c, const char *cid,
    char *errbuf)
{
	struct ev_export x;
	char e2[ERRBUF_SIZE];

	memset(&x, 0, sizeof(x));
	x.format = export_format_name(fmt);
	x.contact = cid != NULL ? cid : "";
	x.recipient = c != NULL ? (c->org[0] ? c->org : c->team) : "";
	x.refused = 1;
	x.reason = errbuf;
	if (incident_export_logged(s, inc, &x, e2) != 0) {
		char r[ERRBUF_SIZE];

		snprintf(r, sizeof(r), "%s", errbuf);
		err_set(errbuf, "%s (and the refusal was not journaled: %s)",
		    r, e2);
	}
	return -1;
}

int
casework_export(struct casework *cw, struct incident *inc,
    enum export_format fmt, const char *contact_id, const char *path,
    char **doc_out, char **path_out, char *errbuf)
{
	const struct options *opt = cw->cfg.opt;
	const struct contact *c;
	struct incident_store *s;
	struct export_params p;
	struct ev_export x;
	char hex[65], *doc, *where;
	FILE *f;
	int fd;

	*doc_out = NULL;
	if (path_out != NULL)
		*path_out = NULL;
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	c = contact_by_id(cw, contact_id);
	if (may_export(cw, inc, c, contact_id, errbuf) != 0)
		return export_refused(s, inc, fmt, c, contact_id, errbuf);
	memset(&p, 0, sizeof(p));
	p.format = fmt;
	p.to = c;
	p.org = opt != NULL ? opt->org : NULL;
	p.noc_email = opt != NULL ? opt->noc_email : NULL;
	p.now_us = incident_store_now(s);
	if ((doc = export_build(inc, &p, errbuf)) == NULL)
		return export_refused(s, inc, fmt, c, contact_id, errbuf);
	export_sha256_hex(doc, strlen(doc), hex);
	if (path != NULL && strcmp(path, "-") == 0)
		where = xstrdup("-");
	else {
		if (path == NULL) {
			char *dir = xasprintf("%s/exports",
			    incident_store_state_dir(s));

			if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
				err_set(errbuf, "cannot make %s: %s", dir,
				    strerror(errno));
				free(dir);
				free(doc);
				return -1;
			}
			where = xasprintf("%s/%s-%s%s%s.json", dir, inc->id,
			    export_format_name(fmt), c != NULL ? "-" : "",
			    c != NULL ? c->id : "");
			free(dir);
		} else
			where = xstrdup(path);
		if ((fd = open_private(where, 0)) < 0 ||
		    (f = fdopen(fd, "w")) == NULL) {
			err_set(errbuf, "cannot write %s: %s", where,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			free(where);
			free(doc);
			return -1;
		}
		if (fputs(doc, f) == EOF || fflush(f) != 0 ||
		    fsync(fileno(f)) != 0) {
			err_set(errbuf, "%s: write error: %s", where,
			    strerror(errno));
			fclose(f);
			free(where);
			free(doc);
			return -1;
		}
		fclose(f);
	}
	memset(&x, 0, sizeof(x));
	x.format = export_format_name(fmt);
	x.contact = c != NULL ? c->id : "";
	x.recipient = c != NULL ? (c->org[0] ? c->org : c->team) : "";
	x.path = where;
	x.sha256 = hex;
	if (incident_export_logged(s, inc, &x, errbuf) != 0) {
		/* not journaled: not disclosed either */
		if (strcmp(where, "-") != 0)
			(void)unlink(where);
		free(where);
		free(doc);
		return -1;
	}
	*doc_out = doc;
	if (path_out != NULL)
		*path_out = where;
	else
		free(where);
	return 0;
}

int
casework_draft_attach(struct casework *cw, struct incident *inc,
    const char *contact_id, const char *draft_path, char *errbuf)
{
	const struct contact *c = contact_by_id(cw, contact_id);
	char *doc, *path, hex[65];
	FILE *f;
	int fmt;

	if (c == NULL)
		return err_set(errbuf, "--attach needs --contact naming a "
		    "valid contact");
	if ((fmt = export_format_for(c)) < 0)
		return err_set(errbuf, "%s lists no formats and has no "
		    "abuse-email: no export fits it", c->id);
	if (casework_export(cw, inc, (enum export_format)fmt, c->id, NULL,
	    &doc, &path, errbuf) != 0)
		return -1;
	export_sha256_hex(doc, strlen(doc), hex);
	free(doc);
	if ((f = fopen(draft_path, "a")) == NULL) {
		err_set(errbuf, "cannot append to %s: %s", draft_path,
		    strerror(errno));
		free(path);
		return -1;
	}
	fprintf(f, "\nAttachment: %s (%s, sha256 %s)\n", path,
	    fmt == EXPORT_XARF ? "X-ARF v4" : fmt == EXPORT_MISP ?
	    "MISP event" : "STIX 2.1 bundle", hex);
	free(path);
	if (fclose(f) != 0)
		return err_set(errbuf, "%s: write error", draft_path);
	return 0;
}

/* The contact whose e-mail addresses or organisation match the sender. */
static const struct contact *
contact_for_sender(struct casework *cw, const struct export_import *im)
{
	struct contacts *db;
	size_t i, k;

	if ((db = casework_contacts(cw)) == NULL &&
	    casework_load_contacts(cw, 0, NULL) == 0)
		db = casework_contacts(cw);
	for (i = 0; db != NULL && i < contacts_count(db); i++) {
		const struct contact *c = contacts_get(db, i);

		if (!c->valid)
			continue;
		for (k = 0; im->sender_contact[0] && k < c->email.n; k++)
			if (strcasecmp(c->email.v[k], im->sender_contact) == 0)
				return c;
		for (k = 0; im->sender_contact[0] && k < c->abuse_email.n; k++)
			if (strcasecmp(c->abuse_email.v[k],
			    im->sender_contact) == 0)
				return c;
		if (c->org[0] && strcasecmp(c->org, im->sender_org) == 0)
			return c;
	}
	return NULL;
}

int
casework_import(struct casework *cw, const uint8_t *p, size_t len,
    const char *name, struct incident **out, char *errbuf)
{
	struct export_import im;
	struct incident_store *s;
	struct alert a;
	const struct contact *from;
	const char *kind, *tlp;
	char title[512], hex[65], *note;
	size_t i;

	*out = NULL;
	if (export_import_parse(p, len, &im, errbuf) != 0) {
		char e[ERRBUF_SIZE];

		snprintf(e, sizeof(e), "%s", errbuf);
		return err_set(errbuf, "%s: %s", name, e);
	}
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	memset(&a, 0, sizeof(a));
	a.direction = DIR_OUTBOUND;
	a.kind = strcmp(im.protocol, "tcp") == 0 ? KIND_SYN_FLOOD :
	    strcmp(im.protocol, "icmp") == 0 ? KIND_ICMP_FLOOD :
	    strcmp(im.protocol, "udp") == 0 ? KIND_UDP_FLOOD : KIND_MIXED;
	if (im.target[0] == '\0' || addr_parse(im.target, &a.target) != 0)
		memset(&a.target, 0, sizeof(a.target));
	a.start_us = im.first_us != 0 ? im.first_us : incident_store_now(s);
	a.last_us = im.last_us != 0 ? im.last_us : a.start_us;
	a.end_us = a.last_us;
	a.peak_pps = im.peak_pps;
	a.peak_bps = im.peak_bps;
	a.packets = im.packets;
	a.bytes = im.bytes;
	a.top_port = (uint16_t)im.dst_port;
	for (i = 0; i < im.nsources && i < ALERT_TOP_SOURCES; i++)
		if (addr_parse(im.sources[i], &a.top[a.ntop].addr) == 0)
			a.ntop++;
	kind = "outbound-bots";
	tlp = im.tlp[0] != '\0' ? im.tlp : casework_default_tlp(cw, kind);
	snprintf(title, sizeof(title), "%s %s from %s: %s",
	    im.format == EXPORT_XARF ? "X-ARF" : "MISP", im.what,
	    im.sender_org, im.sources[0]);
	if (casework_create(cw, kind, title, "import", tlp, out, errbuf) != 0)
		return -1;
	if (incident_add_evidence(s, *out, &a, NULL, NULL, errbuf) != 0)
		return -1;
	export_sha256_hex(p, len, hex);
	note = xasprintf("Imported %s (sha256 %s): %s %s%s%s%s%s%s", name, hex,
	    im.format == EXPORT_XARF ? "X-ARF report" : "MISP event",
	    im.report_id, im.sender_contact[0] ? " from " : "",
	    im.sender_contact, im.description[0] ? " -- " : "",
	    im.description, "");
	if (incident_note(s, *out, note, errbuf) != 0) {
		free(note);
		return -1;
	}
	free(note);
	from = contact_for_sender(cw, &im);
	return incident_contact(s, *out, CONTACT_REPLY,
	    im.format == EXPORT_XARF ? "xarf" : "misp",
	    from != NULL ? from->id : "", im.sender_org, "reported bots in "
	    "our network", errbuf);
}
