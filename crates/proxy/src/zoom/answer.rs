//! What a Zoom REST error answer means: its body (`{"code","message"}`,
//! contract §5.5) read tolerantly, then classified by HTTP status and code
//! together. Pure, so any bytes from the network can be tested.

use serde_json::Value;

use super::error::ZoomError;

/// Longest message kept from an error body, in characters.
const MAX_MESSAGE_CHARS: usize = 300;

/// Zoom's code for an invalid or expired access token (HTTP 401).
pub const CODE_INVALID_TOKEN: i64 = 124;
/// Zoom's code for "Zoom Phone has not been enabled for this account" (HTTP 403).
pub const CODE_PHONE_NOT_ENABLED: i64 = 2031;
/// Zoom's codes for a token without a needed scope.
pub const CODES_MISSING_SCOPE: [i64; 2] = [4711, 4700];
/// Zoom's code for an invalid or expired page token (HTTP 400).
pub const CODE_PAGE_TOKEN: i64 = 400;

/// The readable parts of an error body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorBody {
    /// `code` (a number, or a number written as a string).
    pub code: Option<i64>,
    /// `message` (or `reason`, or `error`), shortened and without control
    /// characters; empty when the body had none.
    pub message: String,
}

/// What a non-success answer calls for.
#[derive(Debug)]
pub enum Verdict {
    /// The access token was refused (HTTP 401 with code 124 or no code):
    /// renew it once and try again.
    RenewToken,
    /// A failure to report as it is.
    Fail(ZoomError),
}

/// Reads an error body; anything that is not a JSON object gives an empty
/// [`ErrorBody`].
pub fn parse_error_body(body: &[u8]) -> ErrorBody {
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return ErrorBody::default();
    };
    let code = fields.get("code").and_then(|code| match code {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    });
    let message = ["message", "reason", "error"]
        .iter()
        .find_map(|key| fields.get(*key).and_then(Value::as_str))
        .map(clean)
        .unwrap_or_default();
    ErrorBody { code, message }
}

/// What a non-success `status` with `body` means.
pub fn classify(status: u16, body: &ErrorBody) -> Verdict {
    let message = || {
        if body.message.is_empty() {
            format!("HTTP {status}")
        } else {
            body.message.clone()
        }
    };
    let error = match (status, body.code) {
        (401, Some(CODE_INVALID_TOKEN) | None) => return Verdict::RenewToken,
        (403, Some(CODE_PHONE_NOT_ENABLED)) => ZoomError::PhoneNotEnabled,
        (400..=499, Some(code)) if CODES_MISSING_SCOPE.contains(&code) => {
            ZoomError::MissingScope(message())
        }
        (400, Some(CODE_PAGE_TOKEN)) => ZoomError::PageTokenExpired,
        (404, _) => ZoomError::NotFound(message()),
        (status, code) => ZoomError::Zoom {
            status,
            code,
            message: message(),
        },
    };
    Verdict::Fail(error)
}

/// `text` without control characters, at most [`MAX_MESSAGE_CHARS`] long.
pub fn clean(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_MESSAGE_CHARS)
        .collect();
    if text.chars().count() > MAX_MESSAGE_CHARS {
        out.push('…');
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn verdict(status: u16, body: &str) -> Verdict {
        classify(status, &parse_error_body(body.as_bytes()))
    }

    #[test]
    fn bodies_are_read_tolerantly() {
        assert_eq!(
            parse_error_body(br#"{"code":124,"message":"Invalid access token."}"#),
            ErrorBody {
                code: Some(124),
                message: "Invalid access token.".to_owned()
            }
        );
        assert_eq!(
            parse_error_body(br#"{"code":"2031","message":"x\ny","extra":[1]}"#),
            ErrorBody {
                code: Some(2031),
                message: "x y".to_owned()
            }
        );
        assert_eq!(
            parse_error_body(br#"{"reason":"Invalid Token!","error":"invalid_request"}"#).message,
            "Invalid Token!"
        );
        for junk in [
            &b""[..],
            b"<html>",
            b"[1,2]",
            b"\xff\xfe",
            b"{\"code\":1.5}",
            b"null",
        ] {
            assert_eq!(parse_error_body(junk).code, None);
        }
        let long = format!(r#"{{"message":"{}"}}"#, "a".repeat(1000));
        assert_eq!(
            parse_error_body(long.as_bytes()).message.chars().count(),
            301
        );
    }

    #[test]
    fn status_and_code_decide_together() {
        assert!(matches!(
            verdict(401, r#"{"code":124,"message":"Access token is expired."}"#),
            Verdict::RenewToken
        ));
        assert!(matches!(verdict(401, ""), Verdict::RenewToken));
        assert!(matches!(
            verdict(
                403,
                r#"{"code":2031,"message":"Zoom Phone has not been enabled"}"#
            ),
            Verdict::Fail(ZoomError::PhoneNotEnabled)
        ));
        let Verdict::Fail(ZoomError::MissingScope(message)) = verdict(
            400,
            r#"{"code":4711,"message":"Invalid access token, does not contain scopes:[phone:read:admin]"}"#,
        ) else {
            panic!("not a missing scope");
        };
        assert!(message.contains("phone:read:admin"));
        assert!(matches!(
            verdict(400, r#"{"code":4700,"message":"m"}"#),
            Verdict::Fail(ZoomError::MissingScope(_))
        ));
        assert!(matches!(
            verdict(
                400,
                r#"{"code":400,"message":"The next page token is invalid or expired"}"#
            ),
            Verdict::Fail(ZoomError::PageTokenExpired)
        ));
        assert!(matches!(
            verdict(
                404,
                r#"{"code":1001,"message":"Recording does not exist: 1"}"#
            ),
            Verdict::Fail(ZoomError::NotFound(_))
        ));
        let Verdict::Fail(ZoomError::Zoom {
            status,
            code,
            message,
        }) = verdict(400, r#"{"code":300,"message":"Invalid field."}"#)
        else {
            panic!("not a plain Zoom error");
        };
        assert_eq!(
            (status, code, message.as_str()),
            (400, Some(300), "Invalid field.")
        );
        // The code alone decides nothing: 2031 on a 400 is a plain error.
        assert!(matches!(
            verdict(400, r#"{"code":2031}"#),
            Verdict::Fail(ZoomError::Zoom { .. })
        ));
        let Verdict::Fail(err) = verdict(401, r#"{"code":300}"#) else {
            panic!("a 401 with another code is not a token problem");
        };
        assert_eq!(
            err.to_string(),
            "Zoom answered HTTP 401 (code 300): HTTP 401"
        );
    }

    proptest! {
        #[test]
        fn no_body_panics(status in 0u16..=999, body in proptest::collection::vec(any::<u8>(), 0..200)) {
            let parsed = parse_error_body(&body);
            prop_assert!(parsed.message.chars().count() <= MAX_MESSAGE_CHARS + 1);
            let _ = classify(status, &parsed);
        }

        #[test]
        fn no_json_body_panics(code in any::<i64>(), message in ".{0,400}", status in 400u16..600) {
            let body = serde_json::json!({"code": code, "message": message}).to_string();
            let parsed = parse_error_body(body.as_bytes());
            prop_assert_eq!(parsed.code, Some(code));
            let _ = classify(status, &parsed);
        }
    }
}
