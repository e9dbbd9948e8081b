//! Phone numbers: E.164 normalisation with the `phonenumber` crate, which has
//! panicked on malformed input in the past, so every call runs inside
//! `catch_unwind` with its panic message kept out of the logs.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::panic::{catch_unwind, PanicHookInfo};
use std::sync::Once;

use phonenumber::country::Id;
use phonenumber::Mode;

/// Fewest digits a number needs to be matched; shorter ones are extensions or
/// short codes ("800", "911").
pub const MIN_DIGITS: usize = 7;
/// Longest text handed to the parser; anything longer is not a phone number.
pub const MAX_LEN: usize = 64;

/// A region `phonenumber` knows (two letters, ISO 3166), used for numbers
/// written without a country code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region(Id);

impl Region {
    /// The region of an upper-case two-letter code, if `phonenumber` knows it.
    pub fn parse(code: &str) -> Option<Self> {
        code.parse().ok().map(Self)
    }

    /// The two-letter code.
    pub fn as_str(&self) -> &str {
        self.0.as_ref()
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The ASCII digits of `text`, in order.
pub fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// A number that parsed: its E.164 form and the region it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The E.164 form, `+` and digits.
    pub e164: String,
    /// The number's own region (`+44 20 …` is GB whatever region it was read
    /// in); `None` for numbers of no region, such as `+800` freephone.
    pub region: Option<Region>,
    /// How it reads, grouped for its country: [`display_mode`].
    pub display: String,
}

/// How a number is shown: a North American one in the plan's own form
/// (`(415) 555-0123`, as the app's reps read them), any other in its international
/// form grouped for its country (`+44 20 7946 0958`), so it is clear where it rings.
fn display_mode(country_code: u16) -> Mode {
    if country_code == 1 {
        Mode::National
    } else {
        Mode::International
    }
}

/// `text` in E.164 form with its own region, read in `region` when it has no
/// country code. `None` for text that is not a valid dialable number: fewer
/// than [`MIN_DIGITS`] digits, longer than [`MAX_LEN`] bytes, unparseable,
/// invalid for its region, or a panic inside the parser. An extension
/// (`ext. 12`) is dropped.
pub fn normalize(text: &str, region: Region) -> Option<Normalized> {
    if text.len() > MAX_LEN || digits(text).len() < MIN_DIGITS {
        return None;
    }
    let text = without_written_trunk_prefix(text);
    quiet_panics();
    QUIET.set(true);
    let parsed = catch_unwind(|| {
        let number = phonenumber::parse(Some(region.0), &text).ok()?;
        number.is_valid().then(|| Normalized {
            e164: number.format().mode(Mode::E164).to_string(),
            region: number.country().id().map(Region),
            display: number
                .format()
                .mode(display_mode(number.code().value()))
                .to_string(),
        })
    });
    QUIET.set(false);
    parsed.unwrap_or_else(|_| {
        tracing::warn!("the phone-number parser panicked; the number is treated as unparseable");
        None
    })
}

/// `text` without the `(0)` that Europeans write after a country code
/// (`+44 (0)20 7946 0958`): the trunk prefix dialled at home, never after `+44`.
fn without_written_trunk_prefix(text: &str) -> std::borrow::Cow<'_, str> {
    if text.trim_start().starts_with('+') && text.contains("(0)") {
        text.replacen("(0)", "", 1).into()
    } else {
        text.into()
    }
}

/// The region of a number already in E.164 form (`+44…` → `GB`), when it is
/// a valid number of a region.
pub fn region_of_e164(e164: &str) -> Option<Region> {
    if !e164.starts_with('+') {
        return None;
    }
    // The region read in does not matter: the number has its country code.
    normalize(e164, Region(Id::US))?.region
}

/// How a number already in E.164 form reads ([`Normalized::display`]), when it is
/// a valid number.
pub fn display_of_e164(e164: &str) -> Option<String> {
    if !e164.starts_with('+') {
        return None;
    }
    normalize(e164, Region(Id::US)).map(|parsed| parsed.display)
}

/// How each valid E.164 number of `numbers` reads ([`display_of_e164`]), by number.
pub fn displays_of(numbers: &[String]) -> BTreeMap<String, String> {
    numbers
        .iter()
        .filter_map(|number| Some((number.clone(), display_of_e164(number)?)))
        .collect()
}

/// Why `text` does not [`normalize`] in `region`, in words fit for a person:
/// too long, too few digits, or not a valid number in `region`.
pub fn problem(text: &str, region: Region) -> String {
    if text.len() > MAX_LEN {
        format!("longer than {MAX_LEN} characters")
    } else if digits(text).len() < MIN_DIGITS {
        format!("fewer than {MIN_DIGITS} digits")
    } else {
        format!("not a valid phone number in {region}")
    }
}

/// Loads `phonenumber`'s metadata now (a noticeable pause the first time), so
/// the first match request does not pay for it.
pub fn warm_up() {
    normalize("+1 415 555 0123", Region(Id::US));
}

