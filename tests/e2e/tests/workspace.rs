//! The workspace laid out for a rep's day: in a laptop's 1366×650 viewport (and a
//! 1920×1080 one), with the disposition panel open, the contact table keeps at least
//! eight rows, the embed is whole without scrolling the page, and no control covers
//! another.

use dialdesk_e2e::{set_viewport, wait_until, Harness};
use serde_json::{json, Value};

/// What the page measures of itself: rows fully in view, the embed's box, whether
/// the page scrolls, and every pair of visible controls that overlap.
const MEASURE: &str = r#"
const vw = window.innerWidth, vh = window.innerHeight;
// A box clipped by every ancestor that clips (scrollers, overflow: hidden).
function seen(e) {
  let r = e.getBoundingClientRect();
  let box = { l: r.left, t: r.top, r: r.right, b: r.bottom };
  for (let p = e.parentElement; p; p = p.parentElement) {
    const s = getComputedStyle(p);
    if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
      const c = p.getBoundingClientRect();
      box = { l: Math.max(box.l, c.left), t: Math.max(box.t, c.top),
              r: Math.min(box.r, c.right), b: Math.min(box.b, c.bottom) };
    }
  }
  return box;
}
const scroller = document.querySelector('.table-scroll').getBoundingClientRect();
const head = document.querySelector('.contacts thead').getBoundingClientRect();
const rows = [...document.querySelectorAll('tbody tr[data-contact-id]')].filter(tr => {
  const r = tr.getBoundingClientRect();
  const call = tr.querySelector('.call-button').getBoundingClientRect();
  return r.height > 0 && r.top >= head.bottom - 1 && r.bottom <= Math.min(scroller.bottom, vh) + 1
    && call.right <= scroller.right + 1 && call.width > 0;
}).length;
const f = document.querySelector('#zoom-embeddable-phone-iframe').getBoundingClientRect();
const page = document.scrollingElement;
const controls = [...document.querySelectorAll(
  '.app button, .app input, .app select, .app textarea, .app a[href]')]
  .filter(e => e.offsetParent !== null)
  .map(e => ({ e, box: seen(e) }))
  .filter(c => c.box.r - c.box.l > 1 && c.box.b - c.box.t > 1);
const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
  (e.className ? '.' + String(e.className).split(' ').join('.') : '') +
  ' "' + (e.textContent || e.value || '').trim().slice(0, 20) + '"';
const overlaps = [];
for (let i = 0; i < controls.length; i++) {
  for (let j = i + 1; j < controls.length; j++) {
    const a = controls[i], b = controls[j];
    if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
    const w = Math.min(a.box.r, b.box.r) - Math.max(a.box.l, b.box.l);
    const h = Math.min(a.box.b, b.box.b) - Math.max(a.box.t, b.box.t);
    if (w > 1 && h > 1) overlaps.push(name(a.e) + ' / ' + name(b.e));
  }
}
const outside = controls.filter(c => c.box.l < -1 || c.box.t < -1 || c.box.r > vw + 1 || c.box.b > vh + 1)
  .map(c => name(c.e));
return { vw, vh, rows, frame: [f.left, f.top, f.width, f.height],
         scrolls: page.scrollHeight > vh + 1 || page.scrollWidth > vw + 1,
         overlaps, outside };
"#;

/// Checks the layout measured at `width` × `height`.
async fn laid_out(h: &Harness, width: u32, height: u32) -> Result<(), String> {
    set_viewport(h.client(), width, height).await?;
    let measured = wait_until(&format!("the layout at {width}×{height}"), || async {
        let m = h.exec(MEASURE, vec![]).await.ok()?;
        (m["vw"] == width && m["vh"] == height).then_some(m)
    })
    .await?;
    let problem = |what: &str| Err(format!("at {width}×{height}, {what}: {measured}"));
    if measured["rows"].as_u64().unwrap_or(0) < 8 {
        return problem("fewer than 8 table rows are in view");
    }
    let frame: Vec<f64> = measured["frame"]
        .as_array()
        .map(|f| f.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    let whole = matches!(frame.as_slice(), [left, top, w, h]
        if *w >= 350.0 && *h >= 580.0 && *left >= 0.0 && *top >= 0.0
            && left + w <= f64::from(width) + 0.5 && top + h <= f64::from(height) + 0.5);
    if !whole {
        return problem("the embed is not whole in view at 350×580 or more");
    }
    if measured["scrolls"] != true
        && measured["overlaps"] == json!([])
        && measured["outside"] == json!([])
    {
        return Ok(());
    }
    problem("the page scrolls, or controls overlap or leave the window")
}

#[tokio::test]
async fn a_laptop_window_keeps_the_table_the_panel_and_the_whole_embed_in_view() {
    let h = Harness::start(50, &[]).await;
    let result = async {
        h.open_app().await?;
        h.accessible("the idle workspace").await?;
        let ended = json!({ "type": "zp-call-ended-event", "data": {
            "callId": "07aaaa00000000000l1", "direction": "inbound",
            "caller": { "name": "Lee Park", "number": "+12125550147" },
            "result": "ended", "duration": 95 } });
        h.sim_post("/__sim/emit", &ended)?;
        wait_until("the disposition panel", || async {
            let hidden = h.attribute(".disposition-panel", "hidden").await;
            let form = h.text(".disposition-panel .log-call").await?;
            (hidden.is_none() && form.contains("Lee Park")).then_some(())
        })
        .await?;
        laid_out(&h, 1366, 650).await?;
        laid_out(&h, 1920, 1080).await
    }
    .await;
    h.finish(
        "a_laptop_window_keeps_the_table_the_panel_and_the_whole_embed_in_view",
        result,
    )
    .await;
}
