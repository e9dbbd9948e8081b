//! The contact table's view of the book: its order, what the search lets through,
//! and the window of rows on screen. The memos own their vectors: a load of 100 000
//! contacts or a keystroke reallocates nothing, and the wasm memory (which never
//! shrinks) does not keep a peak per load.

use dialdesk_contract::Contact;
use leptos::html::Div;
use leptos::prelude::*;

use super::ContactsCtx;
use crate::browser::lower;
use crate::domain::table::{filter_rows, merge_new_rows, sort_rows, Query, Sort};

/// Height of one row in CSS pixels; must match `--row-height` in `style/app.css`.
/// Whole pixels throughout: formatting floats would pull float printing into the wasm.
pub const ROW_HEIGHT: i32 = 40;
/// Rows rendered above and below the visible ones.
pub const OVERSCAN: usize = 4;
/// Rows visible before the table has been measured (a tall screen).
const FIRST_GUESS_ROWS: usize = 40;

/// The sorted order and what it was computed from, so a new page merges in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ordered {
    sort: Sort,
    revision: u32,
    /// Bumped at every computation: the filter narrows a result only of this order.
    generation: u64,
    rows: Vec<usize>,
}

/// The filtered rows and the query and order they came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shown {
    query: Query,
    generation: u64,
    /// Whether nothing is typed: then every row of the order shows, not copied.
    everything: bool,
    /// The matching rows; kept (with its capacity) while nothing is typed.
    rows: Vec<usize>,
    /// Scratch for the filter, kept so a keystroke allocates nothing.
    hits: Vec<bool>,
}

/// The table's state, provided as context to its parts; `Copy`.
#[derive(Debug, Clone, Copy)]
pub struct TableState {
    /// The book.
    pub book: ContactsCtx,
    /// The order.
    pub sort: RwSignal<Sort>,
    /// What the rep typed in the search box.
    pub query: RwSignal<String>,
    /// The current row (its contact id), for the keyboard and the mouse alike: the
    /// one row that takes the focus.
    pub selected: RwSignal<Option<i64>>,
    /// A row the keyboard moved to, until it has taken the focus.
    pub focus_wanted: RwSignal<Option<i64>>,
    /// How far the table is scrolled, in pixels.
    pub scroll_top: RwSignal<i32>,
    /// How many rows fit the scroller (measured).
    pub visible_rows: RwSignal<usize>,
    /// The scrolling element around the table.
    pub scroller: NodeRef<Div>,
    order: Memo<Ordered>,
    shown: Memo<Shown>,
    /// How many rows the search lets through.
    pub len: Memo<usize>,
    /// The place of the first rendered row.
    pub first: Memo<usize>,
    /// The rendered rows: their place in the filtered order and their contact.
    pub rows: Memo<Vec<(usize, Contact)>>,
}

impl TableState {
    /// The table's state over `book`, sorted by name, nothing typed.
    pub fn new(book: ContactsCtx) -> Self {
        let sort = RwSignal::new(Sort::default());
        let query = RwSignal::new(String::new());
        let scroll_top = RwSignal::new(0_i32);
        let visible_rows = RwSignal::new(FIRST_GUESS_ROWS);
        // A new page merges into the order; a new sort or an edited contact sorts again.
        let order = Memo::new_owning(move |previous: Option<Ordered>| {
            book.contacts.track();
            let sort = sort.get();
            let revision = book.revision.get_value();
            let mut ordered = previous.unwrap_or_default();
            book.keys.with_value(|keys| {
                if ordered.sort == sort
                    && ordered.revision == revision
                    && ordered.rows.len() <= keys.len()
                {
                    merge_new_rows(keys, sort, &mut ordered.rows);
                } else {
                    sort_rows(keys, sort, &mut ordered.rows);
                }
            });
            ordered.sort = sort;
            ordered.revision = revision;
            ordered.generation += 1;
            (ordered, true)
        });
        // Typing on filters the previous result in place, not the whole book.
        let shown = Memo::new_owning(move |previous: Option<Shown>| {
            let wanted = Query::new(&query.get(), lower);
            let mut shown = previous.unwrap_or_default();
            order.with(|order| {
                if !wanted.is_empty() {
                    book.keys.with_value(|keys| {
                        let narrowing = !shown.everything
                            && shown.generation == order.generation
                            && wanted.narrows(&shown.query);
                        filter_rows(
                            keys,
                            &order.rows,
                            &wanted,
                            narrowing,
                            &mut shown.hits,
                            &mut shown.rows,
                        );
                    });
                }
                shown.everything = wanted.is_empty();
                shown.generation = order.generation;
            });
            shown.query = wanted;
            (shown, true)
        });
        let with_shown = move |f: &mut dyn FnMut(&[usize])| {
            shown.with(|s| {
                if s.everything {
                    order.with(|o| f(&o.rows));
                } else {
                    f(&s.rows);
                }
            });
        };
        let len = Memo::new(move |_| {
            let mut len = 0;
            with_shown(&mut |rows| len = rows.len());
            len
        });
        let first = Memo::new(move |_| {
            let top_row = usize::try_from(scroll_top.get() / ROW_HEIGHT).unwrap_or(0);
            top_row.saturating_sub(OVERSCAN)
        });
        let rows = Memo::new(move |_| {
            let mut window = Vec::new();
            let count = visible_rows.get() + 2 * OVERSCAN;
            with_shown(&mut |shown| {
                book.contacts.with(|all| {
                    let start = first.get().min(shown.len());
                    let end = (start + count).min(shown.len());
                    window = (start..end)
                        .filter_map(|place| Some((place, all.get(shown[place])?.clone())))
                        .collect();
                });
            });
            window
        });
        Self {
            book,
            sort,
            query,
            selected: RwSignal::new(None),
            focus_wanted: RwSignal::new(None),
            scroll_top,
            visible_rows,
            scroller: NodeRef::new(),
            order,
            shown,
            len,
            first,
            rows,
        }
    }

