//! Call logs across calls, reloads and tabs: every change to a draft is written to
//! `localStorage` at once and told to the other tabs; one tab, elected by Web Locks,
//! sends the saves (the outbox) and retries those that failed in transit.

use dialdesk_contract::{CallLogSettings, DispositionCode, FieldError, ZoomCall};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::ContactsCtx;
use crate::api::ApiClient;
use crate::browser::storage;
use crate::browser::tabs::{lead_when_free, Channel};
use crate::domain::call::root_call_id;
use crate::domain::call_log::{
    check, code_label, entry_text, next_to_send, parse_entry, retry_delay, same_content, LogEntry,
    LogStatus, SaveFailure,
};
use crate::domain::owner::{owned_name, owned_prefix, unowned_rest};
use crate::domain::protocol::EmbedEvent;

/// Where logs are kept and how tabs find each other; tests pick unique names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogNames {
    /// Prefix of the `localStorage` keys, one per call.
    pub storage_prefix: &'static str,
    /// The `BroadcastChannel` the tabs share.
    pub channel: &'static str,
    /// The Web Lock the leading tab holds.
    pub lock: &'static str,
}

impl Default for LogNames {
    fn default() -> Self {
        Self {
            storage_prefix: "dialdesk.log.",
            channel: "dialdesk-logs",
            lock: "dialdesk-outbox",
        }
    }
}

/// Which part this tab plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabRole {
    /// Waiting for the lead (another tab sends the saves).
    Follower,
    /// This tab sends the saves.
    Leader,
    /// No Web Locks here (an insecure context): this tab works alone.
    Alone,
}

/// The call logs this browser knows; `Copy`, provided as context.
///
/// Few signals on purpose (each signal type costs wasm, README): the entries, role and
/// storage problem sit in stored values, and views learn of changes through
/// [`version`](CallLogs::version).
#[derive(Debug, Clone, Copy)]
pub struct CallLogs {
    entries: StoredValue<Vec<LogEntry>>,
    /// Bumped on every change of the entries, the role or the storage problem.
    pub version: RwSignal<u64>,
    /// The call whose disposition panel is open.
    pub open: RwSignal<Option<String>>,
    /// Bumped when the open log must be shown afresh: another call opened, its
    /// status changed, a save was refused, or its draft changed other than by typing
    /// here. Typing never bumps it, so the form is not rebuilt under the agent.
    pub revision: RwSignal<u64>,
    /// Whether the rep asked for a log (Open, Log call): its form takes the focus
    /// once shown. A panel that opens by itself when a call ends leaves it where it is.
    pub focus_wanted: RwSignal<bool>,
    role: StoredValue<TabRole>,
    storage_error: StoredValue<Option<String>>,
    /// Calls the agent typed in here since their last save: mirrored state never
    /// replaces them.
    typed: StoredValue<Vec<String>>,
    /// Calls that ended while the agent wrote in another call's form: each keeps its own
    /// form, and they come up in turn, newest last.
    waiting_forms: StoredValue<Vec<String>>,
    /// Saves to send, as pressed in any tab: only the leader sends them, but every
    /// tab keeps them, so a follower that takes the lead sends what is left.
    outbox: StoredValue<Vec<LogEntry>>,
    codes: StoredValue<Vec<DispositionCode>>,
    /// The book whose rows show the latest disposition per number.
    contacts: Option<ContactsCtx>,
    settings: StoredValue<CallLogSettings>,
    api: StoredValue<ApiClient>,
    sending: StoredValue<bool>,
    /// The prefix of this person's keys in storage.
    prefix: StoredValue<String>,
    channel: StoredValue<Option<Channel<LogEntry>>, leptos::prelude::LocalStorage>,
}

/// Ends the key of a draft typed over a save from another tab that is waiting or
/// settled under the call's own key: both are kept, and a save of the draft shows both.
const SIDE: &str = "~draft";

/// How long a blank draft (nothing written) is kept: a week.
const BLANK_KEPT_MS: u64 = 7 * 24 * 60 * 60 * 1000;

