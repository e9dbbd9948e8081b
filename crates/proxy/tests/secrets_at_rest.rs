//! Secrets at rest: after a real sign-in through the emulator, the database files
//! hold none of the Zoom tokens it issued nor the session signing key; the same
//! search finds them all in a copy where they are written in clear (the positive
//! control), so the search itself works.

#[allow(dead_code, reason = "this file uses a few of the shared helpers")]
mod support;

use std::path::Path;

use dialdesk_proxy::config::Secret;
use dialdesk_proxy::vault::{key_file_path, Vault};
use serde_json::Value;
use support::zoom::{rig, signed_in, AVA};

/// The bytes of the database `path` and of its WAL and shared-memory files.
fn database_bytes(path: &Path) -> Vec<u8> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| std::fs::read(format!("{}{suffix}", path.display())).ok())
        .flatten()
        .collect()
}

/// Which of `needles` occur in `haystack`.
fn found<'a>(haystack: &[u8], needles: &'a [Vec<u8>]) -> Vec<&'a [u8]> {
    needles
        .iter()
        .filter(|needle| {
            haystack
                .windows(needle.len())
                .any(|window| window == needle.as_slice())
        })
        .map(Vec::as_slice)
        .collect()
}

#[tokio::test]
async fn the_database_holds_no_token_or_key_in_clear() {
    let (emu, app) = rig().await;
    signed_in(&app, AVA).await;
    let issued: Value = reqwest::get(format!("{}/__emu/tokens", emu.oauth_base()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut tokens: Vec<String> = ["access_tokens", "refresh_tokens"]
        .iter()
        .flat_map(|kind| issued[kind].as_array().cloned().unwrap_or_default())
        .filter_map(|token| token.as_str().map(str::to_owned))
        .collect();
    tokens.sort();
    assert!(tokens.len() >= 2, "the emulator issued a pair: {issued}");

    // The session key, read the one way there is: opened with the key file.
    let db_path = app.db_path();
    let key_text = std::fs::read_to_string(key_file_path(&db_path)).unwrap();
    let vault = Vault::open(Some(&Secret::new(key_text.trim())), None, &db_path).unwrap();
    let sealed_key: String = app
        .db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT value FROM settings WHERE key = 'session_signing_key'",
                [],
                |row| row.get(0),
            )?)
        })
        .await
        .unwrap();
    let session_key = vault
        .open_bytes("settings.value/session_signing_key", &sealed_key)
        .unwrap();
    assert_eq!(session_key.len(), 32);

    let mut needles: Vec<Vec<u8>> = tokens.iter().map(|t| t.clone().into_bytes()).collect();
    needles.push(session_key.clone());
    needles.push(hex::encode(&session_key).into_bytes());
    let leaked = found(&database_bytes(&db_path), &needles);
    assert!(leaked.is_empty(), "in the database: {leaked:?}");

    // Positive control: a copy with the same secrets in clear, as an earlier version
    // kept them; the same search finds the stored pair and the key.
    let copy = db_path.with_file_name("clear-copy.db");
    let (target, vault_for_copy) = (copy.clone(), vault.clone());
    // VACUUM INTO runs outside a transaction, so on a reader connection.
    app.db
        .read(move |conn| {
            conn.execute("VACUUM INTO ?1", [target.to_str().unwrap()])?;
            let copy = rusqlite::Connection::open(&target)?;
            let rows: Vec<(String, String, String)> = copy
                .prepare("SELECT user_id, access_token, refresh_token FROM zoom_tokens")?
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                .collect::<Result<_, _>>()?;
            for (user, access, refresh) in rows {
                let open = |column: &str, sealed: &str| {
                    vault_for_copy
                        .open_secret(&format!("zoom_tokens.{column}/{user}"), sealed)
                        .unwrap()
                        .expose()
                        .to_owned()
                };
                copy.execute(
                    "UPDATE zoom_tokens SET access_token = ?2, refresh_token = ?3 WHERE user_id = ?1",
                    [&user, &open("access_token", &access), &open("refresh_token", &refresh)],
                )?;
            }
            copy.execute(
                "UPDATE settings SET value = ?1 WHERE key = 'session_signing_key'",
                [&session_key],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let in_clear = found(&database_bytes(&copy), &needles);
    assert!(
        in_clear.len() >= 3,
        "the control finds the pair and the key: {} of {}",
        in_clear.len(),
        needles.len()
    );
}
