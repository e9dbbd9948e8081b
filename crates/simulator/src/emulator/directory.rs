//! The emulated account's people: five named users with extensions and fictitious numbers (and,
//! for a load test, generated reps after them), and about 650 external contacts. Every number
//! is a NANP `555-01xx` number, reserved for fiction.

use std::sync::OnceLock;

use serde_json::{json, Value};

use super::draw::Draw;

/// The phone site every user belongs to.
pub const SITE_ID: &str = "emuSite0Main00000000001";
/// The site's name.
pub const SITE_NAME: &str = "Main Office";
/// How many external contacts the account has.
pub const EXTERNAL_CONTACT_COUNT: usize = 650;

/// One emulated Zoom user with Zoom Phone.
#[derive(Debug, Clone)]
pub struct User {
    /// Zoom user id (22 characters).
    pub id: &'static str,
    /// Sign-in email.
    pub email: &'static str,
    /// Given name.
    pub first_name: &'static str,
    /// Family name.
    pub last_name: &'static str,
    /// Extension number.
    pub extension_number: u32,
    /// Extension id.
    pub extension_id: &'static str,
    /// Phone user id.
    pub phone_user_id: &'static str,
    /// Direct number, E.164.
    pub number: &'static str,
    /// Id of the direct number.
    pub number_id: &'static str,
    /// Department.
    pub dept: &'static str,
    /// Job title.
    pub job_title: &'static str,
}

/// The five users; user 1 (index 0) is the account owner.
pub const USERS: [User; 5] = [
    User {
        id: "emuU1AvaLindqvist00001",
        email: "ava.lindqvist@dialdesk.example",
        first_name: "Ava",
        last_name: "Lindqvist",
        extension_number: 101,
        extension_id: "emuX1AvaLindqvist00001",
        phone_user_id: "emuP1AvaLindqvist00001",
        number: "+12125550101",
        number_id: "emuN1AvaLindqvist00001",
        dept: "Sales",
        job_title: "Account Executive",
    },
    User {
        id: "emuU2BenOkafor00000002",
        email: "ben.okafor@dialdesk.example",
        first_name: "Ben",
        last_name: "Okafor",
        extension_number: 102,
        extension_id: "emuX2BenOkafor00000002",
        phone_user_id: "emuP2BenOkafor00000002",
        number: "+13125550102",
        number_id: "emuN2BenOkafor00000002",
        dept: "Sales",
        job_title: "Sales Development Representative",
    },
    User {
        id: "emuU3ChloeMartin000003",
        email: "chloe.martin@dialdesk.example",
        first_name: "Chloe",
        last_name: "Martin",
        extension_number: 103,
        extension_id: "emuX3ChloeMartin000003",
        phone_user_id: "emuP3ChloeMartin000003",
        number: "+14155550103",
        number_id: "emuN3ChloeMartin000003",
        dept: "Support",
        job_title: "Support Specialist",
    },
    User {
        id: "emuU4DiegoRamirez00004",
        email: "diego.ramirez@dialdesk.example",
        first_name: "Diego",
        last_name: "Ramirez",
        extension_number: 104,
        extension_id: "emuX4DiegoRamirez00004",
        phone_user_id: "emuP4DiegoRamirez00004",
        number: "+16175550104",
        number_id: "emuN4DiegoRamirez00004",
        dept: "Support",
        job_title: "Support Team Lead",
    },
    User {
        id: "emuU5EmmaNovak00000005",
        email: "emma.novak@dialdesk.example",
        first_name: "Emma",
        last_name: "Novak",
        extension_number: 105,
        extension_id: "emuX5EmmaNovak00000005",
        phone_user_id: "emuP5EmmaNovak00000005",
        number: "+442079460105",
        number_id: "emuN5EmmaNovak00000005",
        dept: "Operations",
        job_title: "Operations Manager, London",
    },
];

