//! Where Zoom is and who dialdesk is to it: the REST and OAuth bases, the two
//! OAuth apps and the hosts a recording download may reach, from the
//! environment (the contract's env section). Pure.

use url::{Host, Url};

use super::retry::RetryPolicy;
use crate::config::{parse_http_url, Env, Origin, Secret, Secrets};

/// REST base when `ZOOM_API_BASE` is not set.
pub const DEFAULT_API_BASE: &str = "https://api.zoom.us/v2";
/// OAuth base when `ZOOM_OAUTH_BASE` is not set.
pub const DEFAULT_OAUTH_BASE: &str = "https://zoom.us";
/// Path of the sign-in callback under the public URL (the default redirect URI).
pub const CALLBACK_PATH: &str = "/auth/callback";

/// Why the Zoom settings cannot work; each message names the variable to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// A base URL or the redirect URI is not usable.
    #[error("{name} must be an http(s) URL such as {example}: {problem}")]
    BadUrl {
        /// The variable.
        name: &'static str,
        /// A good value.
        example: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// One half of the user OAuth app's credentials is set, not the other.
    #[error("{set} is set but {missing} is not: set both for sign-in with Zoom, or neither")]
    HalfAnApp {
        /// The variable that is set.
        set: &'static str,
        /// The one that is missing.
        missing: &'static str,
    },
    /// Some but not all of the server-to-server app's variables are set.
    #[error(
        "server-to-server OAuth needs ZOOM_ACCOUNT_ID, ZOOM_S2S_CLIENT_ID and ZOOM_S2S_CLIENT_SECRET \
         together; {missing} missing"
    )]
    IncompleteS2s {
        /// The missing variables, comma-separated.
        missing: String,
    },
    /// Sign-in with Zoom is configured but no callback URL is known.
    #[error(
        "ZOOM_CLIENT_ID is set but there is no redirect URI: set DIALDESK_PUBLIC_URL \
         (the callback is {CALLBACK_PATH} under it) or ZOOM_REDIRECT_URI"
    )]
    NoRedirectUri,
    /// An entry of `ZOOM_DOWNLOAD_HOSTS` is not a host or `host:port`.
    #[error(
        "ZOOM_DOWNLOAD_HOSTS entry {entry:?} is not a host or host:port such as \
         files.example.com or 127.0.0.2:8081: {problem}"
    )]
    BadDownloadHost {
        /// The entry (at most 80 characters of it).
        entry: String,
        /// What is wrong.
        problem: &'static str,
    },
}

/// The user OAuth app (authorization code with PKCE).
#[derive(Debug, Clone)]
pub struct UserApp {
    /// `ZOOM_CLIENT_ID`.
    pub client_id: Secret,
    /// `ZOOM_CLIENT_SECRET`.
    pub client_secret: Secret,
    /// `ZOOM_REDIRECT_URI`, or `{DIALDESK_PUBLIC_URL}/auth/callback`.
    pub redirect_uri: Url,
}

/// The server-to-server OAuth app (`account_credentials`).
#[derive(Debug, Clone)]
pub struct S2sApp {
    /// `ZOOM_S2S_CLIENT_ID`.
    pub client_id: Secret,
    /// `ZOOM_S2S_CLIENT_SECRET`.
    pub client_secret: Secret,
    /// `ZOOM_ACCOUNT_ID`.
    pub account_id: Secret,
}

/// Which hosts one allowed-host entry matches.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HostMatch {
    /// Exactly this host.
    Exact(String),
    /// Any host under this domain (`*.zoom.us`), not the domain itself.
    Under(String),
}

/// One host a recording download may be sent to: a host or `*.domain`, with
/// a port or (without one) on its scheme's default port only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRule {
    host: HostMatch,
    port: Option<u16>,
}

