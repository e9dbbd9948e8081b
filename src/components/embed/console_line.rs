//! One line of the bridge console.

use leptos::prelude::*;

use crate::domain::console::ConsoleEntry;

/// Which way the message went, its type, what became of it and a summary (numbers
/// redacted unless configured otherwise).
#[component]
pub fn ConsoleLine(line: ConsoleEntry) -> impl IntoView {
    let (class, verdict) = line.verdict.words();
    view! {
        <li class=format!("console-line {class}") data-verdict=class>
            <span class="console-flow">{line.flow.name()}</span>
            <span class="console-kind">{line.kind}</span>
            <span class="console-verdict">{verdict}</span>
            <span class="console-summary">{line.summary}</span>
        </li>
    }
}
