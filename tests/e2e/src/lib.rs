//! End-to-end harness: real simulator and proxy processes, headless Chromium through
//! chromedriver, and helpers that await conditions instead of sleeping.

pub mod browser;
pub mod harness;
pub mod stack;

pub use browser::{cdp, run_headless, wait_until, wait_within, Browser};
pub use harness::Harness;
