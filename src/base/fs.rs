//! Reading the user's folders without leaving them: every file clausebook reads from the
//! seeds folder (seeds, the manifest, the anchor registry, `templates/`, `static/`,
//! `pages/`) is read through [`read_regular_file`] or listed by [`regular_files`].
//!
//! - No symbolic link is followed: a link may point anywhere (`/proc/self/environ`,
//!   `/etc`), and what is read is published. A link is refused where a file is named
//!   (the manifest, a seed it lists) and skipped, with a warning, where a folder is
//!   listed (see `corpus`, which warns).
//! - Only regular files are opened: a FIFO would block the build for ever, a device such
//!   as `/dev/zero` never ends, a socket cannot be read. The file type is checked with
//!   `symlink_metadata` before the file is opened.
//! - A file is read up to a limit ([`read_regular_file`]'s `cap`), past which it is
//!   refused: `take(cap + 1)`, so a file that grows while it is read is stopped too.
//! - Hidden files and folders (a name starting with `.`: `.git`, `.DS_Store`, the
//!   `._name` files macOS leaves on other file systems) are not listed.

use std::fmt;
use std::fs::{File, FileType};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The largest manifest read: 16 MiB. The manifest of a thousand documents is about
/// 200 kB; a larger one is surely not a manifest (or a link to a device, already refused).
pub(crate) const MANIFEST_CAP: u64 = 16 << 20;

/// The largest anchor registry read: 256 MiB. The registry holds one line of about 50
/// bytes per anchor, and a library has about one anchor per 50 bytes of seed text (the
/// five seeds: 150 kB of text, a 150 kB registry), so 256 MiB is the registry of some
/// 250 MB of seeds, far past what one build holds in memory.
pub(crate) const LOCK_CAP: u64 = 256 << 20;

/// The largest template or Markdown page read: 16 MiB (the built-in templates are a few
/// kB each).
pub(crate) const TEXT_CAP: u64 = 16 << 20;

/// The largest file of `static/` read: 256 MiB (the site's files are held in memory
/// until they are written).
pub(crate) const ASSET_CAP: u64 = 256 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Opening or reading failed.
    Io(std::io::Error),
    /// The file, or a folder on its way from the root, is a symbolic link.
    Link {
        /// The folder on the way that is the link; `None` where the file itself is.
        via: Option<PathBuf>,
        /// Where the link points, if that could be read.
        target: Option<PathBuf>,
    },
    /// The file is not a regular file: a folder, a FIFO, a device, a socket.
    NotRegular {
        /// What it is, for a message: [`describe`]'s words.
        what: &'static str,
    },
    /// The file is larger than the limit.
    TooLarge {
        /// The limit, in bytes.
        cap: u64,
    },
}

impl ReadError {
    /// What to do about it, in a few words, for a hint.
    pub(crate) fn hint(&self) -> &'static str {
        match self {
            ReadError::Io(_) => "check that it exists and that you may read it",
            ReadError::Link { .. } => {
                "copy the file into the seeds folder instead of linking it: clausebook \
                 follows no link, so that it reads nothing outside the seeds folder"
            }
            ReadError::NotRegular { .. } => {
                "replace it with a regular file, or move it out of the seeds folder"
            }
            ReadError::TooLarge { .. } => {
                "check that it is the file you meant; docs/guide.md, \"Limits\", lists the \
                 size limits"
            }
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read it: {e}"),
            ReadError::Link { via, target } => {
                match via {
                    Some(d) => write!(f, "is reached through {}, a symbolic link", d.display())?,
                    None => f.write_str("is a symbolic link")?,
                }
                if let Some(t) = target {
                    write!(f, " (to {})", t.display())?;
                }
                f.write_str("; links are not followed")
            }
            ReadError::NotRegular { what } => write!(f, "is {what}, not a regular file"),
            ReadError::TooLarge { cap } => {
                write!(
                    f,
                    "is larger than the limit of {} for this file",
                    size(*cap)
                )
            }
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// A size in MiB (or bytes, below one), for messages.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// What a file type is, in words for a message: "a regular file", "a folder", "a
/// symbolic link", "a FIFO (named pipe)", "a socket", "a device".
pub(crate) fn describe(t: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a folder"
    } else if t.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// Whether a name is hidden: it starts with `.` (which covers macOS's `._name` files).
pub(crate) fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Checks that no component of `path` below `root` is a symbolic link, and that `path`
/// itself is a regular file; `path` is `root` joined with a relative path. `root` itself
/// may be a link: it is the folder the user named.
fn check_path(path: &Path, root: &Path) -> Result<(), ReadError> {
    let rel = path.strip_prefix(root).unwrap_or(Path::new(""));
    let mut at = root.to_path_buf();
    let mut comps = rel.components().peekable();
    if comps.peek().is_none() {
        // No relative part: check the file itself only.
        at = path.to_path_buf();
    }
    for c in comps {
        match c {
            Component::Normal(n) => at.push(n),
            // `..` or an absolute part would leave the root.
            _ => {
                return Err(ReadError::Io(std::io::Error::other(
                    "the path leaves the seeds folder",
                )));
            }
        }
        let meta = std::fs::symlink_metadata(&at)?;
        if meta.file_type().is_symlink() {
            return Err(ReadError::Link {
                target: std::fs::read_link(&at).ok(),
                via: (at != path).then_some(at),
            });
        }
    }
    let meta = std::fs::symlink_metadata(&at)?;
    let t = meta.file_type();
    if t.is_symlink() {
        return Err(ReadError::Link {
            target: std::fs::read_link(&at).ok(),
            via: None,
        });
    }
    if !t.is_file() {
        return Err(ReadError::NotRegular { what: describe(t) });
    }
    Ok(())
}

/// Reads the file at `path`, which is inside `root` (`root` joined with a relative
/// path): only a regular file reached without following a link, and at most `cap`
/// bytes. The type is checked before the file is opened, so a FIFO or device is never
/// opened; a file larger than `cap` is refused after `cap + 1` bytes.
pub(crate) fn read_regular_file(path: &Path, root: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    check_path(path, root)?;
    let file = File::open(path)?;
    // The file opened is the one checked, unless it was replaced in between.
    let t = file.metadata()?.file_type();
    if !t.is_file() {
        return Err(ReadError::NotRegular { what: describe(t) });
    }
    let mut bytes = Vec::new();
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge { cap });
    }
    Ok(bytes)
}

