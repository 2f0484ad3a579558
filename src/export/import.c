/*
 * import.c -- read an X-ARF v4 report or a MISP event from another
 * organisation (export.h). The file is hostile input: jansson parses it
 * (bounded length, duplicate keys refused) and every member is read with
 * its type checked; a member of the wrong type counts as absent, and text
 * is copied bounded. Formats: xarf/xarf-spec schemas/v4 (xarf-core.json),
 * the MISP core format (draft-dulaunoy-misp-core-format) and the
 * misp-objects ddos template.
 */
#include "export/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/addr.h"
#include "base/util.h"

#define IMPORT_MAX_BYTES	(4u << 20)

/* A string member, or NULL. */
static const char *
str(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void
copy(char *dst, size_t len, const char *s)
{
	if (s != NULL)
		snprintf(dst, len, "%s", s);
}

/* An unsigned number given as a JSON integer or a decimal string. */
static uint64_t
num(const json_t *v)
{
	uint64_t u;

	if (json_is_integer(v) && json_integer_value(v) > 0)
		return (uint64_t)json_integer_value(v);
	if (json_is_string(v) && parse_u64_si(json_string_value(v), &u) == 0)
		return u;
	return 0;
}

static int64_t
when(const char *s)
{
	int64_t us;

	return s != NULL && time_parse_rfc3339(s, &us) == 0 ? us : 0;
}

/* Add a as a source if it is an address and not there yet. */
static void
add_source(struct export_import *out, const char *a)
{
	struct addr x;
	size_t i;

	if (a == NULL || addr_parse(a, &x) != 0 ||
	    out->nsources >= IMPORT_MAX_SOURCES)
		return;
	for (i = 0; i < out->nsources; i++)
		if (strcmp(out->sources[i], a) == 0)
			return;
	copy(out->sources[out->nsources++], sizeof(out->sources[0]), a);
}

/* "tlp:amber" (any case) -> "TLP:AMBER" if it is a TLP 2.0 label. */
static void
take_tlp(struct export_import *out, const char *tag)
{
	static const char *const labels[] = { "TLP:CLEAR", "TLP:GREEN",
	    "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED" };
	size_t i;

	if (tag == NULL || out->tlp[0] != '\0')
		return;
	for (i = 0; i < NITEMS(labels); i++)
		if (strcasecmp(tag, labels[i]) == 0)
			copy(out->tlp, sizeof(out->tlp), labels[i]);
	if (out->tlp[0] == '\0' && strcasecmp(tag, "tlp:white") == 0)
		copy(out->tlp, sizeof(out->tlp), "TLP:CLEAR");
}

static int
read_xarf(const json_t *r, struct export_import *out, char *errbuf)
{
	const json_t *who = json_object_get(r, "sender"), *tags;
	const char *src = str(r, "source_identifier");
	size_t i;

	if (!json_is_object(who))
		who = json_object_get(r, "reporter");
	if (!json_is_object(who) || str(who, "org") == NULL)
		return err_set(errbuf, "X-ARF report without a sender or "
		    "reporter organisation: cannot attribute it");
	if (src == NULL)
		return err_set(errbuf, "X-ARF report without a "
		    "source_identifier");
	out->format = EXPORT_XARF;
	copy(out->sender_org, sizeof(out->sender_org), str(who, "org"));
	copy(out->sender_contact, sizeof(out->sender_contact),
	    str(who, "contact"));
	copy(out->report_id, sizeof(out->report_id), str(r, "report_id"));
	snprintf(out->what, sizeof(out->what), "%.60s/%.60s",
	    str(r, "category") != NULL ? str(r, "category") : "?",
	    str(r, "type") != NULL ? str(r, "type") : "?");
	add_source(out, src);
	if (out->nsources == 0)
		return err_set(errbuf, "X-ARF report: source_identifier is "
		    "not an address in our network's terms (an IP address)");
	out->src_port = (unsigned)(num(json_object_get(r, "source_port")) &
	    0xffff);
	copy(out->target, sizeof(out->target), str(r, "destination_ip"));
	out->dst_port = (unsigned)(num(json_object_get(r,
	    "destination_port")) & 0xffff);
	copy(out->protocol, sizeof(out->protocol), str(r, "protocol"));
	out->peak_pps = num(json_object_get(r, "peak_pps"));
	out->peak_bps = num(json_object_get(r, "peak_bps"));
	out->packets = num(json_object_get(r, "total_packets"));
	out->bytes = num(json_object_get(r, "total_bytes"));
	out->first_us = when(str(r, "first_seen"));
	if (out->first_us == 0)
		out->first_us = when(str(r, "timestamp"));
	out->last_us = when(str(r, "last_seen"));
	copy(out->description, sizeof(out->description),
	    str(r, "description"));
	tags = json_object_get(r, "tags");
	for (i = 0; json_is_array(tags) && i < json_array_size(tags); i++)
		take_tlp(out, json_string_value(json_array_get(tags, i)));
	return 0;
}

/* One MISP attribute (of the event or of an object). */
static void
misp_attr(struct export_import *out, const json_t *a)
{
	const char *type = str(a, "type"), *rel = str(a, "object_relation");
	const char *v = str(a, "value");

	if (type == NULL || v == NULL)
		return;
	if (rel == NULL)
		rel = type;
	if (strcmp(rel, "ip-src") == 0 || strcmp(type, "ip-src") == 0)
		add_source(out, v);
	else if (strcmp(rel, "ip-dst") == 0 && out->target[0] == '\0')
		copy(out->target, sizeof(out->target), v);
	else if (strcmp(rel, "first-seen") == 0)
		out->first_us = when(v);
	else if (strcmp(rel, "last-seen") == 0)
		out->last_us = when(v);
	else if (strcmp(rel, "total-pps") == 0)
		out->peak_pps = num(json_object_get(a, "value"));
	else if (strcmp(rel, "total-bps") == 0)
		out->peak_bps = num(json_object_get(a, "value"));
	else if (strcmp(rel, "dst-port") == 0)
		out->dst_port = (unsigned)(num(json_object_get(a, "value")) &
		    0xffff);
	else if (strcmp(rel, "src-port") == 0)
		out->src_port = (unsigned)(num(json_object_get(a, "value")) &
		    0xffff);
	else if (strcmp(rel, "protocol") == 0)
		copy(out->protocol, sizeof(out->protocol), v);
}

static int
read_misp(const json_t *ev, struct export_import *out, char *errbuf)
{
	const json_t *org = json_object_get(ev, "Orgc"), *arr, *tags;
	size_t i, j;

	if (!json_is_object(org) || str(org, "name") == NULL)
		org = json_object_get(ev, "Org");
	if (!json_is_object(org) || str(org, "name") == NULL)
		return err_set(errbuf, "MISP event without an Orgc or Org "
		    "name: cannot attribute it");
	out->format = EXPORT_MISP;
	copy(out->sender_org, sizeof(out->sender_org), str(org, "name"));
	copy(out->report_id, sizeof(out->report_id), str(ev, "uuid"));
	copy(out->what, sizeof(out->what), str(ev, "info"));
	copy(out->description, sizeof(out->description), str(ev, "info"));
	arr = json_object_get(ev, "Attribute");
	for (i = 0; json_is_array(arr) && i < json_array_size(arr); i++)
		misp_attr(out, json_array_get(arr, i));
	arr = json_object_get(ev, "Object");
	for (i = 0; json_is_array(arr) && i < json_array_size(arr); i++) {
		const json_t *oa = json_object_get(json_array_get(arr, i),
		    "Attribute");

		for (j = 0; json_is_array(oa) && j < json_array_size(oa); j++)
			misp_attr(out, json_array_get(oa, j));
	}
	tags = json_object_get(ev, "Tag");
	for (i = 0; json_is_array(tags) && i < json_array_size(tags); i++)
		take_tlp(out, str(json_array_get(tags, i), "name"));
	if (out->nsources == 0)
		return err_set(errbuf, "MISP event names no ip-src address: "
		    "nothing to open an incident about");
	return 0;
}

int
export_import_parse(const uint8_t *p, size_t len, struct export_import *out,
    char *errbuf)
{
	json_error_t jerr;
	json_t *root, *ev;
	const char *ver;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > IMPORT_MAX_BYTES)
		return err_set(errbuf, "the file is larger than %u bytes",
		    IMPORT_MAX_BYTES);
	root = json_loadb((const char *)p, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return err_set(errbuf, "line %d: %s", jerr.line, jerr.text);
	ver = str(root, "xarf_version");
	ev = json_object_get(root, "Event");
	if (ver != NULL && strncmp(ver, "4.", 2) == 0)
		rc = read_xarf(root, out, errbuf);
	else if (ver != NULL)
		rc = err_set(errbuf, "X-ARF version '%.20s' is not 4.x", ver);
	else if (json_is_object(ev))
		rc = read_misp(ev, out, errbuf);
	else if (json_is_object(root) && json_is_object(json_object_get(root,
	    "Orgc")))
		rc = read_misp(root, out, errbuf);	/* a bare event */
	else
		rc = err_set(errbuf, "neither an X-ARF v4 report "
		    "(xarf_version) nor a MISP event (Event)");
	json_decref(root);
	return rc;
}
