//! The contact table's rows: a slot per visible place, each fixed markup that one
//! effect brings up to date from the contact at that place, touching only what
//! changed (no `view!` binding per cell and no keyed list: README, design notes).
//! Its buttons are wired by delegation on the table body.

use std::collections::BTreeMap;

use dialdesk_contract::{Contact, ContactNumber};
use leptos::prelude::*;
use web_sys::Element;

use super::form_html::escape;
use crate::browser::dom::{find, find_all, set_text};
use crate::domain::outbound::RowNotice;
use crate::domain::phone::display_number;
use crate::domain::protocol::EmbedCommand;
use crate::domain::session::RowContext;
use crate::state::{BridgeState, CallLogs};

/// An empty slot's cells, filled in by [`show_slot`].
const SLOT_CELLS: &str = "<td class=\"name\"></td><td class=\"company\"></td>\
    <td class=\"phone\"></td><td class=\"last-call\"></td><td class=\"action\">\
    <span class=\"remedies\"></span><span class=\"row-buttons\">\
    <button class=\"edit-button\">Edit</button><button class=\"text-button\">Text</button>\
    <button class=\"call-button\">Call</button></span></td>";

/// What a slot shows and its Last call text, kept for the next update.
pub(super) type SlotShown = (SlotState, String);

/// Where the rows find what they show besides their contact.
#[derive(Clone, Copy)]
pub(super) struct RowSources {
    /// The bridge: live calls and row notices.
    pub state: BridgeState,
    /// Earlier calls per number.
    pub history: RwSignal<BTreeMap<String, RowContext>>,
    /// Saved dispositions' labels.
    pub logs: Option<CallLogs>,
}

/// Makes `body` hold one slot per row before its last row (the bottom spacer), adding
/// empty slots or removing them from the end, and shows each row in its slot. `old`
/// is what the slots showed; returns what they show now. Reads `selected`, the
/// notices, the sessions and the history tracked, so the calling effect re-runs.
pub(super) fn show_rows(
    body: &Element,
    old: &[SlotShown],
    rows: &[(usize, Contact)],
    selected: Option<i64>,
    sources: RowSources,
) -> Vec<SlotShown> {
    let mut slots = find_all(body, "tr[data-slot]");
    while slots.len() > rows.len() {
        if let Some(extra) = slots.pop() {
            extra.remove();
        }
    }
    let bottom = body.last_element_child();
    while slots.len() < rows.len() {
        let Some(tr) = body
            .owner_document()
            .and_then(|d| d.create_element("tr").ok())
        else {
            break;
        };
        let _ = tr.set_attribute("data-slot", "");
        tr.set_inner_html(SLOT_CELLS);
        let _ = body.insert_before(&tr, bottom.as_deref());
        slots.push(tr);
    }
    let blank = (SlotState::default(), String::new());
    rows.iter()
        .zip(&slots)
        .enumerate()
        .map(|(index, ((position, contact), tr))| {
            let (before, before_last) = old.get(index).unwrap_or(&blank);
            let row = RowView::of(*position, contact);
            let last = last_call(row.number.as_deref(), sources).unwrap_or_default();
            let new = SlotState {
                selected: selected == Some(row.id),
                notice: sources.state.notice_for(row.id),
                row,
            };
            show_slot(tr, before, &new);
            if *before_last != last {
                set_text(tr, "td.last-call", &last);
            }
            (new, last)
        })
        .collect()
}

/// The first callable number of a contact.
pub(super) fn callable_number(contact: &Contact) -> Option<&ContactNumber> {
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
pub(super) struct SlotState {
    row: RowView,
    selected: bool,
    notice: Option<RowNotice>,
}

/// The element `selector` in `tr`.
fn cell(tr: &Element, selector: &str) -> Option<Element> {
    find(tr, selector)
}

/// Sets attribute `name` of `element` to `value`, or removes it when `None`.
fn attribute(element: &Option<Element>, name: &str, value: Option<&str>) {
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
fn show_slot(tr: &Element, old: &SlotState, new: &SlotState) {
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

/// The Last call cell of a row calling `number`: attempts, the time and the outcome
/// of the latest call with it (the saved disposition's label when there is one).
fn last_call(number: Option<&str>, sources: RowSources) -> Option<String> {
    let number = number?;
    let live = sources.state.with_sessions(|s| s.context_for(number));
    let past = sources.history.with(|h| h.get(number).cloned());
    let context = RowContext::merge(past, live)?;
    let mut parts = vec![format!("{}×", context.attempts)];
    parts.extend(context.last_at.as_deref().map(local_time_of_day));
    let outcome = match (sources.logs, context.last_disposition) {
        (Some(logs), Some(value)) => Some(logs.label(&value)),
        _ => context.last_result,
    };
    parts.extend(outcome);
    Some(parts.join(" · "))
}