/// [`read_regular_file`], as UTF-8 text (an error of kind `InvalidData` where it is not,
/// as `std::fs::read_to_string` gives).
pub(crate) fn read_text_file(path: &Path, root: &Path, cap: u64) -> Result<String, ReadError> {
    String::from_utf8(read_regular_file(path, root, cap)?).map_err(|_| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

/// Whether `path` is a regular file, not a link to one.
pub(crate) fn is_regular_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// Whether `path` is a folder, not a link to one.
pub(crate) fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// The regular files under the folder `dir`, as (relative `/`-separated name, path),
/// sorted by name. No link is followed (nor is `dir` read if it is a link itself);
/// FIFOs, devices and sockets are left out, and so are hidden files and folders. A
/// missing folder has no files. Names that are not UTF-8 are shown lossily in the
/// relative name; the path is the real one.
pub(crate) fn regular_files(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Ok(files),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(files),
        Err(e) => return Err(e),
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = entry.map_err(std::io::Error::from)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let name: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        files.push((name.join("/"), entry.path().to_path_buf()));
    }
    Ok(files)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_fifos_and_large_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.txt"), "abc").unwrap();
        assert_eq!(
            read_regular_file(&root.join("a.txt"), root, 3).unwrap(),
            b"abc"
        );
        let e = read_regular_file(&root.join("a.txt"), root, 2).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { cap: 2 }), "{e}");

        symlink("/etc/passwd", root.join("p.txt")).unwrap();
        let e = read_regular_file(&root.join("p.txt"), root, 1 << 20).unwrap_err();
        assert_eq!(
            e.to_string(),
            "is a symbolic link (to /etc/passwd); links are not followed"
        );

        // A link to a folder on the way is a link too.
        symlink("/etc", root.join("etc")).unwrap();
        let e = read_regular_file(&root.join("etc/passwd"), root, 1 << 20).unwrap_err();
        assert!(matches!(e, ReadError::Link { via: Some(_), .. }), "{e}");
        assert!(e.to_string().contains("/etc"), "{e}");

        let fifo = root.join("f.txt");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            // Opening it would block: the type is checked first.
            let e = read_regular_file(&fifo, root, 1 << 20).unwrap_err();
            assert!(e.to_string().contains("FIFO"), "{e}");
        }
        let e = read_regular_file(Path::new("/dev/zero"), Path::new("/dev"), 10).unwrap_err();
        assert!(e.to_string().contains("a device"), "{e}");
    }

    #[test]
    fn listing_skips_links_hidden_files_and_linked_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sub/.git")).unwrap();
        std::fs::write(root.join("sub/b.css"), "b").unwrap();
        std::fs::write(root.join("sub/.git/config"), "").unwrap();
        std::fs::write(root.join("a.css"), "a").unwrap();
        std::fs::write(root.join("._a.css"), "").unwrap();
        symlink("/etc", root.join("etc")).unwrap();
        symlink("/etc/passwd", root.join("passwd")).unwrap();
        let names: Vec<String> = regular_files(root)
            .unwrap()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["a.css", "sub/b.css"]);
        // A folder that is itself a link is not listed.
        let linked = root.join("linked");
        symlink(root.join("sub"), &linked).unwrap();
        assert!(regular_files(&linked).unwrap().is_empty());
        assert!(regular_files(&root.join("missing")).unwrap().is_empty());
    }
}
