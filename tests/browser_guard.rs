//! The call guard against the browser's own time zone data, with the clock injected:
//! fixed instants in winter and summer, so daylight saving is exercised.
#![cfg(target_arch = "wasm32")]

use dialdesk::browser::local_time;
use dialdesk::domain::guard::{check, Concern, Verdict};
use dialdesk_contract::{Contact, ContactNumber, GuardMode, GuardSettings, RegionZones};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// 2026-07-01T12:00:00Z: 08:00 in New York (EDT), 02:00 in Honolulu.
const SUMMER_NOON_UTC: f64 = 1_782_907_200_000.0;
/// 2026-01-15T12:00:00Z: 07:00 in New York (EST).
const WINTER_NOON_UTC: f64 = 1_768_478_400_000.0;
/// 2026-07-01T22:00:00Z: 18:00 in New York, 12:00 in Honolulu.
const SUMMER_LATE_UTC: f64 = 1_782_943_200_000.0;

fn settings() -> GuardSettings {
    GuardSettings {
        mode: GuardMode::Block,
        window_start: "08:00".into(),
        window_end: "21:00".into(),
        region_zones: vec![RegionZones {
            region: "US".to_owned(),
            zones: vec!["America/New_York".to_owned(), "Pacific/Honolulu".to_owned()],
        }],
    }
}

fn contact(zone: Option<&str>) -> Contact {
    Contact {
        version: 1,
        id: 7,
        name: "Grace".into(),
        company: None,
        title: None,
        email: None,
        time_zone: zone.map(str::to_owned),
        numbers: Vec::new(),
    }
}

fn us_number() -> ContactNumber {
    ContactNumber {
        label: "work".into(),
        raw: "(212) 555-0100".into(),
        e164: Some("+12125550100".into()),
        region: Some("US".into()),
        ..ContactNumber::default()
    }
}

fn verdict(zone: Option<&str>, instant: f64) -> Verdict {
    check(&settings(), &contact(zone), &us_number(), |z| {
        local_time(z, instant)
    })
}

#[wasm_bindgen_test]
fn reads_local_time_with_daylight_saving() {
    assert_eq!(
        local_time("America/New_York", SUMMER_NOON_UTC),
        Some(8 * 60)
    );
    assert_eq!(
        local_time("America/New_York", WINTER_NOON_UTC),
        Some(7 * 60)
    );
    assert_eq!(
        local_time("Pacific/Honolulu", SUMMER_NOON_UTC),
        Some(2 * 60)
    );
    assert_eq!(
        local_time("Asia/Kolkata", SUMMER_NOON_UTC),
        Some(17 * 60 + 30)
    );
}

#[wasm_bindgen_test]
fn an_unknown_zone_is_none_not_a_crash() {
    assert_eq!(local_time("Mars/Olympus", SUMMER_NOON_UTC), None);
    assert_eq!(local_time("", SUMMER_NOON_UTC), None);
    assert_eq!(
        verdict(Some("Mars/Olympus"), SUMMER_NOON_UTC),
        Verdict::Confirm(Concern::ZoneUnknown { region: None })
    );
}

#[wasm_bindgen_test]
fn the_window_follows_the_contacts_zone() {
    assert_eq!(
        verdict(Some("America/New_York"), SUMMER_NOON_UTC),
        Verdict::Allow
    );
    assert_eq!(
        verdict(Some("America/New_York"), WINTER_NOON_UTC),
        Verdict::Block(Concern::OutsideWindow {
            zone: "America/New_York".into(),
            local: 7 * 60,
        })
    );
}

#[wasm_bindgen_test]
fn a_multi_zone_region_must_be_open_everywhere() {
    assert_eq!(
        verdict(None, SUMMER_NOON_UTC),
        Verdict::Confirm(Concern::ZoneUnknown {
            region: Some("US".into())
        })
    );
    assert_eq!(verdict(None, SUMMER_LATE_UTC), Verdict::Allow);
}
