#!/usr/bin/env bash
# Run the W3C SPARQL 1.1 suites against chariot-kg and/or `oxigraph serve`,
# inside a network namespace that has only loopback. See README.md.
#
#   conformance/run.sh RDF_TESTS_DIR [--harness DIR] [--chariot BIN] [--oxigraph]
#                      [--out-dir DIR] [--include LIST] [--exclude LIST]
#                      [--token TOKEN] [--chariot-arg ARG]... [--keep]
#                      [--positive-syntax non-400|non-4xx]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

rdf_tests=""
harness=${SPARQL_CONFORMANCE_DIR:-}
chariot=""
oxigraph=0
out_dir="$here/results"
include=""
exclude=""
token=${CONFORMANCE_TOKEN:-conformance-$$-$RANDOM}
chariot_args=()
keep=0
positive_syntax=non-400
command_line="conformance/run.sh"  # as recorded in the results (token masked)
prev=""
for a in "$@"; do
    if [ "$prev" = --token ]; then a="***"; fi
    command_line+=" $a"; prev=$a
done
while [ $# -gt 0 ]; do
    case "$1" in
        --harness) harness=$2; shift 2 ;;
        --chariot) chariot=$2; shift 2 ;;
        --oxigraph) oxigraph=1; shift ;;
        --out-dir) out_dir=$2; shift 2 ;;
        --include) include=$2; shift 2 ;;
        --exclude) exclude=$2; shift 2 ;;
        --token) token=$2; shift 2 ;;
        --chariot-arg) chariot_args+=("$2"); shift 2 ;;
        --chariot-arg=*) chariot_args+=("${1#--chariot-arg=}"); shift ;;
        --keep) keep=1; shift ;;
        --positive-syntax) positive_syntax=$2; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "unknown option $1" >&2; usage ;;
        *) [ -z "$rdf_tests" ] || usage; rdf_tests=$1; shift ;;
    esac
done
[ -n "$rdf_tests" ] || rdf_tests=${RDF_TESTS_DIR:-}
[ -n "$rdf_tests" ] || { echo "RDF_TESTS_DIR (w3c/rdf-tests checkout) is required" >&2; usage; }
[ -n "$harness" ] || { echo "--harness DIR or \$SPARQL_CONFORMANCE_DIR (ad-freiburg/sparql-conformance checkout) is required" >&2; exit 2; }
[ -d "$harness/src/sparql_conformance" ] || { echo "$harness is not a sparql-conformance checkout" >&2; exit 2; }
[ -d "$rdf_tests" ] || { echo "$rdf_tests: no such directory" >&2; exit 2; }
if [ -z "$chariot" ] && [ "$oxigraph" = 0 ]; then oxigraph=1; fi
python3 -c 'import sys; assert sys.version_info >= (3, 10); import rdflib, requests' 2>/dev/null ||
    { echo "needs Python >= 3.10 with rdflib and requests: pip install rdflib requests" >&2; exit 2; }
if [ -n "$chariot" ]; then
    chariot=$(cd "$(dirname "$chariot")" && pwd)/$(basename "$chariot")
    [ -x "$chariot" ] || { echo "$chariot is not executable" >&2; exit 2; }
fi

# --- a network namespace with loopback only --------------------------------
if [ "${CONFORMANCE_IN_NETNS:-}" != 1 ]; then
    unshare_opts=(--net)
    [ "$(id -u)" = 0 ] || unshare_opts=(--user --map-root-user --net)
    rdf_tests=$(cd "$rdf_tests" && pwd)
    harness=$(cd "$harness" && pwd)
    mkdir -p "$out_dir"; out_dir=$(cd "$out_dir" && pwd)
    export CONFORMANCE_IN_NETNS=1 CONFORMANCE_TOKEN=$token CONFORMANCE_COMMAND=$command_line
    set -- "$rdf_tests" --harness "$harness" --out-dir "$out_dir" --token "$token"
    [ -z "$chariot" ] || set -- "$@" --chariot "$chariot"
    [ "$oxigraph" = 0 ] || set -- "$@" --oxigraph
    [ -z "$include" ] || set -- "$@" --include "$include"
    [ -z "$exclude" ] || set -- "$@" --exclude "$exclude"
    [ "$keep" = 0 ] || set -- "$@" --keep
    set -- "$@" --positive-syntax "$positive_syntax"
    for a in "${chariot_args[@]}"; do set -- "$@" "--chariot-arg=$a"; done
    exec unshare "${unshare_opts[@]}" -- bash "$0" "$@"