thread_local! {
    /// Whether this thread is inside [`normalize`]'s `catch_unwind`.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once, a panic hook that stays silent for panics inside
/// [`normalize`] (their message may quote the number) and hands every other
/// panic to the hook that was there before.
fn quiet_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            if !QUIET.get() {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us() -> Region {
        Region::parse("US").unwrap()
    }

    #[test]
    fn every_spelling_of_a_number_normalizes_alike() {
        for text in [
            "(415) 555-0123",
            "415.555.0123",
            "+1 415 555 0123",
            "14155550123",
            "+14155550123",
            "1-415-555-0123",
            "tel:+1-415-555-0123",
            "415-555-0123 x12",
        ] {
            assert_eq!(e164(text, us()).as_deref(), Some("+14155550123"), "{text}");
        }
        assert_eq!(
            e164("020 7946 0958", Region::parse("GB").unwrap()).as_deref(),
            Some("+442079460958")
        );
        assert_eq!(
            e164("+44 (0)20 7946 0958", us()).as_deref(),
            Some("+442079460958")
        );
        assert_eq!(e164("(0)20 7946 0958", us()), None);
    }

    #[test]
    fn a_number_reads_grouped_for_its_country() {
        let gb = Region::parse("GB").unwrap();
        let display = |text: &str, region| normalize(text, region).map(|n| n.display);
        assert_eq!(
            display("020 7946 0958", gb).as_deref(),
            Some("+44 20 7946 0958")
        );
        assert_eq!(
            display_of_e164("+33612345678").as_deref(),
            Some("+33 6 12 34 56 78")
        );
        assert_eq!(
            display("+1 415 555 0123", gb).as_deref(),
            Some("(415) 555-0123")
        );
        assert_eq!(display_of_e164("02079460958"), None);
        let numbers = ["+442079460958".to_owned(), "1234".to_owned()];
        assert_eq!(
            displays_of(&numbers),
            BTreeMap::from([("+442079460958".to_owned(), "+44 20 7946 0958".to_owned())])
        );
        assert_eq!(display_of_e164("+4412"), None);
    }

    fn e164(text: &str, region: Region) -> Option<String> {
        normalize(text, region).map(|number| number.e164)
    }

    fn region_of(text: &str, region: Region) -> Option<String> {
        normalize(text, region)?
            .region
            .map(|region| region.to_string())
    }

    #[test]
    fn a_number_keeps_its_own_region_whatever_region_it_was_read_in() {
        assert_eq!(region_of("+44 20 7946 0958", us()).as_deref(), Some("GB"));
        assert_eq!(region_of("+33 6 12 34 56 78", us()).as_deref(), Some("FR"));
        assert_eq!(
            region_of("011 33 6 12 34 56 78", us()).as_deref(),
            Some("FR")
        );
        assert_eq!(region_of("(415) 555-0123", us()).as_deref(), Some("US"));
        // +1 is shared: Toronto's 416 is Canada.
        assert_eq!(region_of("+1 416 555 0123", us()).as_deref(), Some("CA"));
        let gb = Region::parse("GB").unwrap();
        assert_eq!(region_of("+1 415 555 0123", gb).as_deref(), Some("US"));
        assert_eq!(region_of("020 7946 0958", gb).as_deref(), Some("GB"));
    }

    #[test]
    fn the_region_of_an_e164_number() {
        let of = |e164| region_of_e164(e164).map(|region| region.to_string());
        assert_eq!(of("+442079460958").as_deref(), Some("GB"));
        assert_eq!(of("+14165550123").as_deref(), Some("CA"));
        assert_eq!(of("+14155550123").as_deref(), Some("US"));
        assert_eq!(of("4155550123"), None);
        assert_eq!(of("+999 1234567"), None);
    }

    #[test]
    fn problems_are_put_in_words() {
        assert_eq!(problem("800", us()), "fewer than 7 digits");
        assert_eq!(problem(&"1".repeat(65), us()), "longer than 64 characters");
        assert_eq!(
            problem("+999 1234567", us()),
            "not a valid phone number in US"
        );
    }

    #[test]
    fn short_invalid_and_garbage_numbers_do_not_normalize() {
        for text in [
            "",
            "800",
            "911",
            "555-0123",
            "hello",
            "+",
            "+999 1234567",
            "+1 (555) 555-5555",
            "12345678901234567890",
            "0000000",
            "１２３４５６７８９０",
            "😀😀😀 4155550123 😀😀😀😀😀😀😀😀😀😀😀😀",
        ] {
            assert_eq!(e164(text, us()), None, "{text}");
        }
    }

    #[test]
    fn regions_are_checked_and_displayed() {
        assert_eq!(us().as_str(), "US");
        assert_eq!(Region::parse("GB").unwrap().to_string(), "GB");
        assert_eq!(Region::parse("ZZ"), None);
        assert_eq!(Region::parse("us"), None);
    }

    proptest::proptest! {
        #[test]
        fn normalize_never_panics_and_returns_e164(text in "\\PC{0,40}|[-+0-9 ().x]{0,30}") {
            if let Some(Normalized { e164, .. }) = normalize(&text, us()) {
                proptest::prop_assert!(e164.starts_with('+'));
                proptest::prop_assert!(e164[1..].bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
