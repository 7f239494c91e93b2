//! End-to-end tests of `build` on the five seeds and on damaged copies of them: the data
//! files conserve the text, every anchor is on its page, links resolve, output is
//! deterministic, and bad input fails cleanly without touching the previous site.

use crate::common;
use clausebook::{BuildOptions, build, check};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn seeds() -> PathBuf {
    common::repo_seeds()
}

/// The five seeds built once for all tests of this file.
fn site() -> &'static Path {
    static SITE: common::BuiltSite = common::BuiltSite::new();
    common::site_once(&SITE, |_| seeds())
}

fn data(slug: &str) -> Value {
    let text = fs::read_to_string(site().join("data").join(format!("{slug}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn walk<'a>(blocks: &'a Value, out: &mut Vec<&'a Value>) {
    for b in blocks.as_array().into_iter().flatten() {
        out.push(b);
        walk(&b["children"], out);
    }
}

fn blocks(version: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    walk(&version["blocks"], &mut out);
    out
}

fn is_text_char(c: char) -> bool {
    clausebook::base::text::is_han(c) || c.is_ascii_alphanumeric()
}

fn count_chars<'a>(texts: impl Iterator<Item = &'a str>) -> BTreeMap<char, usize> {
    let mut m = BTreeMap::new();
    for t in texts {
        for c in t.chars().filter(|&c| is_text_char(c)) {
            *m.entry(c).or_default() += 1;
        }
    }
    m
}

const SLUGS: [&str; 4] = ["guideline", "gansu", "inner-mongolia", "symposium-2024"];

fn all_versions() -> Vec<(String, Value)> {
    SLUGS
        .iter()
        .flat_map(|slug| {
            let d = data(slug);
            d["versions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| (slug.to_string(), v.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_seed_has_a_version_in_the_data_files() {
    let mut sources: Vec<String> = all_versions()
        .iter()
        .map(|(_, v)| v["source"].as_str().unwrap().to_string())
        .collect();
    sources.sort();
    assert_eq!(
        sources,
        [
            "000_7eec8cb570da91da.txt",
            "001_00d2dfaf8ea1c481.txt",
            "002_be8482c41ddce61b.txt",
            "003_fa0912c064ef62b7.txt",
            "004_236636c766a7cbd7.txt"
        ]
    );
}

#[test]
fn text_is_conserved_in_every_data_file() {
    for (_, v) in all_versions() {
        let source = v["source"].as_str().unwrap();
        let seed = fs::read_to_string(seeds().join(source)).unwrap();
        let want = count_chars(std::iter::once(seed.as_str()));
        let got = count_chars(blocks(&v).into_iter().flat_map(|b| {
            ["label", "title", "text"]
                .into_iter()
                .filter_map(|k| b[k].as_str())
        }));
        let lost: Vec<_> = want
            .iter()
            .filter(|(c, n)| got.get(c) != Some(n))
            .take(10)
            .collect();
        assert!(lost.is_empty(), "{source}: counts differ for {lost:?}");
        assert!(
            want.values().sum::<usize>() > 1000,
            "{source}: seed nearly empty"
        );
    }
}

#[test]
fn parts_and_clauses_are_counted_as_printed() {
    let expect = [
        ("000_7eec8cb570da91da.txt", 7, 36),
        ("001_00d2dfaf8ea1c481.txt", 7, 36),
        ("002_be8482c41ddce61b.txt", 0, 0),
        ("003_fa0912c064ef62b7.txt", 8, 30),
        ("004_236636c766a7cbd7.txt", 5, 23),
    ];
    let versions = all_versions();
    for (source, parts, clauses) in expect {
        let (_, v) = versions
            .iter()
            .find(|(_, v)| v["source"] == source)
            .unwrap();
        let kinds: Vec<&str> = blocks(v)
            .iter()
            .map(|b| b["kind"].as_str().unwrap())
            .collect();
        let count = |k: &str| kinds.iter().filter(|&&x| x == k).count();
        assert_eq!(
            (count("part"), count("clause")),
            (parts, clauses),
            "{source}"
        );
    }
}

#[test]
fn the_missing_part_heading_is_supplied_and_marked() {
    let d = data("guideline");
    let zh = &d["versions"][0];
    let p4 = blocks(zh)
        .into_iter()
        .find(|b| b["id"] == "p4")
        .expect("part 4 in the Chinese version");
    assert!(
        p4["title"].is_null(),
        "a supplied heading must not pose as seed text"
    );
    let supplied = p4["supplied_title"]["text"].as_str().unwrap();
    assert!(supplied.starts_with("Strengthen the construction of the beautiful western region"));
    let clauses: Vec<&str> = p4["children"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "clause")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(clauses, ["c14", "c15", "c16"]);
}

#[test]
fn every_block_id_is_on_its_page() {
    for (slug, v) in all_versions() {
        let page = if v["original"] == true {
            "index.html".to_string()
        } else {
            format!("{}.html", v["lang"].as_str().unwrap())
        };
        let html = fs::read_to_string(site().join(&slug).join(&page)).unwrap();
        let ids = blocks(&v);
        assert!(ids.len() > 20, "{slug}/{page}: only {} blocks", ids.len());
        for b in ids {
            let id = b["id"].as_str().unwrap();
            assert!(
                html.contains(&format!("id=\"{id}\"")),
                "{slug}/{page}: no element with id {id}"
            );
        }
    }
}

#[test]
fn block_ids_are_unique_and_shared_across_languages() {
    let d = data("guideline");
    let ids = |v: &Value| -> Vec<String> {
        blocks(v)
            .iter()
            .filter(|b| matches!(b["kind"].as_str(), Some("part" | "clause")))
            .map(|b| b["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (zh, en) = (ids(&d["versions"][0]), ids(&d["versions"][1]));
    assert_eq!(
        zh, en,
        "parts and clauses must have the same anchors in both languages"
    );
    for (_, v) in all_versions() {
        let mut all: Vec<&str> = blocks(&v)
            .iter()
            .map(|b| b["id"].as_str().unwrap())
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "{}: duplicate ids", v["source"]);
    }
}

#[test]
fn the_site_has_the_contract_layout() {
    for f in [
        "index.html",
        "404.html",
        "sitemap.xml",
        ".nojekyll",
        "guideline/index.html",
        "guideline/en.html",
        "gansu/index.html",
        "inner-mongolia/index.html",
        "symposium-2024/index.html",
    ] {
        assert!(site().join(f).is_file(), "missing {f}");
    }
}

#[test]
fn check_finds_no_broken_link_in_the_built_site() {
    let report = check::check_site(site()).unwrap();
    assert!(report.broken.is_empty(), "{:#?}", report.broken);
    assert!(report.links > 300, "only {} links checked", report.links);
}

fn all_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("again");
    build(&BuildOptions {
        seeds: seeds(),
        out: again.clone(),
        ..Default::default()
    })
    .unwrap();
    let (a, b) = (all_files(site()), all_files(&again));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
    assert!(a.len() > 10);
}

/// A copy of the seeds in a temp folder, to damage.
fn seeds_copy(dir: &Path) -> PathBuf {
    let copy = dir.join("seeds");
    fs::create_dir_all(&copy).unwrap();
    for e in fs::read_dir(seeds()).unwrap().flatten() {
        if e.file_type().unwrap().is_file() {
            fs::copy(e.path(), copy.join(e.file_name())).unwrap();
        }
    }
    copy
}

fn run_cli(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_clausebook"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_malformed_manifest_names_its_line_and_leaves_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds_copy(dir.path());
    let out = dir.path().join("site");
    let (ok, ..) = run_cli(&["build", "--seeds", s(&seeds), "--out", s(&out)]);
    assert!(ok);
    let before = all_files(&out);

    let manifest = seeds.join("manifest.yaml");
    let text = fs::read_to_string(&manifest).unwrap();
    let broken = text.replacen("    kind: guideline\n", "    kind: [guideline\n", 1);
    assert_ne!(broken, text);
    fs::write(&manifest, broken).unwrap();
    let (ok, _, err) = run_cli(&["build", "--seeds", s(&seeds), "--out", s(&out)]);
    assert!(!ok, "a malformed manifest must fail the build");
    assert!(err.contains("manifest.yaml:"), "no file:line in {err}");
    assert!(err.contains("hint:"), "no hint in {err}");
    assert_eq!(all_files(&out), before, "the previous site changed");
}

#[test]
fn a_missing_seed_file_is_named_and_leaves_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds_copy(dir.path());
    let out = dir.path().join("site");
    assert!(run_cli(&["build", "--seeds", s(&seeds), "--out", s(&out)]).0);
    let before = all_files(&out);
    fs::remove_file(seeds.join("003_fa0912c064ef62b7.txt")).unwrap();
    let (ok, _, err) = run_cli(&["build", "--seeds", s(&seeds), "--out", s(&out)]);
    assert!(!ok);
    assert!(err.contains("003_fa0912c064ef62b7.txt"), "{err}");
    assert!(err.contains("manifest.yaml:"), "{err}");
    assert_eq!(all_files(&out), before, "the previous site changed");
}

#[test]
fn a_folder_not_made_by_clausebook_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("thesis");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("chapter1.tex"), "keep").unwrap();
    let (ok, _, err) = run_cli(&["build", "--seeds", s(&seeds()), "--out", s(&out)]);
    assert!(!ok);
    assert!(err.contains("not written by clausebook"), "{err}");
    assert_eq!(
        fs::read_to_string(out.join("chapter1.tex")).unwrap(),
        "keep"
    );
}

#[test]
fn gbk_and_crlf_seeds_give_the_same_tree() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds_copy(dir.path());
    for name in ["003_fa0912c064ef62b7.txt", "004_236636c766a7cbd7.txt"] {
        let text = fs::read_to_string(seeds.join(name))
            .unwrap()
            .replace('\n', "\r\n");
        let (gbk, _, lossy) = encoding_rs::GBK.encode(&text);
        assert!(!lossy);
        fs::write(seeds.join(name), gbk).unwrap();
    }
    let out = dir.path().join("site");
    build(&BuildOptions {
        seeds,
        out: out.clone(),
        ..Default::default()
    })
    .unwrap();
    for slug in ["gansu", "inner-mongolia"] {
        let a = fs::read(site().join("data").join(format!("{slug}.json"))).unwrap();
        let b = fs::read(out.join("data").join(format!("{slug}.json"))).unwrap();
        assert!(a == b, "{slug}: GBK/CRLF tree differs from UTF-8/LF");
    }
}

#[test]
fn seed_text_with_markup_is_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    fs::create_dir(&seeds).unwrap();
    fs::write(
        seeds.join("manifest.yaml"),
        "site: {title: \"T <b>x</b>\"}\ndocuments:\n  - slug: evil\n    kind: guideline\n    title: \"<img src=x onerror=alert(1)>\"\n    versions: [{file: evil.txt, lang: zh-Hans}]\n",
    )
    .unwrap();
    fs::write(
        seeds.join("evil.txt"),
        "为落实<script>alert(1)</script>意见，提出如下意见。\n\n一、总体要求\n\n（一）加强{{ x }}领导。<img src=x onerror=alert(2)>要求。\n",
    )
    .unwrap();
    let out = dir.path().join("site");
    build(&BuildOptions {
        seeds,
        out: out.clone(),
        ..Default::default()
    })
    .unwrap();
    for page in ["index.html", "evil/index.html"] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        assert!(!html.contains("<script>alert"), "{page}: script injected");
        assert!(!html.contains("<img src=x"), "{page}: img injected");
        assert!(!html.contains("<b>x</b>"), "{page}: markup injected");
    }
    let html = fs::read_to_string(out.join("evil/index.html")).unwrap();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "text lost"
    );
    assert!(
        html.contains("{{ x }}"),
        "template syntax not shown as text"
    );
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn check_command_fails_on_a_broken_anchor_and_a_network_resource() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&BuildOptions {
        seeds: seeds(),
        out: out.clone(),
        ..Default::default()
    })
    .unwrap();
    let (ok, stdout, _) = run_cli(&["check", s(&out)]);
    assert!(ok, "{stdout}");
    assert!(stdout.contains(" 0 broken"), "{stdout}");

    let page = out.join("gansu/index.html");
    let html = fs::read_to_string(&page).unwrap();
    let html = html.replacen(
        "</body>",
        "<a href=\"../guideline/index.html#c99\">x</a><script src=\"https://cdn.example/x.js\"></script></body>",
        1,
    );
    fs::write(&page, html).unwrap();
    let (ok, stdout, _) = run_cli(&["check", s(&out)]);
    assert!(!ok, "a broken site passed: {stdout}");
    assert!(
        stdout.contains("gansu/index.html -> ../guideline/index.html#c99"),
        "{stdout}"
    );
    assert!(stdout.contains("https://cdn.example/x.js"), "{stdout}");
}
