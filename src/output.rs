//! Writing the site: into a temporary folder next to the target, then swapped in, so a
//! failed or killed build leaves the previous site as it was.
//!
//! A folder clausebook writes carries a marker file, [`MARKER`]. clausebook replaces only
//! a folder with that marker (or an empty one) and deletes only folders it made, each
//! with its marker last, so that a folder left half-removed by a killed build is still
//! known to be ours and removed by the next build.
//!
//! The target is checked and written as the file system resolves it: symbolic links and
//! `..` in the folders above it are followed ([`resolve`]), so `--out link/site` or
//! `--out dir/link/..` is checked where it lands, not where its text points.
//!
//! One build at a time writes a site: a build holds an advisory lock on a file next to
//! the site ([`LOCK_SUFFIX`]) from [`Staging::begin`] until its site is swapped in, and a
//! second build waits for it. The lock goes with the process, so a killed build never
//! leaves it held; the file is removed as the lock is let go.
//!
//! Entries a build never makes but people keep in a published folder ([`KEPT`]: the
//! `.git` of a `gh-pages` worktree, a `CNAME` for a custom domain) move from the previous
//! site into the new one, and are never deleted.

use crate::base::{OutputFile, Problem};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// The marker file at the root of every site clausebook writes.
pub const MARKER: &str = ".clausebook-site";

const MARKER_TEXT: &str =
    "This folder was written by clausebook; `clausebook build` replaces it as a whole.\n";

/// Entries of a site folder that a build does not make and never deletes: moved from the
/// previous site into the new one (unless the new one has its own), kept in a folder
/// being removed. A folder holding nothing else counts as empty.
pub const KEPT: &[&str] = &[".git", "CNAME"];

/// The lock file of a site `site` is `.site` followed by this, next to it.
pub const LOCK_SUFFIX: &str = ".clausebook-lock";

/// Why the site could not be written: the kind of failure, and the [`Problem`] as the
/// user reads it. The previous site is untouched in every case.
#[derive(Debug)]
pub struct OutputError {
    /// What failed.
    pub kind: OutputErrorKind,
    /// Where, what is wrong, what to do (boxed, since errors travel up every stage's
    /// `Result`).
    pub problem: Box<Problem>,
}

/// The kinds of [`OutputError`].
#[derive(Debug)]
pub enum OutputErrorKind {
    /// The output folder is one clausebook must not replace, or a path of the site would
    /// leave it.
    Refused,
    /// Writing failed (disk full, permissions, …).
    Io(std::io::Error),
}

impl OutputError {
    fn new(problem: Problem, kind: OutputErrorKind) -> OutputError {
        OutputError {
            kind,
            problem: Box::new(problem),
        }
    }

    /// Writing the site to `path` is refused; `reason` says why.
    pub fn refused(path: &Path, reason: &str) -> OutputError {
        OutputError::new(
            Problem::in_file(path, format!("refusing to write the site there: {reason}")).hint(
                "pass `--out DIR` with a new or empty folder, or a folder an earlier \
                     `clausebook build` wrote",
            ),
            OutputErrorKind::Refused,
        )
    }

    /// Writing `path` failed.
    pub fn io(path: &Path, source: std::io::Error) -> OutputError {
        OutputError::new(
            Problem::in_file(path, format!("cannot write it: {source}")).hint(
                "check free disk space and permissions; the previous site was left as it was",
            ),
            OutputErrorKind::Io(source),
        )
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem.fmt(f)
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            OutputErrorKind::Io(e) => Some(e),
            OutputErrorKind::Refused => None,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::io(path, source)
}

/// Checks that `out` may be (re)placed by a site: not `/`, not the home folder, not the
/// seeds folder or a folder holding it, not a file or a symbolic link, and, if it exists
/// and is not empty (but for [`KEPT`] entries), written by clausebook before. The checks
/// apply to the folder as the file system resolves `out` ([`resolve`]), the one
/// [`Staging::begin`] writes.
pub fn check_target(out: &Path, seeds: &Path) -> Result<(), OutputError> {
    let abs = resolve(out);
    let refuse = |reason: &str| {
        let mut reason = reason.to_string();
        if abs != lexical(out) {
            reason.push_str(&format!(" (the path resolves to {})", abs.display()));
        }
        OutputError::refused(out, &reason)
    };
    if abs.parent().is_none() {
        return Err(refuse("it is the root of the file system"));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && !home.as_os_str().is_empty()
        && same_path(&abs, &home)
    {
        return Err(refuse("it is your home folder"));
    }
    // The seeds folder itself is followed if it is a link: the site must not land in
    // the folder its texts are read from, whatever the name it is reached by.
    let seeds_abs = fs::canonicalize(seeds).unwrap_or_else(|_| resolve(seeds));
    if seeds_abs.starts_with(&abs) || abs.starts_with(&seeds_abs) {
        return Err(refuse("it is, holds or lies inside the seeds folder"));
    }
    match fs::symlink_metadata(&abs) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(out)(e)),
        Ok(m) if m.file_type().is_symlink() => Err(refuse("it is a symbolic link")),
        Ok(m) if !m.is_dir() => Err(refuse("it is a file, not a folder")),
        Ok(_) => {
            if abs.join(MARKER).is_file() {
                return Ok(());
            }
            let entries = fs::read_dir(&abs).map_err(io_err(out))?;
            let mut kept = false;
            for e in entries.flatten() {
                if KEPT.iter().any(|k| e.file_name() == *k) {
                    kept = true;
                    continue;
                }
                let mut reason =
                    format!("it is not empty and was not written by clausebook (no {MARKER} file)");
                if kept || abs.join(".git").exists() {
                    reason.push_str(
                        "; if it is meant to hold the site (a gh-pages worktree, say), \
                         remove its files but .git and build again: .git and CNAME are kept",
                    );
                }
                return Err(refuse(&reason));
            }
            Ok(())
        }
    }
}

