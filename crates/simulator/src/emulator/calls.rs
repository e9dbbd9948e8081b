//! The account's call history: about 100 calls a day for the last [`MAX_AGE_DAYS`] days, spread
//! over the five users, generated on demand from the day number (nothing is stored), plus six
//! calls of user 1 that ended just before the emulator started, so "today" always has some.
//!
//! Every id (call history UUID, call id, call element id, recording id) carries its call's day
//! and index, so a lookup regenerates one day instead of searching them all.

use super::directory::{fictitious_number, users, ExternalContact, STRANGER_AREAS};
use super::draw::Draw;
use super::range::{DAY_MS, MAX_AGE_DAYS};

/// Seed of the generated history.
const SEED: u64 = 0x0dd1_a1de_5c00;
/// Call indexes from here on are the start-up calls of user 1.
const RECENT_BASE: u32 = 0x900;
/// How many start-up calls there are.
const RECENT_COUNT: u32 = 6;
/// Strangers' numbers: five area codes times 100.
const STRANGERS: usize = 500;

/// Which way a call went, from the account's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Someone called in.
    Inbound,
    /// A user called out (internal calls count as outbound).
    Outbound,
}

impl Direction {
    /// `inbound` or `outbound`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inbound => "inbound",
            Self::Outbound => "outbound",
        }
    }
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Connected.
    Answered,
    /// Rang out.
    NoAnswer,
    /// Went to voicemail (inbound only).
    Voicemail,
    /// Busy.
    Busy,
    /// The caller hung up while it rang.
    Cancelled,
}

impl Outcome {
    /// The call history's `call_result`.
    pub fn result(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::NoAnswer => "no_answer",
            Self::Voicemail => "voicemail",
            Self::Busy => "busy",
            Self::Cancelled => "call_cancel",
        }
    }

    /// The legacy call log's `result`.
    pub fn legacy_result(self) -> &'static str {
        match self {
            Self::Answered => "Call connected",
            Self::NoAnswer => "No Answer",
            Self::Voicemail => "Voicemail",
            Self::Busy => "Busy",
            Self::Cancelled => "Call Cancel",
        }
    }
}

/// One end of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// Display name (a stranger's is their number).
    pub name: String,
    /// E.164 number.
    pub number: String,
    /// The user, when the party is one of the account's users.
    pub user: Option<usize>,
}

/// A leg of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// `call_element_id`.
    pub id: String,
    /// `incoming`, `outgoing` or `forward`.
    pub event: &'static str,
    /// `answered`, `no_answer`, `voicemail`, `busy` or `hang_up`.
    pub result: &'static str,
    /// When the leg started.
    pub start_ms: u64,
    /// When it ended.
    pub end_ms: u64,
    /// Set on the recorded leg.
    pub recording_id: Option<String>,
    /// Set on a voicemail leg.
    pub voicemail_id: Option<String>,
}

/// A call recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    /// Recording id, also the download's file id.
    pub id: String,
    /// Length in seconds.
    pub duration_s: u64,
}

/// One call of the account's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// `call_history_uuid` (also the legacy call log id).
    pub uuid: String,
    /// `call_id`, as Smart Embed reports it.
    pub call_id: String,
    /// The user whose call it is.
    pub user: usize,
    /// Inbound or outbound.
    pub direction: Direction,
    /// Between two users.
    pub internal: bool,
    /// When it started ringing.
    pub start_ms: u64,
    /// When it was answered.
    pub answer_ms: Option<u64>,
    /// When it ended.
    pub end_ms: u64,
    /// How it ended.
    pub outcome: Outcome,
    /// Who called.
    pub caller: Party,
    /// Who was called.
    pub callee: Party,
    /// About a quarter of answered calls are recorded.
    pub recording: Option<Recording>,
    /// The legs, in order.
    pub elements: Vec<Element>,
}

impl Call {
    /// Talk time in seconds (0 when unanswered).
    pub fn duration_s(&self) -> u64 {
        self.answer_ms
            .map_or(0, |answer| self.end_ms.saturating_sub(answer) / 1000)
    }

    /// Whether `keyword` (lowercase) is in a party's name or number, or an extension.
    fn matches(&self, keyword: &str) -> bool {
        [&self.caller, &self.callee].iter().any(|party| {
            party.name.to_lowercase().contains(keyword)
                || party.number.contains(keyword)
                || party
                    .user
                    .is_some_and(|user| users()[user].extension_number.to_string() == keyword)
        })
    }
}

