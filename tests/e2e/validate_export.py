#!/usr/bin/python3
"""validate_export.py FORMAT FILE [SCHEMADIR] -- check a kyocho export
against the format's own published definitions (tests/data/schemas/SOURCE):

  xarf  X-ARF v4 type schema (connection-ddos or content-phishing, which
        $ref xarf-core.json), draft 2020-12, formats checked;
  misp  the MISP core format schema (format/2.4/schema.json, draft-04), and
        every object against its misp-objects template: known
        object_relation, the attribute type the template names, required /
        requiredOneOf present, the template's uuid and version;
  stix  the STIX 2.1 bundle schema and, for each object, the schema of its
        type (draft 2020-12).

Remote $refs are resolved from the local copies only (by their $id), so the
check runs without a network. Exit 0 valid, 1 invalid (messages on stderr).
"""
import json
import os
import sys

import jsonschema
from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker

try:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError:  # jsonschema < 4.18 (Debian 12): RefResolver
    Registry = None


def load_dir(d):
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            if f.endswith('.json'):
                p = os.path.join(root, f)
                with open(p) as fh:
                    s = json.load(fh)
                out[p] = s
    return out


def validator_2020(schema, store):
    fc = FormatChecker()
    if Registry is not None:
        reg = Registry().with_resources(
            (s['$id'], Resource.from_contents(s, default_specification=DRAFT202012))
            for s in store.values() if '$id' in s)
        return Draft202012Validator(schema, registry=reg, format_checker=fc)
    byid = {s['$id']: s for s in store.values() if '$id' in s}
    res = jsonschema.RefResolver(schema.get('$id', ''), schema, store=byid)
    return Draft202012Validator(schema, resolver=res, format_checker=fc)


def errors(v, doc, what):
    bad = 0
    for e in sorted(v.iter_errors(doc), key=lambda e: list(e.path)):
        print('%s: %s: %s' % (what, '/'.join(map(str, e.path)), e.message),
              file=sys.stderr)
        bad += 1
    return bad


def check_xarf(doc, d):
    store = load_dir(os.path.join(d, 'xarf-v4'))
    name = '%s-%s.json' % (doc.get('category'), doc.get('type'))
    path = os.path.join(d, 'xarf-v4', 'types', name)
    if path not in store:
        print('xarf: no X-ARF v4 type schema %s' % name, file=sys.stderr)
        return 1
    return errors(validator_2020(store[path], store), doc, 'xarf ' + name)


def check_misp(doc, d):
    with open(os.path.join(d, 'misp-core', 'schema.json')) as fh:
        core = json.load(fh)
    # format/2.4/schema.json predates MISP objects (MISP 2.4.80): its Event
    # admits no "Object" member. The event without it is checked against
    # the core schema; each object's attributes against the schema's
    # Attribute item (less object_relation, which only objects carry), and
    # each object against its misp-objects template below.
    ev = dict(doc.get('Event', {}))
    objs = ev.pop('Object', [])
    v4 = Draft4Validator(core, format_checker=FormatChecker())
    bad = errors(v4, {'Event': ev}, 'misp core')
    item = {'$ref': '#/defs/attribute', 'defs': core['defs']}
    for o in objs:
        for a in o.get('Attribute', []):
            a = {k: v for k, v in a.items() if k != 'object_relation'}
            bad += errors(Draft4Validator(item), a, 'misp attribute')
    for o in objs:
        p = os.path.join(d, 'misp-objects', o.get('name', '?'),
                         'definition.json')
        if not os.path.exists(p):
            print('misp: no template for object %r' % o.get('name'),
                  file=sys.stderr)
            bad += 1
            continue
        with open(p) as fh:
            t = json.load(fh)
        if o.get('template_uuid') != t['uuid'] or \
                o.get('template_version') != str(t['version']):
            print('misp %s: template uuid/version differ from %s %s' %
                  (o['name'], t['uuid'], t['version']), file=sys.stderr)
            bad += 1
        rels = []
        for a in o.get('Attribute', []):
            r = a.get('object_relation')
            rels.append(r)
            ta = t['attributes'].get(r)
            if ta is None:
                print('misp %s: %r is not in the template' % (o['name'], r),
                      file=sys.stderr)
                bad += 1
            elif ta['misp-attribute'] != a.get('type'):
                print('misp %s: %s has type %r, the template says %r' %
                      (o['name'], r, a.get('type'), ta['misp-attribute']),
                      file=sys.stderr)
                bad += 1
            elif 'categories' in ta and a.get('category') not in ta['categories']:
                print('misp %s: %s category %r not in %r' %
                      (o['name'], r, a.get('category'), ta['categories']),
                      file=sys.stderr)
                bad += 1
            elif rels.count(r) > 1 and not ta.get('multiple'):
                print('misp %s: %s repeated' % (o['name'], r),
                      file=sys.stderr)
                bad += 1
        for r in t.get('required', []):
            if r not in rels:
                print('misp %s: required %s missing' % (o['name'], r),
                      file=sys.stderr)
                bad += 1
        one = t.get('requiredOneOf', [])
        if one and not any(r in rels for r in one):
            print('misp %s: none of %r present' % (o['name'], one),
                  file=sys.stderr)
            bad += 1
    return bad


def check_stix(doc, d):
    base = os.path.join(d, 'stix2', 'schemas')
    store = load_dir(base)
    bad = errors(validator_2020(store[os.path.join(base, 'common', 'bundle.json')],
                                store), doc, 'stix bundle')
    for o in doc.get('objects', []):
        t = o.get('type')
        for sub in ('sdos', 'sros', 'observables', 'common'):
            p = os.path.join(base, sub, t + '.json')
            if p in store:
                bad += errors(validator_2020(store[p], store), o,
                              'stix ' + o.get('id', t))
                break
        else:
            print('stix: no schema for type %r' % t, file=sys.stderr)
            bad += 1
    return bad


def main():
    fmt, path = sys.argv[1], sys.argv[2]
    d = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'schemas')
    with open(path) as fh:
        doc = json.load(fh)
    bad = {'xarf': check_xarf, 'misp': check_misp, 'stix': check_stix}[fmt](doc, d)
    if bad:
        print('%s: %d problem(s) against the %s definitions' % (path, bad, fmt),
              file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
