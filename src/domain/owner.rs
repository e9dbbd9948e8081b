//! Whose things this browser keeps. Drafts, waiting saves and the journal's queue are
//! stored per signed-in person, so someone else signing in on the same browser
//! neither sees nor sends them: they wait for their owner. Keys written by earlier
//! builds, which named no one, go to the first person who signs in.

/// The owner without sign-in (`auth = "none"`: the one local user).
pub const LOCAL_OWNER: &str = "local";
/// Most characters of an owner name kept in a key.
const MAX_OWNER: usize = 64;

/// The owner name of the person signed in as Zoom user `user_id` (none: the local
/// user): its ASCII letters, digits, `_` and `-`, so it is safe inside a key.
pub fn owner_key(user_id: Option<&str>) -> String {
    let cleaned: String = user_id
        .unwrap_or(LOCAL_OWNER)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        .take(MAX_OWNER)
        .collect();
    if cleaned.is_empty() {
        LOCAL_OWNER.to_owned()
    } else {
        cleaned
    }
}

/// The prefix of `owner`'s keys among those starting with `prefix`.
pub fn owned_prefix(prefix: &str, owner: &str) -> String {
    format!("{prefix}@{owner}.")
}

/// The name of `owner`'s channel or lock called `name`.
pub fn owned_name(name: &str, owner: &str) -> String {
    format!("{name}@{owner}")
}

/// What follows `prefix` in `key` when an earlier build wrote it without an owner;
/// `None` for an owned key (or another prefix).
pub fn unowned_rest<'a>(key: &'a str, prefix: &str) -> Option<&'a str> {
    key.strip_prefix(prefix)
        .filter(|rest| !rest.is_empty() && !rest.starts_with('@'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_are_safe_in_keys_and_default_to_the_local_user() {
        assert_eq!(
            owner_key(Some("emuU2BenOkafor00000002")),
            "emuU2BenOkafor00000002"
        );
        assert_eq!(owner_key(Some("a.b@c/d")), "abcd");
        assert_eq!(owner_key(Some("...")), LOCAL_OWNER);
        assert_eq!(owner_key(None), LOCAL_OWNER);
        assert_eq!(owner_key(Some(&"x".repeat(100))).len(), MAX_OWNER);
    }

    #[test]
    fn keys_are_told_apart_by_owner_and_old_ones_have_none() {
        let prefix = "dialdesk.log.";
        let ben = owned_prefix(prefix, "ben");
        assert_eq!(ben, "dialdesk.log.@ben.");
        assert_eq!(
            unowned_rest("dialdesk.log.07abc~draft", prefix),
            Some("07abc~draft")
        );
        assert_eq!(unowned_rest("dialdesk.log.@ben.07abc", prefix), None);
        assert_eq!(unowned_rest("dialdesk.log.", prefix), None);
        assert_eq!(unowned_rest("other.07abc", prefix), None);
        assert!(
            !"dialdesk.log.@bent.07abc".starts_with(&ben),
            "one owner is not another's prefix"
        );
        assert_eq!(owned_name("dialdesk-logs", "ben"), "dialdesk-logs@ben");
    }
}
