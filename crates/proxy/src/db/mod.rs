//! SQLite storage: one writer connection on its own thread, committing the writes
//! waiting for it together ([`writer`]), and a small pool of reader connections,
//! used only from `spawn_blocking`.

/// The number columns every contact read selects from `contact_numbers n`
/// and `do_not_call d` (see [`do_not_call_join!`]), read back by
/// [`contacts::number_at`].
macro_rules! number_columns {
    () => {
        "n.label, n.raw, n.e164, n.region, n.parse_error, d.e164 IS NOT NULL, n.display"
    };
}

/// The contact columns every contact read selects from `contacts`, read back by
/// [`contacts::contact_at`]; the columns after them start at [`contacts::AFTER_CONTACT`].
macro_rules! contact_columns {
    () => {
        "id, name, company, title, email, time_zone, version"
    };
}

/// Joins the do-not-call row `d` (if listed) of each number `n`.
macro_rules! do_not_call_join {
    () => {
        " LEFT JOIN do_not_call d ON d.e164 = n.e164 "
    };
}

pub mod audit;
mod backfill;
pub mod call_context;
pub mod call_logs;
pub mod calls;
pub mod contact_picks;
pub mod contact_sources;
pub mod contacts;
pub mod do_not_call;
mod migrations;
pub mod search;
pub mod settings;
pub mod user_sessions;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use writer::Writer;

/// How long a connection waits for a lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_millis(5000);
/// Idle reader connections kept open for reuse.
const MAX_IDLE_READERS: usize = 4;

/// A database problem.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The folder for the database file could not be created.
    #[error(
        "cannot create the folder {} for the database {}: {source}; set DIALDESK_DB to a writable path",
        dir.display(), path.display()
    )]
    CreateDir {
        /// The folder.
        dir: PathBuf,
        /// The database file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The database file could not be opened or prepared.
    #[error("cannot open the database {}: {source}; check that it is writable or set DIALDESK_DB", path.display())]
    Open {
        /// The database file.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// The database file is read-only.
    #[error("the database {} is read-only; make it writable or set DIALDESK_DB", path.display())]
    ReadOnly {
        /// The database file.
        path: PathBuf,
    },
    /// The schema could not be brought up to date.
    #[error("cannot migrate the database {} to schema v{version}: {source}", path.display())]
    Migrate {
        /// The database file.
        path: PathBuf,
        /// The version being applied.
        version: u32,
        /// Why.
        source: rusqlite::Error,
    },
    /// The database was written by a newer dialdesk-proxy.
    #[error(
        "the database {} has schema v{found}, newer than this dialdesk-proxy knows (v{known}); \
         upgrade dialdesk-proxy or set DIALDESK_DB", path.display()
    )]
    TooNew {
        /// The database file.
        path: PathBuf,
        /// Version in the file.
        found: u32,
        /// Latest version this build knows.
        known: u32,
    },
    /// A query failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A secret in the database does not open with the keys given.
    #[error(transparent)]
    Sealed(#[from] crate::vault::SealError),
    /// The blocking task running a query panicked or was cancelled.
    #[error("database task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// A write panicked; it was rolled back.
    #[error("a database write failed unexpectedly and was rolled back")]
    WriterPanicked,
    /// The writer thread is gone (the process is stopping).
    #[error("the database writer has stopped")]
    WriterStopped,
    /// The writer thread could not be started.
    #[error("cannot start the database writer: {0}")]
    WriterStart(std::io::Error),
}

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Writer,
    readers: Mutex<Vec<Connection>>,
}

impl Db {
    /// Opens (creating if needed) the database at `path`, creates its folder and
    /// runs pending migrations. Blocking: call it from `spawn_blocking` or at start.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir {
                dir: dir.to_owned(),
                path: path.to_owned(),
                source,
            })?;
        }
        let mut writer = open_connection(path)?;
        if writer.is_readonly("main").map_err(|source| DbError::Open {
            path: path.to_owned(),
            source,
        })? {
            return Err(DbError::ReadOnly {
                path: path.to_owned(),
            });
        }
        migrations::run(&mut writer, path)?;
        Ok(Self {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Writer::start(writer).map_err(DbError::WriterStart)?,
                readers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// Runs `job` on the writer connection, in its own savepoint within the next
    /// group of writes, and returns its result once the group is committed. One
    /// write runs at a time; an `Err` from `job` rolls back what it wrote. Use
    /// savepoints, not transactions, inside `job`.
    pub async fn write<T, F>(&self, job: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
        T: Send + 'static,
    {
        self.inner.writer.write(job, false).await
    }

    /// How many commits the writer has made; with [`Db::write`] calls counted
    /// beside it, how many writes one disk sync served.
    pub fn commits(&self) -> u64 {
        self.inner.writer.commits()
    }

    /// Runs `job` on a reader connection on a blocking thread.
    pub async fn read<T, F>(&self, job: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
        T: Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let pooled = lock(&inner.readers).pop();
            let mut conn = match pooled {
                Some(conn) => conn,
                None => open_connection(&inner.path)?,
            };
            let result = job(&mut conn);
            let mut idle = lock(&inner.readers);
            if idle.len() < MAX_IDLE_READERS {
                idle.push(conn);
            }
            result
        })
        .await?
    }

    /// Folds the write-ahead log into the database file and truncates it
    /// (`PRAGMA wal_checkpoint(TRUNCATE)`), e.g. at shutdown.
    pub async fn checkpoint(&self) -> Result<(), DbError> {
        let checkpoint = |conn: &mut Connection| {
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(())
        };
        self.inner.writer.write(checkpoint, true).await
    }
}

