//! The disposition form and the calls list as HTML text, wired by delegation like
//! the other forms ([`super::form_html`]); every outside value passes through
//! [`escape`].

use dialdesk_contract::{CallLog, CallLogDraft, DispositionCode, DispositionGroup, FieldError};

use super::form_html::escape;
use crate::domain::call::format_duration;
use crate::domain::call_log::{code_label, LogEntry, LogStatus};

/// What the call was, in one line: party, direction, duration, result.
pub fn call_summary(entry: &LogEntry) -> String {
    let draft = &entry.draft;
    let mut parts: Vec<String> = Vec::new();
    if let Some(who) = entry.party.as_ref().or(draft.number.as_ref()) {
        parts.push(who.clone());
    }
    if entry.party.is_some() {
        parts.extend(draft.number.clone());
    }
    parts.extend(draft.direction.clone());
    parts.extend(draft.duration_secs.map(format_duration));
    parts.extend(draft.result.clone());
    if parts.is_empty() {
        parts.push(format!("Call {}", entry.call_id));
    }
    parts.join(" · ")
}

fn options(codes: &[DispositionCode], chosen: &str) -> String {
    let mut html = String::from("<option value=\"\">Choose…</option>");
    for (group, label) in [
        (DispositionGroup::Connected, "Connected"),
        (DispositionGroup::NotConnected, "Not connected"),
    ] {
        html.push_str(&format!("<optgroup label=\"{label}\">"));
        for code in codes.iter().filter(|c| c.group == group) {
            let selected = if code.value == chosen {
                " selected"
            } else {
                ""
            };
            let required = if code.notes_required {
                " (notes required)"
            } else {
                ""
            };
            html.push_str(&format!(
                "<option value=\"{}\"{selected}>{}{required}</option>",
                escape(&code.value),
                escape(&code.label)
            ));
        }
        html.push_str("</optgroup>");
    }
    html
}

fn field_error(errors: &[FieldError], field: &str) -> (String, &'static str) {
    match errors.iter().find(|e| e.field == field) {
        Some(error) => (escape(&error.message), " aria-invalid=\"true\""),
        None => (String::new(), ""),
    }
}

fn version(heading: &str, draft: &CallLogDraft, codes: &[DispositionCode]) -> String {
    format!(
        "<section><h4>{heading}</h4><p class=\"version-code\">{}</p>\
         <p class=\"version-notes\">{}</p></section>",
        escape(code_label(codes, &draft.disposition)),
        escape(&draft.notes)
    )
}

/// `prefix` and the escaped name of who saved a log, when known.
fn saved_by(name: Option<&str>, prefix: &str) -> String {
    name.map(|n| format!("{prefix}{}", escape(n)))
        .unwrap_or_default()
}

