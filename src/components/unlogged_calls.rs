//! The unlogged calls (`auth = "zoom"`): calls of the user's Zoom history with no
//! saved log, in a tab beside the calls view. **Log call** opens the disposition
//! panel pre-filled from Zoom; a saved log takes its row out of the list at once.
//! The list is markup ([`super::zoom_html`]) wired by delegation.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::zoom_html::{recording_html, unlogged_html};
use super::CallsView;
use crate::api::{recording_url, ApiClient};
use crate::browser::dom::{by_id, find, focus, input_value, pressed};
use crate::domain::call_log::LogStatus;
use crate::domain::zoom::{default_range, drop_logged, unlogged_query, Unlogged};
use crate::state::{utc_day, CallLogs};

/// The calls view and the unlogged calls as two tabs (←/→ move between them).
#[component]
pub fn CallsTabs() -> AnyView {
    let unlogged = RwSignal::new(false);
    // The unlogged calls are asked for when first shown, then kept.
    let opened = RwSignal::new(false);
    let select = move |on: bool| {
        unlogged.set(on);
        if on {
            opened.set(true);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if matches!(ev.key().as_str(), "ArrowLeft" | "ArrowRight") {
            ev.prevent_default();
            let on = !unlogged.get_untracked();
            select(on);
            if let Some(tab) = by_id(if on { "tab-unlogged" } else { "tab-calls" }) {
                focus(&tab);
            }
        }
    };
    let selected = move |on: bool| move || (unlogged.get() == on).to_string();
    let stop = move |on: bool| move || if unlogged.get() == on { "0" } else { "-1" };
    view! {
        <div class="calls-area">
            <div class="calls-tabs" role="tablist" aria-label="Calls" on:keydown=on_key>
                <button type="button" role="tab" id="tab-calls" aria-controls="panel-calls"
                    aria-selected=selected(false) tabindex=stop(false)
                    on:click=move |_| select(false)>"Calls"</button>
                <button type="button" role="tab" id="tab-unlogged" aria-controls="panel-unlogged"
                    aria-selected=selected(true) tabindex=stop(true)
                    on:click=move |_| select(true)>"Unlogged calls"</button>
            </div>
            <div id="panel-calls" role="tabpanel" aria-labelledby="tab-calls"
                hidden=move || unlogged.get()>
                <CallsView />
            </div>
            <div id="panel-unlogged" role="tabpanel" aria-labelledby="tab-unlogged"
                hidden=move || !unlogged.get()>
                {move || opened.get().then(|| view! { <UnloggedCalls /> })}
            </div>
        </div>
    }
    .into_any()
}

/// The ids of the calls whose log is saved.
fn logged_ids(logs: CallLogs) -> Vec<String> {
    logs.with_entries(|all| {
        all.iter()
            .filter(|e| matches!(e.status, LogStatus::Logged { .. }))
            .map(|e| e.call_id.clone())
            .collect()
    })
}

/// The unlogged calls of a range of UTC days (the last 7 by default).
#[component]
pub fn UnloggedCalls() -> AnyView {
    let api = StoredValue::new(expect_context::<ApiClient>());
    let logs = expect_context::<CallLogs>();
    let list = RwSignal::new(Unlogged::Loading);
    let asked = StoredValue::new(0_u32);
    let (from, to) = default_range(&utc_day(0));
    let load = move || {
        let query = by_id("unlogged-range")
            .map(|form| {
                unlogged_query(
                    &input_value(&form, "#unlogged-from"),
                    &input_value(&form, "#unlogged-to"),
                )
            })
            // Not shown yet: the proxy's default range, the one the form shows.
            .unwrap_or_default();
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        list.set(Unlogged::Loading);
        let api = api.get_value();
        spawn_local(async move {
            let answer = api.unlogged_calls(&query).await;
            // Only the latest request counts, and none once the view is gone.
            if asked.try_get_value() != Some(this) {
                return;
            }
            let mut next = match answer {
                Ok(found) => Unlogged::Calls(found.calls),
                Err(e) => Unlogged::Failed(e.to_string()),
            };
            drop_logged(&mut next, &untrack(|| logged_ids(logs)));
            list.try_set(next);
        });
    };
    load();
    // A log saved (here, in another tab, or adopted) takes its call out of the list.
    Effect::new(move || {
        let logged = logged_ids(logs);
        list.maybe_update(|l| drop_logged(l, &logged));
    });

    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = pressed(&ev) else { return };
        let class = button.class_name();
        if class.contains("unlogged-retry") {
            return load();
        }
        let Some(row) = button.closest("tr[data-call-id]").ok().flatten() else {
            return;
        };
        let id = row.get_attribute("data-call-id").unwrap_or_default();
        if class.contains("log-call") {
            let call = list.with_untracked(|l| match l {
                Unlogged::Calls(calls) => calls.iter().find(|c| c.call_id == id).cloned(),
                _ => None,
            });
            if let Some(call) = call {
                logs.log_zoom_call(&call);
                // The panel is built by the next effects: focus its first field then.
                request_animation_frame(|| {
                    if let Some(field) = by_id("log-disposition") {
                        focus(&field);
                    }
                });
            }
        } else if class.contains("play-recording") {
            // One player, made when asked for, in place of the button.
            button.set_outer_html(&recording_html(&recording_url(&id)));
            if let Some(player) = find(&row, "audio") {
                focus(&player);
            }
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        load();
    };
    view! {
        <section class="unlogged-calls" aria-labelledby="unlogged-title" on:click=on_click>
            <h2 id="unlogged-title">"Unlogged calls"</h2>
            <form id="unlogged-range" class="export" on:submit=on_submit>
                <label>"From " <input id="unlogged-from" type="date" value=from /></label>
                <label>" to " <input id="unlogged-to" type="date" value=to /></label>
                <button id="unlogged-refresh" type="submit">"Refresh"</button>
            </form>
            <div class="unlogged-body" inner_html=move || list.with(unlogged_html)></div>
        </section>
    }
    .into_any()
}
