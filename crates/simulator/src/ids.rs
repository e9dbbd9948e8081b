//! Fresh identifiers for calls and call logs.

/// A source of fresh identifiers, injected into the call state machine so it stays pure.
pub trait Ids {
    /// A new call id: 19 lowercase hex characters, like Zoom's `068cba3db27ba0d08d2`.
    fn call_id(&mut self) -> String;
    /// A new call log id: a UUID v4 in its hyphenated lowercase form.
    fn call_log_id(&mut self) -> String;
    /// A new UUID v4, for contact request ids and recording and voicemail URLs.
    fn uuid(&mut self) -> String;
}

/// Random identifiers from the operating system's generator.
pub struct RandomIds;

impl Ids for RandomIds {
    fn call_id(&mut self) -> String {
        // Zoom's ids seen in the wild start with "06"; the other 17 hex digits are random.
        let random = rand::random::<u128>() & ((1u128 << 68) - 1);
        format!("06{random:017x}")
    }

    fn call_log_id(&mut self) -> String {
        uuid::Uuid::new_v4().to_string()
    }

    fn uuid(&mut self) -> String {
        uuid::Uuid::new_v4().to_string()
    }
}

/// Predictable identifiers for tests: call ids and UUIDs count up, call log ids are fixed.
#[cfg(test)]
pub struct SeqIds(pub u32);

#[cfg(test)]
impl Ids for SeqIds {
    fn call_id(&mut self) -> String {
        self.0 += 1;
        format!("06{:017x}", self.0)
    }

    fn call_log_id(&mut self) -> String {
        "8fe17897-0a17-45c2-9201-ee72ebcf8bec".into()
    }

    fn uuid(&mut self) -> String {
        self.0 += 1;
        format!("00000000-0000-4000-8000-{:012x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_ids_are_19_lowercase_hex_and_differ() {
        let first = RandomIds.call_id();
        let second = RandomIds.call_id();
        for id in [&first, &second] {
            assert_eq!(id.len(), 19, "{id}");
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
                "{id}"
            );
        }
        assert_ne!(first, second);
    }

    #[test]
    fn call_log_ids_and_uuids_are_uuid_v4() {
        for id in [RandomIds.call_log_id(), RandomIds.uuid()] {
            let parsed = uuid::Uuid::parse_str(&id).expect("a UUID");
            assert_eq!(parsed.get_version_num(), 4);
            assert_eq!(id, id.to_lowercase());
        }
        assert_ne!(RandomIds.uuid(), RandomIds.uuid());
    }
}
