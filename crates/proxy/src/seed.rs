//! `--seed-demo N`: deterministic demo contacts with fictitious numbers only
//! (NANP 555-0100…555-0199, reserved for fiction in every area code).

use crate::db::contacts::{insert_if_absent, NewContact, NewNumber};
use crate::db::{Db, DbError};

const FIRST_NAMES: &[&str] = &[
    "Ada",
    "Grace",
    "Alan",
    "Katherine",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Frances",
    "Edsger",
    "Radia",
    "Donald",
    "Shafi",
    "Tim",
    "Hedy",
    "Vint",
    "Sophie",
    "John",
    "Joan",
    "Claude",
    "Annie",
    "Niklaus",
    "Mary",
    "Guido",
    "Evelyn",
    "Bjarne",
    "Lynn",
    "James",
    "Jean",
    "Leslie",
    "Carol",
];

const LAST_NAMES: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Johnson",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Knuth",
    "Goldwasser",
    "Berners-Lee",
    "Lamarr",
    "Cerf",
    "Wilson",
    "Backus",
    "Clarke",
    "Shannon",
    "Easley",
    "Wirth",
    "Keller",
    "van Rossum",
    "Boyd",
    "Stroustrup",
    "Conway",
    "Gosling",
    "Sammet",
    "Lamport",
    "Shaw",
    "Kahn",
    "Borg",
    "Moore",
    "Bartik",
    "Engelbart",
    "Cray",
    "Floyd",
    "Hoare",
];

/// Company names; `None` entries give contacts without a company.
const COMPANIES: &[Option<&str>] = &[
    Some("Northwind Traders"),
    Some("Contoso"),
    None,
    Some("Fabrikam"),
    Some("Tailspin Toys"),
    Some("Wide World Importers"),
    Some("Adventure Works"),
    None,
    Some("Proseware"),
    Some("Litware"),
    Some("Woodgrove Bank"),
    Some("Lucerne Publishing"),
    Some("Alpine Ski House"),
];

const TITLES: &[&str] = &[
    "Office Manager",
    "Head of Sales",
    "Purchasing Lead",
    "Operations Director",
    "Owner",
    "IT Manager",
    "Account Executive",
    "Chief Financial Officer",
    "Facilities Coordinator",
];

/// US area codes and their time zones; numbers are 555-01XX in each.
const AREA_CODES: &[(u16, &str)] = &[
    (415, "America/Los_Angeles"),
    (212, "America/New_York"),
    (312, "America/Chicago"),
    (206, "America/Los_Angeles"),
    (303, "America/Denver"),
    (404, "America/New_York"),
    (512, "America/Chicago"),
    (617, "America/New_York"),
    (702, "America/Los_Angeles"),
    (602, "America/Phoenix"),
    (808, "Pacific/Honolulu"),
    (907, "America/Anchorage"),
    (305, "America/New_York"),
    (503, "America/Los_Angeles"),
    (713, "America/Chicago"),
    (919, "America/New_York"),
];

/// Every how many contacts one also gets a mobile number.
const MOBILE_EVERY: usize = 7;
/// Every how many contacts one has its first number put on the do-not-call
/// list (which marks it for every demo contact sharing that number).
pub const DO_NOT_CALL_EVERY: usize = 97;

/// The demo contact number `index` (1-based). Same index, same contact.
pub fn demo_contact(index: usize) -> NewContact {
    let i = index.saturating_sub(1);
    let first = FIRST_NAMES[i % FIRST_NAMES.len()];
    let last = LAST_NAMES[(i / FIRST_NAMES.len() + i) % LAST_NAMES.len()];
    let company = COMPANIES[(i / 3) % COMPANIES.len()];
    let (area, time_zone) = AREA_CODES[(i / 100) % AREA_CODES.len()];
    let mut numbers = vec![fictitious_number("work", area, i % 100)];
    if index.is_multiple_of(DO_NOT_CALL_EVERY) {
        numbers[0].do_not_call = Some(true);
    }
    if index.is_multiple_of(MOBILE_EVERY) {
        let (mobile_area, _) = AREA_CODES[(i / 100 + 5) % AREA_CODES.len()];
        numbers.push(fictitious_number(
            "mobile",
            mobile_area,
            (i * 37 + 11) % 100,
        ));
    }
    let local_part = format!("{first}.{last}")
        .to_ascii_lowercase()
        .replace([' ', '-'], "");
    let domain = company.map_or_else(
        || "mail.example".to_owned(),
        |name| format!("{}.example", name.to_ascii_lowercase().replace(' ', "")),
    );
    NewContact {
        name: format!("{first} {last}"),
        company: company.map(str::to_owned),
        title: Some(TITLES[(i / 2) % TITLES.len()].to_owned()),
        email: Some(format!("{local_part}@{domain}")),
        time_zone: Some(time_zone.to_owned()),
        owner: None,
        external_id: Some(format!("demo-{index:06}")),
        numbers,
    }
}

