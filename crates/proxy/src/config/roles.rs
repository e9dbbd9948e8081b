//! `[roles]` and `[[teams]]`: who may do what. A person is named by their Zoom e-mail
//! (any case) or Zoom user id; everyone else signed in is a rep, and with
//! `auth = "none"` the one local user is an admin. A team's supervisors oversee its
//! members' calls and logs; a supervisor named in `[roles]` alone oversees only
//! their own.

use dialdesk_contract::{AuthMode, Role};

/// Longest name accepted in `[roles]` or `[[teams]]` (an e-mail address is at most
/// 254 bytes).
const MAX_NAME_LEN: usize = 254;
/// Longest team name.
const MAX_TEAM_NAME: usize = 100;

/// A name in `[roles]` or `[[teams]]` that cannot be used; the message says which
/// and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RolesError {
    /// A blank or over-long entry.
    #[error("[roles] {list}: {name:?} is not a Zoom e-mail address or user id")]
    NotAName {
        /// `admins`, `supervisors`, or a team's list.
        list: &'static str,
        /// The entry as written.
        name: String,
    },
    /// The same person in both lists.
    #[error("[roles]: {0:?} is both an admin and a supervisor; name each person once")]
    Twice(String),
    /// A team without a usable name.
    #[error("[[teams]]: {0:?} is not a team name (1 to 100 characters)")]
    TeamName(String),
    /// Two teams with one name.
    #[error("[[teams]]: two teams are named {0:?}; give each its own name")]
    TeamTwice(String),
    /// A team's entry that is not a person.
    #[error("[[teams]] {team:?}: {name:?} is not a Zoom e-mail address or user id")]
    NotAMember {
        /// The team.
        team: String,
        /// The entry as written.
        name: String,
    },
}

/// Someone signed in, as the proxy knows them: their Zoom user id and e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person<'a> {
    /// Zoom user id.
    pub id: Option<&'a str>,
    /// Zoom e-mail address.
    pub email: Option<&'a str>,
}

impl Person<'_> {
    /// Whether `name` (lower case, from the configuration) names this person.
    fn is(&self, name: &str) -> bool {
        [self.id, self.email]
            .into_iter()
            .flatten()
            .any(|key| name.eq_ignore_ascii_case(key.trim()))
    }

    /// Whether any of `names` names this person.
    fn is_any(&self, names: &[String]) -> bool {
        names.iter().any(|name| self.is(name))
    }
}

/// One `[[teams]]` entry, checked, names in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    name: String,
    supervisors: Vec<String>,
    members: Vec<String>,
}

