//! `dialdesk-proxy [--listen ADDR] [--seed-demo N]` serves;
//! `dialdesk-proxy check-config` prints the effective configuration;
//! `dialdesk-proxy import FILE.csv` imports contacts.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use dialdesk_proxy::cli::{Cli, Command};
use dialdesk_proxy::config::{Config, Env, Overrides};
use dialdesk_proxy::import::command::import_file;
use dialdesk_proxy::startup::{self, StartupError};

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    let env = Env::from_process();
    let overrides = Overrides {
        listen: cli.listen.clone(),
    };
    match cli.command {
        Some(Command::CheckConfig) => check_config(&env, &overrides),
        Some(Command::Import { file }) => import(&env, &overrides, &file),
        None => match run(&env, &overrides, cli.seed_demo) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                startup::print_error(&err);
                ExitCode::from(err.exit_code())
            }
        },
    }
}

fn check_config(env: &Env, overrides: &Overrides) -> ExitCode {
    match Config::load(env, overrides) {
        Ok(config) => {
            let mut stdout = std::io::stdout().lock();
            match write!(stdout, "{}", config.report()).and_then(|()| stdout.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::FAILURE,
            }
        }
        Err(err) => {
            startup::print_error(&err);
            ExitCode::from(2)
        }
    }
}

/// Imports `file`; prints the report on stdout, or one error line on stderr.
fn import(env: &Env, overrides: &Overrides, file: &Path) -> ExitCode {
    startup::init_logging("warn");
    match import_file(env, overrides, file) {
        Ok(report) => {
            let mut stdout = std::io::stdout().lock();
            match write!(stdout, "{report}").and_then(|()| stdout.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::FAILURE,
            }
        }
        Err(err) => {
            startup::print_error(&err);
            ExitCode::from(err.exit_code())
        }
    }
}

fn run(env: &Env, overrides: &Overrides, seed_demo: Option<u32>) -> Result<(), StartupError> {
    let config = Config::load(env, overrides)?;
    startup::init_logging("info");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(StartupError::Runtime)?;
    let seed_demo = seed_demo.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    runtime.block_on(startup::serve(config, seed_demo))
}
