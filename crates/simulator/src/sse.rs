//! `GET /__sim/stream`: the Server-Sent-Events feed every simulator page subscribes to.
//!
//! It opens with a `state` event, then relays the hub's broadcast: `post` events (a message the
//! page must post to its parent) and `state` events (the whole state). It ends on shutdown.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use crate::hub::{Hub, OutgoingKind};
use crate::shutdown::Shutdown;

/// Streams the hub's broadcast to one page.
pub async fn stream(
    State(hub): State<Arc<Hub>>,
    State(shutdown): State<Shutdown>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let (initial, rx) = hub.subscribe();
    let first = stream::once(async move { Ok(event(OutgoingKind::State, &initial)) });
    let rest = stream::unfold(
        (rx, shutdown, hub),
        |(mut rx, mut shutdown, hub)| async move {
            let item = tokio::select! {
                () = shutdown.wait() => return None,
                item = rx.recv() => item,
            };
            let next = match item {
                Ok(outgoing) => event(outgoing.kind, &outgoing.data),
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "a page fell behind; resending the whole state");
                    event(OutgoingKind::State, &hub.state_json())
                }
                Err(RecvError::Closed) => return None,
            };
            Some((Ok(next), (rx, shutdown, hub)))
        },
    );
    Sse::new(first.chain(rest)).keep_alive(KeepAlive::default())
}

fn event(kind: OutgoingKind, data: &str) -> Event {
    Event::default().event(kind.event_name()).data(data)
}
