//! A contact's saved calls of the last year, newest first, under the editor's form.

use leptos::prelude::*;

use crate::api::ApiClient;
use crate::domain::call::format_duration;
use crate::domain::call_log::code_label;
use crate::state::{utc_day, CallLogs};

/// The calls saved with contact `id`: day, direction, duration, outcome and notes.
#[component]
pub fn ContactHistory(id: i64) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let logs = expect_context::<CallLogs>();
    let saved = LocalResource::new(move || {
        let api = api.clone();
        async move { api.call_logs(&utc_day(365), &utc_day(0), Some(id)).await }
    });
    let lines = move || {
        let codes = logs.codes();
        saved.get().map(|answer| {
            answer.map(|found| {
                found
                    .iter()
                    .rev()
                    .map(|log| {
                        let mut parts = vec![log.saved_at.get(..10).unwrap_or_default().to_owned()];
                        parts.extend(log.direction.clone());
                        parts.extend(log.duration_secs.map(format_duration));
                        parts.push(code_label(&codes, &log.disposition).to_owned());
                        (parts.join(" · "), log.notes.clone())
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <section class="contact-history">
            <h3>"Calls"</h3>
            {move || match lines() {
                None => view! { <p class="hint" role="status">"Loading the calls…"</p> }.into_any(),
                Some(Err(e)) => view! {
                    <p class="hint" role="alert">{format!("The calls could not be loaded: {e}")}</p>
                }
                .into_any(),
                Some(Ok(lines)) if lines.is_empty() => view! {
                    <p class="hint">"No saved calls in the last year."</p>
                }
                .into_any(),
                Some(Ok(lines)) => view! {
                    <ul>
                        {lines
                            .into_iter()
                            .map(|(line, notes)| {
                                view! {
                                    <li>
                                        <span>{line}</span>
                                        " "
                                        <span class="history-notes">{notes}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}
