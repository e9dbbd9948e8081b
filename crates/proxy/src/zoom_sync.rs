//! Synchronising Zoom's external contacts into the contact store: one run at
//! a time, started on demand (`POST /api/zoom/contacts/sync`) or on a
//! schedule, with progress readable while it runs.
//!
//! Each external contact becomes the contact whose external id is
//! `zoom:<external_contact_id>` (created, or replaced with Zoom's fields), so
//! a second run updates rather than duplicates, and contacts from other
//! sources are never touched.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use dialdesk_contract::SyncStatus;

use crate::db::contacts::NewContact;
use crate::db::Db;
use crate::import::{number, upsert, Outcome};
use crate::phone::Region;
use crate::zoom::{ExternalContact, Zoom};

/// Prefix of the external id of contacts synchronised from Zoom.
pub const EXTERNAL_ID_PREFIX: &str = "zoom:";
/// The source name of Zoom's contacts in the contacts' field marks.
const SOURCE: &str = "zoom";
/// Contacts written per transaction.
const BATCH: usize = 500;

/// The sync job of this process; cheap to clone.
#[derive(Clone, Default)]
pub struct ContactSync {
    status: Arc<Mutex<SyncStatus>>,
}

impl ContactSync {
    /// The current (or last) run's progress; `idle` before the first.
    pub fn status(&self) -> SyncStatus {
        let status = self.status.lock().unwrap_or_else(PoisonError::into_inner);
        let mut copy = status.clone();
        if copy.state.is_empty() {
            "idle".clone_into(&mut copy.state);
        }
        copy
    }

    /// Starts a run for `user_id` unless one is running; returns the status.
    pub fn start(&self, zoom: Zoom, db: Db, region: Region, user_id: String) -> SyncStatus {
        {
            let mut status = self.status.lock().unwrap_or_else(PoisonError::into_inner);
            if status.state == "running" {
                return status.clone();
            }
            *status = SyncStatus {
                state: "running".to_owned(),
                ..SyncStatus::default()
            };
        }
        let job = self.clone();
        tokio::spawn(async move {
            let outcome = job.run(&zoom, &db, region, &user_id).await;
            let mut status = job.status.lock().unwrap_or_else(PoisonError::into_inner);
            match outcome {
                Ok(()) => {
                    "done".clone_into(&mut status.state);
                    tracing::info!(
                        read = status.read,
                        created = status.created,
                        updated = status.updated,
                        "Zoom contacts synchronised"
                    );
                }
                Err(message) => {
                    tracing::warn!(error = %message, "Zoom contact sync failed");
                    "failed".clone_into(&mut status.state);
                    status.error = Some(message);
                }
            }
            status.finished_at = Some(now_rfc3339());
        });
        self.status()
    }

    async fn run(&self, zoom: &Zoom, db: &Db, region: Region, user_id: &str) -> Result<(), String> {
        let progress = Arc::clone(&self.status);
        let contacts = zoom
            .external_contacts(user_id, move |read| {
                let mut status = progress.lock().unwrap_or_else(PoisonError::into_inner);
                status.read = u64::try_from(read).unwrap_or(u64::MAX);
            })
            .await
            .map_err(|err| err.to_string())?;
        for chunk in contacts.chunks(BATCH) {
            let drafts: Vec<NewContact> = chunk.iter().filter_map(|c| draft(c, region)).collect();
            let (created, updated, kept) = db
                .write(move |conn| {
                    let tx = conn.savepoint()?;
                    let mut counts = (0u64, 0u64, Vec::new());
                    for draft in &drafts {
                        match upsert(&tx, draft, SOURCE)? {
                            Outcome::Created => counts.0 += 1,
                            Outcome::Updated(kept) => {
                                counts.1 += 1;
                                counts
                                    .2
                                    .extend(kept.iter().map(|k| k.describe(&draft.name, "Zoom")));
                            }
                            Outcome::Ambiguous { .. } => {}
                        }
                    }
                    tx.commit()?;
                    Ok(counts)
                })
                .await
                .map_err(|err| err.to_string())?;
            let mut status = self.status.lock().unwrap_or_else(PoisonError::into_inner);
            status.created += created;
            status.updated += updated;
            status.kept.extend(kept);
        }
        Ok(())
    }
}

/// The contact an external contact stands for; `None` when it has neither a
/// name, an e-mail address nor a number to show.
pub fn draft(contact: &ExternalContact, region: Region) -> Option<NewContact> {
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let email = text(&contact.email);
    let numbers: Vec<_> = contact
        .phone_numbers
        .iter()
        .map(|raw| raw.trim())
        .filter(|raw| !raw.is_empty())
        .map(|raw| number("work", raw.to_owned(), region))
        .collect();
    let name = text(&contact.name)
        .or_else(|| email.clone())
        .or_else(|| numbers.first().map(|n| n.raw.clone()))?;
    Some(NewContact {
        name,
        company: None,
        title: text(&contact.description),
        email,
        time_zone: None,
        owner: None,
        external_id: Some(format!(
            "{EXTERNAL_ID_PREFIX}{}",
            contact.external_contact_id
        )),
        numbers,
    })
}

/// Runs a sync every `every` with the server-to-server app (no user needed);
/// the first run starts after one period.
pub fn schedule(sync: ContactSync, zoom: Zoom, db: Db, region: Region, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            sync.start(zoom.clone(), db.clone(), region, String::new());
        }
    });
}

fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn external(name: Option<&str>, email: Option<&str>, numbers: &[&str]) -> ExternalContact {
        ExternalContact {
            external_contact_id: "ext-1".into(),
            id: None,
            name: name.map(Into::into),
            email: email.map(Into::into),
            description: Some("  ".into()),
            extension_number: None,
            phone_numbers: numbers.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    #[test]
    fn external_contacts_become_contacts_keyed_by_their_zoom_id() {
        let us = Region::parse("US").unwrap();
        let full = draft(
            &external(
                Some(" Lee Park "),
                Some("lee@x.test"),
                &["+1 212 555 0142", "nope"],
            ),
            us,
        )
        .unwrap();
        assert_eq!(full.name, "Lee Park");
        assert_eq!(full.external_id.as_deref(), Some("zoom:ext-1"));
        assert_eq!(full.title, None);
        assert_eq!(full.numbers[0].e164.as_deref(), Some("+12125550142"));
        assert!(full.numbers[1].parse_error.is_some());
        let unnamed = draft(&external(None, None, &["+1 212 555 0142"]), us).unwrap();
        assert_eq!(unnamed.name, "+1 212 555 0142");
        assert!(draft(&external(Some(" "), None, &[]), us).is_none());
    }
}
