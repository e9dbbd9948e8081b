//! Secrets at rest: the Zoom tokens and the session signing key are sealed with
//! XChaCha20-Poly1305 before they reach the database, under a key that is not in
//! it: `DIALDESK_SECRET_KEY` (64 hex digits), or else a key file created beside the
//! database on first run, readable by its owner alone. Each sealed value is bound to
//! its place (table, column, row) so one cannot be moved into another's.
//!
//! Rotation: with `DIALDESK_SECRET_KEY_OLD` set too, values sealed with the old key
//! still open, and the proxy re-seals everything with the new key at start.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::config::Secret;

/// Bytes of a key.
pub const KEY_LEN: usize = 32;
/// Bytes of a nonce.
const NONCE_LEN: usize = 24;
/// How a sealed value starts: the format's version.
const SEALED_PREFIX: &str = "v1.";

/// Why the key could not be had, in words that say what to fix.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// A key in the environment is not 64 hex digits.
    #[error("{0} must be 64 hexadecimal digits (32 bytes), such as the output of `openssl rand -hex 32`")]
    BadKey(&'static str),
    /// The key file cannot be read, created or trusted.
    #[error("secret key file {}: {problem}", path.display())]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        problem: String,
    },
}

/// A sealed value that does not open with any key given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a secret in the database does not open with DIALDESK_SECRET_KEY (nor the key file); \
     set it to the key the database was written with, or that key as DIALDESK_SECRET_KEY_OLD \
     to rotate"
)]
pub struct SealError;

/// The keys: the current one seals, the old one (while rotating) only opens.
#[derive(Clone)]
pub struct Vault {
    current: XChaCha20Poly1305,
    old: Option<XChaCha20Poly1305>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(hidden)")
    }
}

impl Vault {
    /// A vault of `key`, opening values of `old` too.
    pub fn new(key: &[u8; KEY_LEN], old: Option<&[u8; KEY_LEN]>) -> Self {
        Self {
            current: XChaCha20Poly1305::new(key.into()),
            old: old.map(|key| XChaCha20Poly1305::new(key.into())),
        }
    }

    /// The vault of `key` (`DIALDESK_SECRET_KEY`), else of the key file beside the
    /// database `db_path` (created on first run, mode 0600); `old`
    /// (`DIALDESK_SECRET_KEY_OLD`) opens values sealed before a rotation.
    pub fn open(
        key: Option<&Secret>,
        old: Option<&Secret>,
        db_path: &Path,
    ) -> Result<Self, VaultError> {
        let current = match key {
            Some(key) => {
                parse_key(key.expose()).ok_or(VaultError::BadKey("DIALDESK_SECRET_KEY"))?
            }
            None => key_file(&key_file_path(db_path))?,
        };
        let old = old
            .map(|old| parse_key(old.expose()).ok_or(VaultError::BadKey("DIALDESK_SECRET_KEY_OLD")))
            .transpose()?;
        Ok(Self::new(&current, old.as_ref()))
    }

    /// Whether an old key is given (values are being rotated).
    pub fn rotating(&self) -> bool {
        self.old.is_some()
    }

    /// `secret` sealed for `place` (`"zoom_tokens.access_token/<user id>"`): `v1.`
    /// and the nonce and ciphertext in URL-safe base64.
    pub fn seal(&self, place: &str, secret: &[u8]) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::fill(&mut nonce[..]);
        let payload = Payload {
            msg: secret,
            aad: place.as_bytes(),
        };
        // Encryption fails only for messages of gigabytes; a token is a few hundred bytes.
        let sealed = self
            .current
            .encrypt(XNonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{SEALED_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Opens a value sealed for `place`, with the current key or the old one.
    pub fn open_bytes(&self, place: &str, sealed: &str) -> Result<Vec<u8>, SealError> {
        let bytes = sealed
            .strip_prefix(SEALED_PREFIX)
            .and_then(|text| URL_SAFE_NO_PAD.decode(text).ok())
            .filter(|bytes| bytes.len() > NONCE_LEN)
            .ok_or(SealError)?;
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let payload = |msg| Payload {
            msg,
            aad: place.as_bytes(),
        };
        let nonce = XNonce::from_slice(nonce);
        self.current
            .decrypt(nonce, payload(ciphertext))
            .or_else(|_| match &self.old {
                Some(old) => old.decrypt(nonce, payload(ciphertext)),
                None => Err(chacha20poly1305::aead::Error),
            })
            .map_err(|_| SealError)
    }

    /// Opens a sealed text (a token) for `place`.
    pub fn open_secret(&self, place: &str, sealed: &str) -> Result<Secret, SealError> {
        let bytes = self.open_bytes(place, sealed)?;
        String::from_utf8(bytes)
            .map(Secret::new)
            .map_err(|_| SealError)
    }
}

/// Whether `stored` is a sealed value (not one written in clear by an earlier version).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(SEALED_PREFIX)
}

/// Where the key file of the database `db_path` is: beside it, named after it.
pub fn key_file_path(db_path: &Path) -> PathBuf {
    let name = db_path
        .file_name()
        .map_or_else(|| "dialdesk.db".into(), |name| name.to_string_lossy());
    db_path.with_file_name(format!("{name}.key"))
}

fn parse_key(text: &str) -> Option<[u8; KEY_LEN]> {
    let mut key = [0u8; KEY_LEN];
    hex::decode_to_slice(text.trim(), &mut key).ok()?;
    Some(key)
}

/// Reads the key file, or creates it (mode 0600) when it does not exist.
fn key_file(path: &Path) -> Result<[u8; KEY_LEN], VaultError> {
    let problem = |problem: String| VaultError::KeyFile {
        path: path.to_owned(),
        problem,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => {
            check_private(path).map_err(problem)?;
            parse_key(&text).ok_or_else(|| {
                problem(
                    "it must hold 64 hexadecimal digits; restore it, or set DIALDESK_SECRET_KEY"
                        .into(),
                )
            })
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; KEY_LEN];
            rand::fill(&mut key[..]);
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options
                .open(path)
                .map_err(|e| problem(format!("cannot create it: {e}")))?;
            writeln!(file, "{}", hex::encode(key))
                .and_then(|()| file.sync_all())
                .map_err(|e| problem(format!("cannot write it: {e}")))?;
            tracing::info!(path = %path.display(), "created the secret key file; back it up with the database");
            Ok(key)
        }
        Err(err) => Err(problem(format!("cannot read it: {err}"))),
    }
}

