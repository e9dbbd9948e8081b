//! The contact table as a rep drives it: search as you type, sort, and the keyboard.

use dialdesk_e2e::{wait_until, Harness};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::Value;

async fn first_row_name(h: &Harness) -> String {
    h.text("tbody tr[data-contact-id] td.name")
        .await
        .unwrap_or_default()
}

async fn press(h: &Harness, keys: &str) -> Result<(), String> {
    h.client()
        .find(Locator::Css("body"))
        .await
        .map_err(|e| e.to_string())?
        .send_keys(keys)
        .await
        .map_err(|e| format!("press {keys:?}: {e}"))
}

fn sent(received: &[Value], kind: &str) -> Vec<String> {
    received
        .iter()
        .filter(|m| m["type"] == kind)
        .map(|m| m["data"]["number"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn search_sort_and_keyboard_call_and_text() {
    let h = Harness::start(50, &["--step"]).await;
    let result = async {
        h.open_app().await?;
        // Sorted by name, A to Z, then Z to A after a click on the header.
        let a_to_z = first_row_name(&h).await;
        h.click("th:first-child .sort-button").await?;
        let z_to_a = wait_until("the table to sort by name, Z to A", || async {
            let name = first_row_name(&h).await;
            (name != a_to_z && !name.is_empty()).then_some(name)
        })
        .await?;
        if z_to_a.to_lowercase() < a_to_z.to_lowercase() {
            return Err(format!("{z_to_a:?} sorts before {a_to_z:?}"));
        }
        let aria = h
            .attribute("th:first-child", "aria-sort")
            .await
            .unwrap_or_default();
        if aria != "descending" {
            return Err(format!("aria-sort is {aria:?}"));
        }

        // "/" focuses the search box; typing filters as you type.
        press(&h, "/").await?;
        let search = h
            .client()
            .active_element()
            .await
            .map_err(|e| e.to_string())?;
        if search.attr("id").await.ok().flatten().as_deref() != Some("contact-search") {
            return Err("'/' did not focus the search box".into());
        }
        search
            .send_keys("grace hopper")
            .await
            .map_err(|e| e.to_string())?;
        let typed = search
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        wait_until(&format!("one matching row for {typed:?}"), || async {
            let rows = h
                .client()
                .find_all(Locator::Css("tbody tr[data-contact-id]"))
                .await
                .ok()?;
            (rows.len() == 1).then_some(())
        })
        .await?;
        if first_row_name(&h).await != "Grace Hopper" {
            return Err(format!("search shows {:?}", first_row_name(&h).await));
        }
        // Shortcuts never fire while typing: "t" went into the box, nothing was sent.
        search.send_keys("t").await.map_err(|e| e.to_string())?;
        search
            .send_keys(&Key::Backspace.to_string())
            .await
            .map_err(|e| e.to_string())?;
        search
            .send_keys(&Key::Escape.to_string())
            .await
            .map_err(|e| e.to_string())?;
        if !sent(&h.sim_received()?, "zp-input-sms").is_empty() {
            return Err("a shortcut fired while typing".into());
        }

        // Down selects the row, Enter calls it, t texts it.
        press(&h, &Key::Down.to_string()).await?;
        let selected = h
            .attribute("tbody tr[data-contact-id]", "aria-selected")
            .await
            .unwrap_or_default();
        if selected != "true" {
            return Err("Down did not select the row".into());
        }
        press(&h, &Key::Enter.to_string()).await?;
        press(&h, "t").await?;
        let (calls, texts) = wait_until("the call and the text to reach the embed", || async {
            let received = h.sim_received().ok()?;
            let calls = sent(&received, "zp-make-call");
            let texts = sent(&received, "zp-input-sms");
            (!calls.is_empty() && !texts.is_empty()).then_some((calls, texts))
        })
        .await?;
        if calls != ["+14155550101"] || texts != ["+14155550101"] {
            return Err(format!("calls {calls:?}, texts {texts:?}"));
        }

        // With shortcuts off, keys do nothing.
        h.click(".shortcuts-toggle input").await?;
        press(&h, "t").await?;
        let texts = sent(&h.sim_received()?, "zp-input-sms");
        if texts.len() != 1 {
            return Err(format!("a shortcut fired while turned off: {texts:?}"));
        }
        Ok(())
    }
    .await;
    h.finish("search_sort_and_keyboard_call_and_text", result)
        .await;
}

#[tokio::test]
async fn a_large_book_keeps_few_rows_in_the_dom_and_the_selection_in_view() {
    let h = Harness::start(3000, &[]).await;
    let result = async {
        h.open_app().await?;
        wait_until("all 3 000 contacts", || async {
            let count = h.attribute("table.contacts", "aria-rowcount").await?;
            (count == "3001").then_some(())
        })
        .await?;
        let rows_in_dom = "return document.querySelectorAll('tbody tr[data-contact-id]').length;";
        h.client()
            .execute(
                "document.querySelector('.table-scroll').scrollTop = 40 * 1500; return true;",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        let first_index = wait_until("rows around the middle of the book", || async {
            let index = h
                .attribute("tbody tr[data-contact-id]", "aria-rowindex")
                .await?
                .parse::<u32>()
                .ok()?;
            (index > 1000).then_some(index)
        })
        .await?;
        let in_dom = h
            .client()
            .execute(rows_in_dom, vec![])
            .await
            .map_err(|e| e.to_string())?;
        if in_dom.as_u64().unwrap_or(u64::MAX) > 150 {
            return Err(format!(
                "{in_dom} rows in the DOM (first index {first_index})"
            ));
        }

        // Moving down with the keyboard keeps the selected row on screen.
        h.client()
            .execute(
                "document.querySelector('.table-scroll').scrollTop = 0; return true;",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        press(&h, &"j".repeat(40)).await?;
        let visible = h
            .client()
            .execute(
                "const row = document.querySelector('tbody tr.selected'); \
                 const box = document.querySelector('.table-scroll').getBoundingClientRect(); \
                 if (!row) return 'none'; const r = row.getBoundingClientRect(); \
                 return r.top >= box.top && r.bottom <= box.bottom ? 'visible' : 'hidden';",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        if visible != "visible" {
            return Err(format!("the selected row is {visible}"));
        }
        let index = h
            .attribute("tbody tr.selected", "aria-rowindex")
            .await
            .unwrap_or_default();
        if index != "41" {
            return Err(format!("40 presses of j selected row {index:?}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "a_large_book_keeps_few_rows_in_the_dom_and_the_selection_in_view",
        result,
    )
    .await;
}
