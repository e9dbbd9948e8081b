//! Property tests: mutated real fixtures never make the parser panic, and
//! whatever it accepts is what was sent.

use super::*;
use proptest::prelude::*;
use serde_json::Value;

const FIXTURES: &[&str] = &[
    include_str!("../../../tests/fixtures/smart-embed/events/ai-call-summary.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/call-connected.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/call-ended-completed.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/call-ended-missed.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/call-log-completed.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/call-ringing-inbound.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/call-ringing-outbound.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/contact-match.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/contact-search.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/notes-save.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/recording-completed.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/save-log.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/sms-log.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/transfer-leg.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/unknown-type.json"),
    include_str!("../../../tests/fixtures/smart-embed/events/voicemail-received.json"),
];

/// A replacement value of any JSON kind, including hostile ones.
fn hostile_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        (1usize..100_000).prop_map(|n| Value::from("9".repeat(n))),
    ];
    leaf.prop_recursive(24, 64, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(".{0,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every path to a value in a JSON tree, as a list of keys and indices.
fn paths(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        prefix.push(key);
        paths(child, prefix, out);
        prefix.pop();
    }
}

fn slot<'a>(root: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(root, |node, key| match node {
        Value::Object(map) => map.get_mut(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, Value),
    Remove(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), hostile_value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        any::<usize>().prop_map(Mutation::Remove),
    ]
}

fn mutate(fixture: &str, mutations: &[Mutation]) -> Value {
    let mut value: Value = serde_json::from_str(fixture).expect("fixture is JSON");
    for m in mutations {
        let mut all = Vec::new();
        paths(&value, &mut Vec::new(), &mut all);
        match m {
            Mutation::Replace(i, new) => {
                let path = &all[i % all.len()];
                if let Some(target) = slot(&mut value, path) {
                    *target = new.clone();
                }
            }
            Mutation::Remove(i) => {
                let path = &all[i % all.len()];
                if let Some((last, parent)) = path.split_last() {
                    match slot(&mut value, parent) {
                        Some(Value::Object(map)) => {
                            map.remove(last);
                        }
                        Some(Value::Array(items)) => {
                            if let Ok(i) = last.parse::<usize>() {
                                if i < items.len() {
                                    items.remove(i);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    value
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn mutated_fixtures_never_panic(
        index in 0..FIXTURES.len(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let text = mutate(FIXTURES[index], &mutations).to_string();
        if let Ok(Message { event, data }) = parse_message(&text) {
            // Nor does the session reducer, whatever the parser let through.
            let mut sessions = crate::domain::session::Sessions::default();
            sessions.apply(&event, &data);
            sessions.apply(&event, &data);
            // Whatever is accepted keeps its type as sent.
            let sent: Value = serde_json::from_str(&text).expect("own output is JSON");
            prop_assert_eq!(Some(event.kind()), sent["type"].as_str());
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = parse_event(&text);
    }

    #[test]
    fn truncated_fixtures_are_rejected_not_panicking(index in 0..FIXTURES.len(), cut in 0usize..2000) {
        let fixture = FIXTURES[index].trim_end();
        let cut = cut.min(fixture.len().saturating_sub(1));
        if fixture.is_char_boundary(cut) {
            prop_assert!(parse_event(&fixture[..cut]).is_err());
        }
    }
}
