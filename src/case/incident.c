/*
 * incident.c -- incidents as append-only journals. See incident.h; the
 * event schema is man/kyocho-journal.5.
 *
 * The store keeps, per incident, every event of its journal read once into
 * its typed form (event.h), beside the parsed JSON line. Derived state (an
 * action's state, checklist answers, contact response times) is computed
 * from the events on demand, never cached, so what is shown is always what
 * the journal says. Descriptions, parties and contact times for people:
 * incident_desc.c; the incident kinds: kinds.c.
 */
#include "case/incident.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "base/jsonw.h"
#include "base/util.h"
#include "base/validate.h"
#include "time/tz.h"

/* Local names for alert enums (the same strings alert.h documents). */
static const char *const alert_kinds[] = {
	"syn_flood", "udp_flood", "amplification", "icmp_flood",
	"fragment_flood", "mixed",
};
static const char *const alert_dirs[] = { "inbound", "outbound", "unknown" };
static const char *const spoof_names[] = { "low", "medium", "high" };

int
incident_tlp_valid(const char *tlp)
{
	return validate_tlp(tlp);	/* exact TLP 2.0 labels: validate.h */
}

struct incident_store {
	char *state;			/* STATE */
	char *dir;			/* STATE/incidents */
	char *operator;			/* who is acting in this process */
	char *zone;			/* our-zone for new incidents; NULL:
					 * its default at creation time */
	int64_t fixed_now;		/* if non-zero, the time of every event */
	uint64_t last_seq;		/* number of the last event we appended */
	struct incident **v;		/* sorted by id */
	size_t n;
	struct journal_diags diags;	/* from the last load, all journals */
};

/* ---- loading ------------------------------------------------------------ */

static void
incident_free(struct incident *inc)
{
	size_t i;

	if (inc == NULL)
		return;
	for (i = 0; i < inc->nev; i++)
		event_free(&inc->ev[i]);
	free(inc->ev);
	free(inc->path);
	free(inc);
}

/* Deep copy of a DOM value into dst. */
static void
json_copy(struct json *dst, const struct json *src)
{
	size_t i;

	*dst = *src;
	dst->v = NULL;
	dst->k = NULL;
	dst->s = NULL;
	if (src->type == JSON_STRING) {
		dst->s = xmalloc(src->slen + 1);
		memcpy(dst->s, src->s, src->slen + 1);
	} else if (src->type == JSON_ARRAY || src->type == JSON_OBJECT) {
		dst->v = xcalloc(src->n ? src->n : 1, sizeof(*dst->v));
		if (src->type == JSON_OBJECT)
			dst->k = xcalloc(src->n ? src->n : 1, sizeof(*dst->k));
		for (i = 0; i < src->n; i++) {
			json_copy(&dst->v[i], &src->v[i]);
			if (src->type == JSON_OBJECT)
				dst->k[i] = xstrdup(src->k[i]);
		}
	}
}

static void
on_event_copy(void *ctx, const struct json *ev, unsigned line)
{
	struct incident *inc = ctx;
	struct incident_event *e;
	struct json *j = xcalloc(1, sizeof(*j));

	json_copy(j, ev);
	inc->ev = xreallocarray(inc->ev, inc->nev + 1, sizeof(*inc->ev));
	e = &inc->ev[inc->nev++];
	event_load(e, j, line);
}

/* Fill the summary fields from the events. */
static void
incident_derive(struct incident *inc)
{
	size_t i;

	inc->kind = inc->title = inc->source = inc->created_by = "";
	inc->zone = "";
	inc->tlp = "TLP:AMBER";
	inc->status = INC_OPEN;
	inc->created_us = inc->last_us = 0;
	for (i = 0; i < inc->nev; i++) {
		const struct incident_event *e = &inc->ev[i];

		if (i == 0)
			inc->created_us = e->ts_us;
		if (e->ts_us > inc->last_us)
			inc->last_us = e->ts_us;
		switch (e->ev.type) {
		case EV_CREATED: {
			const struct ev_created *c = &e->ev.u.created;

			inc->kind = c->kind;
			inc->title = c->title;
			inc->source = c->source;
			inc->tlp = c->tlp != NULL ? c->tlp : "TLP:AMBER";
			inc->created_by = e->operator;
			inc->zone = c->zone;
			inc->created_us = e->ts_us;
			break;
		}
		case EV_STATUS:
			inc->status = e->ev.u.status.closed ? INC_CLOSED :
			    INC_OPEN;
			break;
		case EV_TLP:
			if (e->ev.u.tlp.tlp != NULL)
				inc->tlp = e->ev.u.tlp.tlp;
			break;
		default:
			break;
		}
	}
}

