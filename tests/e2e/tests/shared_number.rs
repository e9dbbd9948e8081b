//! A number two contacts share: a call placed from one of them is that contact's call
//! in the banner, in its Last call and in its saved log; a call to the number from
//! elsewhere asks which contact it is, as the screen pop does, and is then that
//! contact's, before any log and after a reload.

use dialdesk_e2e::{wait_until, Harness};
use serde_json::{json, Value};

/// The number Ada Bartik and Sophie Cray share.
const SHARED: &str = "+14155550177";

/// Creates a contact holding `number`; its id.
fn create(h: &Harness, name: &str, company: &str, number: &str) -> Result<i64, String> {
    let draft = json!({ "name": name, "company": company,
        "numbers": [{ "label": "work", "raw": number }] });
    match h.proxy_send("POST", "/api/contacts", &draft)? {
        200 | 201 => {}
        status => return Err(format!("POST /api/contacts answered {status}")),
    }
    h.book()?
        .iter()
        .find(|c| c["name"] == name)
        .and_then(|c| c["id"].as_i64())
        .ok_or_else(|| format!("{name} is not in the book"))
}

fn row(name: &str) -> String {
    format!("tbody tr[data-name=\"{name}\"]")
}

async fn last_call(h: &Harness, name: &str) -> String {
    h.text(&format!("{} td.last-call", row(name)))
        .await
        .unwrap_or_default()
}

#[tokio::test]
async fn a_call_placed_from_a_contact_is_that_contacts_call() {
    let h = Harness::start(0, &["--step"]).await;
    let result = async {
        // Sophie first: the book's first holder of the number is not the one called.
        create(&h, "Sophie Cray", "Contoso", SHARED)?;
        let ada = create(&h, "Ada Bartik", "Litware", SHARED)?;
        h.open_app().await?;
        h.click(&format!("{} button.call-button", row("Ada Bartik")))
            .await?;
        let ringing = h.wait_for_banner("ringing", "Ada Bartik").await?;
        if ringing.contains("Sophie Cray") || ringing.contains("Several contacts") {
            return Err(format!("the banner reads {ringing:?}"));
        }
        h.scenario("answer", &Value::Null)?;
        h.wait_for_banner("connected", "Ada Bartik").await?;
        h.in_embed("document.getElementById('sim-hangup').click();", vec![])
            .await?;
        h.wait_for_banner("ended", "Ada Bartik").await?;
        wait_until("Ada's row to show the call", || async {
            last_call(&h, "Ada Bartik")
                .await
                .starts_with("1× ")
                .then_some(())
        })
        .await?;
        let sophie = last_call(&h, "Sophie Cray").await;
        if !sophie.is_empty() {
            return Err(format!("Sophie's row shows Ada's call: {sophie:?}"));
        }
        // The log form says whose call it is, and saves it under her.
        wait_until("the disposition panel on Ada's call", || async {
            let summary = h.text(".disposition-panel .log-call").await?;
            summary.contains("Ada Bartik").then_some(())
        })
        .await?;
        h.client()
            .find(fantoccini::Locator::Css("#log-disposition"))
            .await
            .map_err(|e| e.to_string())?
            .select_by_value("interested")
            .await
            .map_err(|e| e.to_string())?;
        h.click(".disposition-panel button[type=submit]").await?;
        let call_id = h.banner_call_id().await;
        let log = wait_until("the saved log", || async {
            h.proxy_get(&format!("/api/calls/{call_id}/log")).ok()
        })
        .await?;
        if log["contactId"] != ada {
            return Err(format!("the log was saved as {log}"));
        }
        // After a reload, from the proxy: still Ada's alone.
        h.open_app().await?;
        wait_until(
            "Ada's row to show the logged call after a reload",
            || async {
                let text = last_call(&h, "Ada Bartik").await;
                text.ends_with("Interested").then_some(())
            },
        )
        .await?;
        let sophie = last_call(&h, "Sophie Cray").await;
        if !sophie.is_empty() {
            return Err(format!("after a reload Sophie's row shows {sophie:?}"));
        }
        Ok(())
    }
    .await;
    h.finish("a_call_placed_from_a_contact_is_that_contacts_call", result)
        .await;
}

#[tokio::test]
async fn a_call_to_a_shared_number_from_elsewhere_asks_which_contact() {
    let h = Harness::start(0, &["--step"]).await;
    let result = async {
        create(&h, "Ada Bartik", "Litware", SHARED)?;
        create(&h, "Sophie Cray", "Contoso", SHARED)?;
        h.open_app().await?;
        // Dialled from the embed's own keypad: dialdesk does not know from whom.
        let ringing = json!({ "type": "zp-call-ringing-event", "data": {
            "callId": "07bbbb0000000000001", "direction": "outbound",
            "dateTime": "2026-12-07T10:00:00Z",
            "caller": { "phoneNumber": "+14155550199" },
            "callee": { "phoneNumber": SHARED } } });
        h.sim_post("/__sim/emit", &ringing)?;
        wait_until("the banner to ask which contact", || async {
            let hidden = h.attribute(".screen-pop", "hidden").await;
            let asked = h.text(".screen-pop").await?;
            (hidden.is_none() && asked.contains("Ada Bartik") && asked.contains("Sophie Cray"))
                .then_some(())
        })
        .await?;
        let (_, before) = h.banner().await;
        if before.contains("Create contact") {
            return Err(format!(
                "the banner offers to create a held number: {before:?}"
            ));
        }
        let sophie = h
            .exec(
                "const b = [...document.querySelectorAll('.screen-pop button')] \
                 .find(b => b.textContent.includes('Sophie Cray')); \
                 return b ? b.dataset.contactId : null;",
                vec![],
            )
            .await?;
        let sophie = sophie.as_str().ok_or("no button for Sophie Cray")?;
        h.click(&format!(".screen-pop button[data-contact-id=\"{sophie}\"]"))
            .await?;
        h.wait_for_banner("ringing", "Sophie Cray").await?;
        let mut ended = ringing;
        ended["type"] = json!("zp-call-ended-event");
        ended["data"]["result"] = json!("ended");
        h.sim_post("/__sim/emit", &ended)?;
        // Not logged yet, the call is Sophie's on the proxy too: after a reload her
        // row alone shows it.
        let sophie: i64 = sophie.parse().map_err(|e| format!("contact id: {e}"))?;
        wait_until("the proxy to hold the call as Sophie's", || async {
            let context = h.proxy_get("/api/calls/context").ok()?;
            context
                .as_array()?
                .iter()
                .any(|c| c["contactId"] == sophie && c["attempts"] == 1)
                .then_some(())
        })
        .await?;
        h.open_app().await?;
        wait_until("Sophie's row to show the call after a reload", || async {
            last_call(&h, "Sophie Cray")
                .await
                .starts_with("1× ")
                .then_some(())
        })
        .await?;
        let ada = last_call(&h, "Ada Bartik").await;
        if !ada.is_empty() {
            return Err(format!(
                "after a reload Ada's row shows Sophie's call: {ada:?}"
            ));
        }
        Ok(())
    }
    .await;
    h.finish(
        "a_call_to_a_shared_number_from_elsewhere_asks_which_contact",
        result,
    )
    .await;
}
