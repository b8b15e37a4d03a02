#!/usr/bin/env bash
# Server CPU time per request: two chariot-kg builds (A, B) and `oxigraph serve`, each on
# a store that already exists, driven in alternating rounds by wrk with bench/mix.lua. The
# CPU time comes from /proc/PID/stat (user + system) before and after each round, which
# is steadier on a noisy machine than throughput alone. Only 127.0.0.1 is contacted.
#
#   bench/cpu_per_request.sh A_BIN A_DATA B_BIN B_DATA OX_DATA [ONLY]
#
# A_DATA and B_DATA are chariot-kg data directories with the same content (two copies, so
# both servers can run at once); OX_DATA is an Oxigraph store with the same quads (see
# bench/sparql_throughput.sh for how it builds them). ONLY restricts the mix to the
# queries whose file name contains it. Both chariot-kg servers are started with the base
# IRI recorded in their data directory.
# Knobs (environment): DURATION=5 seconds per round, CONNECTIONS=1, ROUNDS=3,
#   QUERIES=bench/queries, OXIGRAPH=oxigraph, WRK=wrk.
set -euo pipefail

[[ $# -ge 5 && $# -le 6 ]] || { sed -n '2,16p' "$0" >&2; exit 2; }
A_BIN=$(realpath "$1") A_DATA=$2 B_BIN=$(realpath "$3") B_DATA=$4 OX_DATA=$5 ONLY=${6:-}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DURATION=${DURATION:-5} CONNECTIONS=${CONNECTIONS:-1} ROUNDS=${ROUNDS:-3}
QUERIES=${QUERIES:-$HERE/queries} OXIGRAPH=${OXIGRAPH:-oxigraph} WRK=${WRK:-wrk}
THREADS=1; (( CONNECTIONS > 1 )) && THREADS=2

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
base_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base_iri"])' "$1/meta.json"; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_ready() { # url path
  for _ in $(seq 200); do
    curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/sparql-query' \
      --data-binary 'ASK {}' "$1$2" 2>/dev/null | grep -q 200 && return 0
    sleep 0.1
  done
  echo "not ready: $1" >&2; exit 1
}

A_PORT=$(free_port) B_PORT=$(free_port) OX_PORT=$(free_port)
"$A_BIN" --data "$A_DATA" serve --bind "127.0.0.1:$A_PORT" >/dev/null 2>&1 & PIDS+=($!); A_PID=$!
"$B_BIN" --data "$B_DATA" serve --bind "127.0.0.1:$B_PORT" >/dev/null 2>&1 & PIDS+=($!); B_PID=$!
"$OXIGRAPH" serve --location "$OX_DATA" --bind "127.0.0.1:$OX_PORT" --union-default-graph \
  >/dev/null 2>&1 & PIDS+=($!); OX_PID=$!
wait_ready "http://127.0.0.1:$A_PORT" /sparql
wait_ready "http://127.0.0.1:$B_PORT" /sparql
wait_ready "http://127.0.0.1:$OX_PORT" /query
# The queries' @BASE@ is chariot-kg's base IRI (both copies record the same one).
BASE=$(base_of "$A_DATA")

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)

echo "| round | server | requests/s | CPU µs per request |"
echo "|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
  for server in A B oxigraph; do
    case $server in
      A) port=$A_PORT path=/sparql pid=$A_PID ;;
      B) port=$B_PORT path=/sparql pid=$B_PID ;;
      oxigraph) port=$OX_PORT path=/query pid=$OX_PID ;;
    esac
    before=$(cpu_ticks "$pid")
    requests=$("$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$HERE/mix.lua" \
      "http://127.0.0.1:$port" -- "$path" "$QUERIES" "$BASE" "$ONLY" 2>/dev/null \
      | grep -o 'requests=[0-9]*' | cut -d= -f2)
    after=$(cpu_ticks "$pid")
    echo "| $round | $server | $(( requests / DURATION )) | $(( (after - before) * 1000000 / TICK / requests )) |"
  done
done
