use dialdesk_contract::RegionZones;

use super::*;

/// Fixed UTC offsets in minutes (no daylight saving: the clock here is a table).
const OFFSETS: [(&str, i32); 5] = [
    ("America/New_York", -5 * 60),
    ("America/Chicago", -6 * 60),
    ("America/Los_Angeles", -8 * 60),
    ("Pacific/Honolulu", -10 * 60),
    ("Europe/Paris", 60),
];

/// The injected clock: local time in `zone` when it is `utc` (minutes) in London.
fn clock(utc: i32) -> impl Fn(&str) -> Option<Minutes> {
    move |zone| {
        let (_, offset) = OFFSETS.iter().find(|(name, _)| *name == zone)?;
        Minutes::try_from((utc + offset).rem_euclid(24 * 60)).ok()
    }
}

fn at(hours: i32, minutes: i32) -> i32 {
    hours * 60 + minutes
}

fn settings(mode: GuardMode) -> GuardSettings {
    let us: Vec<String> = OFFSETS[..4].iter().map(|(z, _)| (*z).to_owned()).collect();
    GuardSettings {
        mode,
        window_start: "08:00".into(),
        window_end: "21:00".into(),
        region_zones: vec![RegionZones {
            region: "US".to_owned(),
            zones: us,
        }],
    }
}

fn contact(zone: Option<&str>) -> Contact {
    Contact {
        version: 1,
        id: 1,
        name: "Ada".into(),
        company: None,
        title: None,
        email: None,
        time_zone: zone.map(str::to_owned),
        numbers: Vec::new(),
    }
}

fn number(region: Option<&str>, do_not_call: bool) -> ContactNumber {
    ContactNumber {
        label: "work".into(),
        raw: "+12125550100".into(),
        e164: Some("+12125550100".into()),
        region: region.map(str::to_owned),
        parse_error: None,
        do_not_call,
        display: None,
    }
}

#[test]
fn inside_the_window_of_an_explicit_zone_goes_ahead() {
    let paris = contact(Some("Europe/Paris"));
    let verdict = check(
        &settings(GuardMode::Block),
        &paris,
        &number(Some("FR"), false),
        clock(at(10, 0)),
    );
    assert_eq!(verdict, Verdict::Allow);
}

#[test]
fn outside_the_window_is_blocked_or_confirmed_per_configuration() {
    let new_york = contact(Some("America/New_York"));
    let late = clock(at(2, 30)); // 21:30 in New York
    let concern = Concern::OutsideWindow {
        zone: "America/New_York".into(),
        local: 21 * 60 + 30,
    };
    let block = check(
        &settings(GuardMode::Block),
        &new_york,
        &number(None, false),
        &late,
    );
    assert_eq!(block, Verdict::Block(concern.clone()));
    let confirm = check(
        &settings(GuardMode::Confirm),
        &new_york,
        &number(None, false),
        &late,
    );
    assert_eq!(confirm, Verdict::Confirm(concern.clone()));
    assert_eq!(
        explain(&concern, &settings(GuardMode::Block)),
        "Outside calling hours: 21:30 in America/New_York (calls 08:00–21:00)"
    );
}

#[test]
fn the_window_starts_inclusive_and_ends_exclusive() {
    let new_york = contact(Some("America/New_York"));
    let verdict_at = |utc| {
        check(
            &settings(GuardMode::Block),
            &new_york,
            &number(None, false),
            clock(utc),
        )
    };
    assert_eq!(verdict_at(at(13, 0)), Verdict::Allow); // 08:00
    assert!(matches!(verdict_at(at(12, 59)), Verdict::Block(_))); // 07:59
    assert_eq!(verdict_at(at(1, 59)), Verdict::Allow); // 20:59
    assert!(matches!(verdict_at(at(2, 0)), Verdict::Block(_))); // 21:00
}