impl HostRule {
    /// Parses `host`, `host:port` or `*.domain` (no scheme, no path).
    pub fn parse(entry: &str) -> Result<Self, SettingsError> {
        let bad = |problem| SettingsError::BadDownloadHost {
            entry: entry.chars().take(80).collect(),
            problem,
        };
        let text = entry.trim();
        if text.is_empty() {
            return Err(bad("the entry is empty"));
        }
        if text.contains("://") || text.contains(['/', '?', '#', '@']) {
            return Err(bad("write only the host and port, no scheme or path"));
        }
        let (host, port) = match text.rsplit_once(':') {
            Some((host, _)) if !host.ends_with(']') && host.contains(':') => {
                return Err(bad("write an IPv6 address in brackets, such as [::1]:8081"))
            }
            Some((host, port)) => {
                let port = port
                    .parse::<u16>()
                    .ok()
                    .filter(|port| *port > 0)
                    .ok_or_else(|| bad("the port must be a number from 1 to 65535"))?;
                (host, Some(port))
            }
            None => (text, None),
        };
        let (wildcard, host) = match host.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, host),
        };
        let parsed =
            Host::parse(host).map_err(|_| bad("the host is not a valid name or IP address"))?;
        if wildcard && !matches!(parsed, Host::Domain(_)) {
            return Err(bad("a wildcard needs a domain name, such as *.zoom.us"));
        }
        let name = parsed.to_string();
        Ok(Self {
            host: if wildcard {
                HostMatch::Under(name)
            } else {
                HostMatch::Exact(name)
            },
            port,
        })
    }

    /// The rule matching exactly the host and port of `url`.
    pub fn of(url: &Url) -> Self {
        Self {
            host: HostMatch::Exact(url.host_str().unwrap_or_default().to_owned()),
            port: url.port(),
        }
    }

    /// Whether `url`'s host and port are this rule's.
    pub fn allows(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host_ok = match &self.host {
            HostMatch::Exact(name) => host == name,
            HostMatch::Under(domain) => host
                .strip_suffix(domain.as_str())
                .is_some_and(|head| head.len() > 1 && head.ends_with('.')),
        };
        let port_ok = match self.port {
            Some(port) => url.port_or_known_default() == Some(port),
            None => url.port().is_none(),
        };
        host_ok && port_ok
    }
}

/// Everything the Zoom client needs to know about Zoom.
#[derive(Debug, Clone)]
pub struct ZoomSettings {
    /// REST base without a trailing slash, e.g. `https://api.zoom.us/v2`.
    pub api_base: Url,
    /// OAuth base without a trailing slash, e.g. `https://zoom.us`.
    pub oauth_base: Url,
    /// The user OAuth app, when sign-in with Zoom is configured.
    pub user_app: Option<UserApp>,
    /// The server-to-server app, when configured.
    pub s2s: Option<S2sApp>,
    /// Hosts a recording download may be sent to (the API and OAuth hosts,
    /// `*.zoom.us` for Zoom's API, and `ZOOM_DOWNLOAD_HOSTS`).
    pub download_hosts: Vec<HostRule>,
    /// Retries and waits of REST requests.
    pub retry: RetryPolicy,
    /// The Zoom accounts whose users may sign in: `[zoom] allowed_account_ids`, else
    /// the server-to-server app's account, else none (every sign-in refused).
    pub allowed_accounts: Vec<String>,
}

impl ZoomSettings {
    /// Reads the settings from `env` and `secrets`; `public_url` gives the
    /// default redirect URI.
    pub fn from_env(
        env: &Env,
        secrets: &Secrets,
        public_url: Option<&Origin>,
    ) -> Result<Self, SettingsError> {
        let api_base = base_url(
            "ZOOM_API_BASE",
            env.get("ZOOM_API_BASE").unwrap_or(DEFAULT_API_BASE),
            DEFAULT_API_BASE,
        )?;
        let oauth_base = base_url(
            "ZOOM_OAUTH_BASE",
            env.get("ZOOM_OAUTH_BASE").unwrap_or(DEFAULT_OAUTH_BASE),
            DEFAULT_OAUTH_BASE,
        )?;
        let user_app = user_app(secrets, public_url)?;
        let s2s = s2s_app(secrets)?;

        let mut download_hosts = vec![HostRule::of(&api_base), HostRule::of(&oauth_base)];
        if api_base.scheme() == "https" && api_base.domain().is_some_and(is_zoom_domain) {
            download_hosts.push(HostRule {
                host: HostMatch::Under("zoom.us".to_owned()),
                port: None,
            });
        }
        for entry in env
            .get("ZOOM_DOWNLOAD_HOSTS")
            .unwrap_or_default()
            .split(',')
            .filter(|entry| !entry.trim().is_empty())
        {
            download_hosts.push(HostRule::parse(entry)?);
        }

        Ok(Self {
            api_base,
            oauth_base,
            user_app,
            allowed_accounts: s2s
                .as_ref()
                .map(|app| vec![app.account_id.expose().to_owned()])
                .unwrap_or_default(),
            download_hosts,
            s2s,
            retry: RetryPolicy::default(),
        })
    }

