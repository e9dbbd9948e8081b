//! What a contact row shows, worked out from its contact and its calls.

use dialdesk_contract::Contact;

use super::phone::display_number;
use super::session::RowContext;

/// One row of the contact table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowView {
    /// Place in the filtered, sorted list (0 = first).
    pub place: usize,
    /// The contact's id.
    pub id: i64,
    /// The name.
    pub name: String,
    /// The company, or empty.
    pub company: String,
    /// The number as shown: readable E.164, else the text as typed.
    pub shown: String,
    /// The E.164 number to call, if one parsed.
    pub number: Option<String>,
    /// Whether the number called is on the do-not-call list.
    pub do_not_call: bool,
    /// Why the row cannot be dialled; empty when it can.
    pub why_not: String,
}

impl RowView {
    /// The row of `contact` at `place`.
    pub fn of(place: usize, contact: &Contact) -> Self {
        let dialable = contact.numbers.iter().find(|n| n.e164.is_some());
        let number = dialable.and_then(|n| n.e164.clone());
        let why_not = if number.is_some() {
            String::new()
        } else {
            contact
                .numbers
                .first()
                .and_then(|n| n.parse_error.as_deref())
                .unwrap_or("This number cannot be dialled")
                .to_owned()
        };
        Self {
            place,
            id: contact.id,
            name: contact.name.clone(),
            company: contact.company.clone().unwrap_or_default(),
            shown: dialable
                .and_then(|n| n.display.clone())
                .or_else(|| number.as_deref().map(display_number))
                .or_else(|| contact.numbers.first().map(|n| n.raw.clone()))
                .unwrap_or_default(),
            do_not_call: dialable.is_some_and(|n| n.do_not_call),
            number,
            why_not,
        }
    }

    /// The phone cell's class.
    pub fn phone_class(&self) -> &'static str {
        match (self.number.is_some(), self.do_not_call) {
            (false, _) => "phone not-callable",
            (true, true) => "phone dnc",
            (true, false) => "phone",
        }
    }

    /// The phone cell's tooltip: why it cannot be dialled, or the do-not-call list.
    pub fn phone_title(&self) -> Option<String> {
        if self.do_not_call {
            Some("On the do-not-call list".to_owned())
        } else {
            (!self.why_not.is_empty()).then(|| self.why_not.clone())
        }
    }
}

/// The Last call cell: attempts, the time (as `when` writes it) and the outcome of
/// the latest call (`label` gives a saved disposition's label).
pub fn last_call_text(
    context: &RowContext,
    when: impl Fn(&str) -> String,
    label: impl Fn(&str) -> String,
) -> String {
    let mut parts = vec![format!("{}×", context.attempts)];
    parts.extend(context.last_at.as_deref().map(when));
    let outcome = match &context.last_disposition {
        Some(value) => Some(label(value)),
        None => context.last_result.clone(),
    };
    parts.extend(outcome);
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialdesk_contract::ContactNumber;

    fn contact(numbers: Vec<ContactNumber>) -> Contact {
        Contact {
            version: 1,
            id: 4,
            name: "Ada Bartik".into(),
            company: Some("Litware".into()),
            title: None,
            email: None,
            time_zone: None,
            numbers,
        }
    }

    #[test]
    fn a_row_shows_the_number_it_would_call_and_why_not() {
        let good = ContactNumber {
            label: "work".into(),
            raw: "415 555 0123".into(),
            e164: Some("+14155550123".into()),
            do_not_call: true,
            ..ContactNumber::default()
        };
        let row = RowView::of(2, &contact(vec![good]));
        assert_eq!(row.shown, "(415) 555-0123");
        assert_eq!(row.phone_class(), "phone dnc");
        assert_eq!(
            row.phone_title().as_deref(),
            Some("On the do-not-call list")
        );
        let bad = ContactNumber {
            label: "work".into(),
            raw: "12".into(),
            parse_error: Some("too short".into()),
            ..ContactNumber::default()
        };
        let row = RowView::of(0, &contact(vec![bad]));
        assert_eq!((row.shown.as_str(), row.number.as_deref()), ("12", None));
        assert_eq!(row.phone_class(), "phone not-callable");
        assert_eq!(row.phone_title().as_deref(), Some("too short"));
        let abroad = ContactNumber {
            label: "work".into(),
            raw: "020 7946 0958".into(),
            e164: Some("+442079460958".into()),
            display: Some("+44 20 7946 0958".into()),
            ..ContactNumber::default()
        };
        let row = RowView::of(1, &contact(vec![abroad]));
        assert_eq!(
            (row.shown.as_str(), row.number.as_deref()),
            ("+44 20 7946 0958", Some("+442079460958")),
            "a number reads as the proxy grouped it for its country"
        );
    }

    #[test]
    fn the_last_call_names_attempts_time_and_outcome() {
        let mut context = RowContext {
            attempts: 2,
            last_at: Some("2026-12-07T14:02:00Z".into()),
            last_result: Some("ended".into()),
            last_disposition: None,
        };
        let when = |_: &str| "14:02".to_owned();
        let label = |value: &str| format!("<{value}>");
        assert_eq!(last_call_text(&context, when, label), "2× · 14:02 · ended");
        context.last_disposition = Some("interested".into());
        assert_eq!(
            last_call_text(&context, when, label),
            "2× · 14:02 · <interested>"
        );
    }
}
