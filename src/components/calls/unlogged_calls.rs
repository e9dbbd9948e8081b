//! The unlogged calls (`auth = "zoom"`): the calls of the rep's Zoom history with no
//! saved log, for a range of UTC days (the last 7 by default). A supervisor or an admin
//! may name whose calls to read (a team member's; an admin anyone's). **Log call** opens the
//! disposition panel pre-filled from Zoom; a saved log takes its row out of the list
//! at once, and only that row.

use dialdesk_contract::{Role, ZoomCall};
use leptos::prelude::*;

use super::UnloggedRow;
use crate::api::{unlogged_query_for, ApiClient};
use crate::domain::call_log::LogStatus;
use crate::domain::zoom::{default_range, unlogged_query};
use crate::state::{utc_day, CallLogs, ContactsCtx, SessionCtx};

/// The range form and the list, asked for when the view is first shown.
#[component]
pub fn UnloggedCalls() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let book = expect_context::<ContactsCtx>();
    let (first_day, last_day) = default_range(&utc_day(0));
    let from = RwSignal::new(first_day);
    let to = RwSignal::new(last_day);
    let query = RwSignal::new(String::new());
    let whose = RwSignal::new(String::new());
    // Supervisors and admins may read someone else's; the proxy decides whose.
    let pickable = use_context::<SessionCtx>().filter(|s| s.role != Role::Rep);
    let list = LocalResource::new(move || {
        let (api, query) = (api.clone(), query.get());
        async move {
            let calls = api
                .unlogged_calls(&query)
                .await
                .map(|found| found.calls)
                .map_err(|e| e.to_string())?;
            // Their log forms show the numbers as Zoom's history reads them.
            for call in &calls {
                if let (Some(number), Some(display)) = (&call.number, &call.number_display) {
                    book.learn(number, display);
                }
            }
            Ok::<_, String>(calls)
        }
    });
    let refresh = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let range = unlogged_query(&from.get_untracked(), &to.get_untracked());
        let wanted = unlogged_query_for(range, &whose.get_untracked());
        if query.get_untracked() == wanted {
            list.refetch();
        } else {
            query.set(wanted);
        }
    };
    view! {
        <section class="unlogged-calls" aria-labelledby="unlogged-title">
            <div class="unlogged-head">
                <h2 id="unlogged-title">"Unlogged calls"</h2>
                <form id="unlogged-range" class="export" on:submit=refresh>
                    <label>
                        "From "
                        <input id="unlogged-from" type="date" bind:value=from />
                    </label>
                    <label>
                        " to "
                        <input id="unlogged-to" type="date" bind:value=to />
                    </label>
                    {pickable
                        .map(|session| {
                            let people = session.oversees.get_value();
                            view! {
                                <label>
                                    " of "
                                    <input
                                        id="unlogged-whose"
                                        type="text"
                                        list="unlogged-people"
                                        placeholder="you (or a team member's e-mail)"
                                        autocomplete="off"
                                        bind:value=whose
                                    />
                                </label>
                                <datalist id="unlogged-people">
                                    {people
                                        .into_iter()
                                        .map(|person| view! { <option value=person></option> })
                                        .collect_view()}
                                </datalist>
                            }
                        })}
                    <button id="unlogged-refresh" type="submit">"Refresh"</button>
                </form>
            </div>
            <div class="unlogged-body">
                <Suspense fallback=|| {
                    view! {
                        <p class="hint unlogged-loading" role="status">"Loading calls from Zoom…"</p>
                    }
                }>
                    {move || {
                        list.get()
                            .map(|answer| match answer {
                                Ok(calls) => view! { <UnloggedTable calls /> }.into_any(),
                                Err(reason) => {
                                    view! {
                                        <div class="unlogged-error" role="alert">
                                            <p>{reason}</p>
                                            <button
                                                type="button"
                                                class="unlogged-retry"
                                                on:click=move |_| list.refetch()
                                            >
                                                "Retry"
                                            </button>
                                        </div>
                                    }
                                        .into_any()
                                }
                            })
                    }}
                </Suspense>
            </div>
        </section>
    }
}

/// The calls of the range but those whose log is saved since (here, in another tab,
/// or adopted), newest first as Zoom lists them.
#[component]
fn UnloggedTable(calls: Vec<ZoomCall>) -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let calls = StoredValue::new(calls);
    let shown = move || {
        let logged: Vec<String> = logs.with_entries(|all| {
            all.iter()
                .filter(|e| matches!(e.status, LogStatus::Logged { .. }))
                .map(|e| e.call_id.clone())
                .collect()
        });
        calls.with_value(|calls| {
            calls
                .iter()
                .filter(|c| !logged.contains(&c.call_id))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let empty = move || shown().is_empty();
    view! {
        <Show
            when=move || !empty()
            fallback=|| {
                view! {
                    <p class="hint unlogged-empty" role="status">
                        "Every call in this range has a log"
                    </p>
                }
            }
        >
            <table class="unlogged-table">
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Direction"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"Duration"</th>
                        <th scope="col">"Result"</th>
                        <th scope="col">
                            <span class="sr-only">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    <For each=shown key=|call| call.call_id.clone() let:call>
                        <UnloggedRow call />
                    </For>
                </tbody>
            </table>
        </Show>
    }
}
