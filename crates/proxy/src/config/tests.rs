use std::io::Write;

use dialdesk_contract::{DispositionGroup, EmbedLoader, GuardMode};

use super::*;

fn load(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    Config::load(
        &Env::from_pairs(pairs.iter().copied()),
        &Overrides::default(),
    )
}

fn with_file(text: &str) -> (tempfile::NamedTempFile, String) {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    let path = file.path().to_str().unwrap().to_owned();
    (file, path)
}

#[test]
fn defaults_without_a_file() {
    let config = load(&[]).unwrap();
    assert_eq!(
        config.source,
        ConfigSource::Defaults(PathBuf::from(DEFAULT_CONFIG_PATH))
    );
    assert_eq!(config.process.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(config.process.db_path, PathBuf::from("./data/dialdesk.db"));
    assert_eq!(config.process.dist_dir, PathBuf::from("./dist"));
    assert!(!config.process.is_https());
    assert_eq!(config.auth, AuthMode::None);
    assert_eq!(config.default_region.as_str(), "US");
    assert!(config.redact_numbers);
    assert_eq!(config.embed.url.as_str(), DEFAULT_EMBED_URL);
    assert_eq!(config.embed.origin.as_str(), "https://applications.zoom.us");
    assert_eq!(config.init_config, InitConfigFlags::default());
    let values: Vec<&str> = config
        .dispositions
        .iter()
        .map(|d| d.value.as_str())
        .collect();
    assert_eq!(
        values,
        [
            "interested",
            "not_interested",
            "call_back_later",
            "left_voicemail",
            "no_answer",
            "wrong_number"
        ]
    );
    let wrong = &config.dispositions[5];
    assert_eq!(wrong.group, DispositionGroup::NotConnected);
    assert!(wrong.notes_required);
    assert_eq!(config.dispositions[0].group, DispositionGroup::Connected);
    assert_eq!(config.caller_ids.len(), 1);
    assert_eq!(config.caller_ids[0].number, "+14155550199");
    assert_eq!(config.guard.mode, GuardMode::Confirm);
    assert_eq!(config.guard.window.to_string(), "08:00-21:00");
    assert_eq!(config.wrap_up.seconds, 0);
    assert_eq!(config.wrap_up.default_code, "no_answer");
    assert_eq!(config.import.max_upload_mb, 50);
    assert_eq!(config.import.max_upload_bytes(), 50 << 20);
    assert!(config.secrets.named().iter().all(|(_, s)| s.is_none()));

    let app = config.app_config();
    assert_eq!(app.embed.origin, "https://applications.zoom.us");
    assert_eq!(app.guard.window_start, "08:00");
    assert_eq!(app.guard.window_end, "21:00");
}

#[test]
fn reads_a_toml_file() {
    let (_file, path) = with_file(
        r#"
auth = "none"
default_region = "gb"
redact_numbers = false

[embed]
url = "http://localhost:9100/integration/phone/embeddablephone/home"
origin = "http://LOCALHOST:9100/"

[init_config]
enable_auto_log = false

[[dispositions]]
label = "Sale"
value = "sale"
group = "connected"

[[dispositions]]
label = "Busy"
value = "busy"
group = "not_connected"
notes_required = true

[[caller_ids]]
label = "Sales"
number = "+442079460000"

[[caller_ids]]
label = "Desk"
number = "1234"

[guard]
mode = "block"
calling_window = "09:30-17:00"

[wrap_up]
seconds = 30
default_code = "busy"
"#,
    );
    let config = load(&[("DIALDESK_CONFIG", &path)]).unwrap();
    assert_eq!(config.source, ConfigSource::File(PathBuf::from(&path)));
    assert_eq!(config.default_region.as_str(), "GB");
    assert!(!config.redact_numbers);
    assert_eq!(config.embed.origin.as_str(), "http://localhost:9100");
    assert!(!config.init_config.enable_auto_log);
    assert!(config.init_config.enable_saving_log);
    assert_eq!(config.dispositions.len(), 2);
    assert!(config.dispositions[1].notes_required);
    assert!(!config.dispositions[0].notes_required);
    assert_eq!(config.caller_ids[1].number, "1234");
    assert_eq!(config.guard.mode, GuardMode::Block);
    assert_eq!(config.guard.window.start(), "09:30");
    assert_eq!(config.wrap_up.seconds, 30);
    assert_eq!(config.wrap_up.default_code, "busy");
}

#[test]
fn environment_overrides() {
    let (_file, path) = with_file("auth = \"zoom\"\nallow_unauthenticated_remote = true\n");
    let config = load(&[
        ("DIALDESK_CONFIG", path.as_str()),
        ("DIALDESK_AUTH", "none"),
        ("DIALDESK_LISTEN", "0.0.0.0:9000"),
        ("DIALDESK_PUBLIC_URL", "https://Dial.Example.com/"),
        ("DIALDESK_DB", "/tmp/x/db.sqlite"),
        ("DIALDESK_DIST", "/srv/dist"),
        (
            "ZOOM_PHONE_SMART_EMBED_URL",
            "http://localhost:7001/integration/phone/embeddablephone/home",
        ),
        ("ZOOM_PHONE_SMART_EMBED_ORIGIN", "http://localhost:7001"),
        ("ZOOM_CLIENT_ID", "client-id"),
        ("ZOOM_CLIENT_SECRET", "very-secret"),
    ])
    .unwrap();
    assert_eq!(config.auth, AuthMode::None);
    assert_eq!(config.process.listen.to_string(), "0.0.0.0:9000");
    assert_eq!(
        config.process.public_url.as_ref().unwrap().as_str(),
        "https://dial.example.com"
    );
    assert!(config.process.is_https());
    assert_eq!(config.process.db_path, PathBuf::from("/tmp/x/db.sqlite"));
    assert_eq!(config.process.dist_dir, PathBuf::from("/srv/dist"));
    assert_eq!(config.embed.origin.as_str(), "http://localhost:7001");
    assert_eq!(
        config.secrets.client_secret.as_ref().unwrap().expose(),
        "very-secret"
    );
    let report = config.report().to_string();
    assert!(report.contains("ZOOM_CLIENT_SECRET"));
    assert!(report.contains("set (hidden)"));
    assert!(report.contains("not set"));
    assert!(!report.contains("very-secret"));
    let half = load(&[("ZOOM_CLIENT_SECRET", "very-secret")])
        .unwrap_err()
        .to_string();
    assert!(
        half.contains("ZOOM_CLIENT_SECRET is set but ZOOM_CLIENT_ID is not"),
        "{half}"
    );
}

#[test]
fn embed_origin_defaults_to_the_url_origin() {
    let config = load(&[(
        "ZOOM_PHONE_SMART_EMBED_URL",
        "http://localhost:7001/integration/phone/embeddablephone/home",
    )])
    .unwrap();
    assert_eq!(config.embed.origin.as_str(), "http://localhost:7001");
}

#[test]
fn the_listen_flag_wins_over_the_environment() {
    let env = Env::from_pairs([("DIALDESK_LISTEN", "127.0.0.1:9000")]);
    let overrides = Overrides {
        listen: Some("127.0.0.1:0".to_owned()),
    };
    let config = Config::load(&env, &overrides).unwrap();
    assert_eq!(config.process.listen.to_string(), "127.0.0.1:0");
}

#[test]
fn embed_origin_mismatch_is_refused() {
    let err = load(&[("ZOOM_PHONE_SMART_EMBED_ORIGIN", "http://localhost:7001")]).unwrap_err();
    assert!(
        matches!(err, ConfigError::EmbedOriginMismatch { .. }),
        "{err}"
    );
    let message = err.to_string();
    assert!(message.contains("rejected in silence"), "{message}");
    assert!(
        message.contains("https://applications.zoom.us"),
        "{message}"
    );

    let (_file, path) = with_file("[embed]\norigin = \"https://zoom.us\"\n");
    let err = load(&[("DIALDESK_CONFIG", &path)]).unwrap_err();
    assert!(
        matches!(err, ConfigError::EmbedOriginMismatch { .. }),
        "{err}"
    );
}

#[test]
fn embed_origin_with_a_path_is_refused() {
    let err = load(&[(
        "ZOOM_PHONE_SMART_EMBED_ORIGIN",
        "https://applications.zoom.us/integration",
    )])
    .unwrap_err();
    assert!(
        err.to_string().contains("ZOOM_PHONE_SMART_EMBED_ORIGIN"),
        "{err}"
    );
}

#[test]
fn bad_calling_window_is_refused() {
    for window in ["8-21", "21:00-08:00", "08:00-25:00"] {
        let (_file, path) = with_file(&format!("[guard]\ncalling_window = \"{window}\"\n"));
        let err = load(&[("DIALDESK_CONFIG", &path)]).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("calling_window"), "{message}");
        assert!(message.contains(&path), "{message}");
    }
}

