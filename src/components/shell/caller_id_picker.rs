//! "Call from": the caller ID outbound calls present. Signed in with Zoom, the rep's
//! own Zoom numbers; otherwise the configured ones. The pick is kept in the browser.

use leptos::prelude::*;

use crate::browser::storage;
use crate::domain::phone::display_number;
use crate::state::CallerIdCtx;

/// Where the rep's caller-ID pick is kept between visits (a plain string).
pub const CALLER_ID_KEY: &str = "dialdesk.callerId";

/// The caller-ID picker.
#[component]
pub fn CallerIdPicker() -> impl IntoView {
    let caller = expect_context::<CallerIdCtx>();
    let pick = move |ev| {
        let number = event_target_value(&ev);
        let _ = storage::write(CALLER_ID_KEY, &number);
        caller.picked.set(Some(number));
    };
    view! {
        <label class="caller-id">
            <span>"Call from"</span>
            <select on:change=pick prop:value=move || caller.selected.get().unwrap_or_default()>
                <For
                    each=move || caller.options.get()
                    key=|id| id.number.clone()
                    children=move |id| {
                        let shown = id.display.clone().unwrap_or_else(|| display_number(&id.number));
                        let text = format!("{} · {}", id.label, shown);
                        let number = id.number.clone();
                        view! {
                            <option
                                value=id.number
                                prop:selected=move || {
                                    caller.selected.with(|s| s.as_deref() == Some(number.as_str()))
                                }
                            >
                                {text}
                            </option>
                        }
                    }
                />
            </select>
        </label>
    }
}
