//! The unlogged calls (`auth = "zoom"`): calls of the user's Zoom history with no
//! saved log, in a tab beside the calls view. **Log call** opens the disposition
//! panel pre-filled from Zoom; a saved log takes its row out of the list at once.
//! A third tab searches the Zoom company directory, with a Call button per
//! number. Tabs and lists are markup ([`super::zoom_html`]) wired by delegation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::Element;

use super::zoom_html::{
    directory_html, recording_html, unlogged_head, unlogged_html, Directory, CALLS_TABS,
    DIRECTORY_FORM,
};
use super::CallsView;
use crate::api::{recording_url, ApiClient};
use crate::browser::dom::{by_id, find, focus, input_value, pressed, set_flag};
use crate::browser::SmartEmbed;
use crate::domain::call_log::LogStatus;
use crate::domain::protocol::EmbedCommand;
use crate::domain::zoom::{default_range, unlogged_query, Unlogged};
use crate::state::{utc_day, CallLogs, CallerIdCtx};

/// The tabs, in order: (tab id, panel id).
const TABS: [(&str, &str); 3] = [
    ("tab-calls", "panel-calls"),
    ("tab-unlogged", "panel-unlogged"),
    ("tab-directory", "panel-directory"),
];

/// The index in [`TABS`] of the tab shown.
fn shown_tab() -> usize {
    TABS.iter()
        .position(|(tab, _)| {
            by_id(tab)
                .and_then(|t| t.get_attribute("aria-selected"))
                .is_some_and(|s| s == "true")
        })
        .unwrap_or(0)
}