static struct incident *
incident_load(const char *path, const char *id, struct journal_diags *d)
{
	struct incident *inc = xcalloc(1, sizeof(*inc));
	size_t before = d->n;

	snprintf(inc->id, sizeof(inc->id), "%s", id);
	inc->path = xstrdup(path);
	journal_replay(path, on_event_copy, inc, d);
	inc->ndiag = d->n - before;
	incident_derive(inc);
	{
		struct stat st;

		inc->size = stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
	}
	return inc;
}

static int
id_cmp(const void *a, const void *b)
{
	const struct incident *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

/* A journal name: an id made of [0-9A-Za-z-], then ".jsonl". */
static int
journal_name(const char *name, char *id, size_t idlen)
{
	size_t n = strlen(name), i;

	if (n <= 6 || strcmp(name + n - 6, ".jsonl") != 0 ||
	    n - 6 >= idlen || name[0] == '.')
		return 0;
	for (i = 0; i < n - 6; i++) {
		char c = name[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '-' || c == '_'))
			return 0;
	}
	memcpy(id, name, n - 6);
	id[n - 6] = '\0';
	return 1;
}

static void
store_clear(struct incident_store *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		incident_free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
	journal_diags_free(&s->diags);
}

int
incident_store_reload(struct incident_store *s, char *errbuf)
{
	DIR *dir;
	struct dirent *de;

	store_clear(s);
	if ((dir = opendir(s->dir)) == NULL)
		return err_set(errbuf, "%s: %s", s->dir, strerror(errno));
	while ((de = readdir(dir)) != NULL) {
		char id[INCIDENT_ID_LEN], *path;

		if (!journal_name(de->d_name, id, sizeof(id)))
			continue;
		path = xasprintf("%s/%s", s->dir, de->d_name);
		s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
		s->v[s->n++] = incident_load(path, id, &s->diags);
		free(path);
	}
	closedir(dir);
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), id_cmp);
	return 0;
}

void
incident_store_set_zone(struct incident_store *s, const char *zone)
{
	free(s->zone);
	s->zone = zone != NULL && *zone != '\0' ? xstrdup(zone) : NULL;
}

struct incident_store *
incident_store_open(const char *state_dir, const char *operator,
    char *errbuf)
{
	struct incident_store *s;
	char user[256];

	s = xcalloc(1, sizeof(*s));
	s->state = xstrdup(state_dir);
	s->dir = xasprintf("%s/incidents", state_dir);
	if (operator != NULL && *operator != '\0')
		s->operator = xstrdup(operator);
	else if (login_name(user, sizeof(user)) != NULL)
		s->operator = xstrdup(user);
	else
		s->operator = xstrdup("unknown");
	if (mkdir(s->dir, 0700) != 0 && errno != EEXIST) {
		err_set(errbuf, "%s: %s", s->dir, strerror(errno));
		incident_store_free(s);
		return NULL;
	}
	if (incident_store_reload(s, errbuf) != 0) {
		incident_store_free(s);
		return NULL;
	}
	return s;
}

void
incident_store_free(struct incident_store *s)
{
	if (s == NULL)
		return;
	store_clear(s);
	free(s->state);
	free(s->dir);
	free(s->operator);
	free(s->zone);
	free(s);
}

struct incident *
incident_find(const struct incident_store *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i]->id, id) == 0)
			return s->v[i];
	return NULL;
}

/* ---- writing ------------------------------------------------------------ */

static int incident_reread(struct incident_store *s, struct incident *inc);

