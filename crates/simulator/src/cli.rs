//! Command-line options and the listen addresses they resolve to.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use clap::Parser;
use dialdesk_sim::emulator::{
    Credentials, DEMO_ACCOUNT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_S2S_CLIENT_ID,
    DEMO_S2S_CLIENT_SECRET, MAX_USERS,
};
use thiserror::Error;

use crate::api::MAX_CONNECT_DELAY_MS;

/// The hostile listener's default IP: another loopback address, hence another origin.
const HOSTILE_IP: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

/// Stand-in for Zoom Phone Smart Embed, for dialdesk's demo and end-to-end tests.
#[derive(Debug, Parser)]
#[command(name = "dialdesk-sim", version)]
pub struct Args {
    /// Address of the simulator page and its control API; port 0 lets the OS pick.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8081")]
    pub listen: String,

    /// Address of the hostile-frame listener [default: 127.0.0.2 with the port of --listen].
    #[arg(long, value_name = "IP:PORT")]
    pub hostile_listen: Option<String>,

    /// How long an outbound call rings before it connects, in milliseconds.
    #[arg(
        long,
        value_name = "MS",
        default_value_t = 1500,
        value_parser = clap::value_parser!(u64).range(0..=MAX_CONNECT_DELAY_MS)
    )]
    pub connect_delay_ms: u64,

    /// Step mode: a ringing outbound call waits for the `answer` scenario.
    #[arg(long)]
    pub step: bool,

    /// Users of the emulated Zoom account: the five named ones, then generated reps
    /// (`rep0005@dialdesk.example`, …), for a load test.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 5,
        value_parser = clap::value_parser!(u16).range(5..=MAX_USERS as i64)
    )]
    pub zoom_users: u16,

    /// The apps and account the Zoom emulator accepts.
    #[command(flatten)]
    pub zoom: ZoomArgs,
}

/// The Zoom emulator's credentials; each falls back to its environment variable, then to a
/// fixed demo value. A secret from the environment never appears in `--help`, and no secret
/// appears in debug output.
#[derive(clap::Args)]
pub struct ZoomArgs {
    /// Client id of the user-OAuth app.
    #[arg(long = "zoom-client-id", env = "ZOOM_CLIENT_ID", value_name = "ID", default_value = DEMO_CLIENT_ID)]
    pub client_id: String,

    /// Client secret of the user-OAuth app.
    #[arg(
        long = "zoom-client-secret",
        env = "ZOOM_CLIENT_SECRET",
        value_name = "SECRET",
        default_value = DEMO_CLIENT_SECRET,
        hide_env_values = true
    )]
    pub client_secret: String,

    /// Client id of the Server-to-Server app.
    #[arg(long = "zoom-s2s-client-id", env = "ZOOM_S2S_CLIENT_ID", value_name = "ID", default_value = DEMO_S2S_CLIENT_ID)]
    pub s2s_client_id: String,

    /// Client secret of the Server-to-Server app.
    #[arg(
        long = "zoom-s2s-client-secret",
        env = "ZOOM_S2S_CLIENT_SECRET",
        value_name = "SECRET",
        default_value = DEMO_S2S_CLIENT_SECRET,
        hide_env_values = true
    )]
    pub s2s_client_secret: String,

    /// The account id Server-to-Server requests must name.
    #[arg(long = "zoom-account-id", env = "ZOOM_ACCOUNT_ID", value_name = "ID", default_value = DEMO_ACCOUNT_ID)]
    pub account_id: String,
}

impl ZoomArgs {
    /// The credentials the emulator accepts.
    pub fn credentials(&self) -> Credentials {
        Credentials {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            s2s_client_id: self.s2s_client_id.clone(),
            s2s_client_secret: self.s2s_client_secret.clone(),
            account_id: self.account_id.clone(),
        }
    }
}

/// Shown as the credentials, secrets redacted.
impl std::fmt::Debug for ZoomArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.credentials().fmt(f)
    }
}

