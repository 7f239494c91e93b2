//! Watching the seeds folder: native events (inotify, FSEvents, …) debounced, or polling
//! where native events are unreliable (network and container mounts, WSL) or the native
//! watcher cannot start (out of inotify watches).
//!
//! Symbolic links inside the folder are not followed: a link to a large or looping tree
//! would have it all watched (the build does not read through links to folders either).
//! A seeds folder replaced as a whole (removed and made again, or another moved into its
//! place, as tools that write a copy and swap it do) is watched anew by
//! [`FolderWatcher::refresh`].

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{Config, DebounceEventResult, Debouncer, new_debouncer_opt};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;
use std::time::SystemTime;

/// How long the folder must be quiet before a rebuild: editors save in a few steps.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// How often the polling watcher looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// How often [`FolderWatcher::refresh`] is worth calling while no event comes.
pub const RECHECK: Duration = Duration::from_millis(500);

/// A running watcher of a folder; dropping it stops watching.
pub struct FolderWatcher {
    backend: Backend,
    dir: PathBuf,
    /// The folder watched (device and inode), `None` while it is missing.
    identity: Option<(u64, u64)>,
}

enum Backend {
    /// Native file system events.
    Native(Debouncer<RecommendedWatcher>),
    /// Polling.
    Poll(Debouncer<PollWatcher>),
}

impl Backend {
    fn watch(&mut self, dir: &Path) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.watcher().watch(dir, RecursiveMode::Recursive),
            Backend::Poll(d) => d.watcher().watch(dir, RecursiveMode::Recursive),
        }
    }

    fn unwatch(&mut self, dir: &Path) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.watcher().unwatch(dir),
            Backend::Poll(d) => d.watcher().unwatch(dir),
        }
    }
}

impl FolderWatcher {
    /// `native` or `polling`, for messages.
    pub fn kind(&self) -> &'static str {
        match self.backend {
            Backend::Native(_) => "native events",
            Backend::Poll(_) => "polling",
        }
    }

    /// Watches the folder anew if it is not the one watched (it was removed, made again
    /// or replaced by another moved to its path); `true` if so, its content then to be
    /// looked at again. A folder that went missing is watched once it is back.
    pub fn refresh(&mut self) -> bool {
        let now = identity(&self.dir);
        if now == self.identity {
            return false;
        }
        // The watch of the folder that went away, if the backend still holds it.
        let _ = self.backend.unwatch(&self.dir);
        self.identity = now;
        if now.is_some() && self.backend.watch(&self.dir).is_err() {
            // Tried again on the next call.
            self.identity = None;
        }
        true
    }
}

/// What tells a folder from another made at the same path: its device and inode (on
/// systems without them, only whether it exists).
fn identity(dir: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(dir).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0))
    }
}

/// Watches `dir` recursively and sends each debounced batch of changed paths to `tx`.
/// With `poll`, or when the native watcher fails to start, polls instead; the second
/// value is why the native watcher was not used, if it failed.
pub fn watch(
    dir: &Path,
    poll: bool,
    tx: Sender<Vec<PathBuf>>,
) -> Result<(FolderWatcher, Option<String>), notify::Error> {
    let handler = move |tx: Sender<Vec<PathBuf>>| {
        move |res: DebounceEventResult| {
            let paths = match res {
                Ok(events) => events.into_iter().map(|e| e.path).collect(),
                // An error of the watcher itself: rebuild to be safe.
                Err(_) => Vec::new(),
            };
            let _ = tx.send(paths);
        }
    };
    let config = || {
        Config::default().with_timeout(DEBOUNCE).with_notify_config(
            notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true)
                .with_follow_symlinks(false),
        )
    };
    let watcher = |backend| FolderWatcher {
        backend,
        dir: dir.to_path_buf(),
        identity: identity(dir),
    };
    let mut fallback = None;
    if !poll {
        let native = new_debouncer_opt::<_, RecommendedWatcher>(config(), handler(tx.clone()))
            .and_then(|mut d| {
                d.watcher().watch(dir, RecursiveMode::Recursive)?;
                Ok(d)
            });
        match native {
            Ok(d) => return Ok((watcher(Backend::Native(d)), None)),
            Err(e) => fallback = Some(e.to_string()),
        }
    }
    let mut d = new_debouncer_opt::<_, PollWatcher>(config(), handler(tx))?;
    d.watcher().watch(dir, RecursiveMode::Recursive)?;
    Ok((watcher(Backend::Poll(d)), fallback))
}

