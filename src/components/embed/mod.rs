//! The Smart Embed's pane: the iframe, the bridge's status and its console.

mod bridge_console;
mod bridge_status;
mod console_line;
mod embed_pane;

pub use bridge_console::BridgeConsole;
pub use bridge_status::BridgeStatus;
pub use console_line::ConsoleLine;
pub use embed_pane::EmbedPane;
