//! Configuration: structured settings from `dialdesk.toml`, process settings and
//! secrets from the environment, validated once at start.

mod env;
mod file;
mod origin;
mod report;
mod roles;
mod secret;
mod window;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use dialdesk_contract::{
    AppConfig, AuthMode, BridgeTimings, CallLogSettings, CallerId, DispositionCode, EmbedLoader,
    EmbedSettings, GuardMode, GuardSettings, InitConfigFlags,
};
use url::Url;

use crate::phone::{self, Region};

pub use env::Env;
use file::FileConfig;
pub use file::DEFAULT_EMBED_URL;
pub use origin::{parse_http_url, Origin, OriginError};
pub use report::ConfigReport;
pub use roles::{Oversight, Person, Roles, RolesError, Team};
pub use secret::{Secret, Secrets};
pub use window::{CallingWindow, WindowError};

/// Settings file read when `DIALDESK_CONFIG` is not set.
pub const DEFAULT_CONFIG_PATH: &str = "./dialdesk.toml";
/// Listen address when neither `--listen` nor `DIALDESK_LISTEN` is given.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Database file when `DIALDESK_DB` is not set.
pub const DEFAULT_DB_PATH: &str = "./data/dialdesk.db";
/// Built app folder when `DIALDESK_DIST` is not set.
pub const DEFAULT_DIST_DIR: &str = "./dist";
/// Longest wrap-up time accepted, in seconds.
pub const MAX_WRAP_UP_SECONDS: u32 = 3600;
/// Largest CSV upload when `[import] max_upload_mb` is not set, in MB.
pub const DEFAULT_MAX_UPLOAD_MB: u32 = 50;
/// Sign-ins a client address may start per minute when `[limits]
/// sign_ins_per_minute` is not set.
pub const DEFAULT_SIGN_INS_PER_MINUTE: u32 = 20;
/// `/api` requests a signed-in session may make per minute when `[limits]
/// api_requests_per_minute` is not set.
pub const DEFAULT_API_REQUESTS_PER_MINUTE: u32 = 600;
/// Seconds a request may take when `[limits] request_timeout_secs` is not set.
pub const DEFAULT_REQUEST_TIMEOUT_SECS: u32 = 30;
/// Bounds of `[limits] request_timeout_secs`: above the database's five-second
/// busy wait, so a request waiting for the database is answered by the database's
/// own 503 first, and at most ten minutes.
pub const REQUEST_TIMEOUT_SECS: std::ops::RangeInclusive<u32> = 6..=600;
/// Highest `[import] max_upload_mb` accepted: an upload is held in memory.
pub const MAX_UPLOAD_MB: u32 = 1024;

/// A configuration problem; the message names the file or variable and the fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The settings file could not be read.
    #[error("cannot read config file {}: {source}; fix DIALDESK_CONFIG or create the file", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The settings file is not valid TOML or has unknown or mistyped keys.
    #[error("config file {}, line {line}, column {column}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A setting has a value that cannot work.
    #[error("{setting} ({location}): {problem}")]
    Invalid {
        /// The setting, e.g. `[guard] calling_window`.
        setting: String,
        /// Where it was set: the file or the environment variable.
        location: String,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// A Zoom setting of the environment is unusable.
    #[error(transparent)]
    Zoom(#[from] crate::zoom::SettingsError),
    /// Sign-in with Zoom is asked for without what it needs.
    #[error(
        "auth = \"zoom\" ({location}) needs {missing}: set them in the environment \
         (see dialdesk.example.toml), or use auth = \"none\""
    )]
    ZoomAuthIncomplete {
        /// Where `zoom` was set.
        location: String,
        /// The missing variables, joined with "and".
        missing: String,
    },
    /// Anonymous sessions on an address other machines can reach, not allowed.
    #[error(
        "auth = \"none\" ({location}) gives anyone who can reach {listen} every contact and \
         call log without signing in: listen on a loopback address such as 127.0.0.1:8080, use \
         auth = \"zoom\", or, when a gateway in front already authenticates every user, set \
         allow_unauthenticated_remote = true in the config file"
    )]
    UnauthenticatedRemote {
        /// Where `none` was set.
        location: String,
        /// The listen address.
        listen: SocketAddr,
    },
    /// The configured embed origin differs from the embed URL's origin.
    #[error(
        "embed origin {origin} is not the origin of the embed URL {url} ({url_origin}): every message \
         would be rejected in silence; set [embed] origin or ZOOM_PHONE_SMART_EMBED_ORIGIN to {url_origin}, \
         or leave it unset"
    )]
    EmbedOriginMismatch {
        /// The configured origin.
        origin: Origin,
        /// The embed URL.
        url: String,
        /// The origin of the embed URL.
        url_origin: Origin,
    },
}

