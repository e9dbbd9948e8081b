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

/// Sign-in: how users sign in, the signed-in Zoom user once known, and the screen
/// shown (sign-out shows the sign-in screen).
#[derive(Debug, Clone, Copy)]
pub struct SessionCtx {
    /// How users sign in.
    pub auth: dialdesk_contract::AuthMode,
    /// The signed-in user's name, once `GET /api/me` answered (`auth = "zoom"`).
    pub name: RwSignal<Option<String>>,
    /// The signed-in user's Zoom numbers, set before `name`.
    pub numbers: StoredValue<Vec<String>>,
    /// The screen the app shows.
    pub gate: RwSignal<crate::domain::zoom::Gate>,
}

impl SessionCtx {
    /// Whether users sign in with Zoom (and the Zoom lookups exist).
    pub fn zoom(self) -> bool {
        self.auth == dialdesk_contract::AuthMode::Zoom
    }
}
