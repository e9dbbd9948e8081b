//! Contacts the rep manages in the app: the call guard on do-not-call numbers and
//! calling hours (block and confirm, fallback links included), the contact editor
//! with the proxy's field errors and an edit conflict between two reps, and a CSV
//! import with its report.

use std::time::{SystemTime, UNIX_EPOCH};

use dialdesk_e2e::{wait_until, Harness, AVA_NUMBER};
use serde_json::{json, Value};

/// Zones without daylight saving and their UTC offsets in minutes, so the test
/// knows their local time from the system clock alone.
const FIXED_ZONES: [(&str, i64); 14] = [
    ("Pacific/Honolulu", -600),
    ("America/Phoenix", -420),
    ("America/Bogota", -300),
    ("America/Sao_Paulo", -180),
    ("UTC", 0),
    ("Africa/Lagos", 60),
    ("Africa/Johannesburg", 120),
    ("Europe/Moscow", 180),
    ("Asia/Dubai", 240),
    ("Asia/Karachi", 300),
    ("Asia/Bangkok", 420),
    ("Asia/Shanghai", 480),
    ("Asia/Tokyo", 540),
    ("Australia/Brisbane", 600),
];

/// A zone whose local time is inside (or outside) 08:00–21:00 with at least half an
/// hour to spare either way, and its local time now.
fn zone(inside: bool) -> (&'static str, i64) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        / 60;
    FIXED_ZONES
        .iter()
        .map(|(zone, offset)| (*zone, (now + offset).rem_euclid(1440)))
        .find(|(_, local)| {
            if inside {
                (8 * 60 + 30..20 * 60 + 30).contains(local)
            } else {
                !(7 * 60 + 30..21 * 60 + 30).contains(local)
            }
        })
        .expect("some fixed-offset zone is in and some out of the window at any time")
}

/// Creates a contact through the proxy with the test's own session.
fn create(h: &Harness, draft: &Value) -> Result<(), String> {
    match h.proxy_send("POST", "/api/contacts", draft)? {
        201 | 200 => Ok(()),
        status => Err(format!("POST /api/contacts answered {status}")),
    }
}

fn contact(name: &str, number: &str, zone: &str, do_not_call: bool) -> Value {
    json!({
        "name": name,
        "timeZone": zone,
        "numbers": [{ "label": "work", "raw": number, "doNotCall": do_not_call }],
    })
}

/// The row of the contact named `name`.
fn row(name: &str) -> String {
    format!("tbody tr[data-name=\"{name}\"]")
}

/// The notice about the row of the contact named `name`, above the table.
fn about(name: &str) -> String {
    format!(".row-notices li[data-name=\"{name}\"]")
}

/// Every `zp-make-call` number the simulator received.
fn dialled(h: &Harness) -> Result<Vec<String>, String> {
    Ok(h.sim_received()?
        .iter()
        .filter(|m| m["type"] == "zp-make-call")
        .filter_map(|m| m["data"]["number"].as_str().map(str::to_owned))
        .collect())
}

/// Three contacts: one on the do-not-call list, one outside its calling hours, one
/// that may be called; returns the late contact's zone.
fn seed_guarded_book(h: &Harness) -> Result<&'static str, String> {
    let (open_zone, _) = zone(true);
    let (late_zone, _) = zone(false);
    create(h, &contact("Ada Listed", "+12125550101", open_zone, true))?;
    create(h, &contact("Bea Late", "+12125550102", late_zone, false))?;
    create(h, &contact("Cy Open", "+12125550103", open_zone, false))?;
    Ok(late_zone)
}

async fn notice(h: &Harness, name: &str) -> Result<String, String> {
    wait_until(&format!("a notice on {name}'s row"), || async {
        h.text(&format!("{} .row-notice", about(name))).await
    })
    .await
}

