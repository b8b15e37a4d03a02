//! Shared test helpers: temporary data directories, seeded stores, the real binary.
#![allow(dead_code)]

use chariot_kg::iri::BaseIri;
use chariot_kg::server::{open_for_serving, ServeOptions};
use chariot_kg::store::{DefaultGraph, Kg, OpenOptions};
use oxigraph::model::{Dataset, Quad};
use oxigraph::sparql::QueryResults;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The base IRI tests use.
pub const BASE: &str = "http://kg.test/";

/// A test's data directory, removed at the end.
pub struct TestDir {
    pub dir: tempfile::TempDir,
}

impl TestDir {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

pub fn base() -> BaseIri {
    BaseIri::parse(BASE).unwrap()
}

/// Opens a store as `serve` does (seeding it if new), under [`BASE`].
pub fn open_seeded(data: &Path) -> Kg {
    open_for_serving(
        &ServeOptions {
            data_dir: data.to_owned(),
            base_iri: Some(base()),
            bind: "127.0.0.1:0".into(),
            default_graph: DefaultGraph::Union,
            no_seed: false,
            http: Default::default(),
            connection_threads: 0,
        },
        "127.0.0.1:1".parse().unwrap(),
    )
    .unwrap()
}

/// Opens a store as an offline command does (never seeded), under [`BASE`].
pub fn open_unseeded(data: &Path) -> Kg {
    Kg::open(&OpenOptions {
        data_dir: data.to_owned(),
        base_iri: Some(base()),
        base_iri_if_new: base(),
        command: "test",
        seed_if_new: false,
        default_graph: DefaultGraph::Union,
    })
    .unwrap()
}

/// The single integer of a `SELECT (COUNT(...) AS ?n)` query.
pub fn count(kg: &Kg, sparql: &str) -> u64 {
    let q = format!("{}{sparql}", chariot_kg::vocab::sparql_prefixes());
    match kg.query(&q).unwrap() {
        QueryResults::Solutions(mut s) => {
            let row = s.next().unwrap().unwrap();
            let term = row.get(0).unwrap().clone();
            match term {
                oxigraph::model::Term::Literal(l) => l.value().parse().unwrap(),
                other => panic!("not a count: {other}"),
            }
        }
        _ => panic!("not a SELECT"),
    }
}

/// Whether an ASK query holds.
pub fn ask(kg: &Kg, sparql: &str) -> bool {
    let q = format!("{}{sparql}", chariot_kg::vocab::sparql_prefixes());
    match kg.query(&q).unwrap() {
        QueryResults::Boolean(b) => b,
        _ => panic!("not an ASK"),
    }
}

/// The values of the first variable of a SELECT, as strings.
pub fn column(kg: &Kg, sparql: &str) -> Vec<String> {
    let q = format!("{}{sparql}", chariot_kg::vocab::sparql_prefixes());
    match kg.query(&q).unwrap() {
        QueryResults::Solutions(s) => s
            .map(|row| {
                let row = row.unwrap();
                match row.get(0).unwrap() {
                    oxigraph::model::Term::Literal(l) => l.value().to_owned(),
                    oxigraph::model::Term::NamedNode(n) => n.as_str().to_owned(),
                    other => other.to_string(),
                }
            })
            .collect(),
        _ => panic!("not a SELECT"),
    }
}

/// The whole public dataset as N-Quads bytes.
pub fn dump_bytes(kg: &Kg) -> Vec<u8> {
    let mut out = Vec::new();
    kg.dump(oxigraph::io::RdfFormat::NQuads, None, &mut out)
        .unwrap();
    out
}

/// A canonical form of an N-Quads dump, for isomorphism checks.
pub fn canonical(nquads: &[u8]) -> Dataset {
    let quads: Vec<Quad> = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
        .for_slice(nquads)
        .collect::<Result<_, _>>()
        .unwrap();
    let mut ds: Dataset = quads.into_iter().collect();
    ds.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
    ds
}

/// The path of the binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_chariot-kg")
}

/// Runs the binary to completion.
pub fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env_remove("CHARIOT_KG_FAULT")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

/// A running `chariot-kg serve`.
pub struct Server {
    pub child: Child,
    pub addr: String,
    /// stdout lines after the `listening on` one are not read.
    pub stderr_path: PathBuf,
}