/// Where the structured settings came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// Read from this file.
    File(PathBuf),
    /// The default file does not exist; built-in defaults are in use.
    Defaults(PathBuf),
}

impl ConfigSource {
    fn describe(&self) -> String {
        match self {
            Self::File(path) => format!("in {}", path.display()),
            Self::Defaults(_) => "built-in default".to_owned(),
        }
    }
}

/// Settings of the process itself, from the environment and the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessSettings {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Public origin of the deployment; `https` turns on `Secure` cookies and HSTS.
    pub public_url: Option<Origin>,
    /// SQLite database file.
    pub db_path: PathBuf,
    /// Folder of the built app (`index.html` and its assets).
    pub dist_dir: PathBuf,
    /// How often Zoom's external contacts are synchronised with the
    /// server-to-server app (`DIALDESK_CONTACT_SYNC_MINUTES`, default 60;
    /// 0 turns the schedule off).
    pub contact_sync_minutes: u32,
}

impl ProcessSettings {
    /// Whether the deployment is served over https (never decided from request headers).
    pub fn is_https(&self) -> bool {
        self.public_url
            .as_ref()
            .is_some_and(|origin| origin.as_str().starts_with("https://"))
    }
}

/// Where the Smart Embed comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// The iframe `src`.
    pub url: Url,
    /// The one origin whose messages are accepted.
    pub origin: Origin,
    /// The loader script, when Zoom's `sdk.js` creates the iframe (`loader = "sdk"`).
    pub sdk_url: Option<Url>,
}

impl Embed {
    /// The loader script's origin, which the page's CSP must allow in `sdk` mode.
    pub fn script_origin(&self) -> Option<Origin> {
        self.sdk_url.as_ref().map(Origin::of)
    }
}

/// The call guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guard {
    /// Block or confirm.
    pub mode: GuardMode,
    /// Local-time window for calls.
    pub window: CallingWindow,
}

/// After-call work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapUp {
    /// Seconds of wrap-up; 0 turns it off.
    pub seconds: u32,
    /// Disposition value applied when wrap-up ends without a choice.
    pub default_code: String,
}

/// How the app retries call-log saves that failed in transit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outbox {
    /// Delay before the first retry, in milliseconds.
    pub first_retry_ms: u32,
    /// Longest delay between retries, in milliseconds.
    pub max_retry_ms: u32,
}

/// CSV uploads (`POST /api/imports`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSettings {
    /// Largest upload accepted, in MB (MiB), 1 to [`MAX_UPLOAD_MB`].
    pub max_upload_mb: u32,
}

impl ImportSettings {
    /// Largest upload accepted, in bytes.
    pub fn max_upload_bytes(&self) -> usize {
        usize::try_from(self.max_upload_mb)
            .unwrap_or(usize::MAX)
            .saturating_mul(1 << 20)
    }
}

/// Command-line values that take precedence over the environment.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--listen`.
    pub listen: Option<String>,
}

/// The effective, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the structured settings came from.
    pub source: ConfigSource,
    /// Process settings.
    pub process: ProcessSettings,
    /// How users sign in.
    pub auth: AuthMode,
    /// Region for numbers without a country code.
    pub default_region: Region,
    /// Show numbers only by their last four digits in diagnostics.
    pub redact_numbers: bool,
    /// The Smart Embed.
    pub embed: Embed,
    /// `zp-init-config` flags.
    pub init_config: InitConfigFlags,
    /// Disposition codes.
    pub dispositions: Vec<DispositionCode>,
    /// Caller IDs.
    pub caller_ids: Vec<CallerId>,
    /// Call guard.
    pub guard: Guard,
    /// After-call work.
    pub wrap_up: WrapUp,
    /// How long the app waits for the Smart Embed.
    pub bridge: BridgeTimings,
    /// Retries of call-log saves.
    pub outbox: Outbox,
    /// CSV uploads.
    pub import: ImportSettings,
    /// Who is an admin or a supervisor.
    pub roles: Roles,
    /// How long a request may take.
    pub request_timeout: std::time::Duration,
    /// Sign-ins a client address may start per minute.
    pub sign_ins_per_minute: std::num::NonZeroU32,
    /// `/api` requests a signed-in session may make per minute.
    pub api_requests_per_minute: std::num::NonZeroU32,
    /// How long records are kept.
    pub retention: crate::retention::Retention,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Zoom credentials (masked everywhere).
    pub secrets: Secrets,
    /// Where Zoom is and which of its apps are configured.
    pub zoom: crate::zoom::ZoomSettings,
}

