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

/// The banner's content for `call` as markup (every outside value escaped): phase,
/// party, number, "Create contact" for a party the book does not hold (not for
/// extensions), what is known about the call, and its timer at `now_ms`.
fn banner_html(
    call: Option<&CurrentCall>,
    contact_name: Option<&str>,
    badges: Option<&str>,
    now_ms: f64,
) -> String {
    let Some(call) = call else {
        return "<span class=\"call-idle\">No active call</span>".to_owned();
    };
    let mut html = format!(
        "<span class=\"call-phase\">{}</span><span class=\"call-party\">{}</span>",
        escape(&phase_label(call)),
        escape(&party_label(call, contact_name))
    );
    let number = call.party_number.as_deref();
    if let (true, Some(number)) = (call.party_name.is_some() || contact_name.is_some(), number) {
        html.push_str(&format!(
            "<span class=\"call-number\">{}</span>",
            escape(&display_number(number))
        ));
    }
    if let Some(number) = number.filter(|n| contact_name.is_none() && !is_extension(n)) {
        html.push_str(&format!(
            "<button class=\"create-contact\" data-number=\"{}\">Create contact</button>",
            escape(number)
        ));
    }
    html.push_str(&format!(
        "<span class=\"call-badges\">{}</span>",
        escape(badges.unwrap_or_default())
    ));
    let since = match call.phase {
        CallPhase::Ringing => call.ringing_at_ms,
        CallPhase::Connected => call.connected_at_ms,
        CallPhase::Ended { .. } => None,
    };
    let secs = match &call.phase {
        CallPhase::Ended { duration_secs, .. } => *duration_secs,
        _ => since.map(|since| ((now_ms - since).max(0.0) / 1000.0) as u64),
    };
    if let Some(secs) = secs {
        html.push_str(&format!(
            "<span class=\"call-timer\">{}</span>",
            format_duration(secs)
        ));
    }
    html
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
        let call = state.current_call.get();
        let name = contact_name.get();
        let badges = badges.get();
        // Only a running timer re-renders every second.
        let live = call
            .as_ref()
            .is_some_and(|c| !matches!(c.phase, CallPhase::Ended { .. }));
        let now_ms = if live { now.get() } else { 0.0 };
        banner_html(call.as_ref(), name.as_deref(), badges.as_deref(), now_ms)
    };
    let editor = use_context::<EditorCtx>();
    let on_create = move |ev: leptos::ev::MouseEvent| {
        let number = pressed(&ev)
            .filter(|b| b.class_name().contains("create-contact"))
            .and_then(|b| b.get_attribute("data-number"));
        if let (Some(number), Some(EditorCtx(editor))) = (number, editor) {
            editor.set(Some(EditRequest::New(Some(number))));
        }
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
            <div class="call-body" on:click=on_create inner_html=body></div>
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

#[cfg(test)]
mod tests {
    use super::*;

    fn call(phase: CallPhase, name: Option<&str>) -> CurrentCall {
        CurrentCall {
            call_id: "c".into(),
            direction: Some(Direction::Inbound),
            party_name: name.map(str::to_owned),
            party_number: Some("+14155550123".into()),
            phase,
            connected_at_ms: Some(1_000.0),
            ringing_at_ms: Some(0.0),
        }
    }

    #[test]
    fn the_banner_names_the_party_escaped_and_times_the_call() {
        assert!(banner_html(None, None, None, 0.0).contains("No active call"));
        let ringing = call(CallPhase::Ringing, Some("<Dana>"));
        let html = banner_html(Some(&ringing), None, Some("recording"), 65_000.0);
        assert!(html.contains("Incoming call ringing"));
        assert!(html.contains("&lt;Dana&gt;") && !html.contains("<Dana>"));
        assert!(html.contains("(415) 555-0123"));
        assert!(html.contains("<span class=\"call-timer\">1:05</span>"));
        assert!(html.contains("recording"));
        assert!(
            html.contains("create-contact"),
            "the book does not hold the caller"
        );
        let known = banner_html(Some(&ringing), Some("Dana W"), None, 0.0);
        assert!(!known.contains("create-contact"));
        let ended = call(
            CallPhase::Ended {
                result: "missed".into(),
                duration_secs: Some(42),
            },
            None,
        );
        let html = banner_html(Some(&ended), None, None, 999_999.0);
        assert!(html.contains("Call ended: missed") && html.contains(">0:42<"));
        assert!(html.contains("data-number=\"+14155550123\""));
    }
}