/// Milliseconds since the epoch.
fn now() -> u64 {
    js_sys::Date::now() as u64
}

/// The UTC day `days_ago` days before today, `YYYY-MM-DD`.
pub fn utc_day(days_ago: u32) -> String {
    let ms = js_sys::Date::now() - f64::from(days_ago) * 86_400_000.0;
    let iso = String::from(js_sys::Date::new(&ms.into()).to_iso_string());
    iso.get(..10).unwrap_or_default().to_owned()
}

impl CallLogs {
    /// Loads the entries `owner` keeps in this browser (adopting those an earlier build
    /// stored without an owner), joins `owner`'s other tabs and asks for the lead; the
    /// most recent draft reopens. Other people's entries stay where they are.
    pub fn start(
        api: ApiClient,
        codes: Vec<DispositionCode>,
        settings: CallLogSettings,
        names: LogNames,
        owner: &str,
        contacts: Option<ContactsCtx>,
    ) -> Self {
        let prefix = owned_prefix(names.storage_prefix, owner);
        for (key, text) in storage::read_all(names.storage_prefix) {
            if let Some(rest) = unowned_rest(&key, names.storage_prefix) {
                if storage::write(&format!("{prefix}{rest}"), &text).is_ok() {
                    storage::remove(&key);
                }
            }
        }
        let logs = Self {
            entries: StoredValue::new(Vec::new()),
            version: RwSignal::new(0),
            open: RwSignal::new(None),
            revision: RwSignal::new(0),
            focus_wanted: RwSignal::new(false),
            role: StoredValue::new(TabRole::Follower),
            storage_error: StoredValue::new(None),
            typed: StoredValue::new(Vec::new()),
            waiting_forms: StoredValue::new(Vec::new()),
            outbox: StoredValue::new(Vec::new()),
            codes: StoredValue::new(codes),
            contacts,
            settings: StoredValue::new(settings),
            api: StoredValue::new(api),
            sending: StoredValue::new(false),
            prefix: StoredValue::new(prefix),
            channel: StoredValue::new_local(None),
        };
        logs.reload(true);
        let reopen = logs.entries.with_value(|all| {
            all.iter()
                .filter(|e| matches!(e.status, LogStatus::Draft))
                .max_by_key(|e| e.opened_ms)
                .map(|e| e.call_id.clone())
        });
        logs.open.set(reopen);
        let channel = Channel::open(&owned_name(names.channel, owner), move |entry| {
            logs.mirror(entry)
        });
        logs.channel.set_value(channel);
        let work_alone = move || {
            if logs.role.try_set_value(TabRole::Alone).is_none() {
                logs.changed();
                logs.flush();
            }
        };
        let asked = lead_when_free(
            &owned_name(names.lock, owner),
            move || {
                if logs.role.try_set_value(TabRole::Leader).is_none() {
                    logs.reload(false);
                    logs.flush();
                }
            },
            work_alone,
        );
        if !asked {
            work_alone();
        }
        // Every change is stored as it happens; leaving the page stores the drafts typed
        // here once more, in case a write was refused earlier (storage that was full).
        let leaving = window_event_listener(leptos::ev::pagehide, move |_| logs.persist_all());
        on_cleanup(move || {
            leaving.remove();
            logs.channel.set_value(None);
        });
        logs.adopt_today();
        logs
    }

    /// Lists today's logs saved before this page opened (in any tab or browser), as
    /// logged; entries this browser keeps stay as they are.
    fn adopt_today(self) {
        let api = self.api.get_value();
        spawn_local(async move {
            let today = utc_day(0);
            let Ok(logs) = api.call_logs(&today, &today, None).await else {
                return;
            };
            for log in logs {
                let known = self
                    .entries
                    .try_with_value(|all| all.iter().any(|e| e.call_id == log.call_id));
                if known != Some(false) {
                    continue;
                }
                let mut entry =
                    LogEntry::new(&log.call_id, js_sys::Date::parse(&log.saved_at) as u64);
                entry.adopt(log);
                self.take(entry);
            }
            self.changed();
        });
    }

