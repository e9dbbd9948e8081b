//! Checking a [`CallLogDraft`] (the body of `PUT /api/calls/{callId}/log`)
//! and its canonical content: the JSON the stored log is compared with, so
//! that an identical retry is recognised whatever its base version or the
//! order of the keys in `fields`.

use dialdesk_contract::{CallLogDraft, DispositionCode, FieldError};
use serde::Serialize;
use serde_json::{Map, Value};

/// Longest notes, in characters.
pub const MAX_NOTES: usize = 10_000;
/// Most entries in `fields`.
pub const MAX_FIELDS: usize = 100;
/// Largest `fields`, in bytes of JSON.
pub const MAX_FIELDS_BYTES: usize = 64 * 1024;
/// Longest `number` or `result`, in characters.
pub const MAX_SHORT_TEXT: usize = 64;
/// Longest call, in seconds (a week).
pub const MAX_DURATION_SECS: u64 = 7 * 24 * 60 * 60;
/// The values `direction` may take.
pub const DIRECTIONS: [&str; 2] = ["inbound", "outbound"];

/// Checks `draft` against the configured `dispositions`; every invalid field
/// is reported at once, named as on the wire (`disposition`, `notes`,
/// `fields`, `contactId`, `direction`, `number`, `durationSecs`, `result`).
/// Whether `contactId` names a stored contact is checked when the log is
/// written.
pub fn check(
    draft: &CallLogDraft,
    dispositions: &[DispositionCode],
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fail = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.to_owned(),
            message,
        });
    };

    let code = dispositions
        .iter()
        .find(|code| code.value == draft.disposition);
    match code {
        None if draft.disposition.trim().is_empty() => {
            fail("disposition", "choose a disposition".to_owned());
        }
        None => {
            let values: Vec<&str> = dispositions.iter().map(|c| c.value.as_str()).collect();
            fail(
                "disposition",
                format!(
                    "unknown disposition {:?}; use one of: {}",
                    draft.disposition,
                    values.join(", ")
                ),
            );
        }
        Some(code) if code.notes_required && draft.notes.trim().is_empty() => {
            fail("notes", format!("notes are required for “{}”", code.label));
        }
        Some(_) => {}
    }
    if draft.notes.chars().count() > MAX_NOTES {
        fail(
            "notes",
            format!("the notes are longer than {MAX_NOTES} characters"),
        );
    }
    if draft.fields.len() > MAX_FIELDS {
        fail("fields", format!("at most {MAX_FIELDS} fields"));
    } else if canonical_fields(&draft.fields).len() > MAX_FIELDS_BYTES {
        fail(
            "fields",
            format!("the fields are larger than {} KB", MAX_FIELDS_BYTES >> 10),
        );
    }
    if draft.contact_id.is_some_and(|id| id < 1) {
        fail(
            "contactId",
            "a contact id is a whole number, 1 or more".to_owned(),
        );
    }
    if let Some(direction) = &draft.direction {
        if !DIRECTIONS.contains(&direction.as_str()) {
            fail(
                "direction",
                "the direction is inbound or outbound".to_owned(),
            );
        }
    }
    for (field, text) in [("number", &draft.number), ("result", &draft.result)] {
        if text
            .as_deref()
            .is_some_and(|text| text.chars().count() > MAX_SHORT_TEXT)
        {
            fail(
                field,
                format!("the {field} is longer than {MAX_SHORT_TEXT} characters"),
            );
        }
    }
    if draft
        .duration_secs
        .is_some_and(|secs| secs > MAX_DURATION_SECS)
    {
        fail(
            "durationSecs",
            format!("at most {MAX_DURATION_SECS} seconds (a week)"),
        );
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// What a save stores, in a fixed field order: every field of the draft but its
/// base version.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Content<'a> {
    disposition: &'a str,
    notes: &'a str,
    fields: Value,
    contact_id: Option<i64>,
    direction: Option<&'a str>,
    number: Option<&'a str>,
    duration_secs: Option<u64>,
    result: Option<&'a str>,
}

/// The canonical JSON of `draft`'s content (everything but `baseVersion`, the
/// keys of every object in `fields` sorted): two drafts have equal content
/// exactly when these strings are equal.
pub fn content(draft: &CallLogDraft) -> String {
    let content = Content {
        disposition: &draft.disposition,
        notes: &draft.notes,
        fields: sorted_object(&draft.fields),
        contact_id: draft.contact_id,
        direction: draft.direction.as_deref(),
        number: draft.number.as_deref(),
        duration_secs: draft.duration_secs,
        result: draft.result.as_deref(),
    };
    serde_json::to_string(&content).unwrap_or_default()
}

/// The canonical JSON of `fields`: compact, every object's keys sorted.
pub fn canonical_fields(fields: &Map<String, Value>) -> String {
    sorted_object(fields).to_string()
}

/// `fields` with the keys of it and every object inside sorted (whether or
/// not serde_json keeps insertion order).
fn sorted_object(fields: &Map<String, Value>) -> Value {
    let mut entries: Vec<(&String, &Value)> = fields.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    Value::Object(
        entries
            .into_iter()
            .map(|(key, value)| (key.clone(), sorted(value)))
            .collect(),
    )
}

fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(object) => sorted_object(object),
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use dialdesk_contract::DispositionGroup;
    use serde_json::json;

    use super::*;

    fn codes() -> Vec<DispositionCode> {
        let code = |value: &str, notes_required| DispositionCode {
            label: format!("Label of {value}"),
            value: value.to_owned(),
            group: DispositionGroup::Connected,
            notes_required,
        };
        vec![code("interested", false), code("wrong_number", true)]
    }

    fn draft(fields: Value) -> CallLogDraft {
        let Value::Object(fields) = fields else {
            panic!("fields must be an object");
        };
        CallLogDraft {
            base_version: 0,
            disposition: "interested".to_owned(),
            notes: "Call back Tuesday".to_owned(),
            fields,
            contact_id: Some(7),
            direction: Some("inbound".to_owned()),
            number: Some("+14155550100".to_owned()),
            duration_secs: Some(363),
            result: Some("ended".to_owned()),
        }
    }

    fn fields_of(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn key_order_in_fields_does_not_change_the_content() {
        // Parsed from text, so the keys arrive in different orders at every level.
        let one: Value = serde_json::from_str(
            r#"{"Disposition":"interested","Description":"x","nested":{"b":1,"a":[{"z":0,"y":1}]}}"#,
        )
        .unwrap();
        let two: Value = serde_json::from_str(
            r#"{"nested":{"a":[{"y":1,"z":0}],"b":1},"Description":"x","Disposition":"interested"}"#,
        )
        .unwrap();
        assert_eq!(content(&draft(one.clone())), content(&draft(two)));
        assert_eq!(
            canonical_fields(one.as_object().unwrap()),
            r#"{"Description":"x","Disposition":"interested","nested":{"a":[{"y":1,"z":0}],"b":1}}"#
        );
    }

    #[test]
    fn the_base_version_is_not_content_but_every_other_field_is() {
        let base = draft(json!({ "a": 1 }));
        let retry = CallLogDraft {
            base_version: 9,
            ..base.clone()
        };
        assert_eq!(content(&base), content(&retry));
        let changes: [fn(&mut CallLogDraft); 9] = [
            |d| d.disposition = "wrong_number".to_owned(),
            |d| d.notes.push(' '),
            |d| d.fields = json!({ "a": 2 }).as_object().unwrap().clone(),
            |d| d.fields = json!({ "a": 1, "b": null }).as_object().unwrap().clone(),
            |d| d.contact_id = None,
            |d| d.direction = Some("outbound".to_owned()),
            |d| d.number = None,
            |d| d.duration_secs = Some(364),
            |d| d.result = Some("missed".to_owned()),
        ];
        for (index, change) in changes.into_iter().enumerate() {
            let mut changed = base.clone();
            change(&mut changed);
            assert_ne!(content(&base), content(&changed), "change {index}");
        }
        // Array order is content.
        assert_ne!(
            content(&draft(json!({ "a": [1, 2] }))),
            content(&draft(json!({ "a": [2, 1] })))
        );
    }

    #[test]
    fn a_good_draft_passes() {
        assert_eq!(check(&draft(json!({ "a": 1 })), &codes()), Ok(()));
        let bare = CallLogDraft {
            disposition: "interested".to_owned(),
            ..CallLogDraft::default()
        };
        assert_eq!(check(&bare, &codes()), Ok(()));
        let longest = CallLogDraft {
            notes: "é".repeat(MAX_NOTES),
            number: Some("1".repeat(MAX_SHORT_TEXT)),
            duration_secs: Some(MAX_DURATION_SECS),
            ..draft(json!({}))
        };
        assert_eq!(check(&longest, &codes()), Ok(()));
    }

    #[test]
    fn the_disposition_must_be_configured_and_may_require_notes() {
        let unknown = CallLogDraft {
            disposition: "Interested".to_owned(),
            ..draft(json!({}))
        };
        let errors = check(&unknown, &codes()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "disposition");
        assert_eq!(
            errors[0].message,
            "unknown disposition \"Interested\"; use one of: interested, wrong_number"
        );
        let empty = CallLogDraft {
            disposition: String::new(),
            ..draft(json!({}))
        };
        assert_eq!(
            check(&empty, &codes()).unwrap_err()[0].message,
            "choose a disposition"
        );
        for notes in ["", " \n\t"] {
            let blank = CallLogDraft {
                disposition: "wrong_number".to_owned(),
                notes: notes.to_owned(),
                ..draft(json!({}))
            };
            let errors = check(&blank, &codes()).unwrap_err();
            assert_eq!(fields_of(errors.clone()), ["notes"], "{notes:?}");
            assert_eq!(
                errors[0].message,
                "notes are required for “Label of wrong_number”"
            );
        }
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let many: Map<String, Value> = (0..=MAX_FIELDS)
            .map(|i| (format!("k{i}"), Value::Null))
            .collect();
        let bad = CallLogDraft {
            base_version: 0,
            disposition: "nope".to_owned(),
            notes: "x".repeat(MAX_NOTES + 1),
            fields: many,
            contact_id: Some(0),
            direction: Some("sideways".to_owned()),
            number: Some("1".repeat(MAX_SHORT_TEXT + 1)),
            duration_secs: Some(MAX_DURATION_SECS + 1),
            result: Some("r".repeat(MAX_SHORT_TEXT + 1)),
        };
        assert_eq!(
            fields_of(check(&bad, &codes()).unwrap_err()),
            [
                "disposition",
                "notes",
                "fields",
                "contactId",
                "direction",
                "number",
                "result",
                "durationSecs"
            ]
        );
        let big = draft(json!({ "big": "x".repeat(MAX_FIELDS_BYTES) }));
        let errors = check(&big, &codes()).unwrap_err();
        assert_eq!(fields_of(errors.clone()), ["fields"]);
        assert_eq!(errors[0].message, "the fields are larger than 64 KB");
    }
}
