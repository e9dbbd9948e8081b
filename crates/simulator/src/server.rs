//! Binds both listeners, announces them on stdout, and serves until Ctrl-C or SIGTERM.

use std::future::{Future, IntoFuture};
use std::io::{self, Write};
use std::net::SocketAddr;

use dialdesk_sim::emulator::{set_user_count, Emulator, PublicUrls};
use thiserror::Error;
use tokio::net::TcpListener;

use crate::cli::{AddressError, Args};
use crate::hub::Hub;
use crate::phone::Script;
use crate::routes::{self, AppState};
use crate::shutdown::{self, Shutdown};

/// Why the simulator could not start or keep serving.
#[derive(Debug, Error)]
pub enum StartError {
    /// A listen address is malformed.
    #[error(transparent)]
    Address(#[from] AddressError),
    /// A listener could not bind (port taken, address not local, ...).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The system's reason.
        source: io::Error,
    },
    /// The bound address could not be read back.
    #[error("cannot read the bound address: {0}")]
    LocalAddr(io::Error),
    /// The startup lines could not be written.
    #[error("cannot write to stdout: {0}")]
    Stdout(io::Error),
    /// The SIGTERM handler could not be installed.
    #[error("cannot watch for SIGTERM: {0}")]
    Signal(io::Error),
    /// A server stopped with an error.
    #[error("server failed: {0}")]
    Serve(io::Error),
}

/// Runs the simulator until a shutdown signal; errors before the announcement are startup errors.
pub async fn run(args: Args) -> Result<(), StartError> {
    let addresses = args.addresses()?;
    let main = bind(addresses.main).await?;
    let hostile = bind(addresses.hostile).await?;
    let main_addr = main.local_addr().map_err(StartError::LocalAddr)?;
    let hostile_addr = hostile.local_addr().map_err(StartError::LocalAddr)?;
    let signal = shutdown_signal()?;
    announce(main_addr, hostile_addr)?;
    tracing::info!(%main_addr, %hostile_addr, step = args.step, connect_delay_ms = args.connect_delay_ms, "serving");

    let (trigger, shutdown) = shutdown::channel();
    tokio::spawn(async move {
        signal.await;
        tracing::info!("shutting down");
        trigger.fire();
    });
    let hub = Hub::new(Script {
        step: args.step,
        connect_delay_ms: args.connect_delay_ms,
    });
    set_user_count(usize::from(args.zoom_users));
    let emulator = Emulator::new(
        args.zoom.credentials(),
        emulator_urls(main_addr, hostile_addr),
    );
    let app = routes::main_router(AppState {
        hub,
        shutdown: shutdown.clone(),
    })
    .merge(emulator.api_router());
    let main_server = axum::serve(main, app).with_graceful_shutdown(until(shutdown.clone()));
    let hostile_app = routes::hostile_router().merge(emulator.file_router());
    let hostile_server = axum::serve(hostile, hostile_app).with_graceful_shutdown(until(shutdown));
    let (main_result, hostile_result) =
        tokio::join!(main_server.into_future(), hostile_server.into_future());
    main_result.and(hostile_result).map_err(StartError::Serve)
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, StartError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })
}

/// The Zoom emulator's OAuth and API live on the main origin, its recording files on the
/// hostile listener's address.
fn emulator_urls(main: SocketAddr, hostile: SocketAddr) -> PublicUrls {
    PublicUrls {
        oauth_base: format!("http://localhost:{}", main.port()),
        file_host: hostile.to_string(),
    }
}

/// Prints the startup lines; the main origin is `localhost`, a different origin from the
/// app's `127.0.0.1`. The third line gives the Zoom settings that point a proxy at the
/// emulator (no secrets).
fn announce(main: SocketAddr, hostile: SocketAddr) -> Result<(), StartError> {
    let urls = emulator_urls(main, hostile);
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "dialdesk-sim listening on http://localhost:{}",
        main.port()
    )
    .and_then(|()| writeln!(out, "dialdesk-sim hostile frames on http://{hostile}"))
    .and_then(|()| {
        writeln!(
            out,
            "dialdesk-sim Zoom emulator: ZOOM_OAUTH_BASE={} ZOOM_API_BASE={} ZOOM_DOWNLOAD_HOSTS={}",
            urls.oauth_base,
            urls.api_base(),
            urls.file_host
        )
    })
    .and_then(|()| out.flush())
    .map_err(StartError::Stdout)
}

async fn until(mut shutdown: Shutdown) {
    shutdown.wait().await;
}

/// Resolves on Ctrl-C or SIGTERM. A signal source that cannot be watched never resolves.
fn shutdown_signal() -> Result<impl Future<Output = ()>, StartError> {
    #[cfg(unix)]
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(StartError::Signal)?;
    Ok(async move {
        let ctrl_c = async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        #[cfg(unix)]
        tokio::select! {
            () = ctrl_c => {}
            _ = terminate.recv() => {}
        }
        #[cfg(not(unix))]
        ctrl_c.await;
    })
}