/// Whether a changed path can matter to the site: editors' swap, backup and lock files
/// and hidden files do not.
pub fn relevant(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return true;
    };
    !(name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with("#"))
}

/// What the seeds folder holds: every file's size, modification time and content hash.
/// Reading a file raises events too (inotify reports opens), so a rebuild happens only
/// when the fingerprint changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Fingerprint(BTreeMap<PathBuf, (u64, Option<SystemTime>, u64)>);

impl Fingerprint {
    /// Takes the fingerprint of `dir`, hashing again only the files in `changed` and the
    /// files whose size or time differ from `prev`.
    pub fn take(dir: &Path, prev: &Fingerprint, changed: &[PathBuf]) -> Fingerprint {
        let mut map = BTreeMap::new();
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if !entry.file_type().is_file() || !relevant(entry.path()) {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            let (len, time) = (meta.len(), meta.modified().ok());
            let path = entry.path().to_path_buf();
            let hash = match prev.0.get(&path) {
                Some(&(l, t, h)) if l == len && t == time && !changed.contains(&path) => h,
                _ => {
                    let mut hasher = std::collections::hash_map::DefaultHasher::new();
                    std::fs::read(&path).unwrap_or_default().hash(&mut hasher);
                    hasher.finish()
                }
            };
            map.insert(path, (len, time, hash));
        }
        Fingerprint(map)
    }

