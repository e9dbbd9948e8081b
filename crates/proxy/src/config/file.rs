//! The structured settings file (`dialdesk.toml`) as written by the admin, with
//! every default. `dialdesk.example.toml` at the repository root documents it.

use dialdesk_contract::{AuthMode, DispositionGroup, EmbedLoader, GuardMode};
use serde::Deserialize;

/// The Smart Embed page dialdesk loads unless told otherwise (contract §1.1).
pub const DEFAULT_EMBED_URL: &str =
    "https://applications.zoom.us/integration/phone/embeddablephone/home";

/// The whole file. Unknown keys are refused, so typos do not pass in silence.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FileConfig {
    /// `none` or `zoom`.
    pub auth: AuthMode,
    /// Serve `auth = "none"` on an address other machines can reach (off: a
    /// gateway in front must then authenticate everyone).
    pub allow_unauthenticated_remote: bool,
    /// ISO 3166 region used for numbers written without a country code.
    pub default_region: String,
    /// Show phone numbers by their last four digits only in diagnostics.
    pub redact_numbers: bool,
    /// `[embed]`.
    pub embed: EmbedSection,
    /// `[init_config]`.
    pub init_config: InitConfigSection,
    /// `[[dispositions]]`; a file that lists any replaces the defaults.
    pub dispositions: Vec<DispositionEntry>,
    /// `[[caller_ids]]`; a file that lists any replaces the default.
    pub caller_ids: Vec<CallerIdEntry>,
    /// `[guard]`.
    pub guard: GuardSection,
    /// `[wrap_up]`.
    pub wrap_up: WrapUpSection,
    /// `[bridge]`.
    pub bridge: BridgeSection,
    /// `[outbox]`.
    pub outbox: OutboxSection,
    /// `[import]`.
    pub import: ImportSection,
    /// `[roles]`.
    pub roles: RolesSection,
    /// `[[teams]]`.
    pub teams: Vec<TeamEntry>,
    /// `[zoom]`.
    pub zoom: ZoomSection,
    /// `[retention]`.
    pub retention: RetentionSection,
    /// `[limits]`.
    pub limits: LimitsSection,
}

/// `[limits]`: how long a request may take.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsSection {
    /// Seconds a request may take before it is answered 503 (uploads and recording
    /// streams excepted).
    pub request_timeout_secs: u32,
    /// Sign-ins a client address may start per minute.
    pub sign_ins_per_minute: u32,
    /// `/api` requests a signed-in session may make per minute.
    pub api_requests_per_minute: u32,
    /// Peers whose `X-Forwarded-For` is believed (reverse proxies in front).
    pub trusted_proxies: Vec<String>,
}

impl Default for LimitsSection {
    fn default() -> Self {
        Self {
            request_timeout_secs: super::DEFAULT_REQUEST_TIMEOUT_SECS,
            sign_ins_per_minute: super::DEFAULT_SIGN_INS_PER_MINUTE,
            api_requests_per_minute: super::DEFAULT_API_REQUESTS_PER_MINUTE,
            trusted_proxies: Vec::new(),
        }
    }
}

/// `[roles]`: who is an admin or a supervisor, by Zoom e-mail or user id; everyone
/// else signed in is a rep.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RolesSection {
    /// Admins.
    pub admins: Vec<String>,
    /// Supervisors.
    pub supervisors: Vec<String>,
}

/// `[zoom]`: which Zoom accounts this dialdesk serves (the apps' credentials come
/// from the environment).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ZoomSection {
    /// Zoom account ids whose users may sign in; empty: the server-to-server app's
    /// account, or none without one.
    pub allowed_account_ids: Vec<String>,
}

/// `[retention]`: days each kind of record is kept; 0 keeps it for ever.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionSection {
    /// Call journal events.
    pub journal_days: u32,
    /// Audit log rows.
    pub audit_days: u32,
    /// Phone numbers, notes and custom fields of saved call logs.
    pub log_details_days: u32,
}

/// One `[[teams]]` entry: a team's supervisors oversee its members' calls and logs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamEntry {
    /// The team's name.
    pub name: String,
    /// Who oversees it, by Zoom e-mail or user id.
    #[serde(default)]
    pub supervisors: Vec<String>,
    /// Its reps, by Zoom e-mail or user id.
    #[serde(default)]
    pub members: Vec<String>,
}

impl Default for FileConfig {
    fn default() -> Self {
        Self {
            auth: AuthMode::None,
            allow_unauthenticated_remote: false,
            default_region: "US".to_owned(),
            redact_numbers: true,
            embed: EmbedSection::default(),
            init_config: InitConfigSection::default(),
            dispositions: default_dispositions(),
            caller_ids: vec![CallerIdEntry {
                label: "Main line".to_owned(),
                number: "+14155550199".to_owned(),
            }],
            guard: GuardSection::default(),
            wrap_up: WrapUpSection::default(),
            bridge: BridgeSection::default(),
            outbox: OutboxSection::default(),
            import: ImportSection::default(),
            roles: RolesSection::default(),
            teams: Vec::new(),
            zoom: ZoomSection::default(),
            retention: RetentionSection::default(),
            limits: LimitsSection::default(),
        }
    }
}