#[tokio::test]
async fn the_guard_blocks_do_not_call_and_late_contacts_and_offers_no_link() {
    let config = "[guard]\nmode = \"block\"\n";
    let h = Harness::start_with_config(0, &[], Some(config)).await;
    let result = async {
        let late_zone = seed_guarded_book(&h)?;
        h.open_app().await?;
        let tag = h
            .attribute(&format!("{} td.phone", row("Ada Listed")), "class")
            .await;
        if !tag.unwrap_or_default().contains("dnc") {
            return Err("the do-not-call number carries no DNC tag".into());
        }

        h.click(&format!("{} button.call-button", row("Ada Listed")))
            .await?;
        let listed = notice(&h, "Ada Listed").await?;
        if !listed.contains("do-not-call list") {
            return Err(format!("do-not-call notice reads {listed:?}"));
        }
        h.click(&format!("{} button.text-button", row("Bea Late")))
            .await?;
        let late = notice(&h, "Bea Late").await?;
        if !late.contains("Outside calling hours") || !late.contains(late_zone) {
            return Err(format!("calling-hours notice reads {late:?}"));
        }
        for name in ["Ada Listed", "Bea Late"] {
            let item = about(name);
            let remedies = h
                .attributes(
                    &format!("{item} a.fallback-link, {item} button.confirm-button"),
                    "class",
                )
                .await?;
            if !remedies.is_empty() {
                return Err(format!("a blocked row offers {remedies:?}"));
            }
        }

        // The control: a contact inside its hours is dialled, and only it.
        h.click(&format!("{} button.call-button", row("Cy Open")))
            .await?;
        wait_until("the simulator to dial Cy", || async {
            dialled(&h).ok().filter(|d| !d.is_empty())
        })
        .await?;
        let calls = dialled(&h)?;
        if calls != ["+12125550103"] {
            return Err(format!("the simulator dialled {calls:?}"));
        }
        let texts = h
            .sim_received()?
            .iter()
            .filter(|m| m["type"] == "zp-input-sms")
            .count();
        if texts != 0 {
            return Err("a blocked text reached the embed".into());
        }
        Ok(())
    }
    .await;
    h.finish(
        "the_guard_blocks_do_not_call_and_late_contacts_and_offers_no_link",
        result,
    )
    .await;
}

#[tokio::test]
async fn the_guard_asks_first_and_the_fallback_links_come_only_after_confirming() {
    let config = "[guard]\nmode = \"confirm\"\n[bridge]\nring_timeout_ms = 1500\n";
    let h = Harness::start_with_config(0, &[], Some(config)).await;
    let result = async {
        seed_guarded_book(&h)?;
        h.open_app().await?;
        h.scenario("signed-out", &Value::Null)?;

        h.click(&format!("{} button.call-button", row("Ada Listed")))
            .await?;
        let question = notice(&h, "Ada Listed").await?;
        if !question.contains("do-not-call list") {
            return Err(format!("the question reads {question:?}"));
        }
        // The whole message shows, not cut to a cell.
        let cut = h
            .exec(
                "const n = document.querySelector(arguments[0]); \
                 return n.scrollWidth > n.clientWidth + 1;",
                vec![json!(format!("{} .row-notice", about("Ada Listed")))],
            )
            .await?;
        if cut != Value::Bool(false) {
            return Err("the do-not-call question is cut off".into());
        }
        h.accessible("the guard's question above the table").await?;
        let links = h
            .attributes(&format!("{} a.fallback-link", about("Ada Listed")), "href")
            .await?;
        if !links.is_empty() || !dialled(&h)?.is_empty() {
            return Err(format!(
                "before confirming: links {links:?}, dialled {:?}",
                dialled(&h)?
            ));
        }

        // Cancel leaves nothing behind.
        h.click(&format!("{} button.call-button", row("Bea Late")))
            .await?;
        notice(&h, "Bea Late").await?;
        // Outside the calling window, Call anyway goes in one step.
        if h.attribute(
            &format!("{} button.confirm-button", about("Bea Late")),
            "disabled",
        )
        .await
        .is_some()
        {
            return Err("the calling-window question asks for more than a click".into());
        }
        h.click(&format!("{} button.cancel-button", about("Bea Late")))
            .await?;
        wait_until("the cancelled notice to go", || async {
            h.text(&format!("{} .row-notice", about("Bea Late")))
                .await
                .is_none()
                .then_some(())
        })
        .await?;

        // Overriding do-not-call takes a second, deliberate step: the person asked to be
        // called. Confirming then sends the call; the signed-out softphone stays
        // silent, and only then are the Zoom and phone links offered.
        let confirm = format!("{} button.confirm-button", about("Ada Listed"));
        if h.attribute(&confirm, "disabled").await.is_none() {
            return Err("Call anyway overrides do-not-call in one click".into());
        }
        h.click(&format!("{} .dnc-consent input", about("Ada Listed")))
            .await?;
        h.click(&confirm).await?;
        wait_until("the simulator to receive the confirmed call", || async {
            dialled(&h).ok().filter(|d| d == &["+12125550101"])
        })
        .await?;
        let links = wait_until("the fallback links after the silent softphone", || async {
            let links = h
                .attributes(&format!("{} a.fallback-link", about("Ada Listed")), "href")
                .await
                .ok()?;
            (!links.is_empty()).then_some(links)
        })
        .await?;
        // The caller ID is the signed-in user's Zoom number.
        let expected = [
            format!("zoomphonecall://+12125550101?callerid={AVA_NUMBER}"),
            "tel:+12125550101".to_owned(),
        ];
        if links != expected {
            return Err(format!("fallback links are {links:?}"));
        }
        if dialled(&h)? != ["+12125550101"] {
            return Err("the cancelled call was sent".into());
        }
        Ok(())
    }
    .await;
    h.finish(
        "the_guard_asks_first_and_the_fallback_links_come_only_after_confirming",
        result,
    )
    .await;
}

