//! The bridge console: every message that crossed the bridge, rejects counted by reason.

use leptos::prelude::*;

use crate::domain::console::{Flow, Verdict};
use crate::state::BridgeState;

fn verdict_text(verdict: &Verdict) -> (&'static str, String) {
    match verdict {
        Verdict::Accepted => ("accepted", "accepted".into()),
        Verdict::Repeat => ("repeat", "repeat, ignored".into()),
        Verdict::Rejected(reason) => ("rejected", format!("rejected: {reason}")),
        Verdict::Sent => ("sent", "sent".into()),
        Verdict::Queued => ("queued", "queued until the embed loads".into()),
        Verdict::Problem(text) => ("problem", text.clone()),
        Verdict::Expired => ("expired", "not sent: the embed did not load in time".into()),
    }
}

/// A drawer listing the console lines, newest last; closes on Escape.
#[component]
pub fn BridgeConsole(state: BridgeState, open: RwSignal<bool>) -> AnyView {
    let counts = move || {
        state.rejects.with(|r| {
            if r.total() == 0 {
                "No rejected messages".to_owned()
            } else {
                let parts: Vec<String> = r.iter().map(|(k, n)| format!("{k}: {n}")).collect();
                format!("Rejected by reason: {}", parts.join(", "))
            }
        })
    };
    let lines = move || state.with_console(|lines| lines.iter().cloned().collect::<Vec<_>>());
    view! {
        <Show when=move || open.get()>
            <section
                id="bridge-console"
                class="bridge-console"
                aria-label="Bridge console"
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            >
                <header>
                    <h2>"Bridge console"</h2>
                    <span class="console-counts">{counts}</span>
                    <button class="console-close" on:click=move |_| open.set(false)>
                        "Close"
                    </button>
                </header>
                <ol class="console-lines" role="log" aria-live="off">
                    <For each=lines key=|line| line.seq let:line>
                        {
                            let (class, verdict) = verdict_text(&line.verdict);
                            let arrow = match line.flow {
                                Flow::In => "in",
                                Flow::Out => "out",
                            };
                            view! {
                                <li class=format!("console-line {class}") data-verdict=class>
                                    <span class="console-flow">{arrow}</span>
                                    <span class="console-kind">{line.kind}</span>
                                    <span class="console-verdict">{verdict}</span>
                                    <span class="console-summary">{line.summary}</span>
                                </li>
                            }
                        }
                    </For>
                </ol>
            </section>
        </Show>
    }
    .into_any()
}
