//! The authorize pages: "Sign in to Zoom (emulator)" with one button per emulated user, and the
//! 400 page for a request the emulator refuses.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::directory::{users, GUEST};

/// The page's policy: no scripts at all, styles inline, forms back to itself only.
const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; \
     base-uri 'none'; frame-ancestors 'none'";

/// The sign-in page's policy: [`PAGE_CSP`], except that the form may also land on the
/// redirect URI's origin. Browsers check `form-action` on the redirect that follows a
/// submission too, so with `'self'` alone the 302 to the client's callback is blocked.
fn sign_in_csp(redirect_uri: &str) -> String {
    let origin = redirect_uri
        .split_once("://")
        .map(|(scheme, rest)| {
            let end = rest.find(['/', '?']).unwrap_or(rest.len());
            format!("{scheme}://{}", &rest[..end])
        })
        .filter(|origin| {
            origin
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:/[]".contains(&b))
        });
    match origin {
        Some(origin) => PAGE_CSP.replace(
            "form-action 'self'",
            &format!("form-action 'self' {origin}"),
        ),
        None => PAGE_CSP.to_owned(),
    }
}

/// The hidden fields that carry an authorize request through the sign-in form.
pub struct Hidden<'a> {
    /// `client_id`.
    pub client_id: &'a str,
    /// `redirect_uri`.
    pub redirect_uri: &'a str,
    /// `state`, if the request had one.
    pub state: Option<&'a str>,
    /// `code_challenge`.
    pub code_challenge: &'a str,
}

/// The sign-in page: one form, one submit button per user (`name="user"`,
/// `data-user="<email>"`), and a cancel button.
pub fn sign_in(hidden: &Hidden<'_>) -> Response {
    let mut fields = String::new();
    for (name, value) in [
        ("response_type", Some("code")),
        ("client_id", Some(hidden.client_id)),
        ("redirect_uri", Some(hidden.redirect_uri)),
        ("state", hidden.state),
        ("code_challenge", Some(hidden.code_challenge)),
        ("code_challenge_method", Some("S256")),
    ] {
        if let Some(value) = value {
            fields.push_str(&format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">\n",
                escape(value)
            ));
        }
    }
    let buttons: String = users()
        .iter()
        .map(|user| (user, ""))
        .chain([(&GUEST, " · another Zoom account")])
        .map(|(user, note)| {
            format!(
                "<li><button type=\"submit\" name=\"user\" value=\"{email}\" data-user=\"{email}\">\
                 {name} &lt;{email}&gt; (ext. {ext}){note}</button></li>\n",
                email = escape(user.email),
                name = escape(&user.name()),
                ext = user.extension_number,
            )
        })
        .collect();
    html(
        StatusCode::OK,
        &sign_in_csp(hidden.redirect_uri),
        &format!(
            "<h1>Sign in to Zoom (emulator)</h1>\n\
             <p>Choose the emulated user to sign in as.</p>\n\
             <form method=\"post\" action=\"/oauth/authorize\">\n{fields}<ul>\n{buttons}</ul>\n\
             <button type=\"submit\" name=\"deny\" value=\"1\">Cancel</button>\n</form>"
        ),
    )
}

/// The page for a refused authorize request: 400 with the reason.
pub fn refused(reason: &str) -> Response {
    html(
        StatusCode::BAD_REQUEST,
        PAGE_CSP,
        &format!(
            "<h1>Sign in to Zoom (emulator)</h1>\n<p role=\"alert\">Invalid request: {}</p>",
            escape(reason)
        ),
    )
}

fn html(status: StatusCode, csp: &str, body: &str) -> Response {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Sign in to Zoom (emulator)</title></head>\n<body>\n{body}\n</body></html>\n"
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, csp),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

/// Escapes text for HTML content and double-quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_form_may_land_on_the_redirect_origin_only() {
        let csp = sign_in_csp("http://127.0.0.1:8080/auth/callback?x=1");
        assert!(
            csp.contains("form-action 'self' http://127.0.0.1:8080;"),
            "{csp}"
        );
        assert!(csp.contains("default-src 'none'"), "{csp}");
        // Anything that could smuggle a directive in keeps the policy as it was.
        assert_eq!(sign_in_csp("http://a;script-src*/cb"), PAGE_CSP);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("\"><script>alert('x')</script>&"),
            "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
    }
}