/// Types `text` into the (cleared) input `css`.
async fn type_into(h: &Harness, css: &str, text: &str) -> Result<(), String> {
    let input = h
        .client()
        .find(fantoccini::Locator::Css(css))
        .await
        .map_err(|e| format!("find {css}: {e}"))?;
    input
        .clear()
        .await
        .map_err(|e| format!("clear {css}: {e}"))?;
    input
        .send_keys(text)
        .await
        .map_err(|e| format!("type into {css}: {e}"))
}

/// The current value of the input `css` (the property, which the app sets).
async fn value_of(h: &Harness, css: &str) -> Option<String> {
    let input = h.client().find(fantoccini::Locator::Css(css)).await.ok()?;
    input.prop("value").await.ok().flatten()
}

async fn field_error(h: &Harness, id: &str) -> String {
    h.text(&format!("#{id}")).await.unwrap_or_default()
}

async fn editor_open(h: &Harness) -> Result<(), String> {
    wait_until("the editor to open", || async {
        value_of(h, "#contact-company").await.map(drop)
    })
    .await
}

async fn editor_closed(h: &Harness) -> Result<(), String> {
    wait_until("the editor to close", || async {
        h.text("dialog.contact-editor h2")
            .await
            .is_none()
            .then_some(())
    })
    .await
}

