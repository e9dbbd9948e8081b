//! Commands the host posts to the Smart Embed (contract §2).

use dialdesk_contract::{DispositionCode, InitConfigFlags};
use serde_json::Value;

use crate::domain::wire::{object, ToJson};

/// Type of a custom notes page field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteFieldType {
    /// A drop-down of [`SelectOption`]s.
    Select,
    /// Free text.
    Text,
}

/// One option of a `select` note field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectOption {
    /// Shown to the user.
    pub label: String,
    /// Returned in `notesData`.
    pub value: String,
}

/// One field of `notePageConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteField {
    /// Label, and the key of the value in `notesData`.
    pub field_name: String,
    /// `select` or `text`.
    pub field_type: NoteFieldType,
    /// Placeholder text.
    pub placeholder: String,
    /// Options, for `select` fields only (not sent when empty).
    pub select_options: Vec<SelectOption>,
}

/// `zp-init-config` data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitConfig {
    /// The four booleans, sent beside the notes page.
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedContact {
    /// Name shown by the embed.
    pub display_name: String,
    /// E.164 number.
    pub number: String,
}

/// One command to the embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedCommand {
    /// `zp-init-config`
    InitConfig(InitConfig),
    /// `zp-make-call`
    MakeCall {
        /// Number to dial (E.164).
        number: String,
        /// Caller ID to present.
        caller_id: Option<String>,
        /// Dial at once rather than pre-fill.
        auto_dial: bool,
    },
    /// `zp-input-sms`
    InputSms {
        /// Recipient.
        number: String,
    },
    /// `zp-contact-search-response`
    ContactSearchResponse {
        /// The event's `requestId`.
        request_id: String,
        /// Matches.
        contacts: Vec<MatchedContact>,
    },
    /// `zp-contact-match-response`
    ContactMatchResponse {
        /// The event's `requestId`.
        request_id: String,
        /// Matches.
        contacts: Vec<MatchedContact>,
    },
}

impl EmbedCommand {
    /// The wire `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InitConfig(_) => "zp-init-config",
            Self::MakeCall { .. } => "zp-make-call",
            Self::InputSms { .. } => "zp-input-sms",
            Self::ContactSearchResponse { .. } => "zp-contact-search-response",
            Self::ContactMatchResponse { .. } => "zp-contact-match-response",
        }
    }

    /// The `{type, data}` envelope as JSON. Responses carry the request id under both
    /// `requestId` and `responseId` (contract §2.5).
    pub fn to_envelope(&self) -> Value {
        let data = match self {
            Self::InitConfig(config) => config.to_json(),
            Self::MakeCall {
                number,
                caller_id,
                auto_dial,
            } => {
                let mut data = vec![
                    ("number", number.clone().into()),
                    ("autoDial", (*auto_dial).into()),
                ];
                if let Some(caller_id) = caller_id {
                    data.push(("callerId", caller_id.clone().into()));
                }
                object(data)
            }
            Self::InputSms { number } => object(vec![("number", number.clone().into())]),
            Self::ContactSearchResponse {
                request_id,
                contacts,
            }
            | Self::ContactMatchResponse {
                request_id,
                contacts,
            } => object(vec![
                ("requestId", request_id.clone().into()),
                ("responseId", request_id.clone().into()),
                (
                    "contacts",
                    Value::Array(contacts.iter().map(ToJson::to_json).collect()),
                ),
            ]),
        };
        object(vec![("type", self.kind().into()), ("data", data)])
    }
}

impl ToJson for InitConfig {
    fn to_json(&self) -> Value {
        let flags = &self.flags;
        object(vec![
            ("enableSavingLog", flags.enable_saving_log.into()),
            ("enableAutoLog", flags.enable_auto_log.into()),
            (
                "enableContactSearching",
                flags.enable_contact_searching.into(),
            ),
            (
                "enableContactMatching",
                flags.enable_contact_matching.into(),
            ),
            (
                "notePageConfiguration",
                Value::Array(
                    self.note_page_configuration
                        .iter()
                        .map(ToJson::to_json)
                        .collect(),
                ),
            ),
        ])
    }
}

impl ToJson for NoteField {
    fn to_json(&self) -> Value {
        let kind = match self.field_type {
            NoteFieldType::Select => "select",
            NoteFieldType::Text => "text",
        };
        let mut fields = vec![
            ("fieldName", self.field_name.clone().into()),
            ("fieldType", kind.into()),
            ("placeholder", self.placeholder.clone().into()),
        ];
        if !self.select_options.is_empty() {
            let options = self
                .select_options
                .iter()
                .map(|o| {
                    object(vec![
                        ("label", o.label.clone().into()),
                        ("value", o.value.clone().into()),
                    ])
                })
                .collect();
            fields.push(("selectOptions", Value::Array(options)));
        }
        object(fields)
    }
}

impl ToJson for MatchedContact {
    fn to_json(&self) -> Value {
        object(vec![
            ("displayName", self.display_name.clone().into()),
            ("number", self.number.clone().into()),
        ])
    }
}