#[test]
fn sdk_loader_mode_from_the_file_or_the_environment() {
    let config = load(&[]).unwrap();
    assert_eq!(config.app_config().embed.loader, EmbedLoader::Iframe);
    assert_eq!(config.embed.script_origin(), None);

    let (_file, path) = with_file("[embed]\nloader = \"sdk\"\n");
    let config = load(&[("DIALDESK_CONFIG", &path)]).unwrap();
    let embed = config.app_config().embed;
    assert_eq!(embed.loader, EmbedLoader::Sdk);
    assert_eq!(embed.sdk_url.as_deref(), Some(file::DEFAULT_SDK_URL));
    assert_eq!(
        config
            .embed
            .script_origin()
            .map(|o| o.to_string())
            .as_deref(),
        Some("https://vaapplicationscontent.zoom.us")
    );

    let config = load(&[
        ("ZOOM_PHONE_SMART_EMBED_LOADER", "sdk"),
        (
            "ZOOM_PHONE_SMART_EMBED_SDK_URL",
            "http://localhost:9/__sim/sdk.js",
        ),
    ])
    .unwrap();
    assert_eq!(
        config.app_config().embed.sdk_url.as_deref(),
        Some("http://localhost:9/__sim/sdk.js")
    );
    let err = load(&[("ZOOM_PHONE_SMART_EMBED_LOADER", "script")]).unwrap_err();
    assert!(err.to_string().contains("ZOOM_PHONE_SMART_EMBED_LOADER"));
}