#[tokio::test]
async fn editing_shows_the_proxys_field_errors_then_saves_and_survives_a_reload() {
    let h = Harness::start(5, &[]).await;
    let result = async {
        h.open_app().await?;
        h.click("#contact-new").await?;
        type_into(&h, "#contact-email", "rae@@initech").await?;
        type_into(&h, "#contact-number-0", "12").await?;
        // Fields left behind are checked as the rep moves on, before any Save.
        wait_until(
            "the name's and the e-mail's errors as they are left",
            || async {
                let name = field_error(&h, "contact-name-error").await;
                let email = field_error(&h, "contact-email-error").await;
                (name == "a name is required"
                    && email == "not an e-mail address; write one such as name@example.com")
                    .then_some(())
            },
        )
        .await?;
        if !field_error(&h, "contact-number-0-error").await.is_empty() {
            return Err("the number being typed already shows an error".into());
        }
        h.click("dialog.contact-editor button[type=submit]").await?;
        wait_until("field errors next to the fields", || async {
            let name = field_error(&h, "contact-name-error").await;
            (!name.is_empty()).then_some(())
        })
        .await?;
        for (field, input) in [
            ("contact-name-error", "#contact-name"),
            ("contact-email-error", "#contact-email"),
            ("contact-number-0-error", "#contact-number-0"),
        ] {
            if field_error(&h, field).await.is_empty() {
                return Err(format!("no error shown at {field}"));
            }
            if h.attribute(input, "aria-invalid").await.as_deref() != Some("true") {
                return Err(format!("{input} is not marked invalid"));
            }
        }

        h.accessible("the contact editor with field errors").await?;
        // An error goes as its field changes; the others stay until theirs do.
        type_into(&h, "#contact-name", "Zed Newman").await?;
        wait_until("the name's error to clear as it is typed", || async {
            let cleared = field_error(&h, "contact-name-error").await.is_empty()
                && h.attribute("#contact-name", "aria-invalid").await.is_none();
            cleared.then_some(())
        })
        .await?;
        if field_error(&h, "contact-email-error").await.is_empty() {
            return Err("the e-mail's error went with the name's".into());
        }
        // Each number row's inputs say which number they are.
        h.click("dialog.contact-editor button.add-number").await?;
        let names = wait_until("a second number row", || async {
            let names = h
                .exec(
                    "return [...document.querySelectorAll('dialog.contact-editor .number-row \
                     input, dialog.contact-editor .number-row button')] \
                     .map(e => e.getAttribute('aria-label') || e.labels[0].textContent);",
                    vec![],
                )
                .await
                .ok()?;
            let names: Vec<String> = names
                .as_array()?
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect();
            (names.len() >= 8).then_some(names)
        })
        .await?;
        let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
        if distinct.len() != names.len() || !names.contains(&"Phone number 2".to_owned()) {
            return Err(format!("the number rows' controls are named {names:?}"));
        }
        h.click("dialog.contact-editor .number-row:last-child button.remove-number")
            .await?;
        type_into(&h, "#contact-email", "zed@example.com").await?;
        type_into(&h, "#contact-number-0", "+1 415 555 0177").await?;
        h.click("dialog.contact-editor button[type=submit]").await?;
        editor_closed(&h).await?;
        type_into(&h, "#contact-search", "Zed").await?;
        wait_until("the new contact in the table", || async {
            h.text(&format!("{} td.phone", row("Zed Newman"))).await
        })
        .await?;

        h.click(&format!("{} button.edit-button", row("Zed Newman")))
            .await?;
        editor_open(&h).await?;
        let name = value_of(&h, "#contact-name").await;
        if name.as_deref() != Some("Zed Newman") {
            return Err(format!("the editor opened with name {name:?}"));
        }
        type_into(&h, "#contact-company", "Acme Rockets").await?;
        h.click("dialog.contact-editor button[type=submit]").await?;
        editor_closed(&h).await?;
        let company = format!("{} td.company", row("Zed Newman"));
        wait_until("the edited company in the row", || async {
            h.text(&company).await.filter(|c| c == "Acme Rockets")
        })
        .await?;

        h.open_app().await?;
        type_into(&h, "#contact-search", "Zed").await?;
        wait_until("the edit to survive a reload", || async {
            h.text(&company).await.filter(|c| c == "Acme Rockets")
        })
        .await?;
        Ok(())
    }
    .await;
    h.finish(
        "editing_shows_the_proxys_field_errors_then_saves_and_survives_a_reload",
        result,
    )
    .await;
}

/// The edit another rep sends: `contact` (as the proxy answers it) with `company`,
/// made from the version it was read at.
fn their_edit(contact: &Value, company: &str) -> Value {
    let numbers: Vec<Value> = contact["numbers"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|n| {
            let listed = n["doNotCall"].as_bool().unwrap_or(false);
            json!({ "label": n["label"], "raw": n["raw"], "doNotCall": listed })
        })
        .collect();
    json!({
        "name": contact["name"], "company": company, "title": contact["title"],
        "email": contact["email"], "timeZone": contact["timeZone"], "numbers": numbers,
        "baseVersion": contact["version"],
    })
}

