//! The outbound queue: commands wait until the embed has loaded, `zp-init-config` goes
//! first after every load, and a command that waited too long is dropped and reported.

use super::protocol::EmbedCommand;

/// Who asked for a command, so a failure can be shown where the rep acted.
pub type Requester = Option<i64>;

/// A command waiting for the embed.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    /// The command.
    pub command: EmbedCommand,
    /// The contact row that asked for it, if any.
    pub requester: Requester,
    /// When it was submitted (ms on the app's clock).
    pub queued_at_ms: f64,
}

/// Commands waiting for the embed, and whether it is ready.
#[derive(Debug, Default)]
pub struct OutboundQueue {
    ready: bool,
    waiting: Vec<Waiting>,
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
    pub fn submit(
        &mut self,
        command: EmbedCommand,
        requester: Requester,
        now_ms: f64,
    ) -> Option<EmbedCommand> {
        if self.ready {
            Some(command)
        } else {
            self.waiting.push(Waiting {
                command,
                requester,
                queued_at_ms: now_ms,
            });
            None
        }
    }

    /// Removes and returns the commands that have waited longer than `ttl_ms`.
    pub fn expire(&mut self, now_ms: f64, ttl_ms: f64) -> Vec<Waiting> {
        let (expired, kept) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|w| now_ms - w.queued_at_ms > ttl_ms);
        self.waiting = kept;
        expired
    }

    /// The embed (re)loaded its real URL: returns what to post, init config first.
    /// Call [`OutboundQueue::expire`] before, so nothing stale is sent.
    pub fn loaded(&mut self, init: EmbedCommand) -> Vec<EmbedCommand> {
        self.ready = true;
        std::iter::once(init)
            .chain(self.waiting.drain(..).map(|w| w.command))
            .collect()
    }

    /// The embed is navigating away (or was removed): hold commands again.
    pub fn unloaded(&mut self) {
        self.ready = false;
    }
}

/// A problem shown on the contact row that asked for a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowNotice {
    /// What went wrong, in the rep's words.
    pub message: String,
    /// The number concerned.
    pub number: String,
    /// Links that do the same outside the embed (contract §4).
    pub links: Vec<FallbackLink>,
    /// A command the call guard holds until the rep confirms it.
    pub confirm: Option<EmbedCommand>,
    /// Whether confirming overrides the do-not-call list, which takes a deliberate
    /// second step (the rep says the person asked to be called).
    pub needs_consent: bool,
}

/// A link that places the call or opens the text outside the embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FallbackLink {
    /// Button text.
    pub label: &'static str,
    /// `zoomphonecall://…`, `tel:…` or `zoomphonesms://…`.
    pub href: String,
}

/// Message when a command waited too long for the embed.
pub const NOT_SENT: &str = "Not sent: the Zoom Phone pane did not load in time";
/// Message when the softphone stayed silent after a call command.
pub const NO_RING: &str = "The softphone did not answer — is it signed in?";

/// The number a call or text command is for, and the links that do the same
/// through the Zoom client or the system's phone app (contract §4).
pub fn fallback_links(command: &EmbedCommand) -> Option<(String, Vec<FallbackLink>)> {
    let link = |label, href| FallbackLink { label, href };
    match command {
        EmbedCommand::MakeCall {
            number, caller_id, ..
        } => Some((
            number.clone(),
            vec![
                link("Zoom app", call_link(number, caller_id.as_deref())),
                link("Phone app", format!("tel:{number}")),
            ],
        )),
        EmbedCommand::InputSms { number } => Some((
            number.clone(),
            vec![link("Zoom app", format!("zoomphonesms://{number}"))],
        )),
        _ => None,
    }
}

/// `zoomphonecall://NUMBER[?callerid=ID]`.
pub fn call_link(number: &str, caller_id: Option<&str>) -> String {
    match caller_id {
        Some(id) => format!("zoomphonecall://{number}?callerid={id}"),
        None => format!("zoomphonecall://{number}"),
    }
}