#[test]
fn an_explicit_zone_wins_over_the_numbers_region() {
    let paris = contact(Some("Europe/Paris"));
    // 15:00 in Paris, 06:00 in New York: the US region would say no.
    let verdict = check(
        &settings(GuardMode::Block),
        &paris,
        &number(Some("US"), false),
        clock(at(14, 0)),
    );
    assert_eq!(verdict, Verdict::Allow);
}

#[test]
fn a_multi_zone_region_needs_the_window_open_in_every_zone() {
    let nowhere = contact(None);
    let us = number(Some("US"), false);
    let check_at = |utc| check(&settings(GuardMode::Block), &nowhere, &us, clock(utc));
    // 20:00 UTC: 15:00 New York … 10:00 Honolulu: open everywhere.
    assert_eq!(check_at(at(20, 0)), Verdict::Allow);
    // 14:00 UTC: 09:00 New York but 04:00 Honolulu: some zones closed.
    let mixed = check_at(at(14, 0));
    assert_eq!(
        mixed,
        Verdict::Confirm(Concern::ZoneUnknown {
            region: Some("US".into())
        })
    );
    assert_eq!(
        explain(
            &Concern::ZoneUnknown {
                region: Some("US".into())
            },
            &settings(GuardMode::Block)
        ),
        "Time zone unknown: calling hours are open in only some of US's zones"
    );
    // 09:00 UTC: 04:00 New York … 23:00 Honolulu: closed everywhere, so blocked.
    assert!(matches!(
        check_at(at(9, 0)),
        Verdict::Block(Concern::OutsideWindow { .. })
    ));
}

#[test]
fn no_zone_at_all_asks_to_confirm_even_in_block_mode() {
    let unknown = Verdict::Confirm(Concern::ZoneUnknown { region: None });
    let nowhere = contact(None);
    let block = settings(GuardMode::Block);
    assert_eq!(
        check(&block, &nowhere, &number(None, false), clock(0)),
        unknown
    );
    // A region without zones in the table, and a zone the browser does not know.
    assert_eq!(
        check(&block, &nowhere, &number(Some("ZZ"), false), clock(0)),
        unknown
    );
    let mars = contact(Some("Mars/Olympus"));
    assert_eq!(
        check(&block, &mars, &number(None, false), clock(0)),
        unknown
    );
}

#[test]
fn do_not_call_wins_whatever_the_time() {
    let paris = contact(Some("Europe/Paris"));
    let listed = number(Some("FR"), true);
    let noon = clock(at(11, 0));
    assert_eq!(
        check(&settings(GuardMode::Block), &paris, &listed, &noon),
        Verdict::Block(Concern::DoNotCall)
    );
    assert_eq!(
        check(&settings(GuardMode::Confirm), &paris, &listed, &noon),
        Verdict::Confirm(Concern::DoNotCall)
    );
}

#[test]
fn a_window_across_midnight_wraps() {
    let night = Window::parse("22:00", "06:00").unwrap();
    assert!(night.contains(23 * 60));
    assert!(night.contains(5 * 60));
    assert!(!night.contains(12 * 60));
    assert!(!night.contains(6 * 60));
}

#[test]
fn times_of_day_parse_strictly() {
    assert_eq!(parse_hhmm("08:00"), Some(480));
    assert_eq!(parse_hhmm("8:05"), Some(485));
    assert_eq!(parse_hhmm("23:59"), Some(1439));
    assert_eq!(parse_hhmm("24:00"), Some(1440));
    let all_day = Window::parse("00:00", "24:00").unwrap();
    assert!(all_day.contains(0) && all_day.contains(1439));
    for bad in [
        "24:01",
        "25:00",
        "12:60",
        "12",
        "12:5",
        "ab:cd",
        "-1:00",
        "",
        "1:2:3",
        "١٢:٠٠",
    ] {
        assert_eq!(parse_hhmm(bad), None, "{bad:?}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parsing_never_panics_and_round_trips(text in "\\PC{0,8}", minutes in 0u16..1440) {
            let _ = parse_hhmm(&text);
            prop_assert_eq!(parse_hhmm(&format_hhmm(minutes)), Some(minutes));
        }
    }
}