/// Contact `id` as the proxy has it now.
fn stored_contact(h: &Harness, id: i64) -> Result<Value, String> {
    h.proxy_get(&format!("/api/contacts/{id}"))
}

/// Waits for the conflict in the editor and returns its rows: field, yours, saved.
async fn conflict_rows(h: &Harness) -> Result<Vec<Vec<String>>, String> {
    wait_until("both versions in the editor", || async {
        let rows = h
            .exec(
                "return [...document.querySelectorAll('dialog.contact-editor \
                 .contact-conflict tbody tr')].map(r => [...r.children] \
                 .map(c => c.textContent));",
                vec![],
            )
            .await
            .ok()?;
        let rows: Vec<Vec<String>> = serde_json::from_value(rows).ok()?;
        (!rows.is_empty()).then_some(rows)
    })
    .await
}

#[tokio::test]
async fn two_editors_of_one_contact_see_both_versions_and_choose() {
    let h = Harness::start(5, &[]).await;
    let result = async {
        h.open_app().await?;
        let book = h.book()?;
        let contact = book.first().ok_or("an empty book")?;
        let id = contact["id"].as_i64().ok_or("a contact without an id")?;
        let name = contact["name"].as_str().ok_or("a contact without a name")?;
        let edit_button = format!("{} button.edit-button", row(name));
        wait_until("the contact's row", || async { h.text(&row(name)).await }).await?;

        // The rep opens the editor; another rep saves the contact meanwhile.
        h.click(&edit_button).await?;
        editor_open(&h).await?;
        type_into(&h, "#contact-company", "Mine Ltd").await?;
        let status = h.proxy_send(
            "PUT",
            &format!("/api/contacts/{id}"),
            &their_edit(contact, "Theirs Inc"),
        )?;
        if status != 200 {
            return Err(format!("the other rep's edit answered {status}"));
        }
        h.click("dialog.contact-editor button[type=submit]").await?;
        let rows = conflict_rows(&h).await?;
        if rows != [vec!["Company", "Mine Ltd", "Theirs Inc"]] {
            return Err(format!("the conflict shows {rows:?}"));
        }
        let focused = h
            .exec("return document.activeElement.className;", vec![])
            .await?;
        if focused != "keep-mine" {
            return Err(format!("the focus is on {focused}, not Save mine over it"));
        }
        h.accessible("the contact editor showing a conflict")
            .await?;
        h.click("dialog.contact-editor .contact-conflict button.keep-mine")
            .await?;
        editor_closed(&h).await?;
        let kept = stored_contact(&h, id)?;
        if (kept["company"].as_str(), kept["version"].as_u64()) != (Some("Mine Ltd"), Some(3)) {
            return Err(format!("after Save mine over it the proxy has {kept}"));
        }
        let company = format!("{} td.company", row(name));
        wait_until("the kept company in the row", || async {
            h.text(&company).await.filter(|c| c == "Mine Ltd")
        })
        .await?;

        // Again, and this time the rep takes the saved version into the form.
        h.click(&edit_button).await?;
        editor_open(&h).await?;
        type_into(&h, "#contact-company", "Mine Again").await?;
        let status = h.proxy_send(
            "PUT",
            &format!("/api/contacts/{id}"),
            &their_edit(&kept, "Third Co"),
        )?;
        if status != 200 {
            return Err(format!("the other rep's second edit answered {status}"));
        }
        h.click("dialog.contact-editor button[type=submit]").await?;
        conflict_rows(&h).await?;
        h.click("dialog.contact-editor .contact-conflict button.take-stored")
            .await?;
        wait_until("the saved company in the form", || async {
            let taken = value_of(&h, "#contact-company").await?;
            let gone = h
                .text("dialog.contact-editor .contact-conflict")
                .await
                .is_none();
            (taken == "Third Co" && gone).then_some(())
        })
        .await?;
        h.click("dialog.contact-editor button[type=submit]").await?;
        editor_closed(&h).await?;
        let last = stored_contact(&h, id)?;
        if (last["company"].as_str(), last["version"].as_u64()) != (Some("Third Co"), Some(4)) {
            return Err(format!("after Take the saved one the proxy has {last}"));
        }
        wait_until("the saved company in the row", || async {
            h.text(&company).await.filter(|c| c == "Third Co")
        })
        .await?;
        Ok(())
    }
    .await;
    h.finish(
        "two_editors_of_one_contact_see_both_versions_and_choose",
        result,
    )
    .await;
}