/// Zoom's Smart Embed loader script (contract §1.2).
pub const DEFAULT_SDK_URL: &str =
    "https://vaapplicationscontent.zoom.us/phoneSdk/static/smart-embed/js/sdk.js";

/// `[embed]`: where the Smart Embed comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmbedSection {
    /// The iframe `src`.
    pub url: String,
    /// The origin whose messages are accepted; `None` means the origin of `url`.
    pub origin: Option<String>,
    /// `iframe` (the app renders it) or `sdk` (Zoom's loader script does).
    pub loader: EmbedLoader,
    /// The loader script, used in `sdk` mode.
    pub sdk_url: String,
}

impl Default for EmbedSection {
    fn default() -> Self {
        Self {
            url: DEFAULT_EMBED_URL.to_owned(),
            origin: None,
            loader: EmbedLoader::Iframe,
            sdk_url: DEFAULT_SDK_URL.to_owned(),
        }
    }
}

/// `[init_config]`: the flags of `zp-init-config`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InitConfigSection {
    /// `enableSavingLog`.
    pub enable_saving_log: bool,
    /// `enableAutoLog`.
    pub enable_auto_log: bool,
    /// `enableContactSearching`.
    pub enable_contact_searching: bool,
    /// `enableContactMatching`.
    pub enable_contact_matching: bool,
}

impl Default for InitConfigSection {
    fn default() -> Self {
        Self {
            enable_saving_log: true,
            enable_auto_log: true,
            enable_contact_searching: true,
            enable_contact_matching: true,
        }
    }
}

/// One `[[dispositions]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispositionEntry {
    /// Shown to the agent.
    pub label: String,
    /// Stored and sent to the embed.
    pub value: String,
    /// `connected` or `not_connected`.
    pub group: DispositionGroup,
    /// Whether notes must be filled before saving.
    #[serde(default)]
    pub notes_required: bool,
}

/// One `[[caller_ids]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallerIdEntry {
    /// Shown in the picker.
    pub label: String,
    /// E.164 number or extension.
    pub number: String,
}

/// `[guard]`: the call guard.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GuardSection {
    /// `block` or `confirm`.
    pub mode: GuardMode,
    /// `HH:MM-HH:MM`, the contact's local time.
    pub calling_window: String,
}

impl Default for GuardSection {
    fn default() -> Self {
        Self {
            mode: GuardMode::Confirm,
            calling_window: "08:00-21:00".to_owned(),
        }
    }
}

/// `[wrap_up]`: after-call work.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WrapUpSection {
    /// Seconds of wrap-up time after a call; 0 turns the timer off.
    pub seconds: u32,
    /// Disposition value applied when wrap-up ends without a choice.
    pub default_code: String,
}

impl Default for WrapUpSection {
    fn default() -> Self {
        Self {
            seconds: 0,
            default_code: "no_answer".to_owned(),
        }
    }
}

/// `[bridge]`: how long the app waits for the Smart Embed.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BridgeSection {
    /// Milliseconds a command may wait for the embed to load before it is dropped and
    /// reported on the row that asked for it.
    pub command_ttl_ms: u32,
    /// Milliseconds after a call command with no ringing event before the row says the
    /// softphone did not answer.
    pub ring_timeout_ms: u32,
}

impl Default for BridgeSection {
    fn default() -> Self {
        let timings = dialdesk_contract::BridgeTimings::default();
        Self {
            command_ttl_ms: timings.command_ttl_ms,
            ring_timeout_ms: timings.ring_timeout_ms,
        }
    }
}

/// `[outbox]`: how the app retries call-log saves that failed in transit.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboxSection {
    /// Milliseconds before the first retry.
    pub first_retry_ms: u32,
    /// Longest delay between retries, in milliseconds.
    pub max_retry_ms: u32,
}

impl Default for OutboxSection {
    fn default() -> Self {
        let settings = dialdesk_contract::CallLogSettings::default();
        Self {
            first_retry_ms: settings.retry_first_ms,
            max_retry_ms: settings.retry_max_ms,
        }
    }
}

/// `[import]`: CSV uploads.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImportSection {
    /// Largest CSV file `POST /api/imports` accepts, in MB (MiB).
    pub max_upload_mb: u32,
}

impl Default for ImportSection {
    fn default() -> Self {
        Self {
            max_upload_mb: super::DEFAULT_MAX_UPLOAD_MB,
        }
    }
}

fn default_dispositions() -> Vec<DispositionEntry> {
    use DispositionGroup::{Connected, NotConnected};
    let entry = |label: &str, value: &str, group, notes_required| DispositionEntry {
        label: label.to_owned(),
        value: value.to_owned(),
        group,
        notes_required,
    };
    vec![
        entry("Interested", "interested", Connected, false),
        entry("Not interested", "not_interested", Connected, false),
        entry("Call back later", "call_back_later", Connected, false),
        entry("Left voicemail", "left_voicemail", NotConnected, false),
        entry("No answer", "no_answer", NotConnected, false),
        entry("Wrong number", "wrong_number", NotConnected, true),
    ]
}
