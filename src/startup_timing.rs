//! Where the time from process start to the first frame goes, printed on stderr when
//! `MARGINALIA_STARTUP_TIMING` is set: `marginalia: startup 0.123 s: project opened`. A
//! diagnostic for people measuring the start (see BENCHMARKS.md), silent otherwise.

use std::sync::OnceLock;
use std::time::Instant;

fn started() -> Instant {
    static STARTED: OnceLock<Instant> = OnceLock::new();
    *STARTED.get_or_init(Instant::now)
}

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("MARGINALIA_STARTUP_TIMING").is_some())
}

/// Note that `step` is done: the first call fixes the start.
pub fn mark(step: &str) {
    let started = started();
    if enabled() {
        eprintln!(
            "marginalia: startup {:.3} s: {step}",
            started.elapsed().as_secs_f64()
        );
    }
}
