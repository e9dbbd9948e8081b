//! Import jobs: a CSV upload imported in the background while the app polls
//! it. Jobs live in memory only, the latest [`KEPT`] of them, under random
//! ids nobody can guess.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use std::fs::File;

use dialdesk_contract::{ImportJob, ImportState};
use indicatif::ProgressBar;

use super::{prepare_at_most, ImportError, ImportReport, MAX_ROWS};
use crate::db::Db;
use crate::phone::Region;

/// How many jobs are remembered; starting one more forgets the oldest.
pub const KEPT: usize = 32;
/// How many imports may run at once, all users together (each holds its rows in memory
/// until they are written).
pub const MAX_RUNNING: usize = 2;

/// Why an import was not started.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportRefused {
    /// This user's earlier import is still running.
    #[error("your import {0} is still running; wait for it to finish")]
    Yours(String),
    /// [`MAX_RUNNING`] imports are running.
    #[error("{MAX_RUNNING} imports are running; try again when one has finished")]
    Full,
}
/// Random bytes in a job id (hex-encoded in the id).
const ID_BYTES: usize = 16;

/// The jobs of this process; cheap to clone.
#[derive(Clone, Default)]
pub struct ImportJobs {
    jobs: Arc<Mutex<VecDeque<Arc<Job>>>>,
}

/// One job: its id, its row counter and where it is.
struct Job {
    id: String,
    /// Whom it was started by (the session's user key).
    owner: String,
    /// Counts rows written; its length is the number of rows to write.
    progress: ProgressBar,
    stage: Mutex<Stage>,
}

/// Where a job is.
enum Stage {
    Reading,
    Writing,
    Done(dialdesk_contract::ImportReport),
    Failed(String),
}

impl ImportJobs {
    /// Takes a job for `owner` before their upload is received, so a second upload of
    /// theirs (or one past [`MAX_RUNNING`]) is refused before its body is read. The
    /// job counts as running until [`Reserved::start`] hands it its file, or fails
    /// when the reservation is dropped (the upload did not arrive whole).
    pub fn reserve(&self, owner: &str) -> Result<Reserved, ImportRefused> {
        let mut id = [0u8; ID_BYTES];
        rand::fill(&mut id[..]);
        let job = Arc::new(Job {
            id: hex::encode(id),
            owner: owner.to_owned(),
            progress: ProgressBar::hidden(),
            stage: Mutex::new(Stage::Reading),
        });
        let mut jobs = lock(&self.jobs);
        let running: Vec<&Arc<Job>> = jobs.iter().filter(|job| job.running()).collect();
        if let Some(mine) = running.iter().find(|job| job.owner == owner) {
            return Err(ImportRefused::Yours(mine.id.clone()));
        }
        if running.len() >= MAX_RUNNING {
            return Err(ImportRefused::Full);
        }
        if jobs.len() >= KEPT {
            // The oldest finished job goes; running ones are kept.
            if let Some(at) = jobs.iter().position(|job| !job.running()) {
                jobs.remove(at);
            }
        }
        jobs.push_back(Arc::clone(&job));
        Ok(Reserved { job: Some(job) })
    }

    /// Starts importing the CSV `file` for `owner` into `db` (numbers read in
    /// `region`) in the background and returns the new job, still reading; refused
    /// while `owner` has an import running, or [`MAX_RUNNING`] imports are.
    pub fn start(
        &self,
        owner: &str,
        db: Db,
        region: Region,
        name: String,
        file: File,
    ) -> Result<ImportJob, ImportRefused> {
        Ok(self.reserve(owner)?.start(db, region, name, file))
    }

    /// Job `id` as it is now, if it is still remembered.
    pub fn get(&self, id: &str) -> Option<ImportJob> {
        lock(&self.jobs)
            .iter()
            .find(|job| job.id == id)
            .map(|job| job.snapshot())
    }
}

/// A job taken for an upload still arriving (see [`ImportJobs::reserve`]).
pub struct Reserved {
    job: Option<Arc<Job>>,
}

impl Reserved {
    /// Imports `file` (the upload, named `name` by whoever chose it) into `db` in
    /// the background; returns the job, still reading.
    pub fn start(mut self, db: Db, region: Region, name: String, file: File) -> ImportJob {
        let job = self.job.take().expect("a reservation starts once");
        let snapshot = job.snapshot();
        tokio::spawn(run(job, db, region, name, file));
        snapshot
    }
}

impl Drop for Reserved {
    fn drop(&mut self) {
        if let Some(job) = self.job.take() {
            job.set(Stage::Failed(
                "the upload did not arrive whole; nothing was changed".to_owned(),
            ));
        }
    }
}

impl Job {
    fn running(&self) -> bool {
        matches!(*lock(&self.stage), Stage::Reading | Stage::Writing)
    }

    fn snapshot(&self) -> ImportJob {
        let (state, report, error) = match &*lock(&self.stage) {
            Stage::Reading => (ImportState::Reading, None, None),
            Stage::Writing => (ImportState::Writing, None, None),
            Stage::Done(report) => (ImportState::Done, Some(report.clone()), None),
            Stage::Failed(error) => (ImportState::Failed, None, Some(error.clone())),
        };
        ImportJob {
            id: self.id.clone(),
            state,
            done: self.progress.position(),
            total: self.progress.length().unwrap_or(0),
            report,
            error,
        }
    }

    fn set(&self, stage: Stage) {
        *lock(&self.stage) = stage;
    }
}

