//! The frame around the work: start-up, sign-in, the top bar and the workspace's
//! layout.

mod boot_error;
mod caller_id_picker;
mod shortcuts_help;
mod sign_in;
mod signed_in_user;
mod top_bar;
mod work_tabs;
mod workspace;

pub use boot_error::BootError;
pub use caller_id_picker::{CallerIdPicker, CALLER_ID_KEY};
pub use shortcuts_help::ShortcutsHelp;
pub use sign_in::SignIn;
pub use signed_in_user::SignedInUser;
pub use top_bar::TopBar;
pub use work_tabs::WorkTabs;
pub use workspace::Workspace;
