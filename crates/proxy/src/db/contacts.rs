//! Contacts and their numbers.

use dialdesk_contract::{Contact, ContactNumber, ContactsPage};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::contact_sources::FIELDS;
use super::{do_not_call, DbError};

/// A contact to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    /// Full name.
    pub name: String,
    /// Company, if known.
    pub company: Option<String>,
    /// Job title, if known.
    pub title: Option<String>,
    /// E-mail, if known.
    pub email: Option<String>,
    /// IANA time zone, if known.
    pub time_zone: Option<String>,
    /// Owner (rep) of the contact, if any.
    pub owner: Option<String>,
    /// Identity in the source system; unique when present.
    pub external_id: Option<String>,
    /// Numbers in display order.
    pub numbers: Vec<NewNumber>,
}

/// A phone number to insert with a contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNumber {
    /// "work", "mobile", …
    pub label: String,
    /// The number as written.
    pub raw: String,
    /// E.164 form when it parsed.
    pub e164: Option<String>,
    /// Region the number was parsed for.
    pub region: Option<String>,
    /// Why it did not parse.
    pub parse_error: Option<String>,
    /// How it reads, grouped for its country, when it parsed.
    pub display: Option<String>,
    /// What to do with the E.164 form on the do-not-call list when the number
    /// is written: `Some(true)` puts it on, `Some(false)` takes it off (for
    /// every contact holding it), `None` leaves the list as it is.
    pub do_not_call: Option<bool>,
}

/// Inserts `contact` and its numbers unless a contact with the same external id
/// exists. Returns whether a row was added. Runs inside the caller's transaction.
///
/// The existence check comes first because an `INSERT` that ends in a conflict
/// would still consume an AUTOINCREMENT id.
pub fn insert_if_absent(conn: &Connection, contact: &NewContact) -> Result<bool, DbError> {
    if let Some(external_id) = &contact.external_id {
        let exists = conn
            .prepare_cached("SELECT 1 FROM contacts WHERE external_id = ?1")?
            .exists([external_id])?;
        if exists {
            return Ok(false);
        }
    }
    insert(conn, contact)?;
    Ok(true)
}

/// Inserts `contact` and its numbers and returns its id. Runs inside the
/// caller's transaction; fails if its external id is taken.
pub fn insert(conn: &Connection, contact: &NewContact) -> Result<i64, DbError> {
    conn.prepare_cached(
        "INSERT INTO contacts (name, company, title, email, time_zone, owner, external_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        contact.name,
        contact.company,
        contact.title,
        contact.email,
        contact.time_zone,
        contact.owner,
        contact.external_id,
    ])?;
    let contact_id = conn.last_insert_rowid();
    insert_numbers(conn, contact_id, &contact.numbers)?;
    Ok(contact_id)
}

/// Replaces every field and every number of contact `id` with those of
/// `contact`, except that the external id is kept when `contact` has none.
/// Runs inside the caller's transaction.
pub fn replace(conn: &Connection, id: i64, contact: &NewContact) -> Result<(), DbError> {
    edit(conn, id, contact)?;
    set_origin(conn, id, contact)
}

/// Sets the owner of contact `id` to `contact`'s, and its external id when
/// `contact` has one, without touching its version. Runs inside the caller's
/// transaction.
pub fn set_origin(conn: &Connection, id: i64, contact: &NewContact) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE contacts SET owner = ?1, external_id = coalesce(?2, external_id) WHERE id = ?3",
    )?
    .execute(params![contact.owner, contact.external_id, id])?;
    Ok(())
}

/// Replaces the name, company, title, e-mail, time zone and every number of
/// contact `id` with those of `contact`, keeps its owner and external id, stamps
/// `updated_at` and raises its version. Returns whether the contact exists. Runs inside the
/// caller's transaction.
pub fn edit(conn: &Connection, id: i64, contact: &NewContact) -> Result<bool, DbError> {
    let changed = conn
        .prepare_cached(
            "UPDATE contacts SET name = ?1, company = ?2, title = ?3, email = ?4, time_zone = ?5,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), version = version + 1
             WHERE id = ?6",
        )?
        .execute(params![
            contact.name,
            contact.company,
            contact.title,
            contact.email,
            contact.time_zone,
            id,
        ])?;
    if changed == 0 {
        return Ok(false);
    }
    conn.prepare_cached("DELETE FROM contact_numbers WHERE contact_id = ?1")?
        .execute([id])?;
    insert_numbers(conn, id, &contact.numbers)?;
    Ok(true)
}

/// Whether writing `contact` over `stored` would change nothing a person sees:
/// the same fields, the same numbers in the same order, and no do-not-call change.
pub fn same_content(stored: &Contact, contact: &NewContact) -> bool {
    FIELDS.iter().all(|field| !field.differs(stored, contact))
}

