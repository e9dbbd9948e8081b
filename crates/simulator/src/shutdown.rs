//! The shutdown signal: fired once on Ctrl-C or SIGTERM, observed by servers and SSE streams.

use tokio::sync::watch;

/// Fires the shutdown signal.
pub struct Trigger(watch::Sender<bool>);

/// Observes the shutdown signal; cheap to clone.
#[derive(Clone)]
pub struct Shutdown(watch::Receiver<bool>);

/// A connected trigger and observer.
pub fn channel() -> (Trigger, Shutdown) {
    let (tx, rx) = watch::channel(false);
    (Trigger(tx), Shutdown(rx))
}

impl Trigger {
    /// Tells every observer to shut down.
    pub fn fire(&self) {
        self.0.send_replace(true);
    }
}

impl Shutdown {
    /// Resolves once the signal fired, or once its trigger is gone.
    pub async fn wait(&mut self) {
        // An error means the trigger was dropped: nobody can keep the server up any more.
        let _fired = self.0.wait_for(|down| *down).await.map(|_| ());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn observers_see_the_trigger() {
        let (trigger, shutdown) = channel();
        let mut first = shutdown.clone();
        let mut second = shutdown;
        trigger.fire();
        first.wait().await;
        second.wait().await;
    }

    #[tokio::test]
    async fn a_dropped_trigger_counts_as_shutdown() {
        let (trigger, mut shutdown) = channel();
        drop(trigger);
        shutdown.wait().await;
    }
}
