//! Bytes → text: the file's encoding (UTF-8 with or without a byte-order mark,
//! else Windows-1252) and its delimiter (`,`, `;` or tab, from the header line).

use std::borrow::Cow;

use super::ImportError;

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";
/// How much of the file is checked for NUL bytes, which text never has.
const SNIFF_LEN: usize = 8192;
/// Delimiters recognised in the header line, the first wins a tie.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// How the file's bytes become text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (the whole file is valid UTF-8, or it starts with a byte-order
    /// mark); a row that is not valid UTF-8 is malformed.
    Utf8,
    /// Windows-1252: every byte is a character.
    Windows1252,
}

/// A file ready to be split into records.
#[derive(Debug)]
pub struct Source<'a> {
    /// The bytes after any byte-order mark.
    pub body: &'a [u8],
    /// Their encoding.
    pub encoding: Encoding,
    /// The field delimiter.
    pub delimiter: u8,
}

/// Works out the encoding and delimiter of `bytes`. Fails when the file is
/// empty or not text (NUL bytes, e.g. UTF-16, a spreadsheet or an image).
pub fn source(bytes: &[u8]) -> Result<Source<'_>, ImportError> {
    let (body, has_bom) = match bytes.strip_prefix(BOM) {
        Some(body) => (body, true),
        None => (bytes, false),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    if body.iter().take(SNIFF_LEN).any(|&byte| byte == 0) {
        return Err(ImportError::NotText);
    }
    let encoding = if has_bom || std::str::from_utf8(body).is_ok() {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    };
    Ok(Source {
        body,
        encoding,
        delimiter: delimiter(body),
    })
}

/// The delimiter that occurs most often, outside double quotes, in the first
/// non-blank line; `,` when none does.
fn delimiter(body: &[u8]) -> u8 {
    let header = body
        .split(|&byte| byte == b'\n')
        .find(|line| !line.iter().all(u8::is_ascii_whitespace))
        .unwrap_or_default();
    let mut counts = [0_usize; DELIMITERS.len()];
    let mut quoted = false;
    for &byte in header {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(slot) = DELIMITERS.iter().position(|&d| d == byte) {
                counts[slot] += 1;
            }
        }
    }
    let mut best = 0;
    for (slot, &count) in counts.iter().enumerate() {
        if count > counts[best] {
            best = slot;
        }
    }
    DELIMITERS[best]
}

/// The text of one field, or `None` when it is not valid in `encoding` or
/// holds control characters other than tab and line breaks.
pub fn decode(encoding: Encoding, field: &[u8]) -> Option<Cow<'_, str>> {
    let text = match encoding {
        Encoding::Utf8 => Cow::Borrowed(std::str::from_utf8(field).ok()?),
        Encoding::Windows1252 => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(field)
                .0
        }
    };
    let clean = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\t' | '\r' | '\n'));
    clean.then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_detected() {
        let utf8 = source("name\nZoë\n".as_bytes()).unwrap();
        assert_eq!(utf8.encoding, Encoding::Utf8);
        let bom = source(b"\xEF\xBB\xBFname\nx\n").unwrap();
        assert_eq!(
            (bom.encoding, bom.body),
            (Encoding::Utf8, &b"name\nx\n"[..])
        );
        let latin = source(b"name\nM\xFCller\n").unwrap();
        assert_eq!(latin.encoding, Encoding::Windows1252);
        assert_eq!(decode(latin.encoding, b"M\xFCller").unwrap(), "Müller");
        assert_eq!(decode(Encoding::Utf8, b"M\xFCller"), None);
        assert_eq!(decode(Encoding::Utf8, b"a\x01b"), None);
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        assert!(matches!(source(b""), Err(ImportError::Empty)));
        assert!(matches!(
            source(b"\xEF\xBB\xBF \r\n"),
            Err(ImportError::Empty)
        ));
        assert!(matches!(
            source(b"\xFF\xFEn\0a\0m\0e\0"),
            Err(ImportError::NotText)
        ));
    }

    #[test]
    fn delimiters_are_detected_from_the_header() {
        assert_eq!(delimiter(b"name,phone\n"), b',');
        assert_eq!(delimiter(b"name;phone;e-mail\na,b;c\n"), b';');
        assert_eq!(delimiter(b"\nname\tphone\n"), b'\t');
        assert_eq!(delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(delimiter(b"name\n"), b',');
    }
}
