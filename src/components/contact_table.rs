//! The contact table: search as you type, sort by column, keyboard first, and
//! virtualised (only the visible rows are in the DOM), with call and text per row.

use dialdesk_contract::{Contact, ContactNumber};
use leptos::html::{Div, Input};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::ResizeObserver;

use super::form_html::escape;
use crate::browser::dom::{find, find_all, pressed, set_text};
use crate::browser::lower;
use crate::browser::{local_time, use_shortcuts, SmartEmbed};
use crate::components::{EditRequest, EditorCtx, ImportButton, ZoomSyncButton};
use crate::domain::guard::{self, Verdict};
use crate::domain::outbound::RowNotice;
use crate::domain::phone::display_number;
use crate::domain::protocol::EmbedCommand;
use crate::domain::session::RowContext;
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

/// The first callable number of a contact.
fn callable_number(contact: &Contact) -> Option<&ContactNumber> {
    contact.numbers.iter().find(|n| n.e164.is_some())
}

/// `HH:MM` in the browser's time zone for today, else the day and month.
fn local_time_of_day(iso: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return String::new();
    }
    let today = js_sys::Date::new_0();
    if date.to_date_string() == today.to_date_string() {
        format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
    } else {
        format!(
            "{} {}",
            date.get_date(),
            MONTHS[date.get_month() as usize % 12]
        )
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

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
                    <tbody>
                        <tr class="spacer" aria-hidden="true">
                            <td colspan="5" style:height=top_pad></td>
                        </tr>
                        <For
                            each=move || 0..rows.with(Vec::len)
                            key=|place| *place
                            let:place
                        >
                            <RowSlot place rows selected actor />
                        </For>
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

/// What one row shows, worked out from its contact.
#[derive(Debug, Clone, PartialEq, Default)]
struct RowView {
    /// Position in the filtered, sorted list (0 = first).
    position: usize,
    id: i64,
    name: String,
    company: String,
    /// The number as shown: readable E.164, else the text as typed.
    shown: String,
    /// The E.164 number to call, if one parsed.
    number: Option<String>,
    do_not_call: bool,
    /// Why the row cannot be dialled; empty when it can.
    why_not: String,
}

impl RowView {
    fn of(position: usize, contact: &Contact) -> Self {
        let dialable = callable_number(contact);
        let number = dialable.and_then(|n| n.e164.clone());
        let why_not = if number.is_some() {
            String::new()
        } else {
            contact
                .numbers
                .first()
                .and_then(|n| n.parse_error.as_deref())
                .unwrap_or("This number cannot be dialled")
                .to_owned()
        };
        Self {
            position,
            id: contact.id,
            name: contact.name.clone(),
            company: contact.company.clone().unwrap_or_default(),
            shown: number
                .as_deref()
                .map(display_number)
                .or_else(|| contact.numbers.first().map(|n| n.raw.clone()))
                .unwrap_or_default(),
            do_not_call: dialable.is_some_and(|n| n.do_not_call),
            number,
            why_not,
        }
    }

    fn phone_title(&self) -> String {
        if self.do_not_call {
            "On the do-not-call list".to_owned()
        } else {
            self.why_not.clone()
        }
    }
}

/// The buttons that stand in for a row's own while its notice asks something: a
/// question ("Call anyway" / "Cancel") or fallback links with a dismiss button.
fn remedies_html(notice: &RowNotice) -> String {
    let mut html = String::new();
    if let Some(command) = &notice.confirm {
        let label = match command {
            EmbedCommand::InputSms { .. } => "Text anyway",
            _ => "Call anyway",
        };
        html.push_str(&format!(
            "<button class=\"confirm-button\">{label}</button>\
             <button class=\"cancel-button\">Cancel</button>"
        ));
    }
    for link in &notice.links {
        html.push_str(&format!(
            "<a class=\"fallback-link\" href=\"{}\">{}</a>",
            escape(&link.href),
            escape(link.label)
        ));
    }
    if !notice.links.is_empty() {
        html.push_str(
            "<button class=\"dismiss-button\" aria-label=\"Dismiss\" title=\"Dismiss\">×</button>",
        );
    }
    html
}

/// What a slot shows: its row, whether it is selected, and its notice.
#[derive(Debug, Clone, PartialEq, Default)]
struct SlotState {
    row: RowView,
    selected: bool,
    notice: Option<RowNotice>,
}

/// The element `selector` in `tr`.
fn cell(tr: &web_sys::Element, selector: &str) -> Option<web_sys::Element> {
    find(tr, selector)
}

/// Sets attribute `name` of `element` to `value`, or removes it when `None`.
fn attribute(element: &Option<web_sys::Element>, name: &str, value: Option<&str>) {
    if let Some(element) = element {
        let _ = match value {
            Some(value) => element.set_attribute(name, value),
            None => element.remove_attribute(name),
        };
    }
}

/// Brings the slot's elements from `old` to `new`, touching only what changed: a
/// keystroke updates text in place (DESIGN §8), and no `view!` binding per cell is
/// compiled (about 0.7 KB of wasm each, README).
fn show_slot(tr: &web_sys::Element, old: &SlotState, new: &SlotState) {
    let (o, n) = (&old.row, &new.row);
    let first = *old == SlotState::default();
    if o.position != n.position || first {
        let _ = tr.set_attribute("aria-rowindex", &(n.position + 2).to_string());
    }
    if o.id != n.id || first {
        let _ = tr.set_attribute("data-contact-id", &n.id.to_string());
    }
    if o.name != n.name || first {
        let _ = tr.set_attribute("data-name", &n.name);
        set_text(tr, "td.name", &n.name);
        for (class, verb) in [
            ("edit-button", "Edit"),
            ("text-button", "Text"),
            ("call-button", "Call"),
        ] {
            attribute(
                &cell(tr, &format!(".{class}")),
                "aria-label",
                Some(&format!("{verb} {}", n.name)),
            );
        }
    }
    if o.company != n.company {
        set_text(tr, "td.company", &n.company);
    }
    if old.selected != new.selected || first {
        let _ = tr.set_attribute("aria-selected", if new.selected { "true" } else { "false" });
        let _ = tr.set_attribute("class", if new.selected { "selected" } else { "" });
    }
    let callable = n.number.is_some();
    if o.number.is_some() != callable
        || o.do_not_call != n.do_not_call
        || o.why_not != n.why_not
        || first
    {
        let phone = cell(tr, "td.phone");
        let class = match (callable, n.do_not_call) {
            (false, _) => "phone not-callable",
            (true, true) => "phone dnc",
            (true, false) => "phone",
        };
        attribute(&phone, "class", Some(class));
        let title = n.phone_title();
        attribute(
            &phone,
            "title",
            (!title.is_empty()).then_some(title.as_str()),
        );
        for class in ["text-button", "call-button"] {
            let button = cell(tr, &format!(".{class}"));
            attribute(&button, "disabled", (!callable).then_some(""));
            attribute(
                &button,
                "title",
                (!n.why_not.is_empty()).then_some(n.why_not.as_str()),
            );
        }
    }
    if o.shown != n.shown || old.notice != new.notice {
        if let Some(phone) = cell(tr, "td.phone") {
            match &new.notice {
                Some(notice) => phone.set_inner_html(&format!(
                    "<span class=\"row-notice\" role=\"alert\" title=\"{message}\">{message}</span>",
                    message = escape(&notice.message)
                )),
                None => phone.set_text_content(Some(&n.shown)),
            }
        }
    }
    if old.notice != new.notice {
        let remedies = new.notice.as_ref().map(remedies_html).unwrap_or_default();
        if let Some(span) = cell(tr, ".remedies") {
            span.set_inner_html(&remedies);
        }
        attribute(
            &cell(tr, ".row-buttons"),
            "hidden",
            (!remedies.is_empty()).then_some(""),
        );
    }
}

/// One slot of the window: it keeps its elements and shows whichever contact is at
/// its place, so filtering and scrolling update text instead of rebuilding rows. The
/// row is fixed markup updated by two effects (its contact, its last call), and its
/// buttons are wired by delegation.
#[component]
fn RowSlot(
    place: usize,
    rows: Memo<Vec<(usize, Contact)>>,
    selected: RwSignal<Option<i64>>,
    actor: Actor,
) -> AnyView {
    let state = expect_context::<BridgeState>();
    let history = expect_context::<ContactsCtx>().history;
    let logs = use_context::<CallLogs>();
    let tr = NodeRef::<leptos::html::Tr>::new();
    let row = Memo::new(move |_| {
        rows.with(|r| {
            r.get(place)
                .map(|(position, contact)| RowView::of(*position, contact))
                .unwrap_or_default()
        })
    });
    let id = move || row.with(|r| r.id);
    Effect::new(move |old: Option<SlotState>| {
        let new = SlotState {
            row: row.get(),
            selected: selected.get() == Some(id()),
            notice: state.notice_for(id()),
        };
        if let Some(tr) = tr.get() {
            show_slot(&tr, &old.unwrap_or_default(), &new);
        }
        new
    });
    Effect::new(move |old: Option<String>| {
        let text = last_call(row, state, history, logs).unwrap_or_default();
        if old.as_ref() != Some(&text) {
            if let Some(tr) = tr.get() {
                set_text(&tr, "td.last-call", &text);
            }
        }
        text
    });
    // The contact is read when a button is pressed, not copied into the handlers.
    let act = move |action| {
        rows.with_untracked(|r| {
            if let Some((_, contact)) = r.get(place) {
                actor.act(contact, action);
            }
        });
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let id = row.with_untracked(|r| r.id);
        selected.set(Some(id));
        let Some(button) = pressed(&ev) else { return };
        let class = button.class_name();
        if class.contains("edit-button") {
            act(Action::Edit);
        } else if class.contains("text-button") {
            act(Action::Text);
        } else if class.contains("call-button") {
            act(Action::Call);
        } else if class.contains("confirm-button") {
            if let Some(command) = state.notice_for(id).and_then(|n| n.confirm) {
                actor.embed.send_for(command, Some(id));
            }
        } else if class.contains("cancel-button") || class.contains("dismiss-button") {
            state.dismiss(id);
        }
    };
    view! {
        <tr node_ref=tr on:click=on_click>
            <td class="name"></td>
            <td class="company"></td>
            <td class="phone"></td>
            <td class="last-call"></td>
            <td class="action">
                <span class="remedies"></span>
                <span class="row-buttons">
                    <button class="edit-button">"Edit"</button>
                    <button class="text-button">"Text"</button>
                    <button class="call-button">"Call"</button>
                </span>
            </td>
        </tr>
    }
    .into_any()
}

/// The Last call cell: attempts, the time and the outcome of the latest call with the
/// row's number (the saved disposition's label when there is one).
fn last_call(
    row: Memo<RowView>,
    state: BridgeState,
    history: RwSignal<std::collections::BTreeMap<String, RowContext>>,
    logs: Option<CallLogs>,
) -> Option<String> {
    let number = row.with(|r| r.number.clone())?;
    let live = state.with_sessions(|s| s.context_for(&number));
    let past = history.with(|h| h.get(&number).cloned());
    let context = RowContext::merge(past, live)?;
    let mut parts = vec![format!("{}×", context.attempts)];
    parts.extend(context.last_at.as_deref().map(local_time_of_day));
    let outcome = match (logs, context.last_disposition) {
        (Some(logs), Some(value)) => Some(logs.label(&value)),
        _ => context.last_result,
    };
    parts.extend(outcome);
    Some(parts.join(" · "))
}
