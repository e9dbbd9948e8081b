//! The dialogs' forms as HTML text. Leptos view code costs about 0.7 KB of wasm per
//! dynamic element; the two forms would cost 25 KB of the 200 KB budget (README,
//! Benchmarks), so they are written once as markup and wired by event delegation.
//! Every value from outside passes through [`escape`].

use dialdesk_contract::{ContactDraft, NumberDraft};

/// `text` safe inside an element or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The contact form's text fields: wire name, label.
const TEXT_FIELDS: [(&str, &str); 5] = [
    ("name", "Name"),
    ("company", "Company"),
    ("title", "Title"),
    ("email", "E-mail"),
    (
        "timeZone",
        "Time zone (IANA, e.g. Europe/Paris; blank: from the number)",
    ),
];

/// The contact form, holding `draft`.
pub fn editor_form(heading: &str, draft: &ContactDraft) -> String {
    let values = [
        Some(draft.name.as_str()),
        draft.company.as_deref(),
        draft.title.as_deref(),
        draft.email.as_deref(),
        draft.time_zone.as_deref(),
    ];
    let mut html = format!(
        "<form novalidate><h2 id=\"contact-editor-title\">{}</h2>\
         <p class=\"form-summary\" role=\"alert\"></p>",
        escape(heading)
    );
    for ((name, label), value) in TEXT_FIELDS.iter().zip(values) {
        html.push_str(&format!(
            "<div class=\"field\"><label for=\"contact-{name}\">{label}</label>\
             <input id=\"contact-{name}\" type=\"text\" value=\"{}\" \
             aria-describedby=\"contact-{name}-error\">\
             <span class=\"field-error\" id=\"contact-{name}-error\"></span></div>",
            escape(value.unwrap_or_default())
        ));
    }
    html.push_str(
        "<fieldset class=\"numbers\"><legend>Phone numbers</legend><div class=\"number-rows\">",
    );
    for (index, number) in draft.numbers.iter().enumerate() {
        html.push_str(&number_row(index, number));
    }
    html.push_str(
        "</div><span class=\"field-error\" id=\"contact-numbers-error\"></span>\
         <button type=\"button\" class=\"add-number\">Add number</button></fieldset>\
         <div class=\"form-actions\"><button type=\"button\" class=\"cancel\">Cancel</button>\
         <button type=\"submit\" class=\"primary\">Save</button></div></form>",
    );
    html
}

/// One number of the contact form; `key` only makes its ids unique.
pub fn number_row(key: usize, number: &NumberDraft) -> String {
    let checked = if number.do_not_call { " checked" } else { "" };
    format!(
        "<div class=\"number-row\">\
         <input class=\"number-label\" type=\"text\" value=\"{label}\" aria-label=\"Label\">\
         <input class=\"number-raw\" id=\"contact-number-{key}\" type=\"tel\" value=\"{raw}\" \
         aria-label=\"Phone number\" aria-describedby=\"contact-number-{key}-error\">\
         <label class=\"dnc-toggle\"><input type=\"checkbox\" class=\"number-dnc\"{checked}>\
         Do not call</label>\
         <button type=\"button\" class=\"remove-number\">Remove</button>\
         <span class=\"field-error\" id=\"contact-number-{key}-error\"></span></div>",
        label = escape(&number.label),
        raw = escape(&number.raw),
    )
}

/// The import form; its parts are updated by id.
pub const IMPORT_FORM: &str = "<h2 id=\"import-title\">Import contacts from CSV</h2>\
    <p class=\"hint\">Columns are matched by header: name (or first and last name), company, \
    title, e-mail, time zone, one or more phone columns, external id, do not call.</p>\
    <div class=\"field\"><label for=\"import-file\">CSV file</label>\
    <input id=\"import-file\" type=\"file\" accept=\".csv,text/csv\"></div>\
    <progress id=\"import-progress\" hidden></progress>\
    <p class=\"import-status\" id=\"import-status\" role=\"status\"></p>\
    <p class=\"form-summary\" id=\"import-failure\" role=\"alert\"></p>\
    <ul class=\"import-issues\" id=\"import-issues\"></ul>\
    <div class=\"form-actions\"><button type=\"button\" class=\"cancel\">Close</button>\
    <button type=\"button\" id=\"import-start\" class=\"primary\">Import</button></div>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>"x" & 'y'</script>"#),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(escape("Zoë Ådams"), "Zoë Ådams");
    }

    #[test]
    fn the_form_holds_the_draft_escaped() {
        let draft = ContactDraft {
            name: "Ann \"<b>\"".into(),
            email: Some("ann@example.com".into()),
            numbers: vec![NumberDraft {
                label: "work".into(),
                raw: "+1 212 555 0100".into(),
                do_not_call: true,
            }],
            ..ContactDraft::default()
        };
        let html = editor_form("Edit <contact>", &draft);
        assert!(html.contains("Edit &lt;contact&gt;"));
        assert!(html.contains("value=\"Ann &quot;&lt;b&gt;&quot;\""));
        assert!(html.contains("id=\"contact-email\" type=\"text\" value=\"ann@example.com\""));
        assert!(html.contains("id=\"contact-number-0\" type=\"tel\" value=\"+1 212 555 0100\""));
        assert!(html.contains("class=\"number-dnc\" checked"));
        assert!(!html.contains("<b>"));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn escaped_text_cannot_open_a_tag_or_leave_an_attribute(text in "\\PC*") {
            let escaped = escape(&text);
            prop_assert!(!escaped.contains(['<', '>', '"', '\'']));
            prop_assert_eq!(
                escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                    .replace("&#39;", "'").replace("&amp;", "&"),
                text
            );
        }
    }
}
