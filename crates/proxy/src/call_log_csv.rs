//! Call logs as CSV, for `GET /api/calls/logs.csv`: a header row, then one row
//! per log with the disposition's configured label and the contact's name.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula
//! (and some do after a tab or carriage return), so a notes field such as
//! `=HYPERLINK(…)` could run on the machine of whoever opens the export. Every
//! text cell that starts with one of those characters is written with a `'`
//! in front (OWASP's advice), which spreadsheets show as text and do not
//! display. A number saved as `+14155550100` is therefore written
//! `'+14155550100`. Cells of whole numbers (version, contact id, duration) are
//! written as they are.

use std::borrow::Cow;
use std::collections::HashMap;

use dialdesk_contract::DispositionCode;
use rusqlite::Connection;

use crate::db::call_logs::{self, ListedLog, LogFilter};
use crate::db::DbError;

/// The header row, in column order.
pub const COLUMNS: [&str; 14] = [
    "call_id",
    "saved_at",
    "version",
    "disposition",
    "disposition_label",
    "notes",
    "direction",
    "number",
    "contact_id",
    "contact_name",
    "duration_secs",
    "result",
    "recordings",
    "voicemails",
];

/// First characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// An export could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the logs failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// Writing the CSV failed.
    #[error("cannot write the call logs as CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// The CSV of the logs of `filter` (see [`call_logs::each_in_range`]), at
/// most `limit` rows after the header, labelled with `codes`; and whether
/// there were more logs than `limit`.
pub fn export(
    conn: &Connection,
    filter: &LogFilter,
    limit: u32,
    codes: &[DispositionCode],
) -> Result<(Vec<u8>, bool), ExportError> {
    let mut export = Export::new(codes)?;
    let truncated = call_logs::each_in_range(conn, filter, limit, |listed| export.push(&listed))?;
    Ok((export.finish()?, truncated))
}

/// `text`, with a `'` in front when it starts like a formula.
pub fn guard(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A CSV export being written in memory.
pub struct Export {
    out: csv::Writer<Vec<u8>>,
    labels: HashMap<String, String>,
}

impl Export {
    /// An export with its header row, labelling dispositions with `codes`
    /// (a disposition that is not among them has an empty label).
    pub fn new(codes: &[DispositionCode]) -> Result<Self, ExportError> {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(COLUMNS)?;
        let labels = codes
            .iter()
            .map(|code| (code.value.clone(), code.label.clone()))
            .collect();
        Ok(Self { out, labels })
    }

    /// Adds the row of `listed`.
    pub fn push(&mut self, listed: &ListedLog) -> Result<(), ExportError> {
        let log = &listed.log;
        let text =
            |value: &Option<String>| guard(value.as_deref().unwrap_or_default()).into_owned();
        let whole = |value: Option<String>| value.unwrap_or_default();
        let label = self.labels.get(&log.disposition).map_or("", String::as_str);
        let row: [String; 14] = [
            guard(&log.call_id).into_owned(),
            guard(&log.saved_at).into_owned(),
            log.version.to_string(),
            guard(&log.disposition).into_owned(),
            guard(label).into_owned(),
            guard(&log.notes).into_owned(),
            text(&log.direction),
            text(&log.number),
            whole(log.contact_id.map(|id| id.to_string())),
            text(&listed.contact_name),
            whole(log.duration_secs.map(|secs| secs.to_string())),
            text(&log.result),
            guard(&log.recordings.join(" ")).into_owned(),
            guard(&log.voicemails.join(" ")).into_owned(),
        ];
        self.out.write_record(&row)?;
        Ok(())
    }

    /// The CSV written so far.
    pub fn finish(self) -> Result<Vec<u8>, ExportError> {
        self.out
            .into_inner()
            .map_err(|err| ExportError::Csv(err.into_error().into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_start_like_formulas_are_quoted_as_text() {
        for risky in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=", "-"] {
            assert_eq!(guard(risky), format!("'{risky}"), "{risky:?}");
        }
        for safe in [
            "",
            "plain",
            "a=b",
            " =1",
            "'=1",
            "1-2",
            "\nx",
            "https://x/y",
        ] {
            assert_eq!(guard(safe), safe, "{safe:?}");
        }
    }
}
