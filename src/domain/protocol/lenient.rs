//! Field readers for the parts of Smart Embed payloads the contract marks unverified:
//! numbers that arrive as strings or as JSON numbers, counts that arrive as floats or
//! text, and number lists in two shapes. Used through `#[serde(deserialize_with)]`;
//! anything else still fails with a reason.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A string, or a number kept as its text (extension numbers arrive as both);
/// missing or `null` is absent.
pub fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(Value::Number(number)) => Ok(Some(number.to_string())),
        Some(other) => Err(D::Error::custom(format!(
            "expected a string or number, got {}",
            kind(&other)
        ))),
    }
}

/// A non-negative integer, a float (truncated) or a numeric string; missing or `null`
/// is absent.
pub fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let Some(value) = Option::<Value>::deserialize(deserializer)?.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let parsed = match &value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0 && *f < u64::MAX as f64)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    parsed.map(Some).ok_or_else(|| {
        D::Error::custom(format!(
            "expected a non-negative number, got {}",
            kind(&value)
        ))
    })
}

/// One number of a match request: a string, or an object carrying it.
#[derive(Deserialize)]
#[serde(untagged)]
enum NumberForm {
    Text(String),
    Object {
        #[serde(rename = "phoneNumber")]
        phone_number: Option<String>,
        number: Option<String>,
    },
}

/// Numbers as strings, or as objects carrying `phoneNumber` or `number`.
pub fn numbers<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let forms = Option::<Vec<NumberForm>>::deserialize(deserializer)?.unwrap_or_default();
    forms
        .into_iter()
        .map(|form| match form {
            NumberForm::Text(text) => Ok(text),
            NumberForm::Object {
                phone_number,
                number,
            } => phone_number
                .or(number)
                .ok_or_else(|| D::Error::custom("phone number object without a number")),
        })
        .collect()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Sample {
        #[serde(default, deserialize_with = "text")]
        text: Option<String>,
        #[serde(default, deserialize_with = "count")]
        count: Option<u64>,
        #[serde(default, deserialize_with = "numbers")]
        numbers: Vec<String>,
    }

    fn read(value: Value) -> Result<Sample, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_and_counts_are_read_in_every_spelling() {
        let sample = read(
            json!({ "text": 800, "count": "61", "numbers": ["+1", { "number": "+2" },
            { "phoneNumber": "+3" }] }),
        )
        .expect("lenient");
        assert_eq!(sample.text.as_deref(), Some("800"));
        assert_eq!(sample.count, Some(61));
        assert_eq!(sample.numbers, ["+1", "+2", "+3"]);
        assert_eq!(
            read(json!({ "count": 61.9 })).map(|s| s.count),
            Ok(Some(61))
        );
        assert_eq!(
            read(json!({ "text": null, "count": null, "numbers": null })),
            Ok(Sample {
                text: None,
                count: None,
                numbers: Vec::new()
            })
        );
    }

    #[test]
    fn other_shapes_are_refused_with_a_reason() {
        assert!(read(json!({ "text": [] }))
            .is_err_and(|e| e.contains("expected a string or number, got an array")));
        assert!(read(json!({ "count": -1 })).is_err());
        assert!(read(json!({ "count": "soon" })).is_err());
        assert!(read(json!({ "numbers": [{ "name": "x" }] })).is_err());
        assert!(read(json!({ "numbers": [7] })).is_err());
        assert!(read(json!({ "numbers": "+1" })).is_err());
    }
}
