//! The contact requests the simulated embed sends the host, and what came back: the state behind
//! the page's "Matched: …" line and search result list.

use serde::Serialize;

use crate::contacts::ContactResponse;

/// How a contact match request stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchOutcome {
    /// No answer yet.
    Waiting,
    /// The host answered with a named contact.
    Matched(String),
    /// The host answered without a named contact.
    NoMatch,
    /// No answer came from the host before the match timeout.
    TimedOut,
}

/// The last `zp-contact-match-event`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactMatch {
    /// Its `requestId`.
    pub request_id: String,
    /// The number it asked about.
    pub number: String,
    /// How it stands.
    pub outcome: MatchOutcome,
}

impl ContactMatch {
    /// A request that waits for its answer.
    pub fn waiting(request_id: String, number: String) -> Self {
        Self {
            request_id,
            number,
            outcome: MatchOutcome::Waiting,
        }
    }

    /// `true` while it waits for the answer to `request_id`.
    pub fn waits_for(&self, request_id: &str) -> bool {
        self.outcome == MatchOutcome::Waiting && self.request_id == request_id
    }

    /// Settles it with the host's answer, if the answer echoes its id and it still waits.
    /// Returns whether it did.
    pub fn answer(&mut self, response: &ContactResponse) -> bool {
        if self.outcome != MatchOutcome::Waiting || !response.echoes(&self.request_id) {
            return false;
        }
        self.outcome = match response.name_for(&self.number) {
            Some(name) => MatchOutcome::Matched(name),
            None => MatchOutcome::NoMatch,
        };
        true
    }

    /// Settles it as timed out, if it still waits for the answer to `request_id`.
    /// Returns whether it did.
    pub fn time_out(&mut self, request_id: &str) -> bool {
        if !self.waits_for(request_id) {
            return false;
        }
        self.outcome = MatchOutcome::TimedOut;
        true
    }

    /// The matched name; empty without one.
    pub fn name(&self) -> &str {
        match &self.outcome {
            MatchOutcome::Matched(name) => name,
            MatchOutcome::Waiting | MatchOutcome::NoMatch | MatchOutcome::TimedOut => "",
        }
    }

    /// The JSON view for pages and tests.
    pub fn view(&self) -> MatchView<'_> {
        let (status, name) = match &self.outcome {
            MatchOutcome::Waiting => ("waiting", None),
            MatchOutcome::Matched(name) => ("matched", Some(name.as_str())),
            MatchOutcome::NoMatch => ("no-match", None),
            MatchOutcome::TimedOut => ("timed-out", None),
        };
        MatchView {
            request_id: &self.request_id,
            number: &self.number,
            status,
            name,
        }
    }
}

/// The JSON view of a contact match.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchView<'a> {
    /// The request id.
    pub request_id: &'a str,
    /// The number asked about.
    pub number: &'a str,
    /// `waiting`, `matched`, `no-match` (the host answered without a named contact) or
    /// `timed-out` (no answer from the host in time).
    pub status: &'static str,
    /// The matched name, once matched.
    pub name: Option<&'a str>,
}

/// The last `zp-contact-search-event`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Search {
    /// Its `requestId`.
    pub request_id: String,
    /// What it searched for.
    pub search_string: String,
    /// One label per contact of the answer; `None` until the answer came.
    pub results: Option<Vec<String>>,
}

impl Search {
    /// A search that waits for its answer.
    pub fn waiting(request_id: String, search_string: String) -> Self {
        Self {
            request_id,
            search_string,
            results: None,
        }
    }

    /// Takes the host's answer, if it echoes the id and none came before.
    pub fn answer(&mut self, response: &ContactResponse) {
        if self.results.is_none() && response.echoes(&self.request_id) {
            self.results = Some(response.labels());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn response(data: serde_json::Value) -> ContactResponse {
        ContactResponse::from_data(&data)
    }

    #[test]
    fn a_match_settles_once_on_its_own_id() {
        let mut request = ContactMatch::waiting("m-1".into(), "+14155550123".into());
        assert!(request.waits_for("m-1"));
        let other = response(json!({"requestId": "m-2", "contacts": [{"name": "X"}]}));
        assert!(!request.answer(&other));
        let right = response(json!({"responseId": "m-1", "contacts": [{"name": "Dana"}]}));
        assert!(request.answer(&right));
        assert_eq!(request.name(), "Dana");
        assert_eq!(request.view().status, "matched");
        let late = response(json!({"responseId": "m-1", "contacts": []}));
        assert!(!request.answer(&late), "settled already");
        assert!(!request.waits_for("m-1"));
    }

    #[test]
    fn an_answer_without_contacts_is_no_match() {
        let mut request = ContactMatch::waiting("m-1".into(), "+1".into());
        assert!(request.answer(&response(json!({"requestId": "m-1", "contacts": []}))));
        assert_eq!(request.outcome, MatchOutcome::NoMatch);
        assert_eq!(request.name(), "");
        let view = serde_json::to_value(request.view()).expect("json");
        assert_eq!(
            view,
            json!({"requestId": "m-1", "number": "+1", "status": "no-match", "name": null})
        );
    }

    #[test]
    fn a_timeout_is_not_a_no_match() {
        let mut request = ContactMatch::waiting("m-1".into(), "+1".into());
        assert!(!request.time_out("m-2"), "another request's timer");
        assert!(request.waits_for("m-1"));
        assert!(request.time_out("m-1"));
        assert_eq!(request.outcome, MatchOutcome::TimedOut);
        assert_eq!(request.name(), "");
        let view = serde_json::to_value(request.view()).expect("json");
        assert_eq!(
            view,
            json!({"requestId": "m-1", "number": "+1", "status": "timed-out", "name": null})
        );
        let late = response(json!({"requestId": "m-1", "contacts": [{"name": "Late"}]}));
        assert!(!request.answer(&late), "settled already");
        assert!(!request.time_out("m-1"), "settled already");
        assert_eq!(request.view().status, "timed-out");
    }

    #[test]
    fn an_answer_before_the_timeout_stays_no_match() {
        let mut request = ContactMatch::waiting("m-1".into(), "+1".into());
        assert!(request.answer(&response(json!({"responseId": "m-1", "contacts": []}))));
        assert!(!request.time_out("m-1"), "the answer came first");
        assert_eq!(request.view().status, "no-match");
    }

    #[test]
    fn a_search_keeps_its_first_answer() {
        let mut search = Search::waiting("s-1".into(), "whit".into());
        search.answer(&response(
            json!({"requestId": "s-0", "contacts": [{"name": "A"}]}),
        ));
        assert_eq!(search.results, None);
        search.answer(&response(
            json!({"requestId": "s-1", "contacts": [{"name": "B"}]}),
        ));
        search.answer(&response(
            json!({"requestId": "s-1", "contacts": [{"name": "C"}]}),
        ));
        assert_eq!(search.results, Some(vec!["B".to_owned()]));
    }
}
