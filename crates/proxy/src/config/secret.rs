//! Secrets read from the environment: kept out of logs, output and serialisation.

use super::env::Env;

/// A secret value. `Debug` and `Display` never show it, and it does not implement
/// `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the code that sends it to Zoom. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(hidden)")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("set (hidden)")
    }
}

/// The Zoom credentials, read from the environment only (contract, env section).
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    /// `ZOOM_CLIENT_ID`: user OAuth app identity.
    pub client_id: Option<Secret>,
    /// `ZOOM_CLIENT_SECRET`: user OAuth app secret.
    pub client_secret: Option<Secret>,
    /// `ZOOM_ACCOUNT_ID`: account for server-to-server OAuth.
    pub account_id: Option<Secret>,
    /// `ZOOM_S2S_CLIENT_ID`: server-to-server OAuth app identity.
    pub s2s_client_id: Option<Secret>,
    /// `ZOOM_S2S_CLIENT_SECRET`: server-to-server OAuth app secret.
    pub s2s_client_secret: Option<Secret>,
    /// `ZOOM_WEBHOOK_SECRET`: webhook signature and URL validation secret.
    pub webhook_secret: Option<Secret>,
    /// `ZOOM_REDIRECT_URI`: user OAuth callback URL.
    pub redirect_uri: Option<Secret>,
    /// `DIALDESK_SECRET_KEY`: the key the tokens and the session key are sealed with
    /// in the database (else a key file beside it).
    pub secret_key: Option<Secret>,
    /// `DIALDESK_SECRET_KEY_OLD`: the key being rotated away from.
    pub secret_key_old: Option<Secret>,
}

impl Secrets {
    /// Reads every Zoom secret from `env`; blank values count as unset.
    pub fn from_env(env: &Env) -> Self {
        let read = |name: &str| env.get(name).map(Secret::new);
        Self {
            client_id: read("ZOOM_CLIENT_ID"),
            client_secret: read("ZOOM_CLIENT_SECRET"),
            account_id: read("ZOOM_ACCOUNT_ID"),
            s2s_client_id: read("ZOOM_S2S_CLIENT_ID"),
            s2s_client_secret: read("ZOOM_S2S_CLIENT_SECRET"),
            webhook_secret: read("ZOOM_WEBHOOK_SECRET"),
            redirect_uri: read("ZOOM_REDIRECT_URI"),
            secret_key: read("DIALDESK_SECRET_KEY"),
            secret_key_old: read("DIALDESK_SECRET_KEY_OLD"),
        }
    }

    /// Each secret with the name of its environment variable, in a fixed order.
    pub fn named(&self) -> [(&'static str, Option<&Secret>); 9] {
        [
            ("ZOOM_CLIENT_ID", self.client_id.as_ref()),
            ("ZOOM_CLIENT_SECRET", self.client_secret.as_ref()),
            ("ZOOM_REDIRECT_URI", self.redirect_uri.as_ref()),
            ("ZOOM_ACCOUNT_ID", self.account_id.as_ref()),
            ("ZOOM_S2S_CLIENT_ID", self.s2s_client_id.as_ref()),
            ("ZOOM_S2S_CLIENT_SECRET", self.s2s_client_secret.as_ref()),
            ("ZOOM_WEBHOOK_SECRET", self.webhook_secret.as_ref()),
            ("DIALDESK_SECRET_KEY", self.secret_key.as_ref()),
            ("DIALDESK_SECRET_KEY_OLD", self.secret_key_old.as_ref()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked() {
        let env = Env::from_pairs([("ZOOM_CLIENT_SECRET", "s3cr3t-value")]);
        let secrets = Secrets::from_env(&env);
        let secret = secrets.client_secret.as_ref().unwrap();
        assert_eq!(secret.expose(), "s3cr3t-value");
        assert_eq!(secret.to_string(), "set (hidden)");
        assert!(!format!("{secrets:?}").contains("s3cr3t"));
        assert!(secrets.client_id.is_none());
    }
}