/// The form of the disposition panel for `entry`, with `errors` beside their fields.
pub fn disposition_form(
    entry: &LogEntry,
    codes: &[DispositionCode],
    errors: &[FieldError],
) -> String {
    let draft = &entry.draft;
    let locked = if entry.editable() { "" } else { " disabled" };
    let (code_error, code_invalid) = field_error(errors, "disposition");
    let (notes_error, notes_invalid) = field_error(errors, "notes");
    let mut html = format!(
        "<form class=\"log-form\" novalidate><p class=\"log-call\">{summary}</p>\
         <div class=\"field\"><label for=\"log-disposition\">Disposition</label>\
         <select id=\"log-disposition\" aria-describedby=\"log-disposition-error\"\
         {code_invalid}{locked}>{options}</select>\
         <span class=\"field-error\" id=\"log-disposition-error\">{code_error}</span></div>\
         <div class=\"field\"><label for=\"log-notes\">Notes</label>\
         <textarea id=\"log-notes\" rows=\"3\" aria-describedby=\"log-notes-error\"\
         {notes_invalid}{locked}>{notes}</textarea>\
         <span class=\"field-error\" id=\"log-notes-error\">{notes_error}</span></div>",
        summary = escape(&call_summary(entry)),
        options = options(codes, &draft.disposition),
        notes = escape(&draft.notes),
    );
    match &entry.status {
        LogStatus::Conflict { stored } => {
            let theirs = crate::domain::call_log::draft_of(stored);
            html.push_str(&format!(
                "<div class=\"log-conflict\" role=\"alert\"><p>Another save of this call \
                 reached the server first. Both versions:</p><div class=\"versions\">{}{}\
                 </div><button type=\"button\" class=\"keep-mine\">Save mine over it</button>\
                 <button type=\"button\" class=\"take-stored\">Keep the saved one</button></div>",
                version("Yours", draft, codes),
                version(
                    &format!(
                        "Saved at {}{}",
                        escape(&stored.saved_at),
                        saved_by(stored.saved_by.as_deref(), " by ")
                    ),
                    &theirs,
                    codes
                ),
            ));
        }
        LogStatus::Failed { .. } => html.push_str(
            "<p class=\"form-actions\"><button type=\"button\" class=\"log-retry\">Retry</button></p>",
        ),
        LogStatus::Logged { .. } if entry.saved_by.is_some() => html.push_str(&format!(
            "<p class=\"log-saved-by\">This log was {}.</p>",
            saved_by(entry.saved_by.as_deref(), "saved by ")
        )),
        _ => {}
    }
    // Only web links: a `javascript:` URL in an event must not become a link.
    let web: Vec<&String> = entry
        .media
        .iter()
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
        .collect();
    if !web.is_empty() {
        html.push_str("<ul class=\"log-media\">");
        for url in web {
            html.push_str(&format!(
                "<li><a href=\"{url}\" target=\"_blank\" rel=\"noopener\">{url}</a></li>",
                url = escape(url)
            ));
        }
        html.push_str("</ul>");
    }
    html.push_str(
        "<div class=\"form-actions\"><button type=\"button\" class=\"log-close\">Close</button>",
    );
    if entry.editable() && !matches!(entry.status, LogStatus::Conflict { .. }) {
        html.push_str("<button type=\"submit\" class=\"primary\">Save</button>");
    }
    html.push_str("</div></form>");
    html
}

/// A contact's saved calls, newest first: day, direction, duration, outcome, notes.
pub fn history_html(logs: &[CallLog], codes: &[DispositionCode]) -> String {
    let mut html = String::from("<section class=\"contact-history\"><h3>Calls</h3>");
    if logs.is_empty() {
        html.push_str("<p class=\"hint\">No saved calls in the last year.</p></section>");
        return html;
    }
    html.push_str("<ul>");
    for log in logs.iter().rev() {
        let mut parts = vec![log.saved_at.get(..10).unwrap_or_default().to_owned()];
        parts.extend(log.direction.clone());
        parts.extend(log.duration_secs.map(format_duration));
        parts.push(code_label(codes, &log.disposition).to_owned());
        html.push_str(&format!(
            "<li><span>{}</span> <span class=\"history-notes\">{}</span></li>",
            escape(&parts.join(" · ")),
            escape(&log.notes)
        ));
    }
    html.push_str("</ul></section>");
    html
}