/// The path `p` names, as the file system resolves it: absolute, with symbolic links and
/// `..` in its folders resolved as far as they exist, the rest appended as written. Its
/// last component is kept as it is (a link there is not followed, and refused by
/// [`check_target`]), unless it is `..`, which is resolved too.
pub fn resolve(p: &Path) -> PathBuf {
    use std::path::Component;
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let comps: Vec<Component<'_>> = abs.components().collect();
    let (dir, last) = match comps.split_last() {
        Some((Component::Normal(name), dir)) => (dir, Some(*name)),
        _ => (&comps[..], None),
    };
    // The longest leading part that exists is resolved by the file system; what follows
    // it does not exist, so its `..` can only be read as text.
    let mut out = (0..=dir.len())
        .rev()
        .find_map(|i| {
            let real = fs::canonicalize(dir[..i].iter().collect::<PathBuf>()).ok()?;
            Some(dir[i..].iter().fold(real, |mut acc, c| {
                match c {
                    Component::ParentDir => {
                        acc.pop();
                    }
                    Component::CurDir => {}
                    other => acc.push(other),
                }
                acc
            }))
        })
        .unwrap_or_else(|| lexical(&dir.iter().collect::<PathBuf>()));
    if let Some(name) = last {
        out.push(name);
    }
    out
}

/// Writes `files` as the site at `out`, replacing the previous site only once every
/// file is written. Call [`check_target`] first.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    use rayon::prelude::*;
    let staging = Staging::begin(out)?;
    files.par_iter().try_for_each(|f| staging.write(f))?;
    staging.finish()
}

/// A site being written: a temporary folder next to the target that files are written
/// into as they are made (from any thread), swapped in by [`Staging::finish`]. Dropped
/// unfinished (a failed build), it removes itself and leaves the previous site as it was.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    tmp: PathBuf,
    /// The previous site, if there is one of ours: its unchanged files are linked.
    previous: Option<PathBuf>,
    /// Folders of the site made so far, relative to its root.
    dirs: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    finished: bool,
    /// The lock on the site, held while this build writes it; released when dropped
    /// (after the temporary folder is removed or swapped in: fields drop after `drop`).
    _lock: Option<SiteLock>,
}

impl Staging {
    /// Makes the temporary folder for a site at `out` (its marker first, so a folder left
    /// by a killed build is known to be ours), after putting back a site that a killed
    /// build moved aside and clearing what such builds left. Call [`check_target`] first.
    ///
    /// Takes the site's lock first, and waits (saying so on stderr) while another build
    /// holds it: what a build clears is then never another's work in progress.
    pub fn begin(out: &Path) -> Result<Staging, OutputError> {
        let out = resolve(out);
        let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let lock = SiteLock::take(&out, &parent, &name)?;
        restore_interrupted(&out, &parent, &name);
        remove_stale(&out, &parent, &name);
        let tmp = parent.join(format!(".{name}.clausebook-new-{}", unique_tag()));
        fs::create_dir(&tmp).map_err(io_err(&tmp))?;
        let previous = out.join(MARKER).is_file().then(|| out.clone());
        let staging = Staging {
            out,
            parent,
            name,
            tmp,
            previous,
            dirs: Default::default(),
            finished: false,
            _lock: lock,
        };
        fs::write(staging.tmp.join(MARKER), MARKER_TEXT).map_err(io_err(&staging.tmp))?;
        Ok(staging)
    }

