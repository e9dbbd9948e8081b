//! `[roles]`: who may do what. A person is named by their Zoom e-mail (any case) or
//! Zoom user id; everyone else signed in is a rep, and with `auth = "none"` the one
//! local user is an admin.

use dialdesk_contract::{AuthMode, Role};

/// Longest name accepted in `[roles]` (an e-mail address is at most 254 bytes).
const MAX_NAME_LEN: usize = 254;

/// A name in `[roles]` that cannot be used; the message says which and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RolesError {
    /// A blank or over-long entry.
    #[error("[roles] {list}: {name:?} is not a Zoom e-mail address or user id")]
    NotAName {
        /// `admins` or `supervisors`.
        list: &'static str,
        /// The entry as written.
        name: String,
    },
    /// The same person in both lists.
    #[error("[roles]: {0:?} is both an admin and a supervisor; name each person once")]
    Twice(String),
}

/// The checked `[roles]` lists, kept in lower case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roles {
    admins: Vec<String>,
    supervisors: Vec<String>,
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
        })
    }

    /// Whether anyone is named an admin.
    pub fn has_admin(&self) -> bool {
        !self.admins.is_empty()
    }

    /// How many admins and supervisors are named.
    pub fn counts(&self) -> (usize, usize) {
        (self.admins.len(), self.supervisors.len())
    }

    /// The role of the signed-in Zoom user `user_id` with `email`; with
    /// `auth = "none"`, the local user's (an admin).
    pub fn role_of(&self, auth: AuthMode, user_id: Option<&str>, email: Option<&str>) -> Role {
        if auth == AuthMode::None {
            return Role::Admin;
        }
        let named = |list: &[String]| {
            [user_id, email].into_iter().flatten().any(|key| {
                list.iter()
                    .any(|name| name.eq_ignore_ascii_case(key.trim()))
            })
        };
        if named(&self.admins) {
            Role::Admin
        } else if named(&self.supervisors) {
            Role::Supervisor
        } else {
            Role::Rep
        }
    }
}

fn names(list: &'static str, entries: &[String]) -> Result<Vec<String>, RolesError> {
    entries
        .iter()
        .map(|entry| {
            let name = entry.trim();
            if name.is_empty() || name.len() > MAX_NAME_LEN || name.chars().any(char::is_whitespace)
            {
                return Err(RolesError::NotAName {
                    list,
                    name: entry.clone(),
                });
            }
            Ok(name.to_ascii_lowercase())
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
}