/// The most users [`set_user_count`] allows: the named ones and a thousand generated reps.
pub const MAX_USERS: usize = USERS.len() + GENERATED_AREAS.len() * 100;
/// Area codes of generated reps' numbers, a hundred reps each (none is a contact's).
const GENERATED_AREAS: [&str; 10] = [
    "458", "531", "628", "659", "680", "726", "743", "839", "854", "930",
];

static ROSTER: OnceLock<Vec<User>> = OnceLock::new();

/// Gives the account `count` users (clamped to [`USERS`]`.len()..=`[`MAX_USERS`]): the named
/// ones, then generated reps. Only the first call, made before any request, counts; without
/// one the account has the named users only. Returns the count in effect.
pub fn set_user_count(count: usize) -> usize {
    ROSTER
        .get_or_init(|| {
            let count = count.clamp(USERS.len(), MAX_USERS);
            let mut roster: Vec<User> = USERS.to_vec();
            roster.extend((USERS.len()..count).map(generated_rep));
            roster
        })
        .len()
}

/// The account's users: [`USERS`], then the generated reps [`set_user_count`] asked for.
pub fn users() -> &'static [User] {
    ROSTER.get_or_init(|| USERS.to_vec())
}

/// Generated rep `index` (≥ [`USERS`]`.len()`): `rep{index:04}@dialdesk.example`, extension
/// 1000 + `index`, a number of its own. The strings live as long as the process, like the
/// named users' (the roster is made once).
fn generated_rep(index: usize) -> User {
    let leak = |text: String| -> &'static str { text.leak() };
    let n = index - USERS.len();
    User {
        id: leak(format!("emuUR{index:017}")),
        email: leak(format!("rep{index:04}@dialdesk.example")),
        first_name: FIRST_NAMES[n % FIRST_NAMES.len()],
        last_name: leak(format!("Rep{index:04}")),
        extension_number: 1000 + u32::try_from(index).unwrap_or(0),
        extension_id: leak(format!("emuXR{index:017}")),
        phone_user_id: leak(format!("emuPR{index:017}")),
        number: leak(fictitious_number(
            GENERATED_AREAS[n / 100 % GENERATED_AREAS.len()],
            n,
        )),
        number_id: leak(format!("emuNR{index:017}")),
        dept: "Sales",
        job_title: "Sales Representative",
    }
}

/// Area codes of external contacts' first numbers (none is a user's).
const CONTACT_AREAS: [&str; 20] = [
    "201", "202", "203", "205", "207", "210", "213", "214", "215", "216", "303", "305", "312",
    "404", "503", "512", "602", "702", "713", "919",
];
/// Area codes of second (mobile) numbers.
const MOBILE_AREAS: [&str; 10] = [
    "240", "267", "347", "415", "469", "619", "646", "720", "786", "929",
];
/// Area codes of callers who are nobody's contact.
pub const STRANGER_AREAS: [&str; 5] = ["208", "307", "406", "505", "802"];

const FIRST_NAMES: [&str; 26] = [
    "Aaron", "Beatriz", "Carlos", "Dana", "Elif", "Farah", "Gustav", "Hana", "Ivan", "Jonas",
    "Keiko", "Liam", "Maya", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Samir", "Tessa", "Umar",
    "Vera", "Wen", "Ximena", "Yusuf", "Zoe",
];
const LAST_NAMES: [&str; 25] = [
    "Abbott", "Brennan", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ibrahim",
    "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Olsen", "Petrov", "Quinn", "Rossi",
    "Silva", "Tanaka", "Ueda", "Vasquez", "Weber", "Yamada", "Zimmer",
];
const COMPANIES: [&str; 13] = [
    "Acme Logistics",
    "Birchwood Dental",
    "Copperline Legal",
    "Driftwood Hotels",
    "Evergreen Insurance",
    "Foxglove Florists",
    "Granite Builders",
    "Harbor Freightworks",
    "Ironbark Software",
    "Juniper Clinics",
    "Kestrel Aviation",
    "Lumen Studios",
    "Meridian Realty",
];
const TITLES: [&str; 6] = [
    "Office Manager",
    "Purchasing Lead",
    "CFO",
    "IT Director",
    "Owner",
    "Customer Service",
];