    /// Reads every entry from storage, keeping the ones typed in here.
    /// With `own_drafts` (at start), drafts kept beside another tab's save come back
    /// as typed here: the agent's words are not lost when a tab closes or crashes.
    fn reload(self, own_drafts: bool) {
        let mut drafts = Vec::new();
        for (key, text) in storage::read_all(&self.prefix.get_value()) {
            let Some(entry) = parse_entry(&text) else {
                continue;
            };
            if key.ends_with(SIDE) {
                drafts.push(entry);
                continue;
            }
            // Blank drafts of calls a week old hold nothing to lose: storage is kept
            // from filling up with them.
            if own_drafts && entry.is_blank() && entry.opened_ms + BLANK_KEPT_MS < now() {
                storage::remove(&key);
                continue;
            }
            if matches!(entry.status, LogStatus::Waiting { .. }) {
                self.enqueue(entry.clone());
            }
            self.take(entry);
        }
        for draft in drafts.into_iter().filter(|_| own_drafts) {
            self.typed
                .update_value(|typed| typed.push(draft.call_id.clone()));
            self.entries.update_value(|all| {
                match all.iter_mut().find(|e| e.call_id == draft.call_id) {
                    Some(mine) => *mine = draft,
                    None => all.push(draft),
                }
            });
        }
        self.changed();
    }

    /// Tells the views the entries changed.
    fn changed(self) {
        self.version.try_update(|v| *v += 1);
    }

    /// Shows the open log afresh.
    fn refresh(self) {
        self.revision.try_update(|r| *r += 1);
    }

    /// Reads the entries, oldest first; re-runs the caller when they change.
    pub fn with_entries<R>(self, f: impl FnOnce(&[LogEntry]) -> R) -> R {
        self.version.track();
        self.entries.with_value(|all| f(all))
    }

    /// What this tab does; re-runs the caller when it changes.
    pub fn role(self) -> TabRole {
        self.version.track();
        self.role.get_value()
    }

    /// Why drafts cannot be kept in this browser, if they cannot.
    pub fn storage_error(self) -> Option<String> {
        self.version.track();
        self.storage_error.get_value()
    }

    fn typed_here(self, call_id: &str) -> bool {
        self.typed
            .try_with_value(|typed| typed.iter().any(|id| id == call_id))
            .unwrap_or(false)
    }

    /// Whether the open panel holds text the agent typed here and has not saved.
    fn typing_in_open(self) -> bool {
        self.open
            .get_untracked()
            .is_some_and(|id| self.typed_here(&id))
    }

    /// The configured disposition codes.
    pub fn codes(self) -> Vec<DispositionCode> {
        self.codes.get_value()
    }

    /// The label of disposition `value` (the value itself when not configured).
    pub fn label(self, value: &str) -> String {
        self.codes
            .with_value(|codes| code_label(codes, value).to_owned())
    }

    /// Shows a saved log's disposition on the rows it concerns: its contact's, or
    /// every row of its number when it names no contact.
    fn note_outcome(self, entry: &LogEntry) {
        let (Some(contacts), LogStatus::Logged { .. }, Some(number)) =
            (self.contacts, &entry.status, entry.draft.number.as_ref())
        else {
            return;
        };
        let key = (number.clone(), entry.draft.contact_id);
        let value = Some(entry.draft.disposition.clone());
        if contacts
            .history
            .with_untracked(|h| h.get(&key).map(|c| &c.last_disposition) != Some(&value))
        {
            contacts.history.update(|h| {
                h.entry(key).or_default().last_disposition = value;
            });
        }
    }

    /// The wrap-up and retry settings.
    pub fn settings(self) -> CallLogSettings {
        self.settings.get_value()
    }

    /// A copy of the entry of `call_id`; re-runs the caller when entries change.
    pub fn get(self, call_id: &str) -> Option<LogEntry> {
        self.with_entries(|all| all.iter().find(|e| e.call_id == call_id).cloned())
    }

