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

/// The presence bit of a byte. Letters, digits, space, `.`, `@` and `-` have a bit of
/// their own; other bytes share the rest.
fn byte_bit(byte: u8) -> u64 {
    let index = match byte {
        b'a'..=b'z' => byte - b'a',
        b'0'..=b'9' => 26 + byte - b'0',
        b' ' => 36,
        b'.' => 37,
        b'@' => 38,
        b'-' => 39,
        other => 40 + other % 24,
    };
    1 << index
}

/// Whether a byte's bit is its own, so the bit alone says the byte is there.
fn own_bit(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit() || b" .@-".contains(&byte)
}

/// The presence bits of every byte of `text`.
fn mask_of(text: &str) -> u64 {
    text.bytes().fold(0, |mask, byte| mask | byte_bit(byte))
}

/// The bits of the adjacent byte pairs of `text`, hashed into 128: a row can hold a
/// query only if it has every pair of it. Every e-mail at one domain sets the same
/// letters, so letter bits alone let most rows through to a substring search; pairs
/// rule out most of them (a keystroke within a frame at 100 000 rows).
fn bigrams_of(text: &str) -> u128 {
    text.as_bytes().windows(2).fold(0, |mask, pair| {
        let pair = u32::from(pair[0]) << 8 | u32::from(pair[1]);
        mask | 1 << (pair.wrapping_mul(0x9E37_79B1) >> 25)
    })
}

/// Bits of the adjacent digit pairs in `digits` (`|` breaks a pair): a number can
/// hold a query's digits only if it has every pair of them.
fn pairs_of(digits: &str) -> u64 {
    digits
        .as_bytes()
        .windows(2)
        .filter(|pair| pair.iter().all(u8::is_ascii_digit))
        .fold(0, |mask, pair| {
            let pair = u32::from(pair[0] - b'0') * 10 + u32::from(pair[1] - b'0');
            mask | 1 << (pair % 64)
        })
}

/// Whether `needle` occurs in `haystack`. Rows and queries are short: a scan for the
/// first byte beats building a two-way searcher per row.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let last_start = haystack.len().saturating_sub(needle.len());
    haystack.len() >= needle.len()
        && haystack[..=last_start]
            .iter()
            .enumerate()
            .any(|(at, &byte)| byte == first && haystack[at + 1..].starts_with(rest))
}

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
    /// Presence bits of `text` (see [`byte_bit`]): most rows fail a query on these.
    mask: u64,
    /// Pair bits of `text` (see [`bigrams_of`]).
    bigrams: u128,
    /// Digits of every number, separated by `|`; the first number's come first.
    digits: String,
    /// Digit-pair bits of `digits` (see [`pairs_of`]).
    pairs: u64,
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
        mask: mask_of(&text),
        bigrams: bigrams_of(&text),
        pairs: pairs_of(&digits),
        text,
        name_end,
        company_end,
        digits,
        phone_end,
    }
}

/// One word of a text query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Word {
    /// Case-folded.
    text: String,
    /// Presence bits of `text`.
    mask: u64,
    /// Pair bits of `text`.
    bigrams: u128,
}

impl Word {
    fn new(text: &str) -> Self {
        Self {
            mask: mask_of(text),
            bigrams: bigrams_of(text),
            text: text.to_owned(),
        }
    }
}

/// What the rep typed, prepared once per keystroke. Words match in any order
/// ("Bartik Ada" finds Ada Bartik), each within one field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The words, case-folded; none matches every row.
    words: Vec<Word>,
    /// Presence bits of every word.
    mask: u64,
    /// Pair bits of every word (pairs within words only).
    bigrams: u128,
    /// One word of one byte with a bit of its own: the bits alone decide.
    bits_decide: bool,
    /// Digit-pair bits of `digits`.
    pairs: u64,
    /// The digits, when there are three or more: then only numbers are searched.
    digits: Option<String>,
}

impl Query {
    /// Prepares `typed`, folding case with `lower`.
    pub fn new(typed: &str, lower: Lower) -> Self {
        let text: String = lower(typed.trim()).replace(SEPARATOR, "");
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let words: Vec<Word> = text.split_whitespace().map(Word::new).collect();
        Self {
            pairs: pairs_of(&digits),
            digits: (digits.len() >= 3).then_some(digits),
            mask: words.iter().fold(0, |mask, w| mask | w.mask),
            bigrams: words.iter().fold(0, |bits, w| bits | w.bigrams),
            bits_decide: words.len() == 1
                && words[0].text.len() == 1
                && words[0].text.bytes().all(own_bit),
            words,
        }
    }

