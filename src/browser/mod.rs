//! Browser side effects, each a `use_*` hook that cleans up after itself.

mod clock;
mod inbound;
mod keyboard;
mod responders;
mod sdk_loader;
mod smart_embed;
pub mod storage;
pub mod tabs;
mod text;
mod upload;
mod zone_clock;

pub use clock::use_clock;
pub use keyboard::use_shortcuts;
pub use sdk_loader::use_sdk_loader;
pub use smart_embed::{use_smart_embed, BridgeServices, SmartEmbed, EMBED_IFRAME_ID};
pub use text::lower;
pub use upload::upload_file;
pub use zone_clock::{local_day_or_time, local_time, local_when, local_when_ms};
