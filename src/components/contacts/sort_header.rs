//! A sortable column's header: a click sorts by it, a second reverses.

use leptos::prelude::*;

use crate::domain::table::SortColumn;
use crate::state::TableState;

/// The header of `column`, with `aria-sort` and a mark for the order shown.
#[component]
pub fn SortHeader(column: SortColumn, label: &'static str) -> impl IntoView {
    let table = expect_context::<TableState>();
    let aria = move || table.sort.get().aria(column);
    let mark = move || match aria() {
        "ascending" => "▲",
        "descending" => "▼",
        _ => "",
    };
    view! {
        <th scope="col" aria-sort=aria>
            <button
                type="button"
                class="sort-button"
                on:click=move |_| {
                    table.sort.update(|sort| *sort = sort.toggle(column));
                    table.scroll_to(0);
                }
            >
                {label}
                <span class="sort-mark" aria-hidden="true">{mark}</span>
            </button>
        </th>
    }
}
