//! The bridge console: every message that crossed the bridge, rejects counted by reason.

use std::collections::VecDeque;

use leptos::prelude::*;

use super::form_html::escape;
use crate::domain::console::{ConsoleEntry, Flow, Verdict};
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

/// The console lines as markup, oldest first; every text escaped.
fn lines_html(lines: &VecDeque<ConsoleEntry>) -> String {
    let mut html = String::new();
    for line in lines {
        let (class, verdict) = verdict_text(&line.verdict);
        let arrow = match line.flow {
            Flow::In => "in",
            Flow::Out => "out",
        };
        html.push_str(&format!(
            "<li class=\"console-line {class}\" data-verdict=\"{class}\">\
             <span class=\"console-flow\">{arrow}</span>\
             <span class=\"console-kind\">{}</span>\
             <span class=\"console-verdict\">{}</span>\
             <span class=\"console-summary\">{}</span></li>",
            escape(&line.kind),
            escape(&verdict),
            escape(&line.summary),
        ));
    }
    html
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
    // Rendered only while the drawer is open: bursts of messages cost nothing here.
    let lines = move || {
        if open.get() {
            state.with_console(lines_html)
        } else {
            String::new()
        }
    };
    view! {
        <section
            id="bridge-console"
            class="bridge-console"
            aria-label="Bridge console"
            hidden=move || !open.get()
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
            <ol class="console-lines" role="log" aria-live="off" inner_html=lines></ol>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_lines_are_escaped() {
        let lines = VecDeque::from([ConsoleEntry {
            seq: 0,
            flow: Flow::In,
            kind: "zp-<x>".into(),
            verdict: Verdict::Rejected("bad \"origin\"".into()),
            summary: "<img src=x>".into(),
        }]);
        let html = lines_html(&lines);
        assert!(html.contains("class=\"console-line rejected\""));
        assert!(html.contains("zp-&lt;x&gt;"));
        assert!(html.contains("rejected: bad &quot;origin&quot;"));
        assert!(!html.contains("<img"));
    }
}
