//! What the build reads from the seeds folder, end to end with the `clausebook` binary:
//! nothing outside it (no link followed, no FIFO or device opened, the manifest and the
//! anchor registry read up to a limit), file names that are not UTF-8, legacy encodings
//! named or stated, hidden files, reserved names, manifest values that would make a wrong
//! site, a file size limit of the process, and a `--seeds` folder that is not one. Each
//! test is a row of docs/hostile-input.md.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn clausebook() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clausebook"))
}

/// `clausebook build --seeds SEEDS --out OUT`, given at most 60 s (a build that waits on a
/// FIFO is killed and fails the test): success and stderr.
fn build(seeds: &Path, out: &Path) -> (bool, String) {
    build_with(clausebook(), seeds, out)
}

fn build_with(mut cmd: Command, seeds: &Path, out: &Path) -> (bool, String) {
    let mut child = cmd
        .arg("build")
        .arg("--seeds")
        .arg(seeds)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the build of {} hangs", seeds.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status.success(), reader.join().unwrap())
}

fn build_ok(seeds: &Path, out: &Path) -> String {
    let (ok, err) = build(seeds, out);
    assert!(ok, "the build failed: {err}");
    err
}

/// A build that fails: its stderr, after checking that nothing was written.
fn build_err(seeds: &Path, out: &Path) -> String {
    let (ok, err) = build(seeds, out);
    assert!(!ok, "the build succeeded; stderr: {err}");
    assert!(!out.exists(), "the failed build wrote {}", out.display());
    err
}

/// The Chinese seed of the small seeds folder.
const ZH: &str = "关于推进西部大开发的指导意见\n\n一、总体要求\n\n（一）指导思想。坚持新发展理念。\n\n（二）基本原则。坚持统筹协调。\n";

/// A seeds folder at `dir/seeds` with one document (`a.txt`, zh-Hans) and a manifest
/// whose document entry ends with `extra` (indented YAML lines) and whose site entry is
/// `site`.
fn small_seeds(dir: &Path, site: &str, extra: &str) -> PathBuf {
    let seeds = dir.join("seeds");
    fs::create_dir_all(&seeds).unwrap();
    fs::write(seeds.join("a.txt"), ZH).unwrap();
    fs::write(
        seeds.join("manifest.yaml"),
        format!(
            "site: {{title: Test{site}}}\ndocuments:\n  - slug: a\n    kind: guideline\n    \
             versions:\n      - {{file: a.txt, lang: zh-Hans}}\n{extra}"
        ),
    )
    .unwrap();
    seeds
}

/// Whether `mkfifo` made a FIFO at `path`.
fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// Every file of the site `out`, as bytes.
fn site_bytes(out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

#[cfg(unix)]
#[test]
fn links_fifos_and_folders_linked_out_are_skipped_with_warnings_and_never_read() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let seeds = small_seeds(dir.path(), "", "");
    // The build's environment, /etc and a file outside the seeds folder, linked in.
    symlink("/proc/self/environ", seeds.join("env.txt")).unwrap();
    fs::create_dir(seeds.join("pages")).unwrap();
    fs::write(seeds.join("pages/about.md"), "# About\n\nA page.\n").unwrap();
    symlink("/etc/passwd", seeds.join("pages/secret.md")).unwrap();
    symlink("/etc", seeds.join("static")).unwrap();
    let outside = dir.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("page.html"), "{{ 'OUTSIDE-TEMPLATE' }}").unwrap();
    symlink(&outside, seeds.join("templates")).unwrap();
    let fifo = mkfifo(&seeds.join("pipe.txt"));
    let out = dir.path().join("site");
    let secret = "clausebook-secret-8d1f";
    let mut cmd = clausebook();
    cmd.env("CLAUSEBOOK_TEST_SECRET", secret);
    let (ok, err) = build_with(cmd, &seeds, &out);
    assert!(ok, "{err}");
    for (file, what) in [
        ("env.txt", "is a symbolic link (to /proc/self/environ)"),
        ("pages/secret.md", "is a symbolic link (to /etc/passwd)"),
        ("static", "so the folder is skipped"),
        ("templates", "so the folder is skipped"),
    ] {
        assert!(err.contains(what), "no warning `{what}`: {err}");
        assert!(
            err.contains(&format!("seeds/{file}")),
            "{file} not named: {err}"
        );
    }
    if fifo {
        assert!(
            err.contains("is a FIFO (named pipe), not a regular file; skipped"),
            "{err}"
        );
        assert!(err.contains("seeds/pipe.txt"), "{err}");
    }
    assert!(out.join("about.html").is_file());
    assert!(!out.join("secret.html").exists());
    assert!(!out.join("data/env.json").exists());
    assert!(!out.join("static/passwd").exists());
    for (path, bytes) in site_bytes(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for leak in [secret, "root:x:0:0", "OUTSIDE-TEMPLATE"] {
            assert!(!text.contains(leak), "{} holds {leak}", path.display());
        }
    }
}