/// The other party of a generated call.
#[derive(Clone, Copy)]
enum Other {
    Contact(usize),
    User(usize),
    Stranger(usize),
}

/// Everything decided about a call before its ids and legs are derived.
struct Draft {
    user: usize,
    other: Other,
    direction: Direction,
    start_ms: u64,
    ring_s: u64,
    talk_s: u64,
    outcome: Outcome,
    recorded: bool,
}

/// The generated history and the external contacts its calls involve.
pub struct CallBook {
    contacts: Vec<ExternalContact>,
    recents: Vec<Call>,
}

/// A history filter: the calls' start window, an optional keyword, optional call ids.
pub struct Filter<'a> {
    /// First millisecond of the window.
    pub from_ms: u64,
    /// First millisecond after it.
    pub to_ms: u64,
    /// Lowercase keyword, if any.
    pub keyword: Option<&'a str>,
    /// Only these `call_id`s (or UUIDs), if not empty.
    pub call_ids: &'a [&'a str],
    /// Only the calls this user (by index) took part in, if given.
    pub party: Option<usize>,
}

impl CallBook {
    /// The history as seen by an emulator started at `started_ms`.
    pub fn new(contacts: Vec<ExternalContact>, started_ms: u64) -> Self {
        let mut book = Self {
            contacts,
            recents: Vec::new(),
        };
        book.recents = (1..=RECENT_COUNT)
            .map(|k| book.build(recent_draft(k, started_ms), RECENT_BASE + k))
            .collect();
        book
    }

    /// The account's external contacts.
    pub fn contacts(&self) -> &[ExternalContact] {
        &self.contacts
    }

    /// Calls that started in the window and ended by `now_ms`, newest first.
    pub fn list(&self, filter: &Filter<'_>, now_ms: u64) -> Vec<Call> {
        let first_day = (now_ms / DAY_MS)
            .saturating_sub(MAX_AGE_DAYS)
            .max(filter.from_ms / DAY_MS);
        let last_day = (now_ms / DAY_MS).min(filter.to_ms.saturating_sub(1) / DAY_MS);
        let mut calls: Vec<Call> = (first_day..=last_day)
            .flat_map(|day| self.day(day))
            .filter(|call| {
                (filter.from_ms..filter.to_ms).contains(&call.start_ms)
                    && call.end_ms <= now_ms
                    && filter.keyword.is_none_or(|keyword| call.matches(keyword))
                    && filter.party.is_none_or(|user| {
                        call.caller.user == Some(user) || call.callee.user == Some(user)
                    })
                    && (filter.call_ids.is_empty()
                        || filter
                            .call_ids
                            .iter()
                            .any(|id| *id == call.call_id || *id == call.uuid))
            })
            .collect();
        calls.sort_by(|a, b| {
            b.start_ms
                .cmp(&a.start_ms)
                .then_with(|| a.uuid.cmp(&b.uuid))
        });
        calls
    }

    /// The call with this `call_history_uuid` or `call_id`, if it ended by `now_ms`.
    pub fn find(&self, id: &str, now_ms: u64) -> Option<Call> {
        self.lookup(id, now_ms)
            .filter(|call| call.uuid == id || call.call_id == id)
    }

    /// The call holding the element with this id, and the element's index.
    pub fn find_element(&self, id: &str, now_ms: u64) -> Option<(Call, usize)> {
        let call = self.lookup(id, now_ms)?;
        let index = call.elements.iter().position(|element| element.id == id)?;
        Some((call, index))
    }

    /// The call whose recording has this id.
    pub fn find_recording(&self, id: &str, now_ms: u64) -> Option<Call> {
        self.lookup(id, now_ms)
            .filter(|call| call.recording.as_ref().is_some_and(|rec| rec.id == id))
    }

    /// The visible call an id points at (not yet checked against the id itself).
    fn lookup(&self, id: &str, now_ms: u64) -> Option<Call> {
        let today = now_ms / DAY_MS;
        let (day, index) = key_of(id, today)?;
        if day + MAX_AGE_DAYS < today {
            return None;
        }
        let call = if index >= RECENT_BASE {
            self.recents
                .iter()
                .find(|call| call.start_ms / DAY_MS == day && call_index(call) == Some(index))
                .cloned()?
        } else if index < day_count(day) {
            self.build(draft(day, index), index)
        } else {
            return None;
        };
        (call.end_ms <= now_ms).then_some(call)
    }

