//! Sign-in with Zoom and the Zoom lookups, decided without the browser: which screen
//! shows (start-up, a refused session), the caller IDs offered, the range of the
//! unlogged calls view, and the contact sync's progress.

use dialdesk_contract::{AuthMode, CallerId, Me, SyncStatus, ZoomCall};

/// What the app shows once configuration and session have been asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Sign-in with Zoom is needed; the proxy's reason when a session ended under
    /// the user (none at start-up).
    SignIn(Option<String>),
    /// The workspace.
    Ready,
    /// Start-up failed, with the reason.
    Failed(String),
}

/// Start-up's outcome once configuration is known: the workspace when the session
/// exists; the sign-in screen when Zoom sign-in is configured and the proxy answered
/// 401; else the failure. `refused` is the session request's status and message.
pub fn started(auth: AuthMode, refused: Option<(Option<u16>, String)>) -> Gate {
    match refused {
        None => Gate::Ready,
        Some((Some(401), _)) if auth == AuthMode::Zoom => Gate::SignIn(None),
        Some((_, message)) => Gate::Failed(message),
    }
}

/// What a later 401 (the session ended, or Zoom refused the user's tokens) does: the
/// workspace gives way to the sign-in screen with the proxy's message. Anything else
/// stays: the screen shows once, and nothing ever redirects by itself.
pub fn signed_out(gate: &Gate, auth: AuthMode, message: &str) -> Option<Gate> {
    match gate {
        Gate::Ready if auth == AuthMode::Zoom => Some(Gate::SignIn(Some(message.to_owned()))),
        _ => None,
    }
}

/// The signed-in user's direct numbers as caller IDs labelled "Zoom", each read as
/// the proxy groups it.
pub fn zoom_caller_ids(me: &Me) -> Vec<CallerId> {
    me.phone_numbers
        .iter()
        .map(|number| CallerId {
            label: "Zoom".to_owned(),
            number: number.clone(),
            display: me.displays.get(number).cloned(),
        })
        .collect()
}

/// The caller IDs offered and the one selected: the signed-in user's Zoom numbers
/// (`zoom`, once known) when there are any, else the configured ones; the rep's
/// earlier pick when it is among them, else the first.
pub fn caller_choice(
    zoom: Option<&[CallerId]>,
    configured: &[CallerId],
    picked: Option<&str>,
) -> (Vec<CallerId>, Option<String>) {
    let options: Vec<CallerId> = match zoom {
        Some(mine) if !mine.is_empty() => mine.to_vec(),
        _ => configured.to_vec(),
    };
    let selected = picked
        .filter(|p| options.iter().any(|o| o.number == *p))
        .map(str::to_owned)
        .or_else(|| options.first().map(|o| o.number.clone()));
    (options, selected)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// The day count of `day` (`YYYY-MM-DD`, a real date), else `None`.
fn day_number(day: &str) -> Option<i64> {
    let bytes = day.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let part = |range: std::ops::Range<usize>| -> Option<i64> {
        let text = day.get(range)?;
        text.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| text.parse().ok())?
    };
    let (y, m, d) = (part(0..4)?, part(5..7)?, part(8..10)?);
    let n = days_from_civil(y, m, d);
    (civil_from_days(n) == (y, m, d)).then_some(n)
}

/// The UTC day `n` days before `day` (`YYYY-MM-DD`), when `day` is a real date.
pub fn days_before(day: &str, n: u32) -> Option<String> {
    let (y, m, d) = civil_from_days(day_number(day)? - i64::from(n));
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// The unlogged calls view's default range: the last 7 UTC days, `today` included
/// (the proxy's default too).
pub fn default_range(today: &str) -> (String, String) {
    let from = days_before(today, 6).unwrap_or_else(|| today.to_owned());
    (from, today.to_owned())
}

/// The query of `GET /api/calls/unlogged` for the days typed: real dates only (a
/// day left out takes the proxy's default), the earlier first.
pub fn unlogged_query(from: &str, to: &str) -> String {
    let (mut from, mut to) = (day_number(from).map(|_| from), day_number(to).map(|_| to));
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            (from, to) = (Some(b), Some(a));
        }
    }
    let parts: Vec<String> = [("from", from), ("to", to)]
        .into_iter()
        .filter_map(|(name, day)| day.map(|d| format!("{name}={d}")))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// The unlogged calls view's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unlogged {
    /// Being asked for.
    Loading,
    /// The calls without a saved log, newest first.
    Calls(Vec<ZoomCall>),
    /// Why the list could not be read.
    Failed(String),
}

