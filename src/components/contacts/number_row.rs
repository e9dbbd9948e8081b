//! One number of the contact form: its label, the number, the do-not-call switch and
//! **Remove**, each with its own accessible name ("Phone number 2").

use leptos::html::Input;
use leptos::prelude::*;

use super::{EditorForm, NumberFields};

/// The row of `number`; `focus_now` gives its number the focus once shown (a row the
/// rep just added).
#[component]
pub fn NumberRow(number: NumberFields, focus_now: bool) -> impl IntoView {
    let form = expect_context::<EditorForm>();
    let key = number.key;
    let input = NodeRef::<Input>::new();
    let field = Memo::new(move |_| form.number_field(key));
    let nth = move || {
        form.numbers
            .with(|numbers| numbers.iter().position(|n| n.key == key))
            .map_or(0, |at| at + 1)
    };
    input.on_load(move |input| {
        if focus_now {
            let _ = input.focus();
        }
    });
    Effect::new(move || {
        let wanted = form.focus.with(|f| f.is_some() && *f == Some(field.get()));
        if let (true, Some(input)) = (wanted, input.get()) {
            let _ = input.focus();
            form.focus.set(None);
        }
    });
    let error = move || form.error(&field.get());
    let error_id = format!("contact-number-{key}-error");
    view! {
        <div class="number-row">
            <input
                class="number-label"
                type="text"
                aria-label=move || format!("Label of number {}", nth())
                prop:value=move || number.label.get()
                on:input=move |ev| {
                    number.label.set(event_target_value(&ev));
                    form.changed(&field.get_untracked());
                }
                on:blur=move |_| form.left(&field.get_untracked())
            />
            <input
                class="number-raw"
                id=format!("contact-number-{key}")
                node_ref=input
                type="tel"
                aria-label=move || format!("Phone number {}", nth())
                aria-describedby=error_id.clone()
                aria-invalid=move || error().map(|_| "true")
                prop:value=move || number.raw.get()
                on:input=move |ev| {
                    number.raw.set(event_target_value(&ev));
                    form.changed(&field.get_untracked());
                }
                on:blur=move |_| form.left(&field.get_untracked())
            />
            <label class="dnc-toggle">
                <input
                    type="checkbox"
                    class="number-dnc"
                    prop:checked=move || number.do_not_call.get()
                    on:change=move |ev| number.do_not_call.set(event_target_checked(&ev))
                />
                <span class="sr-only">{move || format!("Number {}: ", nth())}</span>
                "Do not call"
            </label>
            <button
                type="button"
                class="remove-number"
                aria-label=move || format!("Remove number {}", nth())
                on:click=move |_| form.remove_number(key)
            >
                "Remove"
            </button>
            <span class="field-error" id=error_id>{error}</span>
        </div>
    }
}
