//! Zoom through the proxy (issue 6), against the simulator's Zoom emulator: sign-in
//! through the emulator's OAuth page, the user's Zoom numbers as caller IDs, the
//! unlogged-calls view and logging from it, a recording played through the proxy,
//! sign-out, no issued token or secret anywhere the browser or the log can show, and
//! a user of another Zoom account refused.

use std::collections::BTreeMap;

use dialdesk_e2e::{cdp, wait_until, Harness, Setup, AVA, AVA_NUMBER, SESSION_COOKIE};
use fantoccini::Locator;
use serde_json::{json, Value};

/// A user of another Zoom account than the emulator's apps.
const FELIX: &str = "felix.berg@elsewhere.example";

/// A configured caller ID, offered only without a Zoom sign-in.
const CONFIGURED: &str = "[[caller_ids]]\nlabel = \"Main line\"\nnumber = \"+14155550199\"\n";

/// Waits until the top bar names the signed-in user; returns the name shown.
async fn signed_in_user(h: &Harness) -> Result<String, String> {
    wait_until("the signed-in user in the top bar", || async {
        let name = h.text(".signed-in-user").await?;
        (!name.trim().is_empty()).then_some(name)
    })
    .await
}

/// Opens the Unlogged calls tab and waits for its rows; their call ids in order.
async fn unlogged_rows(h: &Harness) -> Result<Vec<String>, String> {
    h.click("#tab-unlogged").await?;
    wait_until("rows in the unlogged-calls view", || async {
        let ids = h
            .attributes(".unlogged-calls tr[data-call-id]", "data-call-id")
            .await
            .ok()?;
        (!ids.is_empty()).then_some(ids)
    })
    .await
}

/// The proxy's unlogged calls (the test's own session, same user).
fn proxy_unlogged(h: &Harness) -> Result<Vec<Value>, String> {
    match h.proxy_get("/api/calls/unlogged")?["calls"].take() {
        Value::Array(calls) => Ok(calls),
        other => Err(format!("unexpected /api/calls/unlogged: {other}")),
    }
}

/// The status of `GET path` fetched by the page itself (its cookies, same origin).
async fn page_status(h: &Harness, path: &str) -> Result<u16, String> {
    let status = h
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0], { credentials: 'same-origin' })
                 .then(r => done(r.status), e => done(String(e)));",
            vec![json!(path)],
        )
        .await
        .map_err(|e| format!("fetch {path} in the page: {e}"))?;
    status
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .ok_or_else(|| format!("fetch {path} in the page: {status}"))
}

/// Opens the disposition panel on the unlogged call `call_id` from its **Log call**
/// button, chooses a disposition and types `notes` (a draft, not saved yet).
async fn draft_from_row(h: &Harness, call_id: &str, notes: &str) -> Result<(), String> {
    h.click("#tab-unlogged").await?;
    let row = format!(".unlogged-calls tr[data-call-id=\"{call_id}\"]");
    h.click(&format!("{row} button.log-call")).await?;
    wait_until("the disposition panel on the Zoom call", || async {
        let hidden = h.attribute(".disposition-panel", "hidden").await;
        let found = h.client().find(Locator::Css("#log-disposition")).await;
        (hidden.is_none() && found.is_ok()).then_some(())
    })
    .await?;
    h.client()
        .find(Locator::Css("#log-disposition"))
        .await
        .map_err(|e| format!("find the disposition: {e}"))?
        .select_by_value("interested")
        .await
        .map_err(|e| format!("choose interested: {e}"))?;
    h.client()
        .find(Locator::Css("#log-notes"))
        .await
        .map_err(|e| format!("find the notes: {e}"))?
        .send_keys(notes)
        .await
        .map_err(|e| format!("type the notes: {e}"))
}

/// Logs the unlogged call `call_id` from its row: **Log call**, a disposition, notes,
/// Save; waits until the proxy has the log.
async fn log_from_row(h: &Harness, call_id: &str, notes: &str) -> Result<Value, String> {
    draft_from_row(h, call_id, notes).await?;
    h.click(".disposition-panel button[type=submit]").await?;
    wait_until(&format!("the log of {call_id} in the proxy"), || async {
        h.proxy_get(&format!("/api/calls/{call_id}/log")).ok()
    })
    .await
}