    /// Changes the entry of `call_id` (made blank if new), stores it and tells the
    /// other tabs. Returns the entry as changed.
    fn change(self, call_id: &str, f: impl FnOnce(&mut LogEntry)) -> Option<LogEntry> {
        let now = now();
        let mut changed = None;
        let mut status_changed = false;
        self.entries.update_value(|all| {
            let index = match all.iter().position(|e| e.call_id == call_id) {
                Some(index) => index,
                None => {
                    all.push(LogEntry::new(call_id, now));
                    all.len() - 1
                }
            };
            if let Some(entry) = all.get_mut(index) {
                let before = entry.status.name();
                f(entry);
                status_changed = before != entry.status.name();
                changed = Some(entry.clone());
            }
        });
        self.changed();
        if status_changed && self.open.get_untracked().as_deref() == Some(call_id) {
            self.refresh();
        }
        if let Some(entry) = &changed {
            self.store(entry);
        }
        changed
    }

    /// Writes `entry` to storage (a logged one is removed: the proxy has it) and
    /// posts it to the other tabs.
    fn store(self, entry: &LogEntry) {
        self.note_outcome(entry);
        self.persist(entry, &entry_text(entry));
        self.channel.with_value(|channel| {
            if let Some(channel) = channel {
                channel.post(entry);
            }
        });
    }

    /// Writes `entry`, serialised as `text`, to storage; a logged one is removed.
    fn persist(self, entry: &LogEntry, text: &str) {
        let key = format!("{}{}", self.prefix.get_value(), entry.call_id);
        let side = format!("{key}{SIDE}");
        // A side draft with this content is now this entry's (saved, or the same).
        let same_side = storage::read(&side)
            .and_then(|t| parse_entry(&t))
            .is_some_and(|d| same_content(&d.draft, &entry.draft));
        if same_side && !matches!(entry.status, LogStatus::Draft) {
            storage::remove(&side);
        }
        if matches!(entry.status, LogStatus::Logged { .. }) {
            storage::remove(&key);
            return;
        }
        // A draft typed here never overwrites another tab's save: it goes beside it.
        let target = if matches!(entry.status, LogStatus::Draft) && self.typed_here(&entry.call_id)
        {
            let blocked = storage::read(&key)
                .and_then(|t| parse_entry(&t))
                .is_some_and(|m| {
                    !matches!(m.status, LogStatus::Draft) && !same_content(&m.draft, &entry.draft)
                });
            if blocked {
                &side
            } else {
                storage::remove(&side);
                &key
            }
        } else {
            &key
        };
        let error = storage::write(target, text)
            .err()
            .map(|e| format!("Drafts cannot be kept: {e}"));
        if self.storage_error.get_value() != error {
            self.storage_error.set_value(error);
            self.changed();
        }
    }

    /// Writes the drafts typed in this tab to storage again.
    fn persist_all(self) {
        let typed = self.typed.get_value();
        for call_id in typed {
            self.persist_typed(&call_id);
        }
    }

    /// Writes the draft of `call_id` typed in this tab to storage again.
    fn persist_typed(self, call_id: &str) {
        let mine = self
            .entries
            .with_value(|all| all.iter().find(|e| e.call_id == call_id).cloned());
        if let Some(mine) = mine {
            self.persist(&mine, &entry_text(&mine));
        }
    }

    /// Puts `entry` in place of this tab's entry of the same call, unless the agent
    /// typed in that one here (their text stays; a save of theirs against a
    /// different stored log comes back as a conflict showing both). Returns whether
    /// it was taken.
    fn take(self, entry: LogEntry) -> bool {
        if self.typed_here(&entry.call_id) {
            return false;
        }
        // A draft never replaces a save under way or done (a tab's stale copy).
        let stale = matches!(entry.status, LogStatus::Draft)
            && self.entries.with_value(|all| {
                all.iter().any(|e| {
                    e.call_id == entry.call_id
                        && matches!(
                            e.status,
                            LogStatus::Waiting { .. } | LogStatus::Logged { .. }
                        )
                })
            });
        if stale {
            return false;
        }
        self.note_outcome(&entry);
        let call_id = entry.call_id.clone();
        self.entries.update_value(|all| {
            match all.iter_mut().find(|e| e.call_id == entry.call_id) {
                Some(mine) => *mine = entry,
                None => {
                    let at = all.partition_point(|e| e.opened_ms <= entry.opened_ms);
                    all.insert(at, entry);
                }
            }
        });
        if self.open.get_untracked().as_deref() == Some(call_id.as_str()) {
            self.refresh();
        }
        true
    }

