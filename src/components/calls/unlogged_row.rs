//! One unlogged call: when, which way, who, how long, how it ended, **Log call** and,
//! when Zoom holds a recording, **Play recording**. The player belongs to this row,
//! so logging another call never stops it.

use dialdesk_contract::ZoomCall;
use leptos::html::Audio;
use leptos::prelude::*;

use crate::api::recording_url;
use crate::browser::local_when;
use crate::domain::call::format_duration;
use crate::state::{CallLogs, ContactsCtx};

/// The row of `call`.
#[component]
pub fn UnloggedRow(call: ZoomCall) -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let book = expect_context::<ContactsCtx>();
    let playing = RwSignal::new(false);
    let player = NodeRef::<Audio>::new();
    player.on_load(|audio| {
        let _ = audio.focus();
    });
    let number = call.number.as_deref().map(|n| book.display_of(n));
    let name = call.name.clone().filter(|n| !n.trim().is_empty());
    let who = match (name, number) {
        (Some(name), Some(number)) => view! {
            {name}
            " "
            <span class="unlogged-number">{number}</span>
        }
        .into_any(),
        (Some(name), None) => name.into_any(),
        (None, Some(number)) => number.into_any(),
        (None, None) => "Unknown".into_any(),
    };
    let when = call
        .start_time
        .as_deref()
        .map(local_when)
        .unwrap_or_default();
    let result = call.result.as_deref().unwrap_or_default().replace('_', " ");
    let src = recording_url(&call.call_id);
    let has_recording = call.has_recording;
    let id = call.call_id.clone();
    let log = StoredValue::new(call);
    view! {
        <tr data-call-id=id>
            <td>{when}</td>
            <td class="unlogged-direction">
                {log.with_value(|c| c.direction.clone().unwrap_or_default())}
            </td>
            <td>{who}</td>
            <td>{format_duration(log.with_value(|c| c.duration_secs))}</td>
            <td>{result}</td>
            <td class="unlogged-actions">
                <button
                    type="button"
                    class="log-call"
                    on:click=move |_| log.with_value(|call| logs.log_zoom_call(call))
                >
                    "Log call"
                </button>
                {has_recording
                    .then(|| {
                        view! {
                            <Show
                                when=move || playing.get()
                                fallback=move || {
                                    view! {
                                        <button
                                            type="button"
                                            class="play-recording"
                                            on:click=move |_| playing.set(true)
                                        >
                                            "Play recording"
                                        </button>
                                    }
                                }
                            >
                                <audio
                                    class="recording"
                                    node_ref=player
                                    controls
                                    autoplay
                                    preload="none"
                                    src=src.clone()
                                ></audio>
                            </Show>
                        }
                    })}
            </td>
        </tr>
    }
}
