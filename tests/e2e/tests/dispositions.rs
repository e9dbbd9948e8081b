//! Calls and dispositions (issue 5): the panel, drafts that survive reloads and closed
//! windows, the outbox, tabs, conflicts and late recordings, against real processes.

use dialdesk_e2e::{wait_until, Harness};
use fantoccini::wd::WindowHandle;
use fantoccini::Locator;
use serde_json::{json, Value};

/// A short retry cap, so a save waiting for the proxy goes out soon after it returns.
const QUICK_OUTBOX: &str = "[outbox]\nfirst_retry_ms = 100\nmax_retry_ms = 400\n";

/// A call event of `kind` for call `call_id` with Lee Park on the line.
fn call_event(kind: &str, call_id: &str, extra: Value) -> Value {
    let mut data = json!({
        "callId": call_id,
        "direction": "inbound",
        "dateTime": "2026-11-25T09:58:51Z",
        "caller": { "name": "Lee Park", "number": "+12125550147" },
        "callee": { "name": "Riley Agent", "phoneNumber": "+14155550199" },
        "result": "ended",
        "duration": 95
    });
    if let (Some(data), Value::Object(extra)) = (data.as_object_mut(), extra) {
        data.extend(extra);
    }
    json!({ "type": kind, "data": data })
}

fn ended(call_id: &str) -> Value {
    call_event("zp-call-ended-event", call_id, Value::Null)
}

async fn started(toml: &str) -> Harness {
    let h = Harness::start_with_config(20, &[], Some(toml)).await;
    h.open_app().await.expect("app opens");
    h
}

/// Waits until the disposition panel is open on a call whose summary holds `needle`.
async fn panel_open(h: &Harness, needle: &str) -> Result<(), String> {
    wait_until(&format!("the disposition panel on {needle:?}"), || async {
        let hidden = h.attribute(".disposition-panel", "hidden").await;
        let summary = h.text(".disposition-panel .log-call").await?;
        (hidden.is_none() && summary.contains(needle)).then_some(())
    })
    .await
}

/// The value of the form control `css` in the page.
async fn value(h: &Harness, css: &str) -> Result<String, String> {
    let value = h
        .exec(
            "const e = document.querySelector(arguments[0]); return e ? e.value : null;",
            vec![json!(css)],
        )
        .await?;
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no {css} on the page"))
}

async fn notes_field(h: &Harness) -> Result<fantoccini::elements::Element, String> {
    h.client()
        .find(Locator::Css("#log-notes"))
        .await
        .map_err(|e| format!("find the notes: {e}"))
}

async fn type_notes(h: &Harness, text: &str) -> Result<(), String> {
    notes_field(h)
        .await?
        .send_keys(text)
        .await
        .map_err(|e| format!("type the notes: {e}"))
}

async fn choose(h: &Harness, code: &str) -> Result<(), String> {
    h.client()
        .find(Locator::Css("#log-disposition"))
        .await
        .map_err(|e| format!("find the disposition: {e}"))?
        .select_by_value(code)
        .await
        .map_err(|e| format!("choose {code}: {e}"))
}

/// The stored log of `call_id`, once the proxy has one.
async fn stored_log(h: &Harness, call_id: &str) -> Result<Value, String> {
    wait_until(&format!("the log of {call_id} in the proxy"), || async {
        h.proxy_get(&format!("/api/calls/{call_id}/log")).ok()
    })
    .await
}

/// Waits until the calls list shows `call_id` with status `status`.
async fn listed_as(h: &Harness, call_id: &str, status: &str) -> Result<(), String> {
    let css = format!(".calls-list li[data-call-id=\"{call_id}\"]");
    wait_until(&format!("{call_id} listed as {status}"), || async {
        (h.attribute(&css, "data-status").await? == status).then_some(())
    })
    .await
}

#[tokio::test]
async fn notes_survive_a_reload_and_a_closed_window() {
    let h = started("").await;
    let result = async {
        let call_id = "07aaaa0000000000001";
        let notes = "Asked for the pricing sheet — send by Friday";
        h.sim_post("/__sim/emit", &ended(call_id))?;
        panel_open(&h, "Lee Park").await?;
        type_notes(&h, notes).await?;
        h.client().refresh().await.map_err(|e| e.to_string())?;
        panel_open(&h, "Lee Park").await?;
        let after_reload = value(&h, "#log-notes").await?;
        if after_reload != notes {
            return Err(format!("after a reload the notes read {after_reload:?}"));
        }
        let old = h.client().window().await.map_err(|e| e.to_string())?;
        let new = h
            .client()
            .new_window(false)
            .await
            .map_err(|e| e.to_string())?;
        h.client()
            .switch_to_window(old)
            .await
            .map_err(|e| e.to_string())?;
        h.client().close_window().await.map_err(|e| e.to_string())?;
        h.client()
            .switch_to_window(new.handle)
            .await
            .map_err(|e| e.to_string())?;
        h.open_app().await?;
        panel_open(&h, "Lee Park").await?;
        let in_new_window = value(&h, "#log-notes").await?;
        if in_new_window != notes {
            return Err(format!("in a new window the notes read {in_new_window:?}"));
        }
        Ok(())
    }
    .await;
    h.finish("notes_survive_a_reload_and_a_closed_window", result)
        .await;
}

