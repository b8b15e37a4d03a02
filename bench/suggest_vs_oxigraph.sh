#!/usr/bin/env bash
# Label lookup: chariot-kg's /api/suggest (tantivy) against the same lookup as a SPARQL
# FILTER scan on `oxigraph serve`, same data (STW 9.06), same machine, same wrk.
# Usage: bench/suggest_vs_oxigraph.sh CHARIOT_BIN   (needs wrk and `pip install oxigraph`)
set -euo pipefail
bin="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/chariot-suggest-bench.XXXX)"
stw="$root/tests/fixtures/vocabularies/stw-9.06-skos.ttl"
cleanup() { kill ${ck:-} ${ox:-} 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$bin" --data "$work/ck" --base-iri http://127.0.0.1:18320/ load "$stw" --graph http://zbw.eu/stw/graph >/dev/null
oxigraph load --location "$work/ox" --file "$stw" --graph http://zbw.eu/stw/graph >/dev/null 2>&1
"$bin" --data "$work/ck" serve --bind 127.0.0.1:18320 >"$work/ck.out" 2>/dev/null & ck=$!
oxigraph serve --location "$work/ox" --bind 127.0.0.1:18321 --union-default-graph >/dev/null 2>&1 & ox=$!
until curl -sf http://127.0.0.1:18320/health >/dev/null; do sleep 0.1; done
until curl -sf "http://127.0.0.1:18321/query?query=ASK%7B%7D" >/dev/null; do sleep 0.1; done
prefixes="bank trad infl mone labo tax indu agri ener fina"
cat > "$work/ck.lua" <<LUA
local p = {}; for w in string.gmatch("$prefixes", "%S+") do p[#p + 1] = w end
local i = 0
request = function() i = i % #p + 1; return wrk.format("GET", "/api/suggest?limit=10&q=" .. p[i]) end
LUA
cat > "$work/ox.lua" <<LUA
local p = {}; for w in string.gmatch("$prefixes", "%S+") do p[#p + 1] = w end
local i = 0
request = function()
  i = i % #p + 1
  local q = 'PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?c ?l WHERE { ?c skos:prefLabel|skos:altLabel|skos:hiddenLabel ?l FILTER(REGEX(STR(?l), "(^|\\\\\\\\W)' .. p[i] .. '", "i")) } LIMIT 10'
  return wrk.format("POST", "/query", {["Content-Type"] = "application/sparql-query", ["Accept"] = "application/sparql-results+json"}, q)
end
LUA
curl -s "http://127.0.0.1:18320/api/suggest?limit=10&q=bank" | head -c 200; echo
curl -s -H 'Accept: text/csv' --data-urlencode 'query=PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE { ?c skos:prefLabel|skos:altLabel|skos:hiddenLabel ?l FILTER(REGEX(STR(?l), "(^|\\W)bank", "i")) } LIMIT 10' http://127.0.0.1:18321/query | head -4
for round in 1 2 3; do
  for server in ck ox; do
    port=$([ $server = ck ] && echo 18320 || echo 18321)
    echo "== round $round $server"
    wrk -t1 -c4 -d10s --latency -s "$work/$server.lua" "http://127.0.0.1:$port" | grep -E "50%|99%|Requests/sec"
  done
done