    /// The rows rendered: the window plus overscan.
    pub fn window_rows(self) -> usize {
        self.visible_rows.get() + 2 * OVERSCAN
    }

    /// Scrolls the table to `top` pixels.
    pub fn scroll_to(self, top: i32) {
        if let Some(element) = self.scroller.get_untracked() {
            element.set_scroll_top(top);
        }
        self.scroll_top.set(top);
    }

    /// Takes the scroller's size and position: how many rows fit, how far it scrolled.
    pub fn measure(self, element: &web_sys::HtmlElement) {
        let fits = usize::try_from(element.client_height() / ROW_HEIGHT + 1).unwrap_or(1);
        if fits != self.visible_rows.get_untracked() {
            self.visible_rows.set(fits);
        }
        let top = element.scroll_top();
        if top != self.scroll_top.get_untracked() {
            self.scroll_top.set(top);
        }
    }

    /// Moves the current row by `step` within the rows shown, scrolling it into view;
    /// the row takes the focus.
    pub fn move_selection(self, step: isize) {
        let ids = self.shown_ids();
        let next = crate::domain::table::step_selection(&ids, self.selected.get_untracked(), step);
        self.selected.set(next);
        self.focus_wanted.set(next);
        let Some(place) = next.and_then(|id| ids.iter().position(|&i| i == id)) else {
            return;
        };
        let Some(element) = self.scroller.get_untracked() else {
            return;
        };
        let row_top = i32::try_from(place).unwrap_or(i32::MAX / ROW_HEIGHT) * ROW_HEIGHT;
        let view_top = element.scroll_top();
        // The sticky header covers one row at the top of the viewport.
        let view_height = element.client_height() - ROW_HEIGHT;
        if row_top < view_top {
            self.scroll_to(row_top);
        } else if row_top + ROW_HEIGHT > view_top + view_height {
            self.scroll_to(row_top + ROW_HEIGHT - view_height);
        }
    }

    /// The ids of every row the search lets through, in order (untracked).
    pub fn shown_ids(self) -> Vec<i64> {
        let mut ids = Vec::new();
        untrack(|| {
            let mut collect = |rows: &[usize]| {
                self.book.contacts.with(|all| {
                    ids = rows
                        .iter()
                        .filter_map(|&i| all.get(i))
                        .map(|c| c.id)
                        .collect();
                });
            };
            self.shown.with(|s| {
                if s.everything {
                    self.order.with(|o| collect(&o.rows));
                } else {
                    collect(&s.rows);
                }
            });
        });
        ids
    }

    /// The current row's contact, else the first row's (untracked): what Enter in the
    /// search box acts on.
    pub fn current_or_first(self) -> Option<Contact> {
        let id = self
            .selected
            .get_untracked()
            .or_else(|| self.shown_ids().first().copied())?;
        self.contact(id)
    }

    /// The contact of id `id` in the book (untracked).
    pub fn contact(self, id: i64) -> Option<Contact> {
        self.book
            .contacts
            .with_untracked(|all| all.iter().find(|c| c.id == id).cloned())
    }
}