/// One external contact of the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalContact {
    /// Zoom's id for it.
    pub external_contact_id: String,
    /// The customer's id for it.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Company and title.
    pub description: String,
    /// E.164 numbers, one or two.
    pub phone_numbers: Vec<String>,
}

impl ExternalContact {
    /// The contact as `/phone/external_contacts` lists it.
    pub fn to_json(&self) -> Value {
        json!({
            "external_contact_id": self.external_contact_id,
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "description": self.description,
            "phone_numbers": self.phone_numbers,
            "auto_call_recorded": false,
            "enable_internal_extension": false,
        })
    }
}

/// A fictitious E.164 number `+1 {area} 555-01{xx}`.
pub fn fictitious_number(area: &str, xx: usize) -> String {
    format!("+1{area}55501{:02}", xx % 100)
}

/// The account's external contacts, the same in every run; their numbers are all distinct.
pub fn external_contacts() -> Vec<ExternalContact> {
    (0..EXTERNAL_CONTACT_COUNT)
        .map(|i| {
            let mut draw = Draw::new(&[0xc0_u64, i as u64]);
            let first = FIRST_NAMES[i % FIRST_NAMES.len()];
            let last = LAST_NAMES[(i / FIRST_NAMES.len()) % LAST_NAMES.len()];
            let company = COMPANIES[draw.index(COMPANIES.len())];
            let title = TITLES[draw.index(TITLES.len())];
            let domain: String = company
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            // 37 is invertible modulo 100, so (area, xx) pairs never repeat.
            let mut phone_numbers = vec![fictitious_number(
                CONTACT_AREAS[i % CONTACT_AREAS.len()],
                (i / CONTACT_AREAS.len()) * 37,
            )];
            if i % 4 == 0 {
                let j = i / 4;
                phone_numbers.push(fictitious_number(
                    MOBILE_AREAS[j % MOBILE_AREAS.len()],
                    (j / MOBILE_AREAS.len()) * 37,
                ));
            }
            ExternalContact {
                external_contact_id: format!("emuEC{:017x}", draw.next_u64() >> 4),
                id: format!("CRM-{:05}", 10_001 + i),
                name: format!("{first} {last}"),
                email: format!(
                    "{}.{}@{domain}.example",
                    first.to_ascii_lowercase(),
                    last.to_ascii_lowercase()
                ),
                description: format!("{title}, {company}"),
                phone_numbers,
            }
        })
        .collect()
}

/// The account of [`GUEST`]: not the one the emulator's apps belong to.
pub const OTHER_ACCOUNT_ID: &str = "emu-other-account";

/// A Zoom user of another account, who can sign in at the authorize page (a
/// dialdesk that serves one account must refuse them). Not in the directory and
/// without calls.
pub const GUEST: User = User {
    id: "emuG1FelixBerg00000001",
    email: "felix.berg@elsewhere.example",
    first_name: "Felix",
    last_name: "Berg",
    extension_number: 201,
    extension_id: "emuXG1FelixBerg0000001",
    phone_user_id: "emuPG1FelixBerg0000001",
    number: "+13125550142",
    number_id: "emuNG1FelixBerg0000001",
    dept: "Purchasing",
    job_title: "Buyer",
};

/// The user index [`find_user`] gives [`GUEST`]: none of [`users`]'.
pub const GUEST_INDEX: usize = usize::MAX;

/// The index of the user with this id or email (case-insensitive email): one of
/// [`users`], or [`GUEST_INDEX`].
pub fn find_user(key: &str) -> Option<usize> {
    let is = |user: &User| user.id == key || user.email.eq_ignore_ascii_case(key);
    users()
        .iter()
        .position(is)
        .or_else(|| is(&GUEST).then_some(GUEST_INDEX))
}