#[tokio::test]
async fn a_save_while_the_proxy_is_away_lands_when_it_returns() {
    let mut h = started(QUICK_OUTBOX).await;
    let result = async {
        let call_id = "07aaaa0000000000002";
        h.stack.proxy.stop();
        h.sim_post("/__sim/emit", &ended(call_id))?;
        panel_open(&h, "Lee Park").await?;
        choose(&h, "interested").await?;
        type_notes(&h, "Wants a demo").await?;
        h.click(".disposition-panel button[type=submit]").await?;
        wait_until("the banner to count one waiting log", || async {
            let text = h.text(".outbox-banner").await?;
            text.contains("1 log waiting").then_some(())
        })
        .await?;
        h.stack.restart_proxy()?;
        let log = stored_log(&h, call_id).await?;
        if log["disposition"] != "interested" || log["notes"] != "Wants a demo" {
            return Err(format!("stored log: {log}"));
        }
        wait_until("the banner to clear", || async {
            h.attribute(".outbox-banner", "hidden").await.map(drop)
        })
        .await?;
        listed_as(&h, call_id, "logged").await
    }
    .await;
    h.finish(
        "a_save_while_the_proxy_is_away_lands_when_it_returns",
        result,
    )
    .await;
}

#[tokio::test]
async fn save_log_and_notes_events_fill_the_panel() {
    let h = started("").await;
    let result = async {
        let call_id = "07aaaa0000000000003";
        let save = call_event(
            "zp-save-log-event",
            call_id,
            json!({ "result": "Call Connected", "duration": 125 }),
        );
        h.sim_post("/__sim/emit", &save)?;
        panel_open(&h, "Lee Park").await?;
        let summary = h.text(".disposition-panel .log-call").await.unwrap_or_default();
        for part in ["(212) 555-0147", "inbound", "2:05", "Call Connected"] {
            if !summary.contains(part) {
                return Err(format!("the summary {summary:?} lacks {part:?}"));
            }
        }
        let notes = json!({
            "type": "zp-notes-save-event",
            "data": { "callId": call_id,
                      "notesData": { "Disposition": "call_back_later", "Notes": "Call back Tuesday" } }
        });
        h.sim_post("/__sim/emit", &notes)?;
        wait_until("the notes page to fill the panel", || async {
            let code = value(&h, "#log-disposition").await.ok()?;
            let notes = value(&h, "#log-notes").await.ok()?;
            (code == "call_back_later" && notes == "Call back Tuesday").then_some(())
        })
        .await?;
        h.click(".disposition-panel button[type=submit]").await?;
        let log = stored_log(&h, call_id).await?;
        if log["fields"]["Notes"] != "Call back Tuesday" || log["durationSecs"] != 125 {
            return Err(format!("stored log: {log}"));
        }
        // After a reload, today's saved calls are listed from the proxy.
        h.client().refresh().await.map_err(|e| e.to_string())?;
        h.open_app().await?;
        listed_as(&h, call_id, "logged").await
    }
    .await;
    h.finish("save_log_and_notes_events_fill_the_panel", result)
        .await;
}

