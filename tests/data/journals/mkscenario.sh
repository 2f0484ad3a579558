#!/bin/bash
# mkscenario.sh KYOCHO STATEDIR -- how tests/data/journals/2026-11-26-0001.jsonl
# was made: a customer DDoS walked from alert to closure through the real
# command line, with fixed times (--at). The evidence line stands in for
# the alert the Alerts screen would copy in. Kept for reference; the
# committed journal is the fixture (regenerating it changes nothing unless
# this script changes).
set -e
K=$1; S=$2
k() { v=$1; shift; "$K" incident "$v" --state "$S" --data "${SRCDIR:-.}/data" "$@" >/dev/null; }
at() { echo "--at=2026-11-26T$1Z"; }
id=$("$K" incident new --state "$S" --our-zone Asia/Tokyo --kind ddos-customer --title "UDP amplification against customer 203.0.113.80 (NTP/123)" --tlp TLP:AMBER --source alert --operator tanaka "$(at 00:41:10)")
cat >> "$S/incidents/$id.jsonl" <<'EOF'
{"seq":2,"ts":"2026-11-26T00:41:12Z","type":"evidence","operator":"tanaka","alert_id":17,"target":"203.0.113.80","attack":"amplification","direction":"inbound","start":"2026-11-26T00:38:05Z","last":"2026-11-26T00:41:09Z","peak_pps":1840000,"peak_bps":17600000000,"packets":201000000,"bytes":193000000000,"syn_pps":1200,"udp_pps":1836000,"icmp_pps":2400,"frag_pps":410000,"sources_est":5230,"spoofing":"low","spoof_score_pm":150,"spoof_evidence":["source ports fixed at 123 (reflection, genuine reflectors)","TTL distribution consistent with real paths"],"top_sources":[{"addr":"198.51.100.23","packets":9100000,"share_pm":45,"asn":64500,"cc":"BR","as_name":"EXAMPLE-BR-TELECOM"},{"addr":"198.51.100.77","packets":8800000,"share_pm":44,"asn":64500,"cc":"BR","as_name":"EXAMPLE-BR-TELECOM"},{"addr":"192.0.2.200","packets":7100000,"share_pm":35,"asn":64501,"cc":"RU","as_name":"EXAMPLE-RU-NET"},{"addr":"2001:db8:5::10","packets":5000000,"share_pm":25,"asn":64502,"cc":"US","as_name":"EXAMPLE-US-HOSTING"},{"addr":"203.0.113.250","packets":3900000,"share_pm":19,"asn":64503,"cc":"JP","as_name":"EXAMPLE-JP"}],"top_port":123,"link":"transit-B"}
{"seq":3,"ts":"2026-11-26T00:42:12Z","type":"evidence","operator":"tanaka","alert_id":17,"target":"203.0.113.80","attack":"amplification","direction":"inbound","start":"2026-11-26T00:38:05Z","last":"2026-11-26T02:18:40Z","end":"2026-11-26T02:18:50Z","peak_pps":2310000,"peak_bps":21900000000,"packets":9120000000,"bytes":8750000000000,"syn_pps":1500,"udp_pps":2300000,"icmp_pps":3100,"frag_pps":520000,"sources_est":6810,"spoofing":"low","spoof_score_pm":120,"spoof_evidence":["source ports fixed at 123 (reflection, genuine reflectors)","TTL distribution consistent with real paths"],"top_sources":[{"addr":"198.51.100.23","packets":401000000,"share_pm":44,"asn":64500,"cc":"BR","as_name":"EXAMPLE-BR-TELECOM"},{"addr":"198.51.100.77","packets":380000000,"share_pm":42,"asn":64500,"cc":"BR","as_name":"EXAMPLE-BR-TELECOM"},{"addr":"192.0.2.200","packets":300000000,"share_pm":33,"asn":64501,"cc":"RU","as_name":"EXAMPLE-RU-NET"},{"addr":"2001:db8:5::10","packets":230000000,"share_pm":25,"asn":64502,"cc":"US","as_name":"EXAMPLE-US-HOSTING"},{"addr":"203.0.113.250","packets":160000000,"share_pm":18,"asn":64503,"cc":"JP","as_name":"EXAMPLE-JP"}],"top_port":123,"link":"transit-B"}
EOF
k note $id "Customer's 10G link saturated from 00:38Z. NTP reflection; sources spread over many networks, Brazil and Russia dominate." --operator tanaka "$(at 00:43:00)"
k action $id rate-limit proposed --detail "police UDP/123 to 203.0.113.80 at 500 Mbit/s on transit-B" --operator tanaka "$(at 00:44:00)"
A() { k answer $id rate-limit "$@"; }
A know yes --reason "the policer classifies by source port and destination address" --operator tanaka "$(at 00:45:00)"
A use yes --reason "header fields decide what is dropped" --operator tanaka "$(at 00:45:10)"
A disclose no --reason "nothing leaves the NOC" --operator tanaka "$(at 00:45:20)"
A consent no --reason "attackers and reflectors cannot consent; the customer asked us by phone to act" --operator tanaka "$(at 00:45:40)"
A ground self-defence --reason "attack under way against the customer's service" --operator tanaka "$(at 00:46:00)"
A selfdef-imminent yes --reason "1.8 Mpps arriving now" --operator tanaka "$(at 00:46:10)"
A selfdef-rights yes --reason "defends the customer's service and our shared transit link" --operator tanaka "$(at 00:46:20)"
A selfdef-unavoidable yes --reason "only UDP source port 123 to one address; other traffic untouched" --operator suzuki "$(at 00:46:40)"
A min-scope "UDP source port 123 to 203.0.113.80/32 on transit-B only" --reason "the whole attack and nothing else" --operator tanaka "$(at 00:47:00)"
A min-duration "until the attack stays below 100 Mbit/s for 30 minutes" --reason "lifted by the shift lead" --operator tanaka "$(at 00:47:10)"
A min-data "policer counters only; no packet capture kept" --reason "counters suffice to see the effect" --operator tanaka "$(at 00:47:20)"
A min-access "NOC shift (tanaka, suzuki)" --reason "nobody outside the NOC" --operator tanaka "$(at 00:47:30)"
A review "every 30 minutes by the shift lead (suzuki)" --reason "standard review" --operator tanaka "$(at 00:47:40)"
k action $id rate-limit taken --detail "policer installed on transit-B, 500 Mbit/s" --operator tanaka "$(at 00:48:00)"
k action $id share-peer proposed --detail "send the top sources to the AS64500 NOC" --operator tanaka "$(at 00:50:00)"
B() { k answer $id share-peer "$@"; }
B know yes --reason "we read the sources" --operator tanaka "$(at 00:50:30)"
B use yes --reason "to build the list" --operator tanaka "$(at 00:50:40)"
B disclose yes --reason "addresses and times go to another carrier" --operator tanaka "$(at 00:50:50)"
B consent no --reason "no consent" --operator tanaka "$(at 00:51:00)"
B ground business --reason "keeping the service running; usual practice among NOCs" --operator tanaka "$(at 00:51:20)"
k override $id share-peer --reason "Customer down; the AS64500 NOC acts only on evidence. Duty manager Sato approved by phone at 00:52Z. Legal review requested." --operator suzuki "$(at 00:52:30)"
k action $id share-peer taken --detail "five source addresses, times and rates sent" --operator suzuki "$(at 00:53:00)"
k draft $id ddos-filter-request --lang en --to noc@as64500.example --contact as64500-noc --whom "EXAMPLE-BR-TELECOM NOC" --tz-offset=-03:00 --tz-name America/Sao_Paulo --operator tanaka "$(at 00:53:30)"
k contact $id attempt --channel email --contact as64500-noc --whom "EXAMPLE-BR-TELECOM NOC" --text "filtering request sent" --operator tanaka "$(at 00:54:00)"
k contact $id attempt --channel phone --contact as64500-noc --whom "EXAMPLE-BR-TELECOM NOC" --text "no answer, voicemail left" --operator tanaka "$(at 01:10:00)"
k contact $id attempt --channel email --contact as64501-abuse --whom "EXAMPLE-RU-NET abuse" --text "abuse report sent" --operator tanaka "$(at 01:12:00)"
k contact $id ack --channel email --contact as64500-noc --whom "Maria Souza" --text "ticket 88231 opened, looking" --operator tanaka "$(at 01:31:00)"
k contact $id resolution --channel email --contact as64500-noc --whom "Maria Souza" --text "reflectors filtered at our border" --operator suzuki "$(at 02:15:00)"
k action $id rate-limit lifted --detail "below 50 Mbit/s since 02:20Z" --operator suzuki "$(at 02:55:00)"
k close $id --reason "attack over; customer confirmed service restored" --operator suzuki "$(at 03:05:00)"
echo $id
