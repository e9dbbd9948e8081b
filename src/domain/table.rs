//! The contact table's view: search as you type and sort by column, over fields
//! normalised once when a page of contacts arrives.

use std::cmp::Ordering;

use dialdesk_contract::Contact;

/// Case folding for search and sort. The app passes the browser's `toLowerCase`
/// (Rust's Unicode tables would cost 5 KB of the wasm budget); native tests pass
/// `str::to_lowercase`.
pub type Lower = fn(&str) -> String;

/// Separates the fields of a row's haystack; never part of a query.
const SEPARATOR: char = '\u{1}';

/// A contact's fields as the table compares them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowKey {
    /// Name, company and e-mail, case-folded, separated by [`SEPARATOR`]: one
    /// haystack, so a keystroke costs one substring search per row.
    text: String,
    /// End of the name in `text`.
    name_end: usize,
    /// End of the company in `text`.
    company_end: usize,
    /// Digits of every number, separated by `|`; the first number's come first.
    digits: String,
    /// End of the first number's digits in `digits`, for sorting.
    phone_end: usize,
}

impl RowKey {
    fn name(&self) -> &str {
        &self.text[..self.name_end]
    }

    fn company(&self) -> &str {
        self.text
            .get(self.name_end + 1..self.company_end)
            .unwrap_or_default()
    }

    fn phone(&self) -> &str {
        &self.digits[..self.phone_end]
    }
}

/// Normalises a contact for search and sort, folding case with `lower` once.
pub fn row_key(contact: &Contact, lower: Lower) -> RowKey {
    let clean = |text: &str| text.replace(SEPARATOR, " ");
    let joined = format!(
        "{}{SEPARATOR}{}{SEPARATOR}{}",
        clean(&contact.name),
        clean(contact.company.as_deref().unwrap_or_default()),
        clean(contact.email.as_deref().unwrap_or_default())
    );
    let text = lower(&joined);
    let mut separators = text.match_indices(SEPARATOR).map(|(at, _)| at);
    let name_end = separators.next().unwrap_or(text.len());
    let company_end = separators.next().unwrap_or(text.len()).max(name_end);
    let mut digits = String::new();
    let mut phone_end = 0;
    for (index, number) in contact.numbers.iter().enumerate() {
        if index > 0 {
            digits.push('|');
        }
        let source = number.e164.as_deref().unwrap_or(&number.raw);
        digits.extend(source.chars().filter(char::is_ascii_digit));
        if index == 0 {
            phone_end = digits.len();
        }
    }
    RowKey {
        text,
        name_end,
        company_end,
        digits,
        phone_end,
    }
}

/// What the rep typed, prepared once per keystroke.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// Case-folded text; empty matches every row.
    text: String,
    /// The digits, when there are three or more: then only numbers are searched.
    digits: Option<String>,
}

impl Query {
    /// Prepares `typed`, folding case with `lower`.
    pub fn new(typed: &str, lower: Lower) -> Self {
        let text: String = lower(typed.trim()).replace(SEPARATOR, "");
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        Self {
            digits: (digits.len() >= 3).then_some(digits),
            text,
        }
    }

    /// Whether every row this query matches also matches `wider`, so this query
    /// need only look at `wider`'s result (typing on narrows the list).
    pub fn narrows(&self, wider: &Self) -> bool {
        match (&self.digits, &wider.digits) {
            (Some(digits), Some(before)) => digits.contains(before.as_str()),
            (None, None) => self.text.contains(wider.text.as_str()),
            (Some(_), None) => wider.text.is_empty(),
            (None, Some(_)) => false,
        }
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Whether the row of `key` matches.
    pub fn matches(&self, key: &RowKey) -> bool {
        match &self.digits {
            Some(digits) => key.digits.contains(digits.as_str()),
            None => key.text.contains(self.text.as_str()),
        }
    }
}

/// A sortable column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortColumn {
    /// By name.
    #[default]
    Name,
    /// By company (contacts without one last).
    Company,
    /// By the first number.
    Phone,
}

/// The table's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sort {
    /// Which column.
    pub column: SortColumn,
    /// Z to A (or 9 to 0) when true.
    pub descending: bool,
}