/// `+1 AAA 555 01LL`: fictitious by NANP rules whatever the area code.
fn fictitious_number(label: &str, area: u16, line: usize) -> NewNumber {
    let line = 100 + line % 100;
    let raw = format!("({area}) 555-0{line}");
    NewNumber {
        label: label.to_owned(),
        e164: Some(format!("+1{area}5550{line}")),
        region: Some("US".to_owned()),
        parse_error: None,
        display: Some(raw.clone()),
        raw,
        do_not_call: None,
    }
}

/// Makes sure demo contacts 1..=`count` exist, in one transaction. Returns how
/// many were added (0 when they all existed already).
pub async fn seed_demo(db: &Db, count: usize) -> Result<usize, DbError> {
    let added = db
        .write(move |conn| {
            let tx = conn.savepoint()?;
            let mut added = 0;
            for index in 1..=count {
                if insert_if_absent(&tx, &demo_contact(index))? {
                    added += 1;
                }
            }
            tx.commit()?;
            Ok(added)
        })
        .await?;
    tracing::info!(added, requested = count, "demo contacts seeded");
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_contacts_are_deterministic_and_fictitious() {
        assert_eq!(demo_contact(42), demo_contact(42));
        assert_ne!(demo_contact(1).name, demo_contact(2).name);
        let contact = demo_contact(7);
        assert_eq!(contact.external_id.as_deref(), Some("demo-000007"));
        assert_eq!(contact.numbers.len(), 2);
        assert_eq!(contact.numbers[1].label, "mobile");
        assert!((1..=1000).any(|i| demo_contact(i).company.is_none()));
        let listed: Vec<usize> = (1..=300)
            .filter(|&i| {
                demo_contact(i)
                    .numbers
                    .iter()
                    .any(|n| n.do_not_call.is_some())
            })
            .collect();
        assert_eq!(listed, [97, 194, 291]);
        assert_eq!(demo_contact(97).numbers[0].do_not_call, Some(true));
        for (_, zone) in AREA_CODES {
            assert!(crate::zones::is_known(zone), "{zone}");
        }
        for index in 1..=2000 {
            for number in demo_contact(index).numbers {
                let e164 = number.e164.unwrap();
                let digits = e164.strip_prefix("+1").unwrap();
                assert_eq!(digits.len(), 10);
                assert!(digits.bytes().all(|b| b.is_ascii_digit()));
                assert_eq!(&digits[3..8], "55501", "{e164}");
                assert_eq!(
                    number.raw,
                    format!("({}) 555-{}", &digits[..3], &digits[6..])
                );
            }
        }
    }

    #[tokio::test]
    async fn seeded_do_not_call_numbers_show_on_every_contact_holding_them() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("test.db")).unwrap();
        assert_eq!(seed_demo(&db, 1700).await.unwrap(), 1700);
        let flags = db
            .read(|conn| {
                let mut flags = Vec::new();
                for id in [96, 97, 194, 1697] {
                    let contact = crate::db::contacts::get(conn, id)?.unwrap();
                    flags.push((
                        contact.numbers[0].e164.clone(),
                        contact.numbers[0].do_not_call,
                    ));
                }
                Ok(flags)
            })
            .await
            .unwrap();
        let listed: Vec<bool> = flags.iter().map(|(_, flag)| *flag).collect();
        // 1697 is not a multiple of 97 but holds the same fictitious number as 97.
        assert_eq!(listed, [false, true, true, true]);
        assert_eq!(flags[1].0, flags[3].0);
    }
}
