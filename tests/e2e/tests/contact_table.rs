//! The contact table as a rep drives it: search as you type, sort, and the keyboard.

use std::time::{Duration, Instant};

use dialdesk_e2e::{wait_until, wait_within, Harness};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};

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
        // The first screen is full without scrolling: the window is sized to the
        // scroller once it has been laid out.
        wait_until("rows to fill the visible table", || async {
            let full = h
                .exec(
                    "const s = document.querySelector('.table-scroll'); \
                     const rows = document.querySelectorAll('tbody tr[data-contact-id]').length; \
                     return rows >= Math.floor(s.clientHeight / 40);",
                    vec![],
                )
                .await
                .ok()?;
            (full == serde_json::Value::Bool(true)).then_some(())
        })
        .await?;
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
        if h.text(".match-count").await.as_deref() != Some("1 match") {
            return Err(format!(
                "the count reads {:?}",
                h.text(".match-count").await
            ));
        }
        // Word order is free, as people type names.
        search.clear().await.map_err(|e| e.to_string())?;
        search
            .send_keys("hopper grace")
            .await
            .map_err(|e| e.to_string())?;
        wait_until("Grace Hopper for \"hopper grace\"", || async {
            let count = h.text(".match-count").await?;
            (count == "1 match").then_some(())
        })
        .await?;
        if first_row_name(&h).await != "Grace Hopper" {
            return Err(format!(
                "\"hopper grace\" shows {:?}",
                first_row_name(&h).await
            ));
        }
        // Shortcuts never fire while typing: "t" went into the box, nothing was sent.
        search.send_keys("t").await.map_err(|e| e.to_string())?;
        search
            .send_keys(&Key::Backspace.to_string())
            .await
            .map_err(|e| e.to_string())?;
        // Down in the search box moves into the results: the row is both the current
        // row and the focused one.
        search
            .send_keys(&Key::Down.to_string())
            .await
            .map_err(|e| e.to_string())?;
        let row = wait_until("the row to take the focus", || async {
            let active = h.client().active_element().await.ok()?;
            let name = active.attr("data-name").await.ok().flatten()?;
            let current = active.attr("aria-selected").await.ok().flatten()?;
            (name == "Grace Hopper" && current == "true").then_some(active)
        })
        .await?;
        if !sent(&h.sim_received()?, "zp-input-sms").is_empty() {
            return Err("a shortcut fired while typing".into());
        }
        // Enter calls the focused row; t texts it.
        row.send_keys(&Key::Enter.to_string())
            .await
            .map_err(|e| e.to_string())?;
        row.send_keys("t").await.map_err(|e| e.to_string())?;
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

        // ? lists the shortcuts.
        press(&h, "?").await?;
        wait_until("the list of shortcuts", || async {
            h.attribute(".shortcuts-help", "open").await.map(drop)
        })
        .await?;
        h.click(".shortcuts-help button.primary").await?;
        wait_until("the list of shortcuts to close", || async {
            h.attribute(".shortcuts-help", "open")
                .await
                .is_none()
                .then_some(())
        })
        .await?;
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

/// Contacts in the large book (the table's budgets are set at this size).
const LARGE_BOOK: u32 = 100_000;
/// Most `<tr>` the table body may hold wherever it is scrolled.
const MAX_ROWS_IN_DOM: u64 = 150;

/// A contact of the book as the test compares it.
struct Row {
    id: i64,
    name: String,
    /// Name, company and e-mail, lower-cased, as the search box matches them.
    haystack: [String; 3],
}

fn rows_of(book: &[Value]) -> Vec<Row> {
    let text = |c: &Value, field: &str| c[field].as_str().unwrap_or_default().to_lowercase();
    book.iter()
        .map(|c| Row {
            id: c["id"].as_i64().unwrap_or_default(),
            name: c["name"].as_str().unwrap_or_default().to_owned(),
            haystack: [text(c, "name"), text(c, "company"), text(c, "email")],
        })
        .collect()
}

/// Row positions in the table's default order: name A to Z (case-insensitive), ties in
/// book (id) order.
fn by_name(rows: &[Row]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        (&rows[a].haystack[0], rows[a].id).cmp(&(&rows[b].haystack[0], rows[b].id))
    });
    order
}

