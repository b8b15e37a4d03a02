#!/usr/bin/env bash
# Starts the real binary on a free loopback port with a fresh store and a write token,
# runs the client checks against it (SPARQLWrapper and rdflib on the SPARQL endpoint;
# rdflib and rapper dereferencing a concept IRI), and stops it.
# Usage: tests/clients/run.sh PATH/TO/chariot-kg
set -euo pipefail
bin="$1"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
token="client-check-$RANDOM$RANDOM"
out="$work/stdout"
"$bin" --data "$work/data" serve --bind 127.0.0.1:0 --write-token "$token" >"$out" 2>"$work/stderr" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do
    grep -q "^listening on " "$out" 2>/dev/null && break
    sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$out" | head -n 1)"
if [ -z "$url" ]; then
    echo "the server did not start:" >&2
    cat "$work/stderr" >&2
    exit 1
fi
python3 "$here/sparql_clients.py" "$url" "$token"
python3 "$here/linked_data_clients.py" "$url"
