//! UI components, one per file, in folders by area (`shell`, `contacts`, `calls`,
//! `embed`): each renders with `view!` and takes its services from context.

pub mod calls;
pub mod contacts;
pub mod embed;
pub mod shell;

pub use calls::{CallBanner, CallsView, DispositionPanel};
pub use contacts::{ContactEditor, ContactTable, ImportButton, ZoomSyncButton};
pub use embed::EmbedPane;
