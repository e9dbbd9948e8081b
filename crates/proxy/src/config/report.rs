//! The `check-config` listing: every effective setting, secrets masked.

use std::fmt;

use dialdesk_contract::{AuthMode, DispositionGroup, GuardMode};

use super::{Config, ConfigSource};

/// Displays a [`Config`] for the admin, one setting per line.
pub struct ConfigReport<'a> {
    config: &'a Config,
}

impl<'a> ConfigReport<'a> {
    /// A report of `config`.
    pub fn new(config: &'a Config) -> Self {
        Self { config }
    }
}

impl fmt::Display for ConfigReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.config;
        let p = &c.process;
        writeln!(f, "dialdesk-proxy configuration")?;
        match &c.source {
            ConfigSource::File(path) => writeln!(f, "  config file        {}", path.display())?,
            ConfigSource::Defaults(path) => writeln!(
                f,
                "  config file        {} (not found: built-in defaults)",
                path.display()
            )?,
        }
        writeln!(f, "  listen             {}", p.listen)?;
        match &p.public_url {
            Some(origin) if p.is_https() => {
                writeln!(f, "  public url         {origin} (Secure cookies, HSTS)")?
            }
            Some(origin) => writeln!(
                f,
                "  public url         {origin} (no Secure cookies, no HSTS)"
            )?,
            None => writeln!(
                f,
                "  public url         not set (no Secure cookies, no HSTS)"
            )?,
        }
        writeln!(f, "  database           {}", p.db_path.display())?;
        writeln!(f, "  dist               {}", p.dist_dir.display())?;
        let auth = match c.auth {
            AuthMode::None if !p.listen.ip().is_loopback() => {
                "none, on a reachable address (allow_unauthenticated_remote = true)"
            }
            AuthMode::None => "none",
            AuthMode::Zoom => "zoom",
        };
        writeln!(f, "  auth               {auth}")?;
        let (admins, supervisors, teams) = c.roles.counts();
        writeln!(
            f,
            "  roles              {admins} admin(s), {supervisors} supervisor(s), {teams} team(s)"
        )?;
        let accounts = &c.zoom.allowed_accounts;
        if accounts.is_empty() {
            writeln!(f, "  zoom accounts      none")?;
        } else {
            writeln!(f, "  zoom accounts      {}", accounts.join(", "))?;
        }
        if c.auth == AuthMode::Zoom && accounts.is_empty() {
            writeln!(
                f,
                "  warning            no Zoom account is allowed: every sign-in is refused until \
                 [zoom] allowed_account_ids names one (or the server-to-server app is set)"
            )?;
        }
        if c.auth == AuthMode::Zoom && !c.roles.has_admin() {
            writeln!(
                f,
                "  warning            nobody is named an admin: CSV imports and Zoom syncs \
                 answer 403 until [roles] admins names one"
            )?;
        }
        writeln!(f, "  default_region     {}", c.default_region)?;
        writeln!(f, "  redact_numbers     {}", c.redact_numbers)?;
        writeln!(f, "  embed url          {}", c.embed.url)?;
        writeln!(f, "  embed origin       {}", c.embed.origin)?;
        let i = &c.init_config;
        writeln!(
            f,
            "  init_config        enable_saving_log={} enable_auto_log={} \
             enable_contact_searching={} enable_contact_matching={}",
            i.enable_saving_log,
            i.enable_auto_log,
            i.enable_contact_searching,
            i.enable_contact_matching
        )?;
        writeln!(f, "  dispositions")?;
        for code in &c.dispositions {
            let group = match code.group {
                DispositionGroup::Connected => "connected",
                DispositionGroup::NotConnected => "not_connected",
            };
            let notes = if code.notes_required {
                ", notes required"
            } else {
                ""
            };
            writeln!(f, "    {} = {:?} ({group}{notes})", code.value, code.label)?;
        }
        writeln!(f, "  caller_ids")?;
        if c.caller_ids.is_empty() {
            writeln!(f, "    (none)")?;
        }
        for caller in &c.caller_ids {
            writeln!(f, "    {:?} {}", caller.label, caller.number)?;
        }
        let mode = match c.guard.mode {
            GuardMode::Block => "block",
            GuardMode::Confirm => "confirm",
        };
        writeln!(
            f,
            "  guard              mode={mode} calling_window={}",
            c.guard.window
        )?;
        writeln!(
            f,
            "  wrap_up            seconds={} default_code={}",
            c.wrap_up.seconds, c.wrap_up.default_code
        )?;
        writeln!(
            f,
            "  bridge             command_ttl_ms={} ring_timeout_ms={}",
            c.bridge.command_ttl_ms, c.bridge.ring_timeout_ms
        )?;
        writeln!(
            f,
            "  outbox             first_retry_ms={} max_retry_ms={}",
            c.outbox.first_retry_ms, c.outbox.max_retry_ms
        )?;
        writeln!(
            f,
            "  import             max_upload_mb={}",
            c.import.max_upload_mb
        )?;
        let r = &c.retention;
        writeln!(
            f,
            "  retention          journal_days={} audit_days={} log_details_days={} (0: kept)",
            r.journal_days, r.audit_days, r.log_details_days
        )?;
        writeln!(f, "secrets (environment)")?;
        for (name, secret) in c.secrets.named() {
            let state = secret.map_or_else(|| "not set".to_owned(), ToString::to_string);
            writeln!(f, "  {name:<24} {state}")?;
        }
        Ok(())
    }
}