static int64_t
now_us(const struct incident_store *s)
{
	struct timeval tv;

	if (s->fixed_now != 0)
		return s->fixed_now;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/*
 * An event under construction: jsonw writes an object into memory; the
 * journal wants the members without the braces.
 */
struct evb {
	FILE *f;
	char *buf;
	size_t len;
	struct jsonw w;
};

static void
evb_open(struct evb *b, const struct incident_store *s, const char *type)
{
	char ts[32];

	b->buf = NULL;
	b->len = 0;
	if ((b->f = open_memstream(&b->buf, &b->len)) == NULL)
		fatal("open_memstream: %s", strerror(errno));
	jsonw_init(&b->w, b->f, 0);
	jsonw_obj_open(&b->w);
	jsonw_kstr(&b->w, "ts", time_rfc3339(ts, sizeof(ts), now_us(s), 0));
	jsonw_kstr(&b->w, "type", type);
	jsonw_kstr(&b->w, "operator", s->operator);
}

/* Finish: members in b->buf[1..len-1). */
static void
evb_close(struct evb *b)
{
	jsonw_obj_close(&b->w);
	fclose(b->f);
}

void
incident_refresh(struct incident_store *s, struct incident *inc)
{
	incident_reread(s, inc);
}

int
incident_store_changed(const struct incident_store *s)
{
	DIR *dir;
	struct dirent *de;
	size_t n = 0;
	int changed = 0;

	if ((dir = opendir(s->dir)) == NULL)
		return 1;
	while ((de = readdir(dir)) != NULL && !changed) {
		char id[INCIDENT_ID_LEN], *path;
		struct incident *inc;
		struct stat st;

		if (!journal_name(de->d_name, id, sizeof(id)))
			continue;
		n++;
		if ((inc = incident_find(s, id)) == NULL) {
			changed = 1;
			break;
		}
		path = xasprintf("%s/%s", s->dir, de->d_name);
		if (stat(path, &st) != 0 || (int64_t)st.st_size != inc->size)
			changed = 1;
		free(path);
	}
	closedir(dir);
	return changed || n != s->n;
}

static int
incident_reread(struct incident_store *s, struct incident *inc)
{
	struct journal_diags d = { NULL, 0 };
	struct incident *fresh = incident_load(inc->path, inc->id, &d);
	size_t i;

	journal_diags_free(&d);
	for (i = 0; i < inc->nev; i++)
		event_free(&inc->ev[i]);
	free(inc->ev);
	free(inc->path);
	*inc = *fresh;		/* the store keeps the same pointer */
	free(fresh);
	(void)s;
	return 0;
}

/*
 * Append the event; then bring the incident up to date: if nobody else
 * wrote in between (our number follows the last we knew), add our own
 * event, else re-read the journal.
 */
static int
evb_append(struct incident_store *s, struct incident *inc, struct evb *b,
    char *errbuf)
{
	uint64_t seq;
	int rc;

	evb_close(b);
	rc = journal_append(inc->path, b->buf + 1, b->len - 2, &seq, errbuf);
	if (rc == 0) {
		s->last_seq = seq;
		uint64_t last = inc->nev > 0 ? inc->ev[inc->nev - 1].seq : 0;
		char *line = xasprintf("{\"seq\":%llu,%.*s}",
		    (unsigned long long)seq, (int)(b->len - 2), b->buf + 1);
		struct json *j = json_parse(line, strlen(line), 0, NULL, NULL);

		if (j != NULL && seq == last + 1 && inc->ndiag == 0) {
			struct stat st;

			on_event_copy(inc, j, 0);
			inc->ev[inc->nev - 1].line = (unsigned)inc->nev;
			incident_derive(inc);
			inc->size = stat(inc->path, &st) == 0 ?
			    (int64_t)st.st_size : -1;
		} else
			incident_reread(s, inc);
		json_free(j);
		free(line);
	}
	free(b->buf);
	return rc;
}

static int
check_text(const char *what, const char *t, int required, char *errbuf)
{
	size_t bad;

	if (t == NULL)
		t = "";
	if (required && *t == '\0')
		return err_set(errbuf, "%s must not be empty", what);
	if (strlen(t) > INCIDENT_TEXT_MAX)
		return err_set(errbuf, "%s is longer than %d bytes", what,
		    INCIDENT_TEXT_MAX);
	if (!utf8_valid(t, strlen(t), &bad))
		return err_set(errbuf, "%s: invalid UTF-8 at byte %zu", what,
		    bad + 1);
	return 0;
}

static int
check_word(const char *what, const char *t, char *errbuf)
{
	size_t i;

	if (t == NULL || *t == '\0' || strlen(t) > 64)
		return err_set(errbuf, "%s must be a short name", what);
	for (i = 0; t[i] != '\0'; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' &&
		    t[i] <= '9') || t[i] == '-' || t[i] == '_' ||
		    (t[i] >= 'A' && t[i] <= 'Z') || t[i] == '.'))
			return err_set(errbuf, "%s '%s': only letters, digits, "
			    "'-', '_', '.'", what, t);
	return 0;
}

int
incident_create(struct incident_store *s, const char *kind,
    const char *title, const char *source, const char *tlp,
    struct incident **out, char *errbuf)
{
	struct evb b;
	char day[32], id[INCIDENT_ID_LEN], *path, zbuf[256];
	const char *zone;
	unsigned n;
	int rc = -1;

