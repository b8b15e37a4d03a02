"""Linked-data clients against the real binary: rdflib and rapper dereference a concept IRI.

Usage: linked_data_clients.py BASE_URL
rdflib's Graph().parse(iri) and `rapper -g iri` follow our 303 to the data and parse it;
the JSON-LD representation parses with rdflib to the same graph as the Turtle one.
"""
import shutil
import subprocess
import sys

import rdflib
from rdflib.compare import isomorphic

base = sys.argv[1].rstrip("/") + "/"
concept = base + "concept/risk-management"
checks = 0


def check(condition, message):
    global checks
    if not condition:
        print(f"FAIL: {message}")
        sys.exit(1)
    checks += 1
    print(f"ok: {message}")


g = rdflib.Graph()
g.parse(concept)
skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
broader = set(g.objects(rdflib.URIRef(concept), skos.broader))
check(len(broader) == 2, f"rdflib Graph().parse(<{concept}>) has both broader concepts (got {len(broader)})")
check((rdflib.URIRef(concept), skos.prefLabel, rdflib.Literal("Risk Management", lang="en")) in g, "rdflib sees the preferred label")

turtle = rdflib.Graph().parse(base + "data/concept/risk-management.ttl", format="turtle")
jsonld = rdflib.Graph().parse(base + "data/concept/risk-management.jsonld", format="json-ld")
check(isomorphic(turtle, jsonld), f"the JSON-LD parses with rdflib to the Turtle graph ({len(jsonld)} triples)")

if shutil.which("rapper") is None:
    print("FAIL: rapper (Debian raptor2-utils) is not installed")
    sys.exit(1)
out = subprocess.run(["rapper", "-q", "-g", concept, "-o", "ntriples"], capture_output=True, text=True, timeout=60)
lines = [l for l in out.stdout.splitlines() if l.strip()]
check(out.returncode == 0 and len(lines) == len(g), f"rapper -g <{concept}> parses {len(lines)} triples (rdflib: {len(g)}): {out.stderr.strip()}")

print(f"{checks} passed, 0 failed")
