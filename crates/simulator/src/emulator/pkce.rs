//! PKCE with the S256 method (RFC 7636): the challenge is the unpadded base64url SHA-256 of the
//! verifier.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// Whether `challenge` can be an S256 challenge: 43 base64url characters.
pub fn challenge_is_valid(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `verifier` is a well-formed verifier: 43 to 128 unreserved characters.
fn verifier_is_valid(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The S256 challenge of `verifier`.
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether `verifier` is well formed and hashes to `challenge`.
pub fn verify(verifier: &str, challenge: &str) -> bool {
    verifier_is_valid(verifier) && s256(verifier) == challenge
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636, appendix B.
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn the_rfc_example_verifies() {
        assert_eq!(s256(VERIFIER), CHALLENGE);
        assert!(challenge_is_valid(CHALLENGE));
        assert!(verify(VERIFIER, CHALLENGE));
    }

    #[test]
    fn wrong_or_malformed_verifiers_fail() {
        assert!(!verify(&VERIFIER.replace('d', "e"), CHALLENGE));
        assert!(!verify("short", &s256("short")));
        let spaced = format!("{VERIFIER} ");
        assert!(!verify(&spaced, &s256(&spaced)));
        assert!(!verify(&"a".repeat(129), &s256(&"a".repeat(129))));
        assert!(verify(&"a".repeat(128), &s256(&"a".repeat(128))));
    }

    #[test]
    fn challenges_are_43_base64url_characters() {
        assert!(!challenge_is_valid(""));
        assert!(!challenge_is_valid(&CHALLENGE[1..]));
        assert!(!challenge_is_valid(&CHALLENGE.replace('-', "+")));
        assert!(!challenge_is_valid("plain-verifier-that-is-not-a-hash"));
    }
}
