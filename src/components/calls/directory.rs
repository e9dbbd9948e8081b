//! The Zoom company directory: find a colleague by first name, last name or e-mail,
//! with their title, extension and a **Call** button per number.

use dialdesk_contract::DirectoryEntry;
use leptos::prelude::*;

use super::DirectoryRow;
use crate::api::ApiClient;

/// The search form and its results; the latest search wins.
#[component]
pub fn Directory() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let typed = RwSignal::new(String::new());
    let asked = RwSignal::new(None::<String>);
    let found = LocalResource::new(move || {
        let (api, query) = (api.clone(), asked.get());
        async move {
            match query {
                Some(query) => Some(api.directory(&query).await.map_err(|e| e.to_string())),
                None => None,
            }
        }
    });
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let query = typed.get_untracked().trim().to_owned();
        if !query.is_empty() {
            asked.set(Some(query));
        }
    };
    view! {
        <section class="directory" aria-labelledby="directory-title">
            <div class="unlogged-head">
                <h2 id="directory-title">"Zoom directory"</h2>
                <form id="directory-form" class="export" role="search" on:submit=search>
                    <label>
                        "Name or e-mail "
                        <input id="directory-q" type="search" maxlength="100" required bind:value=typed />
                    </label>
                    <button type="submit">"Search"</button>
                </form>
            </div>
            <div class="directory-body">
                <Suspense fallback=|| {
                    view! { <p class="hint" role="status">"Searching Zoom…"</p> }
                }>
                    {move || found.get().map(|answer| view! { <Found answer /> })}
                </Suspense>
            </div>
        </section>
    }
}

/// What a search found: nothing asked yet, the failure, nobody, or the people.
#[component]
fn Found(answer: Option<Result<Vec<DirectoryEntry>, String>>) -> impl IntoView {
    match answer {
        None => view! {
            <p class="hint">"Find a colleague by first name, last name or e-mail."</p>
        }
        .into_any(),
        Some(Err(reason)) => view! {
            <p class="directory-error" role="alert">{reason}</p>
        }
        .into_any(),
        Some(Ok(people)) if people.is_empty() => view! {
            <p class="hint directory-empty" role="status">"Nobody in the directory matches"</p>
        }
        .into_any(),
        Some(Ok(people)) => view! {
            <table class="directory-table">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Title"</th>
                        <th scope="col">"Extension"</th>
                        <th scope="col">"Numbers"</th>
                    </tr>
                </thead>
                <tbody>
                    {people.into_iter().map(|person| view! { <DirectoryRow person /> }).collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
    }
}