	if (check_word("kind", kind, errbuf) != 0 ||
	    check_text("title", title, 1, errbuf) != 0)
		return -1;
	if (strcmp(source, "alert") != 0 && strcmp(source, "manual") != 0 &&
	    strcmp(source, "import") != 0)
		return err_set(errbuf, "source must be alert, manual or import");
	if (!incident_tlp_valid(tlp))
		return err_set(errbuf, "TLP '%s' is not one of TLP:CLEAR, "
		    "TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED", tlp);
	/* Our zone as it is now, so the report need not guess it later. */
	zone = s->zone != NULL ? s->zone : tz_default_name(getenv("TZ"),
	    "/etc/localtime", zbuf, sizeof(zbuf));
	evb_open(&b, s, "created");
	jsonw_kstr(&b.w, "kind", kind);
	jsonw_kstr(&b.w, "title", title);
	jsonw_kstr(&b.w, "source", source);
	jsonw_kstr(&b.w, "tlp", tlp);
	if (zone != NULL)
		jsonw_kstr(&b.w, "zone", zone);
	evb_close(&b);
	time_rfc3339(day, sizeof(day), now_us(s), 0);
	day[10] = '\0';
	for (n = 1; n <= 9999; n++) {
		snprintf(id, sizeof(id), "%.10s-%04u", day, n);
		path = xasprintf("%s/%s.jsonl", s->dir, id);
		rc = journal_create(path, b.buf + 1, b.len - 2, errbuf);
		if (rc == 0) {
			struct incident *inc;
			struct journal_diags d = { NULL, 0 };

			inc = incident_load(path, id, &d);
			journal_diags_free(&d);
			s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
			s->v[s->n++] = inc;
			qsort(s->v, s->n, sizeof(*s->v), id_cmp);
			if (out != NULL)
				*out = inc;
			free(path);
			break;
		}
		free(path);
		if (rc < 0)
			break;
	}
	if (rc == 1)
		rc = err_set(errbuf, "no free incident number left for %s", day);
	free(b.buf);
	return rc;
}

int
incident_add_evidence(struct incident_store *s, struct incident *inc,
    const struct alert *a, const struct incident_srcinfo *src,
    const char *link_name, char *errbuf)
{
	struct evb b;
	char buf[64];
	unsigned i;

	evb_open(&b, s, "evidence");
	jsonw_ku64(&b.w, "alert_id", a->id);
	jsonw_kstr(&b.w, "target", addr_format(&a->target, buf, sizeof(buf)));
	jsonw_kstr(&b.w, "attack", (unsigned)a->kind < NITEMS(alert_kinds) ?
	    alert_kinds[a->kind] : "unknown");
	jsonw_kstr(&b.w, "direction", (unsigned)a->direction <
	    NITEMS(alert_dirs) ? alert_dirs[a->direction] : "unknown");
	jsonw_kstr(&b.w, "start", time_rfc3339(buf, sizeof(buf), a->start_us, 0));
	jsonw_kstr(&b.w, "last", time_rfc3339(buf, sizeof(buf), a->last_us, 0));
	if (a->end_us != 0)
		jsonw_kstr(&b.w, "end", time_rfc3339(buf, sizeof(buf),
		    a->end_us, 0));
	jsonw_ku64(&b.w, "peak_pps", a->peak_pps);
	jsonw_ku64(&b.w, "peak_bps", a->peak_bps);
	jsonw_ku64(&b.w, "packets", a->packets);
	jsonw_ku64(&b.w, "bytes", a->bytes);
	jsonw_ku64(&b.w, "syn_pps", a->syn);
	jsonw_ku64(&b.w, "udp_pps", a->udp);
	jsonw_ku64(&b.w, "icmp_pps", a->icmp);
	jsonw_ku64(&b.w, "frag_pps", a->frag);
	jsonw_ku64(&b.w, "sources_est", a->sources_est);
	jsonw_kstr(&b.w, "spoofing", (unsigned)a->spoof < NITEMS(spoof_names) ?
	    spoof_names[a->spoof] : "unknown");
	/* Per-mille integers: no locale-dependent decimal points on disk. */
	jsonw_ki64(&b.w, "spoof_score_pm", (int64_t)(a->spoof_score * 1000 + 0.5));
	jsonw_key(&b.w, "spoof_evidence");
	jsonw_arr_open(&b.w);
	for (i = 0; i < a->nevidence && i < ALERT_EVIDENCE; i++)
		jsonw_strn(&b.w, a->evidence[i], strnlen(a->evidence[i],
		    ALERT_EVIDENCE_LEN));
	jsonw_arr_close(&b.w);
	jsonw_key(&b.w, "top_sources");
	jsonw_arr_open(&b.w);
	for (i = 0; i < a->ntop && i < ALERT_TOP_SOURCES; i++) {
		jsonw_obj_open(&b.w);
		jsonw_kstr(&b.w, "addr", addr_format(&a->top[i].addr, buf,
		    sizeof(buf)));
		jsonw_ku64(&b.w, "packets", a->top[i].packets);
		jsonw_ki64(&b.w, "share_pm", (int64_t)(a->top[i].share * 1000 +
		    0.5));
		if (src != NULL) {
			if (src[i].asn != 0)
				jsonw_ku64(&b.w, "asn", src[i].asn);
			if (src[i].cc[0] != '\0') {
				jsonw_key(&b.w, "cc");
				jsonw_strn(&b.w, src[i].cc, strnlen(src[i].cc,
				    sizeof(src[i].cc)));
			}
			if (src[i].as_name[0] != '\0') {
				jsonw_key(&b.w, "as_name");
				jsonw_strn(&b.w, src[i].as_name,
				    strnlen(src[i].as_name,
				    sizeof(src[i].as_name)));
			}
		}
		jsonw_obj_close(&b.w);
	}
	jsonw_arr_close(&b.w);
	if (a->top_port != 0)
		jsonw_ku64(&b.w, "top_port", a->top_port);
	if (link_name != NULL && *link_name != '\0')
		jsonw_kstr(&b.w, "link", link_name);
	/* Who hands it to us (route changes show as a second neighbour). */
	jsonw_key(&b.w, "ingress");
	jsonw_arr_open(&b.w);
	for (i = 0; i < a->ningress && i < ALERT_INGRESS; i++) {
		const struct alert_ingress *n = &a->ingress[i];

		jsonw_obj_open(&b.w);
		if (n->link[0] != '\0')
			jsonw_kstr(&b.w, "link", n->link);
		if (n->has_mac) {
			snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
			    n->mac[0], n->mac[1], n->mac[2], n->mac[3],
			    n->mac[4], n->mac[5]);
			jsonw_kstr(&b.w, "mac", buf);
		}
		if (n->asn != 0)
			jsonw_ku64(&b.w, "asn", n->asn);
		if (n->contact[0] != '\0')
			jsonw_kstr(&b.w, "contact", n->contact);
		jsonw_ku64(&b.w, "packets", n->packets);
		jsonw_ki64(&b.w, "share_pm", (int64_t)(n->share * 1000 + 0.5));
		jsonw_kstr(&b.w, "first", time_rfc3339(buf, sizeof(buf),
		    n->first_us, 0));
		jsonw_kstr(&b.w, "last", time_rfc3339(buf, sizeof(buf),
		    n->last_us, 0));
		jsonw_obj_close(&b.w);
	}
	jsonw_arr_close(&b.w);
	return evb_append(s, inc, &b, errbuf);
}

