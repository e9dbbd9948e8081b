//! The call banner as a rep and a screen reader meet it: the timer ticks without
//! touching the rest of the banner (a focused **Create contact** keeps its focus), and
//! ringing, connected and ended are announced; numbers read grouped for their country.

use dialdesk_e2e::{wait_until, Harness};
use serde_json::{json, Value};

/// The banner's live region, read as a screen reader would get it.
async fn announced(h: &Harness) -> String {
    h.exec(
        "const s = document.querySelector('.call-banner [aria-live]'); \
         return s ? s.textContent : '';",
        vec![],
    )
    .await
    .ok()
    .and_then(|v| v.as_str().map(str::to_owned))
    .unwrap_or_default()
}

async fn announces(h: &Harness, wanted: &str) -> Result<(), String> {
    wait_until(&format!("the banner to announce {wanted:?}"), || async {
        let said = announced(h).await;
        (said == wanted).then_some(())
    })
    .await
}

#[tokio::test]
async fn create_contact_keeps_the_focus_while_the_timer_ticks_and_each_phase_is_announced() {
    let h = Harness::start(5, &["--step"]).await;
    let result = async {
        h.open_app().await?;
        h.scenario(
            "inbound",
            &json!({ "number": "+14155550166", "name": "Wireless Caller" }),
        )?;
        h.wait_for_banner("ringing", "Wireless Caller").await?;
        announces(&h, "Incoming call ringing, Wireless Caller").await?;
        h.accessible("a ringing call's banner").await?;
        // The rep tabs to Create contact while the call rings; the button is marked so
        // a replaced one is told from the same one.
        h.exec(
            "const b = document.querySelector('.call-banner button.create-contact'); \
             b.dataset.marked = 'yes'; b.focus();",
            vec![],
        )
        .await?;
        let timer = || async { h.text(".call-banner .call-timer").await.unwrap_or_default() };
        let first = timer().await;
        // Two ticks of the timer.
        let second = wait_until("the ringing timer to tick", || async {
            let now = timer().await;
            (now != first).then_some(now)
        })
        .await?;
        wait_until("the ringing timer to tick again", || async {
            let now = timer().await;
            (now != second).then_some(())
        })
        .await?;
        let focused = h
            .exec(
                "const a = document.activeElement; \
                 return a && a.dataset ? a.dataset.marked || a.tagName : 'none';",
                vec![],
            )
            .await?;
        if focused != "yes" {
            return Err(format!("after two ticks the focus is on {focused}"));
        }
        h.scenario("answer", &Value::Null)?;
        h.wait_for_banner("connected", "Wireless Caller").await?;
        announces(&h, "Connected, Wireless Caller").await?;
        h.accessible("a connected call's banner").await?;
        h.scenario("hangup", &Value::Null)?;
        h.wait_for_banner("ended", "Wireless Caller").await?;
        announces(&h, "Call ended, Wireless Caller").await
    }
    .await;
    h.finish(
        "create_contact_keeps_the_focus_while_the_timer_ticks_and_each_phase_is_announced",
        result,
    )
    .await;
}

#[tokio::test]
async fn numbers_read_grouped_for_their_country() {
    let h = Harness::start(0, &["--step"]).await;
    let result = async {
        let draft = json!({ "name": "Zoë Abroad",
            "numbers": [{ "label": "work", "raw": "020 7946 0958 " }] });
        // Read in the proxy's region (US), a London number needs its country code.
        let refused = h.proxy_send("POST", "/api/contacts", &draft)?;
        if refused != 422 {
            return Err(format!("a London number without +44 answered {refused}"));
        }
        let draft = json!({ "name": "Zoë Abroad",
            "numbers": [{ "label": "work", "raw": "+44 (0)20 7946 0958" }] });
        match h.proxy_send("POST", "/api/contacts", &draft)? {
            200 | 201 => {}
            status => return Err(format!("creating Zoë answered {status}")),
        }
        h.open_app().await?;
        wait_until("Zoë's number grouped for the UK", || async {
            let shown = h
                .text("tbody tr[data-name=\"Zoë Abroad\"] td.phone")
                .await?;
            (shown == "+44 20 7946 0958").then_some(())
        })
        .await?;
        // A caller nobody holds: the banner reads the number as the proxy groups it.
        h.scenario("inbound", &json!({ "number": "+33612345678" }))?;
        h.wait_for_banner("ringing", "+33 6 12 34 56 78").await?;
        h.scenario("hangup", &Value::Null)?;
        wait_until(
            "the log form to read the number grouped for France",
            || async {
                let summary = h.text(".disposition-panel .log-call").await?;
                summary.contains("+33 6 12 34 56 78").then_some(())
            },
        )
        .await
    }
    .await;
    h.finish("numbers_read_grouped_for_their_country", result)
        .await;
}