    /// Adds a save to the outbox, replacing an earlier save of the same call.
    fn enqueue(self, entry: LogEntry) {
        self.outbox.update_value(|outbox| {
            outbox.retain(|e| e.call_id != entry.call_id);
            outbox.push(entry);
        });
    }

    /// Takes an entry another tab posted: a save joins the outbox; a sent one leaves
    /// it.
    fn mirror(self, entry: LogEntry) {
        match entry.status {
            LogStatus::Waiting { .. } => {
                self.enqueue(entry.clone());
                self.flush();
            }
            // Another tab's leader sent it: it leaves the outbox here too.
            LogStatus::Logged { .. } | LogStatus::Failed { .. } | LogStatus::Conflict { .. } => {
                self.outbox.update_value(|outbox| {
                    outbox.retain(|e| {
                        e.call_id != entry.call_id || !same_content(&e.draft, &entry.draft)
                    });
                });
            }
            LogStatus::Draft => {}
        }
        // Text typed here and saved, the same, elsewhere is no longer only here.
        let same_as_mine = self.entries.with_value(|all| {
            all.iter()
                .any(|e| e.call_id == entry.call_id && same_content(&e.draft, &entry.draft))
        });
        if same_as_mine && !matches!(entry.status, LogStatus::Draft) {
            self.typed
                .update_value(|typed| typed.retain(|id| *id != entry.call_id));
        }
        if self.typed_here(&entry.call_id) && !matches!(entry.status, LogStatus::Draft) {
            // Another tab's save went over the call's key: the text typed here is
            // stored again, beside it or in its place.
            self.persist_typed(&entry.call_id);
        }
        if self.take(entry) {
            self.changed();
        }
    }

    /// Applies a Smart Embed event: an ended call or a save-log event opens its
    /// panel pre-filled (with `contact`, when the call's contact is known), the notes
    /// page fills it in, late media join the log.
    pub fn on_event(self, event: &EmbedEvent, contact: Option<i64>) {
        match event {
            EmbedEvent::CallEnded(call) | EmbedEvent::SaveLog(call) => {
                let root = root_call_id(&call.call_id).to_owned();
                let is_new = self
                    .entries
                    .with_value(|all| all.iter().all(|e| e.call_id != root));
                let wrap_up = self.settings.with_value(|s| s.wrap_up_secs);
                let ended = matches!(event, EmbedEvent::CallEnded(_));
                let entry = self.change(&root, |entry| {
                    if entry.editable() {
                        entry.prefill(call);
                        entry.draft.contact_id = entry.draft.contact_id.or(contact);
                        if ended {
                            entry.start_wrap_up(wrap_up, now());
                        }
                    }
                });
                if entry.is_some_and(|e| e.editable()) {
                    self.offer(&root);
                }
                if is_new {
                    self.check_stored(root);
                }
            }
            EmbedEvent::NotesSave(notes) => {
                let Some(root) = notes
                    .call_id
                    .as_deref()
                    .map(|id| root_call_id(id).to_owned())
                    .or_else(|| self.open.get_untracked())
                    .or_else(|| self.latest_editable())
                else {
                    return;
                };
                let codes = self.codes.get_value();
                self.change(&root, |entry| {
                    if entry.editable() {
                        entry.merge_notes(notes, &codes);
                    }
                });
                self.offer(&root);
                // The notes page changed the draft: the form shows it.
                self.refresh_if_open(&root);
            }
            EmbedEvent::RecordingCompleted(call) | EmbedEvent::VoicemailReceived(call) => {
                let root = root_call_id(&call.call_id);
                let Some(url) = call.recording_url.as_ref().or(call.voicemail_url.as_ref()) else {
                    return;
                };
                if self
                    .entries
                    .with_value(|all| all.iter().any(|e| e.call_id == root))
                {
                    self.change(root, |entry| {
                        if !entry.media.contains(url) {
                            entry.media.push(url.clone());
                        }
                    });
                    // A saved log shows it at once; a draft being written is not
                    // rebuilt under the agent, and shows it at its next refresh.
                    if !self.is_editable(root) {
                        self.refresh_if_open(root);
                    }
                }
            }
            _ => {}
        }
    }

