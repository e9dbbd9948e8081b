//! The contact table: search as you type, sort by column, keyboard first, and
//! virtualised (only the visible rows are in the DOM), with call and text per row.

use dialdesk_contract::Contact;
use leptos::html::{Div, Input};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::ResizeObserver;

use super::form_html::escape;
use super::table_rows::{callable_number, show_rows, RowSources, SlotShown};
use crate::browser::dom::{find_all, pressed, set_text};
use crate::browser::lower;
use crate::browser::{local_time, use_shortcuts, SmartEmbed};
use crate::components::{EditRequest, EditorCtx, ImportButton, ZoomSyncButton};
use crate::domain::guard::{self, Verdict};
use crate::domain::outbound::RowNotice;
use crate::domain::protocol::EmbedCommand;
use crate::domain::table::{
    filter_rows, merge_new_rows, sort_rows, step_selection, Query, Sort, SortColumn,
};
use crate::state::{
    BridgeState, CallLogs, CallerIdCtx, ContactsCtx, GuardCtx, SessionCtx, ShortcutsCtx,
};

/// The sortable columns, in header order (`data-sort` is the index).
const SORTABLE: [SortColumn; 3] = [SortColumn::Name, SortColumn::Company, SortColumn::Phone];

/// The header row: a sort button per sortable column (`data-sort` indexes
/// [`SORTABLE`]), then Last call and the actions.
fn header_row() -> String {
    let mut html = String::new();
    for (index, label) in ["Name", "Company", "Phone"].iter().enumerate() {
        html.push_str(&format!(
            "<th scope=\"col\" data-sort=\"{index}\"><button class=\"sort-button\">{label}\
             <span class=\"sort-mark\" aria-hidden=\"true\"></span></button></th>"
        ));
    }
    html.push_str(
        "<th scope=\"col\">Last call</th>\
         <th scope=\"col\"><span class=\"sr-only\">Actions</span></th>",
    );
    html
}

/// Height of one row in CSS pixels; must match `--row-height` in `style/app.css`.
/// Whole pixels throughout: formatting floats would pull float printing into the wasm.
const ROW_HEIGHT: i32 = 40;
/// Rows rendered above and below the visible ones.
const OVERSCAN: usize = 4;
/// Rows visible before the table has been measured (a tall screen).
const FIRST_GUESS_ROWS: usize = 40;

/// The sorted order and what it was computed from, so a new page merges in.
#[derive(Debug, Clone, PartialEq, Default)]
struct Ordered {
    sort: Sort,
    revision: u32,
    /// Bumped at every computation: the filter narrows a result only of this order.
    generation: u64,
    rows: Vec<usize>,
}

/// The filtered rows and the query and order they came from.
#[derive(Debug, Clone, PartialEq, Default)]
struct Shown {
    query: Query,
    generation: u64,
    /// Whether nothing is typed: then every row of the order shows, not copied.
    everything: bool,
    /// The matching rows; kept (with its capacity) while nothing is typed.
    rows: Vec<usize>,
    /// Scratch for the filter, kept so a keystroke allocates nothing.
    hits: Vec<bool>,
}

/// What a row's buttons (or Enter and `t`) do.
#[derive(Debug, Clone, Copy)]
enum Action {
    Call,
    Text,
    Edit,
}

/// Calls or texts a contact; resolved from context once, usable from any handler.
#[derive(Debug, Clone, Copy)]
struct Actor {
    embed: SmartEmbed,
    caller: RwSignal<Option<String>>,
    guard: StoredValue<dialdesk_contract::GuardSettings>,
    state: BridgeState,
    editor: RwSignal<Option<EditRequest>>,
}

impl Actor {
    fn from_context() -> Self {
        let CallerIdCtx(caller) = expect_context::<CallerIdCtx>();
        let GuardCtx(guard) = expect_context::<GuardCtx>();
        Self {
            embed: expect_context::<SmartEmbed>(),
            caller,
            guard,
            state: expect_context::<BridgeState>(),
            editor: expect_context::<EditorCtx>().0,
        }
    }

    /// Does `action` on `contact`: calls and texts go through the call guard, whose
    /// refusal or question shows on the row.
    fn act(self, contact: &Contact, action: Action) {
        match action {
            Action::Call => self.reach(contact, true),
            Action::Text => self.reach(contact, false),
            Action::Edit => self.editor.set(Some(EditRequest::Edit(contact.clone()))),
        }
    }

