//! The host's answers to contact search and match requests (`zp-contact-search-response`,
//! `zp-contact-match-response`), read tolerantly because their shape is unverified (contract §2.5).
//!
//! The request id may come back as `data.requestId` or `data.responseId`. A contact's name may sit
//! in `displayName` or `name`, its number in `number`, `phoneNumber` or `phoneNumbers[]` (strings,
//! or objects with `number` / `phoneNumber`). Anything else is skipped and logged, never refused.

use serde_json::Value;

/// One contact of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// `displayName`, else `name`; `None` when neither is a non-empty string.
    pub name: Option<String>,
    /// Every number found on the contact.
    pub numbers: Vec<String>,
}

/// A contact search or match response, as far as it could be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactResponse {
    /// The ids it echoes (`requestId`, `responseId`).
    pub ids: Vec<String>,
    /// Its contacts, in order.
    pub contacts: Vec<Contact>,
}

impl ContactResponse {
    /// Reads the `data` of a response; never fails, whatever the shape.
    pub fn from_data(data: &Value) -> Self {
        let ids = ["requestId", "responseId"]
            .iter()
            .filter_map(|key| data.get(key).and_then(id_text))
            .collect();
        let contacts = match data.get("contacts") {
            Some(Value::Array(items)) => items.iter().filter_map(contact).collect(),
            Some(other) => {
                tracing::warn!(contacts = %other, "contact response: contacts is not an array");
                Vec::new()
            }
            None => Vec::new(),
        };
        Self { ids, contacts }
    }

    /// `true` when it echoes `request_id`.
    pub fn echoes(&self, request_id: &str) -> bool {
        self.ids.iter().any(|id| id == request_id)
    }

    /// The name to show for `number`: the first named contact carrying that number (compared
    /// digit by digit), else the first named contact; `None` when no contact has a name.
    pub fn name_for(&self, number: &str) -> Option<String> {
        let wanted = digits(number);
        let named = || self.contacts.iter().filter(|c| c.name.is_some());
        named()
            .find(|c| {
                c.numbers
                    .iter()
                    .any(|n| !wanted.is_empty() && digits(n) == wanted)
            })
            .or_else(|| named().next())
            .and_then(|c| c.name.clone())
    }

    /// One line per contact for a search result list: its name, else its first number.
    pub fn labels(&self) -> Vec<String> {
        self.contacts
            .iter()
            .filter_map(|c| c.name.clone().or_else(|| c.numbers.first().cloned()))
            .collect()
    }
}

/// An id as text: a string, or a number (some hosts echo numeric ids).
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn contact(item: &Value) -> Option<Contact> {
    let Value::Object(fields) = item else {
        tracing::warn!(contact = %item, "contact response: a contact is not an object; skipped");
        return None;
    };
    let name = ["displayName", "name"]
        .iter()
        .filter_map(|key| fields.get(*key).and_then(Value::as_str))
        .map(str::trim)
        .find(|name| !name.is_empty())
        .map(str::to_owned);
    let mut numbers: Vec<String> = ["number", "phoneNumber"]
        .iter()
        .filter_map(|key| fields.get(*key).and_then(non_empty))
        .collect();
    if let Some(Value::Array(list)) = fields.get("phoneNumbers") {
        numbers.extend(list.iter().filter_map(listed_number));
    }
    if name.is_none() && numbers.is_empty() {
        tracing::warn!(contact = %item, "contact response: a contact has no name and no number; skipped");
        return None;
    }
    Some(Contact { name, numbers })
}

/// An entry of `phoneNumbers[]`: a string, or an object with `phoneNumber` / `number`.
fn listed_number(entry: &Value) -> Option<String> {
    match entry {
        Value::Object(fields) => ["phoneNumber", "number"]
            .iter()
            .find_map(|key| fields.get(*key).and_then(non_empty)),
        other => non_empty(other),
    }
}

fn non_empty(value: &Value) -> Option<String> {
    value
        .as_str()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

fn digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_fixture_shape() {
        let response = ContactResponse::from_data(&json!({
            "requestId": "match-1",
            "contacts": [{"displayName": "Dana Whitfield (Acme)", "number": "+14155550123"}]
        }));
        assert!(response.echoes("match-1"));
        assert!(!response.echoes("match-2"));
        assert_eq!(
            response.name_for("+14155550123").as_deref(),
            Some("Dana Whitfield (Acme)")
        );
        assert_eq!(response.labels(), ["Dana Whitfield (Acme)"]);
    }

    #[test]
    fn accepts_every_documented_spelling() {
        let response = ContactResponse::from_data(&json!({
            "responseId": "r-7",
            "requestId": 7,
            "contacts": [
                {"name": "Other Person", "phoneNumber": "+12125550100"},
                {"name": "  ", "displayName": "Dana W", "phoneNumbers": ["+1 (415) 555-0123"]},
                {"name": "Pat", "phoneNumbers": [{"phoneNumber": "+3"}, {"number": "+4"}, 5]},
                {"number": "+15550000000"},
                "not a contact",
                {"note": "nothing useful"}
            ]
        }));
        assert!(response.echoes("r-7") && response.echoes("7"));
        assert_eq!(response.contacts.len(), 4);
        assert_eq!(response.name_for("+14155550123").as_deref(), Some("Dana W"));
        assert_eq!(
            response.name_for("+19999999999").as_deref(),
            Some("Other Person")
        );
        assert_eq!(response.contacts[2].numbers, ["+3", "+4"]);
        assert_eq!(
            response.labels(),
            ["Other Person", "Dana W", "Pat", "+15550000000"]
        );
    }

    #[test]
    fn anything_else_reads_as_an_empty_response() {
        for data in [
            json!(null),
            json!([]),
            json!("x"),
            json!({"requestId": {"a": 1}, "contacts": {"a": 1}}),
            json!({"contacts": [{"number": "+1"}]}),
        ] {
            let response = ContactResponse::from_data(&data);
            assert!(response.ids.is_empty(), "{data}");
            assert_eq!(response.name_for("+1"), None, "{data}");
        }
    }
}
