//! Phone numbers: E.164 normalisation with the `phonenumber` crate, which has
//! panicked on malformed input in the past, so every call runs inside
//! `catch_unwind` with its panic message kept out of the logs (DESIGN §12).

use std::cell::Cell;
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

/// The E.164 form of `text`, read in `region` when it has no country code.
/// `None` for text that is not a valid dialable number: fewer than
/// [`MIN_DIGITS`] digits, longer than [`MAX_LEN`] bytes, unparseable, invalid
/// for its region, or a panic inside the parser. An extension (`ext. 12`) is
/// dropped.
pub fn normalize(text: &str, region: Region) -> Option<String> {
    if text.len() > MAX_LEN || digits(text).len() < MIN_DIGITS {
        return None;
    }
    quiet_panics();
    QUIET.set(true);
    let parsed = catch_unwind(|| {
        let number = phonenumber::parse(Some(region.0), text).ok()?;
        number
            .is_valid()
            .then(|| number.format().mode(Mode::E164).to_string())
    });
    QUIET.set(false);
    parsed.unwrap_or_else(|_| {
        tracing::warn!("the phone-number parser panicked; the number is treated as unparseable");
        None
    })
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
            assert_eq!(
                normalize(text, us()).as_deref(),
                Some("+14155550123"),
                "{text}"
            );
        }
        assert_eq!(
            normalize("020 7946 0958", Region::parse("GB").unwrap()).as_deref(),
            Some("+442079460958")
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
            assert_eq!(normalize(text, us()), None, "{text}");
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
            if let Some(e164) = normalize(&text, us()) {
                proptest::prop_assert!(e164.starts_with('+'));
                proptest::prop_assert!(e164[1..].bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
