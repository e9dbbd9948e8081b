//! The inbound screen pop: which contact is calling. When several contacts hold the
//! caller's number the agent picks one, and the proxy remembers the pick for that
//! number, so the next call from it pops the same contact.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{BridgeState, CallLogs, ContactsCtx};
use crate::api::ApiClient;
use crate::domain::contacts::display_name;

/// Who may be on an inbound call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pop {
    /// The root call id.
    pub call_id: String,
    /// The caller's number, as the embed sent it.
    pub number: String,
    /// Contacts holding the number: id and name.
    pub candidates: Vec<(i64, String)>,
    /// The one picked now or remembered from an earlier call.
    pub picked: Option<i64>,
}

impl Pop {
    /// The contact the call is with: the picked one, or the only candidate.
    pub fn contact(&self) -> Option<&(i64, String)> {
        match self.picked {
            Some(id) => self.candidates.iter().find(|(c, _)| *c == id),
            None if self.candidates.len() == 1 => self.candidates.first(),
            None => None,
        }
    }

    /// Whether the agent still has to pick among several contacts.
    pub fn needs_pick(&self) -> bool {
        self.candidates.len() > 1 && self.contact().is_none()
    }
}

/// The screen pop of the current inbound call; `Copy`, provided as context.
#[derive(Debug, Clone, Copy)]
pub struct ScreenPop {
    /// The pop, once the proxy answered.
    pub pop: RwSignal<Option<Pop>>,
    /// The call looked up last: an older answer arriving later is dropped.
    asked: StoredValue<String>,
    api: StoredValue<ApiClient>,
    /// The call logs, which learn the call's contact once it is known.
    logs: Option<CallLogs>,
    /// The bridge, which ties the call to that contact.
    bridge: Option<BridgeState>,
    /// The book, which learns how the number reads.
    book: Option<ContactsCtx>,
}

impl ScreenPop {
    /// No pop yet; `logs` learn each call's contact, `bridge` ties the call to it, and
    /// `book` learns how its number reads.
    pub fn new(
        api: ApiClient,
        logs: Option<CallLogs>,
        bridge: Option<BridgeState>,
        book: Option<ContactsCtx>,
    ) -> Self {
        Self {
            pop: RwSignal::new(None),
            asked: StoredValue::new(String::new()),
            api: StoredValue::new(api),
            logs,
            bridge,
            book,
        }
    }

    /// Tells the logs and the bridge that call `call_id` is with contact `id`.
    fn known(self, call_id: &str, id: i64) {
        if let Some(logs) = self.logs {
            logs.set_contact(call_id, id);
        }
        if let Some(bridge) = self.bridge {
            bridge.tie(call_id, id);
        }
    }

    /// Asks the proxy who holds `number`, calling on call `call_id`.
    pub fn look_up(self, call_id: &str, number: &str) {
        if self
            .pop
            .with_untracked(|p| p.as_ref().is_some_and(|p| p.call_id == call_id))
        {
            return;
        }
        let (call_id, number) = (call_id.to_owned(), number.to_owned());
        self.asked.set_value(call_id.clone());
        let api = self.api.get_value();
        spawn_local(async move {
            let Ok(found) = api.match_number(&number).await else {
                return;
            };
            if let (Some(book), Some(display)) = (self.book, found.display.as_deref()) {
                book.learn(&number, display);
            }
            if self.asked.try_with_value(|asked| *asked != call_id) != Some(false) {
                return;
            }
            let candidates = found
                .contacts
                .iter()
                .map(|c| (c.id, display_name(c)))
                .collect();
            let pop = Pop {
                call_id,
                number,
                candidates,
                picked: found.picked,
            };
            if let Some((id, _)) = pop.contact() {
                self.known(&pop.call_id, *id);
            }
            self.pop.try_set(Some(pop));
        });
    }

    /// The contact call `call_id` is with, when known.
    pub fn contact_for(self, call_id: &str) -> Option<i64> {
        self.pop.with_untracked(|p| {
            p.as_ref()
                .filter(|p| p.call_id == call_id)
                .and_then(Pop::contact)
                .map(|(id, _)| *id)
        })
    }

    /// The agent picked contact `id`: shown now, remembered by the proxy.
    pub fn pick(self, id: i64) {
        let Some(number) = self
            .pop
            .with_untracked(|p| p.as_ref().map(|p| p.number.clone()))
        else {
            return;
        };
        self.pop.update(|p| {
            if let Some(p) = p {
                p.picked = Some(id);
            }
        });
        let call = self
            .pop
            .with_untracked(|p| p.as_ref().map(|p| p.call_id.clone()));
        if let Some(call) = call {
            self.known(&call, id);
        }
        let api = self.api.get_value();
        spawn_local(async move {
            let _ = api.pick_contact(&number, id).await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pop(candidates: &[i64], picked: Option<i64>) -> Pop {
        Pop {
            call_id: "c".into(),
            number: "+1".into(),
            candidates: candidates
                .iter()
                .map(|id| (*id, format!("C{id}")))
                .collect(),
            picked,
        }
    }

    #[test]
    fn one_contact_needs_no_pick_several_do_until_one_is_picked() {
        assert_eq!(pop(&[4], None).contact().map(|c| c.0), Some(4));
        assert!(!pop(&[4], None).needs_pick());
        assert!(pop(&[4, 5], None).needs_pick());
        assert_eq!(pop(&[4, 5], Some(5)).contact().map(|c| c.0), Some(5));
        assert!(!pop(&[4, 5], Some(5)).needs_pick());
        assert!(
            pop(&[4, 5], Some(9)).needs_pick(),
            "a pick no longer held is ignored"
        );
        assert_eq!(pop(&[], None).contact(), None);
    }
}