    /// The files added, removed or changed in content from `before` to `self`.
    pub fn changed_since(&self, before: &Fingerprint) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self
            .0
            .iter()
            .filter(|(p, (_, _, h))| before.0.get(*p).is_none_or(|(_, _, g)| g != h))
            .map(|(p, _)| p.clone())
            .collect();
        out.extend(
            before
                .0
                .keys()
                .filter(|p| !self.0.contains_key(*p))
                .cloned(),
        );
        out.sort();
        out
    }

    /// Whether the two name the same files with the same contents.
    pub fn same_content(&self, other: &Fingerprint) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((p, (_, _, h)), (q, (_, _, g)))| p == q && h == g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_files() {
        assert!(relevant(Path::new("seeds/000.txt")));
        assert!(relevant(Path::new("seeds/manifest.yaml")));
        assert!(!relevant(Path::new("seeds/.000.txt.swp")));
        assert!(!relevant(Path::new("seeds/000.txt~")));
        assert!(!relevant(Path::new("seeds/#000.txt#")));
    }

    #[test]
    fn fingerprint_sees_content_not_reads() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "one").unwrap();
        let f1 = Fingerprint::take(dir.path(), &Fingerprint::default(), &[]);
        let _ = std::fs::read(&a).unwrap();
        let f2 = Fingerprint::take(dir.path(), &f1, std::slice::from_ref(&a));
        assert!(f1.same_content(&f2));
        std::fs::write(&a, "two").unwrap();
        let f3 = Fingerprint::take(dir.path(), &f2, std::slice::from_ref(&a));
        assert!(!f2.same_content(&f3));
        std::fs::write(dir.path().join("b.txt"), "new").unwrap();
        let f4 = Fingerprint::take(dir.path(), &f3, &[]);
        assert!(!f3.same_content(&f4));
    }

    #[test]
    fn polling_sees_a_change() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "one").unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let (_w, _) = watch(dir.path(), true, tx).unwrap();
        std::thread::sleep(POLL_INTERVAL * 2);
        std::fs::write(dir.path().join("a.txt"), "two!").unwrap();
        let paths = rx.recv_timeout(Duration::from_secs(5)).expect("an event");
        assert!(paths.iter().any(|p| p.ends_with("a.txt")), "{paths:?}");
    }

    /// Collects what arrives on `rx` for `wait`.
    fn gather(rx: &std::sync::mpsc::Receiver<Vec<PathBuf>>, wait: Duration) -> Vec<PathBuf> {
        let until = std::time::Instant::now() + wait;
        let mut all = Vec::new();
        while let Ok(paths) =
            rx.recv_timeout(until.saturating_duration_since(std::time::Instant::now()))
        {
            all.extend(paths);
        }
        all
    }

    #[test]
    fn links_inside_the_folder_are_not_followed() {
        for poll in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let (seeds, outside) = (dir.path().join("seeds"), dir.path().join("outside"));
            std::fs::create_dir_all(outside.join("deep")).unwrap();
            std::fs::write(outside.join("deep/a.txt"), "one").unwrap();
            std::fs::create_dir(&seeds).unwrap();
            std::fs::write(seeds.join("b.txt"), "one").unwrap();
            std::os::unix::fs::symlink(&outside, seeds.join("link")).unwrap();
            let (tx, rx) = std::sync::mpsc::channel();
            let (_w, _) = watch(&seeds, poll, tx).unwrap();
            std::thread::sleep(POLL_INTERVAL * 2);
            gather(&rx, Duration::from_millis(100));
            std::fs::write(outside.join("deep/a.txt"), "two, longer").unwrap();
            std::fs::write(outside.join("deep/new.txt"), "new").unwrap();
            let paths = gather(&rx, POLL_INTERVAL * 4);
            assert!(
                paths
                    .iter()
                    .all(|p| !p.starts_with(seeds.join("link/deep"))),
                "poll {poll}: {paths:?}"
            );
            // The folder itself is watched all the same.
            std::fs::write(seeds.join("b.txt"), "two, longer").unwrap();
            let paths = gather(&rx, POLL_INTERVAL * 4);
            assert!(paths.iter().any(|p| p.ends_with("b.txt")), "{paths:?}");
        }
    }

    #[test]
    fn a_replaced_folder_is_watched_anew() {
        for poll in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let seeds = dir.path().join("seeds");
            std::fs::create_dir(&seeds).unwrap();
            std::fs::write(seeds.join("a.txt"), "one").unwrap();
            let (tx, rx) = std::sync::mpsc::channel();
            let (mut w, _) = watch(&seeds, poll, tx).unwrap();
            std::thread::sleep(POLL_INTERVAL * 2);
            assert!(!w.refresh(), "nothing was replaced");

            // Removed and made again.
            std::fs::remove_dir_all(&seeds).unwrap();
            assert!(w.refresh(), "poll {poll}: the removal went unseen");
            std::fs::create_dir(&seeds).unwrap();
            std::fs::write(seeds.join("a.txt"), "two").unwrap();
            assert!(w.refresh(), "poll {poll}: the new folder went unseen");
            std::thread::sleep(POLL_INTERVAL * 2);
            gather(&rx, Duration::from_millis(100));
            std::fs::write(seeds.join("a.txt"), "three, longer").unwrap();
            let paths = gather(&rx, POLL_INTERVAL * 4);
            assert!(
                paths.iter().any(|p| p.ends_with("a.txt")),
                "poll {poll}: {paths:?}"
            );

            // Another folder moved into its place.
            let next = dir.path().join("seeds.next");
            std::fs::create_dir(&next).unwrap();
            std::fs::write(next.join("a.txt"), "four").unwrap();
            std::fs::rename(&seeds, dir.path().join("seeds.old")).unwrap();
            std::fs::rename(&next, &seeds).unwrap();
            assert!(w.refresh(), "poll {poll}: the swap went unseen");
            std::thread::sleep(POLL_INTERVAL * 2);
            gather(&rx, Duration::from_millis(100));
            std::fs::write(seeds.join("a.txt"), "five, longer").unwrap();
            let paths = gather(&rx, POLL_INTERVAL * 4);
            assert!(
                paths.iter().any(|p| p.ends_with("a.txt")),
                "poll {poll}: {paths:?}"
            );
            assert!(!w.refresh());
        }
    }
}
