//! The writer: one thread owns the writer connection and commits the writes
//! waiting for it together (group commit). Each write runs in its own savepoint,
//! so a write that fails changes nothing while the others of its group commit;
//! every caller hears back only after the group's `COMMIT`, so an acknowledged
//! write is on disk. Under load one disk sync serves many writes; alone, a write
//! commits at once.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender, TryRecvError};
use std::sync::Arc;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::DbError;

/// Most writes one commit takes.
const MAX_GROUP: usize = 64;
/// The savepoint around each write.
const SAVEPOINT: &str = "dialdesk_write";

/// Where writes are queued for the writer thread; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    queue: Sender<Box<dyn Queued>>,
    commits: Arc<AtomicU64>,
}

impl Writer {
    /// Starts the writer thread on `conn`; it ends when the last [`Writer`] is dropped.
    pub fn start(conn: Connection) -> std::io::Result<Self> {
        let (queue, jobs) = channel();
        let commits = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&commits);
        std::thread::Builder::new()
            .name("dialdesk-db-writer".to_owned())
            .spawn(move || run(conn, &jobs, &counted))?;
        Ok(Self { queue, commits })
    }

    /// Runs `job` in the next group (`alone`: outside any transaction, for what a
    /// transaction forbids, such as a checkpoint) and returns its result once it is
    /// committed.
    pub async fn write<T, F>(&self, job: F, alone: bool) -> Result<T, DbError>
    where
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let queued = Job {
            job: Some(job),
            result: None,
            reply,
            alone,
        };
        self.queue
            .send(Box::new(queued))
            .map_err(|_| DbError::WriterStopped)?;
        answer.await.map_err(|_| DbError::WriterStopped)?
    }

    /// How many commits the writer has made (each holding one or more writes).
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }
}

/// A write waiting for its group, whatever its result type.
trait Queued: Send {
    /// Whether it must run outside any transaction.
    fn alone(&self) -> bool;
    /// Runs it in its own savepoint and keeps the result.
    fn run(&mut self, conn: &mut Connection);
    /// The SQLite error it ended with, if any.
    fn failure(&self) -> Option<rusqlite::Error>;
    /// Sends the kept result, or `failure` when its group did not commit.
    fn finish(self: Box<Self>, failure: Option<&rusqlite::Error>);
}

struct Job<T, F> {
    job: Option<F>,
    result: Option<Result<T, DbError>>,
    reply: oneshot::Sender<Result<T, DbError>>,
    alone: bool,
}

impl<T, F> Queued for Job<T, F>
where
    F: FnOnce(&mut Connection) -> Result<T, DbError> + Send,
    T: Send,
{
    fn alone(&self) -> bool {
        self.alone
    }

    fn run(&mut self, conn: &mut Connection) {
        let Some(job) = self.job.take() else {
            return;
        };
        if self.alone {
            self.result = Some(guarded(job, conn));
            return;
        }
        let result = match conn.execute_batch(&format!("SAVEPOINT {SAVEPOINT}")) {
            Ok(()) => {
                let result = guarded(job, conn);
                let end = if result.is_ok() {
                    format!("RELEASE {SAVEPOINT}")
                } else {
                    format!("ROLLBACK TO {SAVEPOINT}; RELEASE {SAVEPOINT}")
                };
                match conn.execute_batch(&end) {
                    Ok(()) => result,
                    Err(err) => result.and(Err(err.into())),
                }
            }
            Err(err) => Err(err.into()),
        };
        self.result = Some(result);
    }

    fn failure(&self) -> Option<rusqlite::Error> {
        match &self.result {
            Some(Err(DbError::Sqlite(err))) => Some(copy_of(err)),
            _ => None,
        }
    }

    fn finish(self: Box<Self>, failure: Option<&rusqlite::Error>) {
        let outcome = match (failure, self.result) {
            (Some(failure), _) => Err(DbError::Sqlite(copy_of(failure))),
            (None, Some(result)) => result,
            (None, None) => Err(DbError::WriterStopped),
        };
        // The caller may have stopped waiting (a request deadline); the write stands.
        let _ = self.reply.send(outcome);
    }
}

/// Runs `job`; a panic becomes an error rather than the end of the writer.
fn guarded<T, F>(job: F, conn: &mut Connection) -> Result<T, DbError>
where
    F: FnOnce(&mut Connection) -> Result<T, DbError>,
{
    catch_unwind(AssertUnwindSafe(|| job(conn))).unwrap_or(Err(DbError::WriterPanicked))
}

/// The same SQLite error again (codes kept, so a busy or full database is still
/// told apart), for each write of a group that did not commit.
fn copy_of(err: &rusqlite::Error) -> rusqlite::Error {
    match err {
        rusqlite::Error::SqliteFailure(code, message) => {
            rusqlite::Error::SqliteFailure(*code, message.clone())
        }
        other => rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
            Some(other.to_string()),
        ),
    }
}

/// The writer thread: takes the writes waiting (at most [`MAX_GROUP`]), runs them
/// in one transaction and commits it; a write that must run alone runs between
/// groups.
fn run(mut conn: Connection, jobs: &Receiver<Box<dyn Queued>>, commits: &AtomicU64) {
    let mut next = None;
    loop {
        let first = match next.take() {
            Some(job) => job,
            None => match jobs.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
        };
        if first.alone() {
            let mut first = first;
            first.run(&mut conn);
            first.finish(None);
            continue;
        }
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) if job.alone() => {
                    next = Some(job);
                    break;
                }
                Ok(job) => group.push(job),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        commit(&mut conn, group);
        commits.fetch_add(1, Ordering::Relaxed);
    }
}

/// Runs `group` in one transaction and tells each write how it ended.
fn commit(conn: &mut Connection, mut group: Vec<Box<dyn Queued>>) {
    if let Err(err) = conn.execute_batch("BEGIN IMMEDIATE") {
        tracing::warn!(error = %err, writes = group.len(), "cannot start a write transaction");
        group.into_iter().for_each(|job| job.finish(Some(&err)));
        return;
    }
    let mut rolled_back = None;
    for job in &mut group {
        job.run(conn);
        if conn.is_autocommit() {
            rolled_back = Some(job.failure());
            break;
        }
    }
    if let Some(cause) = rolled_back {
        // SQLite rolled the whole transaction back (a full disk, an I/O error):
        // nothing of the group stands.
        let err = cause.unwrap_or_else(|| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ABORT),
                Some("the write transaction was rolled back".to_owned()),
            )
        });
        tracing::warn!(writes = group.len(), "a write transaction was rolled back");
        group.into_iter().for_each(|job| job.finish(Some(&err)));
        return;
    }
    match conn.execute_batch("COMMIT") {
        Ok(()) => group.into_iter().for_each(|job| job.finish(None)),
        Err(err) => {
            tracing::warn!(error = %err, writes = group.len(), "a write transaction did not commit");
            let _ = conn.execute_batch("ROLLBACK");
            group.into_iter().for_each(|job| job.finish(Some(&err)));
        }
    }
}
