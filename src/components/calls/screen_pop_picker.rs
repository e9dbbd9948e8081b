//! The question of a screen pop whose number several contacts hold: one button per
//! contact; the pick is shown at once and remembered for the number.

use leptos::prelude::*;

use crate::state::ScreenPop;

/// "Several contacts have this number:" and a button per contact, while the current
/// call (`call_id`) waits for the agent's pick.
#[component]
pub fn ScreenPopPicker(call_id: Memo<Option<String>>) -> impl IntoView {
    let pop = use_context::<ScreenPop>();
    let candidates = Memo::new(move |_| {
        let id = call_id.get()?;
        pop?.pop.with(|p| {
            p.as_ref()
                .filter(|p| p.call_id == id && p.needs_pick())
                .map(|p| p.candidates.clone())
        })
    });
    view! {
        <div
            class="screen-pop"
            role="group"
            aria-label="Which contact is calling?"
            hidden=move || candidates.with(Option::is_none)
        >
            <span>"Several contacts have this number:"</span>
            <For
                each=move || candidates.get().unwrap_or_default()
                key=|(id, _)| *id
                children=move |(id, name)| {
                    view! {
                        <button
                            type="button"
                            data-contact-id=id.to_string()
                            on:click=move |_| {
                                if let Some(pop) = pop {
                                    pop.pick(id);
                                }
                            }
                        >
                            {name}
                        </button>
                    }
                }
            />
        </div>
    }
}
