//! `clausebook anchors`, end to end: a fixed clause number moves a published anchor
//! (`第三 条`, which the parser read as a paragraph of clause 二, becomes clause 三), the
//! build refuses, `anchors` explains and suggests the alias, `--write-aliases` adds it,
//! and with it the build passes and the old link lands on the new place; or the anchor
//! is retired on purpose and the lock records it.

use clausebook::{BuildError, BuildOptions, check};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_clausebook");

/// A law of four clauses whose third has a space in its number, so that its text is
/// the second paragraph of clause 二 (`c2-2`).
const LAW: &str = "# 中华人民共和国测试法\n\n第一条 为了测试，制定本法。\n\n第二条 询问被害人，适用本节各条规定。\n\n第三 条侦查人员对于现场应当进行勘验。在必要的时候，可以指派具有专门知识的人进行勘验。\n\n第四条 任何单位和个人，都有义务保护现场。\n";

const MANIFEST: &str = "# the test law\nsite:\n  title: 测试\ndocuments:\n  - slug: law\n    kind: law\n    versions:\n      - {file: law.txt, lang: zh-Hans}\n";

/// The seeds folder of [`LAW`], built once so that its lock exists, then with the clause
/// number fixed. Returns the seeds and the site folder.
fn fixed_law(dir: &Path) -> (PathBuf, PathBuf) {
    let seeds = dir.join("seeds");
    let site = dir.join("site");
    fs::create_dir_all(&seeds).unwrap();
    fs::write(seeds.join("law.txt"), LAW).unwrap();
    fs::write(seeds.join("manifest.yaml"), MANIFEST).unwrap();
    build(&seeds, &site).expect("the first build");
    let lock = fs::read_to_string(seeds.join("anchors.lock")).unwrap();
    assert!(lock.contains("\nlaw/c2.html#c2-2 "), "{lock}");
    assert!(lock.contains("\nlaw/index.html#c2-2.2 "), "{lock}");
    fs::write(seeds.join("law.txt"), LAW.replace("第三 条", "第三条 ")).unwrap();
    (seeds, site)
}

fn build(seeds: &Path, site: &Path) -> Result<clausebook::BuildSummary, BuildError> {
    clausebook::build(&BuildOptions {
        seeds: seeds.to_path_buf(),
        out: site.to_path_buf(),
        progress: None,
    })
}