/// Whether the open contact editor is modal and holds the keyboard focus.
async fn editor_holds_focus(h: &Harness) -> Result<Value, String> {
    h.exec(
        "const d = document.querySelector('dialog.contact-editor'); \
         return d ? [d.matches(':modal'), d.contains(document.activeElement)] : null;",
        vec![],
    )
    .await
}

#[tokio::test]
async fn editing_a_contact_is_modal_and_leaves_the_embed_loaded() {
    let h = Harness::start(5, &[]).await;
    let result = async {
        h.open_app().await?;
        let book = h.book()?;
        let name = book
            .first()
            .and_then(|c| c["name"].as_str())
            .ok_or("an empty book")?;
        let edit_button = format!("{} button.edit-button", row(name));
        wait_until("the contact's row", || async { h.text(&row(name)).await }).await?;
        let inits = || -> Result<usize, String> {
            Ok(h.sim_received()?
                .iter()
                .filter(|m| m["type"] == "zp-init-config")
                .count())
        };
        wait_until("the embed's init-config", || async {
            inits().ok().filter(|n| *n > 0)
        })
        .await?;
        let inits_before = inits()?;
        // A mark inside the embed's page: it is gone if the iframe reloads.
        h.in_embed("window.dialdeskMark = 'kept'; return null;", vec![])
            .await?;

        h.click(&edit_button).await?;
        editor_open(&h).await?;
        // The saved calls under the form finish loading without moving the page.
        wait_until("the contact's saved calls", || async {
            h.text("dialog.contact-editor .contact-history")
                .await
                .filter(|t| !t.contains("Loading"))
        })
        .await?;
        if editor_holds_focus(&h).await? != json!([true, true]) {
            return Err("the editor is not modal with the focus inside".into());
        }
        // The keyboard cannot leave it for the page behind.
        for step in 0..30 {
            h.client()
                .active_element()
                .await
                .map_err(|e| e.to_string())?
                .send_keys("\u{E004}")
                .await
                .map_err(|e| format!("press Tab: {e}"))?;
            let inside = h
                .exec(
                    "const a = document.activeElement; \
                     return a === document.body || \
                       document.querySelector('dialog.contact-editor').contains(a);",
                    vec![],
                )
                .await?;
            if inside != json!(true) {
                let at = h
                    .exec(
                        "return document.activeElement.outerHTML.slice(0, 120);",
                        vec![],
                    )
                    .await?;
                return Err(format!("Tab {step} left the editor for {at}"));
            }
        }
        h.click("dialog.contact-editor button.cancel").await?;
        editor_closed(&h).await?;

        let mark = h
            .in_embed("return window.dialdeskMark || null;", vec![])
            .await?;
        if mark != json!("kept") || inits()? != inits_before {
            return Err("the embed was reloaded while the editor was open".into());
        }
        Ok(())
    }
    .await;
    h.finish(
        "editing_a_contact_is_modal_and_leaves_the_embed_loaded",
        result,
    )
    .await;
}

