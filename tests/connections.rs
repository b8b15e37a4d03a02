//! How the real binary serves connections: each keep-alive connection on its own thread
//! up to `--connection-threads`, the rest on the shared async threads, all of them
//! answering queries and pages; and idle keep-alive connections do not hold up a
//! shutdown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A raw keep-alive HTTP/1.1 connection.
struct Connection {
    reader: BufReader<TcpStream>,
}

impl Connection {
    fn open(server: &Server) -> Self {
        let addr = server.url("/");
        let addr = addr.strip_prefix("http://").unwrap().trim_end_matches('/');
        let stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        Self {
            reader: BufReader::new(stream),
        }
    }

    /// Sends a request and reads its response: status and body.
    fn send(&mut self, method: &str, path: &str, headers: &str, body: &str) -> (u16, String) {
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.reader.get_mut().write_all(request.as_bytes()).unwrap();
        self.read_response()
    }

    /// Reads a response: status and body.
    fn read_response(&mut self) -> (u16, String) {
        let mut status_line = String::new();
        self.reader.read_line(&mut status_line).unwrap();
        let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).unwrap();
        (status, String::from_utf8(body).unwrap())
    }

    fn ask(&mut self) -> (u16, String) {
        self.send(
            "POST",
            "/sparql",
            "Content-Type: application/sparql-query\r\nAccept: application/sparql-results+json\r\n",
            "ASK { ?s a <http://www.w3.org/2004/02/skos/core#Concept> }",
        )
    }
}

fn connections_gauge(server: &Server, served_on: &str) -> u64 {
    let metrics = server.get_text("/metrics");
    let prefix = format!("chariot_kg_http_connections{{served_on=\"{served_on}\"}} ");
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map_or(0, |v| v.trim().parse().unwrap())
}

#[test]
fn connections_beyond_the_thread_cap_share_the_async_threads_and_are_all_served() {
    let t = TestDir::new();
    let server = Server::start(
        &t.data(),
        &["--base-iri", BASE, "--connection-threads", "1"],
        &[],
    );
    let mut connections: Vec<Connection> = (0..3).map(|_| Connection::open(&server)).collect();
    // Two rounds on each: keep-alive holds on both kinds of connection.
    for _ in 0..2 {
        for c in &mut connections {
            let (status, body) = c.ask();
            assert_eq!(status, 200, "{body}");
            assert!(body.contains("true"), "{body}");
            let (status, page) = c.send("GET", "/concepts", "Accept: text/html\r\n", "");
            assert_eq!(status, 200);
            assert!(page.contains("Access Management"), "{page}");
        }
    }
    // With the /metrics request's own connection, four are open, and at most one of them
    // has a thread.
    assert!(connections_gauge(&server, "own_thread") <= 1);
    assert!(connections_gauge(&server, "shared") >= 3);
    drop(connections);
    assert!(server.terminate().success());
}

#[test]
fn idle_keep_alive_connections_are_closed_at_shutdown_without_waiting() {
    let t = TestDir::new();
    let server = Server::start(&t.data(), &["--base-iri", BASE], &[]);
    let mut own = Connection::open(&server);
    let (status, _) = own.send("GET", "/health", "", "");
    assert_eq!(status, 200);
    assert!(connections_gauge(&server, "own_thread") >= 1);
    let started = Instant::now();
    let status = server.terminate();
    assert!(status.success(), "exit status {status:?}");
    // The connection's idle timeout is 30 s: stopping well before it means the idle
    // connection was closed by the shutdown, not by the timeout.
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "shutdown waited {:?} for an idle connection",
        started.elapsed()
    );
    drop(own);
}

#[test]
fn a_request_that_expects_100_continue_gets_it_before_sending_its_body() {
    let t = TestDir::new();
    for extra in [&[][..], &["--connection-threads", "0"][..]] {
        let mut args = vec!["--base-iri", BASE];
        args.extend_from_slice(extra);
        let server = Server::start(&t.data(), &args, &[]);
        let mut c = Connection::open(&server);
        c.reader
            .get_mut()
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let body = "ASK { ?s ?p ?o }";
        let head = format!(
            "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\nAccept: application/sparql-results+json\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        c.reader.get_mut().write_all(head.as_bytes()).unwrap();
        // The body is held back until the server says to go on, as clients do.
        let (status, _) = c.read_response();
        assert_eq!(status, 100, "{extra:?}");
        c.reader.get_mut().write_all(body.as_bytes()).unwrap();
        let (status, answer) = c.read_response();
        assert_eq!(status, 200, "{extra:?}: {answer}");
        assert!(answer.contains("true"), "{answer}");
        drop(c);
        assert!(server.terminate().success());
    }
}
