"""Real SPARQL clients against the real binary: SPARQLWrapper and rdflib.

Usage: sparql_clients.py BASE_URL TOKEN
Checks exact values over the seed: 15 top concepts (JSON and XML results), the 79
skos:broader triples of a CONSTRUCT as Turtle, an authorised update read back, an
unauthorised one refused. Exits non-zero on the first failure.
"""
import sys
import urllib.error

import rdflib
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

base, token = sys.argv[1].rstrip("/") + "/", sys.argv[2]
endpoint = base + "sparql"
SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
TOP = SKOS + f"SELECT ?c WHERE {{ <{base}scheme/topics> skos:hasTopConcept ?c }}"
checks = 0


def check(condition, message):
    global checks
    if not condition:
        print(f"FAIL: {message}")
        sys.exit(1)
    checks += 1
    print(f"ok: {message}")


s = SPARQLWrapper(endpoint)
s.setQuery(TOP)
s.setReturnFormat(JSON)
rows = s.query().convert()["results"]["bindings"]
check(len(rows) == 15, f"15 top concepts as SPARQL JSON (got {len(rows)})")

s.setReturnFormat(XML)
doc = s.query().convert()
results = doc.getElementsByTagName("result")
check(len(results) == 15, f"15 top concepts as SPARQL XML (got {len(results)})")

s = SPARQLWrapper(endpoint)
s.setQuery(SKOS + "CONSTRUCT { ?a skos:broader ?b } WHERE { ?a skos:broader ?b }")
s.setReturnFormat(TURTLE)
turtle = s.query().convert()
g = rdflib.Graph()
g.parse(data=turtle, format="turtle")
check(len(g) == 79, f"79 broader triples from CONSTRUCT as Turtle (got {len(g)})")

marker = f"<{base}concept/client-check> <http://www.w3.org/2004/02/skos/core#prefLabel> \"Client check\"@en"
u = SPARQLWrapper(endpoint, updateEndpoint=base + "update")
u.setMethod(POST)
u.addCustomHttpHeader("Authorization", f"Bearer {token}")
u.setQuery(f"INSERT DATA {{ GRAPH <{base}graph/client-check> {{ {marker} }} }}")
u.query()
r = SPARQLWrapper(endpoint)
r.setQuery(f"ASK {{ GRAPH <{base}graph/client-check> {{ {marker} }} }}")
r.setReturnFormat(JSON)
check(r.query().convert()["boolean"] is True, "an authorised update is read back")

bad = SPARQLWrapper(endpoint, updateEndpoint=base + "update")
bad.setMethod(POST)
bad.setQuery(f"DROP GRAPH <{base}graph/client-check>")
try:
    bad.query()
    refused = False
except (urllib.error.HTTPError, SPARQLWrapperException) as e:
    # SPARQLWrapper turns a 401 into its Unauthorized exception.
    refused = type(e).__name__ == "Unauthorized" or getattr(e, "code", None) == 401
check(refused, "an unauthorised update is refused with 401")
check(r.query().convert()["boolean"] is True, "the refused update changed nothing")

print(f"{checks} passed, 0 failed")
