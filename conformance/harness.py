#!/usr/bin/env python3
"""Drive the W3C SPARQL 1.1 test suites against a running SPARQL HTTP endpoint.

The test runner is ad-freiburg's `sparql-conformance` (not vendored: pass the
path of a checkout with --harness). This file adds what it lacks for a generic
endpoint that is already running:

* `HttpEndpointManager`, an `EngineManager` adapter that never starts or
  stops anything: before each group of tests it resets the store with
  `DROP ALL` and loads the group's data through the Graph Store Protocol
  (`POST /store?default`, `POST /store?graph=IRI`), queries with the SPARQL
  Protocol (`POST /sparql`, `application/sparql-query`) and updates with
  `POST /update` (`application/sparql-update`). Every write request carries
  `Authorization: Bearer TOKEN`.
* Patches of the runner (README.md says why):
  1. Protocol tests: a POST that carries an update (`application/sparql-update`,
     a form body with an `update` parameter, or a `bad_update_*` test) goes to
     the update path; everything else to the query path.
  2. Syntax tests are judged on the HTTP status: a negative test passes on
     400, a positive one on any answer but a 400 (--positive-syntax non-4xx:
     but a 4xx). The runner alone passes a negative test on any
     non-2xx/3xx, a refused connection or a 500 too, and fails a positive
     one that parses but cannot run, e.g. a LOAD.
  3. Raw protocol requests go to 127.0.0.1 (the runner says `localhost`).
  4. Protocol tests also check mf:expectedFormat / mf:expectedBoolean: the
     media type must be one the test names and the body must parse (the
     runner only looks for the status and the substring "true").
  5. Expected Turtle results are read with their own file IRI as base, as
     the data is (the runner reads them from strings, so relative IRIs
     resolve against the current directory).
  6. A SELECT whose query has a top-level ORDER BY must return its solutions
     in the expected order (the runner compares them as multisets).
  7. The mock SERVICE endpoints listen on 127.0.0.1 (the runner: 0.0.0.0) and,
     with --mock-port, on a fixed port, so a server that only calls allowed
     endpoints can be given their URLs (--list-mock-endpoints).
* A summary (per category = sparql11 sub-directory) written as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, parse_qs

import requests

# --------------------------------------------------------------------------
# command line (parsed before importing the runner, whose path it names)
# --------------------------------------------------------------------------


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rdf-tests", required=True,
                   help="w3c/rdf-tests checkout (or its sparql/sparql11 dir)")
    p.add_argument("--harness", required=True,
                   help="ad-freiburg/sparql-conformance checkout")
    p.add_argument("--endpoint",
                   help="base URL of the running server, e.g. http://127.0.0.1:7878")
    p.add_argument("--query-path", default="sparql")
    p.add_argument("--update-path", default="update")
    p.add_argument("--store-path", default="store")
    p.add_argument("--token", default=os.environ.get("CONFORMANCE_TOKEN", "conformance"),
                   help="bearer token sent on every write (default $CONFORMANCE_TOKEN)")
    p.add_argument("--name", help="server label, e.g. oxigraph-0.5.13")
    p.add_argument("--out", help="summary JSON to write")
    p.add_argument("--full-out", default=None,
                   help="also keep the runner's full result (.json.bz2) here")
    p.add_argument("--include", default=None,
                   help="comma-separated test names or categories to run")
    p.add_argument("--exclude", default="", help="comma-separated names/categories to skip")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per HTTP request")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--command", default="", help="the command line to record in the summary")
    p.add_argument("--positive-syntax", choices=["non-400", "non-4xx"], default="non-400",
                   help="a positive syntax test passes on any answer but a 400 (default: a "
                        "403 for a LOAD/SERVICE refused by policy or a 500 from running it "
                        "still means it parsed), or, stricter, on any answer but a 4xx")
    p.add_argument("--mock-port", type=int, default=0,
                   help="port of the runner's mock SERVICE endpoints on 127.0.0.1 (0: any)")
    p.add_argument("--list-mock-endpoints", action="store_true",
                   help="print the mock SERVICE endpoint URLs (comma-separated) and exit")
    p.add_argument("--runner-defaults", action="store_true",
                   help="judge syntax, protocol and ORDER BY as the runner alone does (patches 2, 4, 6 off)")
    args = p.parse_args(argv)
    if not args.list_mock_endpoints and not (args.endpoint and args.name and args.out):
        p.error("--endpoint, --name and --out are required")
    return args


ARGS = parse_args() if __name__ == "__main__" else None

if ARGS is not None:
    sys.path.insert(0, str(Path(ARGS.harness).resolve() / "src"))

import logging  # noqa: E402

import rdflib  # noqa: E402

from sparql_conformance import mock_sparql_server, protocol_tools, testsuite  # noqa: E402
from sparql_conformance.config import Config  # noqa: E402
from sparql_conformance.engines.engine_manager import EngineManager  # noqa: E402
from sparql_conformance.protocol_request import ProtocolRequest  # noqa: E402
from sparql_conformance.runner import run_suites  # noqa: E402
from sparql_conformance.test_object import ErrorMessage, Status, TestObject  # noqa: E402
from sparql_conformance.util import local_name  # noqa: E402

# --------------------------------------------------------------------------
# the adapter
# --------------------------------------------------------------------------

ACCEPT = {
    # SELECT/ASK formats also accept Turtle so that a DESCRIBE/CONSTRUCT in a
    # syntax test is not refused with 406 merely for the Accept header.
    "srx": "application/sparql-results+xml, text/turtle;q=0.5",
    "srj": "application/sparql-results+json, text/turtle;q=0.5",
    "json": "application/sparql-results+json, text/turtle;q=0.5",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "rdf": "text/turtle",
}


class HttpEndpointManager(EngineManager):
    """EngineManager for an endpoint that is already running."""

    def __init__(self, endpoint, query_path, update_path, store_path, token, timeout):
        self.endpoint = endpoint.rstrip("/")
        self.query_path = query_path.strip("/")
        self.update_path = update_path.strip("/")
        self.store_path = store_path.strip("/")
        self.token = token
        self.timeout = timeout
        self.session = requests.Session()
        self.session.trust_env = False  # never a proxy: loopback only
        self.last_status = None

    # -- helpers ---------------------------------------------------------
    def _auth(self):
        return {"Authorization": f"Bearer {self.token}"}

    def _url(self, path):
        return f"{self.endpoint}/{path}"

    def _payload(self, path: str, graph):
        """(bytes, media type) of a data file.

        Base IRI of the file: the graph's name when it goes to a named graph
        (for the query tests that is the file's own IRI; the protocol data
        data1-3.rdf say rdf:about="" of their graph http://kasei.us/...),
        else the file's own IRI. Turtle gets it as a leading @base (an @base
        in the file still wins); RDF/XML is converted to N-Triples by rdflib
        with literals kept exactly as written.
        """
        suffix = Path(path).suffix.lower()
        raw = Path(path).read_bytes()
        base = graph or Path(path).resolve().as_uri()
        if suffix in (".ttl", ".n3"):
            return f"@base <{base}> .\n".encode() + raw, "text/turtle; charset=utf-8"
        if suffix == ".nt":
            return raw, "application/n-triples"
        if suffix == ".nq":
            return raw, "application/n-quads"
        if suffix == ".trig":
            return raw, "application/trig"
        if suffix in (".rdf", ".xml", ".owl"):
            saved = rdflib.NORMALIZE_LITERALS
            rdflib.NORMALIZE_LITERALS = False
            try:
                g = rdflib.Graph()
                g.parse(path, format="xml", publicID=base)
                return g.serialize(format="nt", encoding="utf-8"), "application/n-triples"
            finally:
                rdflib.NORMALIZE_LITERALS = saved
        raise ValueError(f"unknown data format: {path}")

    def _send(self, method, url, **kw):
        try:
            r = self.session.request(method, url, timeout=self.timeout, **kw)
        except requests.RequestException as e:
            self.last_status = 0
            return 0, f"HTTP Request failed: {e}"
        self.last_status = r.status_code
        return r.status_code, r.content.decode("utf-8", errors="replace")

    # -- EngineManager ----------------------------------------------------
    def setup(self, config: Config, graph_paths):
        # the runner puts `Authorization: Bearer <access_token>` on every
        # protocol and graph-store request it sends itself
        config.access_token = self.token
        status, body = self.update(config, "DROP ALL")
        if not 200 <= status < 300:
            return True, False, "", f"DROP ALL answered {status}: {body[:2000]}"
        log = []
        for path, name in graph_paths:
            try:
                data, media_type = self._payload(
                    path, None if name in ("-", "", None) else name)
            except Exception as e:  # unreadable test data
                return False, True, f"{path}: {e}", ""
            target = "default" if name in ("-", "", None) else "graph=" + quote(name, safe="")
            if media_type in ("application/n-quads", "application/trig"):
                target = ""
            url = self._url(self.store_path) + ("?" + target if target else "")
            status, body = self._send(
                "POST", url, data=data,
                headers={"Content-Type": media_type, **self._auth()})
            log.append(f"POST {url} <- {path}: {status}")
            if not 200 <= status < 300:
                log.append(body[:2000])
                return False, True, "\n".join(log), ""
        return True, True, "\n".join(log), ""

    def cleanup(self, config: Config):
        pass  # setup() resets the store itself

    def reset_graphs(self, config: Config, graph_paths) -> bool:
        ok_i, ok_s, _, _ = self.setup(config, graph_paths)
        return ok_i and ok_s

    def query(self, config: Config, query: str, result_format: str):
        return self._send(
            "POST", self._url(self.query_path), data=query.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query; charset=utf-8",
                     "Accept": ACCEPT.get(result_format, ACCEPT["srj"])})

    def update(self, config: Config, update: str):
        return self._send(
            "POST", self._url(self.update_path), data=update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8",
                     **self._auth()})

    def protocol_endpoint(self) -> str:
        return self.query_path

    def protocol_update_endpoint(self) -> str:
        return self.update_path

    def graph_store_endpoint(self) -> str:
        return self.store_path

    def get_server_log(self, config: Config) -> str:
        return ""


# --------------------------------------------------------------------------
# patches of the runner
# --------------------------------------------------------------------------

_orig_prepare = protocol_tools.prepare_request_from_action


def _is_update_request(test: TestObject, req: ProtocolRequest) -> bool:
    if req.method.upper() != "POST":
        return False  # e.g. bad_update_get: GET with ?update= goes to the query path
    ctype = next((h.value.lower() for h in req.headers
                  if h.name.lower() == "content-type"), "")
    if "application/sparql-update" in ctype:
        return True
    if "application/sparql-query" in ctype:
        return False
    if "x-www-form-urlencoded" in ctype:
        return "update" in parse_qs(req.body or "")
    return local_name(test.test).startswith("bad_update")


def prepare_request_from_action(engine_manager, test, req, newpath):
    """Send update requests to the update path, the rest to the query path (patch 1)."""
    head, body = _orig_prepare(engine_manager, test, req, newpath)
    path = (engine_manager.protocol_update_endpoint() if _is_update_request(test, req)
            else engine_manager.protocol_endpoint())
    first, rest = head.split("\r\n", 1)
    method, target, version = first.split(" ", 2)
    query = urlsplit(target).query
    head = f"{method} /{path}{'?' + query if query else ''} {version}\r\n{rest}"
    return head, body


_orig_send_raw = protocol_tools.send_raw_http


def send_raw_http(server_address, port, request_head, request_body, encoding, **kw):
    """Always 127.0.0.1 (patch 3)."""
    return _orig_send_raw("127.0.0.1", port, request_head, request_body, encoding, **kw)


RESULT_TYPES = {
    "boolean": {"application/sparql-results+xml", "application/sparql-results+json"},
    "tabular": {"application/sparql-results+xml", "application/sparql-results+json",
                "text/csv", "text/tab-separated-values"},
    # the tests say "expect one of: RDF/XML, Turtle, N-Triples, RDFa"
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples",
            "text/html", "application/xhtml+xml"},
}
RDFLIB_FORMAT = {"application/rdf+xml": "xml", "text/turtle": "turtle",
                 "application/n-triples": "nt"}


def prepare_response_from_action(req: ProtocolRequest) -> dict:
    """Keep the expected format and boolean for the stricter check (patch 4)."""
    r = req.expected_response
    return {"status_codes": list(r.status_codes), "content_types": [],
            "_format": r.expected_format, "_boolean": r.expected_boolean}


def _check_body(fmt, expected_boolean, ctype, body):
    """Problems with a 2xx protocol response body; [] when it is right."""
    if fmt is None and expected_boolean is not None:
        fmt = "boolean"
    if fmt is None:
        return []
    allowed = RESULT_TYPES[fmt]
    if ctype not in allowed:
        return [f"content-type {ctype or 'missing'!r} is not one of {sorted(allowed)}"]
    try:
        if fmt == "boolean":
            if ctype.endswith("json"):
                value = json.loads(body)["boolean"]
            else:
                m = re.search(r"<boolean>\s*(true|false)\s*</boolean>", body)
                value = m.group(1) == "true" if m else None
            if value not in (True, False):
                return [f"boolean: no boolean in the {ctype} body"]
            if expected_boolean is not None and value is not expected_boolean:
                return [f"boolean: expected {expected_boolean}, got {value!r}"]
        elif fmt == "tabular":
            if ctype.endswith("json"):
                obj = json.loads(body)
                if "bindings" not in obj.get("results", {}):
                    return ["tabular: no results.bindings in the JSON"]
            elif ctype.endswith("xml"):
                if not re.search(r"<results\b", body):
                    return ["tabular: no <results> in the XML"]
            elif not body.strip():
                return ["tabular: empty CSV/TSV body"]
        elif fmt == "RDF" and ctype in RDFLIB_FORMAT:
            rdflib.Graph().parse(data=body, format=RDFLIB_FORMAT[ctype])
    except Exception as e:  # unparsable body
        return [f"body does not parse as {ctype}: {e}"[:300]]
    return []


_orig_compare = protocol_tools.compare_response


def compare_response(expected, got_response, is_select):
    """Status, media type and body of a structured protocol test (patch 4)."""
    if "_format" not in expected:
        return _orig_compare(expected, got_response, is_select)
    parsed = protocol_tools.parse_raw_http_response(got_response)
    status = parsed["status_code"]
    problems = []
    if not any(protocol_tools._status_code_matches(e, status)
               for e in expected["status_codes"]):
        problems.append(f"status_code: expected one of {expected['status_codes']}, "
                        f"got {status!r}")
    elif status.startswith("2"):
        ctype = protocol_tools._media_type(
            (parsed["headers"].get("content-type") or [""])[0])
        problems += _check_body(expected["_format"], expected["_boolean"], ctype,
                                parsed["body"])
    return not problems, "", problems


def run_syntax_tests(self, graphs_list_of_tests):
    """Judge syntax tests on the HTTP status class (patch 2)."""
    em = self.engine_manager
    for graph_path, tests in graphs_list_of_tests.items():
        if not self.prepare_test_environment(graph_path, tests):
            continue
        for test in tests:
            negative = test.type_name.startswith("Negative")
            if "Update" in test.type_name:
                status, body = em.update(self.config, test.query_file)
            else:
                status, body = em.query(self.config, test.query_file, "srx")
            setattr(test, "query_log", f"HTTP {status}\n{body[:4000]}")
            # negative: 400 Bad Request; positive: any answer but a 400 (a
            # 403 for a LOAD/SERVICE refused by policy, or a 500 from
            # executing it, e.g. a LOAD that cannot leave the namespace or an
            # unknown function, still means it was parsed); non-4xx: any
            # answer but a 4xx
            if negative:
                ok = status == 400
            elif self.positive_syntax == "non-400":
                ok = status >= 200 and status != 400
            else:
                ok = status >= 200 and not 400 <= status < 500
            if ok:
                self.update_test_status(test, Status.PASSED, "")
            elif negative:
                self.update_test_status(test, Status.FAILED, ErrorMessage.EXPECTED_EXCEPTION)
            else:
                self.update_test_status(test, Status.FAILED, ErrorMessage.QUERY_EXCEPTION)
            self._report_test(test)
        em.cleanup(self.config)


_orig_test_init = TestObject.__init__


def _result_paths(result_node):
    """Paths of the expected default graph and of each expected named graph."""
    default, named = None, []
    if isinstance(result_node, dict):
        default = result_node.get("data")
        gd = result_node.get("graphData")
        for e in gd if isinstance(gd, list) else [gd] if gd else []:
            if isinstance(e, dict) and e.get("graph"):
                named.append((e.get("label", e["graph"].split("/")[-1]), e["graph"]))
            elif isinstance(e, str):
                named.append((e.split("/")[-1], e))
    return default, named


def _with_base(text, path):
    return f"@base <{Path(path).resolve().as_uri()}> .\n{text}" if text else text


def test_object_init(self, *a, **kw):
    """Expected Turtle results get their own file IRI as base (patch 5)."""
    _orig_test_init(self, *a, **kw)
    if self.result_format != "ttl":
        return
    default, named = _result_paths(self.result_node)
    if default:
        self.result_file = _with_base(self.result_file, os.path.join(self.path, self.result))
    for label, path in named:
        if label in self.result_files:
            self.result_files[label] = _with_base(self.result_files[label], path)


def _has_top_level_order_by(query: str) -> bool:
    text = re.sub(r"#[^\n]*", "", re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', query))
    depth = 0
    for m in re.finditer(r"[{}]|\bORDER\s+BY\b", text, re.IGNORECASE):
        tok = m.group(0)
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth -= 1
        elif depth == 0:
            return True
    return False


def _rows(text: str, fmt: str):
    """Solutions in document order, each a sorted tuple of (var, term key);
    blank nodes all read as `_:`."""
    rows = []
    if fmt == "srj":
        for b in json.loads(text)["results"]["bindings"]:
            rows.append(tuple(sorted(
                (k, ("bnode", "_:") if v["type"] == "bnode" else
                 (v["type"].replace("typed-literal", "literal"), v["value"],
                  v.get("datatype", ""), v.get("xml:lang", "").lower()))
                for k, v in b.items())))
        return rows
    import xml.etree.ElementTree as ET
    ns = "{http://www.w3.org/2005/sparql-results#}"
    root = ET.fromstring(text.encode("utf-8") if isinstance(text, str) else text)
    for res in root.iter(f"{ns}result"):
        row = []
        for b in res.findall(f"{ns}binding"):
            term = list(b)[0]
            kind = term.tag.removeprefix(ns)
            if kind == "bnode":
                key = ("bnode", "_:")
            else:
                key = (kind, term.text or "", term.get("datatype", ""),
                       term.get("{http://www.w3.org/XML/1998/namespace}lang", "").lower())
            row.append((b.get("name"), key))
        rows.append(tuple(sorted(row)))
    return rows


_orig_evaluate_query = testsuite.TestSuite.evaluate_query


def evaluate_query(self, expected_string, query_result, test, result_format,
                   response_format=None):
    """ORDER BY results must come in the expected order (patch 6)."""
    _orig_evaluate_query(self, expected_string, query_result, test, result_format,
                         response_format)
    if (test.status != Status.PASSED or result_format not in ("srx", "srj")
            or test.expected_result_set or not _has_top_level_order_by(test.query_file)):
        return
    try:
        exp, got = _rows(expected_string, result_format), _rows(query_result, result_format)
    except Exception:
        return
    if sorted(exp) != sorted(got):
        return  # the runner's looser term equality matched them; order undecidable here
    if exp != got:
        self.update_test_status(test, Status.FAILED, ErrorMessage.RESULTS_NOT_THE_SAME)
        test.response_not_matching = "ORDER BY: solutions are not in the expected order"


MOCK_PORT = 0


class LoopbackMockServer(mock_sparql_server.ThreadingHTTPServer):
    """The runner's mock SERVICE endpoints on 127.0.0.1:MOCK_PORT (patch 7); the
    socket is closed on shutdown so the next test can bind the same port."""

    allow_reuse_address = True

    def __init__(self, _address, handler):
        super().__init__(("127.0.0.1", MOCK_PORT), handler)

    def shutdown(self):
        super().shutdown()
        self.server_close()


def mock_endpoints(sparql11: Path, harness_config) -> list:
    """The local URLs the runner gives the mock SERVICE endpoints."""
    from sparql_conformance.extract_tests import extract_tests
    tests, _ = extract_tests(harness_config)
    mock = mock_sparql_server.MockSPARQLServer()
    mock.port = MOCK_PORT
    urls = []
    for group in tests.get("federation", {}).values():
        for t in group:
            for f in t.service_data_fixtures:
                u = mock.local_url_for(f.endpoint)
                if u not in urls:
                    urls.append(u)
    return urls


def apply_patches(strict=True):
    mock_sparql_server.ThreadingHTTPServer = LoopbackMockServer
    protocol_tools.prepare_request_from_action = prepare_request_from_action
    protocol_tools.send_raw_http = send_raw_http
    TestObject.__init__ = test_object_init
    if not strict:
        return
    protocol_tools.prepare_response_from_action = prepare_response_from_action
    protocol_tools.compare_response = compare_response
    testsuite.TestSuite.evaluate_query = evaluate_query
    testsuite.TestSuite.run_syntax_tests = run_syntax_tests


# --------------------------------------------------------------------------
# summary
# --------------------------------------------------------------------------

def git_rev(path):
    try:
        return subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        return ""


def short_reason(t: dict) -> str:
    bits = [t.get("errorType") or ""]
    nm = t.get("notMatching") or ""
    if nm:
        bits.append(nm.replace("&apos;", "'").replace("&quot;", '"')
                    .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                    .splitlines()[0][:200])
    return ": ".join(b for b in bits if b)


def summarize(output: dict, args, sparql11: Path, elapsed: float) -> dict:
    tests = output["suites"]["sparql11"]["tests"]
    cats: dict = {}
    per_test = {}
    for name, t in sorted(tests.items(), key=lambda kv: (kv[1]["group"], kv[0])):
        g = t["group"]
        c = cats.setdefault(g, {"passed": 0, "total": 0, "failed": [], "not_tested": []})
        c["total"] += 1
        st = t["status"]
        if st == Status.PASSED.value:
            c["passed"] += 1
        elif st == Status.NOT_TESTED.value:
            c["not_tested"].append(name)
        else:
            c["failed"].append(name)
        per_test[name] = {"id": local_name(t["test"]), "category": g,
                          "type": t["typeName"], "status": st, "test": t["test"], "reason": "" if st == "Passed" else short_reason(t)}
    total = sum(c["total"] for c in cats.values())
    passed = sum(c["passed"] for c in cats.values())
    skip = {"entailment", "service-description"}
    core_total = sum(c["total"] for g, c in cats.items() if g not in skip)
    core_passed = sum(c["passed"] for g, c in cats.items() if g not in skip)
    return {
        "server": args.name,
        "command": args.command,
        "strict": not args.runner_defaults,
        "positive_syntax": args.positive_syntax,
        "endpoint": {"query": f"/{args.query_path}", "update": f"/{args.update_path}",
                     "store": f"/{args.store_path}"},
        "rdf_tests_commit": git_rev(sparql11),
        "harness_commit": git_rev(args.harness),
        "date": time.strftime("%Y-%m-%d"),
        "elapsed_s": round(elapsed, 1),
        "total": {"passed": passed, "total": total},
        "without_entailment_and_service_description": {"passed": core_passed,
                                                       "total": core_total},
        "categories": cats,
        "tests": per_test,
    }


def main():
    args = ARGS
    logging.getLogger().setLevel(logging.WARNING if args.quiet else logging.INFO)
    # rdflib warns about every SERVICE query the mock endpoints receive
    logging.getLogger("rdflib").setLevel(logging.ERROR)
    root = Path(args.rdf_tests).resolve()
    sparql11 = root / "sparql" / "sparql11" if (root / "sparql" / "sparql11").is_dir() else root
    if not (sparql11 / "manifest-all.ttl").exists():
        sys.exit(f"not a sparql11 test directory: {sparql11}")
    global MOCK_PORT
    MOCK_PORT = args.mock_port
    apply_patches(strict=not args.runner_defaults)
    testsuite.TestSuite.positive_syntax = args.positive_syntax
    port = str(urlsplit(args.endpoint).port or 80) if args.endpoint else "0"
    include = args.include.split(",") if args.include else None
    exclude = [x for x in args.exclude.split(",") if x]

    def make_config(suite_dir):
        c = Config(image=None, system="native", port=port, graph_store=None,
                   testsuite_dir=suite_dir, type_alias=[], binaries_directory="",
                   exclude=exclude, include=include, access_token=args.token)
        c.server_address = "127.0.0.1"
        return c

    if args.list_mock_endpoints:
        print(",".join(mock_endpoints(sparql11, make_config(str(sparql11)))))
        return
    engine = HttpEndpointManager(args.endpoint, args.query_path, args.update_path,
                                 args.store_path, args.token, args.timeout)
    results_dir = Path(args.full_out).parent if args.full_out else Path(args.out).parent
    run_name = Path(args.full_out).name.removesuffix(".json.bz2") if args.full_out \
        else f".{args.name}.full"
    t0 = time.monotonic()
    output = run_suites([("sparql11", str(sparql11))], make_config, lambda: engine,
                        name=run_name, results_dir=str(results_dir), report_mode="none")
    if not args.full_out:
        try:
            os.unlink(results_dir / f"{run_name}.json.bz2")
        except OSError:
            pass
    summary = summarize(output, args, sparql11, time.monotonic() - t0)
    Path(args.out).write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    print(f"{args.name}: {summary['total']['passed']}/{summary['total']['total']} passed")


if __name__ == "__main__":
    main()
