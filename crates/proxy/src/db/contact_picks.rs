//! The contact each user picked for a number several contacts hold, one per
//! user and E.164 number; the pick goes when its contact is deleted.

use rusqlite::{named_params, Connection, OptionalExtension};

use super::DbError;

/// What [`save`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picked {
    /// The pick is stored, replacing the user's earlier pick for the number.
    Saved,
    /// No contact has this id: nothing was written.
    NoSuchContact,
}

/// Stores `contact_id` as `user_key`'s pick for `e164`, in one immediate
/// transaction.
pub fn save(
    conn: &mut Connection,
    user_key: &str,
    e164: &str,
    contact_id: i64,
) -> Result<Picked, DbError> {
    let tx = conn.savepoint()?;
    if !contact_exists(&tx, contact_id)? {
        return Ok(Picked::NoSuchContact);
    }
    tx.prepare_cached(
        "INSERT INTO contact_picks (user_key, e164, contact_id, picked_at)
         VALUES (:user_key, :e164, :contact_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         ON CONFLICT (user_key, e164) DO UPDATE SET
            contact_id = excluded.contact_id, picked_at = excluded.picked_at",
    )?
    .execute(named_params! {
        ":user_key": user_key,
        ":e164": e164,
        ":contact_id": contact_id,
    })?;
    tx.commit()?;
    Ok(Picked::Saved)
}

/// Whether a contact has this id.
pub fn contact_exists(conn: &Connection, contact_id: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM contacts WHERE id = ?1")?
        .exists([contact_id])?)
}

/// The contact `user_key` picked for `e164`, if any.
pub fn picked(conn: &Connection, user_key: &str, e164: &str) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT contact_id FROM contact_picks WHERE user_key = ?1 AND e164 = ?2")?
        .query_row([user_key, e164], |row| row.get(0))
        .optional()?)
}
