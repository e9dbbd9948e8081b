//! An emulator on real TCP ports for other crates' tests: API, OAuth and hooks on
//! `127.0.0.1:0`, recording files on `127.0.0.2:0`, served on tokio tasks until dropped.

use std::io;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::{Credentials, Emulator, PublicUrls};

/// A running emulator; its servers stop when it is dropped.
pub struct RunningEmulator {
    credentials: Credentials,
    urls: PublicUrls,
    servers: [JoinHandle<()>; 2],
}

/// Starts an emulator accepting `credentials` (see [`Credentials::demo`]) on two free ports.
/// Call it inside a tokio runtime; the servers run on that runtime's tasks.
pub async fn spawn_for_tests(credentials: Credentials) -> io::Result<RunningEmulator> {
    let api = TcpListener::bind("127.0.0.1:0").await?;
    let files = TcpListener::bind("127.0.0.2:0").await?;
    let urls = PublicUrls {
        oauth_base: format!("http://{}", api.local_addr()?),
        file_host: files.local_addr()?.to_string(),
    };
    let emulator = Emulator::new(credentials.clone(), urls.clone());
    let servers = [
        serve(api, emulator.api_router()),
        serve(files, emulator.file_router()),
    ];
    Ok(RunningEmulator {
        credentials,
        urls,
        servers,
    })
}

fn serve(listener: TcpListener, router: axum::Router) -> JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, router).await {
            tracing::warn!(%err, "emulator server stopped");
        }
    })
}

impl RunningEmulator {
    /// The API base, `http://127.0.0.1:P/v2` (for `ZOOM_API_BASE`).
    pub fn api_base(&self) -> String {
        self.urls.api_base()
    }

    /// The OAuth base, `http://127.0.0.1:P` (for `ZOOM_OAUTH_BASE`); the hooks live there too,
    /// under `/__emu/`.
    pub fn oauth_base(&self) -> &str {
        &self.urls.oauth_base
    }

    /// The recording file host, `127.0.0.2:Q` (for `ZOOM_DOWNLOAD_HOSTS`).
    pub fn file_host(&self) -> &str {
        &self.urls.file_host
    }

    /// The credentials it accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        for server in &self.servers {
            server.abort();
        }
    }
}
