//! One-time fixes, run with schema v4, of data written by earlier versions:
//! numbers stored with the default region instead of their own, and contacts
//! without a time zone that their first number's region settles.

use rusqlite::Connection;

use crate::{phone, zones};

/// Sets each parsed number's region to its own (`+44…` → `GB`), then gives
/// each contact without a time zone the single zone of its first parsed
/// number's region, when that region has one. Runs inside the migration's
/// transaction.
pub(super) fn displays(conn: &Connection) -> rusqlite::Result<()> {
    let numbers: Vec<(i64, String)> = conn
        .prepare("SELECT id, e164 FROM contact_numbers WHERE e164 IS NOT NULL")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut set = conn.prepare("UPDATE contact_numbers SET display = ?1 WHERE id = ?2")?;
    for (id, e164) in numbers {
        set.execute(rusqlite::params![phone::display_of_e164(&e164), id])?;
    }
    Ok(())
}

pub(super) fn regions_and_zones(conn: &Connection) -> rusqlite::Result<()> {
    let numbers: Vec<(i64, String)> = conn
        .prepare("SELECT id, e164 FROM contact_numbers WHERE e164 IS NOT NULL")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut set_region = conn.prepare("UPDATE contact_numbers SET region = ?1 WHERE id = ?2")?;
    for (id, e164) in numbers {
        let region = phone::region_of_e164(&e164).map(|region| region.to_string());
        set_region.execute(rusqlite::params![region, id])?;
    }
    let unzoned: Vec<(i64, String)> = conn
        .prepare(
            "SELECT c.id, (SELECT n.region FROM contact_numbers n
                           WHERE n.contact_id = c.id AND n.e164 IS NOT NULL
                           ORDER BY n.position LIMIT 1)
             FROM contacts c WHERE c.time_zone IS NULL",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .filter_map(|row| match row {
            Ok((id, Some(region))) => Some(Ok((id, region))),
            Ok((_, None)) => None,
            Err(err) => Some(Err(err)),
        })
        .collect::<Result<_, _>>()?;
    let mut set_zone = conn.prepare("UPDATE contacts SET time_zone = ?1 WHERE id = ?2")?;
    for (id, region) in unzoned {
        if let Some(zone) = zones::single(&region) {
            set_zone.execute(rusqlite::params![zone, id])?;
        }
    }
    Ok(())
}
