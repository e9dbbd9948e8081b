//! End-to-end harness: real simulator and proxy processes, headless Chromium through
//! chromedriver, and helpers that await conditions instead of sleeping.

pub mod api;
pub mod browser;
pub mod harness;
pub mod stack;

pub use api::{ProxyClient, Reply, AVA, AVA_NUMBER, SESSION_COOKIE};
pub use browser::{cdp, run_headless, set_viewport, sign_in, wait_until, wait_within, Browser};
pub use harness::{Harness, Setup};
