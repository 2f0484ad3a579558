#!/usr/bin/env python3
# rdap_server.py PORT LOG -- a local RDAP server for tests/e2e/rdap.sh,
# phishing.sh and tui_phishing_walk.sh
# (python3's http.server). Answers are shaped like registrars' and RIRs'
# RFC 9083 responses (written from RFC 9083's examples and ICANN's gTLD
# RDAP profile; every name, address and number here is made up or from
# the documentation ranges), plus hostile ones. Each request is logged
# as "MONOTONIC-SECONDS PATH" to LOG.
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
LOG = open(sys.argv[2], "a", buffering=1)

def vcard(fn, email=None, tel=None, kind="org"):
    props = [["version", {}, "text", "4.0"], ["fn", {}, "text", fn],
             ["kind", {}, "text", kind]]
    if email:
        props.append(["email", {}, "text", email])
    if tel:
        props.append(["tel", {"type": ["voice"]}, "uri", "tel:" + tel])
        props.append(["tel", {"type": ["fax"]}, "uri", "tel:+1.5550000000"])
    return ["vcard", props]

def domain(name, registrar="Example Registrar, Inc.", email="abuse@registrar.example",
           tel="+1.5555551212", created="2024-11-02T09:15:00Z"):
    return {
        "objectClassName": "domain",
        "rdapConformance": ["rdap_level_0", "icann_rdap_response_profile_1"],
        "handle": "D1234-TEST",
        "ldhName": name.upper(),
        "status": ["client transfer prohibited"],
        "events": [{"eventAction": "expiration", "eventDate": "2026-11-02T09:15:00Z"},
                   {"eventAction": "registration", "eventDate": created},
                   {"eventAction": "last update of RDAP database",
                    "eventDate": "2025-01-01T00:00:00Z"}],
        "nameservers": [{"objectClassName": "nameserver", "ldhName": "NS1.HOSTING.EXAMPLE"},
                        {"objectClassName": "nameserver", "ldhName": "ns2.hosting.example"}],
        "entities": [
            {"objectClassName": "entity", "handle": "REDACTED", "roles": ["registrant"],
             "vcardArray": vcard("REDACTED FOR PRIVACY", kind="individual")},
            {"objectClassName": "entity", "handle": "9999", "roles": ["registrar"],
             "publicIds": [{"type": "IANA Registrar ID", "identifier": "9999"}],
             "vcardArray": vcard(registrar),
             "entities": [{"objectClassName": "entity", "roles": ["abuse"],
                           "vcardArray": vcard("Abuse contact", email, tel)}]}],
        "notices": [{"title": "Terms of Use", "description": ["Made up for a test."]}],
    }

def ipnet(start, end, name, email):
    # ARIN-like: the abuse entity inside the organisation's entity.
    return {
        "objectClassName": "ip network", "rdapConformance": ["rdap_level_0"],
        "handle": "NET-192-0-2-0-1", "startAddress": start, "endAddress": end,
        "ipVersion": "v4" if "." in start else "v6", "name": name,
        "type": "ALLOCATED PA", "country": "ru",
        "entities": [{"objectClassName": "entity", "handle": "ORG-EH1",
                      "roles": ["registrant"], "vcardArray": vcard("Example Hosting LLC"),
                      "entities": [{"objectClassName": "entity", "handle": "ABUSE1",
                                    "roles": ["abuse"],
                                    "vcardArray": vcard("Abuse desk", email, "+7.4950000000")}]}],
    }

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, code, obj=None, raw=None, headers=()):
        body = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/rdap+json")
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        p = self.path
        LOG.write("%.3f %s\n" % (time.monotonic(), p))
        if p == "/domain/phish-bank.test":
            return self.send(200, domain("phish-bank.test"))
        if p.startswith("/domain/bulk") and p.endswith(".test"):
            return self.send(200, domain(p[8:]))
        if p == "/domain/evil-esc.test":
            d = domain("evil-esc.test", registrar="Evil\x1b[31m Registrar\x1b]0;pwned\x07",
                       email="abuse\x1b[2J@registrar.example", tel="+1.555\x1b[0m")
            d["nameservers"] = [{"ldhName": "ns\x1b[1m.evil.example"}] + \
                [{"ldhName": "ns%d.many.example" % i} for i in range(40)]
            d["events"][1]["eventDate"] = "yesterday\x1b[5m"
            return self.send(200, d)
        if p == "/domain/huge.test":
            # 10 MB: a string that never ends inside the limit.
            return self.send(200, raw=b'{"objectClassName":"domain","ldhName":"' +
                             b"a" * (10 * 1024 * 1024) + b'"}')
        if p == "/domain/redirect-away.test":
            return self.send(302, raw=b"", headers=[("Location",
                             "http://127.0.0.2:%d/domain/redirect-away.test" % PORT)])
        if p == "/domain/redirect-same.test":
            return self.send(301, raw=b"", headers=[("Location",
                             "http://127.0.0.1:%d/domain/phish-bank.test" % PORT)])
        if p == "/domain/loop.test":
            return self.send(302, raw=b"", headers=[("Location", "/domain/loop.test")])
        if p == "/domain/slow.test":
            time.sleep(4)
            return self.send(200, domain("slow.test"))
        if p == "/domain/notjson.test":
            return self.send(200, raw=b"<html>rate limited</html>")
        if p == "/domain/deep.test":
            return self.send(200, raw=b"[" * 100000 + b"]" * 100000)
        if p == "/ip/192.0.2.7" or p.startswith("/ip/192.0.2.1"):
            return self.send(200, ipnet("192.0.2.0", "192.0.2.255", "EXAMPLE-HOSTING-NET",
                                        "abuse@rir-hosting.example"))
        if p == "/ip/2001:db8:400::10":
            # phishing.sh: the v6 host DNS gave no abuse address for.
            return self.send(200, ipnet("2001:db8:400::", "2001:db8:4ff:ffff:ffff:ffff:ffff:ffff",
                                        "EXAMPLE-RU-NET", "abuse@hosting-ru.example.net"))
        if p == "/ip/2001:db8::5":
            return self.send(404, {"errorCode": 404, "title": "Not Found"})
        return self.send(404, {"errorCode": 404, "title": "Not Found"})

ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), H).serve_forever()