fi
ip link set lo up
if ip -o link show | grep -qv ': lo:'; then
    echo "refusing to run: the namespace has interfaces other than lo" >&2
    ip -o link show >&2
    exit 1
fi
echo "network namespace: $(ip -o -4 addr show | awk '{print $2, $4}' | tr '\n' ' ')(no other interface, no route off the machine)"

export CONFORMANCE_TOKEN=$token
work=$(mktemp -d /tmp/chariot-conformance.XXXXXX)
pids=()
cleanup() {
    # each server runs in its own process group (setsid): end the whole group
    for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

stop() {  # PID: end a server's process group and wait for it
    kill -- "-$1" 2>/dev/null || kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_ready() {  # URL PID LOG
    for _ in $(seq 1 300); do
        if ! kill -0 "$2" 2>/dev/null; then
            echo "server exited; its log:" >&2; tail -n 40 "$3" >&2; return 1
        fi
        if python3 - "$1" <<'EOF' 2>/dev/null; then return 0; fi
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
opener.open(sys.argv[1] + "/sparql?query=ASK%7B%7D", timeout=2).read()
EOF
        sleep 0.2
    done
    echo "server did not answer on $1 within 60 s" >&2; tail -n 40 "$3" >&2; return 1
}

# the runner's mock SERVICE endpoints: fixed port, so chariot-kg can allow them
mock_port=$(free_port)
harness_args=(--rdf-tests "$rdf_tests" --harness "$harness" --token "$token" --quiet
              --mock-port "$mock_port" --positive-syntax "$positive_syntax"
              --command "${CONFORMANCE_COMMAND:-$command_line}")
[ -z "$include" ] || harness_args+=(--include "$include")
[ -z "$exclude" ] || harness_args+=(--exclude "$exclude")
results=()

run_one() {  # NAME URL
    local out="$out_dir/$1.json"
    echo "== $1 at $2"
    python3 "$here/harness.py" "${harness_args[@]}" --endpoint "$2" --name "$1" \
        --out "$out" --full-out "$work/$1.json.bz2"
    results+=("$out")
}

if [ "$oxigraph" = 1 ]; then
    command -v oxigraph >/dev/null || { echo "oxigraph not found: pip install oxigraph" >&2; exit 2; }
    version=$(oxigraph --version | awk '{print $2}')
    port=$(free_port)
    setsid oxigraph serve --location "$work/oxigraph-db" --bind "127.0.0.1:$port" \
        >"$work/oxigraph.log" 2>&1 &
    pid=$!; pids+=("$pid")
    wait_ready "http://127.0.0.1:$port" "$pid" "$work/oxigraph.log"
    run_one "oxigraph-$version" "http://127.0.0.1:$port"
    stop "$pid"
fi

if [ -n "$chariot" ]; then
    version=$("$chariot" --version 2>/dev/null | awk '{print $NF}' || true)
    service_allow=$(python3 "$here/harness.py" --rdf-tests "$rdf_tests" --harness "$harness" \
        --mock-port "$mock_port" --list-mock-endpoints --quiet)
    # LOAD may fetch any http(s) URL: inside this namespace nothing can leave
    # the machine, so a LOAD of an outside URL fails to fetch (500) instead of
    # being refused by policy (403)
    CHARIOT_KG_WRITE_TOKEN=$token CHARIOT_KG_SERVICE_ALLOW=$service_allow \
        CHARIOT_KG_LOAD_ALLOW=http://,https:// \
        setsid "$chariot" serve --data "$work/chariot-data" --bind 127.0.0.1:0 --no-seed \
        --default-graph stored "${chariot_args[@]}" \
        >"$work/chariot.out" 2>"$work/chariot.log" &
    pid=$!; pids+=("$pid")
    url=""
    for _ in $(seq 1 600); do
        url=$(sed -n 's#^listening on \(http://[^/]*\)/.*#\1#p' "$work/chariot.out" | head -n1)
        [ -n "$url" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$url" ] || { echo "chariot-kg did not announce its address:" >&2; cat "$work/chariot.out" >&2; tail -n 40 "$work/chariot.log" >&2; exit 1; }
    wait_ready "$url" "$pid" "$work/chariot.log"
    run_one "chariot-kg${version:+-$version}" "$url"
    stop "$pid"
fi

python3 "$here/report.py" "${results[@]}"