    /// The path of `rel` inside the temporary folder; refused if it would leave it.
    fn path_of(&self, rel: &str) -> Result<PathBuf, OutputError> {
        let rel = Path::new(rel);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(OutputError::refused(
                &self.tmp.join(rel),
                "an output path leaves the site folder",
            ));
        }
        Ok(self.tmp.join(rel))
    }

    /// Writes one file of the site (its folders made as needed).
    ///
    /// A file whose bytes equal those of the same file in the previous site is a hard
    /// link to it rather than a copy: the file system then allocates no new file for it
    /// and frees none when the previous site is removed, most of the time a rebuild would
    /// otherwise spend on creating and deleting files (the new site is the same either
    /// way, and unchanged files keep their modification time). A file is never written
    /// through such a link: a path written twice gets a new file.
    pub fn write(&self, f: &OutputFile) -> Result<(), OutputError> {
        let path = self.path_of(&f.path)?;
        if let Some(dir) = Path::new(&f.path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            let known = self
                .dirs
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(dir);
            if !known {
                let abs = self.tmp.join(dir);
                fs::create_dir_all(&abs).map_err(io_err(&abs))?;
                self.dirs
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(dir.to_path_buf());
            }
        }
        if let Some(prev) = &self.previous {
            let old = prev.join(&f.path);
            let same = fs::symlink_metadata(&old).is_ok_and(|m| {
                m.is_file()
                    && m.len() == f.bytes.len() as u64
                    && fs::read(&old).is_ok_and(|b| b == f.bytes)
            });
            if same && fs::hard_link(&old, &path).is_ok() {
                return Ok(());
            }
        }
        let create = || {
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
        };
        let mut file = match create() {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                fs::remove_file(&path).map_err(io_err(&path))?;
                create()
            }
            other => other,
        }
        .map_err(io_err(&path))?;
        std::io::Write::write_all(&mut file, &f.bytes).map_err(io_err(&path))
    }

    /// Swaps the written site in for the previous one, which is then removed.
    pub fn finish(self) -> Result<(), OutputError> {
        self.finish_with(None).map(|_| ())
    }

    /// Swaps the written site in, then moves `then` (a file that goes with the site,
    /// written before) into place, still holding the site's lock. If the site cannot be
    /// swapped in, `then` is removed and the previous site stays. Returns whether there
    /// was a file to move.
    pub fn finish_with(mut self, then: Option<PendingFile>) -> Result<bool, OutputError> {
        self.finished = true;
        let previous = match swap_in(&self.tmp, &self.out, &self.parent, &self.name) {
            Ok(previous) => previous,
            Err(e) => {
                self.discard();
                return Err(e);
            }
        };
        // The file goes into place right after the site, before the previous site (which
        // may take a while) is removed.
        let moved = then.map(PendingFile::commit);
        if let Some(old) = previous {
            remove_previous(&old);
        }
        match moved {
            Some(result) => result.map(|()| true),
            None => Ok(false),
        }
    }

    fn discard(&self) {
        if self.tmp.join(MARKER).exists() {
            remove_tree(&self.tmp, &[]);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            self.discard();
        }
    }
}

/// A name part no other build, in this process or another, gives its temporary files:
/// the process id, followed by a count from the second name on (the first, a build's
/// temporary folder, is named by the process id alone).
fn unique_tag() -> String {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    match COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) {
        0 => std::process::id().to_string(),
        n => format!("{}-{n}", std::process::id()),
    }
}

/// The lock of a site: an advisory lock on the file `.NAME.clausebook-lock` next to it,
/// held while this value lives. The file is removed when the lock is let go (a killed
/// build leaves it, to be taken and removed by the next).
#[derive(Debug)]
struct SiteLock {
    file: fs::File,
    path: PathBuf,
}

impl SiteLock {
    /// Takes the lock of the site at `out`, waiting while another build holds it. Where
    /// the file system has no locks, or the lock file cannot be made (a read-only folder,
    /// where the site cannot be written either: that error is the one to report), goes on
    /// without one (`None`).
    fn take(out: &Path, parent: &Path, name: &str) -> Result<Option<SiteLock>, OutputError> {
        let path = parent.join(format!(".{name}{LOCK_SUFFIX}"));
        let mut said = false;
        loop {
            let Ok(file) = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
            else {
                return Ok(None);
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if !said {
                        eprintln!("waiting for another build of {} to finish…", out.display());
                        said = true;
                    }
                    file.lock().map_err(io_err(&path))?;
                }
                Err(fs::TryLockError::Error(_)) => return Ok(None),
            }
            // The build that held the lock removes the file as it lets go: locked after
            // that, this file is no longer the one others open, so it is opened anew.
            if same_file(&file, &path) {
                return Ok(Some(SiteLock { file, path }));
            }
        }
    }
}

impl Drop for SiteLock {
    fn drop(&mut self) {
        // Removed while still locked: the lock goes with `self.file` right after.
        if same_file(&self.file, &self.path) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Whether the open `file` is the one at `path`.
fn same_file(file: &fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        // No identity to compare: the file is kept, and is always the one.
        let _ = (file, path);
        true
    }
}

/// A file written next to its place, moved into it by [`Staging::finish_with`] once the
/// site is swapped in: what goes with the site (the anchor registry) is then written
/// only if the site is, and a write that fails leaves neither behind. Dropped without
/// being moved, the temporary file is removed.
#[derive(Debug)]
pub struct PendingFile {
    path: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

impl PendingFile {
    /// Writes `bytes` (flushed to disk) to a temporary file beside `path`; `None` if
    /// `path` holds them already. On failure (a full disk, a read-only folder) no
    /// temporary file remains.
    pub fn prepare(path: &Path, bytes: &[u8]) -> Result<Option<PendingFile>, OutputError> {
        if fs::read(path).ok().as_deref() == Some(bytes) {
            return Ok(None);
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.{}.tmp", unique_tag()));
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io_err(path))?;
        let pending = PendingFile {
            path: path.to_path_buf(),
            tmp,
            committed: false,
        };
        std::io::Write::write_all(&mut file, bytes)
            .and_then(|()| file.sync_all())
            .map_err(io_err(path))?;
        Ok(Some(pending))
    }

    /// The file the temporary one will replace.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Moves the file into its place now, replacing what was there in one step (for a
    /// file written with no site, such as the anchor registry after `clausebook anchors
    /// retire`).
    pub fn replace(self) -> Result<(), OutputError> {
        self.commit()
    }