impl Server {
    /// Starts `chariot-kg --data DATA serve --bind 127.0.0.1:0 EXTRA...` and waits for
    /// `/health`.
    pub fn start(data: &Path, extra: &[&str], env: &[(&str, &str)]) -> Self {
        let stderr_path = data.with_extension(format!("stderr-{}", std::process::id()));
        let stderr = std::fs::File::create(&stderr_path).unwrap();
        let mut cmd = Command::new(bin());
        cmd.arg("--data")
            .arg(data)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(extra)
            .env_remove("CHARIOT_KG_FAULT")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(stderr);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| {
                panic!(
                    "unexpected first line {line:?}; stderr: {}",
                    std::fs::read_to_string(&stderr_path).unwrap_or_default()
                )
            })
            .trim_end_matches('/')
            .to_owned();
        let server = Self {
            child,
            addr,
            stderr_path,
        };
        server.wait_healthy();
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(resp) = ureq::get(&self.url("/health")).call() {
                if resp.status() == 200 {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("server did not become healthy");
    }

    /// `GET path` as JSON.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        serde_json::from_str(&self.get_text(path)).unwrap()
    }

    /// `GET path` as text.
    pub fn get_text(&self, path: &str) -> String {
        let mut resp = ureq::get(&self.url(path)).call().unwrap();
        resp.body_mut().read_to_string().unwrap()
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "server did not stop after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.stderr_path);
    }
}

/// The vocabularies of `tests/fixtures/vocabularies/`.
pub fn vocabulary(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/vocabularies")
        .join(name)
}

/// A file of `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs `chariot-kg --data DATA --base-iri BASE ARGS...` to completion.
pub fn run_kg(data: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--data", data.to_str().unwrap(), "--base-iri", BASE];
    all.extend_from_slice(args);
    run(&all)
}

/// Asserts a command succeeded, showing its output if not.
pub fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `dump` of a stopped store through the binary.
pub fn dump_cli(data: &Path) -> Vec<u8> {
    let out = run_kg(data, &["dump"]);
    assert_ok(&out);
    out.stdout
}

impl Server {
    /// Starts a server with `--base-iri base` that is expected to refuse to start; returns
    /// its stderr.
    pub fn try_start_with_base(data: &Path, base: &str) -> String {
        let out = Command::new(bin())
            .arg("--data")
            .arg(data)
            .args(["--base-iri", base, "serve", "--bind", "127.0.0.1:0"])
            .env_remove("CHARIOT_KG_FAULT")
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

/// The number of quads in the public store, by a full scan (independent of the counts).
pub fn quad_count(kg: &Kg) -> u64 {
    kg.public_store().iter().count() as u64
}

/// In-process HTTP: one request through `app(state)`.
pub mod http {
    use axum::body::Body;
    use axum::http::{HeaderMap, Request, StatusCode};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    /// A response, read whole.
    pub struct Reply {
        pub status: StatusCode,
        pub headers: HeaderMap,
        pub body: Vec<u8>,
    }

    impl Reply {
        pub fn text(&self) -> String {
            String::from_utf8_lossy(&self.body).into_owned()
        }
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers.get(name).and_then(|v| v.to_str().ok())
        }
        pub fn json(&self) -> serde_json::Value {
            serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
        }
    }

    pub async fn send(app: &axum::Router, request: Request<Body>) -> Reply {
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn get(uri: &str, accept: Option<&str>) -> Request<Body> {
        let mut r = Request::get(uri);
        if let Some(a) = accept {
            r = r.header("accept", a);
        }
        r.body(Body::empty()).unwrap()
    }

    pub fn post(
        uri: &str,
        content_type: &str,
        body: impl Into<String>,
        token: Option<&str>,
    ) -> Request<Body> {
        with_body("POST", uri, content_type, body, token)
    }

    pub fn with_body(
        method: &str,
        uri: &str,
        content_type: &str,
        body: impl Into<String>,
        token: Option<&str>,
    ) -> Request<Body> {
        let mut r = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", content_type);
        if let Some(t) = token {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        r.body(Body::from(body.into())).unwrap()
    }

    /// `x-www-form-urlencoded` encoding of pairs.
    pub fn form(pairs: &[(&str, &str)]) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            s.append_pair(k, v);
        }
        s.finish()
    }

    pub fn q(query: &str) -> String {
        form(&[("query", query)])
    }
}

/// The write token of the HTTP tests.
pub const TOKEN: &str = "test-token";

/// A seeded store and an app with writes on (token [`TOKEN`]).
pub fn writable_app(
    t: &TestDir,
    tweak: impl FnOnce(&mut chariot_kg::HttpConfig),
) -> (std::sync::Arc<Kg>, axum::Router) {
    let kg = std::sync::Arc::new(open_seeded(&t.data()));
    let mut config = chariot_kg::HttpConfig {
        write_token: Some(TOKEN.into()),
        ..Default::default()
    };
    tweak(&mut config);
    let app = chariot_kg::app(chariot_kg::AppState::with_config(kg.clone(), config));
    (kg, app)
}
