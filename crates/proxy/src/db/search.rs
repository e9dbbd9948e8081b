//! Finding contacts: full-text search over name, company and e-mail
//! (`contacts_fts`) plus digits, and matching by E.164 number. Both answer whole
//! contacts, numbers included, ordered by name.

use dialdesk_contract::Contact;
use rusqlite::{named_params, Connection, Params};

use super::contacts::{contact_at, number_at, AFTER_CONTACT};
use super::DbError;
use crate::phone;

/// Fewest digits in a search text for it to be matched against numbers too.
pub const MIN_SEARCH_DIGITS: usize = 3;

/// A query whose `hits (id)` CTE is the given SQL, answering the chosen
/// contacts (at most `:limit`, by name) with their numbers, one row per number.
macro_rules! contacts_with_numbers {
    ($hits:expr) => {
        concat!(
            "WITH hits (id) AS (",
            $hits,
            "),
            picked AS (
                SELECT ",
            contact_columns!(),
            " FROM contacts
                WHERE id IN (SELECT id FROM hits)
                ORDER BY name COLLATE NOCASE, id LIMIT :limit
            )
            SELECT p.id, p.name, p.company, p.title, p.email, p.time_zone, p.version, ",
            number_columns!(),
            " FROM picked p LEFT JOIN contact_numbers n ON n.contact_id = p.id",
            do_not_call_join!(),
            "ORDER BY p.name COLLATE NOCASE, p.id, n.position"
        )
    };
}

/// Contacts whose name, company or e-mail match the FTS5 expression `:fts`.
macro_rules! text_hits {
    () => {
        "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH :fts"
    };
}