    /// Calls (or texts) `contact`'s first callable number, guarded.
    fn reach(self, contact: &Contact, call: bool) {
        let Some(number) = callable_number(contact) else {
            return;
        };
        let e164 = number.e164.clone().unwrap_or_default();
        let command = if call {
            EmbedCommand::MakeCall {
                number: e164.clone(),
                caller_id: self.caller.get_untracked(),
                auto_dial: true,
            }
        } else {
            EmbedCommand::InputSms {
                number: e164.clone(),
            }
        };
        let now = js_sys::Date::now();
        let (verdict, message) = self.guard.with_value(|settings| {
            let verdict = guard::check(settings, contact, number, |zone| local_time(zone, now));
            let message = match &verdict {
                Verdict::Allow => String::new(),
                Verdict::Confirm(concern) | Verdict::Block(concern) => {
                    guard::explain(concern, settings)
                }
            };
            (verdict, message)
        });
        let confirm = match verdict {
            Verdict::Allow => {
                self.embed.send_for(command, Some(contact.id));
                return;
            }
            Verdict::Confirm(_) => Some(command),
            Verdict::Block(_) => None,
        };
        self.state.notice(
            contact.id,
            RowNotice {
                message,
                number: e164,
                links: Vec::new(),
                confirm,
            },
        );
    }
}

