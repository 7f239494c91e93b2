//! The served site: the files of the last good build or the error overlay, shared by
//! the builder and the connections, with a signal for each new build.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The served site, shared by the builder and the connections.
#[derive(Debug, Default)]
pub struct State {
    inner: Mutex<Snapshot>,
    changed: Condvar,
}

/// The state after a build.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The files of the last good build, by path; `None` before the first good build.
    pub files: Option<Arc<BTreeMap<String, Vec<u8>>>>,
    /// The overlay's HTML if the last build failed.
    pub errors: Option<Arc<str>>,
    /// Counts builds, good or failed.
    pub generation: u64,
}

impl State {
    /// The current state.
    pub fn snapshot(&self) -> Snapshot {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until a build newer than `seen` finished, at most `timeout`.
    pub fn wait_change(&self, seen: u64, timeout: Duration) -> Snapshot {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.generation == seen)
            .unwrap_or_else(|e| e.into_inner());
        guard.clone()
    }

    pub(super) fn publish(&self, files: Option<BTreeMap<String, Vec<u8>>>, errors: Option<String>) {
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(files) = files {
            s.files = Some(Arc::new(files));
        }
        s.errors = errors.map(Arc::from);
        s.generation += 1;
        self.changed.notify_all();
    }
}