    /// Every call of a day, generated and start-up ones.
    fn day(&self, day: u64) -> Vec<Call> {
        (0..day_count(day))
            .map(|index| self.build(draft(day, index), index))
            .chain(
                self.recents
                    .iter()
                    .filter(|call| call.start_ms / DAY_MS == day)
                    .cloned(),
            )
            .collect()
    }

    fn party(&self, other: Other) -> Party {
        match other {
            Other::User(user) => user_party(user),
            Other::Contact(index) => match self.contacts.get(index) {
                Some(contact) => Party {
                    name: contact.name.clone(),
                    number: contact.phone_numbers.first().cloned().unwrap_or_default(),
                    user: None,
                },
                None => stranger(index),
            },
            Other::Stranger(index) => stranger(index),
        }
    }

    fn build(&self, draft: Draft, index: u32) -> Call {
        let day = draft.start_ms / DAY_MS;
        let mut ids = Ids::new(day, index);
        let (caller, callee) = match draft.direction {
            Direction::Outbound => (user_party(draft.user), self.party(draft.other)),
            Direction::Inbound => (self.party(draft.other), user_party(draft.user)),
        };
        let rang_ms = draft.start_ms + draft.ring_s * 1000;
        let answered = draft.outcome == Outcome::Answered;
        let end_ms = rang_ms + draft.talk_s * 1000;
        let event = match draft.direction {
            Direction::Outbound => "outgoing",
            Direction::Inbound => "incoming",
        };
        let recording = (answered && draft.recorded).then(|| Recording {
            id: ids.next(),
            duration_s: draft.talk_s,
        });
        let first_result = match draft.outcome {
            Outcome::Answered => "answered",
            Outcome::NoAnswer | Outcome::Voicemail => "no_answer",
            Outcome::Busy => "busy",
            Outcome::Cancelled => "hang_up",
        };
        let mut elements = vec![Element {
            id: ids.next(),
            event,
            result: first_result,
            start_ms: draft.start_ms,
            end_ms: if draft.outcome == Outcome::Voicemail {
                rang_ms
            } else {
                end_ms
            },
            recording_id: recording.as_ref().map(|rec| rec.id.clone()),
            voicemail_id: None,
        }];
        if draft.outcome == Outcome::Voicemail {
            elements.push(Element {
                id: ids.next(),
                event: "forward",
                result: "voicemail",
                start_ms: rang_ms,
                end_ms,
                recording_id: None,
                voicemail_id: Some(ids.next()),
            });
        }
        Call {
            uuid: ids.uuid.clone(),
            call_id: ids.call_id(),
            user: draft.user,
            direction: draft.direction,
            internal: matches!(draft.other, Other::User(_)),
            start_ms: draft.start_ms,
            answer_ms: answered.then_some(rang_ms),
            end_ms,
            outcome: draft.outcome,
            caller,
            callee,
            recording,
            elements,
        }
    }
}

/// The number of generated calls on a day: 90 to 110.
fn day_count(day: u64) -> u32 {
    90 + u32::try_from(Draw::new(&[SEED, day]).below(21)).unwrap_or(0)
}

/// The generated call `index` of `day`.
fn draft(day: u64, index: u32) -> Draft {
    let mut draw = Draw::new(&[SEED, day, u64::from(index)]);
    let user = draw.index(users().len());
    // Business hours, 06:00 to 21:00 UTC.
    let start_ms = day * DAY_MS + (6 * 3600 + draw.below(15 * 3600)) * 1000;
    let other = match draw.below(100) {
        0..=9 => Other::User((user + 1 + draw.index(users().len() - 1)) % users().len()),
        10..=21 => Other::Stranger(draw.index(STRANGERS)),
        _ => Other::Contact(draw.index(super::directory::EXTERNAL_CONTACT_COUNT)),
    };
    let direction = if draw.chance(55) {
        Direction::Outbound
    } else {
        Direction::Inbound
    };
    let outcome = match (draw.below(100), direction) {
        (0..=67, _) => Outcome::Answered,
        (82..=91, Direction::Inbound) => Outcome::Voicemail,
        (68..=91, _) => Outcome::NoAnswer,
        (92..=96, _) => Outcome::Busy,
        _ => Outcome::Cancelled,
    };
    let talk_s = match outcome {
        Outcome::Answered => 15 + draw.below(900),
        Outcome::Voicemail => 10 + draw.below(50),
        _ => 0,
    };
    Draft {
        user,
        other,
        direction,
        start_ms,
        ring_s: 4 + draw.below(22),
        talk_s,
        outcome,
        recorded: draw.chance(25),
    }
}

