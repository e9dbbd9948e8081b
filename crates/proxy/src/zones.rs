//! IANA time zones by region, from tzdata's `zone.tab` (compiled in, see
//! [`data`]): the zones of a region, whether a name is a known zone, and the
//! zone a contact gets at the door when it names none.

mod data;

use dialdesk_contract::RegionZones;

use crate::db::contacts::NewNumber;

/// The zone accepted beside those of `zone.tab`.
pub const UTC: &str = "UTC";

/// The IANA zones of `region` (ISO 3166 code such as `US`), in `zone.tab`
/// order; empty for a region `zone.tab` does not list.
pub fn of_region(region: &str) -> &'static [&'static str] {
    data::REGIONS
        .binary_search_by(|(code, _)| (*code).cmp(region))
        .map_or(&[], |index| data::REGIONS[index].1)
}

/// The zone of `region` when it has exactly one (`FR` → `Europe/Paris`).
pub fn single(region: &str) -> Option<&'static str> {
    match of_region(region) {
        [zone] => Some(zone),
        _ => None,
    }
}

/// Whether `name` is a zone of `zone.tab` or `UTC` (exact spelling).
pub fn is_known(name: &str) -> bool {
    name == UTC || data::ZONES.binary_search(&name).is_ok()
}

/// Every region with more than one zone, with its zones: what the call guard
/// needs for contacts whose zone could not be settled from their number.
pub fn multi_zone_regions() -> Vec<RegionZones> {
    data::REGIONS
        .iter()
        .filter(|(_, zones)| zones.len() > 1)
        .map(|(code, zones)| RegionZones {
            region: (*code).to_owned(),
            zones: zones.iter().map(|zone| (*zone).to_owned()).collect(),
        })
        .collect()
}

/// The time zone a contact is stored with: `explicit` when given (the caller
/// has checked it with [`is_known`]), else the single zone of the region of
/// its first number that parsed, else none.
pub fn settle(explicit: Option<String>, numbers: &[NewNumber]) -> Option<String> {
    explicit.or_else(|| {
        let first_callable = numbers.iter().find(|number| number.e164.is_some())?;
        single(first_callable.region.as_deref()?).map(str::to_owned)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(e164: Option<&str>, region: Option<&str>) -> NewNumber {
        NewNumber {
            label: "work".to_owned(),
            raw: e164.unwrap_or("12").to_owned(),
            e164: e164.map(str::to_owned),
            region: region.map(str::to_owned),
            parse_error: e164.is_none().then(|| "fewer than 7 digits".to_owned()),
            display: None,
            do_not_call: None,
        }
    }

    #[test]
    fn the_tables_are_sorted_and_agree() {
        assert!(data::REGIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(data::ZONES.windows(2).all(|w| w[0] < w[1]));
        for (code, zones) in data::REGIONS {
            assert_eq!(code.len(), 2, "{code}");
            assert!(!zones.is_empty(), "{code}");
            assert!(zones.iter().all(|zone| is_known(zone)), "{code}");
        }
    }

    #[test]
    fn every_zone_of_the_table_is_in_the_tz_database_jiff_bundles() {
        let db = jiff::tz::db();
        assert!(db.get("Europe/Atlantis").is_err(), "the check can fail");
        let missing: Vec<&str> = data::ZONES
            .iter()
            .copied()
            .chain([UTC])
            .filter(|zone| db.get(zone).is_err())
            .collect();
        assert!(missing.is_empty(), "not in the tz database: {missing:?}");
    }

    #[test]
    fn zones_of_a_region() {
        assert_eq!(of_region("FR"), ["Europe/Paris"]);
        assert_eq!(single("FR"), Some("Europe/Paris"));
        assert_eq!(single("GB"), Some("Europe/London"));
        let us = of_region("US");
        assert!(us.len() > 20);
        assert_eq!(us[0], "America/New_York");
        assert!(us.contains(&"Pacific/Honolulu"));
        assert_eq!(single("US"), None);
        assert!(of_region("ZZ").is_empty());
        assert!(of_region("fr").is_empty());
        assert_eq!(single(""), None);
    }

    #[test]
    fn known_zones_are_exact_iana_names() {
        for zone in [
            "UTC",
            "Europe/Paris",
            "America/New_York",
            "America/Argentina/Buenos_Aires",
            "America/Indiana/Tell_City",
        ] {
            assert!(is_known(zone), "{zone}");
        }
        for zone in [
            "",
            "utc",
            "EST",
            "UTC+1",
            "Mars/Base",
            "europe/paris",
            "Europe/Paris ",
            "America/",
            "America/New York",
        ] {
            assert!(!is_known(zone), "{zone:?}");
        }
    }

    #[test]
    fn multi_zone_regions_hold_only_regions_with_several_zones() {
        let regions = multi_zone_regions();
        let zones_of = |code: &str| regions.iter().find(|r| r.region == code).map(|r| &r.zones);
        assert!(zones_of("US").is_some_and(|zones| zones.len() > 20));
        assert!(zones_of("AU").is_some() && zones_of("BR").is_some());
        assert!(zones_of("FR").is_none());
        assert!(zones_of("GB").is_none());
        assert!(regions.iter().all(|r| r.zones.len() > 1));
    }

    #[test]
    fn a_contact_keeps_its_explicit_zone_else_takes_its_first_callable_number_s() {
        let paris = || Some("Europe/Paris".to_owned());
        let french = number(Some("+33612345678"), Some("FR"));
        let american = number(Some("+14155550123"), Some("US"));
        let unparsed = number(None, None);
        assert_eq!(
            settle(Some("Asia/Tokyo".to_owned()), std::slice::from_ref(&french)),
            Some("Asia/Tokyo".to_owned())
        );
        assert_eq!(settle(None, &[unparsed.clone(), french.clone()]), paris());
        assert_eq!(settle(None, &[american.clone(), french.clone()]), None);
        assert_eq!(settle(None, &[french, american]), paris());
        assert_eq!(settle(None, &[unparsed]), None);
        assert_eq!(settle(None, &[number(Some("+80012345678"), None)]), None);
        assert_eq!(settle(None, &[]), None);
    }
}
