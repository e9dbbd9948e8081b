//! Issued authorization codes, access tokens and refresh tokens, and every string ever issued
//! (for `/__emu/tokens`, so tests can look for leaks).

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;

use super::pkce;

/// How long an authorization code may be exchanged.
const CODE_TTL_MS: u64 = 5 * 60 * 1000;
/// An access token's lifetime, as announced in `expires_in`.
pub const ACCESS_TTL_S: u64 = 3599;

/// Whom an access token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// An emulated user, by index (user OAuth).
    User(usize),
    /// The account (Server-to-Server OAuth).
    Account,
}

/// Why a code or refresh token was refused (`invalid_grant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantError {
    /// Unknown or already used code.
    InvalidCode,
    /// A code older than five minutes.
    ExpiredCode,
    /// `redirect_uri` differs from the authorize request's.
    RedirectMismatch,
    /// The verifier does not hash to the challenge.
    VerifierMismatch,
    /// Unknown or rotated-away refresh token.
    InvalidRefresh,
}

impl GrantError {
    /// The `reason` Zoom gives.
    pub fn reason(self) -> &'static str {
        match self {
            Self::InvalidCode => "Invalid authorization code",
            Self::ExpiredCode => "Authorization code is expired",
            Self::RedirectMismatch => "Redirect URI mismatch.",
            Self::VerifierMismatch => "Invalid code_verifier",
            Self::InvalidRefresh => "Invalid Token!",
        }
    }
}

/// A fresh user token pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The user it speaks for.
    pub user: usize,
    /// The new access token.
    pub access_token: String,
    /// The new refresh token.
    pub refresh_token: String,
}

struct Code {
    user: usize,
    redirect_uri: String,
    challenge: String,
    issued_ms: u64,
    used: bool,
}

struct Access {
    subject: Subject,
    issued_ms: u64,
    revoked: bool,
}

/// Every string ever issued, in order.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Issued {
    /// Access tokens.
    pub access_tokens: Vec<String>,
    /// Refresh tokens.
    pub refresh_tokens: Vec<String>,
    /// Authorization codes.
    pub codes: Vec<String>,
    /// Tokens revoked through `POST /oauth/revoke`, in order.
    pub revoked: Vec<String>,
}

/// The token state of one emulator.
#[derive(Default)]
pub struct Registry {
    codes: HashMap<String, Code>,
    access: HashMap<String, Access>,
    /// Refresh token → (user, still valid).
    refresh: HashMap<String, (usize, bool)>,
    issued: Issued,
}

impl Registry {
    /// A new single-use code for `user`, bound to the redirect URI and PKCE challenge.
    pub fn issue_code(
        &mut self,
        user: usize,
        redirect_uri: &str,
        challenge: &str,
        now_ms: u64,
    ) -> String {
        let code = random_token(24);
        self.codes.insert(
            code.clone(),
            Code {
                user,
                redirect_uri: redirect_uri.to_owned(),
                challenge: challenge.to_owned(),
                issued_ms: now_ms,
                used: false,
            },
        );
        self.issued.codes.push(code.clone());
        code
    }

    /// Exchanges a code for a token pair. Any presentation uses the code up, so a second one
    /// fails even after a failed first.
    pub fn redeem_code(
        &mut self,
        code: &str,
        redirect_uri: &str,
        verifier: &str,
        now_ms: u64,
    ) -> Result<Pair, GrantError> {
        let entry = self.codes.get_mut(code).ok_or(GrantError::InvalidCode)?;
        if entry.used {
            return Err(GrantError::InvalidCode);
        }
        entry.used = true;
        if now_ms.saturating_sub(entry.issued_ms) >= CODE_TTL_MS {
            return Err(GrantError::ExpiredCode);
        }
        if entry.redirect_uri != redirect_uri {
            return Err(GrantError::RedirectMismatch);
        }
        if !pkce::verify(verifier, &entry.challenge) {
            return Err(GrantError::VerifierMismatch);
        }
        let user = entry.user;
        Ok(self.issue_pair(user, now_ms))
    }

    /// Rotates a refresh token: a new pair, and the old refresh token refused from now on.
    pub fn rotate(&mut self, refresh_token: &str, now_ms: u64) -> Result<Pair, GrantError> {
        match self.refresh.get_mut(refresh_token) {
            Some((user, valid)) if *valid => {
                *valid = false;
                let user = *user;
                Ok(self.issue_pair(user, now_ms))
            }
            _ => Err(GrantError::InvalidRefresh),
        }
    }

    /// A Server-to-Server access token (no refresh token).
    pub fn issue_account_token(&mut self, now_ms: u64) -> String {
        self.issue_access(Subject::Account, now_ms)
    }

    /// Whom a Bearer token speaks for, if it is known, unrevoked and unexpired.
    pub fn authenticate(&self, token: &str, now_ms: u64) -> Option<Subject> {
        self.access
            .get(token)
            .filter(|access| {
                !access.revoked && now_ms.saturating_sub(access.issued_ms) < ACCESS_TTL_S * 1000
            })
            .map(|access| access.subject)
    }

