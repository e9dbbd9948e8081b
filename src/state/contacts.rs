//! The contact book in the browser, loaded in pages in the background.

use dialdesk_contract::Contact;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;
use std::collections::{BTreeMap, HashMap};

use crate::browser::lower;
use crate::domain::phone::display_number;
use crate::domain::session::RowContext;
use crate::domain::table::{row_key, RowKey};

/// The contact book and its loading progress.
#[derive(Debug, Clone, Copy)]
pub struct ContactsCtx {
    /// Contacts loaded so far, in id order.
    pub contacts: RwSignal<Vec<Contact>>,
    /// Each contact's fields normalised for search and sort, in the same order; updated
    /// before `contacts`, so whoever reacts to `contacts` finds them.
    pub keys: StoredValue<Vec<RowKey>>,
    /// Size of the book, once the first page has arrived.
    pub total: RwSignal<Option<u64>>,
    /// Whether pages are still being fetched.
    pub loading: RwSignal<bool>,
    /// Why loading stopped, if it failed.
    pub error: RwSignal<Option<String>>,
    /// Bumped when a loaded contact is replaced or the book reloaded, so the table
    /// sorts afresh instead of merging.
    pub revision: StoredValue<u32>,
    /// Earlier calls per number and per the contact they were logged with (none:
    /// calls tied to no contact), from the journal (loaded once at start).
    pub history: RwSignal<BTreeMap<(String, Option<i64>), RowContext>>,
    /// How numbers read, grouped for their country, by E.164, as the proxy wrote
    /// them (for the book's numbers, a matched number, Zoom's call history); only
    /// where that differs from the app's own way ([`display_number`]), which is for
    /// North America.
    formats: RwSignal<HashMap<String, String>>,
}

impl ContactsCtx {
    /// An empty book.
    pub fn new() -> Self {
        Self {
            contacts: RwSignal::new(Vec::new()),
            keys: StoredValue::new(Vec::new()),
            total: RwSignal::new(None),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
            revision: StoredValue::new(0),
            history: RwSignal::new(BTreeMap::new()),
            formats: RwSignal::new(HashMap::new()),
        }
    }

    /// Puts a contact the proxy just stored into the book: replaces the one with the
    /// same id, or adds it at the end (ids grow, so the book stays in id order).
    pub fn put(self, contact: Contact) {
        self.learn_numbers(std::slice::from_ref(&contact));
        let key = row_key(&contact, lower);
        let position = self
            .contacts
            .with_untracked(|all| all.iter().position(|c| c.id == contact.id));
        match position {
            Some(index) => {
                self.keys.update_value(|k| {
                    if let Some(slot) = k.get_mut(index) {
                        *slot = key;
                    }
                });
                self.revision.update_value(|r| *r = r.wrapping_add(1));
                self.contacts.update(|all| all[index] = contact);
            }
            None => {
                self.keys.update_value(|k| k.push(key));
                self.contacts.update(|all| all.push(contact));
                self.total.update(|t| *t = t.map(|n| n + 1));
            }
        }
    }

    /// Drops the loaded book and fetches it again from the first page (after an
    /// import, or to pick up edits made elsewhere). Ignored while pages are loading.
    pub fn reload(self, api: ApiClient) {
        if self.loading.get_untracked() {
            return;
        }
        self.revision.update_value(|r| *r = r.wrapping_add(1));
        self.keys.set_value(Vec::new());
        self.contacts.set(Vec::new());
        self.total.set(None);
        self.load(api);
    }

    /// Fetches every page after what is already loaded; the table is usable after the
    /// first page. Calling it again after a failure resumes where loading stopped.
    pub fn load(self, api: ApiClient) {
        if self.loading.get_untracked() {
            return;
        }
        self.loading.set(true);
        self.error.set(None);
        spawn_local(async move {
            if self.history.with_untracked(BTreeMap::is_empty) {
                // Row context is a nicety: without it the table still works.
                if let Ok(context) = api.call_context().await {
                    self.history.set(
                        context
                            .into_iter()
                            .map(|c| {
                                let row = RowContext {
                                    attempts: c.attempts,
                                    last_at: c.last_at,
                                    last_result: c.last_result,
                                    last_disposition: c.last_disposition,
                                };
                                ((c.number, c.contact_id), row)
                            })
                            .collect(),
                    );
                }
            }
            let mut after = self
                .contacts
                .with_untracked(|c| c.last().map(|contact| contact.id));
            loop {
                match api.contacts_page(after).await {
                    Ok(page) => {
                        self.total.set(Some(page.total));
                        // Room for the whole book at once: growing by doubling would
                        // leave the peak of every load in the wasm memory.
                        let room = usize::try_from(page.total).unwrap_or(0);
                        self.learn_numbers(&page.contacts);
                        self.keys.update_value(|k| {
                            k.reserve(room.saturating_sub(k.len()));
                            k.extend(page.contacts.iter().map(|c| row_key(c, lower)));
                        });
                        self.contacts.update(|c| {
                            c.reserve(room.saturating_sub(c.len()));
                            c.extend(page.contacts);
                        });
                        match page.next_cursor {
                            Some(next) => after = Some(next),
                            None => break,
                        }
                    }
                    Err(e) => {
                        self.error.set(Some(e.to_string()));
                        break;
                    }
                }
            }
            self.loading.set(false);
        });
    }
}

impl ContactsCtx {
    /// Learns how `e164` reads (`display`, as the proxy grouped it).
    pub fn learn(self, e164: &str, display: &str) {
        self.learn_all(std::iter::once((e164, display)));
    }

    /// Learns how the numbers of `contacts` read.
    fn learn_numbers(self, contacts: &[Contact]) {
        self.learn_all(
            contacts
                .iter()
                .flat_map(|c| &c.numbers)
                .filter_map(|n| Some((n.e164.as_deref()?, n.display.as_deref()?))),
        );
    }

    fn learn_all<'a>(self, pairs: impl Iterator<Item = (&'a str, &'a str)>) {
        let new: Vec<(String, String)> = self.formats.with_untracked(|known| {
            pairs
                .filter(|(e164, display)| {
                    known.get(*e164).map(String::as_str) != Some(*display)
                        && display_number(e164) != *display
                })
                .map(|(e164, display)| (e164.to_owned(), display.to_owned()))
                .collect()
        });
        if !new.is_empty() {
            self.formats.update(|known| known.extend(new));
        }
    }

    /// How `number` reads: grouped for its country where the proxy said so, else the
    /// app's own way; re-runs the caller as numbers are learnt.
    pub fn display_of(self, number: &str) -> String {
        self.formats
            .with(|known| known.get(number).cloned())
            .unwrap_or_else(|| display_number(number))
    }

    /// The name of contact `id`, if the book holds it; re-runs the caller when the
    /// book changes.
    pub fn name_of(self, id: i64) -> Option<String> {
        self.contacts
            .with(|all| all.iter().find(|c| c.id == id).map(|c| c.name.clone()))
    }

    /// The earlier calls the row of contact `id` shows for `number`: the number's
    /// calls tied to no contact, and those logged with this one.
    pub fn past_calls(self, number: &str, id: i64) -> Option<RowContext> {
        self.history.with(|h| {
            let untied = h.get(&(number.to_owned(), None)).cloned();
            let mine = h.get(&(number.to_owned(), Some(id))).cloned();
            RowContext::combine(untied, mine)
        })
    }
}

impl Default for ContactsCtx {
    fn default() -> Self {
        Self::new()
    }
}
