//! Test-only fault points.
//!
//! The crash tests need the process to die at exact places (in the middle of the first
//! seed, between the journal sync and the store commit). A fault point is a named place in
//! the code; when the environment variable `CHARIOT_KG_FAULT` names it, the process aborts
//! there, without unwinding or closing anything, as a `kill -9` would. Unset (always, in
//! production), a fault point costs one environment lookup per write.

/// The environment variable that names the fault point to crash at.
pub const FAULT_ENV: &str = "CHARIOT_KG_FAULT";

/// Aborts the process if `CHARIOT_KG_FAULT` is `point`.
pub fn point(point: &str) {
    if std::env::var(FAULT_ENV).is_ok_and(|v| v == point) {
        eprintln!("fault point {point} reached: aborting");
        std::process::abort();
    }
}

/// The environment variable that names a point to pause at (tests widen a crash window).
pub const PAUSE_ENV: &str = "CHARIOT_KG_PAUSE";

/// Sleeps `CHARIOT_KG_PAUSE_MS` milliseconds (default 20) if `CHARIOT_KG_PAUSE` is `point`.
pub fn pause(point: &str) {
    if std::env::var(PAUSE_ENV).is_ok_and(|v| v == point) {
        let ms = std::env::var("CHARIOT_KG_PAUSE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20);
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}