    fn commit(mut self) -> Result<(), OutputError> {
        fs::rename(&self.tmp, &self.path).map_err(io_err(&self.path))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// How many threads write files for a [`Writer`] in the background: enough that while one
/// waits for the disk (to read the previous site's copy of a file, when the system no
/// longer holds it in memory), the cores go on making the next files.
const WRITERS: usize = 2;

/// How many files a writing thread takes at a time: handing files over one by one cost
/// more in waking threads than the writing itself.
const BATCH: usize = 64;

/// How many batches may wait for a writing thread before [`Writer::put`] waits in turn.
const QUEUE: usize = 16;

/// Writes files into a [`Staging`] folder ([`Staging::with_writer`]): on the threads
/// that hand them over (in parallel), or, once [`Writer::background`] is set, on threads
/// of its own, so that the caller hands files over and goes on.
pub struct Writer<'s> {
    staging: &'s Staging,
    background: std::sync::atomic::AtomicBool,
    queue: std::sync::mpsc::SyncSender<Option<Vec<OutputFile>>>,
    /// Batches handed over and not yet written, and a signal for when none is left.
    pending: (std::sync::Mutex<usize>, std::sync::Condvar),
    /// The first write that failed (later files are then dropped).
    failed: std::sync::Mutex<Option<OutputError>>,
}

impl Staging {
    /// Runs `work` with a [`Writer`] into this folder; returns once every file handed to
    /// it is written (see [`Writer::wait`] for the errors).
    pub fn with_writer<R>(&self, work: impl FnOnce(&Writer<'_>) -> R) -> R {
        let (queue, files) = std::sync::mpsc::sync_channel(QUEUE);
        let files = std::sync::Mutex::new(files);
        let writer = Writer {
            staging: self,
            background: Default::default(),
            queue,
            pending: Default::default(),
            failed: Default::default(),
        };
        std::thread::scope(|s| {
            for _ in 0..WRITERS {
                s.spawn(|| {
                    loop {
                        let next = files.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok(Some(files)) = next else {
                            break;
                        };
                        writer.write(&files);
                    }
                });
            }
            // The threads stop when `work` returns or panics, after the files before.
            struct Stop<'a, 's>(&'a Writer<'s>);
            impl Drop for Stop<'_, '_> {
                fn drop(&mut self) {
                    for _ in 0..WRITERS {
                        let _ = self.0.queue.send(None);
                    }
                }
            }
            let _stop = Stop(&writer);
            work(&writer)
        })
    }
}

impl Writer<'_> {
    /// Writes the files that follow on threads of the writer's own: worth it for a large
    /// site, whose previous copy may have to be read from disk; a small one is written
    /// faster by the threads that make it.
    pub fn background(&self) {
        self.background
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Writes files, or hands them over to be written a batch to each thread (waiting
    /// only while the queue is full). Dropped if a write failed before.
    pub fn put(&self, mut files: Vec<OutputFile>) {
        if !self.background.load(std::sync::atomic::Ordering::Relaxed) {
            use rayon::prelude::*;
            if self.has_failed() {
                return;
            }
            if let Err(e) = files.par_iter().try_for_each(|f| self.staging.write(f)) {
                self.fail(e);
            }
            return;
        }
        while !files.is_empty() {
            if self.has_failed() {
                return;
            }
            let rest = files.split_off(files.len().min(BATCH));
            *self.pending.0.lock().unwrap_or_else(|e| e.into_inner()) += 1;
            if self.queue.send(Some(files)).is_err() {
                self.done();
            }
            files = rest;
        }
    }

    /// Waits until every file handed over so far is written; returns the first error
    /// since the last call, if any.
    pub fn wait(&self) -> Result<(), OutputError> {
        let mut n = self.pending.0.lock().unwrap_or_else(|e| e.into_inner());
        while *n > 0 {
            n = self.pending.1.wait(n).unwrap_or_else(|e| e.into_inner());
        }
        drop(n);
        match self.failed.lock().unwrap_or_else(|e| e.into_inner()).take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn write(&self, files: &[OutputFile]) {
        // Counted as written even if writing panics, so that `wait` cannot hang on it.
        struct Done<'a, 's>(&'a Writer<'s>);
        impl Drop for Done<'_, '_> {
            fn drop(&mut self) {
                self.0.done();
            }
        }
        let _done = Done(self);
        for file in files {
            if self.has_failed() {
                break;
            }
            if let Err(e) = self.staging.write(file) {
                self.fail(e);
            }
        }
    }

    fn has_failed(&self) -> bool {
        self.failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Keeps `e` unless an earlier error is kept.
    fn fail(&self, e: OutputError) {
        self.failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert(e);
    }

    fn done(&self) {
        let mut n = self.pending.0.lock().unwrap_or_else(|e| e.into_inner());
        *n -= 1;
        if *n == 0 {
            self.pending.1.notify_all();
        }
    }
}

/// Removes a folder of ours and everything in it but the entries named in `keep`, its
/// top-level entries in parallel and the marker last, so that a folder left half-removed
/// (by a killed build, or an entry that cannot be removed) is still known to be ours and
/// removed by a later build. A folder with a kept entry left stays, marker and all.
fn remove_tree(dir: &Path, keep: &[&str]) {
    remove_tree_with(dir, keep, &remove_entry);
}

/// Removes a file, link or folder (with what it holds); errors are left to the caller's
/// next look.
fn remove_entry(p: &Path) {
    if p.is_dir() && !p.is_symlink() {
        let _ = fs::remove_dir_all(p);
    } else {
        let _ = fs::remove_file(p);
    }
}

/// [`remove_tree`] with `remove` for each top-level entry.
fn remove_tree_with(dir: &Path, keep: &[&str], remove: &(dyn Fn(&Path) + Sync)) {
    use rayon::prelude::*;
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let paths: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name() != MARKER && !keep.iter().any(|k| e.file_name() == *k))
        .map(|e| e.path())
        .collect();
    paths.par_iter().for_each(|p| remove(p));
    let only_marker = fs::read_dir(dir)
        .is_ok_and(|mut rest| rest.all(|e| e.is_ok_and(|e| e.file_name() == MARKER)));
    if only_marker {
        let _ = fs::remove_file(dir.join(MARKER));
        let _ = fs::remove_dir(dir);
    }
}

/// Moves the [`KEPT`] entries of the previous site `old` into the new site `out`, unless
/// the new site has an entry of that name.
fn carry_over(old: &Path, out: &Path) {
    for name in KEPT {
        let (from, to) = (old.join(name), out.join(name));
        if fs::symlink_metadata(&from).is_ok() && fs::symlink_metadata(&to).is_err() {
            let _ = fs::rename(&from, &to);
        }
    }
}

/// Moves the new site `tmp` to `out`, and the previous site there, if any, aside: its
/// new place is returned, for [`remove_previous`]. On failure the previous site is where
/// it was.
fn swap_in(
    tmp: &Path,
    out: &Path,
    parent: &Path,
    name: &str,
) -> Result<Option<PathBuf>, OutputError> {
    if fs::symlink_metadata(out).is_err() {
        fs::rename(tmp, out).map_err(io_err(out))?;
        return Ok(None);
    }
    let old = parent.join(format!(".{name}.clausebook-old-{}", unique_tag()));
    fs::rename(out, &old).map_err(io_err(out))?;
    if let Err(e) = fs::rename(tmp, out) {
        // Put the previous site back before reporting.
        let _ = fs::rename(&old, out);
        return Err(io_err(out)(e));
    }
    // Killed from here on, the next build finds the previous site beside the new one
    // and carries its kept entries over before removing it (`remove_stale`).
    carry_over(&old, out);
    Ok(Some(old))
}

/// Removes the previous site `old`, moved aside by [`swap_in`] (which carried its kept
/// entries over into the new site).
fn remove_previous(old: &Path) {
    if old.join(MARKER).exists() {
        remove_tree(old, KEPT);
    } else {
        // A folder that was not ours, empty but for kept entries (moved over by now):
        // removed only if empty.
        let _ = fs::remove_dir(old);
    }
}

/// Puts the previous site back where a build was killed between moving it aside and
/// moving the new site in (the only moment the site folder is missing).
fn restore_interrupted(out: &Path, parent: &Path, name: &str) {
    if fs::symlink_metadata(out).is_ok() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.clausebook-old-");
    // Builds hold the site's lock, so at most one is left moved aside this way.
    let mut olds: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix.as_str()))
        .map(|e| e.path())
        .filter(|p| p.join(MARKER).is_file())
        .collect();
    olds.sort();
    if let Some(old) = olds.pop() {
        let _ = fs::rename(old, out);
    }
}

/// Removes temporary folders that earlier, interrupted builds left next to the site at
/// `out`: only folders with our name pattern and our marker (or empty ones), each with
/// the marker last; a previous site's kept entries are first carried over into `out`.
/// Called holding the site's lock, so no folder of a build in progress is among them.
fn remove_stale(out: &Path, parent: &Path, name: &str) {
    remove_stale_with(out, parent, name, &remove_entry);
}

/// [`remove_stale`] with `remove` for each top-level entry of a folder removed.
fn remove_stale_with(out: &Path, parent: &Path, name: &str, remove: &(dyn Fn(&Path) + Sync)) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let new = format!(".{name}.clausebook-new-");
    let old = format!(".{name}.clausebook-old-");
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().into_owned();
        let is_old = file_name.starts_with(old.as_str());
        if !is_old && !file_name.starts_with(new.as_str()) {
            continue;
        }
        let path = e.path();
        if path.join(MARKER).is_file() {
            if is_old && out.join(MARKER).is_file() {
                carry_over(&path, out);
            }
            remove_tree_with(&path, if is_old { KEPT } else { &[] }, remove);
        } else {
            // Killed before the marker was written: removed only while empty.
            let _ = fs::remove_dir(&path);
        }
    }
}

/// `p` made absolute, with `.` and `..` resolved as text.
fn lexical(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn same_path(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir`, sorted.
    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The files under `dir`, relative to it, sorted.
    fn tree(dir: &Path) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
            .collect();
        files.sort();
        files
    }

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_and_replaces_a_site() {
        let dir = tempfile::tempdir().unwrap();
        let (out, seeds) = (dir.path().join("site"), dir.path().join("seeds"));
        check_target(&out, &seeds).unwrap();
        write_site(&out, &[file("index.html", "one"), file("a/b.html", "b")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), "b");
        assert!(out.join(MARKER).is_file());
        check_target(&out, &seeds).unwrap();
        write_site(&out, &[file("index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("a").exists(), "files of the previous site remain");
        assert_eq!(entries(dir.path()), ["site"]);
    }

    #[test]
    fn unchanged_files_are_linked_and_the_previous_site_is_never_written_through() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[file("a.html", "same"), file("b.html", "old")]).unwrap();
        let before = fs::metadata(out.join("a.html")).unwrap().ino();
        let staging = Staging::begin(&out).unwrap();
        staging.write(&file("a.html", "same")).unwrap();
        staging.write(&file("b.html", "new")).unwrap();
        let tmp = staging.tmp.clone();
        assert_eq!(fs::metadata(tmp.join("a.html")).unwrap().ino(), before);
        assert_eq!(fs::metadata(tmp.join("a.html")).unwrap().nlink(), 2);
        // Written again (a page marked after rendering): a new file, the old one intact.
        staging.write(&file("a.html", "marked")).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "same");
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "old");
        // A build that fails leaves the previous site as it was.
        drop(staging);
        assert!(!tmp.exists());
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "same");
        assert_eq!(fs::metadata(out.join("a.html")).unwrap().nlink(), 1);
        let staging = Staging::begin(&out).unwrap();
        staging.write(&file("a.html", "same")).unwrap();
        staging.finish().unwrap();
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "same");
        assert_eq!(fs::metadata(out.join("a.html")).unwrap().nlink(), 1);
        assert!(!out.join("b.html").exists());
    }

    #[test]
    fn a_writer_in_the_background_writes_every_file_and_reports_the_first_error() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let files = |tag: &str| -> Vec<OutputFile> {
            (0..300)
                .map(|i| file(&format!("d{}/p{i}.html", i % 7), &format!("{tag} {i}")))
                .collect()
        };
        write_site(&out, &files("old")).unwrap();
        let staging = Staging::begin(&out).unwrap();
        let result = staging.with_writer(|w| {
            w.background();
            // From several threads at once, in batches larger and smaller than a thread's.
            let new = files("new");
            std::thread::scope(|s| {
                for part in new.chunks(BATCH + 13) {
                    s.spawn(|| w.put(part.to_vec()));
                }
            });
            w.wait().unwrap();
            // Every file handed over is on disk once `wait` returns: written again, the
            // second version stays.
            w.put(vec![file("d0/p0.html", "again")]);
            w.wait()
        });
        result.unwrap();
        staging.finish().unwrap();
        assert_eq!(fs::read_to_string(out.join("d0/p0.html")).unwrap(), "again");
        assert_eq!(
            fs::read_to_string(out.join("d5/p299.html")).unwrap(),
            "new 299"
        );
        let written: usize = (0..7)
            .map(|d| fs::read_dir(out.join(format!("d{d}"))).unwrap().count())
            .sum();
        assert_eq!(written, 300);

        // A file that cannot be written (a folder stands at its path): `wait` reports
        // it, and the build that fails leaves the previous site as it was.
        let staging = Staging::begin(&out).unwrap();
        let err = staging.with_writer(|w| {
            w.background();
            w.put(vec![file("d1/x.html", "a"), file("d1/x.html/y.html", "b")]);
            w.put(vec![file("d0/p0.html", "z")]);
            w.wait()
        });
        assert!(err.is_err());
        drop(staging);
        assert_eq!(fs::read_to_string(out.join("d0/p0.html")).unwrap(), "again");
    }

    #[test]
    fn refuses_foreign_folders_files_and_seeds() {
        let dir = tempfile::tempdir().unwrap();
        let seeds = dir.path().join("seeds");
        fs::create_dir(&seeds).unwrap();
        let foreign = dir.path().join("docs");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("thesis.tex"), "keep me").unwrap();
        let err = check_target(&foreign, &seeds).unwrap_err().to_string();
        assert!(err.contains("not written by clausebook"), "{err}");
        let a_file = dir.path().join("notes.txt");
        fs::write(&a_file, "x").unwrap();
        assert!(check_target(&a_file, &seeds).is_err());
        assert!(check_target(&seeds, &seeds).is_err());
        assert!(check_target(dir.path(), &seeds).is_err());
        assert!(check_target(Path::new("/"), &seeds).is_err());
        let empty = dir.path().join("empty");
        fs::create_dir(&empty).unwrap();
        check_target(&empty, &seeds).unwrap();
        assert_eq!(
            fs::read_to_string(foreign.join("thesis.tex")).unwrap(),
            "keep me"
        );
    }

    #[test]
    fn refuses_paths_leaving_the_site_and_keeps_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[file("index.html", "old")]).unwrap();
        let err = write_site(&out, &[file("../evil.html", "x")]).unwrap_err();
        assert!(err.to_string().contains("leaves the site"), "{err}");
        assert!(!dir.path().join("evil.html").exists());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    }

    #[test]
    fn restores_a_site_moved_aside_by_a_killed_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[file("index.html", "old")]).unwrap();
        // Killed right after moving the old site aside, before moving the new one in.
        fs::rename(&out, dir.path().join(".site.clausebook-old-4242")).unwrap();
        let half = dir.path().join(".site.clausebook-new-4242");
        fs::create_dir(&half).unwrap();
        fs::write(half.join(MARKER), "").unwrap();
        check_target(&out, &dir.path().join("seeds")).unwrap();
        let err = write_site(&out, &[file("../x", "bad")]).unwrap_err();
        assert!(err.to_string().contains("leaves the site"), "{err}");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert!(!half.exists(), "the half-written folder stayed");
    }

    #[test]
    fn clears_folders_of_killed_builds() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let stale = dir.path().join(".site.clausebook-new-99999");
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join(MARKER), "").unwrap();
        let not_ours = dir.path().join(".site.clausebook-new-1");
        fs::create_dir(&not_ours).unwrap();
        fs::write(not_ours.join("notes.txt"), "keep").unwrap();
        let empty = dir.path().join(".site.clausebook-new-2");
        fs::create_dir(&empty).unwrap();
        write_site(&out, &[file("index.html", "x")]).unwrap();
        assert!(!stale.exists());
        assert!(not_ours.exists(), "deleted a folder without our marker");
        assert!(
            !empty.exists(),
            "an empty folder of a build killed early stayed"
        );
    }

    #[test]
    fn overlapping_builds_each_leave_a_complete_site_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let site = |tag: usize| -> Vec<OutputFile> {
            (0..60)
                .map(|i| file(&format!("d{}/p{i}.html", i % 5), &format!("{tag} {i}")))
                .collect()
        };
        let reference = dir.path().join("reference");
        write_site(&reference, &site(0)).unwrap();
        let expected = tree(&reference);
        let results: Vec<Result<(), String>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..20)
                .map(|tag| {
                    let (out, files) = (&out, site(tag));
                    s.spawn(move || {
                        let staging = Staging::begin(out).map_err(|e| e.to_string())?;
                        for (i, f) in files.iter().enumerate() {
                            staging.write(f).map_err(|e| e.to_string())?;
                            if i % 20 == 0 {
                                std::thread::sleep(std::time::Duration::from_millis(1));
                            }
                        }
                        staging.finish().map_err(|e| e.to_string())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for r in &results {
            assert!(r.is_ok(), "a build failed: {r:?}");
        }
        assert_eq!(tree(&out), expected);
        // One build's files, not a mix of several.
        let tag = fs::read_to_string(out.join("d0/p0.html")).unwrap();
        let tag = tag.split(' ').next().unwrap();
        for i in 0..60 {
            let text = fs::read_to_string(out.join(format!("d{}/p{i}.html", i % 5))).unwrap();
            assert_eq!(text, format!("{tag} {i}"));
        }
        assert_eq!(entries(dir.path()), ["reference", "site"]);
    }

    #[test]
    fn a_second_build_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = Staging::begin(&out).unwrap();
        first.write(&file("index.html", "first")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                let second = Staging::begin(&out).unwrap();
                tx.send(()).unwrap();
                second.write(&file("index.html", "second")).unwrap();
                second.finish().unwrap();
            });
            // The second build cannot start, let alone clear the first's folder.
            assert!(
                rx.recv_timeout(std::time::Duration::from_millis(300))
                    .is_err()
            );
            assert!(first.tmp.join(MARKER).is_file());
            first.finish().unwrap();
            rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        });
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "second"
        );
    }

    #[test]
    fn a_leftover_half_removed_keeps_its_marker_and_goes_next_time() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[file("index.html", "x")]).unwrap();
        let stale = dir.path().join(".site.clausebook-new-4242-0");
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join(MARKER), "").unwrap();
        for d in ["a", "b", "c", "d", "e", "f"] {
            fs::create_dir_all(stale.join(d).join("x")).unwrap();
            fs::write(stale.join(d).join("x/page.html"), d).unwrap();
        }
        // The build removing it is killed after removing some of it.
        let removed = std::sync::atomic::AtomicUsize::new(0);
        let killed = std::panic::catch_unwind(|| {
            remove_stale_with(&out, dir.path(), "site", &|p: &Path| {
                assert!(p.file_name().unwrap() != MARKER, "the marker went first");
                if removed.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 2 {
                    panic!("killed");
                }
                remove_entry(p);
            })
        });
        assert!(killed.is_err());
        assert!(
            stale.join(MARKER).is_file(),
            "the marker went before the rest"
        );
        // The next build removes what is left.
        write_site(&out, &[file("index.html", "y")]).unwrap();
        assert!(!stale.exists(), "the half-removed folder stayed");
        assert_eq!(entries(dir.path()), ["site"]);
    }

    #[test]
    fn the_target_is_checked_where_the_file_system_puts_it() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let seeds = dir.path().join("seeds");
        fs::create_dir(&seeds).unwrap();
        fs::write(seeds.join("manifest.yaml"), "keep").unwrap();
        // Through a link to the seeds folder.
        symlink(&seeds, dir.path().join("to-seeds")).unwrap();
        let err = check_target(&dir.path().join("to-seeds/site"), &seeds).unwrap_err();
        assert!(err.to_string().contains("seeds folder"), "{err}");
        assert!(err.to_string().contains("resolves to"), "{err}");
        // The seeds folder reached through a link.
        let err = check_target(&seeds.join("site"), &dir.path().join("to-seeds")).unwrap_err();
        assert!(err.to_string().contains("seeds folder"), "{err}");

        // `..` after a link: `victim/l/..` is where the link points, one up, not `victim`.
        let victim = dir.path().join("victim");
        fs::create_dir(&victim).unwrap();
        fs::write(victim.join("thesis.tex"), "keep me").unwrap();
        let other = dir.path().join("other");
        fs::create_dir_all(other.join("deep")).unwrap();
        symlink(other.join("deep"), victim.join("l")).unwrap();
        let out = victim.join("l/..");
        assert_eq!(resolve(&out), fs::canonicalize(&other).unwrap());
        // `other` holds a folder not written by clausebook: refused.
        let err = check_target(&out, &seeds).unwrap_err();
        assert!(
            err.to_string().contains("not written by clausebook"),
            "{err}"
        );
        // A site of ours reached that way may be written, and it is the one written.
        let ours = dir.path().join("ours");
        write_site(&ours, &[file("deep/index.html", "old")]).unwrap();
        symlink(ours.join("deep"), victim.join("m")).unwrap();
        let out = victim.join("m/..");
        check_target(&out, &seeds).unwrap();
        write_site(&out, &[file("index.html", "new")]).unwrap();
        assert_eq!(fs::read_to_string(ours.join("index.html")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(victim.join("thesis.tex")).unwrap(),
            "keep me"
        );
        assert!(!victim.join(MARKER).exists());

        // A folder that does not exist yet, below a link: resolved through the link.
        let linked = dir.path().join("linked");
        symlink(&other, &linked).unwrap();
        assert_eq!(
            resolve(&linked.join("new/../site")),
            fs::canonicalize(&other).unwrap().join("site")
        );
        // The last component, a link, is not followed, and refused.
        let err = check_target(&linked, &seeds).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
    }

    #[test]
    fn a_git_folder_and_a_cname_stay_with_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let seeds = dir.path().join("seeds");
        let out = dir.path().join("site");
        // A gh-pages worktree: a folder holding only `.git`.
        fs::create_dir(&out).unwrap();
        fs::write(out.join(".git"), "gitdir: /somewhere/.git/worktrees/site\n").unwrap();
        check_target(&out, &seeds).unwrap();
        write_site(&out, &[file("index.html", "one")]).unwrap();
        assert_eq!(
            fs::read_to_string(out.join(".git")).unwrap(),
            "gitdir: /somewhere/.git/worktrees/site\n"
        );
        // A clone of its own, and a custom domain, added by hand.
        fs::remove_file(out.join(".git")).unwrap();
        fs::create_dir_all(out.join(".git/refs")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
        fs::write(out.join("CNAME"), "laws.example.org\n").unwrap();
        check_target(&out, &seeds).unwrap();
        write_site(&out, &[file("index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert_eq!(
            fs::read_to_string(out.join(".git/HEAD")).unwrap(),
            "ref: refs/heads/gh-pages\n"
        );
        assert_eq!(
            fs::read_to_string(out.join("CNAME")).unwrap(),
            "laws.example.org\n"
        );
        // A CNAME the build makes replaces the one of the previous site.
        write_site(&out, &[file("CNAME", "new.example.org\n")]).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("CNAME")).unwrap(),
            "new.example.org\n"
        );
        assert!(out.join(".git/HEAD").is_file());

        // Killed right after the swap: the previous site, `.git` and all, beside the new
        // one; the next build moves `.git` over before removing the rest.
        let old = dir.path().join(".site.clausebook-old-4242-0");
        fs::rename(out.join(".git"), dir.path().join("git")).unwrap();
        fs::create_dir(&old).unwrap();
        fs::write(old.join(MARKER), "").unwrap();
        fs::rename(dir.path().join("git"), old.join(".git")).unwrap();
        fs::write(old.join("index.html"), "old").unwrap();
        write_site(&out, &[file("index.html", "three")]).unwrap();
        assert!(!old.exists(), "the previous site stayed");
        assert!(out.join(".git/HEAD").is_file(), "the .git folder was lost");

        // A foreign folder with a `.git` and more: refused, with a way out.
        let pages = dir.path().join("pages");
        fs::create_dir_all(pages.join(".git")).unwrap();
        fs::write(pages.join("index.html"), "theirs").unwrap();
        let err = check_target(&pages, &seeds).unwrap_err().to_string();
        assert!(err.contains("remove its files but .git"), "{err}");
    }

    #[test]
    fn a_pending_file_is_written_only_with_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let seeds = dir.path().join("seeds");
        fs::create_dir(&seeds).unwrap();
        let lock = seeds.join("anchors.lock");
        fs::write(&lock, "old\n").unwrap();
        write_site(&out, &[file("index.html", "one")]).unwrap();
        // Unchanged: nothing to write.
        assert!(PendingFile::prepare(&lock, b"old\n").unwrap().is_none());
        // Written with the site.
        let staging = Staging::begin(&out).unwrap();
        staging.write(&file("index.html", "two")).unwrap();
        let pending = PendingFile::prepare(&lock, b"new\n").unwrap();
        assert_eq!(fs::read_to_string(&lock).unwrap(), "old\n");
        assert!(staging.finish_with(pending).unwrap());
        assert_eq!(fs::read_to_string(&lock).unwrap(), "new\n");
        assert_eq!(entries(&seeds), ["anchors.lock"]);
        // A build that fails after preparing it: neither is written, nothing is left.
        let staging = Staging::begin(&out).unwrap();
        staging.write(&file("index.html", "three")).unwrap();
        let pending = PendingFile::prepare(&lock, b"newer\n").unwrap();
        assert_eq!(entries(&seeds).len(), 2);
        drop(pending);
        drop(staging);
        assert_eq!(entries(&seeds), ["anchors.lock"]);
        assert_eq!(fs::read_to_string(&lock).unwrap(), "new\n");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
    }
}