#[tokio::test]
async fn wrap_up_saves_the_default_code_with_the_notes_typed_so_far() {
    let h = started("[wrap_up]\nseconds = 3\ndefault_code = \"no_answer\"\n").await;
    let result = async {
        let call_id = "07aaaa0000000000004";
        h.sim_post("/__sim/emit", &ended(call_id))?;
        panel_open(&h, "Lee Park").await?;
        let countdown = h.text(".wrap-up-left").await.unwrap_or_default();
        if !countdown.contains("left") {
            return Err(format!("no countdown: {countdown:?}"));
        }
        type_notes(&h, "Hung up mid-sentence").await?;
        let log = stored_log(&h, call_id).await?;
        if log["disposition"] != "no_answer" || log["notes"] != "Hung up mid-sentence" {
            return Err(format!("stored log: {log}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "wrap_up_saves_the_default_code_with_the_notes_typed_so_far",
        result,
    )
    .await;
}

#[tokio::test]
async fn a_refused_save_is_failed_with_its_reason_and_retry_sends_it() {
    let mut h = started(QUICK_OUTBOX).await;
    let result = async {
        let call_id = "07aaaa0000000000005";
        let config = h.stack.config_path().ok_or("no config file")?.to_owned();
        let original = std::fs::read_to_string(&config).map_err(|e| e.to_string())?;
        // The admin drops "Interested" from the codes while the app still offers it.
        let narrowed = format!(
            "{original}\n[[dispositions]]\nlabel = \"No answer\"\nvalue = \"no_answer\"\n\
             group = \"not_connected\"\n"
        );
        std::fs::write(&config, narrowed).map_err(|e| e.to_string())?;
        h.stack.restart_proxy()?;
        h.sim_post("/__sim/emit", &ended(call_id))?;
        panel_open(&h, "Lee Park").await?;
        choose(&h, "interested").await?;
        h.click(".disposition-panel button[type=submit]").await?;
        listed_as(&h, call_id, "failed").await?;
        // The Calls tab lists it with the reason, and Retry.
        h.click("#tab-calls").await?;
        let reason = h
            .text(&format!(
                ".calls-list li[data-call-id=\"{call_id}\"] .log-state"
            ))
            .await
            .unwrap_or_default();
        if !reason.contains("unknown disposition") {
            return Err(format!("the failure reads {reason:?}"));
        }
        std::fs::write(&config, original).map_err(|e| e.to_string())?;
        h.stack.restart_proxy()?;
        h.click(&format!(
            ".calls-list li[data-call-id=\"{call_id}\"] .log-retry"
        ))
        .await?;
        let log = stored_log(&h, call_id).await?;
        if log["disposition"] != "interested" {
            return Err(format!("stored log: {log}"));
        }
        listed_as(&h, call_id, "logged").await
    }
    .await;
    h.finish(
        "a_refused_save_is_failed_with_its_reason_and_retry_sends_it",
        result,
    )
    .await;
}

#[tokio::test]
async fn a_recording_after_the_save_joins_the_saved_log() {
    let h = started("").await;
    let result = async {
        let call_id = "07aaaa0000000000006";
        let url = "https://zoom.example/rec/07aaaa6.mp3";
        h.sim_post("/__sim/emit", &ended(call_id))?;
        panel_open(&h, "Lee Park").await?;
        choose(&h, "interested").await?;
        h.click(".disposition-panel button[type=submit]").await?;
        listed_as(&h, call_id, "logged").await?;
        // The saved log opens again from the Calls tab.
        h.click("#tab-calls").await?;
        h.click(&format!(
            ".calls-list li[data-call-id=\"{call_id}\"] .log-open"
        ))
        .await?;
        panel_open(&h, "Lee Park").await?;
        let recording = call_event(
            "zp-call-recording-completed-event",
            call_id,
            json!({ "recordingUrl": url }),
        );
        h.sim_post("/__sim/emit", &recording)?;
        wait_until("the recording on the panel", || async {
            let link = h
                .attribute(".disposition-panel .log-media a", "href")
                .await?;
            (link == url).then_some(())
        })
        .await?;
        wait_until("the recording on the stored log", || async {
            let log = h.proxy_get(&format!("/api/calls/{call_id}/log")).ok()?;
            (log["recordings"] == json!([url])).then_some(())
        })
        .await
    }
    .await;
    h.finish("a_recording_after_the_save_joins_the_saved_log", result)
        .await;
}

#[tokio::test]
async fn save_closes_the_form_and_a_call_that_ended_meanwhile_comes_up_next() {
    let h = started("").await;
    let result = async {
        let first = "07aaaa0000000000013";
        let second = "07aaaa0000000000014";
        h.sim_post("/__sim/emit", &ended(first))?;
        panel_open(&h, "Lee Park").await?;
        choose(&h, "interested").await?;
        type_notes(&h, "Half-way through these notes").await?;
        let kim = call_event(
            "zp-call-ended-event",
            second,
            json!({ "caller": { "name": "Kim Ode", "number": "+12125550148" } }),
        );
        h.sim_post("/__sim/emit", &kim)?;
        // The second call waits its turn; the form being typed in stays.
        let waiting = wait_until("the second call to wait its turn", || async {
            let text = h.text(".disposition-panel .waiting-forms").await?;
            text.contains("Kim Ode").then_some(text)
        })
        .await?;
        let summary = h
            .text(".disposition-panel .log-call")
            .await
            .unwrap_or_default();
        if !summary.contains("Lee Park")
            || value(&h, "#log-notes").await? != "Half-way through these notes"
        {
            return Err(format!(
                "the form moved while typed in: {summary:?} (waiting: {waiting:?})"
            ));
        }
        h.click(".disposition-panel button[type=submit]").await?;
        // Saving brings up the waiting call's own, empty form.
        panel_open(&h, "Kim Ode").await?;
        if !value(&h, "#log-notes").await?.is_empty() {
            return Err("the second call's form holds the first call's notes".into());
        }
        if h.text(".disposition-panel .waiting-forms").await.is_some() {
            return Err("the call being logged is still listed as waiting".into());
        }
        choose(&h, "not_interested").await?;
        h.click(".disposition-panel button[type=submit]").await?;
        // Nothing left to log: the form closes.
        wait_until("the panel to close", || async {
            h.attribute(".disposition-panel", "hidden").await.map(drop)
        })
        .await?;
        let (one, two) = (stored_log(&h, first).await?, stored_log(&h, second).await?);
        if one["notes"] != "Half-way through these notes" || two["disposition"] != "not_interested"
        {
            return Err(format!("stored logs: {one} / {two}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "save_closes_the_form_and_a_call_that_ended_meanwhile_comes_up_next",
        result,
    )
    .await;
}

/// Opens the app in a second window of the same browser (same storage and locks) and
/// returns both window handles, the first window's first.
async fn two_tabs(h: &Harness) -> Result<(WindowHandle, WindowHandle), String> {
    let first = h.client().window().await.map_err(|e| e.to_string())?;
    let second = h
        .client()
        .new_window(false)
        .await
        .map_err(|e| e.to_string())?
        .handle;
    to(h, &second).await?;
    h.open_app().await?;
    Ok((first, second))
}

async fn to(h: &Harness, window: &WindowHandle) -> Result<(), String> {
    h.client()
        .switch_to_window(window.clone())
        .await
        .map_err(|e| format!("switch windows: {e}"))
}

#[tokio::test]
async fn two_tabs_saving_different_logs_see_both_and_the_same_words_are_saved_once() {
    let h = started("").await;
    let result = async {
        let (a, b) = two_tabs(&h).await?;
        let call_id = "07aaaa0000000000007";
        h.sim_post("/__sim/emit", &ended(call_id))?;
        to(&h, &a).await?;
        panel_open(&h, "Lee Park").await?;
        choose(&h, "interested").await?;
        type_notes(&h, "Tab A: wants a quote").await?;
        // Tab B shows what tab A typed until its agent types something else.
        to(&h, &b).await?;
        wait_until("tab B to show tab A's notes", || async {
            (value(&h, "#log-notes").await.ok()? == "Tab A: wants a quote").then_some(())
        })
        .await?;
        notes_field(&h)
            .await?
            .clear()
            .await
            .map_err(|e| e.to_string())?;
        type_notes(&h, "Tab B: already a customer").await?;
        choose(&h, "not_interested").await?;
        to(&h, &a).await?;
        h.click(".disposition-panel button[type=submit]").await?;
        listed_as(&h, call_id, "logged").await?;
        to(&h, &b).await?;
        if value(&h, "#log-notes").await? != "Tab B: already a customer" {
            return Err("tab B's text was replaced by tab A's save".into());
        }
        h.click(".disposition-panel button[type=submit]").await?;
        listed_as(&h, call_id, "conflict").await?;
        // The top bar says a log needs the agent; one click shows both versions.
        h.click(".attention").await?;
        wait_until("tab B to show both versions", || async {
            h.text(".disposition-panel .log-conflict").await
        })
        .await?;
        let versions = h
            .exec(
                "return [...document.querySelectorAll('.log-conflict .version-notes')]\
                 .map(e => e.textContent);",
                vec![],
            )
            .await?;
        h.accessible("the disposition panel showing a conflict")
            .await?;
        if versions != json!(["Tab B: already a customer", "Tab A: wants a quote"]) {
            return Err(format!("the conflict shows {versions:?}"));
        }
        let log = stored_log(&h, call_id).await?;
        if log["notes"] != "Tab A: wants a quote" || log["version"] != 1 {
            return Err(format!("the stored log changed: {log}"));
        }

        let same = "07aaaa0000000000008";
        h.sim_post("/__sim/emit", &ended(same))?;
        to(&h, &a).await?;
        panel_open(&h, "Lee Park").await?;
        choose(&h, "interested").await?;
        type_notes(&h, "Same words").await?;
        to(&h, &b).await?;
        wait_until("tab B to show the same words", || async {
            (value(&h, "#log-notes").await.ok()? == "Same words").then_some(())
        })
        .await?;
        // Tab B's agent touches the notes and leaves them as they were: the same
        // words typed in two tabs are saved once, and both tabs show them logged.
        type_notes(&h, " \u{E003}").await?;
        to(&h, &a).await?;
        h.click(".disposition-panel button[type=submit]").await?;
        for tab in [&a, &b] {
            to(&h, tab).await?;
            listed_as(&h, same, "logged").await?;
        }
        let log = stored_log(&h, same).await?;
        if log["version"] != 1 || log["notes"] != "Same words" {
            return Err(format!("identical saves stored {log}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "two_tabs_saving_different_logs_see_both_and_the_same_words_are_saved_once",
        result,
    )
    .await;
}

#[tokio::test]
async fn a_call_replayed_three_times_in_two_tabs_is_logged_once_and_shown_logged_in_both() {
    let h = started("").await;
    let result = async {
        let (a, b) = two_tabs(&h).await?;
        let call_id = "07aaaa0000000000009";
        for _ in 0..3 {
            h.sim_post("/__sim/emit", &ended(call_id))?;
        }
        to(&h, &a).await?;
        panel_open(&h, "Lee Park").await?;
        choose(&h, "interested").await?;
        h.click(".disposition-panel button[type=submit]").await?;
        for tab in [&a, &b] {
            to(&h, tab).await?;
            listed_as(&h, call_id, "logged").await?;
            let rows = h
                .client()
                .find_all(Locator::Css(&format!(
                    ".calls-list li[data-call-id=\"{call_id}\"]"
                )))
                .await
                .map_err(|e| e.to_string())?;
            if rows.len() != 1 {
                return Err(format!("{} rows for the call", rows.len()));
            }
        }
        let log = stored_log(&h, call_id).await?;
        if log["version"] != 1 {
            return Err(format!("stored log: {log}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "a_call_replayed_three_times_in_two_tabs_is_logged_once_and_shown_logged_in_both",
        result,
    )
    .await;
}

#[tokio::test]
async fn closing_the_leading_tab_hands_a_waiting_save_to_the_other() {
    let mut h = started(QUICK_OUTBOX).await;
    let result = async {
        let (a, b) = two_tabs(&h).await?;
        let call_id = "07aaaa0000000000010";
        h.stack.proxy.stop();
        h.sim_post("/__sim/emit", &ended(call_id))?;
        to(&h, &a).await?;
        panel_open(&h, "Lee Park").await?;
        choose(&h, "call_back_later").await?;
        type_notes(&h, "Saved in the first tab").await?;
        h.click(".disposition-panel button[type=submit]").await?;
        wait_until("the first tab to wait for the proxy", || async {
            h.text(".outbox-banner")
                .await?
                .contains("1 log waiting")
                .then_some(())
        })
        .await?;
        h.client().close_window().await.map_err(|e| e.to_string())?;
        to(&h, &b).await?;
        h.stack.restart_proxy()?;
        let log = stored_log(&h, call_id).await?;
        if log["notes"] != "Saved in the first tab" {
            return Err(format!("stored log: {log}"));
        }
        listed_as(&h, call_id, "logged").await
    }
    .await;
    h.finish(
        "closing_the_leading_tab_hands_a_waiting_save_to_the_other",
        result,
    )
    .await;
}

#[tokio::test]
async fn a_number_two_contacts_share_pops_the_contact_picked_last_time() {
    let h = Harness::start_with_config(20, &[], None).await;
    let result = async {
        let number = "+12125550188";
        for name in ["Morgan One", "Morgan Two"] {
            let draft = json!({ "name": name,
                "numbers": [{ "label": "work", "raw": number, "doNotCall": false }] });
            let status = h.proxy_send("POST", "/api/contacts", &draft)?;
            if status != 201 {
                return Err(format!("creating {name} answered {status}"));
            }
        }
        let matched = h.proxy_get("/api/contacts/match?number=%2B12125550188")?;
        let two = matched["contacts"]
            .as_array()
            .and_then(|all| all.iter().find(|c| c["name"] == "Morgan Two"))
            .and_then(|c| c["id"].as_i64())
            .ok_or(format!("no Morgan Two in {matched}"))?;
        h.open_app().await?;
        let ring = |call_id: &str| {
            json!({ "type": "zp-call-ringing-event", "data": {
                "callId": call_id, "direction": "inbound",
                "caller": { "number": number },
                "callee": { "name": "Riley Agent", "phoneNumber": "+14155550199" } } })
        };
        h.sim_post("/__sim/emit", &ring("09aaaa0000000000001"))?;
        let choices = wait_until("the screen pop to ask which contact", || async {
            let names = h
                .exec(
                    "return [...document.querySelectorAll('.screen-pop button')]\
                     .map(b => b.textContent);",
                    vec![],
                )
                .await
                .ok()?;
            (names.as_array()?.len() == 2).then_some(names)
        })
        .await?;
        if choices != json!(["Morgan One", "Morgan Two"]) {
            return Err(format!("the pop offers {choices}"));
        }
        h.click(&format!(".screen-pop button[data-contact-id=\"{two}\"]"))
            .await?;
        h.wait_for_banner("ringing", "Morgan Two").await?;
        let end = call_event(
            "zp-call-ended-event",
            "09aaaa0000000000001",
            json!({ "caller": { "number": number } }),
        );
        h.sim_post("/__sim/emit", &end)?;
        // The form names the contact picked for the call.
        panel_open(&h, "Morgan Two").await?;
        choose(&h, "interested").await?;
        h.click(".disposition-panel button[type=submit]").await?;
        let log = stored_log(&h, "09aaaa0000000000001").await?;
        if log["contactId"] != two {
            return Err(format!("the log names contact {}", log["contactId"]));
        }
        h.sim_post("/__sim/emit", &ring("09aaaa0000000000002"))?;
        h.wait_for_banner("ringing", "Morgan Two").await?;
        if h.attribute(".screen-pop", "hidden").await.is_none() {
            return Err("the pop asked again".into());
        }
        // The contact's row and history show the saved outcome.
        h.client()
            .find(Locator::Css("#contact-search"))
            .await
            .map_err(|e| e.to_string())?
            .send_keys("Morgan Two")
            .await
            .map_err(|e| e.to_string())?;
        wait_until("Morgan Two's row to show the disposition", || async {
            let name = h.text("tbody tr[data-contact-id] td.name").await?;
            let last = h.text("tbody tr[data-contact-id] td.last-call").await?;
            (name == "Morgan Two" && last.contains("Interested")).then_some(())
        })
        .await?;
        h.click("tbody tr[data-contact-id] .edit-button").await?;
        let history = wait_until("the contact's calls in the editor", || async {
            h.text(".contact-history li").await
        })
        .await?;
        if !history.contains("Interested") || !history.contains("inbound") {
            return Err(format!("the history reads {history:?}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "a_number_two_contacts_share_pops_the_contact_picked_last_time",
        result,
    )
    .await;
}

/// Submits the calls view's export form as the browser would, with `dates` put in
/// its date fields first (`None`: as the form offers), and returns the status,
/// `Content-Disposition` and body of the answer.
async fn export(h: &Harness, dates: Option<(&str, &str)>) -> Result<(u64, String, String), String> {
    let script = "const [dates, done] = arguments;
        const form = document.querySelector('form.export');
        if (dates) { form.elements.from.value = dates[0]; form.elements.to.value = dates[1]; }
        const url = form.action + '?' + new URLSearchParams(new FormData(form));
        fetch(url).then(async r => done([r.status, r.headers.get('content-disposition'),
            await r.text()])).catch(e => done([0, '', String(e)]));";
    let dates = dates.map_or(Value::Null, |(from, to)| json!([from, to]));
    let answer = h
        .client()
        .execute_async(script, vec![dates])
        .await
        .map_err(|e| format!("export: {e}"))?;
    Ok((
        answer[0].as_u64().unwrap_or_default(),
        answer[1].as_str().unwrap_or_default().to_owned(),
        answer[2].as_str().unwrap_or_default().to_owned(),
    ))
}

#[tokio::test]
async fn the_csv_export_holds_the_saved_logs_of_the_range() {
    let h = started("").await;
    let result = async {
        for (call_id, code, notes) in [
            ("07aaaa0000000000011", "interested", "Quote, \"urgent\""),
            ("07aaaa0000000000012", "not_interested", "=HYPERLINK(\"x\")"),
        ] {
            h.sim_post("/__sim/emit", &ended(call_id))?;
            wait_until(&format!("the panel on {call_id}"), || async {
                (h.attribute(".calls-list li:first-child", "data-call-id")
                    .await?
                    == call_id)
                    .then_some(())
            })
            .await?;
            panel_open(&h, "Lee Park").await?;
            choose(&h, code).await?;
            type_notes(&h, notes).await?;
            h.click(".disposition-panel button[type=submit]").await?;
            listed_as(&h, call_id, "logged").await?;
        }
        let (status, disposition, csv) = export(&h, None).await?;
        if status != 200 || !disposition.contains("attachment") {
            return Err(format!("export answered {status} {disposition:?}"));
        }
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let rows: Vec<csv::StringRecord> = reader
            .records()
            .collect::<Result<_, _>>()
            .map_err(|e| format!("the export is not CSV: {e}"))?;
        let headers = reader.headers().map_err(|e| e.to_string())?.clone();
        let column = |name: &str| headers.iter().position(|h| h == name);
        let (Some(id), Some(label), Some(notes)) = (
            column("call_id"),
            column("disposition_label"),
            column("notes"),
        ) else {
            return Err(format!("columns: {headers:?}"));
        };
        let got: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| (&r[id], &r[label], &r[notes]))
            .collect();
        let expected = [
            ("07aaaa0000000000011", "Interested", "Quote, \"urgent\""),
            (
                "07aaaa0000000000012",
                "Not interested",
                "'=HYPERLINK(\"x\")",
            ),
        ];
        if got != expected {
            return Err(format!("the export holds {got:?}"));
        }
        let (_, _, earlier) = export(&h, Some(("2020-01-01", "2020-01-31"))).await?;
        if earlier.lines().count() != 1 {
            return Err(format!("a range without logs exported {earlier:?}"));
        }
        Ok(())
    }
    .await;
    h.finish("the_csv_export_holds_the_saved_logs_of_the_range", result)
        .await;
}

#[tokio::test]
async fn codes_come_in_their_groups_and_a_code_that_needs_notes_says_so_until_they_are_typed() {
    let h = started("").await;
    let result = async {
        let call_id = "07aaaa0000000000012";
        h.sim_post("/__sim/emit", &ended(call_id))?;
        panel_open(&h, "Lee Park").await?;
        let groups = h
            .exec(
                "return [...document.querySelectorAll('#log-disposition optgroup')].map(g => \
                 g.label + ': ' + [...g.querySelectorAll('option')].map(o => o.textContent) \
                 .join(', '));",
                vec![],
            )
            .await?;
        let expected = json!([
            "Connected: Interested, Not interested, Call back later",
            "Not connected: Left voicemail, No answer, Wrong number (notes required)"
        ]);
        if groups != expected {
            return Err(format!("the codes are grouped as {groups}"));
        }
        // Save without a code: the code is asked for, and nothing is sent.
        h.click(".disposition-panel button[type=submit]").await?;
        wait_until("the code's error", || async {
            let error = h.text("#log-disposition-error").await?;
            (error == "Choose a disposition.").then_some(())
        })
        .await?;
        choose(&h, "wrong_number").await?;
        let notes_error = wait_until("the notes' error, as the code changes", || async {
            let error = h.text("#log-notes-error").await?;
            (!error.is_empty()).then_some(error)
        })
        .await?;
        if notes_error != "Notes are required for “Wrong number”."
            || h.attribute("#log-notes", "aria-invalid").await.as_deref() != Some("true")
            || !h
                .text("#log-disposition-error")
                .await
                .unwrap_or_default()
                .is_empty()
        {
            return Err(format!("after choosing Wrong number: {notes_error:?}"));
        }
        if h.proxy_get(&format!("/api/calls/{call_id}/log")).is_ok() {
            return Err("a log was saved without its notes".into());
        }
        h.accessible("the disposition panel with a field error")
            .await?;
        type_notes(&h, "Dialled the old office").await?;
        wait_until("the notes' error to clear as they are typed", || async {
            let error = h.text("#log-notes-error").await?;
            error.is_empty().then_some(())
        })
        .await?;
        h.click(".disposition-panel button[type=submit]").await?;
        let log = stored_log(&h, call_id).await?;
        if log["disposition"] != "wrong_number" || log["notes"] != "Dialled the old office" {
            return Err(format!("stored log: {log}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "codes_come_in_their_groups_and_a_code_that_needs_notes_says_so_until_they_are_typed",
        result,
    )
    .await;
}

/// Ben and Chloe, reps of the emulated account.
const BEN: &str = "ben.okafor@dialdesk.example";
const CHLOE: &str = "chloe.martin@dialdesk.example";

/// The `localStorage` keys of this page that start with `prefix`.
async fn stored_keys(h: &Harness, prefix: &str) -> Result<Vec<String>, String> {
    let keys = h
        .exec(
            "return Object.keys(localStorage).filter(k => k.startsWith(arguments[0]));",
            vec![json!(prefix)],
        )
        .await?;
    Ok(keys
        .as_array()
        .map(|keys| {
            keys.iter()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// Signs the browser out through the session menu, back to the sign-in screen.
async fn sign_out(h: &Harness) -> Result<(), String> {
    h.click(".session-menu > summary").await?;
    h.click("#sign-out").await?;
    h.sign_in_screen().await
}

/// Saves the open panel's log as "interested" with `notes`.
async fn save_interested(h: &Harness, notes: &str) -> Result<(), String> {
    choose(h, "interested").await?;
    type_notes(h, notes).await?;
    h.click(".disposition-panel button[type=submit]").await
}

#[tokio::test]
async fn a_rep_signing_in_after_another_on_the_same_browser_never_sends_their_saves() {
    let mut h = Harness::start_with_config(20, &[], Some(QUICK_OUTBOX)).await;
    let result = async {
        let (bens_call, chloes_call) = ("07aaaa0000000000031", "07aaaa0000000000032");
        h.sign_in(BEN).await?;
        h.open_app().await?;
        // Ben saves a log while the proxy is away: it waits in this browser.
        h.stack.proxy.stop();
        h.sim_post("/__sim/emit", &ended(bens_call))?;
        panel_open(&h, "Lee Park").await?;
        save_interested(&h, "Ben's words").await?;
        wait_until("Ben's save to wait in storage", || async {
            let keys = stored_keys(&h, "dialdesk.log.@").await.ok()?;
            keys.iter()
                .any(|k| k.ends_with(bens_call) && k.contains("BenOkafor"))
                .then_some(())
        })
        .await?;
        h.client()
            .goto("about:blank")
            .await
            .map_err(|e| e.to_string())?;
        h.stack.restart_proxy()?;
        // Chloe signs in on the same browser, and her own save goes out.
        h.sign_in(CHLOE).await?;
        h.open_app().await?;
        h.sim_post("/__sim/emit", &ended(chloes_call))?;
        panel_open(&h, "Lee Park").await?;
        save_interested(&h, "Chloe's words").await?;
        let hers = stored_log(&h, chloes_call).await?;
        if hers["savedBy"] != "Chloe Martin" {
            return Err(format!("Chloe's log: {hers}"));
        }
        // Her outbox has run; Ben's save was not in it.
        if let Ok(sent) = h.proxy_get(&format!("/api/calls/{bens_call}/log")) {
            return Err(format!("Ben's save went out from Chloe's session: {sent}"));
        }
        let keys = stored_keys(&h, "dialdesk.log.@").await?;
        if !keys.iter().any(|k| k.ends_with(bens_call)) {
            return Err(format!(
                "Ben's waiting save is gone from the browser: {keys:?}"
            ));
        }
        // Ben signs in again: his save goes out, as his.
        sign_out(&h).await?;
        h.sign_in(BEN).await?;
        let his = stored_log(&h, bens_call).await?;
        if his["savedBy"] != "Ben Okafor" || his["notes"] != "Ben's words" {
            return Err(format!("Ben's log: {his}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "a_rep_signing_in_after_another_on_the_same_browser_never_sends_their_saves",
        result,
    )
    .await;
}

#[tokio::test]
async fn call_events_waiting_for_the_proxy_survive_the_page_and_are_journalled_once() {
    let mut h = Harness::start_with_config(20, &[], Some(QUICK_OUTBOX)).await;
    let result = async {
        let call_id = "07aaaa0000000000033";
        h.open_app().await?;
        h.stack.proxy.stop();
        h.sim_post(
            "/__sim/emit",
            &call_event("zp-call-ringing-event", call_id, Value::Null),
        )?;
        h.sim_post("/__sim/emit", &ended(call_id))?;
        wait_until("the call's events to wait in storage", || async {
            let keys = stored_keys(&h, "dialdesk.journal.@").await.ok()?;
            let stored = h
                .exec(
                    "return arguments[0].map(k => localStorage.getItem(k)).join('');",
                    vec![json!(keys)],
                )
                .await
                .ok()?;
            let text = stored.as_str()?.to_owned();
            (text.contains("zp-call-ringing-event") && text.contains("zp-call-ended-event"))
                .then_some(())
        })
        .await?;
        // The page goes away while the proxy is down; the proxy comes back; the app
        // opens again and sends what was waiting.
        h.client()
            .goto("about:blank")
            .await
            .map_err(|e| e.to_string())?;
        h.stack.restart_proxy()?;
        h.open_app().await?;
        let journal = wait_until("the call's events in the journal", || async {
            let journal = h.journal(call_id).ok()?;
            (journal.len() >= 2).then_some(journal)
        })
        .await?;
        let kinds: Vec<&str> = journal
            .iter()
            .filter_map(|event| event["kind"].as_str())
            .collect();
        if kinds != ["zp-call-ringing-event", "zp-call-ended-event"] {
            return Err(format!("journalled: {kinds:?}"));
        }
        wait_until("the stored queue to be cleared", || async {
            stored_keys(&h, "dialdesk.journal.@")
                .await
                .ok()?
                .is_empty()
                .then_some(())
        })
        .await?;
        Ok(())
    }
    .await;
    h.finish(
        "call_events_waiting_for_the_proxy_survive_the_page_and_are_journalled_once",
        result,
    )
    .await;
}