fn run(args: &[&str], seeds: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--seeds")
        .arg(seeds)
        .output()
        .expect("run clausebook")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_fixed_clause_number_is_explained_aliased_and_then_lands() {
    let dir = tempfile::tempdir().unwrap();
    let (seeds, site) = fixed_law(dir.path());
    let lock = fs::read_to_string(seeds.join("anchors.lock")).unwrap();

    // The build refuses, and says what to run.
    let err = build(&seeds, &site).expect_err("c2-2 is gone from its pages");
    assert!(matches!(err, BuildError::Anchors(_)), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("law/c2.html (document `law`): #c2-2, #c2-2.1, #c2-2.2"),
        "{msg}"
    );
    assert!(msg.contains("clausebook anchors"), "{msg}");

    // `anchors` explains: the lost ids by page, where the same text is, the alias.
    let out = run(&["anchors"], &seeds);
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}{}", text(&out.stderr));
    assert!(
        said.contains("6 published anchor(s) would disappear"),
        "{said}"
    );
    assert!(said.contains("law/c2.html (document `law`):"), "{said}");
    assert!(
        said.contains("#c2-2.2") && said.contains("same text now at law/c3.html#c3-1.2"),
        "{said}"
    );
    assert!(
        said.contains("      c2-2: c3-1    # same sentences"),
        "{said}"
    );
    assert!(
        said.contains("every anchor of the registry lands again"),
        "{said}"
    );
    // It wrote nothing.
    assert_eq!(
        fs::read_to_string(seeds.join("manifest.yaml")).unwrap(),
        MANIFEST
    );
    assert_eq!(
        fs::read_to_string(seeds.join("anchors.lock")).unwrap(),
        lock
    );
    assert!(!site.join("law/c3.html").exists());

    // `--write-aliases` adds the alias, keeping every other byte of the manifest.
    let out = run(&["anchors", "--write-aliases"], &seeds);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("added 1 alias(es)"));
    let manifest = fs::read_to_string(seeds.join("manifest.yaml")).unwrap();
    assert_eq!(
        manifest,
        format!("{MANIFEST}    aliases:\n      c2-2: c3-1\n")
    );
    // Run again, it adds nothing and the build is fine.
    let out = run(&["anchors", "--write-aliases"], &seeds);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("no published anchor would disappear"));
    assert_eq!(
        fs::read_to_string(seeds.join("manifest.yaml")).unwrap(),
        manifest
    );

    build(&seeds, &site).expect("builds with the alias");
    // On the document page, the old id sits in its new place.
    let index = fs::read_to_string(site.join("law/index.html")).unwrap();
    assert!(
        index.contains("<span id=\"c2-2\" class=\"anchor-alias\" data-alias-of=\"c3-1\"></span>"),
        "{index}"
    );
    // On the clause page of clause 二, the old ids stay and forward to clause 三's page,
    // by a script the page's policy allows by its hash.
    let c2 = fs::read_to_string(site.join("law/c2.html")).unwrap();
    for (old, new) in [("c2-2", "c3-1"), ("c2-2.1", "c3-1.1"), ("c2-2.2", "c3-1.2")] {
        let want = format!(
            "<span id=\"{old}\" class=\"anchor-alias\" data-alias-of=\"{new}\" data-moved-to=\"c3.html#{new}\"></span>"
        );
        assert!(c2.contains(&want), "{want}\n{c2}");
    }
    let script = c2
        .split("<script>")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("the forwarding script");
    assert!(script.contains("data-moved-to"), "{script}");
    let policy = c2
        .split("Content-Security-Policy\" content=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let hash = policy
        .split('\'')
        .find(|s| s.starts_with("sha256-"))
        .expect("a hash in the policy");
    if let Ok(out) = Command::new("sh")
        .arg("-c")
        .arg("openssl dgst -sha256 -binary | base64")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(script.as_bytes())?;
            child.wait_with_output()
        })
        && out.status.success()
    {
        assert_eq!(
            format!("sha256-{}", text(&out.stdout).trim()),
            hash,
            "the policy's hash is not the script's"
        );
    }
    // A clause page without moved ids has neither script nor hash.
    let c1 = fs::read_to_string(site.join("law/c1.html")).unwrap();
    assert!(!c1.contains("<script>") && !c1.contains("sha256-"), "{c1}");
    // anchors.json names the new place on its page.
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(site.join("anchors.json")).unwrap()).unwrap();
    assert_eq!(json["aliases"]["law/c2.html"]["c2-2"], "law/c3.html#c3-1");
    assert_eq!(json["aliases"]["law/index.html"]["c2-2"], "c3-1");
    assert!(json.get("retired").is_none());
    // Every link and fragment of the site resolves; the lock keeps the old anchors.
    let report = check::check_site(&site).unwrap();
    assert!(report.is_ok(), "{:?}", report.broken);
    let lock = fs::read_to_string(seeds.join("anchors.lock")).unwrap();
    assert!(lock.contains("\nlaw/c2.html#c2-2 ") && lock.contains("\nlaw/c3.html#c3-1 "));
}

