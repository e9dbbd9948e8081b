//! What a contact row does: call or text through the call guard, or edit. The guard's
//! refusal or question shows on the row.

use dialdesk_contract::{Contact, ContactNumber, GuardSettings};
use leptos::prelude::*;

use super::{BridgeState, CallerIdCtx, EditRequest, EditorCtx, GuardCtx};
use crate::browser::{local_time, SmartEmbed};
use crate::domain::guard::{self, Concern, Verdict};
use crate::domain::outbound::RowNotice;
use crate::domain::protocol::EmbedCommand;

/// What a row's buttons (or Enter, `t` and `e`) do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Call the contact's first callable number.
    Call,
    /// Text it.
    Text,
    /// Open the contact editor.
    Edit,
}

/// The first callable number of a contact.
pub fn callable_number(contact: &Contact) -> Option<&ContactNumber> {
    contact.numbers.iter().find(|n| n.e164.is_some())
}

/// Calls, texts or edits contacts; resolved from context once, `Copy`.
#[derive(Debug, Clone, Copy)]
pub struct ContactActions {
    embed: SmartEmbed,
    caller: Memo<Option<String>>,
    guard: StoredValue<GuardSettings>,
    state: BridgeState,
    editor: RwSignal<Option<EditRequest>>,
}

impl ContactActions {
    /// The actions, with the services they use taken from context.
    pub fn from_context() -> Self {
        let GuardCtx(guard) = expect_context::<GuardCtx>();
        Self {
            embed: expect_context::<SmartEmbed>(),
            caller: expect_context::<CallerIdCtx>().selected,
            guard,
            state: expect_context::<BridgeState>(),
            editor: expect_context::<EditorCtx>().0,
        }
    }

    /// Does `action` on `contact`.
    pub fn act(self, contact: &Contact, action: Action) {
        match action {
            Action::Call => self.reach(contact, true),
            Action::Text => self.reach(contact, false),
            Action::Edit => self.editor.set(Some(EditRequest::Edit(contact.clone()))),
        }
    }

    /// Sends the command the guard held for the row of contact `id` (the rep
    /// confirmed it).
    pub fn confirm(self, id: i64) {
        if let Some(command) = self.state.notice_for(id).and_then(|n| n.confirm) {
            self.embed.send_for(command, Some(id));
        }
    }

    /// Drops the notice on the row of contact `id`.
    pub fn dismiss(self, id: i64) {
        self.state.dismiss(id);
    }

    /// Calls (or texts) `contact`'s first callable number, guarded.
    fn reach(self, contact: &Contact, call: bool) {
        let Some(number) = callable_number(contact) else {
            return;
        };
        let e164 = number.e164.clone().unwrap_or_default();
        let command = if call {
            EmbedCommand::MakeCall {
                number: e164.clone(),
                caller_id: self.caller.get_untracked(),
                auto_dial: true,
            }
        } else {
            EmbedCommand::InputSms {
                number: e164.clone(),
            }
        };
        let now = js_sys::Date::now();
        let (verdict, message) = self.guard.with_value(|settings| {
            let verdict = guard::check(settings, contact, number, |zone| local_time(zone, now));
            let message = match &verdict {
                Verdict::Allow => String::new(),
                Verdict::Confirm(concern) | Verdict::Block(concern) => {
                    guard::explain(concern, settings)
                }
            };
            (verdict, message)
        });
        let (confirm, needs_consent) = match verdict {
            Verdict::Allow => {
                self.embed.send_for(command, Some(contact.id));
                return;
            }
            Verdict::Confirm(concern) => (Some(command), concern == Concern::DoNotCall),
            Verdict::Block(_) => (None, false),
        };
        self.state.notice(
            contact.id,
            RowNotice {
                message,
                number: e164,
                links: Vec::new(),
                confirm,
                needs_consent,
            },
        );
    }
}
