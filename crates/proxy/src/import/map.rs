//! Header names → contact fields, and one row → one contact.
//!
//! Headers are matched case- and space-insensitively (`-` and `_` ignored too)
//! against common aliases; every phone-like column (`phone`, `mobile`,
//! `work phone`, `phone 2`, …) becomes a number labelled from its header.

use dialdesk_contract::rules;

use crate::db::contacts::{NewContact, NewNumber};
use crate::phone::{self, Region};
use crate::zones;

use super::{ImportError, Issue};

/// Which column holds which field.
#[derive(Debug, Default)]
pub struct Columns {
    headers: Vec<String>,
    name: Option<usize>,
    first_name: Option<usize>,
    last_name: Option<usize>,
    company: Option<usize>,
    title: Option<usize>,
    email: Option<usize>,
    time_zone: Option<usize>,
    owner: Option<usize>,
    external_id: Option<usize>,
    do_not_call: Option<usize>,
    phones: Vec<PhoneColumn>,
}

/// A column holding a phone number.
#[derive(Debug)]
struct PhoneColumn {
    index: usize,
    label: String,
}

/// A row that became a contact, with what was odd about it.
#[derive(Debug)]
pub struct MappedRow {
    /// 1-based line the row starts on.
    pub line: u64,
    /// The contact.
    pub contact: NewContact,
    /// Problems that did not stop the import of the row.
    pub warnings: Vec<Issue>,
}

/// The fields a header can stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    FirstName,
    LastName,
    Company,
    Title,
    Email,
    TimeZone,
    Owner,
    ExternalId,
    DoNotCall,
    Phone,
}