/// Reads the file on a blocking thread, then writes its rows in one
/// transaction, then records the outcome and logs it (counts only).
async fn run(job: Arc<Job>, db: Db, region: Region, name: String, file: File) {
    let outcome = async {
        let prepared = tokio::task::spawn_blocking(move || prepare_at_most(file, region, MAX_ROWS))
            .await
            .map_err(|err| ImportError::Db(err.into()))??;
        job.progress
            .set_length(u64::try_from(prepared.len()).unwrap_or(u64::MAX));
        job.set(Stage::Writing);
        prepared.apply(&db, &name, job.progress.clone()).await
    }
    .await;
    match outcome {
        Ok(report) => {
            log_done(&job.id, &report);
            job.set(Stage::Done(report.into()));
        }
        Err(err) => {
            if let ImportError::Db(db_error) = &err {
                tracing::error!(job = %job.id, error = %db_error, "import job failed in the database");
            } else if let ImportError::Unreadable(io_error) = &err {
                tracing::error!(job = %job.id, error = %io_error, "import job could not read its upload back");
            } else {
                tracing::info!(job = %job.id, reason = err.kind(), "import job failed: file not imported");
            }
            job.set(Stage::Failed(public_message(&err)));
        }
    }
}

fn log_done(id: &str, report: &ImportReport) {
    tracing::info!(
        job = %id,
        created = report.created,
        updated = report.updated,
        rejected = report.rejected.len(),
        warnings = report.warnings.len(),
        "import job done"
    );
}

/// What the app is told about a failed job: the file's problem, or a plain
/// word for a database failure (its details are in the log).
fn public_message(err: &ImportError) -> String {
    match err {
        ImportError::Db(_) | ImportError::Unreadable(_) => {
            "the import failed on the server; nothing was changed".to_owned()
        }
        other => format!("{other}; nothing was changed"),
    }
}

/// Locks a mutex; a panic elsewhere does not make the jobs unreadable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    /// A temporary file holding `bytes`, as an upload is kept.
    fn upload(bytes: &[u8]) -> File {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(bytes).unwrap();
        file
    }

    async fn finished(jobs: &ImportJobs, id: &str) -> ImportJob {
        for _ in 0..500 {
            let job = jobs.get(id).unwrap();
            if matches!(job.state, ImportState::Done | ImportState::Failed) {
                return job;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("job {id} did not finish");
    }

    #[tokio::test]
    async fn jobs_have_random_ids_finish_and_only_the_latest_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("test.db")).unwrap();
        let jobs = ImportJobs::default();
        let us = Region::parse("US").unwrap();
        let first = jobs
            .start(
                "ava",
                db.clone(),
                us,
                "test.csv".into(),
                upload(b"name,phone\nAda,415 555 0123\nGrace,415 555 0124\n"),
            )
            .unwrap();
        assert_eq!(first.state, ImportState::Reading);
        assert_eq!(first.id.len(), 32);
        assert!(first.id.bytes().all(|b| b.is_ascii_hexdigit()));
        let done = finished(&jobs, &first.id).await;
        assert_eq!(done.state, ImportState::Done);
        assert_eq!((done.done, done.total), (2, 2));
        assert_eq!(done.report.unwrap().created, 2);

        let bad = jobs
            .start(
                "ava",
                db.clone(),
                us,
                "test.csv".into(),
                upload(b"company\nAcme\n"),
            )
            .unwrap();
        let failed = finished(&jobs, &bad.id).await;
        assert_eq!(failed.state, ImportState::Failed);
        assert!(failed.error.unwrap().ends_with("; nothing was changed"));

        let mut ids = vec![first.id.clone(), bad.id];
        for _ in 0..KEPT {
            let job = jobs
                .start("ava", db.clone(), us, "test.csv".into(), upload(b""))
                .unwrap();
            ids.push(job.id.clone());
            finished(&jobs, &job.id).await;
        }
        let unique: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        assert!(jobs.get(&ids[0]).is_none());
        assert!(jobs.get(&ids[1]).is_none());
        assert!(jobs.get(&ids[2]).is_some());
        assert!(jobs.get("nope").is_none());
    }

    #[tokio::test]
    async fn one_import_per_user_and_at_most_two_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("test.db")).unwrap();
        let jobs = ImportJobs::default();
        let us = Region::parse("US").unwrap();
        let file = || upload(b"name,phone\nAda,415 555 0123\n");
        // Nothing has run yet (the test's runtime runs spawned work only when it waits):
        // every job started here is still reading.
        let ava = jobs
            .start("ava", db.clone(), us, "test.csv".into(), file())
            .unwrap();
        assert_eq!(
            jobs.start("ava", db.clone(), us, "test.csv".into(), file()),
            Err(ImportRefused::Yours(ava.id.clone()))
        );
        let ben = jobs
            .start("ben", db.clone(), us, "test.csv".into(), file())
            .unwrap();
        assert_eq!(
            jobs.start("cy", db.clone(), us, "test.csv".into(), file()),
            Err(ImportRefused::Full)
        );
        finished(&jobs, &ava.id).await;
        finished(&jobs, &ben.id).await;
        // A reservation counts while its upload arrives, and fails when it does not.
        let arriving = jobs.reserve("ava").unwrap();
        assert!(matches!(jobs.reserve("ava"), Err(ImportRefused::Yours(_))));
        drop(arriving);
        assert!(jobs
            .start("ava", db.clone(), us, "test.csv".into(), file())
            .is_ok());
    }
}