int
incident_note(struct incident_store *s, struct incident *inc,
    const char *text, char *errbuf)
{
	struct evb b;

	if (check_text("note", text, 1, errbuf) != 0)
		return -1;
	evb_open(&b, s, "note");
	jsonw_kstr(&b.w, "text", text);
	return evb_append(s, inc, &b, errbuf);
}

int
incident_action(struct incident_store *s, struct incident *inc,
    const char *action, enum action_state state, const char *detail,
    char *errbuf)
{
	struct evb b;

	if (check_word("action", action, errbuf) != 0 ||
	    check_text("detail", detail, 0, errbuf) != 0)
		return -1;
	if (state != ACT_PROPOSED && state != ACT_TAKEN && state != ACT_LIFTED)
		return err_set(errbuf, "action state must be proposed, taken "
		    "or lifted");
	evb_open(&b, s, "action");
	jsonw_kstr(&b.w, "action", action);
	jsonw_kstr(&b.w, "state", incident_action_state_name(state));
	jsonw_kstr(&b.w, "detail", detail != NULL ? detail : "");
	if (state == ACT_TAKEN && incident_override_for(inc, action) != NULL)
		jsonw_kbool(&b.w, "under_override", 1);
	return evb_append(s, inc, &b, errbuf);
}

int
incident_override(struct incident_store *s, struct incident *inc,
    const char *action, const char *reason, char *errbuf)
{
	struct evb b;

	if (check_word("action", action, errbuf) != 0 ||
	    check_text("override reason", reason, 1, errbuf) != 0)
		return -1;
	evb_open(&b, s, "override");
	jsonw_kstr(&b.w, "action", action);
	jsonw_kstr(&b.w, "reason", reason);
	return evb_append(s, inc, &b, errbuf);
}

int
incident_answer(struct incident_store *s, struct incident *inc,
    const char *action, const char *question, const char *answer,
    const char *reason, char *errbuf)
{
	struct evb b;

	if (check_word("action", action, errbuf) != 0 ||
	    check_word("question", question, errbuf) != 0 ||
	    check_text("answer", answer, 1, errbuf) != 0 ||
	    check_text("reason", reason, 1, errbuf) != 0)
		return -1;
	evb_open(&b, s, "answer");
	jsonw_kstr(&b.w, "action", action);
	jsonw_kstr(&b.w, "question", question);
	jsonw_kstr(&b.w, "answer", answer);
	jsonw_kstr(&b.w, "reason", reason);
	return evb_append(s, inc, &b, errbuf);
}

