#!/usr/bin/env bash
# SPARQL query throughput of chariot-kg against `oxigraph serve`: same data (our seed
# plus STW 9.06), same machine, same run, same load generator (wrk + bench/mix.lua).
#
#   bench/sparql_throughput.sh PATH/TO/chariot-kg [OUTPUT_DIR]
#
# End to end: builds both stores in a temporary directory (chariot-kg seeds its store on a
# first start, its seed is dumped as N-Quads and loaded into Oxigraph, STW goes into
# <http://zbw.eu/stw/graph> in both), starts both servers on free 127.0.0.1 ports (both
# with the union of the named graphs as the default graph), checks that every query of
# bench/queries/ answers 200 with the same number of results on both, then measures in
# alternating rounds (chariot, oxigraph, chariot, oxigraph, ...) and prints a markdown
# report on stdout. Servers are stopped on exit (trap). Only 127.0.0.1 is contacted.
#
# Needs: wrk, curl, python3, and the `oxigraph` CLI (`pip install oxigraph`).
# Knobs (environment):
#   ROUNDS=5 DURATION=20      throughput rounds per server and their length (s)
#   THREADS=2 CONNECTIONS=8   wrk -t / -c of the throughput rounds
#   LAT_ROUNDS=3 LAT_DURATION=10   single-connection (-t1 -c1) latency rounds
#   PER_QUERY_DURATION=5      single-connection run of each query alone (0: skip)
#   WARMUP=5                  seconds of load on each server before measuring
#   OXIGRAPH=oxigraph WRK=wrk KEEP=0 (1 keeps the temporary directory)
set -euo pipefail