/// Shows tab `index` of [`TABS`] and marks the tabs.
fn show_tab(index: usize) {
    for (at, (tab, panel)) in TABS.iter().enumerate() {
        let on = at == index;
        if let Some(tab) = by_id(tab) {
            let _ = tab.set_attribute("aria-selected", if on { "true" } else { "false" });
            let _ = tab.set_attribute("tabindex", if on { "0" } else { "-1" });
            if on {
                focus(&tab);
            }
        }
        if let Some(panel) = by_id(panel) {
            set_flag(&panel, "hidden", !on);
        }
    }
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

/// Opens the disposition panel on the call of `row` and moves the focus to it.
fn log_call(logs: CallLogs, list: StoredValue<Unlogged>, id: &str) {
    let call = list.with_value(|l| match l {
        Unlogged::Calls(calls) => calls.iter().find(|c| c.call_id == id).cloned(),
        _ => None,
    });
    if let Some(call) = call {
        logs.log_zoom_call(&call);
        // The panel is built by the next effects: its first field is focused then.
        request_animation_frame(|| {
            if let Some(field) = by_id("log-disposition") {
                focus(&field);
            }
        });
    }
}

/// Puts one player in place of the row's button, made only when asked for.
fn play(row: &Element, button: &Element, id: &str) {
    button.set_outer_html(&recording_html(&recording_url(id)));
    if let Some(player) = find(row, "audio") {
        focus(&player);
    }
}

/// The calls view and the unlogged calls of a range of UTC days (the last 7 by
/// default) as two tabs (←/→ move between them). The unlogged calls are asked for
/// when first shown.
#[component]
pub fn CallsTabs() -> AnyView {
    let api = StoredValue::new(expect_context::<ApiClient>());
    let logs = expect_context::<CallLogs>();
    let list = StoredValue::new(Unlogged::Loading);
    // Bumped when the list changes; the markup follows.
    let shown = RwSignal::new(0_u64);
    let asked = StoredValue::new(0_u32);
    let (from, to) = default_range(&utc_day(0));
    let set_list = move |next: Unlogged| {
        if list.try_set_value(next).is_none() {
            shown.update(|n| *n += 1);
        }
    };
    let load = move || {
        let query = by_id("unlogged-range")
            .map(|form| {
                unlogged_query(
                    &input_value(&form, "#unlogged-from"),
                    &input_value(&form, "#unlogged-to"),
                )
            })
            .unwrap_or_default();
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        set_list(Unlogged::Loading);
        let api = api.get_value();
        spawn_local(async move {
            let answer = api.unlogged_calls(&query).await;
            // Only the latest request counts, and none once the view is gone.
            if asked.try_get_value() != Some(this) {
                return;
            }
            set_list(match answer {
                Ok(found) => Unlogged::Calls(found.calls),
                Err(e) => Unlogged::Failed(e.to_string()),
            });
        });
    };
    let select = move |index: usize| {
        show_tab(index);
        if index == 1 && asked.get_value() == 0 {
            load();
        }
    };
    // The directory search; the latest search wins.
    let people = StoredValue::new(Directory::Idle);
    let people_shown = RwSignal::new(0_u64);
    let searches = StoredValue::new(0_u32);
    let search = move |query: String| {
        searches.update_value(|n| *n += 1);
        let this = searches.get_value();
        people.set_value(Directory::Searching);
        people_shown.update(|n| *n += 1);
        let api = api.get_value();
        spawn_local(async move {
            let found = api.directory(&query).await.map_err(|e| e.to_string());
            if searches.try_get_value() != Some(this) {
                return;
            }
            if people.try_set_value(Directory::Found(found)).is_none() {
                people_shown.update(|n| *n += 1);
            }
        });
    };
    let embed = expect_context::<SmartEmbed>();
    let CallerIdCtx(caller) = expect_context::<CallerIdCtx>();

    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = pressed(&ev) else { return };
        if button.get_attribute("role").as_deref() == Some("tab") {
            let id = button.id();
            return select(TABS.iter().position(|(tab, _)| *tab == id).unwrap_or(0));
        }
        let class = button.class_name();
        if class.contains("call-number") {
            let number = button.get_attribute("data-number").unwrap_or_default();
            let command = EmbedCommand::MakeCall {
                number,
                caller_id: caller.get_untracked(),
                auto_dial: true,
            };
            return embed.send_for(command, None);
        }
        if class.contains("unlogged-retry") {
            return load();
        }
        let Some(row) = button.closest("tr[data-call-id]").ok().flatten() else {
            return;
        };
        let id = row.get_attribute("data-call-id").unwrap_or_default();
        if class.contains("log-call") {
            log_call(logs, list, &id);
        } else if class.contains("play-recording") {
            play(&row, &button, &id);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if matches!(ev.key().as_str(), "ArrowLeft" | "ArrowRight") {
            ev.prevent_default();
            let step = if ev.key() == "ArrowLeft" {
                TABS.len() - 1
            } else {
                1
            };
            select((shown_tab() + step) % TABS.len());
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        load();
    };
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let query = by_id("directory-form")
            .map(|form| input_value(&form, "#directory-q"))
            .unwrap_or_default();
        if !query.trim().is_empty() {
            search(query.trim().to_owned());
        }
    };
    let directory = move || {
        people_shown.track();
        people.with_value(directory_html)
    };
    // A log saved (here, in another tab, or adopted) takes its call out of the
    // list: filtered here, so the markup (compared before it is set) changes only then.
    let markup = move || {
        shown.track();
        let logged = logged_ids(logs);
        list.with_value(|l| unlogged_html(l, &logged))
    };
    view! {
        <div class="calls-area" on:click=on_click>
            <div class="calls-tabs" role="tablist" aria-label="Calls" on:keydown=on_key
                inner_html=CALLS_TABS></div>
            <div id="panel-calls" role="tabpanel" aria-labelledby="tab-calls">
                <CallsView />
            </div>
            <div id="panel-unlogged" role="tabpanel" aria-labelledby="tab-unlogged" hidden>
                <section class="unlogged-calls" aria-labelledby="unlogged-title"
                    on:submit=on_submit>
                    <div class="unlogged-head" inner_html=unlogged_head(&from, &to)></div>
                    <div class="unlogged-body" inner_html=markup></div>
                </section>
            </div>
            <div id="panel-directory" role="tabpanel" aria-labelledby="tab-directory" hidden>
                <section class="directory" aria-labelledby="directory-title"
                    on:submit=on_search>
                    <div class="unlogged-head" inner_html=DIRECTORY_FORM></div>
                    <div class="directory-body" inner_html=directory></div>
                </section>
            </div>
        </div>
    }
    .into_any()
}
