//! The `{type, data}` envelope that crosses `postMessage`, and the typed commands a host sends.
//!
//! Everything here parses untrusted bytes: every failure is a [`MessageError`] with a reason a
//! test author can act on, never a panic.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use thiserror::Error;

use crate::contacts::ContactResponse;

/// A message as it crosses `postMessage`: a `type` string and any JSON `data`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Envelope {
    /// The message type, e.g. `zp-make-call`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The payload; `null` when the message had none.
    pub data: Value,
}

impl Envelope {
    /// Builds an envelope from a type and a payload.
    pub fn new(kind: &str, data: Value) -> Self {
        Self {
            kind: kind.to_owned(),
            data,
        }
    }
}

/// Why a body or a message was refused.
#[derive(Debug, Error, PartialEq)]
pub enum MessageError {
    /// The body is not JSON at all.
    #[error("body is not valid JSON: {0}")]
    NotJson(String),
    /// The body is JSON, but not an object.
    #[error("body must be a JSON object, got {0}")]
    NotObject(&'static str),
    /// The object has no string `type`.
    #[error("message must have a string \"type\" field")]
    NoType,
    /// A known message type with a payload of the wrong shape.
    #[error("{kind}: {reason}")]
    BadData {
        /// The message type.
        kind: &'static str,
        /// What is wrong with its `data`.
        reason: String,
    },
}

/// Parses a request body that must be one JSON object.
pub fn parse_object(body: &[u8]) -> Result<Map<String, Value>, MessageError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|err| MessageError::NotJson(err.to_string()))?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(MessageError::NotObject(json_kind(&other))),
    }
}

/// Parses a request body holding one `{type, data}` message; a missing `data` becomes `null`.
pub fn parse_envelope(body: &[u8]) -> Result<Envelope, MessageError> {
    envelope_from_object(parse_object(body)?)
}

/// Parses a request body holding one message object with a string `type`, kept as sent
/// (extra fields and a missing `data` included), for fault injection.
pub fn parse_message_object(body: &[u8]) -> Result<Map<String, Value>, MessageError> {
    let map = parse_object(body)?;
    match map.get("type") {
        Some(Value::String(_)) => Ok(map),
        _ => Err(MessageError::NoType),
    }
}

fn envelope_from_object(mut map: Map<String, Value>) -> Result<Envelope, MessageError> {
    let Some(Value::String(kind)) = map.remove("type") else {
        return Err(MessageError::NoType);
    };
    let data = map.remove("data").unwrap_or(Value::Null);
    Ok(Envelope { kind, data })
}

/// The JSON kind of a value, for error messages.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The flags of `zp-init-config`, as received: a flag the host did not send stays `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitFlags {
    /// Lets the user save a call log from the embed (`zp-save-log-event`).
    pub enable_saving_log: Option<bool>,
    /// Emits `zp-call-log-completed-event` when a call completes.
    pub enable_auto_log: Option<bool>,
    /// The embed asks the host to search contacts.
    pub enable_contact_searching: Option<bool>,
    /// The embed asks the host to match numbers to contacts.
    pub enable_contact_matching: Option<bool>,
    /// The custom notes page, kept as sent.
    pub note_page_configuration: Option<Vec<Value>>,
}

/// The payload of `zp-make-call`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MakeCall {
    /// The number to dial.
    pub number: String,
    /// The caller id to present; echoed as the caller's `didNumber`.
    pub caller_id: Option<String>,
    /// `true` dials at once; otherwise the number is only pre-filled.
    pub auto_dial: Option<bool>,
}

/// The payload of `zp-input-sms`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct InputSms {
    /// The number the SMS composer opens to.
    pub number: String,
}

/// A host → embed message the simulator acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `zp-init-config`.
    InitConfig(InitFlags),
    /// `zp-make-call`.
    MakeCall(MakeCall),
    /// `zp-input-sms`.
    InputSms(InputSms),
    /// `zp-contact-match-response`, read tolerantly.
    ContactMatchResponse(ContactResponse),
    /// `zp-contact-search-response`, read tolerantly.
    ContactSearchResponse(ContactResponse),
    /// Any other type: recorded, not acted on.
    Other,
}

impl Command {
    /// Reads the command in an envelope; known types must carry a well-formed `data` object,
    /// except the contact responses, whose shape is unverified and which never fail.
    pub fn from_envelope(envelope: &Envelope) -> Result<Self, MessageError> {
        match envelope.kind.as_str() {
            "zp-init-config" => data_of("zp-init-config", &envelope.data).map(Self::InitConfig),
            "zp-make-call" => {
                let call: MakeCall = data_of("zp-make-call", &envelope.data)?;
                require_number("zp-make-call", &call.number)?;
                Ok(Self::MakeCall(call))
            }
            "zp-input-sms" => {
                let sms: InputSms = data_of("zp-input-sms", &envelope.data)?;
                require_number("zp-input-sms", &sms.number)?;
                Ok(Self::InputSms(sms))
            }
            "zp-contact-match-response" => Ok(Self::ContactMatchResponse(
                ContactResponse::from_data(&envelope.data),
            )),
            "zp-contact-search-response" => Ok(Self::ContactSearchResponse(
                ContactResponse::from_data(&envelope.data),
            )),
            _ => Ok(Self::Other),
        }
    }
}

