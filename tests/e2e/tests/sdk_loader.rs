//! `sdk.js` mode: the loader script creates the embed, its ready callback flushes the
//! queue, and click-to-call works under a CSP that allows the loader's origin only.

use dialdesk_e2e::{wait_until, Harness};
use serde_json::Value;

#[tokio::test]
async fn the_loader_script_creates_the_embed_and_calls_go_through() {
    let h = Harness::start_with(10, &["--step"], None, true).await;
    let result = async {
        h.open_app().await?;
        let parent = h
            .client()
            .execute(
                "const f = document.getElementById('zoom-embeddable-phone-iframe'); \
                 return f ? f.parentElement.id : null;",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        if parent != "zoom-embed-host" {
            return Err(format!("the embed iframe sits in {parent:?}"));
        }
        let first = h.sim_received()?.first().map(|m| m["type"].clone());
        if first != Some(Value::from("zp-init-config")) {
            return Err(format!("the first message to the embed was {first:?}"));
        }
        let (name, _) = h.first_row().await?;
        h.click("tbody tr[data-contact-id] button.call-button")
            .await?;
        wait_until("the simulator to receive zp-make-call", || async {
            let received = h.sim_received().ok()?;
            received
                .iter()
                .any(|m| m["type"] == "zp-make-call")
                .then_some(())
        })
        .await?;
        h.wait_for_banner("ringing", &name).await.map(drop)
    }
    .await;
    h.finish(
        "the_loader_script_creates_the_embed_and_calls_go_through",
        result,
    )
    .await;
}
