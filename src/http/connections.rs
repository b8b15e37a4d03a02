//! Accepting connections: each keep-alive connection on a thread of its own, so that store
//! and search work runs inline where the request was read.
//!
//! Why: handing every query from an async worker to the blocking pool and back costs
//! about five context switches per request (a worker parks, a blocking thread wakes and
//! parks, the worker wakes), which on small queries was a third of the CPU. A thread
//! per connection, the way `oxigraph serve` works, reads, evaluates and writes on one
//! thread: blocking there holds up only the connection that waits for that answer.
//!
//! A connection thread drives hyper for its one connection over the socket in blocking
//! mode ([`super::blocking_io`]), inside a current-thread tokio runtime for the handlers'
//! async code, and marks itself so that [`on_connection_thread`] is true there:
//! [`super::blocking`] and the SPARQL deadline then run their work inline instead of on
//! the blocking pool. Beyond `--connection-threads` live threads (or if a thread cannot be
//! started) a connection is served on the shared async runtime, with its blocking work on
//! the blocking pool. A shutdown signal stops accepting and lets every connection finish
//! its request in flight: a connection thread's socket is shut for reading, so its next
//! read sees the end of the stream; the others get hyper's graceful shutdown. It returns
//! when all connections are done.

use super::blocking_io::BlockingIo;
use super::metrics::{ConnectionGauge, Metrics};
use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use std::cell::Cell;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

thread_local! {
    static CONNECTION_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread serves exactly one connection, so that blocking work may
/// run inline on it.
pub fn on_connection_thread() -> bool {
    CONNECTION_THREAD.with(Cell::get)
}

/// Serves `router` on `listener` until `shutdown` completes, then waits for the
/// connections to finish. At most `max_threads` connections have a thread of their own;
/// `metrics` counts the open connections of each kind.
pub async fn serve_connections(
    listener: TcpListener,
    router: Router,
    max_threads: usize,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()>,
) {
    let (stop_tx, stop_rx) = watch::channel(false);
    // Every connection holds a clone of `alive`; `recv` returns `None` once all are gone.
    let (alive, mut all_closed) = mpsc::channel::<()>(1);
    let threads = ThreadRegistry::default();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        // No Nagle delay: a response written in more than one segment (headers, then a
        // body that did not fit) must not wait for the client's delayed ACK.
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
        let connection = Connection {
            router: router.clone(),
            _alive: alive.clone(),
        };
        if let Err((stream, connection)) = threads.start(connection, stream, max_threads, &metrics)
        {
            let counted = metrics.connection(false);
            let stop = stop_rx.clone();
            tokio::spawn(async move {
                connection.serve_shared(stream, stop).await;
                drop(counted);
            });
        }
    }
    tracing::info!("stopped accepting connections");
    // `send` fails only when no connection on the shared runtime is left to tell.
    let _ = stop_tx.send(true);
    threads.stop_reading();
    drop(alive);
    let _ = all_closed.recv().await;
}

/// One accepted connection and what serving it needs.
struct Connection {
    router: Router,
    /// Dropped when the connection is done.
    _alive: mpsc::Sender<()>,
}

impl Connection {
    /// Serves HTTP/1.1 on the shared runtime until the client closes the connection or a
    /// shutdown lets the request in flight finish.
    async fn serve_shared(self, stream: TcpStream, mut stop: watch::Receiver<bool>) {
        let service = TowerToHyperService::new(self.router);
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .serve_connection(TokioIo::new(stream), service);
        tokio::pin!(conn);
        // The receiver was cloned before any stop was sent, so a stop sent since is
        // still seen as a change.
        let result = tokio::select! {
            result = conn.as_mut() => result,
            _ = stop.changed() => {
                conn.as_mut().graceful_shutdown();
                conn.await
            }
        };
        if let Err(e) = result {
            tracing::trace!(error = %e, "connection ended with an error");
        }
    }

    /// Serves HTTP/1.1 on a connection thread over the blocking socket.
    fn serve_on_this_thread(self, stream: std::net::TcpStream) {
        CONNECTION_THREAD.with(|c| c.set(true));
        let io = match BlockingIo::new(stream) {
            Ok(io) => io,
            Err(e) => return tracing::debug!(error = %e, "connection lost before serving"),
        };
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(r) => r,
            Err(e) => return tracing::warn!(error = %e, "no runtime for a connection"),
        };
        let service = TowerToHyperService::new(self.router);
        // Half-close allowed: hyper then reads only when it expects bytes, never to probe
        // for the end of the stream while an answer is being made (a blocking read
        // there would wait for the client's next request).
        let conn = hyper::server::conn::http1::Builder::new()
            .half_close(true)
            .serve_connection(io, service);
        if let Err(e) = runtime.block_on(conn) {
            tracing::trace!(error = %e, "connection ended with an error");
        }
    }
}

/// The sockets of the live connection threads, to shut them for reading at shutdown.
#[derive(Clone, Default)]
struct ThreadRegistry {
    inner: Arc<Mutex<Registry>>,
}

#[derive(Default)]
struct Registry {
    next_id: u64,
    sockets: HashMap<u64, std::net::TcpStream>,
}

impl ThreadRegistry {
    fn lock(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts a thread for `connection`, or gives it back when `max` threads are live or
    /// no thread can be started.
    fn start(
        &self,
        connection: Connection,
        stream: TcpStream,
        max: usize,
        metrics: &Metrics,
    ) -> Result<(), (TcpStream, Connection)> {
        let mut registry = self.lock();
        if registry.sockets.len() >= max {
            return Err((stream, connection));
        }
        let (std_stream, handle) = match stream
            .into_std()
            .and_then(|s| s.try_clone().map(|h| (s, h)))
        {
            Ok(pair) => pair,
            Err(e) => {
                tracing::debug!(error = %e, "connection lost before its thread started");
                return Ok(());
            }
        };
        let id = registry.next_id;
        registry.next_id += 1;
        registry.sockets.insert(id, handle);
        drop(registry);
        let done = Deregister {
            registry: self.clone(),
            id,
            _counted: metrics.connection(true),
        };
        let started = std::thread::Builder::new()
            .name("ck-connection".into())
            .spawn(move || {
                let _done = done;
                connection.serve_on_this_thread(std_stream);
            });
        if let Err(e) = started {
            // The closure is dropped with the stream and `done`: the connection closes
            // and leaves the registry.
            tracing::warn!(error = %e, "no thread for a connection");
        }
        Ok(())
    }

    /// Shuts every connection thread's socket for reading: a thread waiting for the next
    /// request sees the end of the stream, one answering a request finishes it first.
    fn stop_reading(&self) {
        let registry = self.lock();
        for socket in registry.sockets.values() {
            // Fails only for a socket the peer already closed.
            let _ = socket.shutdown(std::net::Shutdown::Read);
        }
    }
}

/// Takes a connection thread's socket out of the registry when the thread ends.
struct Deregister {
    registry: ThreadRegistry,
    id: u64,
    _counted: ConnectionGauge,
}

impl Drop for Deregister {
    fn drop(&mut self) {
        self.registry.lock().sockets.remove(&self.id);
    }
}
