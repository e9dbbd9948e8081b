//! State shared by every handler.

use std::sync::Arc;

use dialdesk_contract::{AppConfig, Role};

use crate::config::{Config, ImportSettings, Oversight, Roles};
use crate::db::{settings, Db};
use crate::import::jobs::ImportJobs;
use crate::phone::Region;
use crate::rate::{SessionLimiter, SignInLimiter};
use crate::session::{Session, Sessions};
use crate::startup::StartupError;
use crate::static_files::StaticSite;
use crate::vault::Vault;
use crate::zoom::Zoom;
use crate::zoom_sync::ContactSync;

/// Everything a handler may need; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    app_config: AppConfig,
    db: Db,
    sessions: Sessions,
    site: StaticSite,
    https: bool,
    default_region: Region,
    import: ImportSettings,
    imports: ImportJobs,
    zoom: Option<Zoom>,
    contact_sync: ContactSync,
    roles: Roles,
    request_timeout: std::time::Duration,
    sign_ins: SignInLimiter,
    api_requests: SessionLimiter,
}

impl AppState {
    /// Builds the state from the configuration, the served app and the
    /// database: opens the vault of secrets at rest (sealing anew what an earlier
    /// version kept in clear, or what the old key sealed while rotating) and loads
    /// (or creates) the session signing key.
    pub async fn open(config: &Config, site: StaticSite, db: Db) -> Result<Self, StartupError> {
        let secrets = &config.secrets;
        let vault = Vault::open(
            secrets.secret_key.as_ref(),
            secrets.secret_key_old.as_ref(),
            &config.process.db_path,
        )?;
        let sealing = vault.clone();
        let key = db
            .write(move |conn| settings::session_key(conn, &sealing))
            .await?;
        let sealing = vault.clone();
        let resealed = db
            .write(move |conn| crate::zoom::tokens::reseal_all(conn, &sealing))
            .await?;
        if resealed > 0 {
            tracing::info!(
                pairs = resealed,
                "sealed stored Zoom tokens with the current key"
            );
        }
        let https = config.process.is_https();
        let sessions = Sessions::new(&key, https)?;
        let settings = &config.zoom;
        let zoom = if settings.user_app.is_some() || settings.s2s.is_some() {
            Some(Zoom::new(settings.clone(), db.clone(), vault)?)
        } else {
            None
        };
        Ok(Self {
            inner: Arc::new(Inner {
                app_config: config.app_config(),
                db,
                sessions,
                site,
                https,
                default_region: config.default_region,
                import: config.import,
                imports: ImportJobs::default(),
                zoom,
                contact_sync: ContactSync::default(),
                roles: config.roles.clone(),
                request_timeout: config.request_timeout,
                sign_ins: SignInLimiter::new(config.sign_ins_per_minute, &config.trusted_proxies),
                api_requests: SessionLimiter::new(config.api_requests_per_minute),
            }),
        })
    }

    /// The limit on starting sign-ins, per client address.
    pub fn sign_ins(&self) -> &SignInLimiter {
        &self.inner.sign_ins
    }

    /// The limiter of `/api` requests per signed-in session.
    pub fn api_requests(&self) -> &SessionLimiter {
        &self.inner.api_requests
    }

    /// How long a request may take (`[limits] request_timeout_secs`).
    pub fn request_timeout(&self) -> std::time::Duration {
        self.inner.request_timeout
    }

    /// Who is an admin or a supervisor.
    pub fn roles(&self) -> &Roles {
        &self.inner.roles
    }

    /// The role of the caller of `session`.
    pub fn role_of(&self, session: &Session) -> Role {
        self.inner.roles.role_of(
            self.inner.app_config.auth,
            session.user_id(),
            session.email(),
        )
    }

    /// Whose calls and logs the caller of `session` may see beyond their own.
    pub fn oversight_of(&self, session: &Session) -> Oversight {
        self.inner
            .roles
            .oversight(self.role_of(session), session.person())
    }

    /// Whose unlogged calls the caller of `session` may pick besides their own.
    pub fn overseen_by(&self, session: &Session) -> Vec<String> {
        self.inner
            .roles
            .overseen(self.role_of(session), session.person())
    }

    /// What `GET /api/config` answers.
    pub fn app_config(&self) -> &AppConfig {
        &self.inner.app_config
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// Session cookies and CSRF tokens.
    pub fn sessions(&self) -> &Sessions {
        &self.inner.sessions
    }

    /// The served app.
    pub fn site(&self) -> &StaticSite {
        &self.inner.site
    }

    /// Whether the public URL is https (Secure cookies, HSTS).
    pub fn https(&self) -> bool {
        self.inner.https
    }

    /// Region for numbers written without a country code.
    pub fn default_region(&self) -> Region {
        self.inner.default_region
    }

    /// CSV upload settings.
    pub fn import(&self) -> ImportSettings {
        self.inner.import
    }

    /// The Zoom client, when a Zoom app is configured.
    pub fn zoom(&self) -> Option<&Zoom> {
        self.inner.zoom.as_ref()
    }

    /// The Zoom external-contact sync of this process.
    pub fn contact_sync(&self) -> &ContactSync {
        &self.inner.contact_sync
    }

    /// The import jobs of this process.
    pub fn imports(&self) -> &ImportJobs {
        &self.inner.imports
    }
}