    /// Whether users of the Zoom account `account_id` may sign in.
    pub fn allows_account(&self, account_id: Option<&str>) -> bool {
        account_id.is_some_and(|id| self.allowed_accounts.iter().any(|allowed| allowed == id))
    }

    /// Whether a download may be sent to `url`: an allowed host, and https
    /// when the API base is https.
    pub fn download_allowed(&self, url: &Url) -> bool {
        let scheme_ok = match self.api_base.scheme() {
            "https" => url.scheme() == "https",
            _ => matches!(url.scheme(), "http" | "https"),
        };
        scheme_ok && self.download_hosts.iter().any(|rule| rule.allows(url))
    }

    /// Whether `url` is on the API host (scheme, host and port), the only
    /// place the bearer token is sent.
    pub fn is_api_host(&self, url: &Url) -> bool {
        url.origin() == self.api_base.origin()
    }
}

/// `zoom.us` or a host under it.
fn is_zoom_domain(domain: &str) -> bool {
    domain == "zoom.us" || domain.ends_with(".zoom.us")
}

/// A base URL: http(s), no query or fragment, trailing slash dropped.
fn base_url(name: &'static str, text: &str, example: &'static str) -> Result<Url, SettingsError> {
    let bad = |problem: String| SettingsError::BadUrl {
        name,
        example,
        problem,
    };
    let mut url = parse_http_url(text).map_err(|err| bad(err.to_string()))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query or fragment".to_owned()));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    Ok(url)
}

fn user_app(
    secrets: &Secrets,
    public_url: Option<&Origin>,
) -> Result<Option<UserApp>, SettingsError> {
    let (client_id, client_secret) = match (&secrets.client_id, &secrets.client_secret) {
        (None, None) => return Ok(None),
        (Some(_), None) => {
            return Err(SettingsError::HalfAnApp {
                set: "ZOOM_CLIENT_ID",
                missing: "ZOOM_CLIENT_SECRET",
            })
        }
        (None, Some(_)) => {
            return Err(SettingsError::HalfAnApp {
                set: "ZOOM_CLIENT_SECRET",
                missing: "ZOOM_CLIENT_ID",
            })
        }
        (Some(id), Some(secret)) => (id.clone(), secret.clone()),
    };
    let redirect_uri = match (&secrets.redirect_uri, public_url) {
        (Some(uri), _) => {
            let url = parse_http_url(uri.expose()).map_err(|_| SettingsError::BadUrl {
                name: "ZOOM_REDIRECT_URI",
                example: "https://dialdesk.example.com/auth/callback",
                problem: "it is not an absolute http(s) URL without a user name".to_owned(),
            })?;
            if url.fragment().is_some() {
                return Err(SettingsError::BadUrl {
                    name: "ZOOM_REDIRECT_URI",
                    example: "https://dialdesk.example.com/auth/callback",
                    problem: "it must not have a fragment".to_owned(),
                });
            }
            url
        }
        (None, Some(public)) => Url::parse(&format!("{public}{CALLBACK_PATH}")).map_err(|err| {
            SettingsError::BadUrl {
                name: "DIALDESK_PUBLIC_URL",
                example: "https://dialdesk.example.com",
                problem: err.to_string(),
            }
        })?,
        (None, None) => return Err(SettingsError::NoRedirectUri),
    };
    Ok(Some(UserApp {
        client_id,
        client_secret,
        redirect_uri,
    }))
}

