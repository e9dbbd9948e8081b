//! Shared by the browser tests.

use gloo_timers::future::TimeoutFuture;

/// Waits until `condition` holds, checking every 20 ms; fails after 10 s naming `what`.
pub async fn wait_for(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = js_sys::Date::now() + 10_000.0;
    while !condition() {
        assert!(
            js_sys::Date::now() < deadline,
            "timed out waiting for {what}"
        );
        TimeoutFuture::new(20).await;
    }
}
