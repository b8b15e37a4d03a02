#!/usr/bin/env bash
# Search benchmarks: synthetic documents under STW concepts, indexed and queried.
# Usage: bench/search_bench.sh CHARIOT_BIN N [PORT]
# Prints: load and index build times, index size, restart time without reindex, RSS, and
# latency percentiles (bench/latency.py, 1 and 4 connections) for /api/search, /search
# and /api/suggest (loopback only).
# REUSE=DIR runs the measurements on the data of an earlier run kept in DIR (its data/,
# docs.nt.words), skipping generation, load and reindex; KEEP=1 keeps the work directory.
set -euo pipefail
bin="$1"; n="$2"; port="${3:-18300}"
here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/.." && pwd)"
work="${REUSE:-$(mktemp -d /tmp/chariot-search-bench.XXXX)}"
data="$work/data"; base="http://127.0.0.1:8080/"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  [ -n "${REUSE:-}" ] || [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${REUSE:-}" ]; then
python3 "$here/gen_documents.py" "$n" "$work/docs.nt" "$root/tests/fixtures/vocabularies/stw-9.06-skos.ttl"
t0=$(date +%s.%N)
"$bin" --data "$data" --base-iri "$base" load "$root/tests/fixtures/vocabularies/stw-9.06-skos.ttl" --graph http://zbw.eu/stw/graph >/dev/null
"$bin" --data "$data" --base-iri "$base" load --bulk "$work/docs.nt" --graph "${base}graph/bench" >/dev/null
t1=$(date +%s.%N)
"$bin" --data "$data" reindex
t2=$(date +%s.%N)
echo "load: $(echo "$t1 - $t0" | bc) s; reindex: $(echo "$t2 - $t1" | bc) s ($(echo "$n / ($t2 - $t1)" | bc) documents/s)"
fi
echo "index size: $(du -sh "$data/search" | cut -f1); store size: $(du -sh "$data/store" | cut -f1)"
start_server() {
  local s; s=$(date +%s.%N)
  "$bin" --data "$data" serve --bind "127.0.0.1:$port" >"$work/out" 2>"$work/err" &
  pid=$!
  until grep -q "listening on" "$work/out" 2>/dev/null; do sleep 0.02; done
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.02; done
  echo "start to healthy: $(echo "$(date +%s.%N) - $s" | bc) s"
  # The server builds the taxonomy view and the search facet columns in the background.
  until grep -q "warmed up" "$work/err" 2>/dev/null; do sleep 0.2; done
  echo "start to warmed up: $(echo "$(date +%s.%N) - $s" | bc) s"
}
# The first start after the bulk load rebuilt the counts; the next restarts are the ones
# that matter: no reindex, the index only replays the journal.
start_server; kill "$pid"; wait "$pid" 2>/dev/null || true
start_server; kill "$pid"; wait "$pid" 2>/dev/null || true
start_server
curl -s "http://127.0.0.1:$port/health" | python3 -c 'import json,sys; h=json.load(sys.stdin); print("health: triples", h["triples"], "search", h["search"])'
head -n 400 "$work/docs.nt.words" | tail -n 300 > "$work/words"
# Latency with bench/latency.py (closed loop, uniform seeded draws from the words):
# one connection (a user at a time) and four (both cores saturated, queueing included).
for path in "/api/search?limit=20&q=" "/search?q=" "/api/suggest?limit=10&q="; do
  curl -s -o /dev/null -w "warm-up $path %{http_code}\n" "http://127.0.0.1:$port${path}trade"
  prefix=0; case "$path" in *suggest*) prefix=4 ;; esac
  python3 "$here/latency.py" "$port" "$path" "$work/words" 4 3 "$prefix" >/dev/null
  for c in 1 4; do
    echo "== $path $(python3 "$here/latency.py" "$port" "$path" "$work/words" "$c" "${SECONDS_PER_RUN:-15}" "$prefix")"
  done
done
echo "RSS: $(grep VmRSS /proc/$pid/status)"
