//! The current call, live: ringing, connected with a running timer, ended with its result.

use leptos::prelude::*;

use crate::browser::use_clock;
use crate::components::{EditRequest, EditorCtx};
use crate::domain::call::{format_duration, CallPhase, CurrentCall};
use crate::domain::contacts::{find_by_number, is_extension};
use crate::domain::phone::display_number;
use crate::domain::protocol::Direction;
use crate::state::{BridgeState, ContactsCtx, Pop, ScreenPop};

use super::form_html::escape;
use crate::browser::dom::pressed;

/// The name the embed gave, else the name of the contact holding the number, else the number.
fn party_label(call: &CurrentCall, contact_name: Option<&str>) -> String {
    match (&call.party_name, contact_name, &call.party_number) {
        (Some(name), _, _) => name.clone(),
        (None, Some(name), _) => name.to_owned(),
        (None, None, Some(number)) => display_number(number),
        (None, None, None) => "Unknown party".into(),
    }
}

fn phase_label(call: &CurrentCall) -> String {
    let way = match call.direction {
        Some(Direction::Inbound) => "Incoming call",
        Some(Direction::Outbound) => "Outgoing call",
        _ => "Call",
    };
    match &call.phase {
        CallPhase::Ringing => format!("{way} ringing"),
        CallPhase::Connected => "Connected".into(),
        CallPhase::Ended { result, .. } => format!("Call ended: {result}"),
    }
}

/// "Create contact" for a party the book does not hold (not for extensions).
fn create_contact(unknown: bool, number: Option<String>) -> Option<AnyView> {
    let EditorCtx(editor) = use_context::<EditorCtx>()?;
    let number = number.filter(|n| unknown && !is_extension(n))?;
    Some(
        view! {
            <button
                class="create-contact"
                on:click=move |_| editor.set(Some(EditRequest::New(Some(number.clone()))))
            >
                "Create contact"
            </button>
        }
        .into_any(),
    )
}

/// The question of a screen pop whose number several contacts hold.
fn picker_html(pop: &Pop) -> String {
    let mut html = String::from("<span>Several contacts have this number:</span>");
    for (id, name) in &pop.candidates {
        html.push_str(&format!(
            " <button type=\"button\" data-contact-id=\"{id}\">{}</button>",
            escape(name)
        ));
    }
    html
}

/// Banner over the contact table showing the current call.
#[component]
pub fn CallBanner(state: BridgeState) -> AnyView {
    let now = use_clock();
    let book = use_context::<ContactsCtx>();
    let pop = use_context::<ScreenPop>();
    // The screen pop of this call, if it is the current one.
    let this_pop = move |f: &dyn Fn(&Pop) -> Option<String>| {
        let id = state
            .current_call
            .with(|c| c.as_ref().map(|c| c.call_id.clone()))?;
        pop?.pop
            .with(|p| p.as_ref().filter(|p| p.call_id == id).and_then(f))
    };
    let contact_name = Memo::new(move |_| {
        if let Some(name) = this_pop(&|p| p.contact().map(|(_, name)| name.clone())) {
            return Some(name);
        }
        // While the agent is asked which contact it is, no name is guessed.
        if this_pop(&|p| p.needs_pick().then(String::new)).is_some() {
            return None;
        }
        let number = state
            .current_call
            .with(|c| c.as_ref().and_then(|c| c.party_number.clone()))?;
        book?
            .contacts
            .with(|all| find_by_number(all, &number).map(|c| c.name.clone()))
    });
    let picker = move || this_pop(&|p| p.needs_pick().then(|| picker_html(p)));
    let on_pick = move |ev: leptos::ev::MouseEvent| {
        let id = pressed(&ev)
            .and_then(|b| b.get_attribute("data-contact-id"))
            .and_then(|id| id.parse::<i64>().ok());
        let (Some(id), Some(pop)) = (id, pop) else {
            return;
        };
        pop.pick(id);
    };
    let call_id = move || {
        state
            .current_call
            .with(|c| c.as_ref().map(|c| c.call_id.clone()))
    };
    let badges = Memo::new(move |_| {
        let id = call_id()?;
        let badges = state.with_sessions(|sessions| sessions.get(&id).map(|s| s.badges()))?;
        (!badges.is_empty()).then(|| badges.join(" · "))
    });
    let phase = move || {
        state
            .current_call
            .with(|c| c.as_ref().map_or("idle", |c| c.phase.name()))
    };
    let body = move || {
        let Some(call) = state.current_call.get() else {
            return view! { <span class="call-idle">"No active call"</span> }.into_any();
        };
        let name = contact_name.get();
        let number = call
            .party_name
            .as_ref()
            .or(name.as_ref())
            .and(call.party_number.as_deref())
            .map(display_number);
        let timer = match &call.phase {
            CallPhase::Ringing | CallPhase::Connected => {
                let since = match call.phase {
                    CallPhase::Ringing => call.ringing_at_ms,
                    _ => call.connected_at_ms,
                }
                .unwrap_or_else(js_sys::Date::now);
                Some(
                    (move || format_duration(((now.get() - since).max(0.0) / 1000.0) as u64))
                        .into_any(),
                )
            }
            CallPhase::Ended { duration_secs, .. } => {
                duration_secs.map(|d| format_duration(d).into_any())
            }
        };
        view! {
            <span class="call-phase">{phase_label(&call)}</span>
            <span class="call-party">{party_label(&call, name.as_deref())}</span>
            {number.map(|n| view! { <span class="call-number">{n}</span> })}
            {create_contact(name.is_none(), call.party_number.clone())}
            <span class="call-badges">{move || badges.get()}</span>
            {timer.map(|t| view! { <span class="call-timer">{t}</span> })}
        }
        .into_any()
    };
    let announcement = move || {
        let name = contact_name.get();
        state
            .current_call
            .with(|c| {
                c.as_ref()
                    .map(|c| format!("{}, {}", phase_label(c), party_label(c, name.as_deref())))
            })
            .unwrap_or_default()
    };
    view! {
        <section
            class="call-banner"
            data-phase=phase
            data-call-id=move || call_id().unwrap_or_default()
            aria-label="Current call"
        >
            {body}
            <div
                class="screen-pop"
                role="group"
                aria-label="Which contact is calling?"
                hidden=move || picker().is_none()
                on:click=on_pick
                inner_html=move || picker().unwrap_or_default()
            ></div>
            <span class="sr-only" role="status" aria-live="polite">{announcement}</span>
        </section>
    }
    .into_any()
}