impl Config {
    /// Loads the configuration from `env` (and the file it points at) plus the
    /// command-line `overrides`.
    pub fn load(env: &Env, overrides: &Overrides) -> Result<Self, ConfigError> {
        let (source, file) = read_file(env)?;
        let process = process_settings(env, overrides)?;
        let here = source.describe();

        let auth = match env.get("DIALDESK_AUTH") {
            Some(value) => parse_auth(value)?,
            None => file.auth,
        };
        let secrets = Secrets::from_env(env);
        let auth_location = if env.get("DIALDESK_AUTH").is_some() {
            "DIALDESK_AUTH".to_owned()
        } else {
            here.clone()
        };
        if auth == AuthMode::None
            && !process.listen.ip().is_loopback()
            && !file.allow_unauthenticated_remote
        {
            return Err(ConfigError::UnauthenticatedRemote {
                location: auth_location,
                listen: process.listen,
            });
        }
        if auth == AuthMode::Zoom {
            let location = auth_location;
            let missing: Vec<&str> = [
                ("ZOOM_CLIENT_ID", secrets.client_id.is_some()),
                ("ZOOM_CLIENT_SECRET", secrets.client_secret.is_some()),
                (
                    "DIALDESK_PUBLIC_URL",
                    process.public_url.is_some() || secrets.redirect_uri.is_some(),
                ),
            ]
            .into_iter()
            .filter_map(|(name, set)| (!set).then_some(name))
            .collect();
            if !missing.is_empty() {
                return Err(ConfigError::ZoomAuthIncomplete {
                    location,
                    missing: missing.join(" and "),
                });
            }
        }

        let mut zoom =
            crate::zoom::ZoomSettings::from_env(env, &secrets, process.public_url.as_ref())?;
        if !file.zoom.allowed_account_ids.is_empty() {
            zoom.allowed_accounts = account_ids(&file.zoom.allowed_account_ids, &here)?;
        }

        let code = file.default_region.trim().to_ascii_uppercase();
        let default_region = Region::parse(&code).ok_or_else(|| {
            invalid(
                "default_region",
                &here,
                format!(
                    "{:?} is not a two-letter region code such as \"US\"",
                    file.default_region
                ),
            )
        })?;

        let embed = embed_settings(env, &file, &here)?;
        let init = file.init_config;
        let init_config = InitConfigFlags {
            enable_saving_log: init.enable_saving_log,
            enable_auto_log: init.enable_auto_log,
            enable_contact_searching: init.enable_contact_searching,
            enable_contact_matching: init.enable_contact_matching,
        };
        let dispositions = dispositions(&file, &here)?;
        let caller_ids = caller_ids(&file, &here)?;
        let window = CallingWindow::parse(&file.guard.calling_window)
            .map_err(|err| invalid("[guard] calling_window", &here, err.to_string()))?;
        let wrap_up = wrap_up(&file, &dispositions, &here)?;
        let bridge = bridge_timings(&file, &here)?;
        let outbox = outbox(&file, &here)?;
        let import = import_settings(env, &file, &here)?;
        let roles = roles(&file, &here)?;
        let sign_ins_per_minute = per_minute(
            "[limits] sign_ins_per_minute",
            file.limits.sign_ins_per_minute,
            &here,
        )?;
        let api_requests_per_minute = per_minute(
            "[limits] api_requests_per_minute",
            file.limits.api_requests_per_minute,
            &here,
        )?;
        let trusted_proxies = file
            .limits
            .trusted_proxies
            .iter()
            .map(|text| {
                text.trim().parse().map_err(|_| {
                    invalid(
                        "[limits] trusted_proxies",
                        &here,
                        format!("{text:?} is not an IP address such as 10.0.0.1"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let timeout = file.limits.request_timeout_secs;
        if !REQUEST_TIMEOUT_SECS.contains(&timeout) {
            return Err(invalid(
                "[limits] request_timeout_secs",
                &here,
                format!(
                    "{timeout} is outside {}..={} seconds (above the database's 5 s busy wait)",
                    REQUEST_TIMEOUT_SECS.start(),
                    REQUEST_TIMEOUT_SECS.end()
                ),
            ));
        }

        Ok(Self {
            source,
            process,
            auth,
            default_region,
            redact_numbers: file.redact_numbers,
            embed,
            init_config,
            dispositions,
            caller_ids,
            guard: Guard {
                mode: file.guard.mode,
                window,
            },
            wrap_up,
            bridge,
            outbox,
            import,
            roles,
            request_timeout: std::time::Duration::from_secs(u64::from(timeout)),
            sign_ins_per_minute,
            api_requests_per_minute,
            retention: retention(&file, &here)?,
            trusted_proxies,
            secrets,
            zoom,
        })
    }

    /// The deploy-specific settings the app reads from `GET /api/config`.
    pub fn app_config(&self) -> AppConfig {
        AppConfig {
            embed: EmbedSettings {
                url: self.embed.url.to_string(),
                origin: self.embed.origin.to_string(),
                loader: if self.embed.sdk_url.is_some() {
                    EmbedLoader::Sdk
                } else {
                    EmbedLoader::Iframe
                },
                sdk_url: self.embed.sdk_url.as_ref().map(ToString::to_string),
            },
            init_config: self.init_config,
            dispositions: self.dispositions.clone(),
            caller_ids: self.caller_ids.clone(),
            guard: GuardSettings {
                mode: self.guard.mode,
                window_start: self.guard.window.start(),
                window_end: self.guard.window.end(),
                region_zones: crate::zones::multi_zone_regions(),
            },
            redact_numbers: self.redact_numbers,
            auth: self.auth,
            bridge: self.bridge,
            call_logs: CallLogSettings {
                wrap_up_secs: self.wrap_up.seconds,
                wrap_up_default: self.wrap_up.default_code.clone(),
                retry_first_ms: self.outbox.first_retry_ms,
                retry_max_ms: self.outbox.max_retry_ms,
            },
        }
    }

    /// A human-readable listing of every setting, secrets masked (`check-config`).
    pub fn report(&self) -> ConfigReport<'_> {
        ConfigReport::new(self)
    }
}

fn invalid(setting: &str, location: &str, problem: String) -> ConfigError {
    ConfigError::Invalid {
        setting: setting.to_owned(),
        location: location.to_owned(),
        problem,
    }
}

fn read_file(env: &Env) -> Result<(ConfigSource, FileConfig), ConfigError> {
    let (path, required) = match env.get("DIALDESK_CONFIG") {
        Some(path) => (PathBuf::from(path), true),
        None => (PathBuf::from(DEFAULT_CONFIG_PATH), false),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if !required && err.kind() == std::io::ErrorKind::NotFound => {
            return Ok((ConfigSource::Defaults(path), FileConfig::default()));
        }
        Err(source) => return Err(ConfigError::Read { path, source }),
    };
    let file = parse_file(&path, &text)?;
    Ok((ConfigSource::File(path), file))
}

/// Parses the text of a settings file; `path` is only used in error messages.
fn parse_file(path: &Path, text: &str) -> Result<FileConfig, ConfigError> {
    toml::from_str(text).map_err(|err| {
        let offset = err.span().map_or(0, |span| span.start).min(text.len());
        let before = text.get(..offset).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        let message = err
            .message()
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        ConfigError::Parse {
            path: path.to_owned(),
            line,
            column,
            message,
        }
    })
}

/// Minutes between scheduled syncs of Zoom's external contacts.
const DEFAULT_CONTACT_SYNC_MINUTES: u32 = 60;

fn process_settings(env: &Env, overrides: &Overrides) -> Result<ProcessSettings, ConfigError> {
    let (listen_text, listen_from) = match (&overrides.listen, env.get("DIALDESK_LISTEN")) {
        (Some(flag), _) => (flag.trim(), "--listen"),
        (None, Some(var)) => (var, "DIALDESK_LISTEN"),
        (None, None) => (DEFAULT_LISTEN, "default"),
    };
    let listen = listen_text.parse().map_err(|_| {
        invalid(
            "listen address",
            listen_from,
            format!("{listen_text:?} is not an IP address and port such as 127.0.0.1:8080"),
        )
    })?;
    let public_url = env
        .get("DIALDESK_PUBLIC_URL")
        .map(|text| {
            Origin::parse(text).map_err(|err| {
                invalid(
                    "public URL",
                    "DIALDESK_PUBLIC_URL",
                    format!("{err} (dialdesk is served at the root of its origin)"),
                )
            })
        })
        .transpose()?;
    Ok(ProcessSettings {
        listen,
        public_url,
        db_path: PathBuf::from(env.get("DIALDESK_DB").unwrap_or(DEFAULT_DB_PATH)),
        dist_dir: PathBuf::from(env.get("DIALDESK_DIST").unwrap_or(DEFAULT_DIST_DIR)),
        contact_sync_minutes: match env.get("DIALDESK_CONTACT_SYNC_MINUTES") {
            None => DEFAULT_CONTACT_SYNC_MINUTES,
            Some(text) => text.parse().map_err(|_| {
                invalid(
                    "contact sync interval",
                    "DIALDESK_CONTACT_SYNC_MINUTES",
                    format!("{text:?} is not a whole number of minutes (0 turns it off)"),
                )
            })?,
        },
    })
}

fn parse_auth(value: &str) -> Result<AuthMode, ConfigError> {
    match value {
        "none" => Ok(AuthMode::None),
        "zoom" => Ok(AuthMode::Zoom),
        other => Err(invalid(
            "auth",
            "DIALDESK_AUTH",
            format!("{other:?} is not \"none\" or \"zoom\""),
        )),
    }
}

fn embed_settings(env: &Env, file: &FileConfig, here: &str) -> Result<Embed, ConfigError> {
    let (url_text, url_from) = match env.get("ZOOM_PHONE_SMART_EMBED_URL") {
        Some(url) => (url, "ZOOM_PHONE_SMART_EMBED_URL".to_owned()),
        None => (file.embed.url.trim(), here.to_owned()),
    };
    let url = parse_http_url(url_text)
        .map_err(|err| invalid("[embed] url", &url_from, err.to_string()))?;
    let url_origin = Origin::of(&url);
    let configured = match env.get("ZOOM_PHONE_SMART_EMBED_ORIGIN") {
        Some(origin) => Some((origin, "ZOOM_PHONE_SMART_EMBED_ORIGIN".to_owned())),
        None => file
            .embed
            .origin
            .as_deref()
            .map(str::trim)
            .filter(|origin| !origin.is_empty())
            .map(|origin| (origin, here.to_owned())),
    };
    let origin = match configured {
        None => url_origin.clone(),
        Some((text, from)) => {
            Origin::parse(text).map_err(|err| invalid("[embed] origin", &from, err.to_string()))?
        }
    };
    if origin != url_origin {
        return Err(ConfigError::EmbedOriginMismatch {
            origin,
            url: url.to_string(),
            url_origin,
        });
    }
    let (loader, loader_from) = match env.get("ZOOM_PHONE_SMART_EMBED_LOADER") {
        Some("iframe") => (EmbedLoader::Iframe, None),
        Some("sdk") => (EmbedLoader::Sdk, None),
        Some(other) => {
            return Err(invalid(
                "ZOOM_PHONE_SMART_EMBED_LOADER",
                "the environment",
                format!("{other:?} is neither \"iframe\" nor \"sdk\""),
            ))
        }
        None => (file.embed.loader, Some(here)),
    };
    let sdk_url = match loader {
        EmbedLoader::Iframe => None,
        EmbedLoader::Sdk => {
            let (text, from) = match env.get("ZOOM_PHONE_SMART_EMBED_SDK_URL") {
                Some(url) => (url, "ZOOM_PHONE_SMART_EMBED_SDK_URL".to_owned()),
                None => (
                    file.embed.sdk_url.trim(),
                    loader_from.unwrap_or(here).to_owned(),
                ),
            };
            Some(
                parse_http_url(text)
                    .map_err(|err| invalid("[embed] sdk_url", &from, err.to_string()))?,
            )
        }
    };
    Ok(Embed {
        url,
        origin,
        sdk_url,
    })
}

fn dispositions(file: &FileConfig, here: &str) -> Result<Vec<DispositionCode>, ConfigError> {
    if file.dispositions.is_empty() {
        return Err(invalid(
            "[[dispositions]]",
            here,
            "list at least one disposition, or remove the key to use the defaults".to_owned(),
        ));
    }
    let mut codes: Vec<DispositionCode> = Vec::with_capacity(file.dispositions.len());
    for entry in &file.dispositions {
        let label = entry.label.trim();
        let value = entry.value.trim();
        if label.is_empty() || value.is_empty() {
            return Err(invalid(
                "[[dispositions]]",
                here,
                "every disposition needs a label and a value".to_owned(),
            ));
        }
        if codes.iter().any(|code| code.value == value) {
            return Err(invalid(
                "[[dispositions]]",
                here,
                format!("value {value:?} is used twice; values must be unique"),
            ));
        }
        codes.push(DispositionCode {
            label: label.to_owned(),
            value: value.to_owned(),
            group: entry.group,
            notes_required: entry.notes_required,
        });
    }
    Ok(codes)
}

fn caller_ids(file: &FileConfig, here: &str) -> Result<Vec<CallerId>, ConfigError> {
    file.caller_ids
        .iter()
        .map(|entry| {
            let label = entry.label.trim();
            let number = entry.number.trim();
            if label.is_empty() {
                return Err(invalid(
                    "[[caller_ids]]",
                    here,
                    "every caller ID needs a label".to_owned(),
                ));
            }
            if !is_caller_id_number(number) {
                return Err(invalid(
                    "[[caller_ids]]",
                    here,
                    format!(
                        "the number of {label:?} is not an E.164 number (+ and 7 to 15 digits) \
                         or an extension (1 to 8 digits)"
                    ),
                ));
            }
            Ok(CallerId {
                label: label.to_owned(),
                number: number.to_owned(),
                display: phone::display_of_e164(number),
            })
        })
        .collect()
}

fn is_caller_id_number(number: &str) -> bool {
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match number.strip_prefix('+') {
        Some(digits) => {
            (7..=15).contains(&digits.len()) && all_digits(digits) && !digits.starts_with('0')
        }
        None => (1..=8).contains(&number.len()) && all_digits(number),
    }
}

fn wrap_up(
    file: &FileConfig,
    dispositions: &[DispositionCode],
    here: &str,
) -> Result<WrapUp, ConfigError> {
    let seconds = file.wrap_up.seconds;
    if seconds > MAX_WRAP_UP_SECONDS {
        return Err(invalid(
            "[wrap_up] seconds",
            here,
            format!("{seconds} is more than {MAX_WRAP_UP_SECONDS}"),
        ));
    }
    let default_code = file.wrap_up.default_code.trim();
    if !dispositions.iter().any(|code| code.value == default_code) {
        let values: Vec<&str> = dispositions
            .iter()
            .map(|code| code.value.as_str())
            .collect();
        return Err(invalid(
            "[wrap_up] default_code",
            here,
            format!(
                "{default_code:?} is not the value of any disposition; use one of: {}",
                values.join(", ")
            ),
        ));
    }
    Ok(WrapUp {
        seconds,
        default_code: default_code.to_owned(),
    })
}

#[cfg(test)]
mod tests;

/// Longest wait the bridge settings accept: ten minutes.
const MAX_BRIDGE_WAIT_MS: u32 = 600_000;

fn bridge_timings(file: &FileConfig, here: &str) -> Result<BridgeTimings, ConfigError> {
    let b = &file.bridge;
    if b.command_ttl_ms > MAX_BRIDGE_WAIT_MS {
        return Err(invalid(
            "[bridge] command_ttl_ms",
            here,
            format!("{} is more than {MAX_BRIDGE_WAIT_MS} ms", b.command_ttl_ms),
        ));
    }
    if !(100..=MAX_BRIDGE_WAIT_MS).contains(&b.ring_timeout_ms) {
        return Err(invalid(
            "[bridge] ring_timeout_ms",
            here,
            format!(
                "{} is outside 100..={MAX_BRIDGE_WAIT_MS} ms",
                b.ring_timeout_ms
            ),
        ));
    }
    Ok(BridgeTimings {
        command_ttl_ms: b.command_ttl_ms,
        ring_timeout_ms: b.ring_timeout_ms,
    })
}

/// Longest retry delay `[outbox]` accepts: one hour.
const MAX_RETRY_MS: u32 = 3_600_000;

fn outbox(file: &FileConfig, here: &str) -> Result<Outbox, ConfigError> {
    let o = &file.outbox;
    if !(10..=MAX_RETRY_MS).contains(&o.first_retry_ms) {
        return Err(invalid(
            "[outbox] first_retry_ms",
            here,
            format!("{} is outside 10..={MAX_RETRY_MS} ms", o.first_retry_ms),
        ));
    }
    if !(o.first_retry_ms..=MAX_RETRY_MS).contains(&o.max_retry_ms) {
        return Err(invalid(
            "[outbox] max_retry_ms",
            here,
            format!(
                "{} is outside first_retry_ms ({})..={MAX_RETRY_MS} ms",
                o.max_retry_ms, o.first_retry_ms
            ),
        ));
    }
    Ok(Outbox {
        first_retry_ms: o.first_retry_ms,
        max_retry_ms: o.max_retry_ms,
    })
}

/// `[import] max_upload_mb`, overridden by `DIALDESK_IMPORT_MAX_UPLOAD_MB`.
fn import_settings(
    env: &Env,
    file: &FileConfig,
    here: &str,
) -> Result<ImportSettings, ConfigError> {
    let (max_upload_mb, location) = match env.get("DIALDESK_IMPORT_MAX_UPLOAD_MB") {
        Some(text) => {
            let value = text.parse::<u32>().map_err(|_| {
                invalid(
                    "[import] max_upload_mb",
                    "DIALDESK_IMPORT_MAX_UPLOAD_MB",
                    format!("{text:?} is not a whole number of MB such as 50"),
                )
            })?;
            (value, "DIALDESK_IMPORT_MAX_UPLOAD_MB")
        }
        None => (file.import.max_upload_mb, here),
    };
    if !(1..=MAX_UPLOAD_MB).contains(&max_upload_mb) {
        return Err(invalid(
            "[import] max_upload_mb",
            location,
            format!("{max_upload_mb} is outside 1..={MAX_UPLOAD_MB} MB"),
        ));
    }
    Ok(ImportSettings { max_upload_mb })
}

/// `[roles]` and `[[teams]]`, checked.
fn roles(file: &FileConfig, here: &str) -> Result<Roles, ConfigError> {
    let teams = file
        .teams
        .iter()
        .map(|team| Team::new(&team.name, &team.supervisors, &team.members))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| invalid("[[teams]]", here, err.to_string()))?;
    Roles::new(&file.roles.admins, &file.roles.supervisors)
        .map_err(|err| invalid("[roles]", here, err.to_string()))?
        .with_teams(teams)
        .map_err(|err| invalid("[[teams]]", here, err.to_string()))
}

/// A rate of `[limits]`: 1 to 1 000 000 a minute.
fn per_minute(setting: &str, value: u32, here: &str) -> Result<std::num::NonZeroU32, ConfigError> {
    std::num::NonZeroU32::new(value)
        .filter(|n| n.get() <= 1_000_000)
        .ok_or_else(|| invalid(setting, here, format!("{value} is outside 1..=1000000")))
}

/// `[zoom] allowed_account_ids`, checked: each a Zoom account id (1 to 64 characters,
/// no spaces).
fn account_ids(entries: &[String], here: &str) -> Result<Vec<String>, ConfigError> {
    entries
        .iter()
        .map(|entry| {
            let id = entry.trim();
            let plausible = (1..=64).contains(&id.len()) && !id.chars().any(char::is_whitespace);
            plausible.then(|| id.to_owned()).ok_or_else(|| {
                invalid(
                    "[zoom] allowed_account_ids",
                    here,
                    format!("{entry:?} is not a Zoom account id"),
                )
            })
        })
        .collect()
}

/// `[retention]`, checked: each 0 (keep) to 36 500 days.
fn retention(file: &FileConfig, here: &str) -> Result<crate::retention::Retention, ConfigError> {
    let r = &file.retention;
    for (setting, days) in [
        ("[retention] journal_days", r.journal_days),
        ("[retention] audit_days", r.audit_days),
        ("[retention] log_details_days", r.log_details_days),
    ] {
        if days > 36_500 {
            return Err(invalid(
                setting,
                here,
                format!("{days} is outside 0..=36500 (0 keeps everything)"),
            ));
        }
    }
    Ok(crate::retention::Retention {
        journal_days: r.journal_days,
        audit_days: r.audit_days,
        log_details_days: r.log_details_days,
    })
}
