//! Pure logic with no Leptos or web-sys dependency, tested on the native target.

pub mod call;
pub mod call_log;
pub mod console;
pub mod contact_form;
pub mod contacts;
pub mod guard;
pub mod import;
pub mod outbound;
pub mod owner;
pub mod phone;
pub mod protocol;
pub mod rows;
pub mod session;
pub mod table;
pub mod zoom;