impl Sort {
    /// Clicking a column: the same column flips direction, another starts ascending.
    pub fn toggle(self, column: SortColumn) -> Self {
        if self.column == column {
            Self {
                column,
                descending: !self.descending,
            }
        } else {
            Self {
                column,
                descending: false,
            }
        }
    }

    /// `aria-sort` of a column header.
    pub fn aria(self, column: SortColumn) -> &'static str {
        match (self.column == column, self.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }
}

fn compare(a: &RowKey, b: &RowKey, column: SortColumn) -> Ordering {
    match column {
        SortColumn::Name => a.name().cmp(b.name()),
        SortColumn::Company => (a.company().is_empty(), a.company(), a.name()).cmp(&(
            b.company().is_empty(),
            b.company(),
            b.name(),
        )),
        SortColumn::Phone => a.phone().cmp(b.phone()),
    }
}

/// The order of rows `a` and `b` by `sort`; ties keep book order.
fn in_order(keys: &[RowKey], sort: Sort, a: usize, b: usize) -> Ordering {
    let by_column = compare(&keys[a], &keys[b], sort.column);
    let by_column = if sort.descending {
        by_column.reverse()
    } else {
        by_column
    };
    by_column.then(a.cmp(&b))
}

/// Row indices in `sort` order; ties keep book order.
pub fn sorted_order(keys: &[RowKey], sort: Sort) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| in_order(keys, sort, a, b));
    order
}

/// `order` (the first `order.len()` rows, sorted) with the rows after them merged in:
/// a new page costs a sort of the page and one pass, not a sort of the book.
pub fn merge_new_rows(keys: &[RowKey], sort: Sort, order: &[usize]) -> Vec<usize> {
    let mut new: Vec<usize> = (order.len()..keys.len()).collect();
    new.sort_by(|&a, &b| in_order(keys, sort, a, b));
    let mut merged = Vec::with_capacity(keys.len());
    let (mut old, mut new) = (order.iter().peekable(), new.into_iter().peekable());
    while let (Some(&&a), Some(&b)) = (old.peek(), new.peek()) {
        if in_order(keys, sort, a, b) == Ordering::Greater {
            merged.push(b);
            new.next();
        } else {
            merged.push(a);
            old.next();
        }
    }
    merged.extend(old);
    merged.extend(new);
    merged
}

/// The rows of `candidates` (in their order) matching `query`: by digits when it has
/// three or more, else by name, company or e-mail.
pub fn filter(keys: &[RowKey], candidates: &[usize], query: &Query) -> Vec<usize> {
    if query.text.is_empty() {
        return candidates.to_vec();
    }
    candidates
        .iter()
        .copied()
        .filter(|&i| keys.get(i).is_some_and(|key| query.matches(key)))
        .collect()
}

