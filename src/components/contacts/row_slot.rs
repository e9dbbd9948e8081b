//! One slot of the virtual table: it keeps its elements and shows whichever contact is
//! at its place, so a keystroke in the search box updates text rather than rebuilding
//! rows.

use leptos::html::Tr;
use leptos::prelude::*;

use super::RowActions;
use crate::browser::local_day_or_time;
use crate::domain::rows::{last_call_text, RowView};
use crate::domain::session::RowContext;
use crate::state::{BridgeState, CallLogs, ContactsCtx, TableState};

/// The row at place `at` of the rendered window (`slot` is a word `view!` keeps).
#[component]
pub fn RowSlot(at: usize) -> impl IntoView {
    let table = expect_context::<TableState>();
    let bridge = expect_context::<BridgeState>();
    let book = expect_context::<ContactsCtx>();
    let logs = use_context::<CallLogs>();
    let row = Memo::new(move |_| {
        table
            .rows
            .with(|rows| {
                rows.get(at)
                    .map(|(place, contact)| RowView::of(*place, contact))
            })
            .unwrap_or_default()
    });
    let id = Memo::new(move |_| row.with(|r| r.id));
    let selected = move || table.selected.get() == Some(id.get());
    // One row takes the focus (roving): the current one, else the first.
    let tab_stop = move || selected() || (at == 0 && table.selected.with(Option::is_none));
    let element = NodeRef::<Tr>::new();
    Effect::new(move || {
        let mine = table
            .focus_wanted
            .get()
            .is_some_and(|wanted| wanted == id.get());
        if let (true, Some(element)) = (mine, element.get()) {
            let _ = element.focus();
            table.focus_wanted.set(None);
        }
    });
    let notice = Memo::new(move |_| bridge.notice_for(id.get()));
    // The calls with the row's number: its contact's own and those tied to no contact
    // (a call placed from another contact holding the number is that one's).
    let last_call = move || {
        let (number, id) = row.with(|r| (r.number.clone(), r.id));
        let number = number?;
        let live = bridge.bindings.with(|tied| {
            bridge.with_sessions(|s| {
                s.context_where(&number, |root| {
                    tied.iter()
                        .find(|(call, _)| call == root)
                        .is_none_or(|(_, contact)| *contact == id)
                })
            })
        });
        let past = book.past_calls(&number, id);
        let context = RowContext::merge(past, live)?;
        Some(last_call_text(&context, local_day_or_time, |value| {
            logs.map_or_else(|| value.to_owned(), |logs| logs.label(value))
        }))
    };
    view! {
        <tr
            node_ref=element
            tabindex=move || if tab_stop() { "0" } else { "-1" }
            on:focus=move |_| {
                if !selected() {
                    table.selected.set(Some(id.get_untracked()));
                }
            }
            data-slot=""
            data-contact-id=move || id.get().to_string()
            data-name=move || row.with(|r| r.name.clone())
            aria-rowindex=move || row.with(|r| (r.place + 2).to_string())
            aria-selected=move || selected().to_string()
            class:selected=selected
            class:has-notice=move || notice.with(Option::is_some)
        >
            <td class="name">{move || row.with(|r| r.name.clone())}</td>
            <td class="company">{move || row.with(|r| r.company.clone())}</td>
            <td class=move || row.with(|r| r.phone_class()) title=move || row.with(RowView::phone_title)>
                {move || row.with(|r| r.shown.clone())}
            </td>
            <td class="last-call" title=last_call>{last_call}</td>
            <td class="action">
                <RowActions row />
            </td>
        </tr>
    }
}
