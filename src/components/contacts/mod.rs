//! The contacts: the table the rep works from, its tools, the contact editor and the
//! CSV import.

mod contact_conflict;
mod contact_editor;
mod contact_history;
mod contact_table;
mod editor_dialog;
mod editor_form;
mod import_button;
mod import_dialog;
mod load_status;
mod notice_item;
mod notice_list;
mod number_row;
mod row_actions;
mod row_slot;
mod sort_header;
mod table_tools;
mod text_field;
mod zoom_sync_button;

pub use contact_conflict::{ConflictChoice, ContactConflict};
pub use contact_editor::ContactEditor;
pub use contact_history::ContactHistory;
pub use contact_table::ContactTable;
pub use editor_dialog::EditorDialog;
pub use editor_form::{EditorForm, NumberFields};
pub use import_button::ImportButton;
pub use import_dialog::ImportDialog;
pub use load_status::LoadStatus;
pub use notice_item::NoticeItem;
pub use notice_list::NoticeList;
pub use number_row::NumberRow;
pub use row_actions::RowActions;
pub use row_slot::RowSlot;
pub use sort_header::SortHeader;
pub use table_tools::TableTools;
pub use text_field::TextField;
pub use zoom_sync_button::ZoomSyncButton;