#[test]
fn bridge_timings_reach_the_app_and_are_bounded() {
    let (_file, path) = with_file("[bridge]\ncommand_ttl_ms = 0\nring_timeout_ms = 1500\n");
    let config = load(&[("DIALDESK_CONFIG", &path)]).unwrap();
    let app = config.app_config();
    assert_eq!(app.bridge.command_ttl_ms, 0);
    assert_eq!(app.bridge.ring_timeout_ms, 1500);
    for bad in ["ring_timeout_ms = 50", "command_ttl_ms = 600001"] {
        let (_file, path) = with_file(&format!("[bridge]\n{bad}\n"));
        let message = load(&[("DIALDESK_CONFIG", &path)]).unwrap_err().to_string();
        assert!(message.contains("[bridge]"), "{message}");
    }
}

#[test]
fn the_upload_limit_comes_from_the_file_or_the_environment_and_is_bounded() {
    let (_file, path) = with_file("[import]\nmax_upload_mb = 5\n");
    let config = load(&[("DIALDESK_CONFIG", &path)]).unwrap();
    assert_eq!(config.import.max_upload_bytes(), 5 << 20);
    assert!(config.report().to_string().contains("max_upload_mb=5"));
    let config = load(&[
        ("DIALDESK_CONFIG", &path),
        ("DIALDESK_IMPORT_MAX_UPLOAD_MB", " 7 "),
    ])
    .unwrap();
    assert_eq!(config.import.max_upload_mb, 7);
    for bad in ["0", "1025", "-1", "ten", "1.5"] {
        let message = load(&[("DIALDESK_IMPORT_MAX_UPLOAD_MB", bad)])
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("[import] max_upload_mb (DIALDESK_IMPORT_MAX_UPLOAD_MB): "),
            "{message}"
        );
    }
    for bad in [
        "max_upload_mb = 0",
        "max_upload_mb = 2000",
        "max_upload = 5",
    ] {
        let (_file, path) = with_file(&format!("[import]\n{bad}\n"));
        let message = load(&[("DIALDESK_CONFIG", &path)]).unwrap_err().to_string();
        assert!(message.contains("max_upload"), "{message}");
    }
}

#[test]
fn zoom_auth_needs_the_oauth_app_and_a_public_url() {
    let err = load(&[("DIALDESK_AUTH", "zoom")]).unwrap_err().to_string();
    assert!(
        err.contains("needs ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET and DIALDESK_PUBLIC_URL"),
        "{err}"
    );
    let (_file, path) = with_file("auth = \"zoom\"\n");
    let err = load(&[("DIALDESK_CONFIG", &path), ("ZOOM_CLIENT_ID", "id")])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("needs ZOOM_CLIENT_SECRET and DIALDESK_PUBLIC_URL"),
        "{err}"
    );
    let config = load(&[
        ("DIALDESK_AUTH", "zoom"),
        ("ZOOM_CLIENT_ID", "id"),
        ("ZOOM_CLIENT_SECRET", "secret"),
        ("DIALDESK_PUBLIC_URL", "http://127.0.0.1:8080"),
    ])
    .unwrap();
    assert_eq!(config.auth, AuthMode::Zoom);
    assert!(load(&[("DIALDESK_AUTH", "password")]).is_err());
}