fn data_of<T: DeserializeOwned>(kind: &'static str, data: &Value) -> Result<T, MessageError> {
    if !data.is_object() {
        return Err(MessageError::BadData {
            kind,
            reason: format!("data must be an object, got {}", json_kind(data)),
        });
    }
    T::deserialize(data).map_err(|err| MessageError::BadData {
        kind,
        reason: format!("data: {err}"),
    })
}

fn require_number(kind: &'static str, number: &str) -> Result<(), MessageError> {
    if number.trim().is_empty() {
        return Err(MessageError::BadData {
            kind,
            reason: "data.number must not be empty".to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fixture(path: &str) -> Vec<u8> {
        let full = format!("{}/{path}", crate::fixtures_dir());
        std::fs::read(&full).unwrap_or_else(|err| panic!("{full}: {err}"))
    }

    #[test]
    fn parses_the_command_fixtures() {
        let init = parse_envelope(&fixture("commands/init-config.json")).expect("init");
        let Command::InitConfig(flags) = Command::from_envelope(&init).expect("typed") else {
            panic!("not init-config");
        };
        assert_eq!(flags.enable_saving_log, Some(true));
        assert_eq!(flags.enable_auto_log, Some(false));
        assert_eq!(flags.note_page_configuration.map(|n| n.len()), Some(2));

        let call = parse_envelope(&fixture("commands/make-call.json")).expect("make-call");
        assert_eq!(
            Command::from_envelope(&call),
            Ok(Command::MakeCall(MakeCall {
                number: "+14155550123".into(),
                caller_id: Some("+14155550199".into()),
                auto_dial: Some(true),
            }))
        );

        let sms = parse_envelope(&fixture("commands/input-sms.json")).expect("sms");
        assert_eq!(
            Command::from_envelope(&sms),
            Ok(Command::InputSms(InputSms {
                number: "+14155550123".into()
            }))
        );

        for (path, want_match) in [
            ("commands/contact-match-response.json", true),
            ("commands/contact-search-response.json", false),
        ] {
            let envelope = parse_envelope(&fixture(path)).expect("response");
            let (response, is_match) = match Command::from_envelope(&envelope) {
                Ok(Command::ContactMatchResponse(response)) => (response, true),
                Ok(Command::ContactSearchResponse(response)) => (response, false),
                other => panic!("{path}: {other:?}"),
            };
            assert_eq!(is_match, want_match, "{path}");
            assert_eq!(response.labels(), ["Dana Whitfield (Acme)"], "{path}");
        }
        let junk = Envelope::new("zp-contact-match-response", Value::Null);
        assert_eq!(
            Command::from_envelope(&junk),
            Ok(Command::ContactMatchResponse(ContactResponse::default()))
        );
    }

    #[test]
    fn refuses_bodies_that_are_not_messages() {
        assert!(matches!(
            parse_envelope(b"{nope"),
            Err(MessageError::NotJson(_))
        ));
        assert_eq!(
            parse_envelope(b"[1]"),
            Err(MessageError::NotObject("an array"))
        );
        assert_eq!(
            parse_envelope(b"\"x\""),
            Err(MessageError::NotObject("a string"))
        );
        assert_eq!(parse_envelope(b"{\"type\":7}"), Err(MessageError::NoType));
        assert_eq!(parse_envelope(b"{}"), Err(MessageError::NoType));
    }

    #[test]
    fn message_objects_are_kept_as_sent() {
        let map = parse_message_object(br#"{"type":"x","extra":1}"#).expect("message");
        assert_eq!(Value::Object(map), json!({"type": "x", "extra": 1}));
        assert_eq!(
            parse_message_object(br#"{"data":{}}"#),
            Err(MessageError::NoType)
        );
        assert_eq!(
            parse_message_object(b"null"),
            Err(MessageError::NotObject("null"))
        );
    }

    #[test]
    fn missing_data_becomes_null() {
        let envelope = parse_envelope(br#"{"type":"zp-end-call"}"#).expect("envelope");
        assert_eq!(envelope, Envelope::new("zp-end-call", Value::Null));
        assert_eq!(Command::from_envelope(&envelope), Ok(Command::Other));
    }

    #[test]
    fn refuses_known_commands_with_bad_data() {
        let cases = [
            json!({"type": "zp-make-call", "data": null}),
            json!({"type": "zp-make-call", "data": {"autoDial": true}}),
            json!({"type": "zp-make-call", "data": {"number": "  "}}),
            json!({"type": "zp-make-call", "data": {"number": "+1", "autoDial": "yes"}}),
            json!({"type": "zp-make-call", "data": {"number": 5}}),
            json!({"type": "zp-input-sms", "data": []}),
            json!({"type": "zp-init-config", "data": {"enableAutoLog": "true"}}),
            json!({"type": "zp-init-config", "data": {"notePageConfiguration": {}}}),
        ];
        for case in cases {
            let body = serde_json::to_vec(&case).expect("json");
            let envelope = parse_envelope(&body).expect("envelope");
            let err = Command::from_envelope(&envelope).expect_err(&case.to_string());
            assert!(matches!(err, MessageError::BadData { .. }), "{case}: {err}");
        }
    }

    #[test]
    fn bad_data_errors_name_the_problem() {
        let envelope = Envelope::new("zp-make-call", json!({"autoDial": true}));
        let err = Command::from_envelope(&envelope).expect_err("no number");
        assert_eq!(
            err.to_string(),
            "zp-make-call: data: missing field `number`"
        );
    }
}
