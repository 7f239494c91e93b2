//! End-to-end tests of how `clausebook build` treats the output folder when builds
//! overlap, when `--out` leads through links, and when the seeds folder cannot be
//! written: every build either leaves a complete site or the previous one, and nothing
//! else.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_clausebook");

/// A copy of the repository's seeds in `dir`.
fn copy_seeds(dir: &Path) -> PathBuf {
    let to = dir.join("seeds");
    copy_dir(&crate::common::repo_seeds(), &to);
    to
}

fn build(seeds: &Path, out: &Path) -> Output {
    Command::new(BIN)
        .args(["build", "-q", "--seeds"])
        .arg(seeds)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run clausebook")
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn twenty_overlapping_builds_leave_one_complete_site() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = copy_seeds(dir.path());
    let reference = dir.path().join("reference");
    let out = build(&seeds, &reference);
    assert!(out.status.success(), "{out:?}");
    let expected = tree(&reference);
    assert!(expected.len() > 100, "{} files", expected.len());

    let site = dir.path().join("site");
    let children: Vec<_> = (0..20)
        .map(|_| {
            Command::new(BIN)
                .args(["build", "-q", "--seeds"])
                .arg(&seeds)
                .arg("--out")
                .arg(&site)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a build failed: {stderr}");
        // A build that had to wait says so, and says nothing else.
        for line in stderr.lines() {
            assert!(line.starts_with("waiting for another build of"), "{line}");
        }
    }
    assert!(
        tree(&site) == expected,
        "the site differs from a single build's"
    );
    assert_eq!(
        names(dir.path()),
        ["reference", "seeds", "site"],
        "temporary folders left behind"
    );
}

#[test]
fn an_out_through_a_link_to_the_seeds_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = copy_seeds(dir.path());
    let before = tree(&seeds);
    std::os::unix::fs::symlink(&seeds, dir.path().join("link")).unwrap();
    let out = build(&seeds, &dir.path().join("link/site"));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("seeds folder"), "{stderr}");
    assert!(tree(&seeds) == before, "the seeds folder was written");
    assert!(!seeds.join("site").exists());
}

#[test]
fn an_anchor_registry_that_cannot_be_written_keeps_the_previous_site() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let seeds = copy_seeds(dir.path());
    let site = dir.path().join("site");
    let out = build(&seeds, &site);
    assert!(out.status.success(), "{out:?}");
    let previous = tree(&site);
    // A changed page, and a registry of an older build: the next build makes another
    // site and adds to the registry.
    let about = seeds.join("pages/about.md");
    let text = fs::read_to_string(&about).unwrap();
    fs::write(&about, format!("{text}\n\nOne more paragraph.\n")).unwrap();
    let lock = fs::read(seeds.join("anchors.lock")).unwrap();
    fs::write(
        seeds.join("anchors.lock"),
        String::from_utf8(lock.clone())
            .unwrap()
            .lines()
            .take(40)
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    )
    .unwrap();
    let registry = fs::read(seeds.join("anchors.lock")).unwrap();
    fs::set_permissions(&seeds, fs::Permissions::from_mode(0o555)).unwrap();
    let writable = fs::write(seeds.join(".probe"), "").is_ok();
    if writable {
        // Permissions do not bind this user (root): nothing to test.
        fs::remove_file(seeds.join(".probe")).unwrap();
        fs::set_permissions(&seeds, fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: a read-only folder is writable for this user");
        return;
    }
    let out = build(&seeds, &site);
    fs::set_permissions(&seeds, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(!out.status.success(), "the build succeeded");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("anchors.lock"), "{stderr}");
    assert!(tree(&site) == previous, "the site was replaced");
    assert_eq!(fs::read(seeds.join("anchors.lock")).unwrap(), registry);
    assert!(
        names(&seeds).iter().all(|n| !n.ends_with(".tmp")),
        "{:?}",
        names(&seeds)
    );
}

/// Sends `GET path` to the server at `addr` (`127.0.0.1:PORT`); the response body.
fn get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    String::from_utf8_lossy(&raw).into_owned()
}

