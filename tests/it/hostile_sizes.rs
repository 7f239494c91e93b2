//! Small inputs that once took memory or time out of all proportion to their size, and
//! the size limit of a seed. Each builds a one-document seeds folder with the library
//! and checks that the output and the warnings stay in proportion to the input.
//! `benches/hostile-seeds.py` makes the same inputs at full size and measures them.

use std::path::{Path, PathBuf};

const MANIFEST: &str = "site:\n  title: Hostile\ndocuments:\n  - slug: doc\n    kind: law\n    \
                        versions:\n      - {file: doc.txt, lang: zh-Hans}\n";

fn seeds(dir: &Path, text: &str) -> PathBuf {
    let seeds = dir.join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    std::fs::write(seeds.join("manifest.yaml"), MANIFEST).unwrap();
    std::fs::write(seeds.join("doc.txt"), text).unwrap();
    seeds
}

fn build(
    dir: &Path,
    seeds: &Path,
) -> Result<clausebook::BuildSummary, clausebook::build::BuildError> {
    clausebook::build(&clausebook::BuildOptions {
        seeds: seeds.to_path_buf(),
        out: dir.join("site"),
        ..Default::default()
    })
}

fn size_of(dir: &Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let meta = e.metadata().unwrap();
        total += if meta.is_dir() {
            size_of(&e.path())
        } else {
            meta.len()
        };
    }
    total
}

/// A one-character line 4,000 times: each is a running header, and each finding once
/// named all 4,000 lines (a 93 MB `integrity.html` from a 16 kB seed).
#[test]
fn a_repeated_line_gives_findings_of_bounded_size() {
    let dir = tempfile::tempdir().unwrap();
    let text = "甲\n".repeat(4000);
    let s = seeds(dir.path(), &text);
    let summary = build(dir.path(), &s).unwrap();
    assert!(summary.findings >= 3990, "{}", summary.findings);
    let report = std::fs::metadata(dir.path().join("site/integrity.html"))
        .unwrap()
        .len();
    // About 1 kB of report per finding, not 4,000 line numbers each.
    assert!(report < 8 << 20, "integrity.html is {report} bytes");
    let data = std::fs::read_to_string(dir.path().join("site/data/doc.json")).unwrap();
    assert!(
        data.len() < 8 << 20,
        "data/doc.json is {} bytes",
        data.len()
    );
    assert!(data.contains(" more of doc.txt"));
}

/// `第4000000000章`: every part before it missing. Once one warning (and one try at
/// placing it) per missing part: gigabytes from 30 bytes.
#[test]
fn a_huge_part_number_is_one_warning_per_gap() {
    let dir = tempfile::tempdir().unwrap();
    let s = seeds(dir.path(), "第4000000000章 总则\n\n第一条 文。\n");
    let start = std::time::Instant::now();
    let summary = build(dir.path(), &s).unwrap();
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
    let gaps: Vec<&str> = summary
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .filter(|m| m.contains("missing"))
        .collect();
    assert_eq!(
        gaps,
        vec![
            "part numbers jump from 0 to 4000000000: parts 1–3999999999 are missing",
            "headings of parts 1–3999999999 missing"
        ]
    );
    assert!(size_of(&dir.path().join("site")) < 2 << 20);
}

/// `第1000000部分` made a million warnings (260 MB on the terminal).
#[test]
fn a_million_missing_parts_are_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    let s = seeds(dir.path(), "第1000000部分 总则\n\n第一条 文。\n");
    let summary = build(dir.path(), &s).unwrap();
    assert!(summary.warnings.len() < 10, "{:?}", summary.warnings);
}

/// The same clause number over and over: a warning and a finding per repeat, each
/// found without a scan of the whole document.
#[test]
fn a_repeated_clause_number_stays_linear() {
    let dir = tempfile::tempdir().unwrap();
    let s = seeds(dir.path(), &"（一）文。\n\n".repeat(3000));
    let summary = build(dir.path(), &s).unwrap();
    let repeats = summary
        .warnings
        .iter()
        .filter(|w| w.message.contains("repeats"))
        .count();
    assert_eq!(repeats, 2999);
    // Every warning's diagnostic, each seed read once.
    let ds = clausebook::diagnostic::from_warnings(&summary.warnings, &s);
    assert_eq!(ds.len(), summary.warnings.len());
    assert!(
        ds.iter()
            .filter(|d| d.problem.line > 0)
            .all(|d| d.source_line.as_deref() == Some("（一）文。"))
    );
}

/// A seed over the size limit is refused before it is read, with the file, its size,
/// the limit and what to do.
#[test]
fn a_seed_over_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = seeds(dir.path(), "第一条 文。\n");
    let big = std::fs::File::create(s.join("doc.txt")).unwrap();
    big.set_len(clausebook::corpus::MAX_SEED_BYTES + 1).unwrap();
    let err = build(dir.path(), &s).unwrap_err().to_string();
    assert!(err.contains("doc.txt"), "{err}");
    assert!(err.contains("20.0 MiB"), "{err}");
    assert!(err.contains("limit of 20 MiB"), "{err}");
    assert!(err.contains("split the document"), "{err}");
    assert!(!dir.path().join("site").exists());
    // At the limit it is read (and refused for what it holds: NUL bytes are no text).
    let at = std::fs::File::create(s.join("doc.txt")).unwrap();
    at.set_len(1 << 20).unwrap();
    let err = build(dir.path(), &s).unwrap_err().to_string();
    assert!(!err.contains("limit"), "{err}");
}

/// A template of the seeds folder that would loop for ever (nested loops over large
/// ranges) stops with an error naming it, the previous site kept. The process runs with
/// a smaller page budget than the default (`CLAUSEBOOK_TEMPLATE_FUEL`) so that the debug
/// build stops soon; the default stops such a loop after about 2.7e8 steps.
#[test]
fn a_template_that_loops_for_ever_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let s = seeds(dir.path(), "第一条 文。\n");
    std::fs::create_dir_all(s.join("templates")).unwrap();
    std::fs::write(
        s.join("templates/page.html"),
        "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}\n",
    )
    .unwrap();
    std::fs::create_dir_all(s.join("pages")).unwrap();
    std::fs::write(s.join("pages/about.md"), "# About\n\nText.\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clausebook"))
        .args(["build", "--seeds"])
        .arg(&s)
        .arg("--out")
        .arg(dir.path().join("site"))
        .env("CLAUSEBOOK_TEMPLATE_FUEL", "2000000")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("ran out of fuel"), "{err}");
    assert!(err.contains("page.html"), "{err}");
    assert!(!dir.path().join("site").exists());
}
