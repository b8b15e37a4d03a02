#!/usr/bin/env python3
"""Closed-loop HTTP latency measurement: C keep-alive connections to 127.0.0.1, each in
its own process, sending GET PATH+WORD for words drawn uniformly (seeded) from a file,
for D seconds. Prints p50/p90/p99/max latency and requests per second.

wrk's latency percentiles disagreed with the server's own histogram and with this client
on the same runs (a p99 of 1.2 s in an 8 s run of 2,700 requests), so the benchmarks
measure latency with this stdlib-only client. Usage:
  latency.py PORT PATH WORDS_FILE [CONNECTIONS] [SECONDS] [PREFIX_CHARS]
PATH is the request target the word is appended to (URL-quoted), e.g. /api/search?q=;
PREFIX_CHARS > 0 sends only the word's first characters (what a user typing sends).
"""
import http.client
import multiprocessing
import random
import sys
import time
import urllib.parse


def run(args):
    port, path, words, seconds, seed, prefix = args
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port)
    out = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        word = rng.choice(words)
        if prefix:
            word = word[:prefix]
        t = time.perf_counter()
        conn.request("GET", path + urllib.parse.quote(word))
        resp = conn.getresponse()
        resp.read()
        if resp.status >= 500:
            raise SystemExit(f"{path}{word}: HTTP {resp.status}")
        out.append(time.perf_counter() - t)
    return out


def main():
    port, path, words_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    conns = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 10
    prefix = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    with open(words_file, encoding="utf-8") as f:
        words = [w.strip() for w in f if w.strip()]
    with multiprocessing.Pool(conns) as pool:
        parts = pool.map(run, [(port, path, words, seconds, 42 + i, prefix) for i in range(conns)])
    lat = sorted(x for p in parts for x in p)
    n = len(lat)

    def pct(q):
        return lat[min(n - 1, int(q * n))] * 1000

    print(
        f"connections {conns}  requests {n}  p50 {pct(0.50):.2f} ms  p90 {pct(0.90):.2f} ms  "
        f"p99 {pct(0.99):.2f} ms  max {lat[-1] * 1000:.2f} ms  {n / seconds:.0f} req/s"
    )


if __name__ == "__main__":
    main()
