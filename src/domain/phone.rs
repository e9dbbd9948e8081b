//! Phone number display. Parsing and E.164 normalisation happen on the proxy.

/// A readable form of a number: `(415) 555-0123` for NANP E.164, else as given.
pub fn display_number(number: &str) -> String {
    let digits = number
        .strip_prefix("+1")
        .filter(|rest| rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()));
    match digits {
        Some(d) => format!("({}) {}-{}", &d[..3], &d[3..6], &d[6..]),
        None => number.to_owned(),
    }
}

/// Only the last four digits, for diagnostics: `…0123`.
pub fn redact_number(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    let tail: String = digits[digits.len().saturating_sub(4)..].iter().collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_nanp() {
        assert_eq!(display_number("+14155550123"), "(415) 555-0123");
        assert_eq!(display_number("+442071838750"), "+442071838750");
        assert_eq!(display_number("800"), "800");
        assert_eq!(display_number("+1415555012é"), "+1415555012é");
    }

    #[test]
    fn redacts_to_last_four() {
        assert_eq!(redact_number("+14155550123"), "…0123");
        assert_eq!(redact_number("80"), "…80");
    }
}
