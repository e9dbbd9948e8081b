//! Commands the host posts to the Smart Embed (contract §2).

use dialdesk_contract::{DispositionCode, InitConfigFlags};
use serde::Serialize;
use serde_json::Value;

/// Type of a custom notes page field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteFieldType {
    /// A drop-down of [`SelectOption`]s.
    Select,
    /// Free text.
    Text,
}

/// One option of a `select` note field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelectOption {
    /// Shown to the user.
    pub label: String,
    /// Returned in `notesData`.
    pub value: String,
}

/// One field of `notePageConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteField {
    /// Label, and the key of the value in `notesData`.
    pub field_name: String,
    /// `select` or `text`.
    pub field_type: NoteFieldType,
    /// Placeholder text.
    pub placeholder: String,
    /// Options, for `select` fields only (not sent when empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub select_options: Vec<SelectOption>,
}

/// `zp-init-config` data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InitConfig {
    /// The four booleans, sent beside the notes page.
    #[serde(flatten)]
    pub flags: InitConfigFlags,
    /// The embed's own notes page.
    pub note_page_configuration: Vec<NoteField>,
}

/// Key of the disposition field in the embed's notes page.
pub const DISPOSITION_FIELD: &str = "Disposition";
/// Key of the free-text field in the embed's notes page.
pub const NOTES_FIELD: &str = "Notes";

impl InitConfig {
    /// Builds the init config from the configured flags and disposition codes:
    /// a `Disposition` select with every code, and a `Notes` text field.
    pub fn new(flags: InitConfigFlags, dispositions: &[DispositionCode]) -> Self {
        let options = dispositions
            .iter()
            .map(|d| SelectOption {
                label: d.label.clone(),
                value: d.value.clone(),
            })
            .collect();
        Self {
            flags,
            note_page_configuration: vec![
                NoteField {
                    field_name: DISPOSITION_FIELD.into(),
                    field_type: NoteFieldType::Select,
                    placeholder: "Choose an outcome".into(),
                    select_options: options,
                },
                NoteField {
                    field_name: NOTES_FIELD.into(),
                    field_type: NoteFieldType::Text,
                    placeholder: "What happened?".into(),
                    select_options: Vec::new(),
                },
            ],
        }
    }
}

/// A contact in a search or match response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchedContact {
    /// Name shown by the embed.
    pub display_name: String,
    /// E.164 number.
    pub number: String,
}

/// The answer to a contact search or match request. The request id goes back under
/// both `requestId` and `responseId` (contract §2.5): build it with
/// [`ContactResponse::to`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactResponse {
    /// The event's `requestId`.
    pub request_id: String,
    /// The same id again.
    pub response_id: String,
    /// Matches.
    pub contacts: Vec<MatchedContact>,
}

impl ContactResponse {
    /// The answer to request `request_id`.
    pub fn to(request_id: String, contacts: Vec<MatchedContact>) -> Self {
        Self {
            response_id: request_id.clone(),
            request_id,
            contacts,
        }
    }
}

/// One command to the embed, serialised as its `{type, data}` envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "data")]
pub enum EmbedCommand {
    /// `zp-init-config`
    #[serde(rename = "zp-init-config")]
    InitConfig(InitConfig),
    /// `zp-make-call`
    #[serde(rename = "zp-make-call", rename_all = "camelCase")]
    MakeCall {
        /// Number to dial (E.164).
        number: String,
        /// Caller ID to present.
        #[serde(skip_serializing_if = "Option::is_none")]
        caller_id: Option<String>,
        /// Dial at once rather than pre-fill.
        auto_dial: bool,
    },
    /// `zp-input-sms`
    #[serde(rename = "zp-input-sms")]
    InputSms {
        /// Recipient.
        number: String,
    },
    /// `zp-contact-search-response`
    #[serde(rename = "zp-contact-search-response")]
    ContactSearchResponse(ContactResponse),
    /// `zp-contact-match-response`
    #[serde(rename = "zp-contact-match-response")]
    ContactMatchResponse(ContactResponse),
}

impl EmbedCommand {
    /// The wire `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InitConfig(_) => "zp-init-config",
            Self::MakeCall { .. } => "zp-make-call",
            Self::InputSms { .. } => "zp-input-sms",
            Self::ContactSearchResponse(_) => "zp-contact-search-response",
            Self::ContactMatchResponse(_) => "zp-contact-match-response",
        }
    }

    /// The `{type, data}` envelope as JSON (what the browser posts, as a plain object).
    pub fn to_envelope(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}
