//! The current call, live: ringing, connected with a running timer, ended with its
//! result. Each part is its own reactive text, so a tick of the timer changes one text
//! node and nothing else: a focused **Create contact** keeps its focus.

use leptos::prelude::*;

use super::ScreenPopPicker;
use crate::browser::use_clock;
use crate::domain::call::format_duration;
use crate::domain::contacts::{find_by_number, is_extension, only_holder};
use crate::domain::phone::display_number;
use crate::state::{BridgeState, ContactsCtx, EditRequest, EditorCtx, ScreenPop};

/// Banner over the contact table showing the current call.
#[component]
pub fn CallBanner() -> impl IntoView {
    let state = expect_context::<BridgeState>();
    let book = use_context::<ContactsCtx>();
    let pop = use_context::<ScreenPop>();
    let editor = use_context::<EditorCtx>();
    let now = use_clock();
    let current = state.current_call;
    let call_id = Memo::new(move |_| current.with(|c| c.as_ref().map(|c| c.call_id.clone())));
    // A number as it reads: grouped for its country once the proxy said how.
    let show =
        move |number: &str| book.map_or_else(|| display_number(number), |b| b.display_of(number));
    let has_call = move || call_id.with(Option::is_some);
    // The contact the call is with: the one it is tied to (placed from, or picked);
    // else the screen pop's (none while it asks which); else the one contact holding
    // the number, if only one does.
    let name_of = move |id: i64| {
        book?
            .contacts
            .with(|all| all.iter().find(|c| c.id == id).map(|c| c.name.clone()))
    };
    let contact_name = Memo::new(move |_| {
        let id = call_id.get()?;
        let tied = state.bindings.with(|all| {
            all.iter()
                .find(|(call, _)| *call == id)
                .map(|(_, who)| *who)
        });
        if let Some(name) = tied.and_then(name_of) {
            return Some(name);
        }
        if let Some(pop) = pop {
            let known = pop.pop.with(|p| {
                p.as_ref()
                    .filter(|p| p.call_id == id)
                    .map(|p| (p.contact().map(|(_, name)| name.clone()), p.needs_pick()))
            });
            match known {
                Some((Some(name), _)) => return Some(name),
                Some((None, true)) => return None,
                _ => {}
            }
        }
        let number = current.with(|c| c.as_ref().and_then(|c| c.party_number.clone()))?;
        book?
            .contacts
            .with(|all| only_holder(all, &number))
            .and_then(name_of)
    });
    let phase = Memo::new(move |_| current.with(|c| c.as_ref().map(|c| c.phase_label())));
    let party = Memo::new(move |_| {
        let name = contact_name.get();
        current.with(|c| c.as_ref().map(|c| c.party_label(name.as_deref(), show)))
    });
    let number =
        Memo::new(move |_| current.with(|c| c.as_ref().and_then(|c| c.party_number.clone())));
    // The number under the name, when a name is shown.
    let named_number = move || {
        let named = current.with(|c| c.as_ref().is_some_and(|c| c.party_name.is_some()))
            || contact_name.with(Option::is_some);
        number.get().filter(|_| named).map(|n| show(&n))
    };
    // A party the book does not hold (not an extension) can be added.
    let unknown_number = Memo::new(move |_| {
        let held =
            |n: &str| book.is_some_and(|b| b.contacts.with(|all| find_by_number(all, n).is_some()));
        number
            .get()
            .filter(|n| contact_name.with(Option::is_none) && !is_extension(n) && !held(n))
    });
    let badges = Memo::new(move |_| {
        let id = call_id.get()?;
        let badges = state.with_sessions(|sessions| sessions.get(&id).map(|s| s.badges()))?;
        (!badges.is_empty()).then(|| badges.join(" · "))
    });
    // Only a running timer reads the clock.
    let timer = move || {
        let live = current.with(|c| c.as_ref().is_some_and(|c| c.is_live()));
        let now_ms = if live { now.get() } else { 0.0 };
        current.with(|c| {
            c.as_ref()
                .and_then(|c| c.timer_secs(now_ms))
                .map(format_duration)
        })
    };
    let create = move |_| {
        if let (Some(number), Some(EditorCtx(editor))) = (unknown_number.get_untracked(), editor) {
            editor.set(Some(EditRequest::New(Some(number))));
        }
    };
    // Said once per change of phase or party, never per tick.
    let announcement = Memo::new(move |_| match (phase.get(), party.get()) {
        (Some(phase), Some(party)) => format!("{phase}, {party}"),
        _ => String::new(),
    });
    view! {
        <section
            class="call-banner"
            data-phase=move || current.with(|c| c.as_ref().map_or("idle", |c| c.phase.name()))
            data-call-id=move || call_id.get().unwrap_or_default()
            aria-label="Current call"
        >
            <Show
                when=has_call
                fallback=|| view! { <span class="call-idle">"No active call"</span> }
            >
                <span class="call-phase">{move || phase.get().unwrap_or_default()}</span>
                <span class="call-party">{move || party.get().unwrap_or_default()}</span>
                {move || named_number().map(|n| view! { <span class="call-number">{n}</span> })}
                <Show when=move || unknown_number.with(Option::is_some)>
                    <button type="button" class="create-contact" on:click=create>
                        "Create contact"
                    </button>
                </Show>
                <span class="call-badges">{move || badges.get().unwrap_or_default()}</span>
                <span class="call-timer">{timer}</span>
            </Show>
            <ScreenPopPicker call_id />
            <span class="sr-only" role="status" aria-live="polite">
                {move || announcement.get()}
            </span>
        </section>
    }
}
