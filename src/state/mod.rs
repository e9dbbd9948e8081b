//! Reactive state shared through context: one newtype per area.

mod bridge;
mod call_logs;
mod contact_actions;
mod contacts;
mod journal;
mod screen_pop;
mod table;

pub use bridge::BridgeState;
pub use call_logs::{utc_day, CallLogs, LogNames, TabRole};
pub use contact_actions::{callable_number, Action, ContactActions};
pub use contacts::ContactsCtx;
pub use journal::Journal;
pub use screen_pop::{Pop, ScreenPop};
pub use table::{TableState, OVERSCAN, ROW_HEIGHT};

use dialdesk_contract::CallerId;
use leptos::prelude::*;

use crate::domain::zoom::zoom_caller_ids;

/// The work area's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkTab {
    /// The contact table.
    Contacts,
    /// The calls this browser knows.
    Calls,
    /// Zoom's calls without a saved log.
    Unlogged,
    /// The Zoom company directory.
    Directory,
}

/// The tab the work area shows.
#[derive(Debug, Clone, Copy)]
pub struct WorkTabCtx(pub RwSignal<WorkTab>);

/// What the contact editor is asked to open.
#[derive(Debug, Clone)]
pub enum EditRequest {
    /// A new contact, holding a number when it starts from a call.
    New(Option<String>),
    /// An existing contact.
    Edit(dialdesk_contract::Contact),
}

/// Opens the contact editor from anywhere: set `Some` to open it.
#[derive(Debug, Clone, Copy)]
pub struct EditorCtx(pub RwSignal<Option<EditRequest>>);

/// Whether single-key shortcuts are on (the rep can turn them off).
#[derive(Debug, Clone, Copy)]
pub struct ShortcutsCtx(pub RwSignal<bool>);

/// The call guard's settings, from configuration.
#[derive(Debug, Clone, Copy)]
pub struct GuardCtx(pub StoredValue<dialdesk_contract::GuardSettings>);

/// The caller ID outbound calls present: the rep's pick when it is among the options
/// (the signed-in user's Zoom numbers, else the configured ones), else the first.
#[derive(Debug, Clone, Copy)]
pub struct CallerIdCtx {
    /// What the rep picked (kept in the browser between visits).
    pub picked: RwSignal<Option<String>>,
    /// The caller IDs offered.
    pub options: Memo<Vec<CallerId>>,
    /// The caller ID calls present.
    pub selected: Memo<Option<String>>,
}

/// Sign-in: how users sign in, the person's role, the signed-in Zoom user once known,
/// and the screen that replaced the workspace (after **Sign out**, or a refused session).
#[derive(Clone, Copy)]
pub struct SessionCtx {
    /// How users sign in.
    pub auth: dialdesk_contract::AuthMode,
    /// What this person may do; the proxy enforces it, the views follow it.
    pub role: dialdesk_contract::Role,
    /// Whose unlogged calls this person may pick besides their own (the proxy's
    /// settings' names).
    pub oversees: StoredValue<Vec<String>>,
    /// The signed-in Zoom user (`GET /api/me`); `None` until it answers, or when it
    /// cannot (the configured caller IDs stay offered).
    pub me: leptos::prelude::LocalResource<Option<dialdesk_contract::Me>>,
    /// The sign-in screen shown in place of the workspace, once the session ended.
    pub screen: RwSignal<Option<crate::domain::zoom::Gate>>,
}

impl SessionCtx {
    /// Whether users sign in with Zoom (and the Zoom lookups exist).
    pub fn zoom(self) -> bool {
        self.auth == dialdesk_contract::AuthMode::Zoom
    }

    /// The signed-in user's name, once known.
    pub fn name(self) -> Option<String> {
        self.me.get().flatten().map(|me| me.name)
    }

    /// The signed-in user's Zoom numbers as caller IDs, once known.
    pub fn caller_ids(self) -> Option<Vec<CallerId>> {
        self.me.get().flatten().map(|me| zoom_caller_ids(&me))
    }
}