/// When a call of Zoom's history started, as `YYYY-MM-DD HH:MM` (with `UTC` when
/// Zoom gave UTC); text that is not a timestamp is shown as it came.
pub fn start_time(time: &str) -> String {
    match (time.get(..10), time.get(10..11), time.get(11..16)) {
        (Some(day), Some("T"), Some(clock)) if day_number(day).is_some() => {
            let utc = time.ends_with('Z') || time.ends_with("+00:00");
            format!("{day} {clock}{}", if utc { " UTC" } else { "" })
        }
        _ => time.to_owned(),
    }
}

/// The contact sync's progress in words, and whether it still runs.
pub fn sync_progress(status: &SyncStatus) -> (String, bool) {
    let kept = match status.kept.len() {
        0 => String::new(),
        1 => ", 1 edit made in dialdesk kept".to_owned(),
        n => format!(", {n} edits made in dialdesk kept"),
    };
    let counts = format!(
        "{} read, {} added, {} updated{kept}",
        status.read, status.created, status.updated
    );
    match status.state.as_str() {
        "running" => (format!("Syncing Zoom contacts… {counts}"), true),
        "done" => (format!("Zoom contacts synced: {counts}"), false),
        "failed" => (
            format!(
                "The Zoom contact sync failed: {}",
                status.error.as_deref().unwrap_or("no reason given")
            ),
            false,
        ),
        _ => (String::new(), false),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn a_refused_session_asks_for_sign_in_only_with_zoom_sign_in() {
        assert_eq!(started(AuthMode::Zoom, None), Gate::Ready);
        let refused = || Some((Some(401), "sign in with Zoom to continue".to_owned()));
        assert_eq!(started(AuthMode::Zoom, refused()), Gate::SignIn(None));
        assert_eq!(
            started(AuthMode::None, refused()),
            Gate::Failed("sign in with Zoom to continue".into())
        );
        assert_eq!(
            started(AuthMode::Zoom, Some((None, "offline".into()))),
            Gate::Failed("offline".into())
        );
        assert_eq!(
            started(AuthMode::Zoom, Some((Some(500), "broken".into()))),
            Gate::Failed("broken".into())
        );
    }

    #[test]
    fn a_later_refusal_shows_the_sign_in_screen_once_with_the_reason() {
        let expired = "your Zoom sign-in has expired or was revoked; sign in with Zoom again";
        let shown = signed_out(&Gate::Ready, AuthMode::Zoom, expired);
        assert_eq!(shown, Some(Gate::SignIn(Some(expired.into()))));
        // Once: further refusals change nothing, and nothing happens during start-up.
        let screen = Gate::SignIn(Some(expired.into()));
        assert_eq!(signed_out(&screen, AuthMode::Zoom, "other"), None);
        assert_eq!(signed_out(&Gate::SignIn(None), AuthMode::Zoom, "x"), None);
        assert_eq!(
            signed_out(&Gate::Failed("x".into()), AuthMode::Zoom, "x"),
            None
        );
        assert_eq!(signed_out(&Gate::Ready, AuthMode::None, "x"), None);
    }

    #[test]
    fn the_caller_id_choice_prefers_zoom_numbers_and_keeps_the_pick() {
        let configured = vec![
            CallerId {
                label: "Main".into(),
                number: "+14155550100".into(),
                display: None,
            },
            CallerId {
                label: "Sales".into(),
                number: "+14155550188".into(),
                display: None,
            },
        ];
        let (options, selected) = caller_choice(None, &configured, None);
        assert_eq!(options, configured);
        assert_eq!(selected.as_deref(), Some("+14155550100"));
        let (_, selected) = caller_choice(None, &configured, Some("+14155550188"));
        assert_eq!(selected.as_deref(), Some("+14155550188"));

        let me = Me {
            phone_numbers: vec!["+12125550142".to_owned(), "+12125550143".to_owned()],
            displays: BTreeMap::from([("+12125550142".to_owned(), "(212) 555-0142".to_owned())]),
            id: "u1".into(),
            name: "Ava".into(),
            email: "ava@example.com".into(),
            extension_number: None,
        };
        let mine = zoom_caller_ids(&me);
        assert_eq!(mine[0].label, "Zoom");
        assert_eq!(mine[0].display.as_deref(), Some("(212) 555-0142"));
        assert_eq!(mine[1].display, None);
        let (options, selected) = caller_choice(Some(&mine), &configured, Some("+14155550188"));
        let numbers: Vec<&str> = options.iter().map(|o| o.number.as_str()).collect();
        assert_eq!(numbers, ["+12125550142", "+12125550143"]);
        assert_eq!(
            selected.as_deref(),
            Some("+12125550142"),
            "first Zoom number"
        );
        let (_, selected) = caller_choice(Some(&mine), &configured, Some("+12125550143"));
        assert_eq!(selected.as_deref(), Some("+12125550143"), "the rep's pick");

        // Signed in without direct numbers: the configured ones.
        let (options, _) = caller_choice(Some(&[]), &configured, None);
        assert_eq!(options, configured);
        assert_eq!(caller_choice(None, &[], None), (Vec::new(), None));
    }

    #[test]
    fn the_default_range_is_the_last_seven_utc_days() {
        assert_eq!(
            default_range("2026-12-04"),
            ("2026-11-28".into(), "2026-12-04".into())
        );
        assert_eq!(days_before("2026-03-01", 1).as_deref(), Some("2026-02-28"));
        assert_eq!(days_before("2024-03-01", 1).as_deref(), Some("2024-02-29"));
        assert_eq!(days_before("2026-01-03", 6).as_deref(), Some("2025-12-28"));
        assert_eq!(days_before("2026-02-30", 1), None);
        assert_eq!(days_before("2026-1-03", 1), None);
        assert_eq!(days_before("+026-01-03", 1), None);
        assert_eq!(
            default_range("garbage"),
            ("garbage".into(), "garbage".into())
        );
    }

    #[test]
    fn the_query_keeps_real_days_in_order() {
        assert_eq!(
            unlogged_query("2026-11-28", "2026-12-04"),
            "?from=2026-11-28&to=2026-12-04"
        );
        assert_eq!(
            unlogged_query("2026-12-04", "2026-11-28"),
            "?from=2026-11-28&to=2026-12-04"
        );
        assert_eq!(unlogged_query("", "2026-12-04"), "?to=2026-12-04");
        assert_eq!(unlogged_query("x&y=1", ""), "");
    }

    #[test]
    fn start_times_read_as_day_and_clock() {
        assert_eq!(start_time("2026-12-03T09:15:42Z"), "2026-12-03 09:15 UTC");
        assert_eq!(start_time("2026-12-03T09:15:42+01:00"), "2026-12-03 09:15");
        assert_eq!(start_time("yesterday"), "yesterday");
        assert_eq!(start_time(""), "");
    }

    #[test]
    fn the_sync_says_how_far_it_got() {
        let mut status = SyncStatus {
            state: "running".into(),
            read: 120,
            created: 3,
            updated: 7,
            ..SyncStatus::default()
        };
        assert_eq!(
            sync_progress(&status),
            (
                "Syncing Zoom contacts… 120 read, 3 added, 7 updated".into(),
                true
            )
        );
        status.state = "done".into();
        assert_eq!(
            sync_progress(&status),
            (
                "Zoom contacts synced: 120 read, 3 added, 7 updated".into(),
                false
            )
        );
        status.state = "failed".into();
        status.error = Some("missing scope".into());
        assert_eq!(
            sync_progress(&status),
            ("The Zoom contact sync failed: missing scope".into(), false)
        );
        status.state = "idle".into();
        assert_eq!(sync_progress(&status), (String::new(), false));
    }
}
