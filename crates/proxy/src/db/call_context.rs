//! The Last call column's source, kept up to date as events and logs arrive so
//! that reading it never walks the journal.
//!
//! Two tables: `call_summaries` holds one row per call (its root id) folded from
//! the call's own events (transfer legs do not count); `call_context` holds one
//! row per number of the other party and contact (contact key 0 when the call is
//! tied to none), refreshed for a number whenever one of its calls or logs
//! changes. Reading is one indexed walk of `call_context`, latest call first,
//! capped at [`CONTEXT_LIMIT`] rows.

use dialdesk_contract::{CallContext, JournalEvent};
use rusqlite::{named_params, Connection, OptionalExtension};

/// The SQL expression of the other party's number in the event payload `$payload`
/// (a column or a parameter): the callee of an outbound call, else the caller.
macro_rules! other_number {
    ($payload:literal) => {
        concat!(
            "CASE WHEN json_extract(",
            $payload,
            ", '$.direction') = 'outbound'
                  THEN coalesce(json_extract(",
            $payload,
            ", '$.callee.number'),
                                json_extract(",
            $payload,
            ", '$.callee.phoneNumber'))
                  ELSE coalesce(json_extract(",
            $payload,
            ", '$.caller.number'),
                                json_extract(",
            $payload,
            ", '$.caller.phoneNumber')) END"
        )
    };
}

/// The most numbers `GET /api/calls/context` answers with: the most recently
/// called ones.
pub const CONTEXT_LIMIT: u32 = 20_000;

/// The context rows, latest call first (walking `call_context_last_at` backwards).
const READ: &str = "SELECT number, contact_key, attempts, last_at, last_result, last_disposition
                      FROM call_context
                     ORDER BY last_at DESC, number DESC, contact_key DESC
                     LIMIT :limit";

/// The calls with number `?1` (through `call_summaries_number`), each with the
/// contact its log names, else the one the app tied it to: what [`summarise`] folds.
#[cfg(test)]
const CALLS_OF_NUMBER: &str = "
    SELECT coalesce(l.contact_id, s.contact_id), coalesce(s.ringing_at, s.first_at), s.result
      FROM call_summaries s LEFT JOIN call_logs l ON l.root_call_id = s.root_call_id
     WHERE s.number = ?1
     ORDER BY s.root_call_id";

/// The logs saved with number `?1` (through `call_logs_number`), oldest first.
#[cfg(test)]
const LOGS_OF_NUMBER: &str = "SELECT disposition, contact_id FROM call_logs WHERE number = ?1
                               ORDER BY saved_at, root_call_id";

/// The key written for "no contact" (ids start at 1).
const NO_CONTACT: i64 = 0;

/// Writes the context rows of number `:number`, as [`summarise`] folds them, in
/// one statement: per contact (its log's, else the one the app tied the call to),
/// the count of calls, the start and result of the latest (the largest start, a
/// tie to the larger call id: `max()` over both joined by `char(1)`, which sorts
/// below every character they hold, with SQLite's bare columns taken from that
/// row) and the disposition of the latest log naming that contact with this
/// number. The calls are read through `call_summaries_number`, the logs through
/// `call_logs_number`; nothing is copied out of SQLite.
const REFRESH: &str = "
    INSERT INTO call_context
        (number, contact_key, attempts, last_at, last_result, last_disposition)
    SELECT :number, coalesce(c.contact, 0), c.attempts,
           substr(c.latest, 1, instr(c.latest, char(1)) - 1),
           CASE WHEN c.latest IS NOT NULL THEN c.result END,
           g.disposition
      FROM (SELECT coalesce(l.contact_id, s.contact_id) AS contact, count(*) AS attempts,
                   max(coalesce(s.ringing_at, s.first_at) || char(1) || s.root_call_id) AS latest,
                   s.result AS result
              FROM call_summaries s LEFT JOIN call_logs l ON l.root_call_id = s.root_call_id
             WHERE s.number = :number
             GROUP BY 1) c
      LEFT JOIN (SELECT contact_id, disposition,
                        max(saved_at || char(1) || root_call_id) AS latest
                   FROM call_logs
                  WHERE number = :number
                  GROUP BY contact_id) g
        ON g.contact_id IS c.contact";

/// One call as the context needs it.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFacts {
    /// The contact the call belongs to: its log's, else the one the app tied it to.
    pub contact_id: Option<i64>,
    /// When it started (rang, else its first event), ISO-8601.
    pub started: Option<String>,
    /// How it ended, once it has.
    pub result: Option<String>,
}

/// One saved log as the context needs it.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFacts {
    /// Its disposition value.
    pub disposition: String,
    /// The contact it names.
    pub contact_id: Option<i64>,
}

/// The fold [`REFRESH`] does, in plain Rust, which the tests hold it to: folds the
/// calls with `number` (ordered by root call id) and the logs saved with it (oldest
/// first) into one context row per contact: how many calls, the start
/// and result of the latest (a tie goes to the later call id) and the disposition
/// of the latest log naming that contact. Logs of a contact with no journalled
/// call add nothing.
#[cfg(test)]
pub fn summarise(number: &str, calls: &[CallFacts], logs: &[LogFacts]) -> Vec<CallContext> {
    let mut rows: Vec<CallContext> = Vec::new();
    for call in calls {
        let index = match rows.iter().position(|r| r.contact_id == call.contact_id) {
            Some(index) => index,
            None => {
                rows.push(CallContext {
                    number: number.to_owned(),
                    contact_id: call.contact_id,
                    attempts: 0,
                    last_at: None,
                    last_result: None,
                    last_disposition: None,
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[index];
        row.attempts = row.attempts.saturating_add(1);
        if call.started.is_some() && call.started >= row.last_at {
            row.last_at.clone_from(&call.started);
            row.last_result.clone_from(&call.result);
        }
    }
    for log in logs {
        if let Some(row) = rows.iter_mut().find(|r| r.contact_id == log.contact_id) {
            row.last_disposition = Some(log.disposition.clone());
        }
    }
    rows.sort_by_key(|row| row.contact_id);
    rows
}

/// Folds `event`, just journalled under `root_call_id`, into its call's summary
/// and refreshes the context of the call's number. Events of a transfer leg and
/// payloads that are not JSON change nothing.
pub fn note_event(
    conn: &Connection,
    root_call_id: &str,
    event: &JournalEvent,
    touched: &mut Touched,
) -> rusqlite::Result<()> {
    if event.call_id != root_call_id {
        return Ok(());
    }
    let before = summary_number(conn, root_call_id)?;
    conn.prepare_cached(concat!(
        "INSERT INTO call_summaries
            (root_call_id, number, ringing_at, first_at, result, contact_id)
         SELECT :root, ",
        other_number!(":payload"),
        ",
                CASE WHEN :kind = 'zp-call-ringing-event'
                     THEN json_extract(:payload, '$.dateTime') END,
                json_extract(:payload, '$.dateTime'),
                CASE WHEN :kind = 'zp-call-ended-event'
                     THEN json_extract(:payload, '$.result') END,
                :contact_id
          WHERE json_valid(:payload)
         ON CONFLICT (root_call_id) DO UPDATE SET
            number = CASE WHEN number IS NULL OR excluded.number > number
                          THEN excluded.number ELSE number END,
            ringing_at = CASE WHEN ringing_at IS NULL OR excluded.ringing_at < ringing_at
                              THEN excluded.ringing_at ELSE ringing_at END,
            first_at = CASE WHEN first_at IS NULL OR excluded.first_at < first_at
                            THEN excluded.first_at ELSE first_at END,
            result = CASE WHEN result IS NULL OR excluded.result > result
                          THEN excluded.result ELSE result END,
            contact_id = CASE WHEN contact_id IS NULL OR excluded.contact_id > contact_id
                              THEN excluded.contact_id ELSE contact_id END"
    ))?
    .execute(named_params! {
        ":root": root_call_id,
        ":payload": event.payload,
        ":kind": event.kind,
        ":contact_id": event.contact_id,
    })?;
    let after = summary_number(conn, root_call_id)?;
    touched.add(before);
    touched.add(after);
    Ok(())
}

/// Refreshes the context a log save touches: the number of its call, the number
/// the log named before and the one it names now.
pub fn note_log(
    conn: &Connection,
    root_call_id: &str,
    previous_number: Option<String>,
    number: Option<String>,
) -> rusqlite::Result<()> {
    let mut touched = Touched::default();
    touched.add(summary_number(conn, root_call_id)?);
    touched.add(previous_number);
    touched.add(number);
    touched.refresh(conn)
}

/// The numbers whose context rows are out of date, each once: collected over a
/// batch of events, so a number the batch touches many times is refreshed once.
#[derive(Debug, Default)]
pub struct Touched(Vec<String>);

impl Touched {
    fn add(&mut self, number: Option<String>) {
        if let Some(number) = number {
            if !self.0.contains(&number) {
                self.0.push(number);
            }
        }
    }

    /// Recomputes the context rows of every number touched.
    pub fn refresh(self, conn: &Connection) -> rusqlite::Result<()> {
        for number in &self.0 {
            refresh(conn, number)?;
        }
        Ok(())
    }
}

/// Rebuilds both tables from the journal and the saved logs: after a migration,
/// and after the retention purge removed events or log numbers.
pub fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(concat!(
        "DELETE FROM call_context;
         DELETE FROM call_summaries;
         INSERT INTO call_summaries
            (root_call_id, number, ringing_at, first_at, result, contact_id)
         SELECT root_call_id, max(",
        other_number!("payload"),
        "),
                min(CASE WHEN kind = 'zp-call-ringing-event'
                         THEN json_extract(payload, '$.dateTime') END),
                min(json_extract(payload, '$.dateTime')),
                max(CASE WHEN kind = 'zp-call-ended-event'
                         THEN json_extract(payload, '$.result') END),
                max(contact_id)
           FROM call_events
          WHERE call_id = root_call_id AND json_valid(payload)
          GROUP BY root_call_id;"
    ))?;
    let numbers: Vec<String> = conn
        .prepare("SELECT DISTINCT number FROM call_summaries WHERE number IS NOT NULL")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for number in &numbers {
        refresh(conn, number)?;
    }
    Ok(())
}

/// The context rows, latest call first, at most [`CONTEXT_LIMIT`].
pub fn read(conn: &Connection) -> rusqlite::Result<Vec<CallContext>> {
    let rows = conn
        .prepare_cached(READ)?
        .query_map(named_params! { ":limit": CONTEXT_LIMIT }, |row| {
            let contact_key: i64 = row.get(1)?;
            Ok(CallContext {
                number: row.get(0)?,
                contact_id: (contact_key != NO_CONTACT).then_some(contact_key),
                attempts: row.get(2)?,
                last_at: row.get(3)?,
                last_result: row.get(4)?,
                last_disposition: row.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The number of the other party of `root_call_id`, as its summary has it.
fn summary_number(conn: &Connection, root_call_id: &str) -> rusqlite::Result<Option<String>> {
    let number = conn
        .prepare_cached("SELECT number FROM call_summaries WHERE root_call_id = ?1")?
        .query_row([root_call_id], |row| row.get::<_, Option<String>>(0))
        .optional()?;
    Ok(number.flatten())
}

/// Recomputes the context rows of `number` from its calls and logs ([`REFRESH`]).
fn refresh(conn: &Connection, number: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM call_context WHERE number = ?1")?
        .execute([number])?;
    conn.prepare_cached(REFRESH)?
        .execute(named_params! { ":number": number })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::Strategy;

    use super::*;
    use crate::db::Db;

    /// The query plan of `sql`, one step per line.
    async fn plan_of(sql: &'static str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("plan.db")).unwrap();
        let steps: Vec<String> = db
            .read(move |conn| {
                let mut plan = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                let mut rows = plan.raw_query();
                let mut steps = Vec::new();
                while let Some(row) = rows.next()? {
                    steps.push(row.get(3)?);
                }
                Ok(steps)
            })
            .await
            .unwrap();
        steps.join("\n")
    }

    #[tokio::test]
    async fn reading_and_refreshing_the_context_go_through_indexes_without_sorting() {
        let read = plan_of(READ).await;
        assert!(read.contains("USING INDEX call_context_last_at"), "{read}");
        assert!(!read.contains("TEMP B-TREE"), "{read}");
        let calls = plan_of(CALLS_OF_NUMBER).await;
        assert!(
            calls.contains("USING INDEX call_summaries_number"),
            "{calls}"
        );
        assert!(!calls.contains("SCAN"), "{calls}");
        let logs = plan_of(LOGS_OF_NUMBER).await;
        assert!(logs.contains("USING INDEX call_logs_number"), "{logs}");
        let refresh = plan_of(REFRESH).await;
        assert!(
            refresh.contains("USING INDEX call_summaries_number")
                && refresh.contains("USING INDEX call_logs_number")
                && !refresh.contains("SCAN s")
                && !refresh.contains("SCAN call_logs"),
            "{refresh}"
        );
    }

    /// A call of the generated journal: its number (of two), the contact the app
    /// tied it to, its start and result, and its log (contact, disposition, number
    /// of three, saving time), if any.
    type GeneratedCall = (
        u8,
        Option<i64>,
        Option<u8>,
        Option<u8>,
        Option<(Option<i64>, u8, u8, u8)>,
    );

    fn generated_call() -> impl Strategy<Value = GeneratedCall> {
        let contact = proptest::option::of(1_i64..4);
        (
            0_u8..2,
            contact.clone(),
            proptest::option::of(0_u8..4),
            proptest::option::of(0_u8..3),
            proptest::option::of((contact, 0_u8..3, 0_u8..3, 0_u8..4)),
        )
    }

    const NUMBERS: [&str; 3] = ["+14155550100", "+14155550101", "+14155550102"];
    const RESULTS: [&str; 3] = ["ended", "missed", "rejected"];
    const DISPOSITIONS: [&str; 3] = ["interested", "callback", "no_answer"];

    /// Writes `calls` as summaries and logs, in a fresh database.
    fn journal_of(calls: &[GeneratedCall]) -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fold.db");
        drop(Db::open(&path).unwrap());
        let conn = crate::db::open_connection(&path).unwrap();
        for (i, (number, tied, started, result, log)) in calls.iter().enumerate() {
            let root = format!("c{i:02}");
            conn.execute(
                "INSERT INTO call_summaries (root_call_id, number, ringing_at, first_at, result, contact_id)
                 VALUES (?1, ?2, NULL, ?3, ?4, ?5)",
                rusqlite::params![
                    root,
                    NUMBERS[usize::from(*number)],
                    started.map(|m| format!("2026-11-02T10:0{m}:00Z")),
                    result.map(|r| RESULTS[usize::from(r)]),
                    tied,
                ],
            )
            .unwrap();
            if let Some((contact, disposition, number, saved)) = log {
                conn.execute(
                    "INSERT INTO call_logs (root_call_id, version, content, disposition, notes,
                                            fields, contact_id, number, saved_at)
                     VALUES (?1, 1, '', ?2, '', '{}', ?3, ?4, ?5)",
                    rusqlite::params![
                        root,
                        DISPOSITIONS[usize::from(*disposition)],
                        contact,
                        NUMBERS[usize::from(*number)],
                        format!("2026-11-02T11:0{saved}:00Z"),
                    ],
                )
                .unwrap();
            }
        }
        (dir, conn)
    }

    /// The rows the fold in Rust gives for `number`, read through the oracle queries.
    fn folded(conn: &Connection, number: &str) -> Vec<CallContext> {
        let calls: Vec<CallFacts> = conn
            .prepare(CALLS_OF_NUMBER)
            .unwrap()
            .query_map([number], |row| {
                Ok(CallFacts {
                    contact_id: row.get(0)?,
                    started: row.get(1)?,
                    result: row.get(2)?,
                })
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let logs: Vec<LogFacts> = conn
            .prepare(LOGS_OF_NUMBER)
            .unwrap()
            .query_map([number], |row| {
                Ok(LogFacts {
                    disposition: row.get(0)?,
                    contact_id: row.get(1)?,
                })
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        summarise(number, &calls, &logs)
    }

    /// The rows `call_context` holds for `number`, by contact.
    fn stored(conn: &Connection, number: &str) -> Vec<CallContext> {
        let mut rows: Vec<CallContext> = read(conn)
            .unwrap()
            .into_iter()
            .filter(|row| row.number == number)
            .collect();
        rows.sort_by_key(|row| row.contact_id);
        rows
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// The statement writes what the fold in Rust gives, whatever the calls, ties,
        /// missing starts and results, and logs naming other contacts or numbers.
        #[test]
        fn the_refresh_statement_folds_as_the_rust_fold_does(
            calls in proptest::collection::vec(generated_call(), 0..24)
        ) {
            let (_dir, conn) = journal_of(&calls);
            for number in NUMBERS {
                refresh(&conn, number).unwrap();
                proptest::prop_assert_eq!(stored(&conn, number), folded(&conn, number));
            }
        }
    }

    fn call(contact_id: Option<i64>, started: &str, result: &str) -> CallFacts {
        CallFacts {
            contact_id,
            started: Some(started.into()),
            result: Some(result.into()),
        }
    }

    #[test]
    fn the_latest_call_per_contact_wins_and_logs_of_uncalled_contacts_add_nothing() {
        let calls = [
            call(None, "2026-11-02T11:00:00Z", "ended"),
            call(Some(7), "2026-11-03T10:00:00Z", "missed"),
            call(None, "2026-11-02T09:00:00Z", "missed"),
            CallFacts {
                contact_id: Some(7),
                started: None,
                result: Some("ended".into()),
            },
        ];
        let logs = [
            LogFacts {
                disposition: "interested".into(),
                contact_id: None,
            },
            LogFacts {
                disposition: "callback".into(),
                contact_id: Some(9),
            },
        ];
        let rows = summarise("+14155550123", &calls, &logs);
        let seen: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.contact_id,
                    r.attempts,
                    r.last_at.as_deref(),
                    r.last_result.as_deref(),
                    r.last_disposition.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    None,
                    2,
                    Some("2026-11-02T11:00:00Z"),
                    Some("ended"),
                    Some("interested")
                ),
                (
                    Some(7),
                    2,
                    Some("2026-11-03T10:00:00Z"),
                    Some("missed"),
                    None
                ),
            ]
        );
    }
}
