//! `dialdesk-proxy import FILE.csv`: reads the file, opens the database named
//! by the configuration and imports every row, showing a progress bar on
//! stderr when it is a terminal.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};

use super::{prepare, ImportError, ImportReport};
use crate::config::{Config, ConfigError, Env, Overrides};
use crate::db::{Db, DbError};

/// Why the import command failed; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a usable CSV file.
    #[error("{}: {source}", path.display())]
    Import {
        /// The file.
        path: PathBuf,
        /// Why.
        source: ImportError,
    },
    /// The database cannot be opened.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

impl CommandError {
    /// Process exit code: 2 for configuration problems, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Config(_) => 2,
            _ => 1,
        }
    }
}

/// Imports the CSV file at `path` into the configured database. The file is
/// read and checked before the database is opened.
pub fn import_file(
    env: &Env,
    overrides: &Overrides,
    path: &Path,
) -> Result<ImportReport, CommandError> {
    let config = Config::load(env, overrides)?;
    let import_error = |source| CommandError::Import {
        path: path.to_owned(),
        source,
    };
    let bytes = std::fs::read(path).map_err(|source| CommandError::Read {
        path: path.to_owned(),
        source,
    })?;
    let prepared = prepare(&bytes, config.default_region).map_err(import_error)?;
    let db = Db::open(&config.process.db_path)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CommandError::Runtime)?;
    let progress = progress_bar(prepared.len());
    let name = path
        .file_name()
        .map_or_else(|| path.to_string_lossy(), |name| name.to_string_lossy());
    let report = runtime.block_on(prepared.apply(&db, &name, progress.clone()));
    progress.finish_and_clear();
    report.map_err(import_error)
}

/// A bar counting rows on stderr, hidden when stderr is not a terminal.
fn progress_bar(rows: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(u64::try_from(rows).unwrap_or(u64::MAX));
    if let Ok(style) = ProgressStyle::with_template("importing {bar:40} {pos}/{len} rows") {
        bar.set_style(style);
    }
    bar
}