    /// Revokes a user token (`POST /oauth/revoke`, inferred): a refresh token is refused
    /// from then on, an access token authenticates nothing. False for a token never
    /// issued (or an account token).
    pub fn revoke(&mut self, token: &str) -> bool {
        let known = if let Some((_, valid)) = self.refresh.get_mut(token) {
            *valid = false;
            true
        } else if let Some(access) = self
            .access
            .get_mut(token)
            .filter(|access| matches!(access.subject, Subject::User(_)))
        {
            access.revoked = true;
            true
        } else {
            false
        };
        if known {
            self.issued.revoked.push(token.to_owned());
        }
        known
    }

    /// Revokes every access token issued so far (the `expire_access_tokens` fault).
    pub fn expire_access_tokens(&mut self) {
        for access in self.access.values_mut() {
            access.revoked = true;
        }
    }

    /// Every string issued so far.
    pub fn issued(&self) -> &Issued {
        &self.issued
    }

    fn issue_pair(&mut self, user: usize, now_ms: u64) -> Pair {
        let access_token = self.issue_access(Subject::User(user), now_ms);
        let refresh_token = random_token(48);
        self.refresh.insert(refresh_token.clone(), (user, true));
        self.issued.refresh_tokens.push(refresh_token.clone());
        Pair {
            user,
            access_token,
            refresh_token,
        }
    }

    fn issue_access(&mut self, subject: Subject, now_ms: u64) -> String {
        let token = random_token(48);
        self.access.insert(
            token.clone(),
            Access {
                subject,
                issued_ms: now_ms,
                revoked: false,
            },
        );
        self.issued.access_tokens.push(token.clone());
        token
    }
}

/// `bytes` random bytes from the operating system's generator, base64url without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::fill(buffer.as_mut_slice());
    URL_SAFE_NO_PAD.encode(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    const REDIRECT: &str = "http://127.0.0.1:8080/auth/callback";

    #[test]
    fn a_code_is_single_use() {
        let mut registry = Registry::default();
        let code = registry.issue_code(2, REDIRECT, CHALLENGE, 0);
        let pair = registry
            .redeem_code(&code, REDIRECT, VERIFIER, 1)
            .expect("valid");
        assert_eq!(pair.user, 2);
        assert_eq!(
            registry.authenticate(&pair.access_token, 2),
            Some(Subject::User(2))
        );
        assert_eq!(
            registry.redeem_code(&code, REDIRECT, VERIFIER, 2),
            Err(GrantError::InvalidCode)
        );
    }

    #[test]
    fn codes_check_expiry_redirect_and_verifier() {
        let mut registry = Registry::default();
        let code = registry.issue_code(0, REDIRECT, CHALLENGE, 0);
        assert_eq!(
            registry.redeem_code(&code, REDIRECT, VERIFIER, CODE_TTL_MS),
            Err(GrantError::ExpiredCode)
        );
        let code = registry.issue_code(0, REDIRECT, CHALLENGE, 0);
        assert_eq!(
            registry.redeem_code(&code, "http://127.0.0.1:8080/auth/callback/", VERIFIER, 0),
            Err(GrantError::RedirectMismatch)
        );
        let code = registry.issue_code(0, REDIRECT, CHALLENGE, 0);
        assert_eq!(
            registry.redeem_code(&code, REDIRECT, &VERIFIER.replace('d', "D"), 0),
            Err(GrantError::VerifierMismatch)
        );
        assert_eq!(
            registry.redeem_code("nope", REDIRECT, VERIFIER, 0),
            Err(GrantError::InvalidCode)
        );
    }

    #[test]
    fn refresh_rotates_and_access_tokens_expire() {
        let mut registry = Registry::default();
        let code = registry.issue_code(1, REDIRECT, CHALLENGE, 0);
        let first = registry
            .redeem_code(&code, REDIRECT, VERIFIER, 0)
            .expect("valid");
        let second = registry.rotate(&first.refresh_token, 10).expect("valid");
        assert_ne!(second.refresh_token, first.refresh_token);
        assert_eq!(
            registry.rotate(&first.refresh_token, 20),
            Err(GrantError::InvalidRefresh)
        );
        assert!(registry.rotate(&second.refresh_token, 20).is_ok());
        assert_eq!(
            registry.authenticate(&second.access_token, ACCESS_TTL_S * 1000 + 9),
            Some(Subject::User(1))
        );
        assert_eq!(
            registry.authenticate(&second.access_token, ACCESS_TTL_S * 1000 + 10),
            None
        );
        let account = registry.issue_account_token(0);
        assert_eq!(registry.authenticate(&account, 0), Some(Subject::Account));
        registry.expire_access_tokens();
        assert_eq!(registry.authenticate(&account, 0), None);
        assert_eq!(registry.issued().access_tokens.len(), 4);
        assert_eq!(registry.issued().refresh_tokens.len(), 3);
        assert_eq!(registry.issued().codes, [code]);
    }

    #[test]
    fn random_tokens_differ() {
        assert_ne!(random_token(24), random_token(24));
        assert_eq!(random_token(48).len(), 64);
    }
}
