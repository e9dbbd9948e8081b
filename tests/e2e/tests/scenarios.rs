//! One test per simulator scenario, asserting what the rep sees.

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use dialdesk_e2e::{wait_until, Harness, AVA_NUMBER};
use serde_json::{json, Value};

async fn started() -> Harness {
    let h = Harness::start(50, &[]).await;
    h.open_app().await.expect("app opens");
    h
}

/// Waits until the call shown has ended and its card reads `needle`.
async fn ended_with(h: &Harness, needle: &str) -> Result<String, String> {
    h.wait_for_banner("ended", needle).await
}

/// Runs `scenario` and checks the ended call's card reads `needle`.
async fn call_card_shows(test: &str, scenario: &str, needle: &str) {
    let h = started().await;
    let result = async {
        h.scenario(scenario, &Value::Null)?;
        ended_with(&h, needle).await.map(drop)
    }
    .await;
    h.finish(test, result).await;
}

fn kinds(journal: &[Value]) -> Vec<String> {
    let mut kinds: Vec<String> = journal
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
        .collect();
    kinds.sort();
    kinds
}

#[tokio::test]
async fn signed_out_softphone_is_reported_on_the_row() {
    let config = "[bridge]\nring_timeout_ms = 1500\n";
    let h = Harness::start_with_config(50, &[], Some(config)).await;
    let result = async {
        h.open_app().await?;
        h.scenario("signed-out", &Value::Null)?;
        let (_, shown) = h.first_row().await?;
        let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
        h.click("tbody tr[data-contact-id] button.call-button")
            .await?;
        let notice = wait_until("the row to say the softphone did not answer", || async {
            h.text(".row-notices .row-notice").await
        })
        .await?;
        if !notice.contains("did not answer") || !notice.contains("signed in") {
            return Err(format!("row notice reads {notice:?}"));
        }
        let links = h.attributes(".row-notices a.fallback-link", "href").await?;
        let expected = [
            format!("zoomphonecall://+1{digits}?callerid={AVA_NUMBER}"),
            format!("tel:+1{digits}"),
        ];
        if links != expected {
            return Err(format!("fallback links are {links:?}"));
        }
        if h.banner().await.0 != "idle" {
            return Err("a dropped call changed the banner".into());
        }
        Ok(())
    }
    .await;
    h.finish("signed_out_softphone_is_reported_on_the_row", result)
        .await;
}

#[tokio::test]
async fn inbound_match_shows_the_contact_name_inside_the_simulator() {
    let h = started().await;
    let result = async {
        // Not E.164: the browser cannot match it, so the proxy normalises it.
        h.scenario("inbound-match", &json!({ "number": "(415) 555-0100" }))?;
        let name = wait_until("the simulator to show the matched name", || async {
            let name = h
                .in_embed(
                    "const m = document.getElementById('sim-match'); return m ? m.dataset.matchName || '' : '';",
                    vec![],
                )
                .await
                .ok()?;
            name.as_str().filter(|n| !n.is_empty()).map(str::to_owned)
        })
        .await?;
        if !name.contains("Ada Lovelace") {
            return Err(format!("the simulator matched {name:?}"));
        }
        h.wait_for_banner("ringing", "Ada Lovelace").await?;
        Ok(())
    }
    .await;
    h.finish(
        "inbound_match_shows_the_contact_name_inside_the_simulator",
        result,
    )
    .await;
}

/// Waits until the simulator has settled its contact match; how (`no-match`: the host
/// answered without a contact; `timed-out`: its own timeout did).
async fn match_settled(h: &Harness) -> Result<String, String> {
    wait_until("the simulator to settle the match", || async {
        let status = h
            .in_embed(
                "const m = document.getElementById('sim-match'); \
                 return m ? m.dataset.matchStatus || '' : '';",
                vec![],
            )
            .await
            .ok()?;
        status
            .as_str()
            .filter(|s| !s.is_empty() && *s != "waiting")
            .map(str::to_owned)
    })
    .await
}

