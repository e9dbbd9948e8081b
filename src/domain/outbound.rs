//! The outbound queue: commands wait until the embed has loaded, and
//! `zp-init-config` goes first after every load.

use super::protocol::EmbedCommand;

/// Commands waiting for the embed, and whether it is ready.
#[derive(Debug, Default)]
pub struct OutboundQueue {
    ready: bool,
    waiting: Vec<EmbedCommand>,
}

impl OutboundQueue {
    /// Whether commands are posted at once.
    pub fn is_ready(&self) -> bool {
        self.ready
    }

    /// Number of commands waiting for the embed.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// Submits a command: returns it when it may be posted now, or keeps it.
    pub fn submit(&mut self, command: EmbedCommand) -> Option<EmbedCommand> {
        if self.ready {
            Some(command)
        } else {
            self.waiting.push(command);
            None
        }
    }

    /// The embed (re)loaded its real URL: returns what to post, init config first.
    pub fn loaded(&mut self, init: EmbedCommand) -> Vec<EmbedCommand> {
        self.ready = true;
        std::iter::once(init)
            .chain(self.waiting.drain(..))
            .collect()
    }

    /// The embed is navigating away (or was removed): hold commands again.
    pub fn unloaded(&mut self) {
        self.ready = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::protocol::InitConfig;
    use dialdesk_contract::InitConfigFlags;

    fn init() -> EmbedCommand {
        EmbedCommand::InitConfig(InitConfig::new(InitConfigFlags::default(), &[]))
    }

    fn sms(n: &str) -> EmbedCommand {
        EmbedCommand::InputSms { number: n.into() }
    }

    #[test]
    fn holds_until_loaded_then_sends_init_first() {
        let mut q = OutboundQueue::default();
        assert_eq!(q.submit(sms("1")), None);
        assert_eq!(q.submit(sms("2")), None);
        assert_eq!(q.waiting(), 2);
        assert_eq!(q.loaded(init()), vec![init(), sms("1"), sms("2")]);
        assert_eq!(q.submit(sms("3")), Some(sms("3")));
    }

    #[test]
    fn every_reload_sends_init_again() {
        let mut q = OutboundQueue::default();
        assert_eq!(q.loaded(init()), vec![init()]);
        q.unloaded();
        assert_eq!(q.submit(sms("1")), None);
        assert_eq!(q.loaded(init()), vec![init(), sms("1")]);
    }
}