/// Start-up call `k` (1..=6) of user 1: the k-th before `started_ms`, all on its day unless the
/// emulator started in the first seconds after midnight UTC.
fn recent_draft(k: u32, started_ms: u64) -> Draft {
    let since_midnight = started_ms % DAY_MS;
    let gap_ms = (since_midnight / 8).clamp(2_000, 8 * 60_000);
    let end_ms = started_ms.saturating_sub(u64::from(k) * gap_ms);
    let ring_s = 1;
    let talk_s = (gap_ms / 2000).clamp(0, 240);
    let answered = k != 3;
    Draft {
        user: 0,
        other: Other::Contact(usize::try_from(k).unwrap_or(0) * 97),
        direction: if k % 2 == 1 {
            Direction::Outbound
        } else {
            Direction::Inbound
        },
        start_ms: end_ms.saturating_sub((ring_s + talk_s) * 1000) / 1000 * 1000,
        ring_s,
        talk_s: if answered { talk_s } else { 0 },
        outcome: if answered {
            Outcome::Answered
        } else {
            Outcome::NoAnswer
        },
        recorded: k == 1 || k == 4,
    }
}

fn user_party(user: usize) -> Party {
    let profile = &users()[user % users().len()];
    Party {
        name: profile.name(),
        number: profile.number.to_owned(),
        user: Some(user % users().len()),
    }
}

fn stranger(index: usize) -> Party {
    let number = fictitious_number(
        STRANGER_AREAS[index % STRANGER_AREAS.len()],
        index / STRANGER_AREAS.len(),
    );
    Party {
        name: number.clone(),
        number,
        user: None,
    }
}

/// The ids of one call: its UUID first, then further UUID-shaped ids with the same day and
/// index fields, and its call id.
struct Ids {
    draw: Draw,
    day: u64,
    index: u32,
    uuid: String,
}

impl Ids {
    fn new(day: u64, index: u32) -> Self {
        let mut ids = Self {
            draw: Draw::new(&[SEED ^ 0x1d, day, u64::from(index)]),
            day,
            index,
            uuid: String::new(),
        };
        ids.uuid = ids.next();
        ids
    }