#[tokio::test]
async fn a_match_the_proxy_cannot_answer_still_gets_an_answer_in_time() {
    let mut h = started().await;
    h.stack.proxy.stop();
    let result = async {
        // Not E.164, so only the proxy could match it; the proxy is down.
        h.scenario("inbound-match", &json!({ "number": "(415) 555-0100" }))?;
        let status = match_settled(&h).await?;
        if status != "no-match" {
            return Err(format!("match status {status:?}"));
        }
        h.wait_for_banner("ringing", "(415) 555-0100").await?;
        h.click("button.console-toggle").await?;
        let problem = h.text(".console-line.problem").await.unwrap_or_default();
        if !problem.contains("contact lookup failed") {
            return Err(format!("console problem line reads {problem:?}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "a_match_the_proxy_cannot_answer_still_gets_an_answer_in_time",
        result,
    )
    .await;
}

/// Holds every connection to `addr` open without a word: a proxy that hangs rather
/// than refuses. Stops when the returned flag is set.
fn hang_on(addr: &str) -> Result<Arc<AtomicBool>, String> {
    let listener = TcpListener::bind(addr).map_err(|e| format!("listen on {addr}: {e}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("non-blocking listener: {e}"))?;
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::clone(&stop);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        while !done.load(Ordering::Relaxed) {
            match listener.accept() {
                Ok((connection, _)) => held.push(connection),
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
    });
    Ok(stop)
}

#[tokio::test]
async fn search_and_match_are_answered_by_the_app_when_the_proxy_hangs() {
    let mut h = started().await;
    let addr = h
        .stack
        .proxy
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    h.stack.proxy.stop();
    let hanging = hang_on(&addr);
    let result = async {
        hanging.as_ref().map_err(Clone::clone)?;
        // Not E.164, so only the proxy could match it, and the proxy never answers:
        // the simulator waits three seconds, and records whether the answer came
        // from the app or from its own timeout.
        h.scenario(
            "inbound-match",
            &json!({ "number": "(415) 555-0100", "matchTimeoutMs": 3000 }),
        )?;
        let status = match_settled(&h).await?;
        if status != "no-match" {
            return Err(format!(
                "the match was settled as {status:?}, not by the app's empty answer"
            ));
        }
        h.wait_for_banner("ringing", "(415) 555-0100").await?;
        h.scenario_finished().await.ok();
        // A search for nobody in the book goes to the proxy too.
        h.scenario("search", &json!({ "searchString": "Nobody Atall" }))?;
        wait_until("the app to answer the search", || async {
            let received = h.sim_received().ok()?;
            received
                .iter()
                .any(|m| m["type"] == "zp-contact-search-response")
                .then_some(())
        })
        .await?;
        h.click("button.console-toggle").await?;
        let problem = h.text(".console-line.problem").await.unwrap_or_default();
        if !problem.contains("no answer from the server within") {
            return Err(format!("console problem line reads {problem:?}"));
        }
        Ok(())
    }
    .await;
    if let Ok(stop) = &hanging {
        stop.store(true, Ordering::Relaxed);
    }
    h.finish(
        "search_and_match_are_answered_by_the_app_when_the_proxy_hangs",
        result,
    )
    .await;
}

/// A ringing event for call `call_id`, from the simulator.
fn ringing(call_id: &str) -> Value {
    json!({
        "type": "zp-call-ringing-event",
        "data": {
            "callId": call_id,
            "direction": "inbound",
            "dateTime": "2026-11-02T09:58:51Z",
            "caller": { "name": "Lee Park", "number": "+12125550147" },
            "callee": { "name": "Riley Agent", "phoneNumber": "+14155550199" }
        }
    })
}

#[tokio::test]
async fn the_journal_keeps_events_while_the_proxy_is_away_and_drops_only_a_refused_one() {
    let mut h = started().await;
    h.stack.proxy.stop();
    let result = async {
        // The proxy refuses a call id with a space; the two around it are fine.
        for call_id in ["06aaaa0000000000001", "bad id", "06aaaa0000000000002"] {
            h.sim_post("/__sim/emit", &ringing(call_id))?;
        }
        wait_until("the app to accept the three events", || async {
            (h.attribute(".embed-pane", "data-accepted").await? == "3").then_some(())
        })
        .await?;
        h.stack.restart_proxy()?;
        for good in ["06aaaa0000000000001", "06aaaa0000000000002"] {
            wait_until(&format!("{good} in the journal"), || async {
                (!h.journal(good).ok()?.is_empty()).then_some(())
            })
            .await?;
        }
        h.click("button.console-toggle").await?;
        let problem = h.text(".console-line.problem").await.unwrap_or_default();
        if !problem.contains("journal refused an event") {
            return Err(format!("console problem line reads {problem:?}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "the_journal_keeps_events_while_the_proxy_is_away_and_drops_only_a_refused_one",
        result,
    )
    .await;
}

#[tokio::test]
async fn search_results_come_from_the_contact_book() {
    let h = started().await;
    let result = async {
        h.scenario("search", &json!({ "searchString": "Lovelace" }))?;
        wait_until("the simulator to list the search results", || async {
            let text = h
                .in_embed(
                    "return document.getElementById('sim-search-results').textContent;",
                    vec![],
                )
                .await
                .ok()?;
            text.as_str()
                .filter(|t| t.contains("Ada Lovelace"))
                .map(|_| ())
        })
        .await
    }
    .await;
    h.finish("search_results_come_from_the_contact_book", result)
        .await;
}

#[tokio::test]
async fn missed_and_rejected_calls_end_with_their_result() {
    let h = started().await;
    let result = async {
        h.scenario("missed", &Value::Null)?;
        ended_with(&h, "Call ended: missed").await?;
        h.scenario_finished().await?;
        h.scenario(
            "rejected",
            &json!({ "number": "+12125550147", "name": "Lee Park" }),
        )?;
        ended_with(&h, "Lee Park").await?;
        let text = h.banner().await.1;
        if !text.contains("Call ended: rejected") {
            return Err(format!("banner reads {text:?}"));
        }
        Ok(())
    }
    .await;
    h.finish("missed_and_rejected_calls_end_with_their_result", result)
        .await;
}

#[tokio::test]
async fn voicemail_shows_on_the_call_card() {
    call_card_shows("voicemail_shows_on_the_call_card", "voicemail", "voicemail").await;
}

#[tokio::test]
async fn a_recording_after_the_end_joins_the_call() {
    call_card_shows(
        "a_recording_after_the_end_joins_the_call",
        "late-recording",
        "1 recording",
    )
    .await;
}

#[tokio::test]
async fn two_recordings_of_one_call_are_both_kept() {
    call_card_shows(
        "two_recordings_of_one_call_are_both_kept",
        "two-recordings",
        "2 recordings",
    )
    .await;
}

#[tokio::test]
async fn a_repeated_event_is_applied_and_journalled_once() {
    let h = started().await;
    let result = async {
        h.scenario("duplicate", &Value::Null)?;
        ended_with(&h, "Dana Whitfield").await?;
        let call_id = h.banner_call_id().await;
        let journal = wait_until("the journal to hold the call's events", || async {
            let journal = h.journal(&call_id).ok()?;
            journal
                .iter()
                .any(|e| e["kind"] == "zp-call-ended-event")
                .then_some(journal)
        })
        .await?;
        let kinds = kinds(&journal);
        let mut distinct = kinds.clone();
        distinct.dedup();
        if kinds != distinct {
            return Err(format!("a repeat was journalled twice: {kinds:?}"));
        }
        Ok(())
    }
    .await;
    h.finish("a_repeated_event_is_applied_and_journalled_once", result)
        .await;
}

#[tokio::test]
async fn events_out_of_order_give_the_same_call_card() {
    let h = started().await;
    let result = async {
        h.scenario("out-of-order", &Value::Null)?;
        let card = ended_with(&h, "1 recording").await?;
        for part in ["Dana Whitfield", "Call ended", "logged in Zoom"] {
            if !card.contains(part) {
                return Err(format!("card {card:?} lacks {part:?}"));
            }
        }
        let call_id = h.banner_call_id().await;
        let journal = wait_until("five journal entries", || async {
            let journal = h.journal(&call_id).ok()?;
            (journal.len() >= 5).then_some(journal)
        })
        .await?;
        if journal.len() != 5 {
            return Err(format!(
                "expected 5 journal entries, got {:?}",
                kinds(&journal)
            ));
        }
        Ok(())
    }
    .await;
    h.finish("events_out_of_order_give_the_same_call_card", result)
        .await;
}

#[tokio::test]
async fn a_transfer_leg_stays_part_of_the_call() {
    let h = started().await;
    let result = async {
        h.scenario("transfer", &Value::Null)?;
        let card = ended_with(&h, "transferred").await?;
        if !card.contains("Dana Whitfield") || card.contains("Sam Senior") {
            return Err(format!("the transfer changed the party: {card:?}"));
        }
        Ok(())
    }
    .await;
    h.finish("a_transfer_leg_stays_part_of_the_call", result)
        .await;
}

#[tokio::test]
async fn both_number_spellings_show_the_number() {
    call_card_shows(
        "both_number_spellings_show_the_number",
        "spellings",
        "(415) 555-0123",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_event_type_is_kept_not_rejected() {
    let h = started().await;
    let result = async {
        h.scenario("unknown", &Value::Null)?;
        h.click("button.console-toggle").await?;
        let line = wait_until("the console to list the unknown event", || async {
            h.text(".console-line.accepted:last-child")
                .await
                .filter(|t| t.contains("zp-some-future-event"))
        })
        .await?;
        if !line.contains("unknown type, kept as sent") {
            return Err(format!("console line reads {line:?}"));
        }
        if h.rejected().await != 0 {
            return Err("the unknown event was rejected".into());
        }
        Ok(())
    }
    .await;
    h.finish("an_unknown_event_type_is_kept_not_rejected", result)
        .await;
}