/// Inserts `numbers` for contact `contact_id`, in order, and applies their
/// do-not-call changes.
fn insert_numbers(
    conn: &Connection,
    contact_id: i64,
    numbers: &[NewNumber],
) -> Result<(), DbError> {
    let mut insert_number = conn.prepare_cached(
        "INSERT INTO contact_numbers
             (contact_id, position, label, raw, e164, region, parse_error, display)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (position, number) in (0_i64..).zip(numbers) {
        insert_number.execute(params![
            contact_id,
            position,
            number.label,
            number.raw,
            number.e164,
            number.region,
            number.parse_error,
            number.display,
        ])?;
        if let (Some(e164), Some(on)) = (&number.e164, number.do_not_call) {
            do_not_call::set(conn, e164, on)?;
        }
    }
    Ok(())
}

/// The number whose `number_columns!()` start at column `first` of `row`.
pub(super) fn number_at(row: &Row<'_>, first: usize) -> rusqlite::Result<ContactNumber> {
    Ok(ContactNumber {
        label: row.get(first)?,
        raw: row.get(first + 1)?,
        e164: row.get(first + 2)?,
        region: row.get(first + 3)?,
        parse_error: row.get(first + 4)?,
        do_not_call: row.get(first + 5)?,
        display: row.get(first + 6)?,
    })
}

/// Contact `id` with its numbers, or `None` when there is no such contact.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Contact>, DbError> {
    let contact = conn
        .prepare_cached(concat!(
            "SELECT ",
            contact_columns!(),
            " FROM contacts WHERE id = ?1"
        ))?
        .query_row([id], contact_at)
        .optional()?;
    let Some(mut contact) = contact else {
        return Ok(None);
    };
    contact.numbers = conn
        .prepare_cached(concat!(
            "SELECT ",
            number_columns!(),
            " FROM contact_numbers n",
            do_not_call_join!(),
            "WHERE n.contact_id = ?1 ORDER BY n.position"
        ))?
        .query_map([id], |row| number_at(row, 0))?
        .collect::<Result<_, _>>()?;
    Ok(Some(contact))
}

/// The first column after [`contact_columns!`] in a row that starts with them.
pub(super) const AFTER_CONTACT: usize = 7;

/// The contact (without numbers) in the [`contact_columns!`] that start `row`.
pub(super) fn contact_at(row: &Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        id: row.get(0)?,
        name: row.get(1)?,
        company: row.get(2)?,
        title: row.get(3)?,
        email: row.get(4)?,
        time_zone: row.get(5)?,
        numbers: Vec::new(),
        version: u64::try_from(row.get::<_, i64>(6)?).unwrap_or_default(),
    })
}

/// One page of contacts with `id > after` in ascending id order, at most `limit`
/// long, read in one snapshot together with the total count.
pub fn page(conn: &mut Connection, after: i64, limit: u32) -> Result<ContactsPage, DbError> {
    let tx = conn.transaction()?;
    let total: i64 = tx.query_row("SELECT COUNT(*) FROM contacts", [], |row| row.get(0))?;
    let mut contacts: Vec<Contact> = tx
        .prepare_cached(concat!(
            "SELECT ",
            contact_columns!(),
            " FROM contacts WHERE id > ?1 ORDER BY id LIMIT ?2"
        ))?
        .query_map(params![after, limit], contact_at)?
        .collect::<Result<_, _>>()?;
    if let (Some(first), Some(last)) = (contacts.first(), contacts.last()) {
        let (first, last) = (first.id, last.id);
        let mut stmt = tx.prepare_cached(concat!(
            "SELECT n.contact_id, ",
            number_columns!(),
            " FROM contact_numbers n",
            do_not_call_join!(),
            "WHERE n.contact_id BETWEEN ?1 AND ?2 ORDER BY n.contact_id, n.position"
        ))?;
        let rows = stmt.query_map(params![first, last], |row| {
            Ok((row.get::<_, i64>(0)?, number_at(row, 1)?))
        })?;
        // Both lists are in contact id order: walk them together.
        let mut slots = contacts.iter_mut().peekable();
        for row in rows {
            let (contact_id, number) = row?;
            while slots.next_if(|c| c.id < contact_id).is_some() {}
            if let Some(contact) = slots.peek_mut().filter(|c| c.id == contact_id) {
                contact.numbers.push(number);
            }
        }
    }
    drop(tx);
    let full = u32::try_from(contacts.len()).is_ok_and(|len| len == limit);
    let next_cursor = if full {
        contacts.last().map(|c| c.id)
    } else {
        None
    };
    Ok(ContactsPage {
        contacts,
        next_cursor,
        total: u64::try_from(total).unwrap_or_default(),
    })
}