usage() { echo "usage: $0 PATH/TO/chariot-kg [OUTPUT_DIR]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
CHARIOT=$(realpath "$1")
[[ -x $CHARIOT ]] || { echo "not an executable: $1" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
QUERIES=$HERE/queries
MIX=$HERE/mix.lua
STW=$REPO/tests/fixtures/vocabularies/stw-9.06-skos.ttl
STW_GRAPH=http://zbw.eu/stw/graph

ROUNDS=${ROUNDS:-5} DURATION=${DURATION:-20}
THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-8}
LAT_ROUNDS=${LAT_ROUNDS:-3} LAT_DURATION=${LAT_DURATION:-10}
PER_QUERY_DURATION=${PER_QUERY_DURATION:-5} WARMUP=${WARMUP:-5}
OXIGRAPH=${OXIGRAPH:-oxigraph} WRK=${WRK:-wrk} KEEP=${KEEP:-0}

for tool in "$WRK" curl python3 "$OXIGRAPH"; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
[[ -f $STW ]] || { echo "missing $STW" >&2; exit 2; }

WORK=$(mktemp -d /tmp/sparql-bench.XXXXXX)
OUT=${2:-$WORK/out}
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
CK_PID='' OX_PID=''
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

stop_server() { # pid
  local pid=$1
  [[ -n $pid ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_server "$CK_PID"; CK_PID=''
  stop_server "$OX_PID"; OX_PID=''
  if [[ $KEEP == 1 ]]; then log "kept $WORK"; else rm -rf "${WORK:?}/ck" "${WORK:?}/ox"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
CK_PORT=$(free_port)
OX_PORT=$(free_port)
[[ $OX_PORT != "$CK_PORT" ]] || OX_PORT=$(free_port)
BASE=http://127.0.0.1:$CK_PORT/
CK_URL=http://127.0.0.1:$CK_PORT CK_PATH=/sparql
OX_URL=http://127.0.0.1:$OX_PORT OX_PATH=/query

# Every server lives at most this long, whatever happens to this script.
PLAN_S=$(( 2 * (ROUNDS * DURATION + LAT_ROUNDS * LAT_DURATION + WARMUP) + 16 * PER_QUERY_DURATION + 600 ))

wait_ready() { # name url path
  local deadline=$((SECONDS + 120))
  until curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/sparql-query' \
      -H 'Accept: application/sparql-results+json' --data-binary 'ASK {}' "$2$3" 2>/dev/null | grep -q 200; do
    (( SECONDS < deadline )) || { log "$1 did not become ready"; exit 1; }
    sleep 0.2
  done
}

ck() { "$CHARIOT" --data "$WORK/ck" --base-iri "$BASE" "$@"; }
start_chariot() {
  timeout --kill-after=10 "$PLAN_S" "$CHARIOT" --data "$WORK/ck" --base-iri "$BASE" serve \
    --bind "127.0.0.1:$CK_PORT" >"$WORK/chariot.out" 2>"$WORK/chariot.err" &
  CK_PID=$!
  wait_ready chariot-kg "$CK_URL" "$CK_PATH"
}
start_oxigraph() {
  timeout --kill-after=10 "$PLAN_S" "$OXIGRAPH" serve --location "$WORK/ox" --bind "127.0.0.1:$OX_PORT" \
    --union-default-graph >"$WORK/oxigraph.out" 2>"$WORK/oxigraph.err" &
  OX_PID=$!
  wait_ready oxigraph "$OX_URL" "$OX_PATH"
}

# --- machine ---------------------------------------------------------------------------
NPROC=$(nproc)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
CK_VERSION=$("$CHARIOT" --version)
OX_VERSION=$("$OXIGRAPH" --version)
WRK_VERSION=$("$WRK" -v 2>&1 | head -1 | cut -d' ' -f1-2 || true)
log "nproc=$NPROC loadavg=$LOAD_START; $CK_VERSION; $OX_VERSION; $WRK_VERSION; work dir $WORK"

# --- data ------------------------------------------------------------------------------
log "chariot-kg: first start (seeds the store)"
start_chariot
stop_server "$CK_PID"; CK_PID=''
ck dump --format nquads --output "$WORK/seed.nq"
SEED_QUADS=$(grep -c . "$WORK/seed.nq")
log "seed: $SEED_QUADS quads; loading STW into chariot-kg"
ck load "$STW" --graph "$STW_GRAPH" >"$WORK/chariot-load.log" 2>&1
log "loading seed + STW into oxigraph"
"$OXIGRAPH" load --location "$WORK/ox" --file "$WORK/seed.nq" >"$WORK/oxigraph-load.log" 2>&1
"$OXIGRAPH" load --location "$WORK/ox" --file "$STW" --graph "$STW_GRAPH" >>"$WORK/oxigraph-load.log" 2>&1

start_chariot
start_oxigraph
log "chariot-kg on $CK_URL (pid $CK_PID), oxigraph on $OX_URL (pid $OX_PID)"

# --- checks: 200 and the same results on both --------------------------------------------
COUNT_QUADS='SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }'
sparql() { # url path accept query-file-or-text out
  local body=$4
  [[ -f $body ]] && body=$(sed "s|@BASE@|$BASE|g" "$body")
  curl -s -o "$5" -w '%{http_code}' -X POST -H 'Content-Type: application/sparql-query' \
    -H "Accept: $3" --data-binary "$body" "$1$2"
}
summarise() { # file kind -> "count<TAB>canonical-hash"
  python3 - "$1" "$2" <<'EOF'
import hashlib, json, sys
path, kind = sys.argv[1], sys.argv[2]
data = open(path, 'rb').read()
if kind == 'graph':   # N-Triples: one triple a line (blank nodes renamed, so count only)
    lines = sorted(l for l in data.decode().splitlines() if l.strip())
    canon = '\n'.join(l for l in lines if '_:' not in l)
    print(f"{len(lines)}\t{hashlib.sha1(canon.encode()).hexdigest()[:12]}")
else:
    d = json.loads(data)
    if 'boolean' in d:
        print(f"{str(d['boolean']).lower()}\t-")
    else:
        rows = sorted(json.dumps(b, sort_keys=True) for b in d['results']['bindings'])
        print(f"{len(rows)}\t{hashlib.sha1(chr(10).join(rows).encode()).hexdigest()[:12]}")
EOF
}
CK_QUADS=$(sparql "$CK_URL" "$CK_PATH" text/csv "$COUNT_QUADS" /dev/stdout | sed -n 2p | tr -d '\r')
OX_QUADS=$(sparql "$OX_URL" "$OX_PATH" text/csv "$COUNT_QUADS" /dev/stdout | sed -n 2p | tr -d '\r')
log "quads in named graphs: chariot-kg $CK_QUADS, oxigraph $OX_QUADS"
[[ $CK_QUADS == "$OX_QUADS" ]] || { log "the two stores differ"; exit 1; }

: >"$OUT/checks.tsv"
for q in "$QUERIES"/*.rq; do
  name=$(basename "$q" .rq)
  kind=results accept=application/sparql-results+json
  if [[ $name == *describe* || $name == *construct* ]]; then kind=graph accept=application/n-triples; fi
  ck_code=$(sparql "$CK_URL" "$CK_PATH" "$accept" "$q" "$WORK/ck-$name.out")
  ox_code=$(sparql "$OX_URL" "$OX_PATH" "$accept" "$q" "$WORK/ox-$name.out")
  [[ $ck_code == 200 && $ox_code == 200 ]] || { log "$name: HTTP $ck_code (chariot-kg) / $ox_code (oxigraph)"; exit 1; }
  IFS=$'\t' read -r ck_n ck_h < <(summarise "$WORK/ck-$name.out" "$kind")
  IFS=$'\t' read -r ox_n ox_h < <(summarise "$WORK/ox-$name.out" "$kind")
  [[ $ck_n == "$ox_n" ]] || { log "$name: $ck_n results (chariot-kg) vs $ox_n (oxigraph)"; exit 1; }
  if [[ $kind == graph ]]; then  # the Turtle that the mix asks for must work too
    for s in "$CK_URL $CK_PATH" "$OX_URL $OX_PATH"; do
      set -- $s
      code=$(sparql "$1" "$2" text/turtle "$q" /dev/null)
      [[ $code == 200 ]] || { log "$name: HTTP $code for text/turtle from $1"; exit 1; }
    done
  fi
  same=$([[ $ck_h == "$ox_h" ]] && echo "identical" || echo "same count, other rows")
  printf '%s\t%s\t%s\t%s\n' "$name" "$kind" "$ck_n" "$same" >>"$OUT/checks.tsv"
  log "check $name: 200 on both, $ck_n results ($same)"
done

# --- measurements ----------------------------------------------------------------------
run_wrk() { # label server threads connections duration [only]
  local label=$1 server=$2 t=$3 c=$4 d=$5 only=${6:-} url path load
  if [[ $server == chariot-kg ]]; then url=$CK_URL path=$CK_PATH; else url=$OX_URL path=$OX_PATH; fi
  load=$(cut -d' ' -f1 /proc/loadavg)
  local res
  res=$(timeout $((d + 30)) "$WRK" -t"$t" -c"$c" -d"${d}s" --timeout 10s -s "$MIX" "$url" \
          -- "$path" "$QUERIES" "$BASE" "$only" 2>>"$WORK/wrk.err" | tee -a "$OUT/wrk.log" | grep '^RESULT' || true)
  [[ -n $res ]] || { log "wrk gave no result ($label $server)"; exit 1; }
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$server" "$only" "$load" "$res" >>"$OUT/runs.tsv"
  log "$label $server ${only:+[$only] }load=$load: $(sed 's/RESULT //; s/ errors_connect.*//' <<<"$res")"
}

: >"$OUT/runs.tsv"
log "warm-up ${WARMUP}s each"
run_wrk warmup chariot-kg "$THREADS" "$CONNECTIONS" "$WARMUP"
run_wrk warmup oxigraph "$THREADS" "$CONNECTIONS" "$WARMUP"
for r in $(seq "$ROUNDS"); do
  for s in chariot-kg oxigraph; do run_wrk "throughput-$r" "$s" "$THREADS" "$CONNECTIONS" "$DURATION"; done
done
for r in $(seq "$LAT_ROUNDS"); do
  for s in chariot-kg oxigraph; do run_wrk "latency-$r" "$s" 1 1 "$LAT_DURATION"; done
done
if (( PER_QUERY_DURATION > 0 )); then
  for q in "$QUERIES"/*.rq; do
    name=$(basename "$q" .rq)
    for s in chariot-kg oxigraph; do run_wrk per-query "$s" 1 1 "$PER_QUERY_DURATION" "$name.rq"; done
  done
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ----------------------------------------------------------------------------
CK_STORE=$(du -sh "$WORK/ck/store" | cut -f1)
OX_STORE=$(du -sh "$WORK/ox" | cut -f1)
export NPROC LOAD_START LOAD_END CPU CK_VERSION OX_VERSION WRK_VERSION SEED_QUADS CK_QUADS \
  ROUNDS DURATION THREADS CONNECTIONS LAT_ROUNDS LAT_DURATION PER_QUERY_DURATION CK_STORE OX_STORE
python3 - "$OUT/runs.tsv" "$OUT/checks.tsv" <<'EOF' | tee "$OUT/report.md"
import os, statistics, sys
E = os.environ
runs = []
for line in open(sys.argv[1]):
    label, server, only, load, res = line.rstrip('\n').split('\t')
    kv = dict(x.split('=') for x in res.split()[1:])
    errors = sum(int(v) for k, v in kv.items() if k.startswith('errors_'))
    runs.append(dict(label=label, server=server, only=only, load=float(load), errors=errors,
                     rps=float(kv['rps']), p50=float(kv['p50_ms']), p99=float(kv['p99_ms'])))
checks = [l.rstrip('\n').split('\t') for l in open(sys.argv[2])]
S = ('chariot-kg', 'oxigraph')
med = statistics.median
def of(prefix, server, key):
    return [r[key] for r in runs if r['label'].startswith(prefix) and r['server'] == server]

print(f"Machine: {E['NPROC']} cores ({E['CPU']}), loadavg at start {E['LOAD_START']}, at end {E['LOAD_END']}.")
print(f"Versions: {E['CK_VERSION']}; {E['OX_VERSION']} (`oxigraph serve --union-default-graph`); {E['WRK_VERSION']}.")
print(f"Data: {E['SEED_QUADS']} seed quads + STW 9.06 = {E['CK_QUADS']} quads in both stores "
      f"(on disk: chariot-kg {E['CK_STORE']}, oxigraph {E['OX_STORE']}).")
print()
print("Checks (each query once per server, 200 on both):")
print()
print("| query | form | results on both | rows |")
print("| --- | --- | --- | --- |")
for name, kind, n, same in checks:
    print(f"| {name} | {'graph (N-Triples)' if kind == 'graph' else 'results'} | {n} | {same} |")
print()
print(f"Throughput, `wrk -t{E['THREADS']} -c{E['CONNECTIONS']} -d{E['DURATION']}s`, the query mix, "
      "rounds alternating chariot-kg / oxigraph:")
print()
print("| round | chariot-kg req/s | oxigraph req/s | ratio | p50 ms (ck / ox) | p99 ms (ck / ox) | loadavg before (ck / ox) | errors (ck / ox) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
rounds = sorted({r['label'] for r in runs if r['label'].startswith('throughput-')}, key=lambda l: int(l.split('-')[1]))
for label in rounds:
    c = next(r for r in runs if r['label'] == label and r['server'] == S[0])
    o = next(r for r in runs if r['label'] == label and r['server'] == S[1])
    print(f"| {label.split('-')[1]} | {c['rps']:.0f} | {o['rps']:.0f} | {c['rps']/o['rps']:.2f} | "
          f"{c['p50']:.2f} / {o['p50']:.2f} | {c['p99']:.2f} / {o['p99']:.2f} | {c['load']:.2f} / {o['load']:.2f} | "
          f"{c['errors']} / {o['errors']} |")
mc, mo = med(of('throughput-', S[0], 'rps')), med(of('throughput-', S[1], 'rps'))
ratios = [next(r for r in runs if r['label'] == l and r['server'] == S[0])['rps'] /
          next(r for r in runs if r['label'] == l and r['server'] == S[1])['rps'] for l in rounds]
print(f"| **median** | **{mc:.0f}** | **{mo:.0f}** | **{mc/mo:.2f}** | "
      f"{med(of('throughput-', S[0], 'p50')):.2f} / {med(of('throughput-', S[1], 'p50')):.2f} | "
      f"{med(of('throughput-', S[0], 'p99')):.2f} / {med(of('throughput-', S[1], 'p99')):.2f} | | |")
print()
print(f"Ratio chariot-kg / oxigraph of the median throughputs: **{mc/mo:.2f}×** "
      f"(per-round ratios {min(ratios):.2f}–{max(ratios):.2f}, median {med(ratios):.2f}).")
print()
lc, lo = of('latency-', S[0], 'rps'), of('latency-', S[1], 'rps')
if lc:
    print(f"Single connection, `wrk -t1 -c1 -d{E['LAT_DURATION']}s`, {E['LAT_ROUNDS']} alternating rounds (medians):")
    print()
    print("| server | req/s | p50 ms | p99 ms |")
    print("| --- | --- | --- | --- |")
    for s, l in zip(S, (lc, lo)):
        print(f"| {s} | {med(l):.0f} | {med(of('latency-', s, 'p50')):.3f} | {med(of('latency-', s, 'p99')):.3f} |")
    print()
    print(f"Single-connection ratio: **{med(lc)/med(lo):.2f}×**.")
    print()
pq = [r for r in runs if r['label'] == 'per-query']
if pq:
    print(f"Each query alone, one connection, {E['PER_QUERY_DURATION']} s per server:")
    print()
    print("| query | chariot-kg req/s | oxigraph req/s | ratio | chariot-kg p50 ms | oxigraph p50 ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    for q in sorted({r['only'] for r in pq}):
        c = next(r for r in pq if r['only'] == q and r['server'] == S[0])
        o = next(r for r in pq if r['only'] == q and r['server'] == S[1])
        print(f"| {q[:-3]} | {c['rps']:.0f} | {o['rps']:.0f} | {c['rps']/o['rps']:.2f} | {c['p50']:.3f} | {o['p50']:.3f} |")
    print()
bad = [r for r in runs if r['errors']]
if bad:
    print(f"**Warning:** {len(bad)} run(s) had wrk errors (non-2xx, timeouts or socket errors): "
          + ", ".join(f"{r['label']} {r['server']} ({r['errors']})" for r in bad))
EOF
log "raw results in $OUT"
