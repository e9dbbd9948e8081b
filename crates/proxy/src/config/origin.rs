//! Web origins and http(s) URLs, parsed and normalised.

use url::Url;

/// Why a URL or origin was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginError {
    /// Not a URL at all.
    #[error("{0:?} is not a URL ({1})")]
    NotAUrl(String, String),
    /// Not http or https.
    #[error("{0:?} must start with https:// or http://")]
    Scheme(String),
    /// Carries a path, query, fragment or user name, which an origin cannot have.
    #[error("{0:?} is not an origin: write only scheme, host and port, e.g. https://applications.zoom.us")]
    NotAnOrigin(String),
    /// Carries a user name or password.
    #[error("{0:?} must not contain a user name or password")]
    Credentials(String),
}

/// A normalised origin: scheme, lower-case host and port, default ports dropped,
/// no path and no trailing slash (e.g. `https://applications.zoom.us`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin(String);

impl Origin {
    /// Parses an origin such as `https://Example.com:443/` (→ `https://example.com`).
    pub fn parse(text: &str) -> Result<Self, OriginError> {
        let url = parse_http_url(text)?;
        let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
        if !bare {
            return Err(OriginError::NotAnOrigin(text.to_owned()));
        }
        Ok(Self::of(&url))
    }

    /// The origin of an http(s) URL.
    pub fn of(url: &Url) -> Self {
        Self(url.origin().ascii_serialization())
    }

    /// The origin as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses an absolute http or https URL with a host and without credentials.
pub fn parse_http_url(text: &str) -> Result<Url, OriginError> {
    let url =
        Url::parse(text).map_err(|err| OriginError::NotAUrl(text.to_owned(), err.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(OriginError::Scheme(text.to_owned()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(OriginError::Credentials(text.to_owned()));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised() {
        let cases = [
            (
                "https://applications.zoom.us",
                "https://applications.zoom.us",
            ),
            (
                "https://applications.zoom.us/",
                "https://applications.zoom.us",
            ),
            (
                "HTTPS://Applications.Zoom.US:443",
                "https://applications.zoom.us",
            ),
            ("http://localhost:80/", "http://localhost"),
            ("http://localhost:8081", "http://localhost:8081"),
            ("http://127.0.0.1:9000/", "http://127.0.0.1:9000"),
        ];
        for (input, expected) in cases {
            assert_eq!(Origin::parse(input).unwrap().as_str(), expected, "{input}");
        }
    }

    #[test]
    fn non_origins_are_refused() {
        for bad in [
            "https://applications.zoom.us/integration",
            "https://a.example/?x=1",
            "https://a.example/#f",
            "ftp://a.example",
            "applications.zoom.us",
            "https://user:pw@a.example",
            "",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn origin_of_a_url_drops_the_path() {
        let url =
            parse_http_url("https://applications.zoom.us/integration/phone/embeddablephone/home")
                .unwrap();
        assert_eq!(Origin::of(&url).as_str(), "https://applications.zoom.us");
    }
}
