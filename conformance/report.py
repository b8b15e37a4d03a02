#!/usr/bin/env python3
"""Print per-category scores of one or more harness.py summaries side by side.

    report.py RESULT.json [RESULT.json ...] [--markdown] [--no-failures]
"""

import json
import sys

# Spec grouping, as in sparql11/manifest-all.ttl (mf:conformanceRequirement).
SPEC = {
    "query": ["aggregates", "bind", "bindings", "cast", "construct", "exists", "functions",
              "grouping", "negation", "project-expression", "property-path", "subquery",
              "syntax-query"],
    "update": ["add", "basic-update", "clear", "copy", "delete-data", "delete-insert",
               "delete-where", "delete", "drop", "move", "syntax-update-1",
               "syntax-update-2", "update-silent"],
    "results formats": ["csv-tsv-res", "json-res"],
    "federation": ["syntax-fed", "service"],
    "entailment": ["entailment"],
    "service description": ["service-description"],
    "protocol": ["protocol"],
    "graph store protocol": ["graph-store-protocol"],
}


def main(argv):
    markdown = "--markdown" in argv
    failures = "--no-failures" not in argv
    files = [a for a in argv if not a.startswith("--")]
    if not files:
        sys.exit(__doc__)
    runs = [json.load(open(f, encoding="utf-8")) for f in files]
    names = [r["server"] for r in runs]
    cats = sorted({c for r in runs for c in r["categories"]})

    def cell(r, c):
        x = r["categories"].get(c)
        return f"{x['passed']}/{x['total']}" if x else "-"

    rows = []
    for spec, members in SPEC.items():
        for c in members:
            if c in cats:
                rows.append((c, spec))
    rows += [(c, "other") for c in cats if all(c not in m for m in SPEC.values())]
    table = [["category", "spec"] + names]
    table += [[c, s] + [cell(r, c) for r in runs] for c, s in rows]
    table.append(["all", ""] + [f"{r['total']['passed']}/{r['total']['total']}" for r in runs])
    table.append(["all but entailment, service-description", ""] + [
        "{passed}/{total}".format(**r["without_entailment_and_service_description"])
        for r in runs])
    if markdown:
        print("| " + " | ".join(table[0]) + " |")
        print("|" + "---|" * len(table[0]))
        for row in table[1:]:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        for row in table:
            print("  ".join(v.ljust(widths[i]) for i, v in enumerate(row)))
    if not failures:
        return
    for r in runs:
        print()
        print(f"{'### ' if markdown else ''}{r['server']}: tests not passed")
        for c, _ in rows:
            x = r["categories"].get(c)
            if not x or not (x["failed"] or x["not_tested"]):
                continue
            if c in ("entailment",):
                print(f"{'- ' if markdown else '  '}{c}: {len(x['failed'])} failed,"
                      f" {len(x['not_tested'])} not tested (entailment regimes are out of scope)")
                continue
            for n in x["failed"] + x["not_tested"]:
                t = r["tests"][n]
                reason = t["reason"] or t["status"]
                print(f"{'- ' if markdown else '  '}{c}: {t.get('id', '')} \"{n}\"  [{reason}]")


if __name__ == "__main__":
    main(sys.argv[1:])
