//! What the call guard or the bridge has to say about rows, in full, above the table:
//! a row is too narrow for "Outside calling hours: 22:40 in America/Chicago (window
//! 08:00–21:00)", and a tooltip is no place for a question.

use leptos::prelude::*;

use super::NoticeItem;
use crate::state::BridgeState;

/// Every row's notice, newest last, each with what it offers.
#[component]
pub fn NoticeList() -> impl IntoView {
    let bridge = expect_context::<BridgeState>();
    let notices = move || bridge.notices.get();
    view! {
        <Show when=move || bridge.notices.with(|n| !n.is_empty())>
            <ul class="row-notices" aria-label="About these contacts">
                <For
                    each=notices
                    key=|(id, notice)| (*id, notice.message.clone(), notice.links.len())
                    children=|(id, notice)| view! { <NoticeItem id notice /> }
                />
            </ul>
        </Show>
    }
}