int
incident_contact(struct incident_store *s, struct incident *inc,
    enum contact_what what, const char *channel, const char *contact_id,
    const char *whom, const char *text, char *errbuf)
{
	struct evb b;

	if ((unsigned)what > CONTACT_RESOLUTION)
		return err_set(errbuf, "unknown contact event");
	if (check_word("channel", channel, errbuf) != 0 ||
	    check_text("contact id", contact_id, 0, errbuf) != 0 ||
	    check_text("whom", whom, 0, errbuf) != 0 ||
	    check_text("text", text, 0, errbuf) != 0)
		return -1;
	if ((contact_id == NULL || *contact_id == '\0') &&
	    (whom == NULL || *whom == '\0'))
		return err_set(errbuf, "say whom: a contact id or a name");
	evb_open(&b, s, "contact");
	jsonw_kstr(&b.w, "what", incident_contact_name(what));
	jsonw_kstr(&b.w, "channel", channel);
	jsonw_kstr(&b.w, "contact", contact_id != NULL ? contact_id : "");
	jsonw_kstr(&b.w, "whom", whom != NULL ? whom : "");
	jsonw_kstr(&b.w, "text", text != NULL ? text : "");
	return evb_append(s, inc, &b, errbuf);
}

int
incident_draft_saved(struct incident_store *s, struct incident *inc,
    const char *path, const char *template_id, const char *lang,
    const char *contact_id, char *errbuf)
{
	struct evb b;

	if (check_text("path", path, 1, errbuf) != 0 ||
	    check_word("template", template_id, errbuf) != 0 ||
	    check_word("language", lang, errbuf) != 0 ||
	    check_text("contact id", contact_id, 0, errbuf) != 0)
		return -1;
	evb_open(&b, s, "draft");
	jsonw_kstr(&b.w, "path", path);
	jsonw_kstr(&b.w, "template", template_id);
	jsonw_kstr(&b.w, "lang", lang);
	jsonw_kstr(&b.w, "contact", contact_id != NULL ? contact_id : "");
	return evb_append(s, inc, &b, errbuf);
}

int
incident_set_status(struct incident_store *s, struct incident *inc,
    enum incident_status st, const char *reason, char *errbuf)
{
	struct evb b;

	if (check_text("reason", reason, st == INC_CLOSED, errbuf) != 0)
		return -1;
	evb_open(&b, s, "status");
	jsonw_kstr(&b.w, "status", st == INC_CLOSED ? "closed" : "open");
	jsonw_kstr(&b.w, "reason", reason != NULL ? reason : "");
	return evb_append(s, inc, &b, errbuf);
}

/* ---- derived state ------------------------------------------------------ */

enum action_state
incident_action_state(const struct incident *inc, const char *action,
    const struct incident_event **last)
{
	enum action_state st = ACT_NONE;
	size_t i;

	if (last != NULL)
		*last = NULL;
	for (i = 0; i < inc->nev; i++) {
		const struct incident_event *e = &inc->ev[i];
		const struct ev_action *ea = &e->ev.u.action;

		if (e->ev.type != EV_ACTION || strcmp(ea->action, action) != 0 ||
		    ea->state < 0)
			continue;
		st = (enum action_state)ea->state;
		if (last != NULL)
			*last = e;
	}
	return st;
}

const struct incident_event *
incident_override_for(const struct incident *inc, const char *action)
{
	size_t i;

	for (i = 0; i < inc->nev; i++)
		if (inc->ev[i].ev.type == EV_OVERRIDE &&
		    strcmp(inc->ev[i].ev.u.override.action, action) == 0)
			return &inc->ev[i];
	return NULL;
}

const struct incident_event *
incident_last_evidence(const struct incident *inc)
{
	size_t i;

	for (i = inc->nev; i > 0; i--)
		if (inc->ev[i - 1].ev.type == EV_EVIDENCE)
			return &inc->ev[i - 1];
	return NULL;
}

/* ---- the store's contents ----------------------------------------------- */

size_t
incident_store_count(const struct incident_store *s)
{
	return s->n;
}

struct incident *
incident_store_at(const struct incident_store *s, size_t i)
{
	return i < s->n ? s->v[i] : NULL;
}

int
incident_matches(const struct incident *inc, const char *needle)
{
	return needle == NULL || *needle == '\0' ||
	    strstr(inc->id, needle) != NULL ||
	    strstr(inc->title, needle) != NULL ||
	    strstr(inc->kind, needle) != NULL;
}

size_t
incident_store_filter(const struct incident_store *s, const char *needle,
    size_t *idx, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		if (incident_matches(s->v[i], needle)) {
			if (n < max)
				idx[n] = i;
			n++;
		}
	return n;
}

