//! dialdesk: click-to-call and call dispositions for Zoom Phone Smart Embed.
//!
//! Modules are public so browser tests can mount components and hooks.

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod domain;
pub mod state;
