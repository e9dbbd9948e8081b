//! CSV contact import: [`read`] (bytes → text and delimiter), [`map`]
//! (header names → fields, rows → contacts), [`upsert`] (create or update),
//! [`command`] (`dialdesk-proxy import FILE.csv`) and [`jobs`] (uploads
//! imported in the background).
//!
//! [`prepare`] reads the whole file without touching the database, so a file
//! that cannot be read changes nothing; [`Prepared::apply`] then writes every
//! row in one transaction through the single writer. [`run`] does both, for
//! callers without a progress bar.

pub mod command;
pub mod jobs;
mod map;
mod read;
mod upsert;

pub(crate) use map::number;
pub(crate) use upsert::{upsert, Outcome};

use std::fmt;
use std::io::{Cursor, Read, Seek, SeekFrom};

use indicatif::ProgressBar;
use serde::Serialize;

use crate::config::Config;
use crate::db::{Db, DbError};
use crate::phone::Region;
use map::{Columns, MappedRow};

/// Why a file could not be imported at all; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has no header line.
    #[error("the file is empty; expected a CSV file with a header line")]
    Empty,
    /// The file holds NUL bytes (UTF-16, a spreadsheet, an image, …).
    #[error("the file is not text; save it as CSV (UTF-8 or Windows-1252)")]
    NotText,
    /// The header line is not valid text.
    #[error("the header line is not valid text; save the file as CSV (UTF-8 or Windows-1252)")]
    BadHeader,
    /// No column holds a name, a phone number or an e-mail address.
    #[error(
        "no name, phone or e-mail column in the header (found: {found}); \
         expected columns such as name, first name, last name, phone, mobile, email"
    )]
    NoUsableColumns {
        /// The headers that were found, comma-separated.
        found: String,
    },
    /// More data rows than one import takes.
    #[error("the file has more than {0} rows; split it into files of at most {0} rows")]
    TooManyRows(usize),
    /// The file could not be read (an upload's temporary file, a file named on the
    /// command line).
    #[error("the file could not be read: {0}")]
    Unreadable(std::io::Error),
    /// The database failed; the transaction was rolled back.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Most data rows one import takes (the whole file is checked before anything is written).
pub const MAX_ROWS: usize = 1_000_000;

impl ImportError {
    /// A short name of the problem, for logs (the message may quote the file).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::NotText => "not text",
            Self::BadHeader => "bad header",
            Self::NoUsableColumns { .. } => "no usable columns",
            Self::TooManyRows(_) => "too many rows",
            Self::Unreadable(_) => "unreadable",
            Self::Db(_) => "database",
        }
    }
}

/// A rejected row or a warning about an imported one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// 1-based line the row starts on; the header is line 1.
    pub line: u64,
    /// The header of the column concerned, when there is one.
    pub column: Option<String>,
    /// What is wrong.
    pub reason: String,
}

impl Issue {
    fn new(line: u64, column: Option<String>, reason: String) -> Self {
        Self {
            line,
            column,
            reason,
        }
    }
}

impl fmt::Display for Issue {
    /// `line L, column "X": reason`, or `line L: reason` without a column.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column {column:?}: {}", self.line, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Contacts added.
    pub created: usize,
    /// Contacts replaced.
    pub updated: usize,
    /// Rows not imported, in line order.
    pub rejected: Vec<Issue>,
    /// Problems in imported rows, in line order.
    pub warnings: Vec<Issue>,
    /// Fields a person edited in dialdesk that the file's values did not replace,
    /// in line order.
    pub kept: Vec<Issue>,
}

impl ImportReport {
    /// Rows imported (created or updated).
    pub fn imported(&self) -> usize {
        self.created + self.updated
    }
}

impl fmt::Display for ImportReport {
    /// The summary line, then one line per rejected row, per warning and per kept
    /// edit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported {} (created {}, updated {}), rejected {}, warnings {}",
            self.imported(),
            self.created,
            self.updated,
            self.rejected.len(),
            self.warnings.len()
        )?;
        if !self.kept.is_empty() {
            write!(f, ", edits kept {}", self.kept.len())?;
        }
        writeln!(f)?;
        for issue in self.rejected.iter().chain(&self.warnings).chain(&self.kept) {
            writeln!(f, "{issue}")?;
        }
        Ok(())
    }
}

impl From<Issue> for dialdesk_contract::ImportIssue {
    fn from(issue: Issue) -> Self {
        Self {
            line: issue.line,
            column: issue.column,
            reason: issue.reason,
        }
    }
}

impl From<ImportReport> for dialdesk_contract::ImportReport {
    fn from(report: ImportReport) -> Self {
        let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        Self {
            created: count(report.created),
            updated: count(report.updated),
            rejected: report.rejected.into_iter().map(Into::into).collect(),
            warnings: report.warnings.into_iter().map(Into::into).collect(),
            kept: report.kept.into_iter().map(Into::into).collect(),
        }
    }
}

