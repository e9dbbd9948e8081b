//! One labelled text field of the contact form, with its error beside it.

use leptos::html::Input;
use leptos::prelude::*;

use super::EditorForm;

/// The field `name` (its wire name: `contact-{name}` is its id), labelled `label`,
/// bound to `value`. The contact rules check it as the rep leaves it and as they
/// correct it; it takes the focus when the form asks for it.
#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] input_type: Option<&'static str>,
) -> impl IntoView {
    let form = expect_context::<EditorForm>();
    let input = NodeRef::<Input>::new();
    Effect::new(move || {
        if form.focus.with(|f| f.as_deref() == Some(name)) {
            if let Some(input) = input.get() {
                let _ = input.focus();
                form.focus.set(None);
            }
        }
    });
    let id = format!("contact-{name}");
    let error_id = format!("contact-{name}-error");
    let error = move || form.error(name);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                node_ref=input
                type=input_type.unwrap_or("text")
                aria-describedby=error_id.clone()
                aria-invalid=move || error().map(|_| "true")
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    form.changed(name);
                }
                on:blur=move |_| form.left(name)
            />
            <span class="field-error" id=error_id>{error}</span>
        </div>
    }
}
