//! Browser side effects, each a `use_*` hook that cleans up after itself.

mod clock;
mod responders;
mod smart_embed;

pub use clock::use_clock;
pub use smart_embed::{use_smart_embed, BridgeServices, SmartEmbed};
