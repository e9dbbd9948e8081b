//! Answers to the embed's contact search and match requests: exactly one response per
//! request, within a second, from the book in the browser, else from the proxy, else
//! an empty list at the deadline.

use dialdesk_contract::Contact;
use futures::future::{select, Either};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::smart_embed::{BridgeServices, SmartEmbed};
use super::text::lower;
use crate::api::{ApiClient, ApiError};
use crate::domain::contacts::{display_name, find_by_number, is_extension, search};
use crate::domain::protocol::{ContactResponse, EmbedCommand, EmbedEvent, MatchedContact};
use crate::domain::table::Query;

/// Time the proxy has to answer before the embed gets an empty list.
const PROXY_DEADLINE_MS: u32 = 800;
/// Contacts per answer.
const MAX_CONTACTS: usize = 20;

/// Answers a search or match event; other events need no answer.
pub fn answer(embed: SmartEmbed, services: &BridgeServices, event: &EmbedEvent) {
    match event {
        EmbedEvent::ContactSearch(request) => {
            let Some(id) = request.request_id.clone() else {
                return;
            };
            let query = request.search_string.clone();
            let local = services
                .contacts
                .map(|book| {
                    let wanted = Query::new(&query, lower);
                    book.keys.with_value(|keys| {
                        book.contacts
                            .with_untracked(|all| matched(search(all, keys, &wanted, MAX_CONTACTS)))
                    })
                })
                .unwrap_or_default();
            respond(embed, services, local, id, false, move |api| async move {
                api.search_contacts(&query).await
            });
        }
        EmbedEvent::ContactMatch(request) => {
            let Some(id) = request.request_id.clone() else {
                return;
            };
            let numbers: Vec<String> = request
                .phone_numbers
                .iter()
                .filter(|n| !is_extension(n))
                .cloned()
                .collect();
            let local = services
                .contacts
                .map(|book| {
                    book.contacts.with_untracked(|all| {
                        matched(
                            numbers
                                .iter()
                                .filter_map(|n| find_by_number(all, n))
                                .collect(),
                        )
                    })
                })
                .unwrap_or_default();
            let first = numbers.first().cloned();
            respond(embed, services, local, id, true, move |api| async move {
                match first {
                    Some(number) => api.match_number(&number).await.map(|r| r.contacts),
                    None => Ok(Vec::new()),
                }
            });
        }
        _ => {}
    }
}

fn matched(contacts: Vec<&Contact>) -> Vec<MatchedContact> {
    contacts
        .into_iter()
        .filter_map(|c| {
            let number = c.numbers.iter().find_map(|n| n.e164.clone())?;
            Some(MatchedContact {
                display_name: display_name(c),
                number,
            })
        })
        .collect()
}

fn command(request_id: String, contacts: Vec<MatchedContact>, is_match: bool) -> EmbedCommand {
    let answer = ContactResponse::to(request_id, contacts);
    if is_match {
        EmbedCommand::ContactMatchResponse(answer)
    } else {
        EmbedCommand::ContactSearchResponse(answer)
    }
}

/// Sends the local answer at once if there is one; else asks the proxy and sends its
/// answer, or an empty one when the deadline passes first.
fn respond<F, Fut>(
    embed: SmartEmbed,
    services: &BridgeServices,
    local: Vec<MatchedContact>,
    request_id: String,
    is_match: bool,
    ask_proxy: F,
) where
    F: FnOnce(ApiClient) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<Vec<Contact>, ApiError>> + 'static,
{
    let api = match services.api.clone() {
        Some(api) if local.is_empty() => api,
        _ => {
            embed.send(command(request_id, local, is_match));
            return;
        }
    };
    spawn_local(async move {
        let proxy = Box::pin(ask_proxy(api));
        let deadline = Box::pin(TimeoutFuture::new(PROXY_DEADLINE_MS));
        let contacts = match select(proxy, deadline).await {
            Either::Left((Ok(found), _)) => matched(found.iter().take(MAX_CONTACTS).collect()),
            Either::Left((Err(e), _)) => {
                embed.problem(format!("contact lookup failed: {e}"));
                Vec::new()
            }
            Either::Right(_) => {
                embed.problem(format!(
                    "contact lookup: no answer from the server within {PROXY_DEADLINE_MS} ms"
                ));
                Vec::new()
            }
        };
        embed.send(command(request_id, contacts, is_match));
    });
}