/// Locks a mutex; a panic in an earlier job does not make the connection unusable
/// (an open transaction was rolled back when it was dropped).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Opens one connection with the settings every connection must have (the
/// match benchmark's bare query uses it too).
pub fn open_connection(path: &Path) -> Result<Connection, DbError> {
    let open_error = |source| DbError::Open {
        path: path.to_owned(),
        source,
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(open_error)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
        .map_err(open_error)?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "SQLite did not switch to WAL journal mode");
    }
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(open_error)?;
    // Each commit waits for the disk: an acknowledged write survives a crash of the
    // machine, not only of the proxy (whatever the SQLite build's default).
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(open_error)?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_connection_has_the_required_pragmas() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("sub/dir/test.db")).unwrap();
        let check = |conn: &mut Connection| -> Result<(String, i64, i64, i64), DbError> {
            let mode = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            let busy = conn.query_row("PRAGMA busy_timeout", [], |r| r.get(0))?;
            let fk = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
            let synchronous = conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
            Ok((mode, busy, fk, synchronous))
        };
        // synchronous 2 = FULL.
        let expected = ("wal".to_owned(), 5000, 1, 2);
        assert_eq!(db.write(check).await.unwrap(), expected);
        assert_eq!(db.read(check).await.unwrap(), expected);
        db.checkpoint().await.unwrap();
    }

    #[test]
    fn migrations_are_versioned_and_rerun_safely() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        drop(Db::open(&path).unwrap());
        drop(Db::open(&path).unwrap());
        let version: u32 = open_connection(&path)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, migrations::LATEST);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        drop(conn);
        let err = Db::open(&path).err().unwrap();
        assert!(matches!(err, DbError::TooNew { found: 999, .. }), "{err}");
    }

    #[test]
    fn deleting_a_contact_deletes_its_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        drop(Db::open(&path).unwrap());
        let conn = open_connection(&path).unwrap();
        conn.execute("INSERT INTO contacts (name) VALUES ('A')", [])
            .unwrap();
        let id = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO contact_numbers (contact_id, position, label, raw) VALUES (?1, 0, 'work', '1')",
            [id],
        )
        .unwrap();
        conn.execute("DELETE FROM contacts WHERE id = ?1", [id])
            .unwrap();
        let left: i64 = conn
            .query_row("SELECT COUNT(*) FROM contact_numbers", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }

    #[tokio::test]
    async fn writes_waiting_together_commit_together_and_a_failing_one_is_undone() {
        use std::future::Future;
        use std::pin::Pin;

        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("test.db")).unwrap();
        let insert = |name: String| {
            move |conn: &mut Connection| -> Result<(), DbError> {
                conn.execute("INSERT INTO contacts (name) VALUES (?1)", [name])?;
                Ok(())
            }
        };
        let before = db.commits();
        // The first write holds the writer until every other one is queued.
        let (release, held) = std::sync::mpsc::channel::<()>();
        type Write<'a> = Pin<Box<dyn Future<Output = Result<(), DbError>> + Send + 'a>>;
        let mut writes: Vec<Write<'_>> = vec![Box::pin(db.write(move |_| {
            held.recv().ok();
            Ok(())
        }))];
        for i in 0..20 {
            writes.push(Box::pin(db.write(insert(format!("ok {i}")))));
        }
        let fail = insert("failed".to_owned());
        writes.push(Box::pin(db.write(move |conn| {
            fail(conn)?;
            Err(DbError::WriterStopped)
        })));
        writes.push(Box::pin(db.write(|conn| {
            conn.execute("INSERT INTO contacts (name) VALUES ('panicked')", [])?;
            panic!("a write that panics");
        })));
        writes.push(Box::pin(async move {
            release.send(()).ok();
            Ok(())
        }));
        let results = futures_util::future::join_all(writes).await;
        let failures: Vec<String> = results
            .iter()
            .filter_map(|result| result.as_ref().err().map(ToString::to_string))
            .collect();
        assert_eq!(
            failures,
            [
                DbError::WriterStopped.to_string(),
                DbError::WriterPanicked.to_string()
            ]
        );
        let commits = db.commits() - before;
        assert!(commits <= 2, "23 writes took {commits} commits");
        let names: Vec<String> = db
            .read(|conn| {
                let mut stmt = conn.prepare("SELECT name FROM contacts ORDER BY id")?;
                let names = stmt.query_map([], |row| row.get(0))?;
                Ok(names.collect::<Result<_, _>>()?)
            })
            .await
            .unwrap();
        let expected: Vec<String> = (0..20).map(|i| format!("ok {i}")).collect();
        assert_eq!(names, expected);
        // The writer goes on after a panic, and a checkpoint runs outside any group.
        db.write(insert("later".to_owned())).await.unwrap();
        db.checkpoint().await.unwrap();
    }
}
