#!/usr/bin/env python3
"""Synthetic documents for the search benchmarks, classified under STW concepts.

Usage: gen_documents.py N OUT.nt [STW_TTL]
Every document is marked as synthetic in the data (rdfs:comment), has a title and a text
made of STW's English labels, 1-3 STW descriptors as subjects, one of 50 publishers and a
year. Deterministic (seeded), so runs are comparable.
"""
import random
import re
import sys

n = int(sys.argv[1])
out = sys.argv[2]
stw = sys.argv[3] if len(sys.argv) > 3 else "tests/fixtures/vocabularies/stw-9.06-skos.ttl"
rng = random.Random(20261204)

concepts, words, current = [], [], None
for line in open(stw, encoding="utf-8"):
    m = re.match(r"^<(descriptor/[^>]+)>", line)
    if m:
        current = "http://zbw.eu/stw/" + m.group(1)
        concepts.append(current)
    for label in re.findall(r'"([^"]+)"@en', line):
        words.extend(w.lower() for w in re.findall(r"[A-Za-z]{3,}", label))
words = sorted(set(words))
B = "http://127.0.0.1:8080/"
DCT = "http://purl.org/dc/terms/"
with open(out, "w", encoding="utf-8") as f:
    for p in range(50):
        f.write(f'<{B}org/bench-publisher-{p}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Organization> .\n')
        f.write(f'<{B}org/bench-publisher-{p}> <http://xmlns.com/foaf/0.1/name> "Publisher {rng.choice(words).title()} {p}"@en .\n')
    for i in range(n):
        d = f"<{B}document/bench-{i}>"
        title = " ".join(rng.choice(words) for _ in range(rng.randint(3, 6))).capitalize()
        text = " ".join(rng.choice(words) for _ in range(rng.randint(30, 80))) + "."
        f.write(f"{d} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Document> .\n")
        f.write(f'{d} <{DCT}title> "{title}"@en .\n')
        f.write(f'{d} <https://schema.org/text> "{text}"@en .\n')
        f.write(f'{d} <http://www.w3.org/2000/01/rdf-schema#comment> "Synthetic benchmark document (bench/gen_documents.py)" .\n')
        f.write(f"{d} <{DCT}publisher> <{B}org/bench-publisher-{rng.randrange(50)}> .\n")
        f.write(f'{d} <{DCT}issued> "{rng.randint(1990, 2025)}-01-01" .\n')
        for c in rng.sample(concepts, rng.randint(1, 3)):
            f.write(f"{d} <{DCT}subject> <{c}> .\n")
with open(out + ".words", "w") as f:
    f.write("\n".join(words))
print(f"{n} documents, {len(concepts)} STW descriptors, {len(words)} words -> {out}")
