//! The contact table's view: search as you type and sort by column, over fields
//! normalised once when a page of contacts arrives.

use std::cmp::Ordering;

use dialdesk_contract::Contact;

/// A contact's fields as the table compares them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowKey {
    name: String,
    company: String,
    email: String,
    /// Digits of every number, separated by `|`.
    digits: String,
    /// The first number's digits, for sorting.
    phone: String,
}

/// Normalises a contact for search and sort.
pub fn row_key(contact: &Contact) -> RowKey {
    let digits_of = |text: &str| {
        text.chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    };
    let numbers: Vec<String> = contact
        .numbers
        .iter()
        .map(|n| digits_of(n.e164.as_deref().unwrap_or(&n.raw)))
        .collect();
    RowKey {
        name: contact.name.to_lowercase(),
        company: contact
            .company
            .as_deref()
            .unwrap_or_default()
            .to_lowercase(),
        email: contact.email.as_deref().unwrap_or_default().to_lowercase(),
        phone: numbers.first().cloned().unwrap_or_default(),
        digits: numbers.join("|"),
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
        SortColumn::Name => a.name.cmp(&b.name),
        SortColumn::Company => (a.company.is_empty(), &a.company, &a.name).cmp(&(
            b.company.is_empty(),
            &b.company,
            &b.name,
        )),
        SortColumn::Phone => a.phone.cmp(&b.phone),
    }
}

/// Row indices in `sort` order; ties keep book order. Computed once per sort or new
/// page, so a keystroke only filters.
pub fn sorted_order(keys: &[RowKey], sort: Sort) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| {
        let by_column = compare(&keys[a], &keys[b], sort.column);
        let by_column = if sort.descending {
            by_column.reverse()
        } else {
            by_column
        };
        by_column.then(a.cmp(&b))
    });
    order
}

/// The rows of `order` matching `query`: by digits when it has three or more, else by
/// name, company or e-mail (case-insensitive). An empty query keeps every row.
pub fn filter(keys: &[RowKey], order: &[usize], query: &str) -> Vec<usize> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return order.to_vec();
    }
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    let matches = |key: &RowKey| {
        if digits.len() >= 3 {
            key.digits.contains(&digits)
        } else {
            key.name.contains(&query) || key.company.contains(&query) || key.email.contains(&query)
        }
    };
    order
        .iter()
        .copied()
        .filter(|&i| keys.get(i).is_some_and(matches))
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
        .map(row_key)
        .collect()
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
        assert_eq!(filter(&keys, &order, "  "), order);
        assert_eq!(filter(&keys, &order, "LOVE"), [1]);
        assert_eq!(filter(&keys, &order, "acme"), [0]);
        assert_eq!(filter(&keys, &order, "cy.young@"), [2]);
        assert_eq!(filter(&keys, &order, "555-010"), [2]);
        assert_eq!(filter(&keys, &order, "555"), [1, 2, 0]);
        assert_eq!(filter(&keys, &order, "0147"), [1]);
        assert!(filter(&keys, &order, "nobody").is_empty());
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
