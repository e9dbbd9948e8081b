//! Command line of `dialdesk-proxy`.

use std::path::PathBuf;

use clap::{CommandFactory as _, Parser, Subcommand};

/// dialdesk's server: serves the app from DIALDESK_DIST, answers /api, keeps
/// Zoom secrets on the server and stores contacts in SQLite.
///
/// Settings: DIALDESK_CONFIG (default ./dialdesk.toml), DIALDESK_LISTEN,
/// DIALDESK_PUBLIC_URL, DIALDESK_DB, DIALDESK_DIST, DIALDESK_AUTH, RUST_LOG.
#[derive(Debug, Parser)]
#[command(name = "dialdesk-proxy", version)]
pub struct Cli {
    /// Address to listen on, e.g. 127.0.0.1:8080 (overrides DIALDESK_LISTEN;
    /// port 0 picks a free port).
    #[arg(long, value_name = "ADDR", global = true)]
    pub listen: Option<String>,

    /// Before serving, make sure N deterministic demo contacts exist (fictitious
    /// 555-01XX numbers only; running again adds nothing).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub seed_demo: Option<u32>,

    /// What to do; serving is the default.
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Parses the process arguments; exits with a usage error (code 2) when
    /// they are invalid or combine `--seed-demo` with a subcommand.
    pub fn parse_args() -> Self {
        let cli = Self::parse();
        let other = match &cli.command {
            Some(Command::CheckConfig) => Some("check-config"),
            Some(Command::Import { .. }) => Some("import"),
            None => None,
        };
        if let (Some(_), Some(other)) = (cli.seed_demo, other) {
            Self::command()
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!("--seed-demo cannot be used with {other}"),
                )
                .exit();
        }
        cli
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the effective configuration (secrets masked) and exit: 0 when it is
    /// valid, 2 with the problem otherwise.
    CheckConfig,
    /// Import contacts from a CSV file (UTF-8 or Windows-1252; `,`, `;` or tab
    /// separated; columns matched by header name) into the configured database,
    /// in one transaction. Prints a summary and one line per rejected row and
    /// per warning; exits 0 when the file was read, 1 when it could not be.
    Import {
        /// The CSV file.
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
    },
}
