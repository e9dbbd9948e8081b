//! The do-not-call list: E.164 numbers not to be called, whichever contacts
//! hold them.

use rusqlite::Connection;

use super::DbError;

/// Puts `e164` on the list (`on`) or takes it off. Runs inside the caller's
/// transaction; putting a listed number again keeps its first date.
pub fn set(conn: &Connection, e164: &str, on: bool) -> Result<(), DbError> {
    let sql = if on {
        "INSERT OR IGNORE INTO do_not_call (e164) VALUES (?1)"
    } else {
        "DELETE FROM do_not_call WHERE e164 = ?1"
    };
    conn.prepare_cached(sql)?.execute([e164])?;
    Ok(())
}

/// Whether `e164` is on the list.
pub fn contains(conn: &Connection, e164: &str) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM do_not_call WHERE e164 = ?1")?
        .exists([e164])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    #[tokio::test]
    async fn numbers_go_on_and_off_the_list_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("test.db")).unwrap();
        let listed = db
            .write(|conn| {
                set(conn, "+14155550123", true)?;
                set(conn, "+14155550123", true)?;
                set(conn, "+14155550124", true)?;
                set(conn, "+14155550124", false)?;
                set(conn, "+14155550125", false)?;
                Ok([
                    contains(conn, "+14155550123")?,
                    contains(conn, "+14155550124")?,
                    contains(conn, "+14155550125")?,
                ])
            })
            .await
            .unwrap();
        assert_eq!(listed, [true, false, false]);
    }
}