/// Refuses a key file that others than its owner may read.
fn check_private(path: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| format!("cannot read it: {e}"))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(format!(
                "others may read it (mode {:o}); run chmod 600 on it",
                mode & 0o777
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(key: u8, old: Option<u8>) -> Vault {
        Vault::new(&[key; KEY_LEN], old.map(|o| [o; KEY_LEN]).as_ref())
    }

    #[test]
    fn a_sealed_value_opens_in_its_place_only() {
        let v = vault(1, None);
        let sealed = v.seal("zoom_tokens.access_token/u1", b"eyJ.token");
        assert!(is_sealed(&sealed));
        assert!(!sealed.contains("eyJ"));
        assert_ne!(
            sealed,
            v.seal("zoom_tokens.access_token/u1", b"eyJ.token"),
            "fresh nonce"
        );
        assert_eq!(
            v.open_secret("zoom_tokens.access_token/u1", &sealed)
                .unwrap()
                .expose(),
            "eyJ.token"
        );
        assert_eq!(
            v.open_bytes("zoom_tokens.access_token/u2", &sealed),
            Err(SealError)
        );
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(
            v.open_bytes("zoom_tokens.access_token/u1", &tampered),
            Err(SealError)
        );
        assert_eq!(v.open_bytes("x", "eyJ.plain"), Err(SealError));
        assert_eq!(v.open_bytes("x", "v1.!!"), Err(SealError));
    }

    #[test]
    fn the_old_key_opens_while_rotating_and_the_wrong_key_does_not() {
        let sealed = vault(1, None).seal("p", b"secret");
        assert_eq!(vault(2, None).open_bytes("p", &sealed), Err(SealError));
        let rotating = vault(2, Some(1));
        assert!(rotating.rotating());
        assert_eq!(rotating.open_bytes("p", &sealed).unwrap(), b"secret");
        let resealed = rotating.seal("p", b"secret");
        assert_eq!(
            vault(2, None).open_bytes("p", &resealed).unwrap(),
            b"secret"
        );
        assert_eq!(vault(1, None).open_bytes("p", &resealed), Err(SealError));
    }

    #[test]
    fn the_key_comes_from_the_environment_or_a_private_file_beside_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("dialdesk.db");
        assert_eq!(key_file_path(&db), dir.path().join("dialdesk.db.key"));
        let first = Vault::open(None, None, &db).unwrap();
        let sealed = first.seal("p", b"x");
        let again = Vault::open(None, None, &db).unwrap();
        assert_eq!(again.open_bytes("p", &sealed).unwrap(), b"x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = key_file_path(&db);
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let refused = Vault::open(None, None, &db).unwrap_err().to_string();
            assert!(refused.contains("chmod 600"), "{refused}");
        }
        let key = Secret::new("ab".repeat(KEY_LEN));
        let from_env = Vault::open(Some(&key), None, &dir.path().join("other.db")).unwrap();
        assert!(!dir.path().join("other.db.key").exists());
        assert_eq!(
            Vault::new(&[0xab; KEY_LEN], None)
                .open_bytes("p", &from_env.seal("p", b"y"))
                .unwrap(),
            b"y"
        );
        let short = Secret::new("abcd");
        assert!(matches!(
            Vault::open(Some(&short), None, &db),
            Err(VaultError::BadKey("DIALDESK_SECRET_KEY"))
        ));
    }
}
