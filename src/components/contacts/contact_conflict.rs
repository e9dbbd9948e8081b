//! An edit refused because someone saved the contact after the editor opened: the
//! fields that differ, the rep's and the saved ones side by side, with **Save mine
//! over it** and **Take the saved one**.

use dialdesk_contract::{Contact, ContactDraft};
use leptos::html::Button;
use leptos::prelude::*;

use crate::domain::contact_form::{differences, FieldDifference};

/// What the rep chose in a [`ContactConflict`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictChoice {
    /// Save the form over the stored version.
    KeepMine,
    /// Put the stored version in the form.
    TakeSaved,
}

/// The differences between `mine` and `stored`; the first button takes the focus.
#[component]
pub fn ContactConflict(
    stored: Contact,
    mine: ContactDraft,
    choose: Callback<ConflictChoice>,
) -> impl IntoView {
    let rows = differences(&mine, &ContactDraft::from(&stored));
    let keep_mine = NodeRef::<Button>::new();
    keep_mine.on_load(|button| {
        let _ = button.focus();
    });
    view! {
        <div class="contact-conflict" role="alert">
            <p>"Someone saved this contact after you opened it. The fields that differ:"</p>
            <table class="conflict-versions">
                <thead>
                    <tr>
                        <th scope="col">"Field"</th>
                        <th scope="col">"Yours"</th>
                        <th scope="col">"Saved"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|FieldDifference { label, mine, theirs }| {
                            view! {
                                <tr>
                                    <th scope="row">{label}</th>
                                    <td class="mine">{mine}</td>
                                    <td class="theirs">{theirs}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <button
                type="button"
                class="keep-mine"
                node_ref=keep_mine
                on:click=move |_| choose.run(ConflictChoice::KeepMine)
            >
                "Save mine over it"
            </button>
            <button
                type="button"
                class="take-stored"
                on:click=move |_| choose.run(ConflictChoice::TakeSaved)
            >
                "Take the saved one"
            </button>
        </div>
    }
}
