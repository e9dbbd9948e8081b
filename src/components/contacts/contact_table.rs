//! The contact table: search as you type, sort by column, keyboard first, and
//! virtualised: only the rows on screen are in the DOM, as slots that each show the
//! contact at their place.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::ResizeObserver;

use super::{LoadStatus, NoticeList, RowSlot, SortHeader, TableTools};
use crate::browser::use_shortcuts;
use crate::domain::table::SortColumn;
use crate::state::{Action, ContactActions, ContactsCtx, ShortcutsCtx, TableState, ROW_HEIGHT};

/// The contact table with its tools.
#[component]
pub fn ContactTable() -> impl IntoView {
    let book = expect_context::<ContactsCtx>();
    let ShortcutsCtx(shortcuts) = expect_context::<ShortcutsCtx>();
    let actions = ContactActions::from_context();
    let table = TableState::new(book);
    provide_context(table);
    provide_context(actions);
    let search = NodeRef::<leptos::html::Input>::new();

    // The rows that fit the scroller, measured whenever its size changes (its first
    // layout included).
    let resize_watch = StoredValue::new_local(None::<(ResizeObserver, Closure<dyn Fn()>)>);
    table.scroller.on_load(move |element| {
        let on_resize = Closure::<dyn Fn()>::new(move || {
            if let Some(element) = table.scroller.get_untracked() {
                table.measure(&element);
            }
        });
        if let Ok(observer) = ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&element);
            resize_watch.set_value(Some((observer, on_resize)));
        }
    });
    on_cleanup(move || {
        resize_watch.with_value(|watch| {
            if let Some((observer, _)) = watch {
                observer.disconnect();
            }
        });
    });

    let act_on_selected = move |action: Action| {
        let Some(contact) = table
            .selected
            .get_untracked()
            .and_then(|id| table.contact(id))
        else {
            return false;
        };
        actions.act(&contact, action);
        true
    };
    use_shortcuts(shortcuts, move |key| match key {
        "/" => {
            if let Some(input) = search.get_untracked() {
                let _ = input.focus();
            }
            true
        }
        "ArrowDown" | "j" => {
            table.move_selection(1);
            true
        }
        "ArrowUp" | "k" => {
            table.move_selection(-1);
            true
        }
        "Enter" => act_on_selected(Action::Call),
        "t" => act_on_selected(Action::Text),
        "e" => act_on_selected(Action::Edit),
        _ => false,
    });

    let pixels = |rows: usize| format!("{}px", rows.saturating_mul(ROW_HEIGHT as usize));
    let top_pad = move || pixels(table.first.get());
    let bottom_pad = move || {
        let below = table
            .len
            .get()
            .saturating_sub(table.first.get() + table.window_rows());
        pixels(below)
    };
    view! {
        <section class="contacts-panel" aria-label="Contacts">
            <TableTools search />
            <LoadStatus />
            <NoticeList />
            <div
                class="table-scroll"
                node_ref=table.scroller
                on:scroll=move |ev| table.measure(&event_target::<web_sys::HtmlElement>(&ev))
            >
                <table class="contacts" role="grid" aria-rowcount=move || table.len.get() + 1>
                    <colgroup>
                        <col class="col-name" />
                        <col class="col-company" />
                        <col class="col-phone" />
                        <col class="col-last" />
                        <col class="col-action" />
                    </colgroup>
                    <thead>
                        <tr aria-rowindex="1">
                            <SortHeader column=SortColumn::Name label="Name" />
                            <SortHeader column=SortColumn::Company label="Company" />
                            <SortHeader column=SortColumn::Phone label="Phone" />
                            <th scope="col">"Last call"</th>
                            <th scope="col">
                                <span class="sr-only">"Actions"</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="spacer" aria-hidden="true">
                            <td colspan="5" style:height=top_pad></td>
                        </tr>
                        <For each=move || 0..table.rows.with(Vec::len) key=|at| *at let:at>
                            <RowSlot at />
                        </For>
                        <tr class="spacer" aria-hidden="true">
                            <td colspan="5" style:height=bottom_pad></td>
                        </tr>
                    </tbody>
                </table>
                <Show when=move || {
                    !book.loading.get() && book.error.with(Option::is_none) && table.len.get() == 0
                }>
                    <p class="empty">
                        {move || {
                            if table.query.with(String::is_empty) {
                                "No contacts yet."
                            } else {
                                "No contact matches."
                            }
                        }}
                    </p>
                </Show>
            </div>
        </section>
    }
}
