//! The Content-Security-Policy of the app, computed once at start
//! from `index.html`: each inline script is allowed by its SHA-256 hash.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::config::Origin;

/// The policy for an app whose `index.html` is `html` and whose Smart Embed
/// comes from `embed_origin`; `script_origin` is the loader script's origin in
/// `sdk.js` mode, the only mode that loads a foreign script.
pub fn policy(html: &str, embed_origin: &Origin, script_origin: Option<&Origin>) -> String {
    let mut hashes: Vec<String> = Vec::new();
    for script in inline_scripts(html) {
        let hash = format!("'sha256-{}'", script_hash(script));
        if !hashes.contains(&hash) {
            hashes.push(hash);
        }
    }
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    if let Some(origin) = script_origin {
        script_src.push(' ');
        script_src.push_str(&origin.to_string());
    }
    for hash in &hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; frame-src {embed_origin}; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'self'; form-action 'self'"
    )
}

/// Base64 SHA-256 of a script's text as the browser sees it (the HTML parser
/// turns CR LF and lone CR into LF before the hash is taken).
pub fn script_hash(script: &str) -> String {
    let text = script.replace("\r\n", "\n").replace('\r', "\n");
    BASE64.encode(Sha256::digest(text.as_bytes()))
}

/// The text of every `<script>` element without a `src` attribute, in order.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    // ASCII lower-casing keeps every byte offset, so positions found in `lower`
    // are valid in `html`.
    let lower = html.to_ascii_lowercase();
    let mut scripts = Vec::new();
    let mut pos = 0;
    while let Some(found) = lower.get(pos..).and_then(|rest| rest.find("<script")) {
        let name_end = pos + found + "<script".len();
        let boundary = lower.as_bytes().get(name_end).copied();
        if !boundary.is_some_and(|b| b.is_ascii_whitespace() || b == b'>' || b == b'/') {
            pos = name_end;
            continue;
        }
        let Some(tag_end) = end_of_tag(&lower, name_end) else {
            break;
        };
        let content_start = tag_end + 1;
        let Some(close) = lower
            .get(content_start..)
            .and_then(|rest| rest.find("</script"))
        else {
            break;
        };
        let content_end = content_start + close;
        let attributes = lower.get(name_end..tag_end).unwrap_or_default();
        if !has_attribute(attributes, "src") {
            if let Some(text) = html.get(content_start..content_end) {
                scripts.push(text);
            }
        }
        pos = content_end + "</script".len();
    }
    scripts
}

/// Index of the `>` that closes the tag whose attributes start at `from`,
/// skipping quoted attribute values.
fn end_of_tag(html: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (offset, byte) in html.as_bytes().get(from..)?.iter().enumerate() {
        match (quote, byte) {
            (Some(q), b) if *b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(*byte),
            (None, b'>') => return Some(from + offset),
            (None, _) => {}
        }
    }
    None
}

/// Whether the (lower-case) attribute text of a tag has attribute `wanted`.
fn has_attribute(attributes: &str, wanted: &str) -> bool {
    let bytes = attributes.as_bytes();
    let mut i = 0;
    let skip_space = |mut i: usize| {
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            i += 1;
        }
        i
    };
    while i < bytes.len() {
        i = skip_space(i);
        let start = i;
        while bytes
            .get(i)
            .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'=' && *b != b'/')
        {
            i += 1;
        }
        if attributes.get(start..i) == Some(wanted) {
            return true;
        }
        if start == i {
            i += 1;
            continue;
        }
        let mut j = i;
        while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        match bytes.get(j) {
            Some(&quote @ (b'"' | b'\'')) => {
                j += 1;
                while bytes.get(j).is_some_and(|b| *b != quote) {
                    j += 1;
                }
                j += 1;
            }
            _ => {
                while bytes.get(j).is_some_and(|b| !b.is_ascii_whitespace()) {
                    j += 1;
                }
            }
        }
        i = j;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_INDEX: &str = r#"<!DOCTYPE html>
<html><head>
<link rel="modulepreload" href="/dialdesk-0123456789abcdef.js" crossorigin="anonymous">
<script src="/other.js"></script>
<SCRIPT data-note="a > b" type="module">
import init from '/dialdesk-0123456789abcdef.js';
await init({ module_or_path: '/dialdesk-0123456789abcdef_bg.wasm' });
</SCRIPT>
<script type = 'module' data-src="x">console.log(1)</script>
<scripted>not a script</scripted>
</head><body></body></html>"#;

    #[test]
    fn finds_inline_scripts_only() {
        let scripts = inline_scripts(TRUNK_INDEX);
        assert_eq!(scripts.len(), 2);
        assert!(scripts[0].starts_with("\nimport init"));
        assert_eq!(scripts[1], "console.log(1)");
    }

    #[test]
    fn attribute_detection() {
        assert!(has_attribute(" src=\"/a.js\"", "src"));
        assert!(has_attribute(" type=module src", "src"));
        assert!(has_attribute(" defer\tsrc='x'", "src"));
        assert!(!has_attribute(" data-src=\"x\" type=\"module\"", "src"));
        assert!(!has_attribute(" title=\"src=x\"", "src"));
        assert!(!has_attribute("", "src"));
    }

    #[test]
    fn hashes_match_the_browser() {
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            script_hash("alert(1)"),
            "bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI="
        );
        assert_eq!(script_hash("a\r\nb"), script_hash("a\nb"));
    }

    #[test]
    fn policy_lists_hashes_and_the_embed_origin() {
        let origin = Origin::parse("http://localhost:7001").unwrap();
        let csp = policy(TRUNK_INDEX, &origin, None);
        assert!(
            csp.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-")
        );
        assert_eq!(csp.matches("'sha256-").count(), 2);
        assert!(csp.contains("; frame-src http://localhost:7001;"));
        assert!(csp.ends_with("frame-ancestors 'self'; form-action 'self'"));
        let none = policy("<p>no scripts</p>", &origin, None);
        assert!(none.contains("script-src 'self' 'wasm-unsafe-eval'; style-src"));
    }

    #[test]
    fn sdk_mode_allows_the_loader_origin_only_in_script_src() {
        let origin = Origin::parse("http://localhost:7001").unwrap();
        let loader = Origin::parse("https://sdk.example").unwrap();
        let csp = policy("<p>no scripts</p>", &origin, Some(&loader));
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' https://sdk.example;"));
        assert_eq!(csp.matches("https://sdk.example").count(), 1);
    }
}