/// `<tr>` elements in the table body (rows and spacers).
const TR_IN_BODY: &str = "return document.querySelectorAll('.table-scroll tbody tr').length;";

/// Ids and `aria-rowindex` of the rows in the DOM, in DOM order.
const ROWS_SHOWN: &str = "return [...document.querySelectorAll('tbody tr[data-contact-id]')]
    .map(r => [Number(r.dataset.contactId), Number(r.getAttribute('aria-rowindex'))]);";

/// Whether the name cell of the row matching `arguments[0]` is what the browser shows
/// at its centre: in the viewport and not under the sticky header.
const ROW_ON_SCREEN: &str = "const row = document.querySelector(arguments[0]);
    if (!row) return false;
    const r = row.querySelector('td.name').getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && row.contains(hit);";

/// Scrolls the table to a fraction of its height (0: top, 1: bottom).
const SCROLL_TO: &str = "const s = document.querySelector('.table-scroll');
    s.scrollTop = Math.round((s.scrollHeight - s.clientHeight) * arguments[0]);
    return s.scrollTop;";

async fn rows_shown(h: &Harness) -> Result<Vec<(i64, usize)>, String> {
    serde_json::from_value(h.exec(ROWS_SHOWN, vec![]).await?).map_err(|e| e.to_string())
}

/// Fails when the table body holds more than [`MAX_ROWS_IN_DOM`] `<tr>`.
async fn few_rows_in_dom(h: &Harness, where_: &str) -> Result<(), String> {
    let count = h
        .exec(TR_IN_BODY, vec![])
        .await?
        .as_u64()
        .unwrap_or(u64::MAX);
    if count > MAX_ROWS_IN_DOM {
        return Err(format!("{count} <tr> in the table body {where_}"));
    }
    Ok(())
}