#[test]
fn missing_or_invalid_file_named_by_dialdesk_config() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let err = load(&[("DIALDESK_CONFIG", missing.to_str().unwrap())]).unwrap_err();
    assert!(matches!(err, ConfigError::Read { .. }));
    assert!(err.to_string().contains("nope.toml"));

    let (_file, path) = with_file("redact_numbers = true\n[guard]\nmode = \"maybe\"\n");
    let err = load(&[("DIALDESK_CONFIG", &path)]).unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, ConfigError::Parse { line: 3, .. }),
        "{message}"
    );
    assert!(message.contains(&path), "{message}");
    assert!(!message.contains('\n'), "{message}");

    let (_file, path) = with_file("redact_number = true\n");
    let err = load(&[("DIALDESK_CONFIG", &path)]).unwrap_err();
    assert!(err.to_string().contains("redact_number"), "{err}");
}

#[test]
fn other_invalid_values_are_refused() {
    let cases = [
        "default_region = \"USA\"\n",
        "default_region = \"ZZ\"\n",
        "[wrap_up]\ndefault_code = \"nothing\"\n",
        "[wrap_up]\nseconds = 7200\n",
        "[outbox]\nfirst_retry_ms = 5\n",
        "[outbox]\nfirst_retry_ms = 2000\nmax_retry_ms = 1000\n",
        "[outbox]\nmax_retry_ms = 3600001\n",
        "dispositions = []\n",
        "[[dispositions]]\nlabel = \"A\"\nvalue = \"a\"\ngroup = \"connected\"\n\
         [[dispositions]]\nlabel = \"B\"\nvalue = \"a\"\ngroup = \"connected\"\n\
         [wrap_up]\ndefault_code = \"a\"\n",
        "[[caller_ids]]\nlabel = \"x\"\nnumber = \"415-555-0199\"\n",
        "[embed]\nurl = \"ftp://applications.zoom.us/x\"\n",
    ];
    for text in cases {
        let (_file, path) = with_file(text);
        assert!(load(&[("DIALDESK_CONFIG", &path)]).is_err(), "{text}");
    }
    assert!(load(&[("DIALDESK_LISTEN", "localhost:80")]).is_err());
    assert!(load(&[("DIALDESK_PUBLIC_URL", "https://x.example/app")]).is_err());
}

#[test]
fn wrap_up_and_outbox_reach_the_app() {
    let (_file, path) = with_file(
        "[wrap_up]\nseconds = 45\ndefault_code = \"interested\"\n\
         [outbox]\nfirst_retry_ms = 50\nmax_retry_ms = 400\n",
    );
    let app = load(&[("DIALDESK_CONFIG", &path)]).unwrap().app_config();
    assert_eq!(app.call_logs.wrap_up_secs, 45);
    assert_eq!(app.call_logs.wrap_up_default, "interested");
    assert_eq!(app.call_logs.retry_first_ms, 50);
    assert_eq!(app.call_logs.retry_max_ms, 400);
}

#[test]
fn the_example_file_is_valid_and_matches_the_defaults() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../dialdesk.example.toml");
    let from_example = load(&[("DIALDESK_CONFIG", example)]).unwrap();
    let defaults = load(&[]).unwrap();
    assert_eq!(from_example.app_config(), defaults.app_config());
    assert_eq!(from_example.wrap_up, defaults.wrap_up);
    assert_eq!(from_example.default_region, defaults.default_region);
    assert_eq!(from_example.import, defaults.import);
    assert_eq!(from_example.roles, defaults.roles);
    assert_eq!(from_example.request_timeout, defaults.request_timeout);
    assert_eq!(
        from_example.sign_ins_per_minute,
        defaults.sign_ins_per_minute
    );
    assert_eq!(
        from_example.api_requests_per_minute,
        defaults.api_requests_per_minute
    );
    assert_eq!(from_example.trusted_proxies, defaults.trusted_proxies);
}