/// A file read and mapped, ready to be written.
#[derive(Debug)]
pub struct Prepared {
    rows: Vec<MappedRow>,
    rejected: Vec<Issue>,
}

impl Prepared {
    /// How many rows will be written.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no row will be written.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Writes every row in one transaction on the writer connection, as from the
    /// file `name`, ticking `progress` once per row. A database error rolls
    /// everything back.
    pub async fn apply(
        self,
        db: &Db,
        name: &str,
        progress: ProgressBar,
    ) -> Result<ImportReport, ImportError> {
        let Self { rows, rejected } = self;
        let source = file_source(name);
        let mut report = db
            .write(move |conn| {
                let tx = conn.savepoint()?;
                let mut report = ImportReport {
                    rejected,
                    ..ImportReport::default()
                };
                for row in rows {
                    match upsert::upsert(&tx, &row.contact, &source)? {
                        Outcome::Created => report.created += 1,
                        Outcome::Updated(kept) => {
                            report.updated += 1;
                            report.kept.extend(kept.into_iter().map(|kept| {
                                Issue::new(
                                    row.line,
                                    None,
                                    kept.describe(&row.contact.name, "the file"),
                                )
                            }));
                        }
                        Outcome::Ambiguous { key, count } => {
                            tracing::debug!(line = row.line, count, key, "ambiguous row");
                            report.rejected.push(Issue::new(
                                row.line,
                                None,
                                format!("rejected: its {key} matches {count} existing contacts"),
                            ));
                            progress.inc(1);
                            continue;
                        }
                    }
                    report.warnings.extend(row.warnings);
                    progress.inc(1);
                }
                tx.commit()?;
                Ok(report)
            })
            .await?;
        report.rejected.sort_by_key(|issue| issue.line);
        Ok(report)
    }
}

/// The source name of the file `name` in the contacts' field marks.
fn file_source(name: &str) -> String {
    format!("file:{name}")
}

/// Reads and maps the CSV file `bytes`, numbers read in `region`, without
/// touching the database. Fails only when the file cannot be read at all;
/// malformed rows (wrong field count, bad encoding) and rows without a name
/// and a way to reach the person are set aside as rejected.
pub fn prepare(bytes: &[u8], region: Region) -> Result<Prepared, ImportError> {
    prepare_at_most(Cursor::new(bytes), region, MAX_ROWS)
}

/// [`prepare`] of a file read from `file` (twice: once for its encoding and
/// delimiter, once for its rows; never whole in memory), refusing a file of more
/// than `max_rows` data rows.
pub fn prepare_at_most(
    mut file: impl Read + Seek,
    region: Region,
    max_rows: usize,
) -> Result<Prepared, ImportError> {
    file.seek(SeekFrom::Start(0))
        .map_err(ImportError::Unreadable)?;
    let source = read::layout(&mut file)?;
    file.seek(SeekFrom::Start(source.skip()))
        .map_err(ImportError::Unreadable)?;
    let mut records = csv::ReaderBuilder::new()
        .delimiter(source.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(file)
        .into_byte_records();
    let header = loop {
        match records.next() {
            Some(Ok(header)) if header.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) => {}
            Some(Ok(header)) => break header,
            Some(Err(_)) => return Err(ImportError::BadHeader),
            None => return Err(ImportError::Empty),
        }
    };
    let headers = header
        .iter()
        .map(|field| read::decode(source.encoding, field).map(|text| text.trim().to_owned()))
        .collect::<Option<Vec<String>>>()
        .ok_or(ImportError::BadHeader)?;
    let columns = Columns::from_header(headers)?;

    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    for (index, record) in records.enumerate() {
        if index >= max_rows {
            return Err(ImportError::TooManyRows(max_rows));
        }
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(0, csv::Position::line);
                rejected.push(Issue::new(
                    line,
                    None,
                    format!("rejected: unreadable CSV ({err})"),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        if record.len() != columns.len() {
            rejected.push(Issue::new(
                line,
                None,
                format!(
                    "rejected: {} fields where the header has {}",
                    record.len(),
                    columns.len()
                ),
            ));
            continue;
        }
        let fields: Option<Vec<String>> = record
            .iter()
            .map(|field| read::decode(source.encoding, field).map(|text| text.into_owned()))
            .collect();
        let Some(fields) = fields else {
            rejected.push(Issue::new(
                line,
                None,
                "rejected: not valid text (bad encoding or control characters)".to_owned(),
            ));
            continue;
        };
        match columns.contact(line, &fields, region) {
            Ok(row) => rows.push(row),
            Err(issue) => rejected.push(issue),
        }
    }
    Ok(Prepared { rows, rejected })
}

/// Imports the CSV file `name` (its content `bytes`) into `db`, numbers read in
/// the configured default region, in one transaction.
pub async fn run(
    db: &Db,
    config: &Config,
    name: &str,
    bytes: &[u8],
) -> Result<ImportReport, ImportError> {
    prepare(bytes, config.default_region)?
        .apply(db, name, ProgressBar::hidden())
        .await
}