#[tokio::test]
async fn signing_in_through_the_emulator_shows_the_user_and_their_zoom_numbers() {
    let h = Harness::set_up(Setup {
        seed: 5,
        toml: Some(CONFIGURED),
        ..Setup::default()
    })
    .await;
    let result = async {
        // Without a session: the sign-in screen, no user, and the API refuses.
        h.client()
            .goto(&h.stack.proxy.url)
            .await
            .map_err(|e| format!("open the app: {e}"))?;
        h.sign_in_screen().await?;
        h.accessible("the sign-in screen").await?;
        if h.text(".signed-in-user").await.is_some() {
            return Err("a user is shown before anyone signed in".into());
        }
        let before = page_status(&h, "/api/me").await?;
        if before != 401 {
            return Err(format!("GET /api/me without a session answered {before}"));
        }
        // The screen's link starts the sign-in; the emulator's page picks the user.
        h.click("#sign-in").await?;
        h.click_sign_in_button(AVA).await?;
        let name = signed_in_user(&h).await?;
        if !name.contains("Ava Lindqvist") {
            return Err(format!("the top bar names {name:?}"));
        }
        if h.client().find(Locator::Id("sign-in")).await.is_ok() {
            return Err("the sign-in screen is still shown after signing in".into());
        }
        let after = page_status(&h, "/api/me").await?;
        if after != 200 {
            return Err(format!("GET /api/me with the session answered {after}"));
        }
        // The caller-ID choice: Ava's Zoom number, not the configured line.
        let options = wait_until("the Zoom number among the caller IDs", || async {
            let values = h
                .attributes(".caller-id select option", "value")
                .await
                .ok()?;
            values.iter().any(|v| v == AVA_NUMBER).then_some(values)
        })
        .await?;
        if options != [AVA_NUMBER] {
            return Err(format!("the caller-ID choice offers {options:?}"));
        }
        // And a call goes out from it.
        h.click("tbody tr[data-contact-id] button.call-button")
            .await?;
        let caller_id = wait_until("the simulator to receive zp-make-call", || async {
            let received = h.sim_received().ok()?;
            received
                .iter()
                .find(|m| m["type"] == "zp-make-call")
                .map(|m| {
                    m["data"]["callerId"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned()
                })
        })
        .await?;
        if caller_id != AVA_NUMBER {
            return Err(format!("the call went out from {caller_id:?}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "signing_in_through_the_emulator_shows_the_user_and_their_zoom_numbers",
        result,
    )
    .await;
}

#[tokio::test]
async fn an_unlogged_zoom_call_leaves_the_list_once_logged_from_it() {
    let h = Harness::set_up(Setup {
        seed: 5,
        ..Setup::default()
    })
    .await;
    let result = async {
        h.open_app().await?;
        let shown = unlogged_rows(&h).await?;
        // The rows are the emulator's calls of Ava, as the proxy lists them.
        let listed: Vec<String> = proxy_unlogged(&h)?
            .iter()
            .filter_map(|c| c["callId"].as_str().map(str::to_owned))
            .collect();
        if shown.len() < 2 || shown.iter().any(|id| !listed.contains(id)) {
            return Err(format!(
                "the view shows {shown:?}; the proxy lists {listed:?}"
            ));
        }
        let (logged, kept) = (&shown[0], &shown[1]);
        let log = log_from_row(&h, logged, "Logged from Zoom's history").await?;
        if log["disposition"] != "interested" || log["notes"] != "Logged from Zoom's history" {
            return Err(format!("the stored log reads {log}"));
        }
        wait_until("the logged call to leave the list", || async {
            let ids = h
                .attributes(".unlogged-calls tr[data-call-id]", "data-call-id")
                .await
                .ok()?;
            // Positive control: the other call is still listed.
            (!ids.contains(logged) && ids.contains(kept)).then_some(())
        })
        .await?;
        // The proxy agrees: no longer unlogged, the other still is.
        let now: Vec<String> = proxy_unlogged(&h)?
            .iter()
            .filter_map(|c| c["callId"].as_str().map(str::to_owned))
            .collect();
        if now.contains(logged) || !now.contains(kept) {
            return Err(format!("after logging {logged}, the proxy lists {now:?}"));
        }
        // And a fresh load of the view (a reload) does not bring it back.
        h.open_app().await?;
        let reloaded = unlogged_rows(&h).await?;
        if reloaded.contains(logged) || !reloaded.contains(kept) {
            return Err(format!("after a reload the view shows {reloaded:?}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "an_unlogged_zoom_call_leaves_the_list_once_logged_from_it",
        result,
    )
    .await;
}

/// The call ids the proxy lists as `path` for the test's own session (Ava, an admin).
fn listed_ids(h: &Harness, path: &str) -> Result<Vec<String>, String> {
    let calls = h.proxy_get(path)?["calls"].take();
    Ok(calls
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|c| c["callId"].as_str().map(str::to_owned))
        .collect())
}

#[tokio::test]
async fn a_supervisor_reads_a_team_members_unlogged_calls() {
    const BEN: &str = "ben.okafor@dialdesk.example";
    const TEAM: &str = "[[teams]]\nname = \"East\"\nsupervisors = [\"chloe.martin@dialdesk.example\"]\nmembers = [\"ben.okafor@dialdesk.example\"]\n";
    let h = Harness::set_up(Setup {
        seed: 5,
        toml: Some(TEAM),
        ..Setup::default()
    })
    .await;
    let result = async {
        h.sign_in("chloe.martin@dialdesk.example").await?;
        h.open_app().await?;
        h.click("#tab-unlogged").await?;
        let offered = wait_until("the team member offered", || async {
            let people = h
                .attributes("#unlogged-people option", "value")
                .await
                .ok()?;
            (!people.is_empty()).then_some(people)
        })
        .await?;
        if offered != [BEN] {
            return Err(format!("Chloe is offered {offered:?}"));
        }
        let bens = listed_ids(&h, &format!("/api/calls/unlogged?user={BEN}"))?;
        let avas = listed_ids(&h, "/api/calls/unlogged")?;
        if bens.is_empty() || bens == avas {
            return Err(format!("Ben's calls {bens:?} cannot tell the view apart"));
        }
        let input = h
            .client()
            .find(Locator::Id("unlogged-whose"))
            .await
            .map_err(|e| format!("no picker: {e}"))?;
        input
            .send_keys(BEN)
            .await
            .map_err(|e| format!("type Ben's e-mail: {e}"))?;
        h.click("#unlogged-refresh").await?;
        wait_until("Ben's unlogged calls in the view", || async {
            let ids = h
                .attributes(".unlogged-calls tr[data-call-id]", "data-call-id")
                .await
                .ok()?;
            (ids == bens).then_some(())
        })
        .await?;
        h.accessible("the unlogged calls of a team member").await?;
        Ok(())
    }
    .await;
    h.finish("a_supervisor_reads_a_team_members_unlogged_calls", result)
        .await;
}

/// The first of `rows` (unlogged call ids) whose call has a recording to play.
async fn recorded_row(h: &Harness, rows: &[String]) -> Result<String, String> {
    wait_until("a row with Play recording", || async {
        for id in rows {
            let css = format!(".unlogged-calls tr[data-call-id=\"{id}\"] button.play-recording");
            if h.client().find(Locator::Css(&css)).await.is_ok() {
                return Some(id.clone());
            }
        }
        None
    })
    .await
}

/// The recording player's state: `(readyState, duration, currentSrc)`.
async fn player(h: &Harness) -> Option<(u64, f64, String)> {
    let state = h
        .exec(
            "const a = document.querySelector('.unlogged-calls audio.recording');
             return a ? [a.readyState, a.duration || 0, a.currentSrc] : null;",
            vec![],
        )
        .await
        .ok()?;
    Some((
        state[0].as_u64()?,
        state[1].as_f64()?,
        state[2].as_str()?.to_owned(),
    ))
}

#[tokio::test]
async fn a_recording_plays_through_the_proxy_without_zoom_credentials_on_the_file_host() {
    let h = Harness::set_up(Setup {
        seed: 5,
        ..Setup::default()
    })
    .await;
    let result = async {
        h.open_app().await?;
        unlogged_rows(&h).await?;
        h.accessible("the Unlogged calls tab").await?;
        let recorded = h
            .attributes(".unlogged-calls tr[data-call-id]", "data-call-id")
            .await?;
        let call_id = recorded_row(&h, &recorded).await?;
        let before = h.emu_get("/__emu/requests")?;
        h.click(&format!(
            ".unlogged-calls tr[data-call-id=\"{call_id}\"] button.play-recording"
        ))
        .await?;
        let (ready, duration, src) = wait_until("the recording's metadata", || async {
            let (ready, duration, src) = player(&h).await?;
            (ready >= 1 && duration > 0.0).then_some((ready, duration, src))
        })
        .await?;
        let expected = format!("{}/api/calls/{call_id}/recording", h.stack.proxy.url);
        if src != expected {
            return Err(format!(
                "the player plays {src:?} (readyState {ready}, {duration} s), not {expected}"
            ));
        }
        // The emulator's file host served it (positive control) and never saw an
        // Authorization header: the proxy follows the redirect by hand, bare.
        let after = h.emu_get("/__emu/requests")?;
        let files = |v: &Value, k: &str| v[k].as_u64().unwrap_or(u64::MAX);
        if files(&after, "file_requests") <= files(&before, "file_requests") {
            return Err(format!("the file host served nothing: {after}"));
        }
        if files(&after, "file_requests_with_authorization") != 0 {
            return Err(format!(
                "the file host saw an Authorization header: {after}"
            ));
        }
        Ok(())
    }
    .await;
    h.finish(
        "a_recording_plays_through_the_proxy_without_zoom_credentials_on_the_file_host",
        result,
    )
    .await;
}

/// The playing recording's state: `(marked, paused, currentTime)`, where `marked`
/// says whether it is the very element the test marked.
async fn playing(h: &Harness) -> Option<(bool, bool, f64)> {
    let state = h
        .exec(
            "const a = document.querySelector('.unlogged-calls audio.recording');
             return a ? [a.dataset.marked === 'yes', a.paused, a.currentTime] : null;",
            vec![],
        )
        .await
        .ok()?;
    Some((state[0].as_bool()?, state[1].as_bool()?, state[2].as_f64()?))
}

#[tokio::test]
async fn a_playing_recording_goes_on_while_another_call_is_logged() {
    let h = Harness::set_up(Setup {
        seed: 5,
        ..Setup::default()
    })
    .await;
    let result = async {
        h.open_app().await?;
        let rows = unlogged_rows(&h).await?;
        let recorded = recorded_row(&h, &rows).await?;
        let other = rows
            .iter()
            .find(|id| **id != recorded)
            .ok_or("only one unlogged call")?
            .clone();
        h.click(&format!(
            ".unlogged-calls tr[data-call-id=\"{recorded}\"] button.play-recording"
        ))
        .await?;
        // Marked, so a rebuilt player is told from the same one; looping, so it is
        // still playing however long the save takes.
        wait_until("the recording to play", || async {
            let (_, paused, at) = playing(&h).await?;
            (!paused && at > 0.0).then_some(())
        })
        .await?;
        h.exec(
            "const a = document.querySelector('.unlogged-calls audio.recording'); \
             a.dataset.marked = 'yes'; a.loop = true;",
            vec![],
        )
        .await?;
        log_from_row(&h, &other, "Logged while listening").await?;
        wait_until("the logged call to leave the list", || async {
            let ids = h
                .attributes(".unlogged-calls tr[data-call-id]", "data-call-id")
                .await
                .ok()?;
            (!ids.contains(&other)).then_some(())
        })
        .await?;
        let (marked, paused, at) = playing(&h).await.ok_or("the player is gone")?;
        if !marked || paused {
            return Err(format!(
                "after the save the player is {} and {}",
                if marked { "the same" } else { "a new one" },
                if paused { "paused" } else { "playing" }
            ));
        }
        wait_until("the recording to go on", || async {
            let (marked, paused, now) = playing(&h).await?;
            (marked && !paused && now != at).then_some(())
        })
        .await
    }
    .await;
    h.finish(
        "a_playing_recording_goes_on_while_another_call_is_logged",
        result,
    )
    .await;
}

#[tokio::test]
async fn signing_out_shows_the_sign_in_screen_and_ends_the_session() {
    let h = Harness::set_up(Setup {
        seed: 5,
        ..Setup::default()
    })
    .await;
    let result = async {
        h.open_app().await?;
        signed_in_user(&h).await?;
        // Positive control: the session works before signing out.
        let before = page_status(&h, "/api/session").await?;
        if before != 200 {
            return Err(format!(
                "GET /api/session before sign-out answered {before}"
            ));
        }
        h.click(".session-menu > summary").await?;
        h.click("#sign-out").await?;
        h.sign_in_screen().await?;
        if h.text(".signed-in-user").await.is_some() {
            return Err("the user is still shown after signing out".into());
        }
        let after = page_status(&h, "/api/session").await?;
        if after != 401 {
            return Err(format!("GET /api/session after sign-out answered {after}"));
        }
        // A reload stays signed out.
        h.client()
            .goto(&h.stack.proxy.url)
            .await
            .map_err(|e| format!("reload: {e}"))?;
        h.sign_in_screen().await?;
        // The test's own session (another sign-in of the same user) is not affected.
        h.proxy_get("/api/session")?;
        Ok(())
    }
    .await;
    h.finish(
        "signing_out_shows_the_sign_in_screen_and_ends_the_session",
        result,
    )
    .await;
}

#[tokio::test]
async fn signing_out_everywhere_ends_the_other_sessions_and_revokes_zoom_access() {
    let h = Harness::set_up(Setup {
        seed: 5,
        ..Setup::default()
    })
    .await;
    let result = async {
        // Another sign-in of the same user (the test's own client), working.
        h.proxy_get("/api/session")?;
        h.open_app().await?;
        signed_in_user(&h).await?;
        h.click(".session-menu > summary").await?;
        h.accessible("the open session menu").await?;
        h.click("#sign-out-everywhere").await?;
        h.sign_in_screen().await?;
        let other = h.proxy_request("GET", "/api/session", None)?.status;
        if other != 401 {
            return Err(format!(
                "the other session answered {other} after signing out everywhere"
            ));
        }
        let revoked = h.emu_get("/__emu/tokens")?["revoked"].take();
        if revoked.as_array().map_or(0, Vec::len) != 2 {
            return Err(format!(
                "Zoom was asked to revoke {revoked}, not the stored pair"
            ));
        }
        Ok(())
    }
    .await;
    h.finish(
        "signing_out_everywhere_ends_the_other_sessions_and_revokes_zoom_access",
        result,
    )
    .await;
}

/// Every response the browser received, with its body where DevTools still has it.
#[derive(Default)]
struct Seen {
    /// Request id → URL.
    urls: BTreeMap<String, String>,
    /// Bodies read, with their URLs (a URL loaded twice is there twice).
    bodies: Vec<(String, String)>,
    /// Headers of the proxy's answers (redirects included).
    headers: Vec<(String, String)>,
    /// Finished requests whose body DevTools no longer had.
    missed: Vec<String>,
}

impl Seen {
    /// Reads the network events since the last call and the bodies of finished loads.
    async fn collect(&mut self, h: &Harness) -> Result<(), String> {
        let proxy = h.stack.proxy.url.clone();
        for event in h.browser.network_events().await? {
            let params = &event["params"];
            let id = params["requestId"].as_str().unwrap_or_default().to_owned();
            match event["method"].as_str().unwrap_or_default() {
                "Network.requestWillBeSent" => {
                    let redirect = &params["redirectResponse"];
                    if let Some(url) = redirect["url"].as_str() {
                        if url.starts_with(&proxy) {
                            self.headers
                                .push((url.to_owned(), redirect["headers"].to_string()));
                        }
                    }
                    let url = params["request"]["url"].as_str().unwrap_or_default();
                    self.urls.insert(id, url.to_owned());
                }
                "Network.responseReceived" => {
                    let response = &params["response"];
                    let url = response["url"].as_str().unwrap_or_default();
                    if url.starts_with(&proxy) {
                        self.headers
                            .push((url.to_owned(), response["headers"].to_string()));
                    }
                }
                "Network.loadingFinished" => {
                    let url = self.urls.get(&id).cloned().unwrap_or_default();
                    match cdp(
                        h.client(),
                        "Network.getResponseBody",
                        json!({ "requestId": id }),
                    )
                    .await
                    {
                        Ok(body) => {
                            let text = body["body"].as_str().unwrap_or_default();
                            let text = if body["base64Encoded"] == true {
                                String::from_utf8_lossy(&decode_base64(text)).into_owned()
                            } else {
                                text.to_owned()
                            };
                            self.bodies.push((url, text));
                        }
                        Err(_) => self.missed.push(url),
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Standard base64, padding and all (DevTools' encoding of binary bodies).
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for sextet in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// Every string in the emulator's `/__emu/tokens`: tokens, codes and secrets.
fn issued(tokens: &Value) -> Vec<String> {
    ["access_tokens", "refresh_tokens", "codes", "secrets"]
        .iter()
        .flat_map(|k| tokens[k].as_array().cloned().unwrap_or_default())
        .filter_map(|v| v.as_str().map(str::to_owned))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The issued strings `text` holds.
fn leaked<'a>(text: &str, secrets: &'a [String]) -> Vec<&'a str> {
    secrets
        .iter()
        .filter(|s| text.contains(s.as_str()))
        .map(String::as_str)
        .collect()
}

/// Dumps every IndexedDB database of the page's origin, each store's records, as JSON;
/// `probe` first creates one database holding `probe` as the dump's positive control.
const DUMP_INDEXED_DB: &str = "const done = arguments[arguments.length - 1];
const probe = arguments[0];
const req = (r) => new Promise((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
(async () => {
  const made = indexedDB.open('e2e-probe', 1);
  made.onupgradeneeded = () => made.result.createObjectStore('probe', { autoIncrement: true });
  const pdb = await req(made);
  await new Promise((res, rej) => { const t = pdb.transaction('probe', 'readwrite'); t.objectStore('probe').put(probe); t.oncomplete = res; t.onerror = () => rej(t.error); });
  pdb.close();
  const out = {};
  for (const { name } of await indexedDB.databases()) {
    const db = await req(indexedDB.open(name));
    const stores = {};
    for (const store of db.objectStoreNames) {
      stores[store] = await req(db.transaction(store).objectStore(store).getAll());
    }
    db.close();
    out[name] = stores;
  }
  return JSON.stringify(out);
})().then(done, (e) => done('ERROR ' + e));";

#[tokio::test]
async fn no_issued_token_or_secret_reaches_the_browser_or_the_proxy_log() {
    let h = Harness::set_up(Setup {
        seed: 5,
        trace_proxy: true,
        network_log: true,
        ..Setup::default()
    })
    .await;
    let mut seen = Seen::default();
    let result = async {
        // Everything the browser is offered: sign-in, lookups, a recording, a log, a
        // contact sync, and a token refresh forced by expiring every access token.
        h.open_app().await?;
        seen.collect(&h).await?;
        let rows = unlogged_rows(&h).await?;
        seen.collect(&h).await?;
        let recorded = recorded_row(&h, &rows).await?;
        h.click(&format!(
            ".unlogged-calls tr[data-call-id=\"{recorded}\"] button.play-recording"
        ))
        .await?;
        wait_until("the recording's metadata", || async {
            let (ready, duration, _) = player(&h).await?;
            (ready >= 1 && duration > 0.0).then_some(())
        })
        .await?;
        seen.collect(&h).await?;
        log_from_row(&h, &rows[0], "Checked for leaks").await?;
        seen.collect(&h).await?;
        h.click("#tab-contacts").await?;
        h.click("#zoom-sync").await?;
        wait_until("the Zoom contact sync to finish", || async {
            let status = h.text("#zoom-sync-status").await?;
            status.contains("Zoom contacts synced").then_some(())
        })
        .await?;
        seen.collect(&h).await?;
        // Every access token expires; a directory search (with Ava's own token) makes
        // the proxy refresh hers, rotating her refresh token.
        h.emu_post("/__emu/faults", &json!({ "expire_access_tokens": true }))?;
        let found = h
            .client()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('/api/zoom/directory?q=Ben', { credentials: 'same-origin' })
                     .then(r => r.text()).then(done, e => done('ERROR ' + e));",
                vec![],
            )
            .await
            .map_err(|e| format!("search the directory: {e}"))?;
        let found = found.as_str().unwrap_or_default().to_owned();
        if !found.contains("Ben Okafor") {
            return Err(format!("the directory search answered {found}"));
        }
        let grants = h.emu_get("/__emu/requests")?["grants"].take();
        if grants["refresh_token"].as_u64().unwrap_or(0) < 1 {
            return Err(format!("the proxy refreshed no token: {grants}"));
        }
        seen.collect(&h).await?;

        // What was issued, with positive controls: user and S2S tokens, a rotated
        // refresh token, the code, and exactly this stack's two secrets.
        let tokens = h.emu_get("/__emu/tokens")?;
        let requests = h.emu_get("/__emu/requests")?;
        let grants = &requests["grants"];
        let count = |k: &str| tokens[k].as_array().map_or(0, Vec::len);
        if count("access_tokens") < 3
            || count("refresh_tokens") < 2
            || count("codes") < 1
            || grants["account_credentials"].as_u64().unwrap_or(0) < 1
        {
            return Err(format!(
                "too little was issued to test: {tokens} {requests}"
            ));
        }
        let apps = h.stack.zoom_apps();
        let mut secrets: Vec<String> = tokens["secrets"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        secrets.sort();
        let mut ours = vec![apps.client_secret.clone(), apps.s2s_client_secret.clone()];
        ours.sort();
        if secrets != ours {
            return Err(format!(
                "the emulator's secrets are not this stack's: {secrets:?}"
            ));
        }
        let watch = issued(&tokens);

        // 1. Response bodies (and the proxy's headers).
        let me = seen
            .bodies
            .iter()
            .find(|(url, _)| url.ends_with("/api/me"))
            .map(|(_, body)| body.clone())
            .unwrap_or_default();
        if !me.contains(AVA_NUMBER) || seen.bodies.len() < 10 {
            return Err(format!(
                "the body capture is not working: {} bodies, /api/me {me:?}",
                seen.bodies.len()
            ));
        }
        // Bodies DevTools had dropped (those of pages navigated away from): the
        // proxy's are fetched again by the page with its session, the emulator's and
        // simulator's by the test; the sign-in redirects have none, the browser's own
        // chrome:// pages are not ours.
        let proxy = h.stack.proxy.url.clone();
        let mut again = 0;
        for url in seen.missed.clone() {
            let body = if url.starts_with(&proxy) {
                if url.contains("/auth/") {
                    continue;
                }
                h.client()
                    .execute_async(
                        "const done = arguments[arguments.length - 1];
                         fetch(arguments[0], { credentials: 'same-origin' })
                             .then(r => r.text()).then(done, e => done('ERROR ' + e));",
                        vec![json!(url)],
                    )
                    .await
                    .map_err(|e| format!("fetch {url} again: {e}"))?
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            } else if url.starts_with("http://") {
                ureq::get(&url)
                    .call()
                    .map_err(|e| format!("GET {url} again: {e}"))?
                    .body_mut()
                    .read_to_string()
                    .map_err(|e| format!("GET {url} again: {e}"))?
            } else {
                continue;
            };
            again += 1;
            seen.bodies.push((url, body));
        }
        for (url, body) in seen.bodies.iter().chain(&seen.headers) {
            let found = leaked(body, &watch);
            if !found.is_empty() {
                return Err(format!("{url} showed the browser {found:?}"));
            }
        }

        // 2. Cookies, HttpOnly ones included: the session cookie is there (positive
        // control) and no cookie holds anything issued.
        let cookies = cdp(h.client(), "Network.getAllCookies", json!({})).await?;
        let cookies = cookies["cookies"].as_array().cloned().unwrap_or_default();
        if !cookies.iter().any(|c| c["name"] == SESSION_COOKIE) {
            return Err(format!("no session cookie among {cookies:?}"));
        }
        for cookie in &cookies {
            let found = leaked(&cookie.to_string(), &watch);
            if !found.is_empty() {
                return Err(format!("cookie {} holds {found:?}", cookie["name"]));
            }
        }

        // 3. localStorage: a draft typed on another Zoom call is there (positive
        // control), nothing issued.
        draft_from_row(&h, &rows[1], "Draft kept for the leak check").await?;
        let local = wait_until("the draft in localStorage", || async {
            let local = h
                .exec(
                    "return JSON.stringify(Object.assign({}, localStorage));",
                    vec![],
                )
                .await
                .ok()?;
            let local = local.as_str()?.to_owned();
            local
                .contains("Draft kept for the leak check")
                .then_some(local)
        })
        .await?;
        let found = leaked(&local, &watch);
        if !found.is_empty() {
            return Err(format!("localStorage holds {found:?}"));
        }

        // 4. IndexedDB: the probe database is dumped (positive control); nothing issued.
        let dump = h
            .client()
            .execute_async(DUMP_INDEXED_DB, vec![json!("e2e-probe-record")])
            .await
            .map_err(|e| format!("dump IndexedDB: {e}"))?;
        let dump = dump.as_str().unwrap_or_default().to_owned();
        if !dump.contains("e2e-probe-record") {
            return Err(format!("the IndexedDB dump missed the probe: {dump}"));
        }
        let found = leaked(&dump, &watch);
        if !found.is_empty() {
            return Err(format!("IndexedDB holds {found:?}"));
        }

        // 5. The proxy's log at RUST_LOG=trace: it did log the Zoom traffic (positive
        // control) and never an issued string.
        let log = h.proxy_log();
        if !log.contains("TRACE") || !log.contains("/api/calls/unlogged") {
            return Err(format!(
                "the proxy's trace log is missing or thin ({} bytes)",
                log.len()
            ));
        }
        let found = leaked(&log, &watch);
        if !found.is_empty() {
            return Err(format!("the proxy's log holds {found:?}"));
        }
        println!(
            "checked {} issued strings against {} bodies ({} fetched again), {} header sets, \
             {} cookies, localStorage, IndexedDB and {} bytes of proxy log",
            watch.len(),
            seen.bodies.len(),
            again,
            seen.headers.len(),
            cookies.len(),
            log.len()
        );
        Ok(())
    }
    .await;
    h.finish(
        "no_issued_token_or_secret_reaches_the_browser_or_the_proxy_log",
        result,
    )
    .await;
}

#[tokio::test]
async fn signing_in_again_in_another_tab_does_not_lose_this_tabs_save() {
    let h = Harness::set_up(Setup {
        seed: 5,
        ..Setup::default()
    })
    .await;
    let result = async {
        h.open_app().await?;
        let first = h.client().window().await.map_err(|e| e.to_string())?;
        let shown = unlogged_rows(&h).await?;
        let call_id = shown.first().ok_or("no unlogged call")?.clone();
        draft_from_row(&h, &call_id, "Typed before the other tab signed in").await?;

        // A second tab signs in again: the browser's session cookie is replaced,
        // so the first tab's CSRF token is no longer its session's.
        let second = h
            .client()
            .new_window(false)
            .await
            .map_err(|e| e.to_string())?
            .handle;
        h.client()
            .switch_to_window(second)
            .await
            .map_err(|e| format!("switch windows: {e}"))?;
        h.sign_in(AVA).await?;
        h.client()
            .switch_to_window(first)
            .await
            .map_err(|e| format!("switch windows: {e}"))?;

        h.click(".disposition-panel button[type=submit]").await?;
        let log = wait_until(&format!("the log of {call_id} in the proxy"), || async {
            h.proxy_get(&format!("/api/calls/{call_id}/log")).ok()
        })
        .await?;
        if log["notes"] != "Typed before the other tab signed in" {
            return Err(format!("the stored log reads {log}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "signing_in_again_in_another_tab_does_not_lose_this_tabs_save",
        result,
    )
    .await;
}

#[tokio::test]
async fn a_colleague_found_in_the_zoom_directory_is_called_from_the_list() {
    let h = Harness::set_up(Setup {
        seed: 5,
        ..Setup::default()
    })
    .await;
    let result = async {
        h.open_app().await?;
        h.click("#tab-directory").await?;
        h.client()
            .find(Locator::Css("#directory-q"))
            .await
            .map_err(|e| format!("find the directory search: {e}"))?
            .send_keys("ben\n")
            .await
            .map_err(|e| format!("search the directory: {e}"))?;
        let row = ".directory-table tr[data-email=\"ben.okafor@dialdesk.example\"]";
        wait_until("Ben in the directory results", || async {
            h.text(row)
                .await
                .filter(|text| text.contains("Ben Okafor") && text.contains("102"))
        })
        .await?;
        h.accessible("the Directory tab with results").await?;
        h.click(&format!("{row} button.call-number")).await?;
        wait_until("the call to Ben to reach the embed", || async {
            h.sim_received().ok()?.iter().find_map(|message| {
                (message["type"] == "zp-make-call" && message["data"]["number"] == "+13125550102")
                    .then_some(())
            })
        })
        .await?;
        // A colleague in London: her number reads grouped for the UK.
        let search = h
            .client()
            .find(Locator::Css("#directory-q"))
            .await
            .map_err(|e| format!("find the directory search: {e}"))?;
        search
            .clear()
            .await
            .map_err(|e| format!("clear the directory search: {e}"))?;
        search
            .send_keys("emma\n")
            .await
            .map_err(|e| format!("search the directory for Emma: {e}"))?;
        let emma = ".directory-table tr[data-email=\"emma.novak@dialdesk.example\"]";
        wait_until("Emma's London number grouped for the UK", || async {
            let button = h.text(&format!("{emma} button.call-number")).await?;
            (button == "Call +44 20 7946 0105").then_some(())
        })
        .await
    }
    .await;
    h.finish(
        "a_colleague_found_in_the_zoom_directory_is_called_from_the_list",
        result,
    )
    .await;
}

#[tokio::test]
async fn a_rep_is_not_offered_imports_or_syncs_and_the_proxy_refuses_them() {
    let h = Harness::set_up(Setup {
        seed: 5,
        ..Setup::default()
    })
    .await;
    let result = async {
        // Ben is signed in with Zoom and named in no [roles] list: a rep.
        h.sign_in("ben.okafor@dialdesk.example").await?;
        h.open_app().await?;
        wait_until("Ben's name in the top bar", || async {
            h.text(".signed-in-user")
                .await
                .filter(|user| user.contains("Ben Okafor"))
        })
        .await?;
        h.client()
            .find(Locator::Id("contact-new"))
            .await
            .map_err(|e| format!("a rep still creates contacts: {e}"))?;
        h.click("#tab-unlogged").await?;
        wait_until("the unlogged calls' range form", || async {
            h.text("#unlogged-refresh").await
        })
        .await?;
        if h.client().find(Locator::Id("unlogged-whose")).await.is_ok() {
            return Err("a rep is offered someone else's unlogged calls".into());
        }
        h.click("#tab-contacts").await?;
        for admin_only in ["contacts-import", "zoom-sync"] {
            if h.client().find(Locator::Id(admin_only)).await.is_ok() {
                return Err(format!("#{admin_only} is offered to a rep"));
            }
        }
        // The proxy enforces it: the rep's own session is refused, in words.
        let answer = h
            .client()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 (async () => {
                   const session = await (await fetch('/api/session')).json();
                   const sync = await fetch('/api/zoom/contacts/sync', {
                     method: 'POST', headers: { 'x-csrf-token': session.csrfToken } });
                   return { role: session.role, status: sync.status, body: await sync.json() };
                 })().then(done, e => done({ error: String(e) }));",
                vec![],
            )
            .await
            .map_err(|e| format!("ask the proxy for a sync: {e}"))?;
        let refused = answer["role"] == "rep"
            && answer["status"] == 403
            && answer["body"]["error"]
                .as_str()
                .is_some_and(|text| text.contains("only an admin may do this"));
        if !refused {
            return Err(format!("a rep's sync request got {answer}"));
        }
        h.accessible("the workspace of a rep").await
    }
    .await;
    h.finish(
        "a_rep_is_not_offered_imports_or_syncs_and_the_proxy_refuses_them",
        result,
    )
    .await;
}

#[tokio::test]
async fn a_user_of_another_zoom_account_is_refused_at_sign_in() {
    let h = Harness::set_up(Setup {
        seed: 5,
        ..Setup::default()
    })
    .await;
    let result = async {
        let app = h.stack.proxy.url.clone();
        let reason = match dialdesk_e2e::sign_in(h.client(), &app, FELIX).await {
            Ok(()) => return Err("a user of another Zoom account was signed in".to_owned()),
            Err(reason) => reason,
        };
        if !reason.contains("is not one this dialdesk serves") {
            return Err(format!("the refusal does not say why: {reason}"));
        }
        // The app still asks for a sign-in, and a user of the account served gets in.
        h.client()
            .goto(&app)
            .await
            .map_err(|e| format!("open the app: {e}"))?;
        h.sign_in_screen().await?;
        dialdesk_e2e::sign_in(h.client(), &app, AVA).await?;
        signed_in_user(&h).await?;
        Ok(())
    }
    .await;
    h.finish(
        "a_user_of_another_zoom_account_is_refused_at_sign_in",
        result,
    )
    .await;
}
