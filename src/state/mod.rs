//! Reactive state shared through context: one newtype per area.

mod bridge;
mod call_logs;
mod contacts;
mod journal;
mod screen_pop;

pub use bridge::BridgeState;
pub use call_logs::{utc_day, CallLogs, LogNames, TabRole};
pub use contacts::ContactsCtx;
pub use journal::Journal;
pub use screen_pop::{Pop, ScreenPop};

use leptos::prelude::*;

/// Whether single-key shortcuts are on (the rep can turn them off).
#[derive(Debug, Clone, Copy)]
pub struct ShortcutsCtx(pub RwSignal<bool>);

/// The call guard's settings, from configuration.
#[derive(Debug, Clone, Copy)]
pub struct GuardCtx(pub StoredValue<dialdesk_contract::GuardSettings>);

/// The caller ID the rep picked for outbound calls.
#[derive(Debug, Clone, Copy)]
pub struct CallerIdCtx(pub RwSignal<Option<String>>);
