//! The calls: the banner of the current one, the screen pop's question, the
//! disposition panel, the calls this browser knows, Zoom's unlogged calls and the
//! company directory.

mod call_banner;
mod call_row;
mod calls_view;
mod directory;
mod directory_row;
mod disposition_panel;
mod log_conflict;
mod log_form;
mod outbox_banner;
mod screen_pop_picker;
mod unlogged_calls;
mod unlogged_row;
mod waiting_forms;
mod wrap_up_line;

pub use call_banner::CallBanner;
pub use call_row::CallRow;
pub use calls_view::CallsView;
pub use directory::Directory;
pub use directory_row::DirectoryRow;
pub use disposition_panel::DispositionPanel;
pub use log_conflict::LogConflict;
pub use log_form::LogForm;
pub use outbox_banner::OutboxBanner;
pub use screen_pop_picker::ScreenPopPicker;
pub use unlogged_calls::UnloggedCalls;
pub use unlogged_row::UnloggedRow;
pub use waiting_forms::WaitingForms;
pub use wrap_up_line::WrapUpLine;
