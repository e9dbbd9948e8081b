//! UI components, one per file: render and wire events, no web-sys side effects.

mod bridge_console;
mod call_banner;
mod calls_view;
mod contact_editor;
mod contact_table;
mod disposition_panel;
mod embed_pane;
mod form_html;
mod import_panel;
mod log_html;
mod table_rows;
mod top_bar;
mod unlogged_calls;
mod zoom_html;
mod zoom_sync;

pub use bridge_console::BridgeConsole;
pub use call_banner::CallBanner;
pub use calls_view::CallsView;
pub use contact_editor::{ContactEditor, EditRequest, EditorCtx};
pub use contact_table::ContactTable;
pub use disposition_panel::DispositionPanel;
pub use embed_pane::EmbedPane;
pub use import_panel::ImportButton;
pub use top_bar::{TopBar, CALLER_ID_KEY};
pub use unlogged_calls::CallsTabs;
pub use zoom_html::gate_html;
pub use zoom_sync::ZoomSyncButton;
