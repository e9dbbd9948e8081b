//! Every page of a Zoom listing: the same query plus `next_page_token` until
//! it comes back empty or absent (contract §5.3). A page token that expires
//! mid-listing starts the listing over once; a cap bounds what is read.

use serde_json::Value;

use super::client::{Auth, ZoomClient};
use super::error::ZoomError;

/// Most pages read in one listing, whatever the item cap.
const MAX_PAGES: usize = 10_000;

/// One listing: where, with which filters, and how many items at most.
#[derive(Debug, Clone, Copy)]
pub struct Listing<'a> {
    /// The REST path.
    pub path: &'a str,
    /// The filters, sent with every page.
    pub query: &'a [(&'a str, &'a str)],
    /// Most items read; more is [`ZoomError::TooManyItems`].
    pub cap: usize,
}

/// The `next_page_token` of a page; `None` when absent, empty or not a string.
pub fn next_page_token(page: &Value) -> Option<&str> {
    page.get("next_page_token")
        .and_then(Value::as_str)
        .filter(|token| !token.is_empty())
}

/// Reads every page of `listing` for `auth`. `rows` turns a page into its
/// items; `progress` hears the number of items read so far after each page.
pub async fn list_all<T, R, P>(
    client: &ZoomClient,
    auth: &Auth,
    listing: Listing<'_>,
    mut rows: R,
    mut progress: P,
) -> Result<Vec<T>, ZoomError>
where
    R: FnMut(&Value) -> Result<Vec<T>, ZoomError>,
    P: FnMut(usize),
{
    let mut restarted = false;
    'listing: loop {
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = listing.query.to_vec();
            if let Some(token) = &token {
                query.push(("next_page_token", token));
            }
            let page: Value = match client.get_json(auth, listing.path, &query).await {
                Ok(page) => page,
                Err(ZoomError::PageTokenExpired) if token.is_some() && !restarted => {
                    tracing::info!(
                        path = listing.path,
                        "Zoom's page token expired; listing again from the start"
                    );
                    restarted = true;
                    continue 'listing;
                }
                Err(err) => return Err(err),
            };
            items.extend(rows(&page)?);
            if items.len() > listing.cap {
                return Err(ZoomError::TooManyItems { limit: listing.cap });
            }
            progress(items.len());
            match next_page_token(&page) {
                Some(next) if token.as_deref() == Some(next) => {
                    return Err(ZoomError::BadResponse(format!(
                        "{}: the same page token came back twice",
                        listing.path
                    )));
                }
                Some(next) => token = Some(next.to_owned()),
                None => return Ok(items),
            }
        }
        return Err(ZoomError::BadResponse(format!(
            "{}: more than {MAX_PAGES} pages",
            listing.path
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn page_tokens_are_read_tolerantly() {
        assert_eq!(
            next_page_token(&json!({"next_page_token": "abc"})),
            Some("abc")
        );
        assert_eq!(next_page_token(&json!({"next_page_token": ""})), None);
        assert_eq!(next_page_token(&json!({"next_page_token": null})), None);
        assert_eq!(next_page_token(&json!({"next_page_token": 5})), None);
        assert_eq!(next_page_token(&json!({})), None);
        assert_eq!(next_page_token(&json!([1])), None);
    }
}