    /// Opens the panel on a call of Zoom's history (the unlogged calls view): its
    /// entry is made, or completed, from what Zoom knows, so the agent picks a code,
    /// types notes and saves through the outbox.
    pub fn log_zoom_call(self, call: &ZoomCall) {
        let root = root_call_id(&call.call_id).to_owned();
        let is_new = self
            .entries
            .with_value(|all| all.iter().all(|e| e.call_id != root));
        self.change(&root, |entry| {
            if entry.editable() {
                entry.prefill_zoom(call);
            }
        });
        self.open_here(&root);
        self.refresh();
        if is_new {
            self.check_stored(root);
        }
    }

    /// Opens the panel on `call_id` at the rep's request: its form takes the focus.
    pub fn open_here(self, call_id: &str) {
        self.focus_wanted.set(true);
        self.show(call_id);
    }

    /// Opens the panel on `call_id` and shows its current values.
    pub fn show(self, call_id: &str) {
        if self
            .waiting_forms
            .with_value(|waiting| waiting.iter().any(|id| id == call_id))
        {
            self.waiting_forms
                .update_value(|waiting| waiting.retain(|id| id != call_id));
            self.changed();
        }
        if self.open.get_untracked().as_deref() != Some(call_id) {
            self.open.set(Some(call_id.to_owned()));
            self.refresh();
        }
    }

    /// Shows the panel on `call_id` unless the agent is writing in another call's
    /// form: then the call's form waits its turn (listed in the panel).
    fn offer(self, call_id: &str) {
        let elsewhere = self.open.get_untracked().as_deref() != Some(call_id);
        if !(elsewhere && self.typing_in_open()) {
            self.show(call_id);
        } else if self
            .waiting_forms
            .with_value(|waiting| !waiting.iter().any(|id| id == call_id))
        {
            self.waiting_forms
                .update_value(|waiting| waiting.push(call_id.to_owned()));
            self.changed();
        }
    }

    /// The calls whose forms wait their turn (still to be logged), oldest first;
    /// re-runs the caller when they change.
    pub fn waiting_forms(self) -> Vec<String> {
        self.version.track();
        let waiting = self.waiting_forms.get_value();
        self.entries.with_value(|all| {
            waiting
                .into_iter()
                .filter(|id| all.iter().any(|e| e.call_id == *id && e.editable()))
                .collect()
        })
    }

    /// The calls whose logs need the agent (refused, or in conflict with another
    /// save), oldest first; re-runs the caller when they change.
    pub fn needing_attention(self) -> Vec<String> {
        self.with_entries(|all| {
            all.iter()
                .filter(|e| {
                    matches!(
                        e.status,
                        LogStatus::Failed { .. } | LogStatus::Conflict { .. }
                    )
                })
                .map(|e| e.call_id.clone())
                .collect()
        })
    }

    /// The form of `call_id` was saved: the next form waiting its turn comes up, else
    /// the panel closes (the saved log stays in the Calls list).
    fn move_on(self, call_id: &str) {
        if self.open.get_untracked().as_deref() != Some(call_id) {
            return;
        }
        let next = self.waiting_forms().into_iter().find(|id| id != call_id);
        self.waiting_forms.update_value(|waiting| {
            waiting.retain(|id| Some(id) != next.as_ref() && id != call_id)
        });
        match next {
            Some(next) => self.show(&next),
            None => self.open.set(None),
        }
        self.changed();
    }