#[test]
fn anonymous_sessions_stay_on_loopback_unless_allowed() {
    let refused = load(&[("DIALDESK_LISTEN", "0.0.0.0:8080")]).unwrap_err();
    let message = refused.to_string();
    assert!(
        message.contains("0.0.0.0:8080") && message.contains("allow_unauthenticated_remote = true"),
        "{message}"
    );
    assert!(matches!(
        load(&[("DIALDESK_LISTEN", "192.168.1.20:8080"), ("DIALDESK_AUTH", "none")]),
        Err(ConfigError::UnauthenticatedRemote { location, .. }) if location == "DIALDESK_AUTH"
    ));
    for loopback in ["127.0.0.1:8080", "127.0.0.2:9000", "[::1]:8080"] {
        let config = load(&[("DIALDESK_LISTEN", loopback)]).unwrap();
        assert_eq!(config.process.listen.to_string(), loopback);
    }
    let (_file, path) = with_file("allow_unauthenticated_remote = true\n");
    let config = load(&[
        ("DIALDESK_CONFIG", path.as_str()),
        ("DIALDESK_LISTEN", "0.0.0.0:8080"),
    ])
    .unwrap();
    assert_eq!(config.auth, AuthMode::None);
}

#[test]
fn teams_are_read_and_checked() {
    let (_file, path) = with_file(
        "[[teams]]\nname = \"North\"\nsupervisors = [\"kim@example.com\"]\n\
         members = [\"ann@example.com\", \"u-bo\"]\n\n[[teams]]\nname = \"South\"\n",
    );
    let config = load(&[("DIALDESK_CONFIG", &path)]).unwrap();
    assert_eq!(config.roles.counts(), (0, 1, 2));
    let kim = Person {
        id: None,
        email: Some("KIM@example.com"),
    };
    let role = config.roles.role_of(AuthMode::Zoom, kim.id, kim.email);
    assert_eq!(role, dialdesk_contract::Role::Supervisor);
    let ann = Person {
        id: Some("u-ann"),
        email: Some("ann@example.com"),
    };
    assert!(config.roles.oversight(role, kim).covers(kim, ann));

    let (_file, path) = with_file("[[teams]]\nname = \"A\"\n[[teams]]\nname = \"a\"\n");
    let message = load(&[("DIALDESK_CONFIG", &path)]).unwrap_err().to_string();
    assert!(
        message.contains("[[teams]]") && message.contains("two teams are named"),
        "{message}"
    );
    let (_file, path) = with_file("[[teams]]\nname = \"A\"\nmembers = [\"\"]\n");
    assert!(load(&[("DIALDESK_CONFIG", &path)]).is_err());
}

#[test]
fn the_zoom_accounts_served_are_named_or_the_server_to_server_apps() {
    const ZOOM: [(&str, &str); 4] = [
        ("DIALDESK_AUTH", "zoom"),
        ("ZOOM_CLIENT_ID", "client-id"),
        ("ZOOM_CLIENT_SECRET", "client-secret"),
        ("DIALDESK_PUBLIC_URL", "http://127.0.0.1:8080"),
    ];
    // None named and no server-to-server app: none, and check-config says so.
    let none = load(&ZOOM).unwrap();
    assert!(none.zoom.allowed_accounts.is_empty());
    assert!(!none.zoom.allows_account(Some("acct-1")));
    let report = none.report().to_string();
    assert!(
        report.contains("every sign-in is refused") && report.contains("allowed_account_ids"),
        "{report}"
    );
    // The server-to-server app's account.
    let mut with_s2s = ZOOM.to_vec();
    with_s2s.extend([
        ("ZOOM_ACCOUNT_ID", "acct-s2s"),
        ("ZOOM_S2S_CLIENT_ID", "s2s-id"),
        ("ZOOM_S2S_CLIENT_SECRET", "s2s-secret"),
    ]);
    let s2s = load(&with_s2s).unwrap();
    assert!(s2s.zoom.allows_account(Some("acct-s2s")));
    assert!(!s2s.zoom.allows_account(Some("acct-1")));
    assert!(!s2s.zoom.allows_account(None));
    assert!(!s2s
        .report()
        .to_string()
        .contains("every sign-in is refused"));
    // Named ones replace it.
    let (_file, path) = with_file("[zoom]\nallowed_account_ids = [\" acct-1 \", \"acct-2\"]\n");
    with_s2s.push(("DIALDESK_CONFIG", &path));
    let named = load(&with_s2s).unwrap();
    assert_eq!(named.zoom.allowed_accounts, ["acct-1", "acct-2"]);
    assert!(!named.zoom.allows_account(Some("acct-s2s")));
    let (_file, path) = with_file("[zoom]\nallowed_account_ids = [\"two words\"]\n");
    let message = load(&[("DIALDESK_CONFIG", &path)]).unwrap_err().to_string();
    assert!(message.contains("[zoom] allowed_account_ids"), "{message}");
}