const char *
incident_store_state_dir(const struct incident_store *s)
{
	return s->state;
}

const char *
incident_store_dir(const struct incident_store *s)
{
	return s->dir;
}

const struct journal_diags *
incident_store_diags(const struct incident_store *s)
{
	return &s->diags;
}

const char *
incident_store_operator(const struct incident_store *s)
{
	return s->operator;
}

uint64_t
incident_store_last_seq(const struct incident_store *s)
{
	return s->last_seq;
}

void
incident_store_set_now(struct incident_store *s, int64_t us)
{
	s->fixed_now = us;
}

int64_t
incident_store_now(const struct incident_store *s)
{
	return now_us(s);
}

int
incident_answer_proposed(struct incident_store *s, struct incident *inc,
    const char *action, const char *question, const char *answer,
    const char *reason, const char *source, const char *playbook,
    char *errbuf)
{
	struct evb b;

	if (check_word("action", action, errbuf) != 0 ||
	    check_word("question", question, errbuf) != 0 ||
	    check_text("answer", answer, 1, errbuf) != 0 ||
	    check_text("reason", reason, 1, errbuf) != 0)
		return -1;
	if (strcmp(source, "playbook") != 0 && strcmp(source, "evidence") != 0)
		return err_set(errbuf, "source must be playbook or evidence");
	if (playbook != NULL && *playbook != '\0' &&
	    check_word("playbook", playbook, errbuf) != 0)
		return -1;
	evb_open(&b, s, "answer");
	jsonw_kstr(&b.w, "action", action);
	jsonw_kstr(&b.w, "question", question);
	jsonw_kstr(&b.w, "answer", answer);
	jsonw_kstr(&b.w, "reason", reason);
	jsonw_kstr(&b.w, "source", source);
	if (playbook != NULL && *playbook != '\0')
		jsonw_kstr(&b.w, "playbook", playbook);
	return evb_append(s, inc, &b, errbuf);
}

int
incident_export_logged(struct incident_store *s, struct incident *inc,
    const struct ev_export *x, char *errbuf)
{
	struct evb b;

	if (check_word("format", x->format, errbuf) != 0 ||
	    check_text("contact id", x->contact, 0, errbuf) != 0 ||
	    check_text("recipient", x->recipient, 0, errbuf) != 0 ||
	    check_text("path", x->path, 0, errbuf) != 0 ||
	    check_text("reason", x->reason, 0, errbuf) != 0)
		return -1;
	evb_open(&b, s, "export");
	jsonw_kstr(&b.w, "format", x->format);
	jsonw_kstr(&b.w, "outcome", x->refused ? "refused" : "exported");
	jsonw_kstr(&b.w, "contact", x->contact != NULL ? x->contact : "");
	jsonw_kstr(&b.w, "recipient", x->recipient != NULL ? x->recipient :
	    "");
	jsonw_kstr(&b.w, "tlp", inc->tlp);
	if (x->refused)
		jsonw_kstr(&b.w, "reason", x->reason);
	else {
		jsonw_kstr(&b.w, "path", x->path);
		jsonw_kstr(&b.w, "sha256", x->sha256);
	}
	return evb_append(s, inc, &b, errbuf);
}
/* ---- phishing sites (issue 14) ---------------------------------------- */

int
incident_site(struct incident_store *s, struct incident *inc,
    const char *url, const char *host, const char *brand,
    int64_t first_seen_us, char *errbuf)
{
	struct evb b;
	char ts[40];

	if (check_text("url", url, 0, errbuf) != 0 ||
	    check_text("host", host, 1, errbuf) != 0 ||
	    check_text("brand", brand, 0, errbuf) != 0)
		return -1;
	evb_open(&b, s, "site");
	jsonw_kstr(&b.w, "url", url != NULL ? url : "");
	jsonw_kstr(&b.w, "host", host);
	jsonw_kstr(&b.w, "brand", brand != NULL ? brand : "");
	jsonw_kstr(&b.w, "first_seen", time_rfc3339(ts, sizeof(ts),
	    first_seen_us != 0 ? first_seen_us : incident_store_now(s), 0));
	return evb_append(s, inc, &b, errbuf);
}

