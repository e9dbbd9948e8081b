//! Starting, running and stopping the server, and the one-line errors that end
//! a failed start.

use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::signal::unix::{signal, SignalKind};

use crate::config::{Config, ConfigError, ConfigSource};
use crate::db::{user_sessions, Db, DbError};
use crate::session::KeyError;
use crate::state::AppState;
use crate::static_files::{StaticError, StaticSite};
use crate::{app, phone, seed, zoom_sync};

/// Prefix of the line printed on stderr when the proxy cannot start.
pub const ERROR_PREFIX: &str = "dialdesk-proxy: error: ";

/// Why the proxy could not start (or stopped with an error).
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The app folder cannot be served.
    #[error(transparent)]
    Static(#[from] StaticError),
    /// Another process listens on the address.
    #[error("{0} is already in use; set DIALDESK_LISTEN or --listen")]
    AddrInUse(SocketAddr),
    /// The address cannot be listened on.
    #[error("cannot listen on {addr}: {source}; set DIALDESK_LISTEN or --listen")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The database cannot be opened or used.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The session signing key is unusable.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The key the secrets at rest are sealed with is unusable.
    #[error(transparent)]
    Vault(#[from] crate::vault::VaultError),

    /// The Zoom client could not be built.
    #[error("cannot set up the Zoom client: {0}")]
    Zoom(#[from] crate::zoom::ZoomError),
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    /// SIGINT/SIGTERM handlers could not be installed.
    #[error("cannot watch for shutdown signals: {0}")]
    Signals(std::io::Error),
    /// The server failed while running.
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}

impl StartupError {
    /// Process exit code: 2 for configuration problems, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Config(_) => 2,
            _ => 1,
        }
    }
}

/// Prints `dialdesk-proxy: error: <message>` as one line on stderr.
pub fn print_error(err: &dyn std::fmt::Display) {
    let message = err.to_string();
    let one_line: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let mut stderr = std::io::stderr().lock();
    // Nothing sensible is left to do if stderr itself is gone.
    let _ = writeln!(stderr, "{ERROR_PREFIX}{}", one_line.join(" "));
}

/// Logs to stderr, filtered by `RUST_LOG` (else `default`, e.g. `info`).
pub fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

/// Serves until SIGINT or SIGTERM: checks the app folder, binds, loads the
/// phone-number metadata, opens and migrates the database, seeds demo contacts
/// if asked, prints the listening line, then serves; on a signal lets in-flight
/// requests finish and checkpoints the database.
pub async fn serve(config: Config, seed_demo: Option<usize>) -> Result<(), StartupError> {
    let script_origin = config.embed.script_origin();
    let site = StaticSite::load(
        &config.process.dist_dir,
        &config.embed.origin,
        script_origin.as_ref(),
    )?;
    let listener = bind(config.process.listen).await?;
    let addr = listener
        .local_addr()
        .map_err(|source| StartupError::Listen {
            addr: config.process.listen,
            source,
        })?;
    let db_path = config.process.db_path.clone();
    let db = tokio::task::spawn_blocking(move || {
        phone::warm_up();
        Db::open(&db_path)
    })
    .await
    .map_err(DbError::from)??;
    if let Some(count) = seed_demo {
        seed::seed_demo(&db, count).await?;
    }
    let state = AppState::open(&config, site, db.clone()).await?;
    prune_sign_ins(db.clone(), state.clone());
    crate::retention::schedule(db.clone(), config.retention);
    let minutes = config.process.contact_sync_minutes;
    if let (Some(zoom), true) = (state.zoom(), config.zoom.s2s.is_some() && minutes > 0) {
        zoom_sync::schedule(
            state.contact_sync().clone(),
            zoom.clone(),
            db.clone(),
            state.default_region(),
            std::time::Duration::from_secs(u64::from(minutes) * 60),
        );
    }
    let shutdown = shutdown_signal()?;

    let source = match &config.source {
        ConfigSource::File(path) => path.display().to_string(),
        ConfigSource::Defaults(_) => "built-in defaults".to_owned(),
    };
    tracing::info!(
        %addr,
        config = %source,
        embed_origin = %config.embed.origin,
        db = %config.process.db_path.display(),
        dist = %config.process.dist_dir.display(),
        "dialdesk-proxy ready"
    );
    announce(addr);

    axum::serve(
        listener,
        app::router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(StartupError::Serve)?;
    tracing::info!("stopped accepting requests; checkpointing the database");
    db.checkpoint().await?;
    tracing::info!("dialdesk-proxy stopped");
    Ok(())
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, StartupError> {
    TcpListener::bind(addr).await.map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            StartupError::AddrInUse(addr)
        } else {
            StartupError::Listen { addr, source }
        }
    })
}

/// The one stdout line that tells scripts and tests where to connect.
fn announce(addr: SocketAddr) {
    let mut stdout = std::io::stdout().lock();
    let written =
        writeln!(stdout, "dialdesk-proxy listening on http://{addr}").and_then(|()| stdout.flush());
    if let Err(err) = written {
        tracing::warn!(error = %err, "cannot write the listening line to stdout");
    }
}

/// Resolves on the first SIGINT or SIGTERM. Handlers are installed now, so a
/// signal that arrives before serving starts is not lost.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, StartupError> {
    let mut interrupt = signal(SignalKind::interrupt()).map_err(StartupError::Signals)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(StartupError::Signals)?;
    Ok(async move {
        let name = tokio::select! {
            _ = interrupt.recv() => "SIGINT",
            _ = terminate.recv() => "SIGTERM",
        };
        tracing::info!(signal = name, "shutting down");
    })
}

/// Every [`user_sessions::PENDING_SECS`], drops expired sessions and sign-ins that
/// were never completed, whether or not anyone signs in meanwhile, and the addresses
/// and sessions the limiters no longer need.
fn prune_sign_ins(db: Db, state: AppState) {
    tokio::spawn(async move {
        let every = std::time::Duration::from_secs(user_sessions::PENDING_SECS.unsigned_abs());
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            state.sign_ins().forget_idle();
            state.api_requests().forget_idle();
            match db.write(user_sessions::prune).await {
                Ok(0) => {}
                Ok(rows) => tracing::debug!(rows, "pruned expired sessions and sign-ins"),
                Err(err) => tracing::warn!(error = %err, "could not prune expired sign-ins"),
            }
        }
    });
}