impl User {
    /// `first last`.
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// The user as `/users/me` answers.
    pub fn to_user_json(&self, account_id: &str) -> Value {
        json!({
            "id": self.id,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "display_name": self.name(),
            "account_id": account_id,
            "type": 1,
            "status": "active",
            "timezone": "UTC",
            "dept": self.dept,
            "job_title": self.job_title,
            "phone_number": self.number,
        })
    }

    /// The user as `/phone/users/{userId}` answers.
    pub fn to_phone_json(&self) -> Value {
        json!({
            "id": self.id,
            "email": self.email,
            "name": self.name(),
            "extension_id": self.extension_id,
            "extension_number": self.extension_number,
            "phone_user_id": self.phone_user_id,
            "status": "activate",
            "site": { "id": SITE_ID, "name": SITE_NAME },
            "site_id": SITE_ID,
            "phone_numbers": [{ "id": self.number_id, "number": self.number }],
            "calling_plans": [{ "type": 200, "name": "US/CA Unlimited Calling Plan" }],
        })
    }

    /// The user as a company-directory contact (`/contacts`).
    pub fn to_contact_json(&self) -> Value {
        json!({
            "id": self.id,
            "display_name": self.name(),
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "extension_number": self.extension_number.to_string(),
            "phone_number": self.number,
            "phone_numbers": [{
                "code": "+1",
                "country": "US",
                "label": "Work",
                "number": self.number,
                "verified": true,
            }],
            "direct_numbers": [self.number],
            "presence_status": "Available",
            "contact_type": 1,
            "dept": self.dept,
            "job_title": self.job_title,
            "location": SITE_NAME,
        })
    }

    /// Whether a directory search key matches this user: a prefix of the first name, the last
    /// name, the full name or the email, ignoring case.
    pub fn matches(&self, key: &str) -> bool {
        let key = key.trim().to_lowercase();
        !key.is_empty()
            && [self.first_name, self.last_name, &self.name(), self.email]
                .iter()
                .any(|field| field.to_lowercase().starts_with(&key))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn contacts_are_deterministic_and_numbers_unique() {
        let contacts = external_contacts();
        assert_eq!(contacts.len(), EXTERNAL_CONTACT_COUNT);
        assert_eq!(contacts, external_contacts());
        let mut seen = HashSet::new();
        let generated: Vec<User> = (USERS.len()..MAX_USERS).map(generated_rep).collect();
        let mut ids = HashSet::new();
        for user in USERS.iter().chain(&generated) {
            assert!(seen.insert(user.number.to_owned()), "{}", user.number);
            assert!(
                ids.insert(user.id) && ids.insert(user.email),
                "{}",
                user.email
            );
            assert_eq!(user.id.len(), 22, "{}", user.id);
        }
        for number in contacts.iter().flat_map(|c| c.phone_numbers.iter()) {
            assert!(number.starts_with("+1") && number.len() == 12, "{number}");
            assert_eq!(&number[5..10], "55501", "{number}");
            assert!(seen.insert(number.clone()), "duplicate {number}");
        }
        let ids: HashSet<_> = contacts.iter().map(|c| &c.external_contact_id).collect();
        assert_eq!(ids.len(), EXTERNAL_CONTACT_COUNT);
    }

    #[test]
    fn users_are_found_by_id_or_email_and_searched_by_name() {
        assert_eq!(find_user("emuU2BenOkafor00000002"), Some(1));
        assert_eq!(find_user("CHLOE.MARTIN@dialdesk.example"), Some(2));
        assert_eq!(find_user("nobody"), None);
        assert_eq!(
            find_user("rep0005@dialdesk.example"),
            None,
            "no generated reps by default"
        );
        assert_eq!(find_user("Felix.Berg@elsewhere.example"), Some(GUEST_INDEX));
        assert!(USERS[0].matches("ava"));
        assert!(USERS[0].matches("Lind"));
        assert!(USERS[0].matches("ava lin"));
        assert!(!USERS[0].matches(""));
        assert!(!USERS[0].matches("okafor"));
    }
}