#[test]
fn a_retired_anchor_no_longer_blocks_the_build_and_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let (seeds, site) = fixed_law(dir.path());
    assert!(build(&seeds, &site).is_err());

    // An anchor still on its page, or not registered, is refused; the lock unchanged.
    let lock = fs::read_to_string(seeds.join("anchors.lock")).unwrap();
    for (key, says) in [
        ("law/c2.html#c2-1", "still on its page"),
        ("law/c2.html#c9", "is not registered"),
        ("c2-2", "is not `page#id`"),
    ] {
        let out = run(&["anchors", "retire", key, "--reason", "x"], &seeds);
        assert_eq!(out.status.code(), Some(1), "{key}");
        assert!(
            text(&out.stderr).contains(says),
            "{key}: {}",
            text(&out.stderr)
        );
    }
    let out = run(&["anchors", "retire", "law#c2-2", "--reason", "  "], &seeds);
    assert!(text(&out.stderr).contains("needs a reason"));
    assert_eq!(
        fs::read_to_string(seeds.join("anchors.lock")).unwrap(),
        lock
    );

    // One page's: the other page still blocks the build.
    let out = run(
        &[
            "anchors",
            "retire",
            "law/c2.html#c2-2",
            "--reason",
            "a typo\nin the source",
        ],
        &seeds,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("3 anchor(s) retired"),
        "{}",
        text(&out.stdout)
    );
    let err = build(&seeds, &site).expect_err("index.html#c2-2 is still required");
    assert!(
        err.to_string()
            .contains("law/index.html (document `law`): #c2-2"),
        "{err}"
    );
    assert!(!err.to_string().contains("law/c2.html (document"), "{err}");

    // The whole document's: the build passes, and the lock records the retirement.
    let out = run(
        &[
            "anchors",
            "retire",
            "law#c2-2",
            "--reason",
            "clause 三 was read as a paragraph",
        ],
        &seeds,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    build(&seeds, &site).expect("builds without the retired anchors");
    let lock = fs::read_to_string(seeds.join("anchors.lock")).unwrap();
    assert!(
        lock.contains("\n# A line ending in `retired YYYY-MM-DD reason`"),
        "{lock}"
    );
    let line = |key: &str| {
        lock.lines()
            .find(|l| l.starts_with(&format!("{key} ")))
            .unwrap_or_else(|| panic!("no line {key}"))
            .to_string()
    };
    let l = line("law/c2.html#c2-2.1");
    let f: Vec<&str> = l.splitn(6, ' ').collect();
    assert_eq!(f[3], "retired", "{l}");
    assert_eq!(f[4].len(), 10, "{l}");
    assert_eq!(f[5], "a typo in the source", "{l}");
    assert!(line("law/index.html#c2-2").ends_with(" clause 三 was read as a paragraph"));
    assert!(!line("law/c2.html#c2-1").contains("retired"));
    // anchors.json lists them; `anchors` finds nothing lost; a build again keeps them.
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(site.join("anchors.json")).unwrap()).unwrap();
    assert_eq!(
        json["retired"]["law/index.html"]["c2-2"]["reason"],
        "clause 三 was read as a paragraph"
    );
    assert_eq!(run(&["anchors"], &seeds).status.code(), Some(0));
    let s = build(&seeds, &site).expect("builds again");
    assert!(!s.lock_written);
    assert_eq!(
        fs::read_to_string(seeds.join("anchors.lock")).unwrap(),
        lock
    );
}

/// In Chromium, from `file://`: the old link to the paragraph on clause 二's page lands
/// on its new place on clause 三's page (the page's script runs under its policy).
#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn the_old_link_lands_on_the_new_clause_page_in_a_browser() {
    use crate::common::cdp::Browser;
    use crate::common::file_url;
    let dir = tempfile::tempdir().unwrap();
    let (seeds, site) = fixed_law(dir.path());
    fs::write(
        seeds.join("manifest.yaml"),
        format!("{MANIFEST}    aliases: {{c2-2: c3-1}}\n"),
    )
    .unwrap();
    build(&seeds, &site).expect("builds with the alias");
    let mut b = Browser::launch().unwrap_or_else(|e| panic!("cannot drive Chromium: {e}"));
    let want = format!("{}#c3-1.2", file_url(&site.join("law/c3.html")));
    b.navigate(&format!("{}#c2-2.2", file_url(&site.join("law/c2.html"))))
        .unwrap();
    // The page replaces itself: an evaluation may meet the page in between.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut at = String::new();
    while std::time::Instant::now() < deadline {
        if let Ok(v) = b.eval("location.href") {
            at = v.as_str().unwrap_or("").to_string();
            if at == want {
                break;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(at, want);
    // A link to the clause itself stays on its page.
    let own = format!("{}#c2-1", file_url(&site.join("law/c2.html")));
    b.navigate(&own).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(b.eval("location.href").unwrap(), own.as_str());
}