int
incident_lookup(struct incident_store *s, struct incident *inc,
    const struct site_lookup *l, char *errbuf)
{
	struct evb b;
	char ts[40];
	size_t i;

	if (l->host[0] == '\0')
		return err_set(errbuf, "a lookup needs the host it asked about");
	evb_open(&b, s, "lookup");
	jsonw_kstr(&b.w, "host", l->host);
	jsonw_kstr(&b.w, "status", l->status);
	if (l->error[0] != '\0')
		jsonw_kstr(&b.w, "error", l->error);
	jsonw_kstr(&b.w, "at", time_rfc3339(ts, sizeof(ts), l->at_us != 0 ?
	    l->at_us : incident_store_now(s), 0));
	jsonw_key(&b.w, "addrs");
	jsonw_arr_open(&b.w);
	for (i = 0; i < l->naddrs && i < SITE_ADDRS_MAX; i++) {
		jsonw_obj_open(&b.w);
		jsonw_kstr(&b.w, "addr", l->addrs[i].addr);
		if (l->addrs[i].asn != 0)
			jsonw_ku64(&b.w, "asn", l->addrs[i].asn);
		jsonw_kstr(&b.w, "cc", l->addrs[i].cc);
		jsonw_kstr(&b.w, "as_name", l->addrs[i].as_name);
		jsonw_kstr(&b.w, "abuse", l->addrs[i].abuse);
		jsonw_kstr(&b.w, "source", l->addrs[i].source);
		jsonw_obj_close(&b.w);
	}
	jsonw_arr_close(&b.w);
	if (l->domain[0] != '\0')
		jsonw_kstr(&b.w, "domain", l->domain);
	if (l->registrar[0] != '\0' || l->registrar_abuse[0] != '\0') {
		jsonw_key(&b.w, "registrar");
		jsonw_obj_open(&b.w);
		jsonw_kstr(&b.w, "name", l->registrar);
		jsonw_kstr(&b.w, "id", l->registrar_id);
		jsonw_kstr(&b.w, "abuse_email", l->registrar_abuse);
		jsonw_kstr(&b.w, "abuse_phone", l->registrar_phone);
		jsonw_kstr(&b.w, "source", l->registrar_source);
		jsonw_kstr(&b.w, "at", l->registrar_at);
		jsonw_obj_close(&b.w);
	}
	jsonw_key(&b.w, "sources");
	jsonw_arr_open(&b.w);
	for (i = 0; i < l->nsources && i < NITEMS(l->sources); i++)
		jsonw_str(&b.w, l->sources[i]);
	jsonw_arr_close(&b.w);
	return evb_append(s, inc, &b, errbuf);
}

int
incident_takedown(struct incident_store *s, struct incident *inc,
    const char *how, const char *detail, char *errbuf)
{
	struct evb b;

	if (check_word("takedown", how, errbuf) != 0 ||
	    check_text("detail", detail, 0, errbuf) != 0)
		return -1;
	evb_open(&b, s, "takedown");
	jsonw_kstr(&b.w, "how", how);
	jsonw_kstr(&b.w, "detail", detail != NULL ? detail : "");
	return evb_append(s, inc, &b, errbuf);
}

static const struct incident_event *
last_of(const struct incident *inc, enum ev_type t, int first)
{
	size_t i;
	const struct incident_event *r = NULL;

	for (i = 0; i < inc->nev; i++)
		if (inc->ev[i].ev.type == t) {
			r = &inc->ev[i];
			if (first)
				break;
		}
	return r;
}

const struct incident_event *
incident_site_event(const struct incident *inc)
{
	return last_of(inc, EV_SITE, 0);
}

const struct incident_event *
incident_last_lookup(const struct incident *inc)
{
	return last_of(inc, EV_LOOKUP, 0);
}

/* The first takedown counts: the site went down then. */
const struct incident_event *
incident_takedown_event(const struct incident *inc)
{
	return last_of(inc, EV_TAKEDOWN, 1);
}

int
incident_site_times(const struct incident *inc, struct site_times *out)
{
	const struct incident_event *site = incident_site_event(inc);
	const struct incident_event *td = incident_takedown_event(inc);
	size_t i;

	memset(out, 0, sizeof(*out));
	if (site == NULL)
		return 0;
	out->first_seen_us = site->ev.u.site.first_seen_us != 0 ?
	    site->ev.u.site.first_seen_us : site->ts_us;
	for (i = 0; i < inc->nev; i++) {
		const struct incident_event *e = &inc->ev[i];

		if (e->ev.type == EV_SITE && e->ev.u.site.first_seen_us != 0 &&
		    e->ev.u.site.first_seen_us < out->first_seen_us)
			out->first_seen_us = e->ev.u.site.first_seen_us;
		if (e->ev.type != EV_CONTACT)
			continue;
		if (e->ev.u.contact.what == CONTACT_ATTEMPT &&
		    out->first_report_us == 0)
			out->first_report_us = e->ts_us;
		else if (e->ev.u.contact.what >= CONTACT_REPLY &&
		    out->first_answer_us == 0 && out->first_report_us != 0)
			out->first_answer_us = e->ts_us;
	}
	out->takedown_us = td != NULL ? td->ts_us : 0;
	return 1;
}