    /// The call most recently ended whose log may still be edited.
    fn latest_editable(self) -> Option<String> {
        self.entries.with_value(|all| {
            all.iter()
                .filter(|e| e.editable())
                .max_by_key(|e| e.opened_ms)
                .map(|e| e.call_id.clone())
        })
    }

    /// Whether `call_id`'s entry may still be edited (untracked).
    fn is_editable(self, call_id: &str) -> bool {
        self.entries
            .with_value(|all| all.iter().any(|e| e.call_id == call_id && e.editable()))
    }

    /// Shows the open log afresh if it is `call_id`'s.
    fn refresh_if_open(self, call_id: &str) {
        if self.open.get_untracked().as_deref() == Some(call_id) {
            self.refresh();
        }
    }

    /// A call first seen here may have been logged already (another tab, an earlier
    /// session): then it is shown as logged rather than as a blank draft.
    fn check_stored(self, call_id: String) {
        let api = self.api.get_value();
        spawn_local(async move {
            let Ok(Some(log)) = api.call_log(&call_id).await else {
                return;
            };
            if self.typed_here(&call_id) {
                return;
            }
            self.change(&call_id, |entry| {
                if matches!(entry.status, LogStatus::Draft) {
                    entry.adopt(log);
                }
            });
            if self.open.get_untracked().as_deref() == Some(call_id.as_str()) {
                self.open.set(None);
            }
        });
    }

    /// The agent picked the contact of call `call_id` (on the screen pop).
    pub fn set_contact(self, call_id: &str, id: i64) {
        let known = self
            .entries
            .with_value(|all| all.iter().any(|e| e.call_id == call_id && e.editable()));
        if known {
            self.change(call_id, |entry| entry.draft.contact_id = Some(id));
        }
    }

    /// Records what the agent typed in the panel of `call_id`.
    pub fn edit(self, call_id: &str, disposition: String, notes: String) {
        self.typed.update_value(|typed| {
            if !typed.iter().any(|id| id == call_id) {
                typed.push(call_id.to_owned());
            }
        });
        self.change(call_id, |entry| {
            if entry.editable() {
                entry.draft.disposition = disposition;
                entry.draft.notes = notes;
            }
        });
    }

    /// Queues the save of `call_id` when it passes the checks; returns what must be
    /// filled first otherwise (nothing is sent then).
    pub fn save(self, call_id: &str) -> Vec<FieldError> {
        let errors = self.entries.with_value(|all| {
            let entry = all.iter().find(|e| e.call_id == call_id)?;
            Some(self.codes.with_value(|codes| check(&entry.draft, codes)))
        });
        let Some(errors) = errors else {
            return Vec::new();
        };
        if errors.is_empty() {
            self.queue(call_id, |entry| entry.queue(now()));
            self.move_on(call_id);
        }
        errors
    }

    /// Sends a failed log again (after the cause was fixed).
    pub fn retry(self, call_id: &str) {
        self.queue(call_id, |entry| {
            if matches!(entry.status, LogStatus::Failed { .. }) {
                entry.queue(now());
            }
        });
    }

    /// Settles a conflict with the agent's version (`true`) or the stored one.
    pub fn settle(self, call_id: &str, keep_mine: bool) {
        self.queue(call_id, |entry| {
            if keep_mine {
                entry.keep_mine(now());
            } else {
                entry.take_stored();
            }
        });
        self.refresh();
    }

    /// Adds the configured wrap-up time once more.
    pub fn extend(self, call_id: &str) {
        let secs = self.settings.with_value(|s| s.wrap_up_secs);
        self.change(call_id, |entry| entry.extend_wrap_up(secs));
    }

