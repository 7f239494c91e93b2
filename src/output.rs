//! Writing the site: into a temporary folder next to the target, then swapped in, so a
//! failed or killed build leaves the previous site as it was.
//!
//! A folder clausebook writes carries a marker file, [`MARKER`]. clausebook replaces only
//! a folder with that marker (or an empty one) and deletes only folders it made.

use crate::base::{OutputFile, Problem};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// The marker file at the root of every site clausebook writes.
pub const MARKER: &str = ".clausebook-site";

const MARKER_TEXT: &str =
    "This folder was written by clausebook; `clausebook build` replaces it as a whole.\n";

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
/// seeds folder or a folder holding it, not a file, and, if it exists and is not empty,
/// written by clausebook before.
pub fn check_target(out: &Path, seeds: &Path) -> Result<(), OutputError> {
    let refuse = |reason: &str| OutputError::refused(out, reason);
    let abs = absolute(out);
    if abs.parent().is_none() {
        return Err(refuse("it is the root of the file system"));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && !home.as_os_str().is_empty()
        && same_path(&abs, &absolute(&home))
    {
        return Err(refuse("it is your home folder"));
    }
    let seeds_abs = absolute(seeds);
    if seeds_abs.starts_with(&abs) || abs.starts_with(&seeds_abs) {
        return Err(refuse("it is, holds or lies inside the seeds folder"));
    }
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(out)(e)),
        Ok(m) if m.file_type().is_symlink() => Err(refuse("it is a symbolic link")),
        Ok(m) if !m.is_dir() => Err(refuse("it is a file, not a folder")),
        Ok(_) => {
            if out.join(MARKER).is_file() {
                return Ok(());
            }
            let mut entries = fs::read_dir(out).map_err(io_err(out))?;
            if entries.next().is_none() {
                Ok(())
            } else {
                Err(refuse(&format!(
                    "it is not empty and was not written by clausebook (no {MARKER} file)"
                )))
            }
        }
    }
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
}

impl Staging {
    /// Makes the temporary folder for a site at `out` (its marker first, so a folder left
    /// by a killed build is known to be ours), after putting back a site that a killed
    /// build moved aside and clearing what such builds left. Call [`check_target`] first.
    pub fn begin(out: &Path) -> Result<Staging, OutputError> {
        let out = absolute(out);
        let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        restore_interrupted(&out, &parent, &name);
        remove_stale(&parent, &name);
        let tmp = parent.join(format!(".{name}.clausebook-new-{}", std::process::id()));
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
    pub fn finish(mut self) -> Result<(), OutputError> {
        self.finished = true;
        let result = swap_in(&self.tmp, &self.out, &self.parent, &self.name);
        if result.is_err() {
            self.discard();
        }
        result
    }

    fn discard(&self) {
        if self.tmp.join(MARKER).exists() {
            remove_tree(&self.tmp);
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

/// Removes a folder of ours and everything in it, its top-level entries in parallel and
/// the marker last, so that a folder left half-removed is still known to be ours.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if let Ok(entries) = fs::read_dir(dir) {
        let paths: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_name() != MARKER)
            .map(|e| e.path())
            .collect();
        paths.par_iter().for_each(|p| {
            if p.is_dir() && !p.is_symlink() {
                let _ = fs::remove_dir_all(p);
            } else {
                let _ = fs::remove_file(p);
            }
        });
    }
    let _ = fs::remove_dir_all(dir);
}

fn swap_in(tmp: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), OutputError> {
    if out.exists() {
        let old = parent.join(format!(".{name}.clausebook-old-{}", std::process::id()));
        fs::rename(out, &old).map_err(io_err(out))?;
        if let Err(e) = fs::rename(tmp, out) {
            // Put the previous site back before reporting.
            let _ = fs::rename(&old, out);
            return Err(io_err(out)(e));
        }
        if old.join(MARKER).exists() {
            remove_tree(&old);
        } else {
            // An empty folder that was not ours: remove it only if still empty.
            let _ = fs::remove_dir(&old);
        }
    } else {
        fs::rename(tmp, out).map_err(io_err(out))?;
    }
    Ok(())
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

/// Removes temporary folders that earlier, interrupted builds left next to the site;
/// only folders with our name pattern and our marker.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.clausebook-new-"),
        format!(".{name}.clausebook-old-"),
    ];
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            if e.path().join(MARKER).is_file() {
                let _ = fs::remove_dir_all(e.path());
            } else {
                // Killed before the marker was written: removed only while empty.
                let _ = fs::remove_dir(e.path());
            }
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // Resolve `..` lexically so `a/b/..` compares equal to `a`.
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
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(leftovers.len(), 1, "temporary folders left behind");
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
}