/// Contacts holding a number whose digits contain `:digits` (a `LIKE` pattern):
/// the E.164 form, or the raw text without its usual punctuation when the
/// number did not parse.
macro_rules! digit_hits {
    () => {
        "SELECT contact_id FROM contact_numbers
         WHERE e164 LIKE :digits
            OR (e164 IS NULL AND replace(replace(replace(replace(replace(replace(
                raw, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '') LIKE :digits)"
    };
}

const BY_TEXT: &str = contacts_with_numbers!(text_hits!());
const BY_DIGITS: &str = contacts_with_numbers!(digit_hits!());
const BY_TEXT_OR_DIGITS: &str =
    contacts_with_numbers!(concat!(text_hits!(), " UNION ", digit_hits!()));
const BY_E164: &str =
    contacts_with_numbers!("SELECT contact_id FROM contact_numbers WHERE e164 = :e164");

/// At most `limit` contacts, by name, whose name, company or e-mail contain
/// words starting with every word of `text`, or (when `text` has at least
/// [`MIN_SEARCH_DIGITS`] digits) holding a number that contains those digits.
/// Text without a word or enough digits finds nothing.
pub fn search(conn: &Connection, text: &str, limit: u32) -> Result<Vec<Contact>, DbError> {
    let fts = fts_expression(text);
    let digits = phone::digits(text);
    let digits = (digits.len() >= MIN_SEARCH_DIGITS).then(|| format!("%{digits}%"));
    match (fts, digits) {
        (Some(fts), Some(digits)) => load(
            conn,
            BY_TEXT_OR_DIGITS,
            named_params! { ":fts": fts, ":digits": digits, ":limit": limit },
        ),
        (Some(fts), None) => load(
            conn,
            BY_TEXT,
            named_params! { ":fts": fts, ":limit": limit },
        ),
        (None, Some(digits)) => load(
            conn,
            BY_DIGITS,
            named_params! { ":digits": digits, ":limit": limit },
        ),
        (None, None) => Ok(Vec::new()),
    }
}

/// At most `limit` contacts, by name, holding the number `e164` (any of their
/// numbers).
pub fn by_e164(conn: &Connection, e164: &str, limit: u32) -> Result<Vec<Contact>, DbError> {
    load(
        conn,
        BY_E164,
        named_params! { ":e164": e164, ":limit": limit },
    )
}

/// The FTS5 expression for `text`: each whitespace-separated word that has a
/// letter or digit becomes a quoted prefix term (`"ada"*`), quotes doubled, so
/// no FTS5 syntax (`AND`, `*`, `(`, `-`, `:`, `"`) in user text has any
/// meaning; terms are ANDed. `None` when no word is left.
fn fts_expression(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| format!("\"{}\"*", word.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Runs a [`contacts_with_numbers!`] query and folds its rows (one per number,
/// grouped by contact) into contacts.
fn load(conn: &Connection, sql: &str, params: impl Params) -> Result<Vec<Contact>, DbError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut contacts: Vec<Contact> = Vec::new();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if contacts.last().is_none_or(|contact| contact.id != id) {
            contacts.push(contact_at(row)?);
        }
        // A contact without numbers has one row, its number columns NULL.
        let has_number = row.get_ref(AFTER_CONTACT)? != rusqlite::types::ValueRef::Null;
        if let (Some(contact), true) = (contacts.last_mut(), has_number) {
            contact.numbers.push(number_at(row, AFTER_CONTACT)?);
        }
    }
    Ok(contacts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::contacts::{insert_if_absent, NewContact, NewNumber};
    use crate::db::Db;

    #[test]
    fn user_text_becomes_quoted_prefix_terms() {
        assert_eq!(fts_expression("ada"), Some("\"ada\"*".to_owned()));
        assert_eq!(
            fts_expression("  Ada   LOVE "),
            Some("\"Ada\"* \"LOVE\"*".to_owned())
        );
        assert_eq!(
            fts_expression("a\"b AND ( x*"),
            Some("\"a\"\"b\"* \"AND\"* \"x*\"*".to_owned())
        );
        for nothing in ["", "   ", "\"", "*", "(", "-", "😀", "- ( ) \" *"] {
            assert_eq!(fts_expression(nothing), None, "{nothing:?}");
        }
    }

    fn contact(name: &str, company: Option<&str>, raw: &str, e164: Option<&str>) -> NewContact {
        NewContact {
            name: name.to_owned(),
            company: company.map(str::to_owned),
            title: None,
            email: Some(format!(
                "{}@example.com",
                name.to_lowercase().replace(' ', ".")
            )),
            time_zone: None,
            owner: None,
            external_id: None,
            numbers: vec![NewNumber {
                label: "work".to_owned(),
                raw: raw.to_owned(),
                e164: e164.map(str::to_owned),
                region: Some("US".to_owned()),
                parse_error: e164.is_none().then(|| "invalid".to_owned()),
                display: None,
                do_not_call: None,
            }],
        }
    }

    #[tokio::test]
    async fn search_keeps_in_step_with_inserts_updates_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("test.db")).unwrap();
        db.write(|conn| {
            insert_if_absent(
                conn,
                &contact(
                    "Zoë Ådams",
                    Some("Acme"),
                    "(415) 555-0100",
                    Some("+14155550100"),
                ),
            )?;
            insert_if_absent(conn, &contact("bob Brown", None, "555 12 34 x9", None))?;
            Ok(())
        })
        .await
        .unwrap();
        let names = |text: &'static str| {
            let db = db.clone();
            async move {
                db.read(move |conn| search(conn, text, 20))
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|c| c.name)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(names("zoe ad").await, ["Zoë Ådams"]);
        assert_eq!(names("acme").await, ["Zoë Ådams"]);
        assert_eq!(names("5551234").await, ["bob Brown"]);
        assert_eq!(names("555").await, ["bob Brown", "Zoë Ådams"]);
        assert!(names("55").await.is_empty());
        db.write(|conn| {
            conn.execute(
                "UPDATE contacts SET name = 'Carol Cole', email = NULL WHERE name = 'bob Brown'",
                [],
            )?;
            conn.execute("DELETE FROM contacts WHERE company = 'Acme'", [])?;
            Ok(())
        })
        .await
        .unwrap();
        assert!(names("bob").await.is_empty());
        assert_eq!(names("car").await, ["Carol Cole"]);
        assert!(names("zoe").await.is_empty());
        assert!(names("acme").await.is_empty());
    }
}
