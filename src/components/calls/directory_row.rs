//! One colleague of the Zoom directory, with a **Call** button per number.

use dialdesk_contract::DirectoryEntry;
use leptos::prelude::*;

use crate::browser::SmartEmbed;
use crate::domain::phone::display_number;
use crate::domain::protocol::EmbedCommand;
use crate::state::CallerIdCtx;

/// The row of `person`.
#[component]
pub fn DirectoryRow(person: DirectoryEntry) -> impl IntoView {
    let embed = expect_context::<SmartEmbed>();
    let caller = expect_context::<CallerIdCtx>().selected;
    let numbers = person
        .phone_numbers
        .into_iter()
        .map(|number| {
            let shown = person
                .displays
                .get(&number)
                .cloned()
                .unwrap_or_else(|| display_number(&number));
            let label = format!("Call {shown}");
            let dial = number.clone();
            view! {
                <button
                    type="button"
                    class="call-number"
                    data-number=number
                    on:click=move |_| {
                        embed.send_for(
                            EmbedCommand::MakeCall {
                                number: dial.clone(),
                                caller_id: caller.get_untracked(),
                                auto_dial: true,
                            },
                            None,
                        )
                    }
                >
                    {label}
                </button>
                " "
            }
        })
        .collect_view();
    view! {
        <tr data-email=person.email.unwrap_or_default()>
            <td>{person.name}</td>
            <td>{person.job_title.unwrap_or_default()}</td>
            <td>{person.extension_number.unwrap_or_default()}</td>
            <td>{numbers}</td>
        </tr>
    }
}