/// The header without case, spaces, `-` and `_`: `E-Mail` → `email`.
fn key(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field `header` stands for, if any.
fn field(header: &str) -> Option<Field> {
    let key = key(header);
    let field = match key.as_str() {
        "name" | "fullname" | "contactname" | "displayname" => Field::Name,
        "firstname" | "givenname" => Field::FirstName,
        "lastname" | "surname" | "familyname" => Field::LastName,
        "company" | "organisation" | "organization" | "companyname" => Field::Company,
        "title" | "jobtitle" => Field::Title,
        "email" | "emailaddress" => Field::Email,
        "timezone" | "tz" => Field::TimeZone,
        "owner" => Field::Owner,
        "externalid" | "id" => Field::ExternalId,
        "donotcall" | "dnc" => Field::DoNotCall,
        _ if is_phone_key(&key) => Field::Phone,
        _ => return None,
    };
    Some(field)
}

/// Whether a header key names a phone column: `…phone`, `mobile`, `cell`,
/// `telephone`, `tel`, each optionally numbered (`phone2`).
fn is_phone_key(key: &str) -> bool {
    let base = key.trim_end_matches(|c: char| c.is_ascii_digit());
    base.ends_with("phone") || matches!(base, "mobile" | "cell" | "tel" | "phonenumber")
}

/// The label of a phone column: its header in lower case with spaces
/// collapsed and a trailing ` phone` dropped (`Work Phone` → `work`,
/// `Mobile` → `mobile`, `Phone 2` → `phone 2`).
fn phone_label(header: &str) -> String {
    let words: Vec<String> = header
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    let words = match words.split_last() {
        Some((last, rest)) if last == "phone" && !rest.is_empty() => rest,
        _ => &words[..],
    };
    words.join(" ")
}

impl Columns {
    /// Maps the header. Fails when no column holds a name, a phone number or
    /// an e-mail address. A field named twice is read from its first column.
    pub fn from_header(headers: Vec<String>) -> Result<Self, ImportError> {
        let mut columns = Self::default();
        for (index, header) in headers.iter().enumerate() {
            let slot = match field(header) {
                None => continue,
                Some(Field::Phone) => {
                    columns.phones.push(PhoneColumn {
                        index,
                        label: phone_label(header),
                    });
                    continue;
                }
                Some(Field::Name) => &mut columns.name,
                Some(Field::FirstName) => &mut columns.first_name,
                Some(Field::LastName) => &mut columns.last_name,
                Some(Field::Company) => &mut columns.company,
                Some(Field::Title) => &mut columns.title,
                Some(Field::Email) => &mut columns.email,
                Some(Field::TimeZone) => &mut columns.time_zone,
                Some(Field::Owner) => &mut columns.owner,
                Some(Field::ExternalId) => &mut columns.external_id,
                Some(Field::DoNotCall) => &mut columns.do_not_call,
            };
            slot.get_or_insert(index);
        }
        let usable = columns.name.is_some()
            || columns.first_name.is_some()
            || columns.last_name.is_some()
            || columns.email.is_some()
            || !columns.phones.is_empty();
        if !usable {
            return Err(ImportError::NoUsableColumns {
                found: headers.join(", "),
            });
        }
        columns.headers = headers;
        Ok(columns)
    }

    /// How many fields each row must have.
    pub fn len(&self) -> usize {
        self.headers.len()
    }

    /// The header of column `index`.
    fn header(&self, index: usize) -> String {
        self.headers.get(index).cloned().unwrap_or_default()
    }

    /// The contact of the row starting on `line`, its numbers read in
    /// `region`. Rejected (as an [`Issue`]) when it has neither a name nor a
    /// number or e-mail address.
    pub fn contact(
        &self,
        line: u64,
        fields: &[String],
        region: Region,
    ) -> Result<MappedRow, Issue> {
        let text = |index: Option<usize>| {
            index
                .and_then(|index| fields.get(index))
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        };
        // The editor's rules: a row the editor would refuse is refused here, with
        // the editor's words, rather than stored and found unsavable later.
        let refuse = |column: Option<usize>, reason: String| {
            Issue::new(
                line,
                column.map(|index| self.header(index)),
                format!("rejected: {reason}"),
            )
        };
        let do_not_call = rules::do_not_call_value(&text(self.do_not_call).unwrap_or_default())
            .map_err(|reason| refuse(self.do_not_call, reason))?;
        let checks = [
            (
                self.email,
                text(self.email).and_then(|e| rules::email_problem(&e)),
            ),
            (
                self.name,
                text(self.name).and_then(|name| rules::name_problem(&name)),
            ),
            (
                self.company,
                text(self.company).and_then(|c| rules::text_problem("the company", &c)),
            ),
            (
                self.title,
                text(self.title).and_then(|t| rules::text_problem("the title", &t)),
            ),
        ];
        if let Some((column, reason)) = checks
            .into_iter()
            .find_map(|(column, problem)| problem.map(|reason| (column, reason)))
        {
            return Err(refuse(column, reason));
        }
        let mut warnings = Vec::new();
        let mut numbers = Vec::new();
        for column in &self.phones {
            let Some(raw) = text(Some(column.index)) else {
                continue;
            };
            let mut number = number(&column.label, raw, region);
            if do_not_call && number.e164.is_some() {
                number.do_not_call = Some(true);
            }
            if let Some(reason) = &number.parse_error {
                warnings.push(Issue::new(
                    line,
                    Some(self.header(column.index)),
                    format!("{reason}; kept unparsed"),
                ));
            }
            numbers.push(number);
        }
        let email = text(self.email);
        let company = text(self.company);
        let name = text(self.name).or_else(|| {
            let parts: Vec<String> = [text(self.first_name), text(self.last_name)]
                .into_iter()
                .flatten()
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        });
        let name = match name {
            Some(name) => name,
            None => {
                let stand_in = company
                    .clone()
                    .or_else(|| email.clone())
                    .or_else(|| numbers.first().map(|number| number.raw.clone()));
                let Some(stand_in) = stand_in.filter(|_| email.is_some() || !numbers.is_empty())
                else {
                    return Err(Issue::new(
                        line,
                        None,
                        "rejected: no name and no phone number or e-mail address".to_owned(),
                    ));
                };
                warnings.push(Issue::new(
                    line,
                    None,
                    "no name; named after its company, e-mail address or number".to_owned(),
                ));
                stand_in
            }
        };
        let time_zone = text(self.time_zone).and_then(|zone| {
            if zones::is_known(&zone) {
                Some(zone)
            } else {
                warnings.push(Issue::new(
                    line,
                    self.time_zone.map(|index| self.header(index)),
                    format!(
                        "unknown time zone {zone:?}; use an IANA name such as America/New_York \
                         (the zone was taken from the number where its region has one)"
                    ),
                ));
                None
            }
        });
        let time_zone = zones::settle(time_zone, &numbers);
        Ok(MappedRow {
            line,
            contact: NewContact {
                name,
                company,
                title: text(self.title),
                email,
                time_zone,
                owner: text(self.owner),
                external_id: text(self.external_id),
                numbers,
            },
            warnings,
        })
    }
}

/// `raw` normalised to E.164 (read in `region`, stored with the number's own
/// region), or kept with the reason it is not a number.
pub(crate) fn number(label: &str, raw: String, region: Region) -> NewNumber {
    match phone::normalize(&raw, region) {
        Some(parsed) => NewNumber {
            label: label.to_owned(),
            raw,
            e164: Some(parsed.e164),
            region: parsed.region.map(|region| region.to_string()),
            parse_error: None,
            display: Some(parsed.display),
            do_not_call: None,
        },
        None => NewNumber {
            label: label.to_owned(),
            parse_error: Some(phone::problem(&raw, region)),
            raw,
            e164: None,
            region: None,
            display: None,
            do_not_call: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(headers: &[&str]) -> Columns {
        Columns::from_header(headers.iter().map(|h| (*h).to_owned()).collect()).unwrap()
    }

    fn row(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|f| (*f).to_owned()).collect()
    }

    fn us() -> Region {
        Region::parse("US").unwrap()
    }

    #[test]
    fn aliases_are_matched_without_case_or_spaces() {
        let c = columns(&[
            " Full Name ",
            "ORGANISATION",
            "Job Title",
            "E-Mail",
            "Time Zone",
            "Owner",
            "External ID",
            "Mobile",
            "Work Phone",
            "phone 2",
            "Notes",
        ]);
        assert_eq!(
            (
                c.name,
                c.company,
                c.title,
                c.email,
                c.time_zone,
                c.owner,
                c.external_id
            ),
            (
                Some(0),
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6)
            )
        );
        let labels: Vec<&str> = c.phones.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["mobile", "work", "phone 2"]);
    }

    #[test]
    fn a_truthy_do_not_call_cell_lists_the_row_s_parsed_numbers() {
        for header in ["Do Not Call", "do_not_call", "DNC", "do-not-call"] {
            assert!(columns(&["name", header]).do_not_call.is_some(), "{header}");
        }
        let c = columns(&["name", "phone", "mobile", "dnc"]);
        for yes in ["yes", "Y", "TRUE", "1", " x "] {
            let mapped = c
                .contact(2, &row(&["Ada", "(415) 555-0123", "ext 12", yes]), us())
                .unwrap();
            let flags: Vec<Option<bool>> = mapped
                .contact
                .numbers
                .iter()
                .map(|n| n.do_not_call)
                .collect();
            assert_eq!(flags, [Some(true), None], "{yes:?}");
        }
        for no in ["", "no", "0", "false"] {
            let mapped = c
                .contact(3, &row(&["Ada", "(415) 555-0123", "", no]), us())
                .unwrap();
            assert_eq!(mapped.contact.numbers[0].do_not_call, None, "{no:?}");
        }
    }

    #[test]
    fn a_row_the_editor_would_refuse_is_rejected_with_the_editor_s_words() {
        let c = columns(&["name", "company", "email", "phone", "dnc"]);
        let long = "c".repeat(201);
        for (fields, expected) in [
            (
                ["Rae", "Initech", "rae@@initech", "(415) 555-0123", ""],
                "line 5, column \"email\": rejected: not an e-mail address; write one such as \
                 name@example.com",
            ),
            (
                ["Rae", "Initech", "", "(415) 555-0123", "maybe"],
                "line 5, column \"dnc\": rejected: do-not-call says \"maybe\": write yes or no \
                 (or leave it blank)",
            ),
            (
                ["Rae", long.as_str(), "", "(415) 555-0123", ""],
                "line 5, column \"company\": rejected: the company is longer than 200 characters",
            ),
        ] {
            let issue = c.contact(5, &row(&fields), us()).unwrap_err();
            assert_eq!(issue.to_string(), expected);
        }
    }

    #[test]
    fn a_header_without_name_phone_or_email_is_refused() {
        let err = Columns::from_header(row(&["company", "notes"])).unwrap_err();
        assert!(err.to_string().contains("company, notes"), "{err}");
    }

    #[test]
    fn first_and_last_name_make_the_name() {
        let c = columns(&["First Name", "Last Name", "email"]);
        let mapped = c
            .contact(2, &row(&["Ada", " Lovelace ", "a@x.example"]), us())
            .unwrap();
        assert_eq!(mapped.contact.name, "Ada Lovelace");
        assert!(mapped.warnings.is_empty());
    }

    #[test]
    fn numbers_are_normalised_or_kept_with_their_reason() {
        let c = columns(&["name", "phone", "mobile"]);
        let mapped = c
            .contact(3, &row(&["Ada", "(415) 555-0123", "ext 12"]), us())
            .unwrap();
        let numbers = &mapped.contact.numbers;
        assert_eq!(numbers[0].e164.as_deref(), Some("+14155550123"));
        assert_eq!(numbers[0].region.as_deref(), Some("US"));
        let abroad = c
            .contact(
                4,
                &row(&["Zoë", "+44 20 7946 0958", "+33 6 12 34 56 78"]),
                us(),
            )
            .unwrap();
        let regions: Vec<Option<&str>> = abroad
            .contact
            .numbers
            .iter()
            .map(|n| n.region.as_deref())
            .collect();
        assert_eq!(regions, [Some("GB"), Some("FR")]);
        // GB has one zone, so the contact gets it from its first number.
        assert_eq!(abroad.contact.time_zone.as_deref(), Some("Europe/London"));
        assert_eq!(mapped.contact.time_zone, None);
        assert_eq!(numbers[1].e164, None);
        assert_eq!(numbers[1].raw, "ext 12");
        assert_eq!(
            numbers[1].parse_error.as_deref(),
            Some("fewer than 7 digits")
        );
        assert_eq!(
            mapped.warnings[0].to_string(),
            "line 3, column \"mobile\": fewer than 7 digits; kept unparsed"
        );
    }

    #[test]
    fn an_explicit_zone_is_kept_when_known_else_reported_and_taken_from_the_number() {
        let c = columns(&["name", "phone", "time zone"]);
        let kept = c
            .contact(2, &row(&["Ada", "+33 6 12 34 56 78", "Asia/Tokyo"]), us())
            .unwrap();
        assert_eq!(kept.contact.time_zone.as_deref(), Some("Asia/Tokyo"));
        assert!(kept.warnings.is_empty());
        let unknown = c
            .contact(3, &row(&["Ada", "+33 6 12 34 56 78", "Mars/Base"]), us())
            .unwrap();
        assert_eq!(unknown.contact.time_zone.as_deref(), Some("Europe/Paris"));
        assert!(
            unknown.warnings[0]
                .to_string()
                .starts_with("line 3, column \"time zone\": unknown time zone \"Mars/Base\""),
            "{:?}",
            unknown.warnings
        );
        let american = c
            .contact(4, &row(&["Ada", "(415) 555-0123", "EST"]), us())
            .unwrap();
        assert_eq!(american.contact.time_zone, None);
        assert_eq!(american.warnings.len(), 1);
    }

    #[test]
    fn a_row_without_name_and_contact_is_rejected() {
        let c = columns(&["name", "phone", "email", "company"]);
        let err = c
            .contact(4, &row(&["", " ", "", "Acme"]), us())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 4: rejected: no name and no phone number or e-mail address"
        );
        let named = c
            .contact(5, &row(&["", "", "x@acme.example", "Acme"]), us())
            .unwrap();
        assert_eq!(named.contact.name, "Acme");
        assert_eq!(named.warnings.len(), 1);
    }
}
