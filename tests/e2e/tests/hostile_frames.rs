//! Forged Smart Embed events, from a third origin and from the right origin but the
//! wrong window, change nothing; a genuine event after them is shown.

use dialdesk_e2e::{wait_until, Harness};
use serde_json::{json, Value};

#[tokio::test]
async fn forged_events_are_rejected_and_a_genuine_one_is_shown() {
    let h = Harness::start(10, &[]).await;
    let result = async {
        h.open_app().await?;
        if h.rejected().await != 0 || h.banner().await.0 != "idle" {
            return Err("the app did not start idle with no rejects".into());
        }
        let spawn = "return window.sim.spawnFrame(arguments[0]).then(() => true);";

        // A frame on the third origin (127.0.0.2) posts a forged ringing event to top.
        h.in_embed(spawn, vec![Value::from(h.stack.hostile_url.clone())])
            .await?;
        wait_until("the third-origin forgery to be rejected", || async {
            (h.rejected().await >= 1).then_some(())
        })
        .await?;

        // A frame on the simulator's own origin, but not the embed's window.
        h.in_embed(spawn, vec![Value::from(h.stack.sim.url.clone())])
            .await?;
        wait_until("the wrong-window forgery to be rejected", || async {
            (h.rejected().await >= 2).then_some(())
        })
        .await?;
        if h.banner().await.0 != "idle" {
            return Err(format!(
                "a forgery changed the banner: {:?}",
                h.banner().await
            ));
        }

        let genuine = json!({
            "type": "zp-call-ringing-event",
            "data": {
                "callId": "06feedfacecafe00001",
                "direction": "inbound",
                "dateTime": "2026-11-02T09:58:51Z",
                "caller": { "name": "Genuine Caller", "number": "+14155550142", "numberType": 2 },
                "callee": { "name": "Riley Agent", "phoneNumber": "+14155550199" }
            }
        });
        h.sim_post("/__sim/emit", &genuine)?;
        let shown = h.wait_for_banner("ringing", "Genuine Caller").await?;
        if shown.contains("Forged") {
            return Err(format!("forged caller shown: {shown:?}"));
        }
        let rejected = h.rejected().await;
        if rejected != 2 {
            return Err(format!("expected exactly 2 rejects, got {rejected}"));
        }
        Ok(())
    }
    .await;
    h.finish(
        "forged_events_are_rejected_and_a_genuine_one_is_shown",
        result,
    )
    .await;
}
