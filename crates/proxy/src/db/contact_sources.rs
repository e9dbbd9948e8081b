//! Which fields of a contact a person edited in dialdesk, and which each source (a
//! CSV file by name, or Zoom) last wrote, so that an import or a sync never writes
//! over a person's edit made since that source last delivered the field.
//!
//! Both are stamped with the contact's version at the time: a field is a person's
//! when its edit stamp is later than the source's stamp for it (or the source never
//! wrote it). A kept field keeps its old source stamp, so it stays kept on every
//! later import until a person changes it back or the source agrees.

use dialdesk_contract::Contact;
use rusqlite::{named_params, Connection, OptionalExtension};

use super::contacts::{NewContact, NewNumber};
use super::DbError;

/// A field of a contact, as marks and reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The name.
    Name,
    /// The company.
    Company,
    /// The job title.
    Title,
    /// The e-mail address.
    Email,
    /// The time zone.
    TimeZone,
    /// The numbers, as one list.
    Numbers,
}

/// Every field, in the editor's order.
pub const FIELDS: [Field; 6] = [
    Field::Name,
    Field::Company,
    Field::Title,
    Field::Email,
    Field::TimeZone,
    Field::Numbers,
];

impl Field {
    /// The key stored in the marks.
    fn key(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Company => "company",
            Self::Title => "title",
            Self::Email => "email",
            Self::TimeZone => "timeZone",
            Self::Numbers => "numbers",
        }
    }

    /// The field as the editor labels it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::Company => "Company",
            Self::Title => "Title",
            Self::Email => "E-mail",
            Self::TimeZone => "Time zone",
            Self::Numbers => "Phone numbers",
        }
    }

    /// Whether `contact` has a value for this field.
    fn is_set(self, contact: &NewContact) -> bool {
        match self {
            Self::Name => !contact.name.is_empty(),
            Self::Company => contact.company.is_some(),
            Self::Title => contact.title.is_some(),
            Self::Email => contact.email.is_some(),
            Self::TimeZone => contact.time_zone.is_some(),
            Self::Numbers => !contact.numbers.is_empty(),
        }
    }

    /// Whether writing `new` would change this field of `stored` (for the numbers:
    /// their order, labels, text, E.164 forms or do-not-call choices).
    pub(super) fn differs(self, stored: &Contact, new: &NewContact) -> bool {
        match self {
            Self::Name => stored.name != new.name,
            Self::Company => stored.company != new.company,
            Self::Title => stored.title != new.title,
            Self::Email => stored.email != new.email,
            Self::TimeZone => stored.time_zone != new.time_zone,
            Self::Numbers => {
                stored.numbers.len() != new.numbers.len()
                    || stored.numbers.iter().zip(&new.numbers).any(|(old, new)| {
                        old.label != new.label
                            || old.raw != new.raw
                            || old.e164 != new.e164
                            || new.do_not_call.is_some_and(|on| on != old.do_not_call)
                    })
            }
        }
    }

    /// Puts `stored`'s value of this field in `into`.
    fn keep(self, into: &mut NewContact, stored: &Contact) {
        match self {
            Self::Name => into.name.clone_from(&stored.name),
            Self::Company => into.company.clone_from(&stored.company),
            Self::Title => into.title.clone_from(&stored.title),
            Self::Email => into.email.clone_from(&stored.email),
            Self::TimeZone => into.time_zone.clone_from(&stored.time_zone),
            Self::Numbers => {
                into.numbers = stored
                    .numbers
                    .iter()
                    .map(|n| NewNumber {
                        label: n.label.clone(),
                        raw: n.raw.clone(),
                        e164: n.e164.clone(),
                        region: n.region.clone(),
                        parse_error: n.parse_error.clone(),
                        display: n.display.clone(),
                        do_not_call: None,
                    })
                    .collect();
            }
        }
    }

    /// This field of `contact` as a report quotes it.
    fn text(self, contact: &NewContact) -> String {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        match self {
            Self::Name => contact.name.clone(),
            Self::Company => text(&contact.company),
            Self::Title => text(&contact.title),
            Self::Email => text(&contact.email),
            Self::TimeZone => text(&contact.time_zone),
            Self::Numbers => contact
                .numbers
                .iter()
                .map(|n| n.raw.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// `version` as SQLite stores it.
fn stamp(version: u64) -> i64 {
    i64::try_from(version).unwrap_or(i64::MAX)
}

/// A field a person edited that a source's value did not replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The field.
    pub field: Field,
    /// The source's value, as a report quotes it.
    pub incoming: String,
}

impl Kept {
    /// What a report says of it, for the contact `contact_name` and a source that
    /// reads as `source` ("the file", "Zoom").
    pub fn describe(&self, contact_name: &str, source: &str) -> String {
        format!(
            "kept {contact_name}'s {} as edited in dialdesk; {source} has {:?}",
            self.field.label().to_lowercase(),
            self.incoming
        )
    }
}

/// Notes that a person wrote `after` over `before` (`None`: created it) at
/// `version`: every field they changed (or set, on creation).
pub fn note_person(
    conn: &Connection,
    contact_id: i64,
    before: Option<&Contact>,
    after: &NewContact,
    version: u64,
) -> Result<(), DbError> {
    let mut mark = conn.prepare_cached(
        "INSERT INTO contact_field_edits (contact_id, field, version)
         VALUES (:contact_id, :field, :version)
         ON CONFLICT (contact_id, field) DO UPDATE SET version = excluded.version",
    )?;
    for field in FIELDS {
        let changed = before.map_or(field.is_set(after), |before| field.differs(before, after));
        if changed {
            mark.execute(named_params! {
                ":contact_id": contact_id,
                ":field": field.key(),
                ":version": stamp(version),
            })?;
        }
    }
    Ok(())
}

/// Notes that `source` wrote `fields` of the contact at `version`.
pub fn note_source(
    conn: &Connection,
    contact_id: i64,
    source: &str,
    fields: &[Field],
    version: u64,
) -> Result<(), DbError> {
    let mut mark = conn.prepare_cached(
        "INSERT INTO contact_field_sources (contact_id, source, field, version)
         VALUES (:contact_id, :source, :field, :version)
         ON CONFLICT (contact_id, source, field) DO UPDATE SET version = excluded.version",
    )?;
    for field in fields {
        mark.execute(named_params! {
            ":contact_id": contact_id,
            ":source": source,
            ":field": field.key(),
            ":version": stamp(version),
        })?;
    }
    Ok(())
}

/// `incoming` from `source` merged over `stored`: each field a person edited since
/// `source` last wrote it keeps its stored value. Returns the merged contact, the
/// fields taken from `incoming`, and the kept fields whose incoming value differs.
pub fn merge(
    conn: &Connection,
    stored: &Contact,
    incoming: &NewContact,
    source: &str,
) -> Result<(NewContact, Vec<Field>, Vec<Kept>), DbError> {
    let mut edited = conn.prepare_cached(
        "SELECT e.version > coalesce(s.version, 0)
           FROM contact_field_edits e
           LEFT JOIN contact_field_sources s
             ON s.contact_id = e.contact_id AND s.field = e.field AND s.source = :source
          WHERE e.contact_id = :contact_id AND e.field = :field",
    )?;
    let mut merged = incoming.clone();
    let mut taken = Vec::new();
    let mut kept = Vec::new();
    for field in FIELDS {
        let persons = edited
            .query_row(
                named_params! {
                    ":source": source,
                    ":contact_id": stored.id,
                    ":field": field.key(),
                },
                |row| row.get::<_, bool>(0),
            )
            .optional()?
            .unwrap_or(false);
        if !persons {
            taken.push(field);
            continue;
        }
        if field.differs(stored, incoming) {
            kept.push(Kept {
                field,
                incoming: field.text(incoming),
            });
        }
        field.keep(&mut merged, stored);
    }
    Ok((merged, taken, kept))
}