    /// A UUID v4 whose third and fourth groups' digits hold the day and index.
    fn next(&mut self) -> String {
        let (a, b) = (self.draw.next_u64(), self.draw.next_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            self.day & 0xffff,
            self.index & 0xfff,
            0x8000 | (a & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }

    /// 19 hex digits like Zoom's: `06`, the day, the index, then random digits.
    fn call_id(&mut self) -> String {
        format!(
            "06{:05x}{:03x}{:09x}",
            self.day & 0xf_ffff,
            self.index & 0xfff,
            self.draw.next_u64() & 0xf_ffff_ffff
        )
    }
}

/// The (day, index) an id carries, given today's day number.
fn key_of(id: &str, today: u64) -> Option<(u64, u32)> {
    let hex = |range: std::ops::Range<usize>| -> Option<u64> {
        let part = id.get(range)?;
        if part.bytes().all(|b| b.is_ascii_hexdigit()) {
            u64::from_str_radix(part, 16).ok()
        } else {
            None
        }
    };
    let bytes = id.as_bytes();
    if bytes.len() == 36
        && bytes[8] == b'-'
        && bytes[13] == b'-'
        && bytes[14] == b'4'
        && bytes[18] == b'-'
        && bytes[23] == b'-'
    {
        let low = hex(9..13)?;
        let day = today.checked_sub(today.wrapping_sub(low) & 0xffff)?;
        Some((day, u32::try_from(hex(15..18)?).ok()?))
    } else if bytes.len() == 19 && id.starts_with("06") {
        Some((hex(2..7)?, u32::try_from(hex(7..10)?).ok()?))
    } else {
        None
    }
}

fn call_index(call: &Call) -> Option<u32> {
    call.uuid
        .get(15..18)
        .and_then(|part| u32::from_str_radix(part, 16).ok())
}

#[cfg(test)]
mod tests {
    use super::super::directory::external_contacts;
    use super::*;

    /// 2026-03-15T12:00:00Z.
    const NOW: u64 = 1_773_576_000_000;

    fn book() -> CallBook {
        CallBook::new(external_contacts(), NOW)
    }

    fn all(book: &CallBook, from_ms: u64, to_ms: u64, now_ms: u64) -> Vec<Call> {
        book.list(
            &Filter {
                from_ms,
                to_ms,
                keyword: None,
                call_ids: &[],
                party: None,
            },
            now_ms,
        )
    }

    #[test]
    fn the_history_is_deterministic() {
        let month = all(&book(), NOW - 30 * DAY_MS, NOW, NOW);
        assert_eq!(month, all(&book(), NOW - 30 * DAY_MS, NOW, NOW));
        assert!((2_700..=3_400).contains(&month.len()), "{}", month.len());
        let users: std::collections::HashSet<usize> = month.iter().map(|c| c.user).collect();
        assert_eq!(users.len(), 5);
        let answered = month
            .iter()
            .filter(|c| c.outcome == Outcome::Answered)
            .count();
        let recorded = month.iter().filter(|c| c.recording.is_some()).count();
        assert!(recorded * 100 / answered > 18 && recorded * 100 / answered < 32);
        assert!(month
            .windows(2)
            .all(|pair| pair[0].start_ms >= pair[1].start_ms));
    }

    #[test]
    fn today_has_ended_calls_of_user_1() {
        let today = all(&book(), NOW / DAY_MS * DAY_MS, NOW + DAY_MS, NOW);
        let mine: Vec<&Call> = today.iter().filter(|call| call.user == 0).collect();
        assert!(mine.len() >= 6);
        assert!(today.iter().all(|call| call.end_ms <= NOW));
        assert!(mine.iter().any(|call| call.recording.is_some()));
        // The same day generated later shows the calls that have ended since.
        let later = all(
            &book(),
            NOW / DAY_MS * DAY_MS,
            NOW + DAY_MS,
            NOW + 3_600_000,
        );
        assert!(later.len() > today.len());
    }

    #[test]
    fn ids_lead_back_to_their_call() {
        let book = book();
        let calls = all(&book, NOW - 3 * DAY_MS, NOW, NOW);
        for call in calls.iter().take(300) {
            assert_eq!(book.find(&call.uuid, NOW).as_ref(), Some(call));
            assert_eq!(book.find(&call.call_id, NOW).as_ref(), Some(call));
            for (index, element) in call.elements.iter().enumerate() {
                assert_eq!(
                    book.find_element(&element.id, NOW),
                    Some((call.clone(), index))
                );
            }
            if let Some(recording) = &call.recording {
                assert_eq!(book.find_recording(&recording.id, NOW).as_ref(), Some(call));
                assert_eq!(book.find_recording(&call.uuid, NOW), None);
            }
        }
        for bad in [
            "",
            "06",
            "0600000000000000000",
            "zzzzzzzz-zzzz-4zzz-zzzz-zzzzzzzzzzzz",
            "é",
        ] {
            assert_eq!(book.find(bad, NOW), None, "{bad}");
        }
        let uuid = &calls[0].uuid;
        let last = if uuid.ends_with('0') { "1" } else { "0" };
        assert_eq!(book.find(&format!("{}{last}", &uuid[..35]), NOW), None);
    }

    #[test]
    fn calls_beyond_six_months_or_in_the_future_are_invisible() {
        let book = book();
        assert!(all(&book, NOW - 200 * DAY_MS, NOW - 190 * DAY_MS, NOW).is_empty());
        let future = all(&book, NOW, NOW + DAY_MS, NOW);
        assert!(future.is_empty());
    }

    #[test]
    fn filters_apply() {
        let book = book();
        let calls = all(&book, NOW - DAY_MS, NOW, NOW);
        let ids = [calls[3].call_id.as_str(), calls[5].uuid.as_str()];
        let picked = book.list(
            &Filter {
                from_ms: NOW - DAY_MS,
                to_ms: NOW,
                keyword: None,
                call_ids: &ids,
                party: None,
            },
            NOW,
        );
        assert_eq!(picked, [calls[3].clone(), calls[5].clone()]);
        let ava = book.list(
            &Filter {
                from_ms: NOW - DAY_MS,
                to_ms: NOW,
                keyword: Some("ava"),
                call_ids: &[],
                party: None,
            },
            NOW,
        );
        assert!(!ava.is_empty());
        let bens = book.list(
            &Filter {
                from_ms: NOW - DAY_MS,
                to_ms: NOW,
                keyword: None,
                call_ids: &[],
                party: Some(1),
            },
            NOW,
        );
        assert!(!bens.is_empty());
        assert!(bens
            .iter()
            .all(|call| call.caller.user == Some(1) || call.callee.user == Some(1)));
        assert!(ava.iter().all(|call| call.caller.name.starts_with("Ava")
            || call.callee.name.starts_with("Ava")
            || call.caller.name.to_lowercase().contains("ava")
            || call.callee.name.to_lowercase().contains("ava")));
    }
}
