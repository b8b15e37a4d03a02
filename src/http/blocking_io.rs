//! A connection's socket in blocking mode, for hyper on a connection's own thread.
//!
//! On its own thread a connection needs no readiness events: a read that waits for the
//! next request simply blocks, as in `oxigraph serve`. That saves the `epoll_wait` and
//! the runtime's I/O dispatch per request. hyper reads only when it expects bytes (a
//! request head or body) once half-close is allowed, which turns off its probe for EOF
//! while a request is being answered; so a blocking read never holds up an answer. Before
//! each read hyper gets one more turn, so that what it has queued (a `100 Continue`) is
//! written before the thread waits. Idle and stalled peers are bounded by the socket's
//! read and write timeouts.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::pin::Pin;
use std::task::{Context, Poll};

/// How long a read or a write may wait without progress: an idle keep-alive connection
/// is closed after this long, like hyper's limit on reading a request head.
pub const IO_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A blocking socket as hyper's I/O.
pub struct BlockingIo {
    stream: TcpStream,
    scratch: Box<[u8]>,
    /// Whether hyper has had its turn since the last read (see `poll_read`).
    yielded: bool,
}

impl BlockingIo {
    /// Switches `stream` to blocking mode with the timeouts.
    pub fn new(stream: TcpStream) -> std::io::Result<Self> {
        stream.set_nonblocking(false)?;
        stream.set_read_timeout(Some(IO_TIMEOUT))?;
        stream.set_write_timeout(Some(IO_TIMEOUT))?;
        Ok(Self {
            stream,
            scratch: vec![0; 16 * 1024].into_boxed_slice(),
            yielded: false,
        })
    }
}

/// A timeout surfaces as `WouldBlock` from a blocking socket: report it as what it is.
fn retry<T>(mut op: impl FnMut() -> std::io::Result<T>) -> std::io::Result<T> {
    loop {
        match op() {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "no progress on the connection within the I/O timeout",
                ))
            }
            other => return other,
        }
    }
}

impl hyper::rt::Read for BlockingIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        // Before a read that may block, give hyper one turn to write what it has queued:
        // the `100 Continue` that a request with `Expect: 100-continue` waits for is
        // queued just before hyper reads the body, and would otherwise only be sent after
        // the body the client holds back until it sees it.
        if !this.yielded {
            this.yielded = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        this.yielded = false;
        let want = buf.remaining().min(this.scratch.len());
        let result = retry(|| this.stream.read(&mut this.scratch[..want]));
        Poll::Ready(result.map(|n| buf.put_slice(&this.scratch[..n])))
    }
}

impl hyper::rt::Write for BlockingIo {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        Poll::Ready(retry(|| this.stream.write(buf)))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        Poll::Ready(retry(|| this.stream.write_vectored(bufs)))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let result = self.stream.shutdown(std::net::Shutdown::Write);
        // Already closed by the peer: nothing left to shut.
        Poll::Ready(match result {
            Err(e) if e.kind() == std::io::ErrorKind::NotConnected => Ok(()),
            other => other,
        })
    }
}