/// The row after (`step` = 1) or before (-1) `current` in `rows`; the first row when
/// nothing is selected or the selection is no longer shown.
pub fn step_selection(rows: &[i64], current: Option<i64>, step: isize) -> Option<i64> {
    let position = current.and_then(|id| rows.iter().position(|&r| r == id));
    let next = match position {
        None => 0,
        Some(at) => at
            .saturating_add_signed(step)
            .min(rows.len().saturating_sub(1)),
    };
    rows.get(next).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialdesk_contract::ContactNumber;

    fn contact(id: i64, name: &str, company: Option<&str>, e164: &str) -> Contact {
        Contact {
            id,
            name: name.into(),
            company: company.map(str::to_owned),
            title: None,
            email: Some(format!(
                "{}@example.com",
                name.to_lowercase().replace(' ', ".")
            )),
            time_zone: None,
            numbers: vec![ContactNumber {
                label: "work".into(),
                raw: e164.into(),
                e164: Some(e164.into()),
                ..ContactNumber::default()
            }],
        }
    }

    fn book() -> Vec<RowKey> {
        [
            contact(1, "Dana Whitfield", Some("Acme"), "+14155550123"),
            contact(2, "ada Lovelace", None, "+12125550147"),
            contact(3, "Cy Young", Some("Zeta"), "+13035550100"),
        ]
        .iter()
        .map(|c| row_key(c, str::to_lowercase))
        .collect()
    }

    fn query(typed: &str) -> Query {
        Query::new(typed, str::to_lowercase)
    }

    #[test]
    fn sorts_by_each_column_both_ways() {
        let keys = book();
        let name = Sort::default();
        assert_eq!(sorted_order(&keys, name), [1, 2, 0]);
        assert_eq!(
            sorted_order(&keys, name.toggle(SortColumn::Name)),
            [0, 2, 1]
        );
        let company = name.toggle(SortColumn::Company);
        assert_eq!(sorted_order(&keys, company), [0, 2, 1], "no company last");
        assert_eq!(
            sorted_order(&keys, company.toggle(SortColumn::Phone)),
            [1, 2, 0]
        );
        assert_eq!(company.aria(SortColumn::Company), "ascending");
        assert_eq!(company.aria(SortColumn::Name), "none");
    }

    #[test]
    fn filters_by_text_or_digits_keeping_the_order() {
        let keys = book();
        let order = sorted_order(&keys, Sort::default());
        let found = |typed: &str| filter(&keys, &order, &query(typed));
        assert_eq!(found("  "), order);
        assert_eq!(found("LOVE"), [1]);
        assert_eq!(found("acme"), [0]);
        assert_eq!(found("cy.young@"), [2]);
        assert_eq!(found("555-010"), [2]);
        assert_eq!(found("555"), [1, 2, 0]);
        assert_eq!(found("0147"), [1]);
        assert!(found("nobody").is_empty());
        // Fields are searched one by one: no match across a field boundary.
        assert!(found("whitfieldacme").is_empty());
        assert!(found("\u{1}").len() == 3, "a separator typed is ignored");
    }

    #[test]
    fn typing_on_narrows_the_previous_result() {
        assert!(query("ada").narrows(&query("ad")));
        assert!(query("ad").narrows(&query("")));
        assert!(!query("ad").narrows(&query("ada")));
        assert!(!query("b").narrows(&query("a")));
        assert!(query("4155").narrows(&query("415")));
        assert!(query("415").narrows(&query("")));
        assert!(
            !query("415").narrows(&query("41")),
            "digits switch the mode"
        );
        assert!(!query("ab").narrows(&query("415")));
        let keys = book();
        let order = sorted_order(&keys, Sort::default());
        let wide = filter(&keys, &order, &query("a"));
        assert_eq!(
            filter(&keys, &wide, &query("ada")),
            filter(&keys, &order, &query("ada"))
        );
    }

    #[test]
    fn new_pages_merge_into_the_sorted_order() {
        let keys = book();
        for sort in [
            Sort::default(),
            Sort::default().toggle(SortColumn::Name),
            Sort::default().toggle(SortColumn::Company),
            Sort::default().toggle(SortColumn::Phone),
        ] {
            for loaded in 0..=keys.len() {
                let first = sorted_order(&keys[..loaded], sort);
                assert_eq!(
                    merge_new_rows(&keys, sort, &first),
                    sorted_order(&keys, sort),
                    "{sort:?} after {loaded} rows"
                );
            }
        }
    }

    #[test]
    fn folding_is_the_callers_and_fields_keep_their_bounds() {
        let unicode = contact(4, "ZOË ÅDAMS", Some("Ünïcode"), "+4930123456");
        let key = row_key(&unicode, str::to_lowercase);
        assert_eq!(key.name(), "zoë ådams");
        assert_eq!(key.company(), "ünïcode");
        assert_eq!(key.phone(), "4930123456");
        let sneaky = contact(5, "a\u{1}b", None, "+4930123457");
        assert_eq!(row_key(&sneaky, str::to_lowercase).name(), "a b");
    }

    #[test]
    fn selection_moves_within_the_shown_rows() {
        let rows = [10, 20, 30];
        assert_eq!(step_selection(&rows, None, 1), Some(10));
        assert_eq!(step_selection(&rows, Some(10), 1), Some(20));
        assert_eq!(step_selection(&rows, Some(30), 1), Some(30));
        assert_eq!(step_selection(&rows, Some(10), -1), Some(10));
        assert_eq!(step_selection(&rows, Some(99), -1), Some(10));
        assert_eq!(step_selection(&[], Some(1), 1), None);
    }
}