#[test]
fn serve_watches_a_seeds_folder_swapped_for_another() {
    use std::io::BufRead;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let seeds = copy_seeds(dir.path());
    let mut child = Command::new(BIN)
        .args(["serve", "--port", "0", "--seeds"])
        .arg(&seeds)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Stopped whatever happens below.
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let _child = Kill(child);
    let mut first = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut first)
        .unwrap();
    let addr = first
        .trim()
        .strip_prefix("serving http://")
        .unwrap_or_else(|| panic!("{first:?}"))
        .trim_end_matches('/')
        .to_string();
    // Drained, so that the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for _ in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {}
    });
    // Waits until the page shows `word`, after `what`.
    let shows = |word: &str, what: &str| {
        let until = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let page = get(&addr, "/about.html");
            if page.contains(word) {
                return page;
            }
            assert!(
                std::time::Instant::now() < until,
                "the site was not rebuilt after {what}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    assert!(!get(&addr, "/about.html").contains("Zebraword"));

    // A new copy moved into the place of the seeds folder, as tools that write a copy
    // and swap it do.
    let next = dir.path().join("seeds.next");
    copy_dir(&seeds, &next);
    let about = "pages/about.md";
    let text = fs::read_to_string(next.join(about)).unwrap();
    fs::write(next.join(about), format!("{text}\n\nZebraword.\n")).unwrap();
    fs::rename(&seeds, dir.path().join("seeds.old")).unwrap();
    fs::rename(&next, &seeds).unwrap();
    shows("Zebraword", "the swap");

    // A change inside the new folder is seen.
    fs::write(seeds.join(about), format!("{text}\n\nQuaggaword.\n")).unwrap();
    let page = shows("Quaggaword", "a change in the new folder");
    assert!(!page.contains("Zebraword"));

    // Removed and made again.
    fs::rename(&seeds, dir.path().join("seeds.gone")).unwrap();
    std::thread::sleep(Duration::from_secs(1));
    copy_dir(&dir.path().join("seeds.gone"), &seeds);
    fs::write(seeds.join(about), format!("{text}\n\nOkapiword.\n")).unwrap();
    let page = shows("Okapiword", "the folder came back");
    assert!(!page.contains("Quaggaword"));
    fs::write(seeds.join(about), format!("{text}\n\nTapirword.\n")).unwrap();
    shows("Tapirword", "a change in the folder made again");
}

/// A tmpfs of `size` mounted at `at` while this lives (root only).
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts it; `Err` says why it cannot (not root, no permission).
    fn mount(at: &Path, size: &str) -> Result<Tmpfs, String> {
        let o = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if o.status.success() {
            Ok(Tmpfs(at.to_path_buf()))
        } else {
            Err(String::from_utf8_lossy(&o.stderr).trim().to_string())
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn an_anchor_registry_on_a_full_disk_keeps_the_previous_site_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("mnt");
    fs::create_dir(&mnt).unwrap();
    let _tmpfs = match Tmpfs::mount(&mnt, "4m") {
        Ok(m) => m,
        Err(why) => {
            eprintln!("skipped: cannot mount a small tmpfs to fill ({why})");
            return;
        }
    };
    let seeds = copy_seeds(&mnt);
    let site = dir.path().join("site");
    let out = build(&seeds, &site);
    assert!(out.status.success(), "{out:?}");
    let previous = tree(&site);
    // A changed page and no registry: the next build makes another site and writes one,
    // on a disk with no room left.
    let about = seeds.join("pages/about.md");
    let text = fs::read_to_string(&about).unwrap();
    fs::write(&about, format!("{text}\n\nOne more paragraph.\n")).unwrap();
    fs::remove_file(seeds.join("anchors.lock")).unwrap();
    let mut filler = fs::File::create(mnt.join("filler")).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while std::io::Write::write_all(&mut filler, &chunk).is_ok() {}
    while std::io::Write::write_all(&mut filler, &chunk[..512]).is_ok() {}
    drop(filler);
    let out = build(&seeds, &site);
    assert!(!out.status.success(), "the build succeeded");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(tree(&site) == previous, "the site was replaced");
    let left: Vec<String> = names(&seeds)
        .into_iter()
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(!seeds.join("anchors.lock").exists());
}