#[tokio::test]
async fn an_unknown_caller_becomes_a_contact_from_the_banner() {
    let h = Harness::start(5, &[]).await;
    let result = async {
        h.open_app().await?;
        h.scenario(
            "inbound",
            &json!({ "number": "+14155550166", "name": "Wireless Caller" }),
        )?;
        h.wait_for_banner("ringing", "Wireless Caller").await?;
        h.click(".call-banner button.create-contact").await?;
        let number = value_of(&h, "#contact-number-0").await;
        if number.as_deref() != Some("+14155550166") {
            return Err(format!("the new contact holds {number:?}"));
        }
        type_into(&h, "#contact-name", "Quinn Caller").await?;
        h.click("dialog.contact-editor button[type=submit]").await?;
        editor_closed(&h).await?;
        wait_until("the banner to name the new contact", || async {
            let (_, text) = h.banner().await;
            (text.contains("Wireless Caller")
                && h.text(".call-banner button.create-contact").await.is_none())
            .then_some(())
        })
        .await?;
        let found = h
            .proxy_get("/api/contacts/match?number=%2B14155550166")?
            .to_string();
        if !found.contains("Quinn Caller") {
            return Err(format!("the proxy did not store the new contact: {found}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "an_unknown_caller_becomes_a_contact_from_the_banner",
        result,
    )
    .await;
}

#[tokio::test]
async fn a_csv_uploaded_in_the_app_lists_its_rejected_lines_and_warnings() {
    let h = Harness::start(1, &[]).await;
    let dir = tempfile::tempdir().map_err(|e| e.to_string());
    let result = async {
        let dir = dir?;
        let csv = dir.path().join("book.csv");
        std::fs::write(
            &csv,
            "Name;Company;Phone;Mobile;Email\n\
             Uma Upload;Acme;+1 212 555 0150;;uma@example.com\n\
             Vic Warning;Acme;+1 212 555 0151;call me maybe;\n\
             ;Nobody Inc;;;\n\
             Wes Upload;Beta;(212) 555-0152;;\n\
             Rae Initech;Initech;(212) 555-0153;;rae@@initech\n",
        )
        .map_err(|e| e.to_string())?;
        h.open_app().await?;
        h.click("#contacts-import").await?;
        let input = h
            .client()
            .find(fantoccini::Locator::Css("#import-file"))
            .await
            .map_err(|e| format!("find the file input: {e}"))?;
        input
            .send_keys(&csv.display().to_string())
            .await
            .map_err(|e| format!("choose the file: {e}"))?;
        h.click("#import-start").await?;
        let summary = wait_until("the import report", || async {
            h.text("#import-status")
                .await
                .filter(|s| s.starts_with("Imported"))
        })
        .await?;
        if !summary.contains("Imported 3") || !summary.contains("2 rejected") {
            return Err(format!("the report reads {summary:?}"));
        }
        h.accessible("the import report").await?;
        let listed = wait_until("the rejected line and the warning", || async {
            let rejected = h.text(".import-issues li.rejected").await?;
            let warning = h.text(".import-issues li.warning").await?;
            Some((rejected, warning))
        })
        .await?;
        if !listed.0.contains("line 4: rejected") {
            return Err(format!("rejected line reads {:?}", listed.0));
        }
        // The editor's rule for e-mail addresses, in the editor's words.
        let rejected = h
            .exec(
                "return [...document.querySelectorAll('.import-issues li.rejected')]\
                 .map(li => li.textContent);",
                vec![],
            )
            .await?;
        let bad_email = "line 6, column \"Email\": rejected: not an e-mail address; write one \
                         such as name@example.com";
        if !rejected.as_array().is_some_and(|all| {
            all.iter()
                .any(|li| li.as_str().is_some_and(|t| t.contains(bad_email)))
        }) {
            return Err(format!("the rejected lines read {rejected}"));
        }
        if !listed.1.contains("line 3, column \"Mobile\"") {
            return Err(format!("warning reads {:?}", listed.1));
        }
        h.click(".import-panel button.cancel").await?;
        wait_until("the imported rows in the table", || async {
            h.text(&format!("{} td.company", row("Wes Upload"))).await
        })
        .await?;
        Ok(())
    }
    .await;
    h.finish(
        "a_csv_uploaded_in_the_app_lists_its_rejected_lines_and_warnings",
        result,
    )
    .await;
}