/// The calls list: newest first, each with where its log stands.
pub fn calls_list(entries: &[LogEntry], codes: &[DispositionCode]) -> String {
    if entries.is_empty() {
        return "<p class=\"hint\">No calls yet.</p>".to_owned();
    }
    let mut html = String::from("<ul class=\"calls-list\">");
    for entry in entries.iter().rev() {
        let status = &entry.status;
        let outcome = if entry.draft.disposition.is_empty() {
            String::new()
        } else {
            format!(" — {}", escape(code_label(codes, &entry.draft.disposition)))
        };
        let button = match status {
            LogStatus::Failed { .. } => {
                "<button type=\"button\" class=\"log-retry\">Retry</button>"
            }
            _ => "<button type=\"button\" class=\"log-open\">Open</button>",
        };
        let by = match status {
            LogStatus::Logged { .. } if entry.saved_by.is_some() => format!(
                " <span class=\"log-saved-by\">{}</span>",
                saved_by(entry.saved_by.as_deref(), "saved by ")
            ),
            _ => String::new(),
        };
        html.push_str(&format!(
            "<li data-call-id=\"{id}\" data-status=\"{name}\"><span class=\"call-line\">{summary}\
             {outcome}</span> <span class=\"log-state\">{state}</span>{by} {button}</li>",
            id = escape(&entry.call_id),
            name = status.name(),
            summary = escape(&call_summary(entry)),
            state = escape(&entry.describe()),
        ));
    }
    html.push_str("</ul>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes() -> Vec<DispositionCode> {
        vec![DispositionCode {
            label: "Wrong <number>".into(),
            value: "wrong".into(),
            group: DispositionGroup::NotConnected,
            notes_required: true,
        }]
    }

    #[test]
    fn the_form_holds_the_draft_escaped_and_locks_once_sent() {
        let mut entry = LogEntry::new("c\"1", 0);
        entry.party = Some("<Dana>".into());
        entry.draft.disposition = "wrong".into();
        entry.draft.notes = "</textarea><script>".into();
        let errors = vec![FieldError {
            field: "notes".into(),
            message: "Notes are <required>".into(),
        }];
        let html = disposition_form(&entry, &codes(), &errors);
        assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;</textarea>"));
        assert!(
            html.contains("<option value=\"wrong\" selected>Wrong &lt;number&gt; (notes required)")
        );
        assert!(html.contains("&lt;Dana&gt;"));
        assert!(html.contains("aria-describedby=\"log-notes-error\" aria-invalid=\"true\""));
        assert!(html.contains("Notes are &lt;required&gt;"));
        assert!(html.contains("type=\"submit\""));
        entry.media = vec!["javascript:alert(1)".into(), "https://rec.example/1".into()];
        let html = disposition_form(&entry, &codes(), &errors);
        assert!(html.contains("href=\"https://rec.example/1\""));
        assert!(!html.contains("javascript:"));
        entry.queue(1);
        let html = disposition_form(&entry, &codes(), &[]);
        assert!(html.contains(" disabled>"));
        assert!(!html.contains("type=\"submit\""));
    }

    #[test]
    fn a_conflict_shows_both_versions() {
        let mut entry = LogEntry::new("c1", 0);
        entry.draft.notes = "mine".into();
        entry.status = LogStatus::Conflict {
            stored: Box::new(crate::domain::call_log::tests::stored(2, "wrong")),
        };
        let html = disposition_form(&entry, &codes(), &[]);
        assert!(html.contains(">mine<") && html.contains(">theirs<"));
        assert!(html.contains("keep-mine") && html.contains("take-stored"));
        assert!(!html.contains("type=\"submit\""));
    }

    #[test]
    fn the_list_says_where_each_log_stands() {
        let mut failed = LogEntry::new("a", 0);
        failed.status = LogStatus::Failed {
            reason: "unknown <contact>".into(),
        };
        let logged = LogEntry {
            status: LogStatus::Logged { version: 1 },
            ..LogEntry::new("b", 1)
        };
        let mut logged = logged;
        logged.saved_by = Some("Ava <Lindqvist>".into());
        let form = disposition_form(&logged, &codes(), &[]);
        assert!(form.contains(
            "<p class=\"log-saved-by\">This log was saved by Ava &lt;Lindqvist&gt;.</p>"
        ));
        let html = calls_list(&[failed, logged], &codes());
        assert!(html.contains("<span class=\"log-saved-by\">saved by Ava &lt;Lindqvist&gt;</span>"));
        let b = html.find("data-call-id=\"b\"").unwrap_or(usize::MAX);
        let a = html.find("data-call-id=\"a\"").unwrap_or(0);
        assert!(b < a, "newest first");
        assert!(html.contains("data-status=\"failed\""));
        assert!(html.contains("Failed: unknown &lt;contact&gt;"));
        assert!(html.contains("log-retry"));
    }
}
