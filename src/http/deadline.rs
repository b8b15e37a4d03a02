//! Query deadlines for work that runs inline on a connection thread.
//!
//! There the connection's own runtime is busy with the query, so its timer cannot fire:
//! one watcher thread cancels each query's token when its deadline passes. Registering
//! is a lock and a push, without waking the watcher: it sleeps until the earliest
//! deadline it knows of and is only woken for an earlier one. Tokens are cancelled when
//! their request ends (`CancelOnDrop`), so finished queries are dropped from the front of
//! the queue as new ones come; behind a long query still at the front, they are dropped
//! whenever the queue has doubled, so it stays about as long as the number of queries
//! in flight.

use oxigraph::sparql::CancellationToken;
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// The watcher shared by all connection threads.
pub fn watcher() -> &'static Watcher {
    static WATCHER: OnceLock<&'static Watcher> = OnceLock::new();
    WATCHER.get_or_init(|| {
        let watcher: &'static Watcher = Box::leak(Box::default());
        let started = std::thread::Builder::new()
            .name("ck-deadlines".into())
            .spawn(|| watcher.run());
        if let Err(e) = started {
            // Without the thread, inline queries run without their deadline.
            tracing::error!(error = %e, "no thread for query deadlines");
        }
        watcher
    })
}

/// Cancels tokens at their deadlines.
#[derive(Debug, Default)]
pub struct Watcher {
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Default)]
struct State {
    /// Deadlines in the order they were registered.
    queue: VecDeque<(Instant, CancellationToken)>,
    /// When the watcher thread will look next (`None`: not until woken).
    next_look: Option<Instant>,
    /// The queue length at which `register` drops every finished entry, not only those
    /// at the front (a long query at the front would otherwise keep the rest).
    compact_at: usize,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("queued", &self.queue.len())
            .field("next_look", &self.next_look)
            .finish()
    }
}

impl State {
    /// Cancels every query past its deadline and drops the finished ones; returns the
    /// earliest deadline still pending.
    fn expire(&mut self, now: Instant) -> Option<Instant> {
        self.queue.retain(|(deadline, token)| {
            if *deadline <= now {
                token.cancel();
            }
            !token.is_cancelled()
        });
        self.compact_at = (2 * self.queue.len()).max(MIN_COMPACT);
        self.queue.iter().map(|(d, _)| *d).min()
    }
}

/// The queue length below which finished entries are only dropped from its front.
const MIN_COMPACT: usize = 1024;

impl Watcher {
    /// Cancels `token` once `timeout` has passed (unless it is cancelled before). A
    /// timeout too large for the clock is no deadline at all.
    pub fn register(&self, timeout: Duration, token: CancellationToken) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let Some(deadline) = now.checked_add(timeout) else {
            return;
        };
        while state.queue.front().is_some_and(|(_, t)| t.is_cancelled()) {
            state.queue.pop_front();
        }
        if state.queue.len() >= state.compact_at.max(MIN_COMPACT) {
            state.expire(now);
        }
        state.queue.push_back((deadline, token));
        if state.next_look.is_none_or(|next| deadline < next) {
            self.wake.notify_one();
        }
    }

    fn run(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let now = Instant::now();
            let next = state.expire(now);
            state.next_look = next;
            state = match next {
                Some(at) => {
                    self.wake
                        .wait_timeout(state, at.saturating_duration_since(now))
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self
                    .wake
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_cancelled_at_its_deadline_and_not_before() {
        let token = CancellationToken::new();
        watcher().register(Duration::from_secs(1), token.clone());
        std::thread::sleep(Duration::from_millis(50));
        assert!(!token.is_cancelled());
        let waited = Instant::now();
        while !token.is_cancelled() && waited.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(token.is_cancelled());
    }

    #[test]
    fn a_shorter_deadline_behind_a_longer_one_is_still_kept() {
        let long = CancellationToken::new();
        let short = CancellationToken::new();
        watcher().register(Duration::from_secs(3600), long.clone());
        watcher().register(Duration::from_millis(100), short.clone());
        let waited = Instant::now();
        while !short.is_cancelled() && waited.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(short.is_cancelled());
        assert!(!long.is_cancelled());
        long.cancel();
    }

    #[test]
    fn a_timeout_beyond_the_clock_is_no_deadline() {
        let watcher = Watcher::default();
        let token = CancellationToken::new();
        watcher.register(Duration::MAX, token.clone());
        assert!(watcher.state.lock().unwrap().queue.is_empty());
        assert!(!token.is_cancelled());
    }

    #[test]
    fn finished_queries_behind_a_long_one_do_not_pile_up() {
        // No thread: only what `register` does by itself.
        let watcher = Watcher::default();
        let long = CancellationToken::new();
        watcher.register(Duration::from_secs(3600), long.clone());
        for _ in 0..10 * MIN_COMPACT {
            let token = CancellationToken::new();
            watcher.register(Duration::from_secs(3600), token.clone());
            token.cancel();
        }
        let queued = watcher.state.lock().unwrap().queue.len();
        assert!(queued <= MIN_COMPACT + 1, "{queued} entries queued");
        assert!(!long.is_cancelled());
    }
}