/// Fails unless each row in the DOM shows the contact at its `aria-rowindex` in `order`.
fn rows_match(
    shown: &[(i64, usize)],
    rows: &[Row],
    order: &[usize],
    where_: &str,
) -> Result<(), String> {
    for &(id, index) in shown {
        let expected = index
            .checked_sub(2)
            .and_then(|at| order.get(at))
            .map(|&at| rows[at].id);
        if expected != Some(id) {
            return Err(format!(
                "{where_}: row {index} shows contact {id}, expected {expected:?}"
            ));
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_book_of_100_000_loads_in_pages_stays_virtualised_and_searches_it_all() {
    let started = Instant::now();
    let h = Harness::start(LARGE_BOOK, &[]).await;
    eprintln!(
        "large book: stack with {LARGE_BOOK} seeded contacts started in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let result = async {
        let rows = rows_of(&h.book()?);
        let order = by_name(&rows);
        if rows.len() != LARGE_BOOK as usize {
            return Err(format!("the proxy holds {} contacts", rows.len()));
        }

        let opened = Instant::now();
        h.open_app().await?;
        wait_within(
            Duration::from_secs(180),
            "the whole book to load",
            || async {
                let count = h.attribute("table.contacts", "aria-rowcount").await?;
                let loading = h.attribute(".load-progress", "class").await.is_some();
                (count == (LARGE_BOOK + 1).to_string() && !loading).then_some(())
            },
        )
        .await?;
        eprintln!(
            "large book: loaded in the browser {:.1} s after opening the app",
            opened.elapsed().as_secs_f64()
        );
        // In pages of 1 000: one request per page, and one more that finds the end.
        let pages: Vec<String> = serde_json::from_value(
            h.exec(
                "return performance.getEntriesByType('resource')
                    .map(e => new URL(e.name))
                    .filter(u => u.pathname === '/api/contacts')
                    .map(u => u.search);",
                vec![],
            )
            .await?,
        )
        .map_err(|e| e.to_string())?;
        let wanted = (LARGE_BOOK / 1000) as usize;
        if !(wanted..=wanted + 1).contains(&pages.len())
            || pages.iter().any(|q| !q.contains("limit=1000"))
        {
            return Err(format!(
                "the book came in {} requests: {pages:?}",
                pages.len()
            ));
        }

        // Top: few rows, in name order.
        few_rows_in_dom(&h, "at the top").await?;
        rows_match(&rows_shown(&h).await?, &rows, &order, "at the top")?;

        // Moving down with the keyboard keeps the selected row on screen.
        press(&h, &"j".repeat(40)).await?;
        let index = wait_until("40 presses of j to select row 41", || async {
            let index = h.attribute("tbody tr.selected", "aria-rowindex").await?;
            (index == "41").then_some(index)
        })
        .await?;
        if h.exec(ROW_ON_SCREEN, vec![json!("tbody tr.selected")])
            .await?
            != true
        {
            return Err(format!("the selected row {index} is off screen"));
        }

        // Middle.
        h.exec(SCROLL_TO, vec![json!(0.5)]).await?;
        let middle = wait_until("rows around the middle of the book", || async {
            let shown = rows_shown(&h).await.ok()?;
            shown
                .iter()
                .any(|&(_, index)| index > 45_000 && index < 55_000)
                .then_some(shown)
        })
        .await?;
        few_rows_in_dom(&h, "in the middle").await?;
        rows_match(&middle, &rows, &order, "in the middle")?;

        // End: the last contact by name is on screen.
        h.exec(SCROLL_TO, vec![json!(1.0)]).await?;
        let last = rows[order[order.len() - 1]].id;
        let end = wait_until("the last row of the book", || async {
            let shown = rows_shown(&h).await.ok()?;
            shown.iter().any(|&(id, _)| id == last).then_some(shown)
        })
        .await?;
        few_rows_in_dom(&h, "at the end").await?;
        rows_match(&end, &rows, &order, "at the end")?;
        let last_row = format!("tbody tr[data-contact-id='{last}']");
        if h.exec(ROW_ON_SCREEN, vec![json!(last_row)]).await? != true {
            return Err(format!("the last contact ({last}) is not on screen"));
        }

        // A click on the Name header sorts Z to A; a second one A to Z again.
        h.click("th:first-child .sort-button").await?;
        let z_to_a = {
            let top = &rows[order[order.len() - 1]].haystack[0];
            order
                .iter()
                .copied()
                .find(|&at| &rows[at].haystack[0] == top)
        };
        let z_to_a = z_to_a.map(|at| rows[at].id).unwrap_or_default();
        wait_until("Z to A after a click on Name", || async {
            let shown = rows_shown(&h).await.ok()?;
            (shown.first()? == &(z_to_a, 2)).then_some(())
        })
        .await?;
        h.click("th:first-child .sort-button").await?;
        let a_to_z = rows[order[0]].id;
        wait_until("A to Z after a second click", || async {
            let shown = rows_shown(&h).await.ok()?;
            (shown.first()? == &(a_to_z, 2)).then_some(())
        })
        .await?;

        // Search finds contacts far beyond the first page and the first thousand rows.
        let name = &rows[order[order.len() / 2]].haystack[0];
        let first_at = order
            .iter()
            .position(|&at| &rows[at].haystack[0] == name)
            .unwrap_or_default();
        let target = &rows[order[first_at]];
        if first_at < 1000 {
            return Err(format!("{:?} sorts at row {first_at}", target.name));
        }
        let query = target.name.to_lowercase();
        let expected: Vec<i64> = order
            .iter()
            .map(|&at| &rows[at])
            .filter(|row| row.haystack.iter().any(|field| field.contains(&query)))
            .map(|row| row.id)
            .collect();
        h.client()
            .find(Locator::Id("contact-search"))
            .await
            .map_err(|e| e.to_string())?
            .send_keys(&target.name)
            .await
            .map_err(|e| e.to_string())?;
        let found = wait_until(
            &format!("the {} contacts matching {query:?}", expected.len()),
            || async {
                let count = h.attribute("table.contacts", "aria-rowcount").await?;
                let shown = rows_shown(&h).await.ok()?;
                (count == (expected.len() + 1).to_string() && !shown.is_empty()).then_some(shown)
            },
        )
        .await?;
        let found: Vec<i64> = found.into_iter().map(|(id, _)| id).collect();
        if !expected.starts_with(&found) {
            return Err(format!(
                "searching {query:?} shows {found:?}, expected {expected:?}"
            ));
        }
        if found.first() != Some(&target.id) {
            return Err(format!(
                "searching {query:?} does not show contact {} first",
                target.id
            ));
        }
        Ok(())
    }
    .await;
    h.finish(
        "a_book_of_100_000_loads_in_pages_stays_virtualised_and_searches_it_all",
        result,
    )
    .await;
    eprintln!(
        "large book: test took {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
}