#[cfg(unix)]
#[test]
fn a_link_the_manifest_names_is_refused_and_nothing_is_written() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let seeds = small_seeds(
        dir.path(),
        "",
        "  - slug: env\n    kind: x\n    versions: [{file: env.txt, lang: en}]\n",
    );
    symlink("/proc/self/environ", seeds.join("env.txt")).unwrap();
    let err = build_err(&seeds, &dir.path().join("site"));
    assert!(
        err.contains("is a symbolic link (to /proc/self/environ); links are not followed"),
        "{err}"
    );
    assert!(err.contains("seeds/env.txt"), "{err}");
    assert!(err.contains("copy the file into the seeds folder"), "{err}");
    // A seed reached through a linked folder is refused too.
    fs::write(
        seeds.join("manifest.yaml"),
        "documents:\n  - slug: p\n    kind: x\n    versions: [{file: etc/passwd, lang: en}]\n",
    )
    .unwrap();
    symlink("/etc", seeds.join("etc")).unwrap();
    let err = build_err(&seeds, &dir.path().join("site"));
    assert!(err.contains("a symbolic link (to /etc)"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_manifest_or_registry_that_is_a_device_fifo_or_too_large_is_refused_at_once() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let seeds = small_seeds(dir.path(), "", "");
    let manifest = seeds.join("manifest.yaml");
    let out = dir.path().join("site");
    fs::remove_file(&manifest).unwrap();
    symlink("/dev/zero", &manifest).unwrap();
    let err = build_err(&seeds, &out);
    assert!(err.contains("is a symbolic link (to /dev/zero)"), "{err}");
    fs::remove_file(&manifest).unwrap();
    if mkfifo(&manifest) {
        // Opened, it would wait for a writer for ever (build_err's limit fails the test).
        let err = build_err(&seeds, &out);
        assert!(
            err.contains("is a FIFO (named pipe), not a regular file"),
            "{err}"
        );
        fs::remove_file(&manifest).unwrap();
    }
    let mut big = b"documents: []\n".to_vec();
    big.resize((16 << 20) + 1, b'#');
    fs::write(&manifest, big).unwrap();
    let err = build_err(&seeds, &out);
    assert!(err.contains("is larger than the limit of 16 MiB"), "{err}");
    assert!(err.contains("seeds/manifest.yaml"), "{err}");

    let seeds = small_seeds(&dir.path().join("2"), "", "");
    symlink("/dev/zero", seeds.join("anchors.lock")).unwrap();
    let err = build_err(&seeds, &out);
    assert!(
        err.contains("anchor registry: is a symbolic link (to /dev/zero)"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn seeds_named_in_gbk_build_with_a_warning_naming_them() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    fs::create_dir(&seeds).unwrap();
    // A zip made on a Chinese Windows, unpacked on Linux: the names stay GBK.
    for (name, text) in [
        ("甘肃.txt", ZH),
        ("内蒙古.txt", "一、总体要求\n\n（一）总则。\n"),
    ] {
        let (gbk, _, _) = encoding_rs::GBK.encode(name);
        fs::write(seeds.join(std::ffi::OsStr::from_bytes(&gbk)), text).unwrap();
    }
    let out = dir.path().join("site");
    let err = build_ok(&seeds, &out);
    assert!(
        err.contains("the file name is not UTF-8 (read as GB18030: `甘肃.txt`)"),
        "{err}"
    );
    assert!(err.contains("`内蒙古.txt`"), "{err}");
    let data: Vec<String> = fs::read_dir(out.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(data.len(), 2, "{data:?}");
}

/// Traditional Chinese text, as a Taiwanese or Hong Kong file holds it.
const TRADITIONAL: &str = "中華民國憲法\n\n第一條　中華民國基於三民主義，為民有民治民享之民主共和國。\n\n\
第二條　中華民國之主權屬於國民全體。\n\n第三條　具有中華民國國籍者為中華民國國民。\n\n\
第七條　中華民國人民，無分男女、宗教、種族、階級、黨派，在法律上一律平等。\n";

#[test]
fn a_big5_seed_is_named_as_such_and_builds_once_its_encoding_is_stated() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = small_seeds(
        dir.path(),
        "",
        "  - slug: roc\n    kind: law\n    versions: [{file: roc.txt, lang: zh-Hant}]\n",
    );
    let (big5, _, unmapped) = encoding_rs::BIG5.encode(TRADITIONAL);
    assert!(!unmapped);
    fs::write(seeds.join("roc.txt"), &big5).unwrap();
    let out = dir.path().join("site");
    let err = build_err(&seeds, &out);
    assert!(err.contains("seeds/roc.txt"), "{err}");
    assert!(err.contains("looks like Big5 text"), "{err}");
    assert!(err.contains("encoding: big5"), "{err}");
    let manifest = fs::read_to_string(seeds.join("manifest.yaml")).unwrap();
    fs::write(
        seeds.join("manifest.yaml"),
        manifest.replace("lang: zh-Hant}", "lang: zh-Hant, encoding: big5}"),
    )
    .unwrap();
    build_ok(&seeds, &out);
    let data = fs::read_to_string(out.join("data/roc.json")).unwrap();
    assert!(data.contains("中華民國之主權屬於國民全體"), "{data}");
}

#[test]
fn hidden_files_and_macos_resource_forks_are_not_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = small_seeds(dir.path(), "", "");
    // What macOS leaves beside a file on a FAT or network drive: binary.
    fs::write(
        seeds.join("._a.txt"),
        b"\0\x05\x16\x07\0\x02\0\0Mac OS X        \0\x02",
    )
    .unwrap();
    fs::write(seeds.join(".notes.txt"), "草稿\n").unwrap();
    let out = dir.path().join("site");
    let err = build_ok(&seeds, &out);
    assert!(
        !err.contains("._a.txt") && !err.contains(".notes.txt"),
        "{err}"
    );
    assert_eq!(fs::read_dir(out.join("data")).unwrap().count(), 1);
}

#[test]
fn a_page_named_like_the_integrity_report_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = small_seeds(dir.path(), "", "");
    fs::create_dir(seeds.join("pages")).unwrap();
    fs::write(
        seeds.join("pages/integrity.md"),
        "# Integrity\n\nOur word.\n",
    )
    .unwrap();
    let err = build_err(&seeds, &dir.path().join("site"));
    assert!(
        err.contains("pages/integrity.md")
            && err.contains("the name `integrity` is taken by another page"),
        "{err}"
    );
}

#[test]
fn manifest_values_that_would_make_a_wrong_site_are_refused_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let long_lang = format!("zh{}", "-abcde".repeat(500));
    let cases: [(&str, String, &str, &str); 4] = [
        (
            ", url: 'javascript:alert(1)'",
            String::new(),
            ":1:",
            "invalid site url \"javascript:alert(1)\": only http:// and https:// addresses",
        ),
        (
            "",
            "  - slug: b\n    kind: x\n    date: 2020-02-31\n    versions: [{file: a.txt, lang: en}]\n"
                .into(),
            ":9:",
            "invalid date \"2020-02-31\"",
        ),
        (
            "",
            "  - slug: b\n    kind: x\n    versions: [{file: manifest.yaml, lang: en}]\n".into(),
            ":9:",
            "invalid file \"manifest.yaml\": it is the manifest or the anchor registry",
        ),
        (
            "",
            format!("  - slug: b\n    kind: x\n    versions: [{{file: a.txt, lang: {long_lang}}}]\n"),
            ":9:",
            "(3002 characters) is not a BCP 47 language tag",
        ),
    ];
    for (i, (site, extra, line, message)) in cases.iter().enumerate() {
        let seeds = small_seeds(&dir.path().join(i.to_string()), site, extra);
        let err = build_err(&seeds, &dir.path().join("site"));
        assert!(err.contains(message), "{message}: {err}");
        assert!(
            err.contains(&format!("manifest.yaml{line}")),
            "{line}: {err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_file_size_limit_of_the_process_is_an_error_not_a_silent_death() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = small_seeds(dir.path(), "", "");
    let out = dir.path().join("site");
    // Files of 2 or 4 kB at most (blocks of 512 or 1024 bytes, by the shell): the style
    // sheet and the pages are larger. `sh -c 'ulimit -f …; exec …'` sets the limit for
    // the build alone; without SIGXFSZ ignored, the build dies by the signal, silent.
    let o = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 4 && exec \"$0\" build --seeds \"$1\" --out \"$2\"")
        .arg(env!("CARGO_BIN_EXE_clausebook"))
        .arg(&seeds)
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{:?}: {err}", o.status);
    assert!(err.contains("File too large"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_folder_that_is_not_a_seeds_folder_is_refused_and_nothing_is_written_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    // A tree of documentation, as /usr/share: many .txt files in sub-folders.
    let share = dir.path().join("share");
    for i in 0..210 {
        let sub = share.join(format!("pkg{}", i % 30));
        fs::create_dir_all(&sub).unwrap();
        fs::write(sub.join(format!("README{i}.txt")), "一、说明\n").unwrap();
    }
    let err = build_err(&share, &out);
    assert!(
        err.contains("this does not look like a seeds folder: it has no manifest.yaml and no .txt file at its top level"),
        "{err}"
    );
    assert!(err.contains("--seeds DIR"), "{err}");
    fs::write(share.join("changelog.txt"), "一、变更\n").unwrap();
    let err = build_err(&share, &out);
    assert!(
        err.contains("more than 200 .txt files in its sub-folders"),
        "{err}"
    );
    assert!(!share.join("anchors.lock").exists());
    // A flat folder of texts is built without a manifest, however many.
    let flat = dir.path().join("flat");
    fs::create_dir(&flat).unwrap();
    for i in 0..210 {
        fs::write(
            flat.join(format!("doc{i}.txt")),
            format!("第{i}号\n\n一、说明\n"),
        )
        .unwrap();
    }
    build_ok(&flat, &out);
}