    /// Whether every row this query matches also matches `wider`, so this query
    /// need only look at `wider`'s result (typing on narrows the list): each word of
    /// `wider` is within one of this query's.
    pub fn narrows(&self, wider: &Self) -> bool {
        match (&self.digits, &wider.digits) {
            (Some(digits), Some(before)) => digits.contains(before.as_str()),
            (None, None) => wider.words.iter().all(|w| {
                self.words
                    .iter()
                    .any(|mine| mine.text.contains(w.text.as_str()))
            }),
            (Some(_), None) => wider.is_empty(),
            (None, Some(_)) => false,
        }
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether the row of `key` matches.
    pub fn matches(&self, key: &RowKey) -> bool {
        match &self.digits {
            Some(digits) => {
                key.pairs & self.pairs == self.pairs
                    && contains(key.digits.as_bytes(), digits.as_bytes())
            }
            None => {
                key.mask & self.mask == self.mask
                    && key.bigrams & self.bigrams == self.bigrams
                    && (self.bits_decide
                        || self
                            .words
                            .iter()
                            .all(|w| contains(key.text.as_bytes(), w.text.as_bytes())))
            }
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

/// Fills `rows` with every row index in `sort` order (ties keep book order),
/// reusing its allocation.
pub fn sort_rows(keys: &[RowKey], sort: Sort, rows: &mut Vec<usize>) {
    rows.clear();
    rows.extend(0..keys.len());
    sort_indices(keys, sort, rows);
}

/// Sorts row indices into `sort` order. The one place that sorts them: each
/// `sort_by` closure compiles the whole sort algorithm anew into the wasm.
fn sort_indices(keys: &[RowKey], sort: Sort, rows: &mut [usize]) {
    rows.sort_by(|&a, &b| in_order(keys, sort, a, b));
}

/// Merges the rows after the first `rows.len()` (a new page) into `rows`, which holds
/// those first rows in `sort` order: a sort of the page and one backward pass in
/// place, not a sort of the book.
pub fn merge_new_rows(keys: &[RowKey], sort: Sort, rows: &mut Vec<usize>) {
    let old = rows.len();
    let mut new: Vec<usize> = (old..keys.len()).collect();
    sort_indices(keys, sort, &mut new);
    rows.resize(keys.len(), 0);
    let (mut i, mut j) = (old, new.len());
    while j > 0 {
        let slot = i + j - 1;
        if i > 0 && in_order(keys, sort, rows[i - 1], new[j - 1]) == Ordering::Greater {
            rows[slot] = rows[i - 1];
            i -= 1;
        } else {
            rows[slot] = new[j - 1];
            j -= 1;
        }
    }
}

/// Fills `rows` with the rows of `order` (in its order) matching `query`: by digits
/// when it has three or more, else by name, company or e-mail. Reuses `rows` and the
/// scratch `hits`, so a keystroke allocates nothing once they have grown.
pub fn fill_matching(
    keys: &[RowKey],
    order: &[usize],
    query: &Query,
    hits: &mut Vec<bool>,
    rows: &mut Vec<usize>,
) {
    rows.clear();
    // Test the keys in book order (one pass through memory), then pick the hits in
    // display order from a small table: jumping through the keys in sorted order
    // costs a cache miss per row. `hits` is scratch the caller keeps.
    hits.clear();
    hits.extend(keys.iter().map(|key| query.matches(key)));
    rows.extend(
        order
            .iter()
            .copied()
            .filter(|&i| hits.get(i).copied().unwrap_or(false)),
    );
}

/// Keeps the rows of `rows` matching `query`: typing on narrows in place.
pub fn retain_matching(keys: &[RowKey], rows: &mut Vec<usize>, query: &Query) {
    rows.retain(|&i| keys.get(i).is_some_and(|key| query.matches(key)));
}

/// Past this share of the book (1 in N rows), a previous result is not narrowed in
/// place: its rows are in display order, so testing them jumps through the keys with
/// a cache miss each, and one pass over the book in book order is faster. At 100 000
/// contacts the second letter of a query narrowed ~60 000 rows in 11–17 ms; a pass
/// takes a few.
const NARROW_SHARE: usize = 8;

/// Fills `rows` with the rows of `order` matching `query`. When `narrows`, `rows`
/// holds the previous query's result and this query's is within it: a small one is
/// narrowed in place ([`retain_matching`]), a large one refilled ([`fill_matching`]).
pub fn filter_rows(
    keys: &[RowKey],
    order: &[usize],
    query: &Query,
    narrows: bool,
    hits: &mut Vec<bool>,
    rows: &mut Vec<usize>,
) {
    if narrows && rows.len() <= keys.len() / NARROW_SHARE {
        retain_matching(keys, rows, query);
    } else {
        fill_matching(keys, order, query, hits, rows);
    }
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
            version: 1,
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

    fn sorted_order(keys: &[RowKey], sort: Sort) -> Vec<usize> {
        let mut rows = Vec::new();
        sort_rows(keys, sort, &mut rows);
        rows
    }

    fn filter(keys: &[RowKey], order: &[usize], query: &Query) -> Vec<usize> {
        let (mut hits, mut rows) = (vec![true; 7], vec![99]);
        fill_matching(keys, order, query, &mut hits, &mut rows);
        rows
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
    fn words_match_in_any_order_each_within_a_field() {
        let keys = book();
        let order = sorted_order(&keys, Sort::default());
        let found = |typed: &str| filter(&keys, &order, &query(typed));
        assert_eq!(found("Whitfield Dana"), [0]);
        assert_eq!(found("dana   acme"), [0], "across fields, each word in one");
        assert_eq!(found("lovelace ada"), [1]);
        assert!(found("dana lovelace").is_empty(), "every word must match");
        assert!(query("bartik ada").narrows(&query("bartik")));
        assert!(query("bartik ad").narrows(&query("bartik a")));
        assert!(!query("bartik").narrows(&query("bartik ada")));
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
        let mut narrowed = filter(&keys, &order, &query("a"));
        retain_matching(&keys, &mut narrowed, &query("ada"));
        assert_eq!(narrowed, filter(&keys, &order, &query("ada")));
    }

    #[test]
    fn a_large_previous_result_is_refilled_a_small_one_narrowed_both_alike() {
        let keys: Vec<RowKey> = (0..64)
            .map(|i| {
                let name = if i % 2 == 0 {
                    format!("ada {i}")
                } else {
                    format!("bob {i}")
                };
                row_key(&contact(i, &name, None, "+14155550100"), str::to_lowercase)
            })
            .collect();
        let order = sorted_order(&keys, Sort::default());
        let expected = filter(&keys, &order, &query("ada 1"));
        assert_eq!(expected.len(), 5);
        let mut hits = Vec::new();
        // Half the book: refilled in one pass, the same rows in the same order.
        let mut rows = filter(&keys, &order, &query("ada"));
        filter_rows(&keys, &order, &query("ada 1"), true, &mut hits, &mut rows);
        assert_eq!(rows, expected);
        // A small result is narrowed in place (only its own rows are looked at).
        let mut small = vec![order[0], order[1]];
        filter_rows(&keys, &order, &query("ada 1"), true, &mut hits, &mut small);
        assert_eq!(small, [order[1]]);
        filter_rows(&keys, &order, &query("ada 1"), false, &mut hits, &mut small);
        assert_eq!(small, expected);
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
                let mut rows = sorted_order(&keys[..loaded], sort);
                merge_new_rows(&keys, sort, &mut rows);
                assert_eq!(
                    rows,
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

    #[test]
    fn presence_bits_never_hide_a_match() {
        let keys = book();
        let order = sorted_order(&keys, Sort::default());
        for typed in ["a", "y", "@", ".", "-", "z", "é", "ve", "ng@e", "q"] {
            let wanted = query(typed);
            let slow: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&i| keys[i].text.contains(typed))
                .collect();
            assert_eq!(filter(&keys, &order, &wanted), slow, "{typed:?}");
        }
        assert!(contains(b"abc", b""));
        assert!(contains(b"abc", b"bc"));
        assert!(!contains(b"ab", b"abc"));
        assert!(!contains(b"", b"a"));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn byte_scan_agrees_with_std(haystack in "[a-eé@. ]{0,16}", needle in "[a-eé@. ]{0,4}") {
            prop_assert_eq!(
                contains(haystack.as_bytes(), needle.as_bytes()),
                haystack.contains(needle.as_str())
            );
            let text = format!("{haystack}{SEPARATOR}x{SEPARATOR}y");
            let key = RowKey { mask: mask_of(&text), bigrams: bigrams_of(&text), text, name_end: 0, company_end: 0, digits: String::new(), pairs: 0, phone_end: 0 };
            let wanted = Query::new(&needle, str::to_lowercase);
            let every_word = needle.split_whitespace().all(|w| key.text.contains(w));
            prop_assert_eq!(wanted.matches(&key), every_word);
        }

        #[test]
        fn digit_pairs_never_hide_a_number(numbers in proptest::collection::vec("[0-9]{0,8}", 1..3), typed in "[0-9 -]{3,9}") {
            let contact = Contact {
                version: 1,
                id: 1,
                name: "x".into(),
                company: None,
                title: None,
                email: None,
                time_zone: None,
                numbers: numbers.iter().map(|raw| dialdesk_contract::ContactNumber {
                    label: "work".into(),
                    raw: raw.clone(),
                    ..Default::default()
                }).collect(),
            };
            let key = row_key(&contact, str::to_lowercase);
            let wanted = Query::new(&typed, str::to_lowercase);
            if let Some(digits) = &wanted.digits {
                prop_assert_eq!(wanted.matches(&key), key.digits.contains(digits.as_str()));
            }
        }

        #[test]
        fn merging_pages_equals_sorting_the_book(names in proptest::collection::vec("[a-d]{0,3}", 0..12), split in 0usize..12) {
            let contacts: Vec<Contact> = names.iter().enumerate().map(|(i, name)| Contact {
                version: 1,
                id: i as i64,
                name: name.clone(),
                company: None,
                title: None,
                email: None,
                time_zone: None,
                numbers: Vec::new(),
            }).collect();
            let keys: Vec<RowKey> = contacts.iter().map(|c| row_key(c, str::to_lowercase)).collect();
            let split = split.min(keys.len());
            let mut rows = Vec::new();
            sort_rows(&keys[..split], Sort::default(), &mut rows);
            merge_new_rows(&keys, Sort::default(), &mut rows);
            let mut whole = Vec::new();
            sort_rows(&keys, Sort::default(), &mut whole);
            prop_assert_eq!(rows, whole);
        }
    }
}
