//! The calls this browser knows, each with where its log stands, and the outbox
//! banner ("N logs waiting") that clears itself once the saves land.

use leptos::prelude::*;

use super::disposition_panel::log_action;
use super::log_html::calls_list;
use crate::browser::dom::pressed;
use crate::domain::call_log::waiting;
use crate::state::{utc_day, CallLogs, TabRole};

/// The calls list and the outbox banner.
#[component]
pub fn CallsView() -> AnyView {
    let logs = expect_context::<CallLogs>();
    let banner = move || match logs.with_entries(waiting) {
        0 => None,
        1 => Some("1 log waiting to be sent".to_owned()),
        n => Some(format!("{n} logs waiting to be sent")),
    };
    let list = move || logs.with_entries(|all| calls_list(all, &logs.codes()));
    let today = utc_day(0);
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = pressed(&ev) else { return };
        let call_id = button
            .closest("[data-call-id]")
            .ok()
            .flatten()
            .and_then(|row| row.get_attribute("data-call-id"));
        if let Some(call_id) = call_id {
            log_action(logs, &call_id, &button);
        }
    };
    view! {
        <section class="calls-view" aria-labelledby="calls-title" on:click=on_click>
            <h2 id="calls-title">"Calls"</h2>
            <form class="export" method="get" action="/api/calls/logs.csv">
                <label>"From " <input type="date" name="from" required value=today.clone() /></label>
                <label>" to " <input type="date" name="to" required value=today /></label>
                <button type="submit">"Export CSV (UTC dates)"</button>
            </form>
            <p class="outbox-banner" role="status" hidden=move || banner().is_none()>
                {banner}
            </p>
            <p class="notice" hidden=move || logs.role() != TabRole::Alone>
                "This browser offers no Web Locks here, so dialdesk works in this tab only: \
                 keep one tab open."
            </p>
            <p class="notice" role="alert" hidden=move || logs.storage_error().is_none()>
                {move || logs.storage_error()}
            </p>
            <div class="calls-body" inner_html=list></div>
        </section>
    }
    .into_any()
}
