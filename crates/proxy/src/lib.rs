//! dialdesk-proxy: serves the dialdesk app from `dist/`, answers `/api`, keeps
//! Zoom secrets on the server and stores contacts in SQLite.
//!
//! One module per job: [`config`] (settings), [`db`] (SQLite), [`draft`]
//! (checking a contact to create or edit), [`call_log`] (checking a call log
//! to save, and its content for the identical-retry check), [`call_log_csv`]
//! (call logs as CSV, formula-safe), [`days`] (UTC days and ranges of them,
//! for reading call logs), [`import`] (CSV contact import), [`phone`]
//! (phone-number normalisation), [`seed`] (demo data), [`session`] (cookies
//! and CSRF), [`static_files`] (the app and its CSP), [`api`] (JSON routes),
//! [`state`] (what handlers share), [`app`] (the router and its layers),
//! [`zones`] (IANA time zones by region), [`zoom`] (the Zoom REST and OAuth
//! client),
//! [`startup`] (serving, shutdown and startup errors), [`cli`] (arguments).

pub mod api;
pub mod app;
pub mod auth;
pub mod call_log;
pub mod call_log_csv;
pub mod cli;
pub mod config;
pub mod days;
pub mod db;
pub mod draft;
pub mod import;
pub mod phone;
pub mod rate;
pub mod retention;
pub mod seed;
pub mod session;
pub mod startup;
pub mod state;
pub mod static_files;
pub mod vault;
pub mod zones;
pub mod zoom;
pub mod zoom_sync;