    /// Saves every draft whose wrap-up ran out with the configured default code and
    /// the notes typed so far.
    pub fn wrap_up_tick(self, now_ms: u64) {
        // One tab decides, so stale copies in other tabs never save other content.
        if self.role.get_value() == TabRole::Follower {
            return;
        }
        let due: Vec<String> = self.entries.with_value(|all| {
            all.iter()
                .filter(|e| e.wrap_up_left(now_ms) == Some(0))
                .map(|e| e.call_id.clone())
                .collect()
        });
        let default = self.settings.with_value(|s| s.wrap_up_default.clone());
        for call_id in due {
            // The agent's own choice stands; the default fills only an empty one.
            self.change(&call_id, |entry| {
                if entry.draft.disposition.is_empty() {
                    entry.draft.disposition = default.clone();
                }
                entry.wrap_up_until_ms = None;
            });
            self.refresh_if_open(&call_id);
            // The default code is configured, and checked by the proxy.
            let _ = self.save(&call_id);
        }
    }

    fn queue(self, call_id: &str, f: impl FnOnce(&mut LogEntry)) {
        self.typed
            .update_value(|typed| typed.retain(|id| id != call_id));
        let changed = self.change(call_id, f);
        if let Some(entry) = changed.filter(|e| matches!(e.status, LogStatus::Waiting { .. })) {
            self.enqueue(entry);
            self.flush();
        }
    }

    /// Sends the outbox, oldest save first, while this tab leads; a save that failed
    /// in transit is retried after a growing delay and keeps its place. The outcome
    /// goes to storage and every tab, and to this tab's entry unless the agent typed
    /// something else in it here.
    fn flush(self) {
        if self.role.get_value() == TabRole::Follower || self.sending.get_value() {
            return;
        }
        self.sending.set_value(true);
        spawn_local(async move {
            let api = self.api.get_value();
            let settings = self.settings.get_value();
            loop {
                let next = self
                    .outbox
                    .try_with_value(|outbox| next_to_send(outbox).cloned())
                    .flatten();
                let Some(mut sent) = next else { break };
                let outcome = api.save_call_log(&sent.call_id, &sent.draft).await;
                let transient = matches!(outcome, Err(SaveFailure::Transient(_)));
                let draft = sent.draft.clone();
                sent.sent(outcome);
                let found = self.outbox.try_update_value(|outbox| {
                    let mine = |e: &LogEntry| e.call_id == sent.call_id && e.draft == draft;
                    let found = outbox.iter().any(mine);
                    if transient {
                        if let Some(slot) = outbox.iter_mut().find(|e| mine(e)) {
                            *slot = sent.clone();
                        }
                    } else {
                        outbox.retain(|e| !mine(e));
                    }
                    found
                });
                match found {
                    None => break,
                    // A newer save of the call replaced this one while it was sent:
                    // its outcome is not this call's, and the newer one goes next.
                    Some(false) => continue,
                    Some(true) => {}
                }
                self.settle_entry(&sent);
                if transient {
                    let attempts = match sent.status {
                        LogStatus::Waiting { attempts } => attempts.saturating_sub(1),
                        _ => 0,
                    };
                    let delay = retry_delay(
                        attempts,
                        settings.retry_first_ms,
                        settings.retry_max_ms,
                        js_sys::Math::random(),
                    );
                    TimeoutFuture::new(delay).await;
                }
            }
            self.sending.try_set_value(false);
        });
    }

    /// Takes the outcome of a sent save into this tab's entry when it holds the same
    /// draft or nothing typed here, and tells storage and the other tabs.
    fn settle_entry(self, sent: &LogEntry) {
        let mine = self.entries.with_value(|all| {
            all.iter()
                .find(|e| e.call_id == sent.call_id)
                .filter(|e| !same_content(&e.draft, &sent.draft))
                .cloned()
        });
        if mine.is_none() {
            self.typed
                .update_value(|typed| typed.retain(|id| *id != sent.call_id));
        }
        self.take(sent.clone());
        self.changed();
        self.store(sent);
        // The agent's own different text stays in storage too.
        if mine.is_some_and(|e| self.typed_here(&e.call_id)) {
            self.persist_typed(&sent.call_id);
        }
    }
}