/// Watches a `zp-make-call` with `autoDial` for the ringing event that should follow.
#[derive(Debug, Default)]
pub struct RingWatch {
    watching: Option<(EmbedCommand, Requester, f64)>,
}

impl RingWatch {
    /// A call command was posted at `now_ms`.
    pub fn dialled(&mut self, command: EmbedCommand, requester: Requester, now_ms: f64) {
        self.watching = Some((command, requester, now_ms));
    }

    /// A ringing event arrived: the softphone answered.
    pub fn rang(&mut self) {
        self.watching = None;
    }

    /// Once the timeout has passed with no ringing: the command and who asked for it.
    pub fn overdue(&mut self, now_ms: f64, timeout_ms: f64) -> Option<(EmbedCommand, Requester)> {
        match &self.watching {
            Some((_, _, at)) if now_ms - at > timeout_ms => self
                .watching
                .take()
                .map(|(command, requester, _)| (command, requester)),
            _ => None,
        }
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
        assert_eq!(q.submit(sms("1"), Some(7), 0.0), None);
        assert_eq!(q.submit(sms("2"), None, 0.0), None);
        assert_eq!(q.waiting(), 2);
        assert_eq!(q.loaded(init()), vec![init(), sms("1"), sms("2")]);
        assert_eq!(q.submit(sms("3"), None, 0.0), Some(sms("3")));
    }

    #[test]
    fn every_reload_sends_init_again() {
        let mut q = OutboundQueue::default();
        assert_eq!(q.loaded(init()), vec![init()]);
        q.unloaded();
        assert_eq!(q.submit(sms("1"), None, 0.0), None);
        assert_eq!(q.loaded(init()), vec![init(), sms("1")]);
    }

    #[test]
    fn commands_past_their_time_to_live_are_dropped_and_returned() {
        let mut q = OutboundQueue::default();
        q.submit(sms("old"), Some(1), 0.0);
        q.submit(sms("new"), Some(2), 900.0);
        let expired = q.expire(1_500.0, 1_000.0);
        assert_eq!(expired.len(), 1);
        assert_eq!(
            (expired[0].command.clone(), expired[0].requester),
            (sms("old"), Some(1))
        );
        assert_eq!(q.loaded(init()), vec![init(), sms("new")]);
    }

    #[test]
    fn ring_watch_fires_once_unless_ringing_arrives() {
        let mut watch = RingWatch::default();
        watch.dialled(sms("+1"), Some(3), 0.0);
        assert_eq!(watch.overdue(500.0, 1_000.0), None);
        assert_eq!(watch.overdue(1_500.0, 1_000.0), Some((sms("+1"), Some(3))));
        assert_eq!(watch.overdue(2_500.0, 1_000.0), None);
        watch.dialled(sms("+2"), None, 0.0);
        watch.rang();
        assert_eq!(watch.overdue(5_000.0, 1_000.0), None);
    }

    #[test]
    fn fallback_links_follow_the_uri_schemes() {
        let call = EmbedCommand::MakeCall {
            number: "+14155550123".into(),
            caller_id: Some("+14155550199".into()),
            auto_dial: true,
        };
        let hrefs = |command| {
            fallback_links(&command).map(|(number, links)| {
                let hrefs: Vec<String> = links.into_iter().map(|l| l.href).collect();
                (number, hrefs)
            })
        };
        assert_eq!(
            hrefs(call),
            Some((
                "+14155550123".into(),
                vec![
                    "zoomphonecall://+14155550123?callerid=+14155550199".into(),
                    "tel:+14155550123".into()
                ]
            ))
        );
        assert_eq!(
            hrefs(sms("+14155550123")),
            Some((
                "+14155550123".into(),
                vec!["zoomphonesms://+14155550123".into()]
            ))
        );
        assert_eq!(hrefs(init()), None);
    }
}
