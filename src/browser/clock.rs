//! A ticking wall clock for timers on screen.

use leptos::prelude::*;
use std::time::Duration;

/// Milliseconds since the epoch, updated every second while the caller is mounted.
pub fn use_clock() -> ReadSignal<f64> {
    let (now, set_now) = signal(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || set_now.set(js_sys::Date::now()),
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    now
}
