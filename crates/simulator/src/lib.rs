//! Library side of `dialdesk-sim`: the Zoom REST + OAuth emulator, which the simulator binary
//! serves on its listeners and other crates' tests run in-process
//! ([`emulator::spawn_for_tests`]), and the clock helpers both share.

pub mod clock;
pub mod emulator;