impl Team {
    /// Checks a team: a name, and every supervisor and member a plausible name.
    pub fn new(name: &str, supervisors: &[String], members: &[String]) -> Result<Self, RolesError> {
        let trimmed = name.trim();
        if trimmed.is_empty() || trimmed.chars().count() > MAX_TEAM_NAME {
            return Err(RolesError::TeamName(name.to_owned()));
        }
        let people = |entries: &[String]| {
            entries
                .iter()
                .map(|entry| {
                    person_name(entry).ok_or_else(|| RolesError::NotAMember {
                        team: trimmed.to_owned(),
                        name: entry.clone(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(Self {
            name: trimmed.to_owned(),
            supervisors: people(supervisors)?,
            members: people(members)?,
        })
    }
}

/// Whose calls and logs someone may see beyond their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Oversight {
    /// Everyone's (admins).
    All,
    /// Their own, and those of the people named (a supervisor's team members, in
    /// lower case); empty for a rep.
    Own(Vec<String>),
}

/// The checked `[roles]` lists and teams, kept in lower case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roles {
    admins: Vec<String>,
    supervisors: Vec<String>,
    teams: Vec<Team>,
}

impl Roles {
    /// Checks both lists: every entry a plausible name, nobody in both.
    pub fn new(admins: &[String], supervisors: &[String]) -> Result<Self, RolesError> {
        let admins = names("admins", admins)?;
        let supervisors = names("supervisors", supervisors)?;
        if let Some(both) = admins.iter().find(|name| supervisors.contains(name)) {
            return Err(RolesError::Twice(both.clone()));
        }
        Ok(Self {
            admins,
            supervisors,
            teams: Vec::new(),
        })
    }

    /// These roles with `teams`, each named once.
    pub fn with_teams(mut self, teams: Vec<Team>) -> Result<Self, RolesError> {
        for (at, team) in teams.iter().enumerate() {
            if teams[..at]
                .iter()
                .any(|earlier| earlier.name.eq_ignore_ascii_case(&team.name))
            {
                return Err(RolesError::TeamTwice(team.name.clone()));
            }
        }
        self.teams = teams;
        Ok(self)
    }

    /// Whether anyone is named an admin.
    pub fn has_admin(&self) -> bool {
        !self.admins.is_empty()
    }

    /// How many admins, supervisors (in `[roles]` or of a team) and teams are named.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut supervisors: Vec<&String> = self
            .supervisors
            .iter()
            .chain(self.teams.iter().flat_map(|team| &team.supervisors))
            .filter(|name| !self.admins.contains(name))
            .collect();
        supervisors.sort();
        supervisors.dedup();
        (self.admins.len(), supervisors.len(), self.teams.len())
    }

    /// The role of the signed-in Zoom user `user_id` with `email`; with
    /// `auth = "none"`, the local user's (an admin). A team's supervisor is a
    /// supervisor whether or not `[roles]` names them.
    pub fn role_of(&self, auth: AuthMode, user_id: Option<&str>, email: Option<&str>) -> Role {
        if auth == AuthMode::None {
            return Role::Admin;
        }
        let person = Person { id: user_id, email };
        if person.is_any(&self.admins) {
            Role::Admin
        } else if person.is_any(&self.supervisors)
            || self
                .teams
                .iter()
                .any(|team| person.is_any(&team.supervisors))
        {
            Role::Supervisor
        } else {
            Role::Rep
        }
    }

    /// Whose calls and logs `person`, whose role is `role`, oversees.
    pub fn oversight(&self, role: Role, person: Person<'_>) -> Oversight {
        match role {
            Role::Admin => Oversight::All,
            Role::Supervisor => {
                let mut members: Vec<String> = self
                    .teams
                    .iter()
                    .filter(|team| person.is_any(&team.supervisors))
                    .flat_map(|team| team.members.iter().cloned())
                    .collect();
                members.sort();
                members.dedup();
                Oversight::Own(members)
            }
            Role::Rep => Oversight::Own(Vec::new()),
        }
    }
}

impl Roles {
    /// The people `person` (of `role`) may pick to read the unlogged calls of,
    /// besides their own, as the settings name them: a supervisor's team members;
    /// for an admin everyone the teams and `[roles]` name. Sorted, without `person`.
    pub fn overseen(&self, role: Role, person: Person<'_>) -> Vec<String> {
        let mut people: Vec<String> = match (role, self.oversight(role, person)) {
            (Role::Admin, _) => self
                .teams
                .iter()
                .flat_map(|team| team.supervisors.iter().chain(&team.members))
                .chain(&self.supervisors)
                .chain(&self.admins)
                .cloned()
                .collect(),
            (_, Oversight::Own(members)) => members,
            (_, Oversight::All) => Vec::new(),
        };
        people.retain(|name| !person.is(name));
        people.sort();
        people.dedup();
        people
    }
}

impl Oversight {
    /// Whether someone with this oversight, who is `viewer`, may see what `party`
    /// took part in.
    pub fn covers(&self, viewer: Person<'_>, party: Person<'_>) -> bool {
        match self {
            Self::All => true,
            Self::Own(members) => {
                let same = |a: Option<&str>, b: Option<&str>| matches!((a, b), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b));
                same(viewer.id, party.id)
                    || same(viewer.email, party.email)
                    || party.is_any(members)
            }
        }
    }
}

/// `entry` trimmed and in lower case, when it can name a person.
fn person_name(entry: &str) -> Option<String> {
    let name = entry.trim();
    let plausible =
        !name.is_empty() && name.len() <= MAX_NAME_LEN && !name.chars().any(char::is_whitespace);
    plausible.then(|| name.to_ascii_lowercase())
}

fn names(list: &'static str, entries: &[String]) -> Result<Vec<String>, RolesError> {
    entries
        .iter()
        .map(|entry| {
            person_name(entry).ok_or_else(|| RolesError::NotAName {
                list,
                name: entry.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(admins: &[&str], supervisors: &[&str]) -> Result<Roles, RolesError> {
        let owned = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        Roles::new(&owned(admins), &owned(supervisors))
    }

    #[test]
    fn people_are_found_by_email_in_any_case_or_by_user_id() {
        let roles = roles(&["Ava@Example.com"], &["zoomUser42"]).unwrap();
        let zoom = AuthMode::Zoom;
        assert_eq!(
            roles.role_of(zoom, Some("u1"), Some("ava@example.COM")),
            Role::Admin
        );
        assert_eq!(
            roles.role_of(zoom, Some("zoomuser42"), Some("ben@example.com")),
            Role::Supervisor
        );
        assert_eq!(
            roles.role_of(zoom, Some("u3"), Some("cy@example.com")),
            Role::Rep
        );
        assert_eq!(roles.role_of(zoom, None, None), Role::Rep);
        assert!(roles.has_admin());
    }

    #[test]
    fn without_sign_in_the_local_user_is_an_admin() {
        let nobody = Roles::default();
        assert!(!nobody.has_admin());
        assert_eq!(nobody.role_of(AuthMode::None, None, None), Role::Admin);
        assert_eq!(nobody.role_of(AuthMode::Zoom, Some("u"), None), Role::Rep);
    }

    #[test]
    fn unusable_names_are_refused_with_their_list() {
        assert_eq!(
            roles(&[" "], &[]),
            Err(RolesError::NotAName {
                list: "admins",
                name: " ".into()
            })
        );
        assert!(matches!(
            roles(&[], &["two words"]),
            Err(RolesError::NotAName {
                list: "supervisors",
                ..
            })
        ));
        assert_eq!(
            roles(&["ava@example.com"], &["AVA@example.com"]),
            Err(RolesError::Twice("ava@example.com".into()))
        );
    }

    fn team(name: &str, supervisors: &[&str], members: &[&str]) -> Team {
        let owned = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        Team::new(name, &owned(supervisors), &owned(members)).unwrap()
    }

    fn person<'a>(id: &'a str, email: &'a str) -> Person<'a> {
        Person {
            id: Some(id),
            email: Some(email),
        }
    }

    #[test]
    fn a_team_supervisor_oversees_that_team_alone() {
        let roles = roles(&["ava@example.com"], &["sol@example.com"])
            .unwrap()
            .with_teams(vec![
                team("North", &["Kim@Example.com"], &["ann@example.com", "u-bo"]),
                team("South", &["lee@example.com"], &["cy@example.com"]),
            ])
            .unwrap();
        let zoom = AuthMode::Zoom;
        let kim = person("u-kim", "kim@example.com");
        assert_eq!(
            roles.role_of(zoom, kim.id, kim.email),
            Role::Supervisor,
            "a team's supervisor needs no [roles] entry"
        );
        let (ann, bo, cy) = (
            person("u-ann", "ann@example.com"),
            person("u-bo", "bo@example.com"),
            person("u-cy", "CY@example.com"),
        );
        let kims = roles.oversight(Role::Supervisor, kim);
        assert!(kims.covers(kim, ann), "by e-mail");
        assert!(kims.covers(kim, bo), "by user id");
        assert!(kims.covers(kim, kim), "their own calls");
        assert!(!kims.covers(kim, cy), "another team's member");
        let sol = person("u-sol", "sol@example.com");
        let sols = roles.oversight(Role::Supervisor, sol);
        assert!(
            !sols.covers(sol, ann),
            "a supervisor of no team sees their own"
        );
        let ann_sees = roles.oversight(Role::Rep, ann);
        assert!(ann_sees.covers(
            ann,
            Person {
                id: Some("U-ANN"),
                email: None
            }
        ));
        assert!(!ann_sees.covers(ann, bo), "a rep sees their own calls only");
        assert_eq!(roles.oversight(Role::Admin, ann), Oversight::All);
        assert_eq!(roles.counts(), (1, 3, 2));
    }

    #[test]
    fn teams_need_names_and_people() {
        let empty: &[String] = &[];
        assert_eq!(
            Team::new(" ", empty, empty),
            Err(RolesError::TeamName(" ".into()))
        );
        assert!(matches!(
            Team::new("North", &["two words".to_owned()], empty),
            Err(RolesError::NotAMember { .. })
        ));
        let twice =
            Roles::default().with_teams(vec![team("North", &[], &[]), team("north", &[], &[])]);
        assert_eq!(twice, Err(RolesError::TeamTwice("north".into())));
    }

    #[test]
    fn a_supervisor_may_pick_their_team_and_an_admin_everyone_named() {
        let team = Team::new(
            "East",
            &["Chloe@x.example".to_owned()],
            &["ben@x.example".to_owned(), "emma@x.example".to_owned()],
        )
        .unwrap();
        let roles = Roles::new(&["ava@x.example".to_owned()], &[])
            .unwrap()
            .with_teams(vec![team])
            .unwrap();
        let who = |email| Person {
            id: None,
            email: Some(email),
        };
        assert_eq!(
            roles.overseen(Role::Supervisor, who("chloe@x.example")),
            ["ben@x.example", "emma@x.example"]
        );
        assert_eq!(
            roles.overseen(Role::Admin, who("ava@x.example")),
            ["ben@x.example", "chloe@x.example", "emma@x.example"]
        );
        assert!(roles.overseen(Role::Rep, who("ben@x.example")).is_empty());
    }
}