fn s2s_app(secrets: &Secrets) -> Result<Option<S2sApp>, SettingsError> {
    match (
        &secrets.account_id,
        &secrets.s2s_client_id,
        &secrets.s2s_client_secret,
    ) {
        (None, None, None) => Ok(None),
        (Some(account_id), Some(client_id), Some(client_secret)) => Ok(Some(S2sApp {
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
            account_id: account_id.clone(),
        })),
        (account, id, secret) => {
            let missing: Vec<&str> = [
                ("ZOOM_ACCOUNT_ID", account.is_none()),
                ("ZOOM_S2S_CLIENT_ID", id.is_none()),
                ("ZOOM_S2S_CLIENT_SECRET", secret.is_none()),
            ]
            .into_iter()
            .filter_map(|(name, absent)| absent.then_some(name))
            .collect();
            let verb = if missing.len() == 1 { "is" } else { "are" };
            Err(SettingsError::IncompleteS2s {
                missing: format!("{} {verb}", missing.join(" and ")),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(
        pairs: &[(&str, &str)],
        public: Option<&str>,
    ) -> Result<ZoomSettings, SettingsError> {
        let env = Env::from_pairs(pairs.iter().copied());
        let secrets = Secrets::from_env(&env);
        let public = public.map(|text| Origin::parse(text).unwrap());
        ZoomSettings::from_env(&env, &secrets, public.as_ref())
    }

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn defaults_are_zooms() {
        let zoom = settings(&[], None).unwrap();
        assert_eq!(zoom.api_base.as_str(), "https://api.zoom.us/v2");
        assert_eq!(zoom.oauth_base.as_str(), "https://zoom.us/");
        assert!(zoom.user_app.is_none());
        assert!(zoom.s2s.is_none());
        assert!(zoom.is_api_host(&url("https://api.zoom.us/v2/phone/recording/download/1")));
        assert!(!zoom.is_api_host(&url("http://api.zoom.us/v2/x")));
        assert!(!zoom.is_api_host(&url("https://api.zoom.us:8443/v2/x")));
        assert!(zoom.download_allowed(&url("https://api.zoom.us/v2/x")));
        assert!(zoom.download_allowed(&url("https://zoom.us/rec")));
        assert!(zoom.download_allowed(&url("https://file.zoom.us/rec")));
        assert!(zoom.download_allowed(&url("https://a.b.zoom.us/rec")));
        assert!(!zoom.download_allowed(&url("http://file.zoom.us/rec")));
        assert!(!zoom.download_allowed(&url("https://file.zoom.us:8443/rec")));
        assert!(!zoom.download_allowed(&url("https://evilzoom.us/rec")));
        assert!(!zoom.download_allowed(&url("https://zoom.us.evil.com/rec")));
        assert!(!zoom.download_allowed(&url("https://127.0.0.3/rec")));
    }

    #[test]
    fn emulator_bases_and_extra_hosts() {
        let zoom = settings(
            &[
                ("ZOOM_API_BASE", "http://localhost:4010/v2/"),
                ("ZOOM_OAUTH_BASE", "http://localhost:4010"),
                (
                    "ZOOM_DOWNLOAD_HOSTS",
                    " 127.0.0.2:4011 , files.example.com,*.cdn.example.net",
                ),
            ],
            None,
        )
        .unwrap();
        assert_eq!(zoom.api_base.as_str(), "http://localhost:4010/v2");
        assert!(zoom.download_allowed(&url("http://localhost:4010/v2/phone/x")));
        assert!(zoom.download_allowed(&url("http://127.0.0.2:4011/__emu/files/1?access=x")));
        assert!(!zoom.download_allowed(&url("http://127.0.0.2:4012/__emu/files/1")));
        assert!(!zoom.download_allowed(&url("http://127.0.0.3:9/evil")));
        assert!(zoom.download_allowed(&url("https://files.example.com/a")));
        assert!(!zoom.download_allowed(&url("https://files.example.com:444/a")));
        assert!(zoom.download_allowed(&url("https://x.cdn.example.net/a")));
        assert!(!zoom.download_allowed(&url("https://cdn.example.net/a")));
        assert!(!zoom.download_allowed(&url("https://file.zoom.us/a")));
        assert!(!zoom.is_api_host(&url("http://127.0.0.2:4011/__emu/files/1")));
    }

    #[test]
    fn apps_need_all_their_parts() {
        let zoom = settings(
            &[
                ("ZOOM_CLIENT_ID", "id"),
                ("ZOOM_CLIENT_SECRET", "secret"),
                ("ZOOM_ACCOUNT_ID", "acct"),
                ("ZOOM_S2S_CLIENT_ID", "sid"),
                ("ZOOM_S2S_CLIENT_SECRET", "ssecret"),
            ],
            Some("https://dialdesk.example.com"),
        )
        .unwrap();
        let app = zoom.user_app.unwrap();
        assert_eq!(
            app.redirect_uri.as_str(),
            "https://dialdesk.example.com/auth/callback"
        );
        assert_eq!(zoom.s2s.unwrap().account_id.expose(), "acct");

        let explicit = settings(
            &[
                ("ZOOM_CLIENT_ID", "id"),
                ("ZOOM_CLIENT_SECRET", "secret"),
                ("ZOOM_REDIRECT_URI", "http://localhost:8080/auth/callback"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(
            explicit.user_app.unwrap().redirect_uri.as_str(),
            "http://localhost:8080/auth/callback"
        );

        assert_eq!(
            settings(
                &[("ZOOM_CLIENT_ID", "id"), ("ZOOM_CLIENT_SECRET", "s")],
                None
            )
            .unwrap_err(),
            SettingsError::NoRedirectUri
        );
        assert_eq!(
            settings(&[("ZOOM_CLIENT_ID", "id")], None).unwrap_err(),
            SettingsError::HalfAnApp {
                set: "ZOOM_CLIENT_ID",
                missing: "ZOOM_CLIENT_SECRET"
            }
        );
        let err = settings(&[("ZOOM_S2S_CLIENT_ID", "sid")], None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "server-to-server OAuth needs ZOOM_ACCOUNT_ID, ZOOM_S2S_CLIENT_ID and \
             ZOOM_S2S_CLIENT_SECRET together; ZOOM_ACCOUNT_ID and ZOOM_S2S_CLIENT_SECRET are missing"
        );
    }

    #[test]
    fn bad_values_are_named() {
        let err = settings(&[("ZOOM_API_BASE", "api.zoom.us/v2")], None).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("ZOOM_API_BASE must be an http(s) URL"),
            "{err}"
        );
        let err = settings(&[("ZOOM_OAUTH_BASE", "https://zoom.us/?x=1")], None).unwrap_err();
        assert!(err.to_string().contains("query"), "{err}");
        let err = settings(
            &[
                ("ZOOM_CLIENT_ID", "id"),
                ("ZOOM_CLIENT_SECRET", "s"),
                ("ZOOM_REDIRECT_URI", "not a url"),
            ],
            None,
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("ZOOM_REDIRECT_URI"), "{err}");
        for bad in [
            "https://files.example.com",
            "files.example.com/x",
            "files.example.com:0",
            "files.example.com:99999",
            "files.example.com:",
            "*.127.0.0.1",
            "user@host",
            "bad host",
        ] {
            let err = settings(&[("ZOOM_DOWNLOAD_HOSTS", bad)], None).unwrap_err();
            assert!(
                matches!(err, SettingsError::BadDownloadHost { .. }),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn host_rules_read_ipv6_and_case() {
        let rule = HostRule::parse("[::1]:8081").unwrap();
        assert!(rule.allows(&url("http://[::1]:8081/f")));
        let rule = HostRule::parse("Files.Example.COM").unwrap();
        assert!(rule.allows(&url("https://files.example.com/f")));
        assert!(HostRule::parse("::1").is_err());
    }
}
