//! The rep's first call: click a row, the simulator dials, the banner follows the call.

use dialdesk_e2e::{wait_until, Harness, Setup, AVA_NUMBER};
use serde_json::Value;

/// `(415) 555-0123` → `+14155550123`.
fn e164_of_display(shown: &str) -> String {
    let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
    format!("+1{digits}")
}

fn make_call_numbers(received: &[Value]) -> Vec<(String, String)> {
    received
        .iter()
        .filter(|m| m["type"] == "zp-make-call")
        .map(|m| {
            let data = &m["data"];
            (
                data["number"].as_str().unwrap_or_default().to_owned(),
                data["callerId"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Clicks the first row's Call button; the `zp-make-call`s the simulator received.
async fn call_first_row(h: &Harness) -> Result<Vec<(String, String)>, String> {
    h.click("tbody tr[data-contact-id] button.call-button")
        .await?;
    wait_until("the simulator to receive zp-make-call", || async {
        let calls = make_call_numbers(&h.sim_received().ok()?);
        (!calls.is_empty()).then_some(calls)
    })
    .await
}

/// Waits until the Last call cell of the first row matching `row` reads
/// `1× · HH:MM · ended`; returns it.
async fn last_call_reads(h: &Harness, row: &str) -> Result<String, String> {
    wait_until("the row's Last call to read 1× · HH:MM · ended", || async {
        let text = h.text(&format!("{row} td.last-call")).await?;
        let clock = text.strip_prefix("1× · ")?.strip_suffix(" · ended")?;
        let digits = clock.bytes().filter(u8::is_ascii_digit).count();
        (clock.len() == 5 && clock.as_bytes()[2] == b':' && digits == 4).then_some(text.clone())
    })
    .await
}

#[tokio::test]
async fn click_to_call_rings_connects_and_ends() {
    let h = Harness::start(50, &["--step"]).await;
    let result = async {
        h.open_app().await?;
        // The simulator page reports what it received over HTTP: wait for it.
        let init_first = wait_until("the simulator to report its first message", || async {
            h.sim_received().ok()?.first().map(|m| m["type"].clone())
        })
        .await
        .ok();
        if init_first != Some(Value::from("zp-init-config")) {
            return Err(format!("the first message to the embed was {init_first:?}"));
        }
        let flags_shown = h
            .in_embed(
                "return document.getElementById('sim-flags').dataset.flagsReceived;",
                vec![],
            )
            .await?;
        if flags_shown != "true" {
            return Err("the simulator does not show the init-config flags".into());
        }

        let (name, shown) = h.first_row().await?;
        let expected = e164_of_display(&shown);
        let calls = call_first_row(&h).await?;
        // Signed in with Zoom, the caller ID is the user's Zoom number.
        if calls != [(expected.clone(), AVA_NUMBER.to_owned())] {
            return Err(format!(
                "expected one call to {expected} from {AVA_NUMBER}, got {calls:?}"
            ));
        }

        // The embed names no one on an outbound call: the banner takes the row's name.
        let ringing_text = h.wait_for_banner("ringing", &name).await?;
        if !ringing_text.contains("Outgoing call ringing") || !ringing_text.contains(&shown) {
            return Err(format!("ringing banner reads {ringing_text:?}"));
        }
        h.scenario("answer", &Value::Null)?;
        h.wait_for_banner("connected", "Connected").await?;
        wait_until("the talk timer to run", || async {
            h.text(".call-timer").await.filter(|t| t != "0:00")
        })
        .await?;

        h.in_embed("document.getElementById('sim-hangup').click();", vec![])
            .await?;
        let ended = h.wait_for_banner("ended", "Call ended").await?;
        if !ended.contains(&shown) {
            return Err(format!(
                "ended banner lost the number: {ended:?} (calling {name})"
            ));
        }
        // The row's Last call follows the call live, and again after a reload (from
        // the proxy's journal): one attempt, its time today, how it ended.
        let row = format!("tbody tr[data-name=\"{name}\"]");
        let live = last_call_reads(&h, &row).await?;
        h.open_app().await?;
        let reloaded = last_call_reads(&h, &row).await?;
        if reloaded != live {
            return Err(format!(
                "Last call read {live:?}, after a reload {reloaded:?}"
            ));
        }
        Ok(())
    }
    .await;
    h.finish("click_to_call_rings_connects_and_ends", result)
        .await;
}

#[tokio::test]
async fn the_caller_id_the_rep_picks_reaches_the_embed() {
    let config = "[[caller_ids]]\nlabel = \"Main line\"\nnumber = \"+14155550199\"\n\
                  [[caller_ids]]\nlabel = \"Sales\"\nnumber = \"+14155550188\"\n";
    // Signed in with Zoom, the picker offers the user's Zoom numbers instead (zoom.rs);
    // the configured caller IDs are what a proxy without sign-in offers.
    let h = Harness::set_up(Setup {
        seed: 5,
        sim_args: &["--step"],
        toml: Some(config),
        zoom: false,
        ..Setup::default()
    })
    .await;
    let result = async {
        h.open_app().await?;
        let picker = h
            .client()
            .find(fantoccini::Locator::Css(".caller-id select"))
            .await
            .map_err(|e| format!("find the caller-ID picker: {e}"))?;
        picker
            .select_by_value("+14155550188")
            .await
            .map_err(|e| format!("pick Sales: {e}"))?;
        let (_, shown) = h.first_row().await?;
        let calls = call_first_row(&h).await?;
        if calls != [(e164_of_display(&shown), "+14155550188".to_owned())] {
            return Err(format!(
                "expected a call from the Sales line, got {calls:?}"
            ));
        }
        Ok(())
    }
    .await;
    h.finish("the_caller_id_the_rep_picks_reaches_the_embed", result)
        .await;
}

/// Calls the first row and opens the bridge console; its text once the call's
/// `zp-make-call` and ringing lines are listed, and the number called.
async fn console_after_a_call(h: &Harness) -> Result<(String, String), String> {
    h.open_app().await?;
    let (_, shown) = h.first_row().await?;
    call_first_row(h).await?;
    h.wait_for_banner("ringing", &shown).await?;
    h.click("button.console-toggle").await?;
    let text = wait_until("the call's lines in the console", || async {
        let text = h.text(".console-lines").await?;
        (text.contains("zp-make-call") && text.contains("zp-call-ringing-event")).then_some(text)
    })
    .await?;
    Ok((text, e164_of_display(&shown)))
}

#[tokio::test]
async fn the_console_shows_numbers_by_their_last_four_digits_unless_told_otherwise() {
    let h = Harness::start(5, &["--step"]).await;
    let result = async {
        let (text, number) = console_after_a_call(&h).await?;
        h.accessible("the bridge console").await?;
        let last_four = &number[number.len() - 4..];
        if text.contains(&number) || !text.contains(&format!("dial …{last_four}")) {
            return Err(format!("the console shows {number} as: {text}"));
        }
        if !text.contains(&format!("party …{last_four}")) {
            return Err(format!("the ringing line lacks the redacted party: {text}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "the_console_shows_numbers_by_their_last_four_digits_unless_told_otherwise",
        result,
    )
    .await;
    // Positive control: configured to show numbers whole, the same lines do.
    let h = Harness::start_with_config(5, &["--step"], Some("redact_numbers = false\n")).await;
    let result = async {
        let (text, number) = console_after_a_call(&h).await?;
        if !text.contains(&format!("dial {number}")) {
            return Err(format!(
                "with redact_numbers = false the console reads: {text}"
            ));
        }
        Ok(())
    }
    .await;
    h.finish("the_console_shows_numbers_whole_when_configured", result)
        .await;
}
