//! Local time of day in an IANA zone, through the browser's `Intl` (DESIGN §12: the
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
