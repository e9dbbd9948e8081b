//! Bytes → text: the file's encoding (UTF-8 with or without a byte-order mark,
//! else Windows-1252) and its delimiter (`,`, `;` or tab, from the header line),
//! found in one pass over the file in chunks, so an upload on disk is never read
//! into memory whole.

use std::borrow::Cow;
use std::io::{ErrorKind, Read};

use super::ImportError;

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";
/// How much of the file is checked for NUL bytes, which text never has.
const SNIFF_LEN: usize = 8192;
/// Delimiters recognised in the header line, the first wins a tie.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];
/// How much of the file one read takes.
const CHUNK: usize = 64 * 1024;
/// The longest header line looked at for the delimiter.
const MAX_HEADER: usize = 64 * 1024;

/// How the file's bytes become text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (the whole file is valid UTF-8, or it starts with a byte-order
    /// mark); a row that is not valid UTF-8 is malformed.
    Utf8,
    /// Windows-1252: every byte is a character.
    Windows1252,
}

/// How a file is read: its encoding, its delimiter, and whether a byte-order
/// mark comes first (the records start after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The text encoding.
    pub encoding: Encoding,
    /// The field delimiter.
    pub delimiter: u8,
    /// Whether the file starts with the UTF-8 byte-order mark.
    pub bom: bool,
}

impl Layout {
    /// Bytes before the first record.
    pub fn skip(self) -> u64 {
        if self.bom {
            BOM.len() as u64
        } else {
            0
        }
    }
}

/// Works out the layout of `file`, read to its end. Fails when the file is empty
/// or not text (NUL bytes, e.g. UTF-16, a spreadsheet or an image), or cannot be
/// read.
pub fn layout(file: &mut impl Read) -> Result<Layout, ImportError> {
    layout_in_chunks(file, CHUNK)
}

fn layout_in_chunks(file: &mut impl Read, chunk: usize) -> Result<Layout, ImportError> {
    let mut scan = Scan::default();
    let mut buffer = vec![0; chunk.max(1)];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => scan.feed(&buffer[..read]),
            Err(err) if err.kind() == ErrorKind::Interrupted => {}
            Err(err) => return Err(ImportError::Unreadable(err)),
        }
    }
    scan.finish()
}

/// What one pass has seen so far.
#[derive(Default)]
struct Scan {
    /// The first bytes, held until it is known whether they are a byte-order mark.
    start: Vec<u8>,
    bom: Option<bool>,
    /// Body bytes seen (after any byte-order mark).
    seen: usize,
    blank: bool,
    nul: bool,
    invalid_utf8: bool,
    /// The end of an incomplete UTF-8 sequence, completed by the next chunk.
    partial: Vec<u8>,
    /// The first non-blank line, as far as read (at most [`MAX_HEADER`] bytes).
    header: Vec<u8>,
    header_done: bool,
}

impl Scan {
    fn feed(&mut self, bytes: &[u8]) {
        if self.bom.is_some() {
            self.body(bytes);
            return;
        }
        self.start.extend_from_slice(bytes);
        if self.start.len() >= BOM.len() {
            self.settle_bom();
        }
    }

    fn settle_bom(&mut self) {
        let start = std::mem::take(&mut self.start);
        let bom = start.starts_with(BOM);
        self.bom = Some(bom);
        self.blank = true;
        self.body(if bom { &start[BOM.len()..] } else { &start });
    }

    fn body(&mut self, bytes: &[u8]) {
        self.blank &= bytes.iter().all(u8::is_ascii_whitespace);
        if self.seen < SNIFF_LEN {
            let sniffed = &bytes[..bytes.len().min(SNIFF_LEN - self.seen)];
            self.nul |= sniffed.contains(&0);
        }
        self.seen = self.seen.saturating_add(bytes.len());
        if !self.invalid_utf8 {
            self.check_utf8(bytes);
        }
        if !self.header_done {
            self.read_header(bytes);
        }
    }

    fn check_utf8(&mut self, bytes: &[u8]) {
        let mut joined = std::mem::take(&mut self.partial);
        joined.extend_from_slice(bytes);
        if let Err(err) = std::str::from_utf8(&joined) {
            match err.error_len() {
                None => self.partial = joined[err.valid_up_to()..].to_vec(),
                Some(_) => self.invalid_utf8 = true,
            }
        }
    }

    fn read_header(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if byte == b'\n' {
                if self.header.iter().all(u8::is_ascii_whitespace) {
                    self.header.clear();
                } else {
                    self.header_done = true;
                    return;
                }
            } else if self.header.len() < MAX_HEADER {
                self.header.push(byte);
            } else {
                self.header_done = true;
                return;
            }
        }
    }

    fn finish(mut self) -> Result<Layout, ImportError> {
        if self.bom.is_none() {
            self.settle_bom();
        }
        if self.blank {
            return Err(ImportError::Empty);
        }
        if self.nul {
            return Err(ImportError::NotText);
        }
        let bom = self.bom == Some(true);
        let utf8 = !self.invalid_utf8 && self.partial.is_empty();
        Ok(Layout {
            encoding: if bom || utf8 {
                Encoding::Utf8
            } else {
                Encoding::Windows1252
            },
            delimiter: delimiter(&self.header),
            bom,
        })
    }
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

    use proptest::prelude::*;

    fn source(mut bytes: &[u8]) -> Result<Layout, ImportError> {
        layout(&mut bytes)
    }

    #[test]
    fn encodings_are_detected() {
        let utf8 = source("name\nZoë\n".as_bytes()).unwrap();
        assert_eq!(utf8.encoding, Encoding::Utf8);
        let bom = source(b"\xEF\xBB\xBFname;x\nx\n").unwrap();
        assert_eq!(
            (bom.encoding, bom.delimiter, bom.skip()),
            (Encoding::Utf8, b';', 3)
        );
        assert_eq!(source(b"\xEF\xBB").unwrap().encoding, Encoding::Windows1252);
        assert_eq!(
            source(&"naïv".as_bytes()[..3]).unwrap().encoding,
            Encoding::Windows1252
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
        assert_eq!(source(b"\r\n \nname\tphone\n").unwrap().delimiter, b'\t');
    }

    proptest! {
        /// Read in chunks of any size, a file has the layout it has read whole: a
        /// character, a byte-order mark or the header cut between chunks changes
        /// nothing.
        #[test]
        fn chunks_do_not_change_the_layout(
            text in "(\u{FEFF})?[a-zé€😀,;\t \n\r\"]{0,40}",
            latin in proptest::option::of(0usize..40),
            chunk in 1usize..9,
        ) {
            let mut bytes = text.into_bytes();
            if let Some(at) = latin {
                bytes.insert(at.min(bytes.len()), 0xFC);
            }
            let whole = layout_in_chunks(&mut bytes.as_slice(), bytes.len().max(1));
            let cut = layout_in_chunks(&mut bytes.as_slice(), chunk);
            prop_assert_eq!(format!("{whole:?}"), format!("{cut:?}"));
            // As the whole file in memory would be read.
            if let Ok(layout) = cut {
                let body = bytes.strip_prefix(BOM).unwrap_or(&bytes);
                let utf8 = bytes.starts_with(BOM) || std::str::from_utf8(body).is_ok();
                prop_assert_eq!(layout.encoding == Encoding::Utf8, utf8);
                prop_assert_eq!(layout.delimiter, delimiter(body));
            }
        }
    }
}
