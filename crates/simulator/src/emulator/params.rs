//! Query strings and form bodies as untrusted name/value lists, with checked accessors that say
//! which parameter is wrong and why.

use thiserror::Error;

/// A parameter that is missing, repeated or malformed.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ParamError {
    /// A required parameter is absent or empty.
    #[error("Missing field: {0}.")]
    Missing(&'static str),
    /// A single-valued parameter appears more than once.
    #[error("Invalid field: {0} is given more than once.")]
    Repeated(&'static str),
    /// A parameter's value is out of range or malformed.
    #[error("Invalid field: {name} {reason}.")]
    Invalid {
        /// The parameter.
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// The decoded pairs of a query string and/or an `application/x-www-form-urlencoded` body.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Decodes `raw` (percent-escapes and `+`; invalid UTF-8 is replaced, never refused).
    pub fn parse(raw: &str) -> Self {
        Self(
            form_urlencoded::parse(raw.as_bytes())
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
        )
    }

    /// The pairs of `self` followed by those of `other`.
    pub fn and(mut self, other: Self) -> Self {
        self.0.extend(other.0);
        self
    }

    /// The value of a single-valued parameter; an empty value counts as absent.
    pub fn one(&self, name: &'static str) -> Result<Option<&str>, ParamError> {
        let mut values = self.0.iter().filter(|(key, _)| key == name);
        let first = values.next().map(|(_, value)| value.as_str());
        if values.next().is_some() {
            return Err(ParamError::Repeated(name));
        }
        Ok(first.filter(|value| !value.is_empty()))
    }

    /// The value of a required single-valued parameter.
    pub fn required(&self, name: &'static str) -> Result<&str, ParamError> {
        self.one(name)?.ok_or(ParamError::Missing(name))
    }

    /// Whether the parameter appears at all.
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(key, _)| key == name)
    }

    /// Every value of a list parameter given as `name=a&name=b`, `name[]=a` or `name=a,b`,
    /// trimmed, without empties.
    pub fn list(&self, name: &str) -> Vec<&str> {
        let bracketed = format!("{name}[]");
        self.0
            .iter()
            .filter(|(key, _)| *key == name || *key == bracketed)
            .flat_map(|(_, value)| value.split(','))
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .collect()
    }

    /// `page_size`: `default` when absent, otherwise a whole number in `1..=max`.
    pub fn page_size(&self, default: usize, max: usize) -> Result<usize, ParamError> {
        let invalid = ParamError::Invalid {
            name: "page_size",
            reason: "must be a whole number between 1 and the endpoint's maximum",
        };
        match self.one("page_size")? {
            None => Ok(default),
            Some(text) => match text.trim().parse::<usize>() {
                Ok(size) if (1..=max).contains(&size) => Ok(size),
                _ => Err(invalid),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_checks() {
        let params = Params::parse("a=1&b=x%20y+z&c=&d=1&d=2&bad=%FF");
        assert_eq!(params.one("a"), Ok(Some("1")));
        assert_eq!(params.one("b"), Ok(Some("x y z")));
        assert_eq!(params.one("c"), Ok(None));
        assert_eq!(params.required("c"), Err(ParamError::Missing("c")));
        assert_eq!(params.one("d"), Err(ParamError::Repeated("d")));
        assert_eq!(params.one("bad"), Ok(Some("\u{fffd}")));
        assert!(params.has("c"));
        assert!(!params.has("e"));
    }

    #[test]
    fn lists_take_every_spelling() {
        let params = Params::parse("ids=a&ids[]=b&ids%5B%5D=c&ids=d,%20e,,&other=f");
        assert_eq!(params.list("ids"), ["a", "b", "c", "d", "e"]);
        assert!(params.list("none").is_empty());
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(Params::parse("").page_size(30, 300), Ok(30));
        assert_eq!(Params::parse("page_size=300").page_size(30, 300), Ok(300));
        for bad in ["0", "301", "-1", "ten", "1e2"] {
            let params = Params::parse(&format!("page_size={bad}"));
            assert!(params.page_size(30, 300).is_err(), "{bad}");
        }
    }

    #[test]
    fn merged_params_see_repeats_across_sources() {
        let merged = Params::parse("a=1").and(Params::parse("a=2&b=3"));
        assert_eq!(merged.one("a"), Err(ParamError::Repeated("a")));
        assert_eq!(merged.one("b"), Ok(Some("3")));
    }
}