/// A listen address that is not `IP:PORT`.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("invalid --{flag} address \"{value}\": expected IP:PORT, such as 127.0.0.1:8081")]
pub struct AddressError {
    flag: &'static str,
    value: String,
}

/// Where the two listeners bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addresses {
    /// The page and control API.
    pub main: SocketAddr,
    /// The hostile frames.
    pub hostile: SocketAddr,
}

impl Args {
    /// Parses `--listen` and `--hostile-listen`, filling in the hostile default.
    pub fn addresses(&self) -> Result<Addresses, AddressError> {
        let main = parse_address("listen", &self.listen)?;
        let hostile = match &self.hostile_listen {
            Some(value) => parse_address("hostile-listen", value)?,
            None => SocketAddr::new(HOSTILE_IP, main.port()),
        };
        Ok(Addresses { main, hostile })
    }
}

fn parse_address(flag: &'static str, value: &str) -> Result<SocketAddr, AddressError> {
    value.trim().parse().map_err(|_| AddressError {
        flag,
        value: value.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Args {
        Args::try_parse_from(std::iter::once("dialdesk-sim").chain(list.iter().copied()))
            .expect("valid arguments")
    }

    #[test]
    fn defaults() {
        let parsed = args(&[]);
        assert_eq!(parsed.connect_delay_ms, 1500);
        assert!(!parsed.step);
        let addresses = parsed.addresses().expect("valid");
        assert_eq!(addresses.main.to_string(), "127.0.0.1:8081");
        assert_eq!(addresses.hostile.to_string(), "127.0.0.2:8081");
    }

    #[test]
    fn the_hostile_listener_follows_the_main_port() {
        let addresses = args(&["--listen", "127.0.0.1:0"])
            .addresses()
            .expect("valid");
        assert_eq!(addresses.hostile.to_string(), "127.0.0.2:0");
        let explicit = args(&["--listen", "127.0.0.1:0", "--hostile-listen", "127.0.0.3:9"]);
        assert_eq!(
            explicit.addresses().expect("valid").hostile.to_string(),
            "127.0.0.3:9"
        );
    }

    #[test]
    fn bad_addresses_are_one_line_errors() {
        let err = args(&["--listen", "localhost"])
            .addresses()
            .expect_err("invalid");
        assert_eq!(
            err.to_string(),
            "invalid --listen address \"localhost\": expected IP:PORT, such as 127.0.0.1:8081"
        );
        assert!(args(&["--hostile-listen", "1.2.3.4"]).addresses().is_err());
    }

    #[test]
    fn zoom_credentials_default_to_the_demo_values_and_stay_out_of_debug_output() {
        let parsed = args(&[]);
        if std::env::var_os("ZOOM_CLIENT_SECRET").is_none() {
            assert_eq!(parsed.zoom.credentials(), Credentials::demo());
        }
        let custom = args(&[
            "--zoom-client-id",
            "id",
            "--zoom-client-secret",
            "hush-1",
            "--zoom-s2s-client-secret",
            "hush-2",
            "--zoom-account-id",
            "acct",
        ]);
        let credentials = custom.zoom.credentials();
        assert_eq!(credentials.client_id, "id");
        assert_eq!(credentials.client_secret, "hush-1");
        assert_eq!(credentials.account_id, "acct");
        let shown = format!("{custom:?}");
        assert!(!shown.contains("hush"), "{shown}");
        assert!(shown.contains("acct"), "{shown}");
    }

    #[test]
    fn step_and_delay() {
        let parsed = args(&["--step", "--connect-delay-ms", "0"]);
        assert!(parsed.step);
        assert_eq!(parsed.connect_delay_ms, 0);
        let too_long = Args::try_parse_from(["dialdesk-sim", "--connect-delay-ms", "3600001"]);
        assert!(too_long.is_err());
    }
}
