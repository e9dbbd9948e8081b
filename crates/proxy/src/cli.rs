//! Command line of `dialdesk-proxy`.

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
    /// they are invalid or combine `--seed-demo` with `check-config`.
    pub fn parse_args() -> Self {
        let cli = Self::parse();
        if cli.seed_demo.is_some() && matches!(cli.command, Some(Command::CheckConfig)) {
            Self::command()
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    "--seed-demo cannot be used with check-config",
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
}
