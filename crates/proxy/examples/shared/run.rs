//! How the proxy's benchmark examples run: quiet logging, a multi-threaded
//! runtime, and one line on stderr naming the example when it fails.

use std::future::Future;
use std::process::ExitCode;

/// Runs `bench` to its end; a failure is printed as `name: message`.
pub fn run(name: &str, bench: impl Future<Output = Result<(), String>>) -> ExitCode {
    dialdesk_proxy::startup::init_logging("warn");
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start the async runtime: {err}"))
        .and_then(|runtime| runtime.block_on(bench));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{name}: {message}");
            ExitCode::FAILURE
        }
    }
}
