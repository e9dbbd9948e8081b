//! "N logs waiting to be sent": shown while saves wait for the proxy, wherever the
//! rep is; it clears itself once they land.

use leptos::prelude::*;

use crate::domain::call_log::waiting;
use crate::state::CallLogs;

/// The banner's words for `waiting` saves.
fn words(waiting: usize) -> Option<String> {
    match waiting {
        0 => None,
        1 => Some("1 log waiting to be sent".to_owned()),
        n => Some(format!("{n} logs waiting to be sent")),
    }
}

/// The outbox banner.
#[component]
pub fn OutboxBanner() -> impl IntoView {
    let logs = expect_context::<CallLogs>();
    let pending = Memo::new(move |_| words(logs.with_entries(waiting)));
    view! {
        <p class="outbox-banner" role="status" hidden=move || pending.with(Option::is_none)>
            {move || pending.get()}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_counts_the_saves_waiting() {
        assert_eq!(words(0), None);
        assert_eq!(words(1).as_deref(), Some("1 log waiting to be sent"));
        assert_eq!(words(3).as_deref(), Some("3 logs waiting to be sent"));
    }
}
