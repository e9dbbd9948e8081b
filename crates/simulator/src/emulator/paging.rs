//! `next_page_token`s: opaque, bound to the filters of the query that issued them, expiring
//! 15 minutes after issue. A token also carries the instant its listing was first taken, so
//! later pages see the same calls.

use std::collections::HashMap;

use thiserror::Error;

/// How long a page token stays valid.
pub const PAGE_TOKEN_TTL_MS: u64 = 15 * 60 * 1000;

/// A token that is unknown, bound to other filters, or expired (400, code 400).
#[derive(Debug, Error, PartialEq, Eq)]
#[error("The next page token is invalid or expired.")]
pub struct PageTokenError;

/// Where a page token continues a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resume {
    /// Index of the page's first item.
    pub offset: usize,
    /// When the listing's first page was taken.
    pub as_of_ms: u64,
}

struct Entry {
    filters: String,
    resume: Resume,
    issued_ms: u64,
}

/// The page tokens issued and not yet pruned.
#[derive(Default)]
pub struct PageTokens {
    live: HashMap<String, Entry>,
}

/// One page of a listing of `total` items.
#[derive(Debug, PartialEq, Eq)]
pub struct Page {
    /// The items' index range.
    pub items: std::ops::Range<usize>,
    /// The token for the next page, or `""` after the last.
    pub next_page_token: String,
}

impl PageTokens {
    /// Where `token` continues a listing with `filters`, as of `now_ms`.
    pub fn resolve(
        &self,
        token: &str,
        filters: &str,
        now_ms: u64,
    ) -> Result<Resume, PageTokenError> {
        match self.live.get(token) {
            Some(entry)
                if entry.filters == filters
                    && now_ms.saturating_sub(entry.issued_ms) < PAGE_TOKEN_TTL_MS =>
            {
                Ok(entry.resume)
            }
            _ => Err(PageTokenError),
        }
    }

    /// The page at `resume` of `total` items, `size` at a time, issuing the next token if any.
    pub fn page(
        &mut self,
        filters: &str,
        resume: Resume,
        total: usize,
        size: usize,
        now_ms: u64,
    ) -> Page {
        let start = resume.offset.min(total);
        let end = start.saturating_add(size).min(total);
        let next_page_token = if end < total {
            self.issue(
                filters,
                Resume {
                    offset: end,
                    ..resume
                },
                now_ms,
            )
        } else {
            String::new()
        };
        Page {
            items: start..end,
            next_page_token,
        }
    }

    /// Invalidates every token issued so far.
    pub fn expire_all(&mut self) {
        self.live.clear();
    }

    fn issue(&mut self, filters: &str, resume: Resume, now_ms: u64) -> String {
        self.live
            .retain(|_, entry| now_ms.saturating_sub(entry.issued_ms) < PAGE_TOKEN_TTL_MS);
        let token = super::tokens::random_token(24);
        self.live.insert(
            token.clone(),
            Entry {
                filters: filters.to_owned(),
                resume,
                issued_ms: now_ms,
            },
        );
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: Resume = Resume {
        offset: 0,
        as_of_ms: 1_000,
    };

    #[test]
    fn pages_walk_to_the_end() {
        let mut tokens = PageTokens::default();
        let first = tokens.page("f", START, 7, 3, 1_000);
        assert_eq!(first.items, 0..3);
        let resume = tokens
            .resolve(&first.next_page_token, "f", 2_000)
            .expect("valid");
        assert_eq!(
            resume,
            Resume {
                offset: 3,
                as_of_ms: 1_000
            }
        );
        let second = tokens.page("f", resume, 7, 3, 2_000);
        assert_eq!(second.items, 3..6);
        let resume = tokens
            .resolve(&second.next_page_token, "f", 2_000)
            .expect("valid");
        let last = tokens.page("f", resume, 7, 3, 2_000);
        assert_eq!(
            last,
            Page {
                items: 6..7,
                next_page_token: String::new()
            }
        );
        assert_eq!(tokens.page("f", START, 0, 3, 0).items, 0..0);
    }

    #[test]
    fn tokens_are_bound_to_their_filters() {
        let mut tokens = PageTokens::default();
        let first = tokens.page("from=a", START, 10, 5, 1_000);
        assert_eq!(
            tokens.resolve(&first.next_page_token, "from=b", 1_000),
            Err(PageTokenError)
        );
        assert_eq!(
            tokens.resolve("made-up", "from=a", 1_000),
            Err(PageTokenError)
        );
    }

    #[test]
    fn tokens_expire_after_15_minutes() {
        let mut tokens = PageTokens::default();
        let first = tokens.page("f", START, 10, 5, 1_000);
        let token = first.next_page_token;
        assert!(tokens
            .resolve(&token, "f", 1_000 + PAGE_TOKEN_TTL_MS - 1)
            .is_ok());
        assert_eq!(
            tokens.resolve(&token, "f", 1_000 + PAGE_TOKEN_TTL_MS),
            Err(PageTokenError)
        );
        let again = tokens.page("f", START, 10, 5, 1_000).next_page_token;
        tokens.expire_all();
        assert_eq!(tokens.resolve(&again, "f", 1_000), Err(PageTokenError));
    }
}