/// Contact table with search, sort, keyboard and click-to-call or text.
#[component]
pub fn ContactTable() -> AnyView {
    let ctx = expect_context::<ContactsCtx>();
    let ShortcutsCtx(shortcuts) = expect_context::<ShortcutsCtx>();
    let actor = Actor::from_context();
    let sort = RwSignal::new(Sort::default());
    let query = RwSignal::new(String::new());
    let selected = RwSignal::new(None::<i64>);
    let scroll_top = RwSignal::new(0_i32);
    let search = NodeRef::<Input>::new();
    let scroller = NodeRef::<Div>::new();

    let visible_rows = RwSignal::new(FIRST_GUESS_ROWS);
    let window_rows = move || visible_rows.get() + 2 * OVERSCAN;

    // A new page merges into the order; a new sort or an edited contact sorts again.
    // Owning memos reuse their vectors: a load of 100 000 contacts reallocates nothing
    // per page, and the wasm memory does not keep a peak per load.
    let order = Memo::new_owning(move |previous: Option<Ordered>| {
        ctx.contacts.track();
        let sort = sort.get();
        let revision = ctx.revision.get_value();
        let mut ordered = previous.unwrap_or_default();
        ctx.keys.with_value(|keys| {
            if ordered.sort == sort
                && ordered.revision == revision
                && ordered.rows.len() <= keys.len()
            {
                merge_new_rows(keys, sort, &mut ordered.rows);
            } else {
                sort_rows(keys, sort, &mut ordered.rows);
            }
        });
        ordered.sort = sort;
        ordered.revision = revision;
        ordered.generation += 1;
        (ordered, true)
    });
    // Typing on filters the previous result in place, not the whole book.
    let shown = Memo::new_owning(move |previous: Option<Shown>| {
        let wanted = Query::new(&query.get(), lower);
        let mut shown = previous.unwrap_or_default();
        order.with(|order| {
            if !wanted.is_empty() {
                ctx.keys.with_value(|keys| {
                    let narrowing = !shown.everything
                        && shown.generation == order.generation
                        && wanted.narrows(&shown.query);
                    filter_rows(
                        keys,
                        &order.rows,
                        &wanted,
                        narrowing,
                        &mut shown.hits,
                        &mut shown.rows,
                    );
                });
            }
            shown.everything = wanted.is_empty();
            shown.generation = order.generation;
        });
        shown.query = wanted;
        (shown, true)
    });
    // The rows shown: the filtered ones, or the whole order.
    let with_shown = move |f: &mut dyn FnMut(&[usize])| {
        shown.with(|s| {
            if s.everything {
                order.with(|o| f(&o.rows));
            } else {
                f(&s.rows);
            }
        });
    };
    let len = Memo::new(move |_| {
        let mut len = 0;
        with_shown(&mut |rows| len = rows.len());
        len
    });
    let first = Memo::new(move |_| {
        let top_row = usize::try_from(scroll_top.get() / ROW_HEIGHT).unwrap_or(0);
        top_row.saturating_sub(OVERSCAN)
    });
    let rows = Memo::new(move |_| {
        let mut window = Vec::new();
        with_shown(&mut |shown| {
            ctx.contacts.with(|all| {
                let start = first.get().min(shown.len());
                let end = (start + window_rows()).min(shown.len());
                window = (start..end)
                    .filter_map(|position| Some((position, all.get(shown[position])?.clone())))
                    .collect();
            });
        });
        window
    });

    // Rows that fit the scroller, measured whenever its size changes (its first
    // layout included) and as the rep scrolls.
    let measure = move |element: &web_sys::HtmlElement| {
        let fits = usize::try_from(element.client_height() / ROW_HEIGHT + 1).unwrap_or(1);
        if fits != visible_rows.get_untracked() {
            visible_rows.set(fits);
        }
    };
    let resize_watch = StoredValue::new_local(None::<(ResizeObserver, Closure<dyn Fn()>)>);
    scroller.on_load(move |element| {
        let on_resize = Closure::<dyn Fn()>::new(move || {
            if let Some(element) = scroller.get_untracked() {
                measure(&element);
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

    let scroll_to = move |top: i32| {
        if let Some(element) = scroller.get_untracked() {
            element.set_scroll_top(top);
        }
        scroll_top.set(top);
    };
    let move_selection = move |step: isize| {
        let mut ids: Vec<i64> = Vec::new();
        untrack(|| {
            with_shown(&mut |shown| {
                ctx.contacts.with(|all| {
                    ids = shown
                        .iter()
                        .filter_map(|&i| all.get(i))
                        .map(|c| c.id)
                        .collect();
                });
            });
        });
        let next = step_selection(&ids, selected.get_untracked(), step);
        selected.set(next);
        let Some(position) = next.and_then(|id| ids.iter().position(|&i| i == id)) else {
            return;
        };
        let Some(element) = scroller.get_untracked() else {
            return;
        };
        let row_top = i32::try_from(position).unwrap_or(i32::MAX / ROW_HEIGHT) * ROW_HEIGHT;
        let view_top = element.scroll_top();
        // The sticky header covers one row at the top of the viewport.
        let view_height = element.client_height() - ROW_HEIGHT;
        if row_top < view_top {
            scroll_to(row_top);
        } else if row_top + ROW_HEIGHT > view_top + view_height {
            scroll_to(row_top + ROW_HEIGHT - view_height);
        }
    };
    let act_on_selected = move |action: Action| {
        let Some(id) = selected.get_untracked() else {
            return false;
        };
        let contact = ctx
            .contacts
            .with_untracked(|all| all.iter().find(|c| c.id == id).cloned());
        if let Some(contact) = contact {
            actor.act(&contact, action);
        }
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
            move_selection(1);
            true
        }
        "ArrowUp" | "k" => {
            move_selection(-1);
            true
        }
        "Enter" => act_on_selected(Action::Call),
        "t" => act_on_selected(Action::Text),
        "e" => act_on_selected(Action::Edit),
        _ => false,
    });

    let rows_px = |rows: usize| format!("{}px", rows.saturating_mul(ROW_HEIGHT as usize));
    let top_pad = move || rows_px(first.get());
    let bottom_pad = move || {
        let below = len.get().saturating_sub(first.get() + window_rows());
        rows_px(below)
    };
    // Loading progress, a load failure and "no contacts" are escaped markup: a view
    // each would cost far more wasm than they are worth (README, design notes).
    let progress = move || {
        let total = ctx.total.get().filter(|_| ctx.loading.get());
        total.map_or_else(String::new, |total| {
            let loaded = ctx.contacts.with(Vec::len);
            format!(
                "<div class=\"load-progress\"><progress max=\"{total}\" value=\"{loaded}\">\
                 </progress><span>Loading contacts… {loaded} of {total}</span></div>"
            )
        })
    };
    let error = move || {
        ctx.error.get().map_or_else(String::new, |message| {
            format!(
                "<div class=\"inline-error\" role=\"alert\"><span>Could not load all \
                 contacts: {}</span><button class=\"load-retry\">Retry</button></div>",
                escape(&message)
            )
        })
    };
    let api = expect_context::<crate::api::ApiClient>();
    let on_retry = move |ev: leptos::ev::MouseEvent| {
        if pressed(&ev).is_some_and(|b| b.class_name() == "load-retry") {
            ctx.load(api.clone());
        }
    };
    let empty = move || {
        let none = !ctx.loading.get() && ctx.error.with(Option::is_none) && len.get() == 0;
        match (none, query.with(String::is_empty)) {
            (false, _) => "",
            (true, true) => "<p class=\"empty\">No contacts yet.</p>",
            (true, false) => "<p class=\"empty\">No contact matches.</p>",
        }
    };
    // The sortable headers are fixed markup; one effect keeps their `aria-sort` and
    // marks in step with the sort, and one handler serves their buttons.
    let head = NodeRef::<leptos::html::Tr>::new();
    Effect::new(move || {
        let sort = sort.get();
        let Some(head) = head.get() else { return };
        for (th, column) in find_all(&head, "th[data-sort]").iter().zip(SORTABLE) {
            let aria = sort.aria(column);
            let _ = th.set_attribute("aria-sort", aria);
            let mark = match aria {
                "ascending" => "▲",
                "descending" => "▼",
                _ => "",
            };
            set_text(th, ".sort-mark", mark);
        }
    });
    let on_sort = move |ev: leptos::ev::MouseEvent| {
        let column = pressed(&ev)
            .and_then(|b| b.closest("th[data-sort]").ok().flatten())
            .and_then(|th| th.get_attribute("data-sort"))
            .and_then(|at| at.parse::<usize>().ok())
            .and_then(|at| SORTABLE.get(at).copied());
        if let Some(column) = column {
            sort.update(|s| *s = s.toggle(column));
            scroll_to(0);
        }
    };
    // The row slots: one effect shows the window's rows in them, and one handler
    // serves every row's buttons.
    let body = NodeRef::<leptos::html::Tbody>::new();
    let sources = RowSources {
        state: actor.state,
        history: ctx.history,
        logs: use_context::<CallLogs>(),
    };
    Effect::new(move |old: Option<Vec<SlotShown>>| {
        let old = old.unwrap_or_default();
        let selected = selected.get();
        let Some(body) = body.get() else {
            return old;
        };
        rows.with(|rows| show_rows(&body, &old, rows, selected, sources))
    });
    let on_row_click = move |ev: leptos::ev::MouseEvent| {
        let id = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("tr[data-contact-id]").ok().flatten())
            .and_then(|tr| tr.get_attribute("data-contact-id"))
            .and_then(|id| id.parse::<i64>().ok());
        let Some(id) = id else { return };
        selected.set(Some(id));
        let Some(button) = pressed(&ev) else { return };
        let class = button.class_name();
        let act = |action| {
            rows.with_untracked(|r| {
                if let Some((_, contact)) = r.iter().find(|(_, c)| c.id == id) {
                    actor.act(contact, action);
                }
            });
        };
        if class.contains("edit-button") {
            act(Action::Edit);
        } else if class.contains("text-button") {
            act(Action::Text);
        } else if class.contains("call-button") {
            act(Action::Call);
        } else if class.contains("confirm-button") {
            if let Some(command) = actor.state.notice_for(id).and_then(|n| n.confirm) {
                actor.embed.send_for(command, Some(id));
            }
        } else if class.contains("cancel-button") || class.contains("dismiss-button") {
            actor.state.dismiss(id);
        }
    };
    view! {
        <section class="contacts-panel" aria-label="Contacts">
            <div class="table-tools">
                <input
                    node_ref=search
                    id="contact-search"
                    type="search"
                    placeholder="Search name, company, e-mail or number  ( / )"
                    aria-label="Search contacts"
                    prop:value=move || query.get()
                    on:input=move |ev| {
                        query.set(event_target_value(&ev));
                        scroll_to(0);
                    }
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            if let Some(input) = search.get_untracked() {
                                let _ = input.blur();
                            }
                        }
                    }
                />
                <button
                    id="contact-new"
                    on:click=move |_| actor.editor.set(Some(EditRequest::New(None)))
                >
                    "New contact"
                </button>
                <ImportButton />
                {use_context::<SessionCtx>()
                    .filter(|s| s.zoom())
                    .map(|_| view! { <ZoomSyncButton /> })}
                <button
                    id="contacts-reload"
                    title="Load the contact book again"
                    disabled=move || ctx.loading.get()
                    on:click=move |_| ctx.reload(expect_context::<crate::api::ApiClient>())
                >
                    "Reload"
                </button>
                <span class="slot" inner_html=progress></span>
            </div>
            <div class="slot" on:click=on_retry inner_html=error></div>
            <div
                class="table-scroll"
                node_ref=scroller
                on:scroll=move |ev| {
                    let element = event_target::<web_sys::HtmlElement>(&ev);
                    scroll_top.set(element.scroll_top());
                    measure(&element);
                }
            >
                <table class="contacts" role="grid" aria-rowcount=move || len.get() + 1>
                    <colgroup>
                        <col class="col-name" />
                        <col class="col-company" />
                        <col class="col-phone" />
                        <col class="col-last" />
                        <col class="col-action" />
                    </colgroup>
                    <thead>
                        <tr
                            aria-rowindex="1"
                            node_ref=head
                            on:click=on_sort
                            inner_html=header_row()
                        ></tr>
                    </thead>
                    <tbody node_ref=body on:click=on_row_click>
                        <tr class="spacer" aria-hidden="true">
                            <td colspan="5" style:height=top_pad></td>
                        </tr>
                        <tr class="spacer" aria-hidden="true">
                            <td colspan="5" style:height=bottom_pad></td>
                        </tr>
                    </tbody>
                </table>
                <div class="slot" inner_html=empty></div>
            </div>
        </section>
    }
    .into_any()
}
