//! Local time of day in an IANA zone, through the browser's `Intl` (the
//! time zone database stays out of the wasm).

use js_sys::{Date, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::domain::guard::{parse_hhmm, Minutes};

#[wasm_bindgen]
extern "C" {
    /// `Intl.DateTimeFormat`, bound with `catch` on the constructor: an unknown
    /// zone throws a `RangeError`, which must become `None`, not an abort.
    #[wasm_bindgen(js_namespace = Intl, js_name = DateTimeFormat)]
    type ZoneFormat;

    #[wasm_bindgen(catch, constructor, js_namespace = Intl, js_class = "DateTimeFormat")]
    fn new(locale: &str, options: &Object) -> Result<ZoneFormat, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn format(this: &ZoneFormat, date: &Date) -> Result<String, JsValue>;
}

/// Local time in `zone` at `instant_ms` (milliseconds since the epoch); `None` when
/// the browser does not know the zone.
pub fn local_time(zone: &str, instant_ms: f64) -> Option<Minutes> {
    let options = Object::new();
    for (key, value) in [
        ("timeZone", zone),
        ("hourCycle", "h23"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    let format = ZoneFormat::new("en-GB", &options).ok()?;
    let text = format.format(&Date::new(&instant_ms.into())).ok()?;
    parse_hhmm(&text)
}

/// When `iso` (an ISO-8601 instant) happened, in the browser's own time zone:
/// `14:02` today, else `3 Dec 14:02` (`3 Dec 2025 14:02` in another year); the text
/// as given when it is not a time.
pub fn local_when(iso: &str) -> String {
    let date = Date::new(&JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    when(&date)
}

/// Like [`local_when`], for milliseconds since the epoch.
pub fn local_when_ms(ms: f64) -> String {
    when(&Date::new(&JsValue::from_f64(ms)))
}

fn when(date: &Date) -> String {
    let today = Date::new_0();
    let clock = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
    if date.to_date_string() == today.to_date_string() {
        return clock;
    }
    let month = MONTHS[date.get_month() as usize % 12];
    if date.get_full_year() == today.get_full_year() {
        format!("{} {month} {clock}", date.get_date())
    } else {
        format!(
            "{} {month} {} {clock}",
            date.get_date(),
            date.get_full_year()
        )
    }
}

/// `14:02` today, else the day and month (`3 Dec`), in the browser's time zone;
/// empty when `iso` is not a time.
pub fn local_day_or_time(iso: &str) -> String {
    let date = Date::new(&JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return String::new();
    }
    if date.to_date_string() == Date::new_0().to_date_string() {
        format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
    } else {
        format!(
            "{} {}",
            date.get_date(),
            MONTHS[date.get_month() as usize % 12]
        )
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
