//! The README's table "Bad and hostile input", row by row: each test builds with the
//! `clausebook` binary into temporary folders and checks the outcome the table promises
//! (same tree, a clear error naming the file and line, warnings, refusal, the previous
//! site intact).

use crate::common::repo_seeds;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn clausebook() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clausebook"))
}

/// `clausebook build --seeds SEEDS --out OUT`: success and stderr.
fn build(seeds: &Path, out: &Path) -> (bool, String) {
    let o: Output = clausebook()
        .arg("build")
        .arg("--seeds")
        .arg(seeds)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

fn build_ok(seeds: &Path, out: &Path) -> String {
    let (ok, err) = build(seeds, out);
    assert!(ok, "the build failed: {err}");
    err
}

/// Every file under `root`, by relative path.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// A seeds folder at `dir/name` holding `files` (name, bytes).
fn seeds_with(dir: &Path, name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let seeds = dir.join(name);
    fs::create_dir_all(&seeds).unwrap();
    for (f, bytes) in files {
        fs::write(seeds.join(f), bytes).unwrap();
    }
    seeds
}

/// A manifest listing one document per `(slug, file)`, all in zh-Hans.
fn manifest(docs: &[(&str, &str)]) -> String {
    let mut m = String::from("site: {title: Test}\ndocuments:\n");
    for (slug, file) in docs {
        writeln!(
            m,
            "  - slug: {slug}\n    kind: guideline\n    versions: [{{file: {file}, lang: zh-Hans}}]"
        )
        .unwrap();
    }
    m
}

fn data(out: &Path, slug: &str) -> Value {
    serde_json::from_slice(&fs::read(out.join("data").join(format!("{slug}.json"))).unwrap())
        .unwrap()
}

fn walk<'a>(blocks: &'a Value, out: &mut Vec<&'a Value>) {
    for b in blocks.as_array().into_iter().flatten() {
        out.push(b);
        walk(&b["children"], out);
    }
}

/// Every block of a document's first version.
fn blocks(doc: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    walk(&doc["versions"][0]["blocks"], &mut out);
    out
}

/// Han characters, letters and digits of `texts`, counted.
fn letters<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeMap<char, usize> {
    let mut m = BTreeMap::new();
    for c in texts.into_iter().flat_map(str::chars) {
        if c.is_alphanumeric() {
            *m.entry(c).or_default() += 1;
        }
    }
    m
}

fn kept_letters(doc: &Value) -> BTreeMap<char, usize> {
    letters(
        blocks(doc)
            .into_iter()
            .flat_map(|b| ["label", "title", "text"].map(|k| b[k].as_str()))
            .flatten(),
    )
}

// ---------------------------------------------------------------------------------------
// Encodings and line ends.

#[test]
fn every_encoding_and_line_end_gives_the_same_tree() {
    let text = fs::read_to_string(repo_seeds().join("000_7eec8cb570da91da.txt")).unwrap();
    let utf16 = |le: bool| {
        let mut b = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            b.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        b
    };
    let (gb, _, lossy) = encoding_rs::GB18030.encode(&text);
    assert!(!lossy);
    let mut mixed = String::new();
    let mut prev = "";
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let line = line.strip_suffix('\n').unwrap_or(line);
        // CR then LF is one CRLF: after a CR, an empty line must end in CR too.
        let end = match ["\n", "\r\n", "\r"][i % 3] {
            "\n" | "\r\n" if prev == "\r" && line.is_empty() => "\r",
            e => e,
        };
        mixed.push_str(line);
        mixed.push_str(end);
        prev = end;
    }
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("lf", text.clone().into_bytes()),
        ("gb18030", gb.into_owned()),
        ("bom", [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat()),
        ("utf16le", utf16(true)),
        ("utf16be", utf16(false)),
        ("crlf", text.replace('\n', "\r\n").into_bytes()),
        ("cr", text.replace('\n', "\r").into_bytes()),
        ("mixed", mixed.into_bytes()),
    ];
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = variants.iter().map(|(n, _)| format!("{n}.txt")).collect();
    let docs: Vec<(&str, &str)> = variants
        .iter()
        .zip(&names)
        .map(|((n, _), f)| (*n, f.as_str()))
        .collect();
    let m = manifest(&docs);
    let mut files: Vec<(&str, &[u8])> = vec![("manifest.yaml", m.as_bytes())];
    files.extend(
        names
            .iter()
            .zip(&variants)
            .map(|(f, (_, b))| (f.as_str(), &b[..])),
    );
    let seeds = seeds_with(dir.path(), "seeds", &files);
    let out = dir.path().join("site");
    build_ok(&seeds, &out);
    let reference = data(&out, "lf");
    assert!(
        blocks(&reference).len() > 50,
        "the reference tree is nearly empty"
    );
    for (name, _) in &variants[1..] {
        let d = data(&out, name);
        // Compared as a whole, reported briefly.
        let same = d["versions"][0]["blocks"] == reference["versions"][0]["blocks"];
        assert!(same, "{name}: tree differs from UTF-8/LF");
    }
}

// ---------------------------------------------------------------------------------------
// Files that are not text, or hold no text.

#[test]
fn undecodable_and_binary_txt_files_are_named_errors_and_nothing_is_written() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
    let zip: &[u8] = b"PK\x03\x04\x14\0\0\0\x08\0";
    let cases: [(&str, &[u8], &str); 3] = [
        // 0xFF starts no character in UTF-8 or GB18030.
        (
            "bad.txt",
            b"\xe4\xb8\x80\xe3\x80\x81\n\n\xff\xfe\xfd\n",
            "is neither UTF-8 nor GB18030/GBK text (first invalid byte on line 3)",
        ),
        ("picture.txt", png, "is a binary file"),
        ("archive.txt", zip, "is a binary file"),
    ];
    for (name, bytes, want) in cases {
        let dir = tempfile::tempdir().unwrap();
        let seeds = seeds_with(dir.path(), "seeds", &[(name, bytes)]);
        let out = dir.path().join("site");
        let (ok, err) = build(&seeds, &out);
        assert!(!ok, "{name}: built");
        assert!(err.contains(name) && err.contains(want), "{name}: {err}");
        assert!(err.contains("hint:"), "{err}");
        assert!(!out.exists(), "{name}: something was written");
    }
}

#[test]
fn binary_files_that_are_not_txt_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds_with(
        dir.path(),
        "seeds",
        &[
            ("a.txt", "一、总体要求\n\n（一）加强领导。\n".as_bytes()),
            ("logo.png", b"\x89PNG\r\n\x1a\n\0\0"),
            ("texts.zip", b"PK\x03\x04\0\0"),
        ],
    );
    let out = dir.path().join("site");
    let err = build_ok(&seeds, &out);
    for f in ["logo.png", "texts.zip"] {
        assert!(
            err.contains(&seeds.join(f).display().to_string()) && err.contains("not a seed"),
            "{f}: {err}"
        );
    }
    assert!(out.join("a/index.html").is_file());
}

#[test]
fn empty_and_blank_seeds_are_named_errors_and_the_previous_site_stays() {
    let dir = tempfile::tempdir().unwrap();
    let m = manifest(&[("doc", "doc.txt")]);
    let seeds = seeds_with(
        dir.path(),
        "seeds",
        &[
            ("manifest.yaml", m.as_bytes()),
            ("doc.txt", "一、总体要求\n".as_bytes()),
        ],
    );
    let out = dir.path().join("site");
    build_ok(&seeds, &out);
    let before = snapshot(&out);
    for blank in ["", "  \n\u{3000}\u{3000}\r\n\t\n\n"] {
        fs::write(seeds.join("doc.txt"), blank).unwrap();
        let (ok, err) = build(&seeds, &out);
        assert!(!ok, "{blank:?} built");
        // The message, then the file on a line of its own (named once).
        assert!(
            err.contains("error: has no text")
                && err.contains(&seeds.join("doc.txt").display().to_string()),
            "{err}"
        );
        assert_eq!(snapshot(&out), before, "the previous site changed");
    }
}

// ---------------------------------------------------------------------------------------
// Size. Time against size is measured in `benches/scale.rs`; here that large input
// builds, or for the largest goes through every stage but rendering, and keeps its text.

const SENTENCE: &str = "推动西部大开发形成新格局，Strengthen the west 2020. ";

/// A regulation of `bytes` bytes or a little more: chapters of 50 articles, each article
/// `repeat` sentences long. Returns the text and the number of articles.
fn regulation(bytes: usize, repeat: usize) -> (String, usize) {
    let mut text = String::from("条例\n\n");
    let mut n = 0;
    while text.len() < bytes {
        if n % 50 == 0 {
            writeln!(text, "第{}章 总则\n", n / 50 + 1).unwrap();
        }
        n += 1;
        writeln!(text, "第{n}条 {}\n", SENTENCE.repeat(repeat)).unwrap();
    }
    (text, n)
}

#[test]
fn a_five_megabyte_line_and_many_clauses_build_and_keep_their_text() {
    let mut one_line = String::from("长行标题\n\n");
    while one_line.len() < 5_000_000 {
        one_line.push_str(SENTENCE);
    }
    one_line.push('\n');
    // Long articles: each clause also gets a page of its own.
    let (clauses, n) = regulation(1_000_000, 12);
    let dir = tempfile::tempdir().unwrap();
    let m = manifest(&[("line", "line.txt"), ("clauses", "clauses.txt")]);
    let seeds = seeds_with(
        dir.path(),
        "seeds",
        &[
            ("manifest.yaml", m.as_bytes()),
            ("line.txt", one_line.as_bytes()),
            ("clauses.txt", clauses.as_bytes()),
        ],
    );
    let out = dir.path().join("site");
    build_ok(&seeds, &out);
    for (slug, text) in [("line", &one_line), ("clauses", &clauses)] {
        let d = data(&out, slug);
        assert_eq!(
            kept_letters(&d),
            letters([text.as_str()]),
            "{slug}: text lost"
        );
    }
    let d = data(&out, "clauses");
    let count = blocks(&d).iter().filter(|b| b["kind"] == "clause").count();
    assert_eq!(count, n);
    assert!(out.join("clauses").join(format!("c{n}.html")).is_file());
}

/// 20 MB of articles: read, parsed, aligned, linked and analysed for damage (every stage
/// but rendering, which a debug build of the suite would take minutes over; the whole
/// build of this size is in `benches/scale.rs`), with unique ids and every letter kept.
#[test]
fn twenty_megabytes_of_clauses_parse_and_keep_their_text() {
    let (clauses, n) = regulation(20_000_000, 150);
    let dir = tempfile::tempdir().unwrap();
    let m = manifest(&[("clauses", "clauses.txt")]);
    let seeds = seeds_with(
        dir.path(),
        "seeds",
        &[
            ("manifest.yaml", m.as_bytes()),
            ("clauses.txt", clauses.as_bytes()),
        ],
    );
    let a = clausebook::build::load(&seeds).expect("the seeds load");
    let findings = clausebook::integrity::analyse(&a.library, &a.repairs);
    assert!(
        findings.iter().all(|f| f.kind.name() == "repeat"),
        "only the repeated sentences are reported"
    );
    let doc = serde_json::to_value(&a.library.documents[0]).unwrap();
    assert_eq!(kept_letters(&doc), letters([clauses.as_str()]), "text lost");
    let all = blocks(&doc);
    assert_eq!(all.iter().filter(|b| b["kind"] == "clause").count(), n);
    let ids: std::collections::BTreeSet<&str> =
        all.iter().filter_map(|b| b["id"].as_str()).collect();
    assert_eq!(ids.len(), all.len(), "ids are not unique");
}

// ---------------------------------------------------------------------------------------
// Numbering.

#[test]
fn broken_numbering_warns_with_lines_keeps_ids_unique_and_loses_nothing() {
    let doc = "第一章 总则\n\n\
               第一条 甲。\n\n\
               第三条 丙。\n\n\
               第二条 乙。\n\n\
               第二条 又乙。\n\n\
               第二章 空章\n\n\
               第四章 附则\n\n\
               第四条 丁。\n";
    let mut many = String::from("千部之书\n\n");
    for p in 1..=1000 {
        writeln!(many, "第{p}部分 标题{p}\n\n正文第{p}段。\n").unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let m = manifest(&[("doc", "doc.txt"), ("many", "many.txt")]);
    let seeds = seeds_with(
        dir.path(),
        "seeds",
        &[
            ("manifest.yaml", m.as_bytes()),
            ("doc.txt", doc.as_bytes()),
            ("many.txt", many.as_bytes()),
        ],
    );
    let out = dir.path().join("site");
    let err = build_ok(&seeds, &out);
    let file = seeds.join("doc.txt").display().to_string();
    for (line, what) in [
        (5, "clause numbers jump from 1 to 3"),
        (7, "clause number 2 repeats or goes back after 3"),
        (9, "clause number 2 repeats or goes back after 2"),
        (13, "part numbers jump from 2 to 4"),
    ] {
        assert!(
            err.contains(&format!("warning: {what}")) && err.contains(&format!("{file}:{line}:")),
            "no warning `{what}` on line {line}: {err}"
        );
    }
    for (slug, text) in [("doc", doc), ("many", many.as_str())] {
        let d = data(&out, slug);
        let ids: Vec<&str> = blocks(&d)
            .iter()
            .map(|b| b["id"].as_str().unwrap())
            .collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{slug}: duplicate ids");
        assert_eq!(kept_letters(&d), letters([text]), "{slug}: text lost");
    }
    let d = data(&out, "doc");
    let ids: Vec<&str> = blocks(&d)
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"c2") && ids.contains(&"c2-b") && ids.contains(&"p2"));
    let parts = blocks(&data(&out, "many"))
        .iter()
        .filter(|b| b["kind"] == "part")
        .count();
    assert_eq!(parts, 1000);
    assert!(
        !err.contains("many.txt:"),
        "warnings on a correct document: {err}"
    );
}

// ---------------------------------------------------------------------------------------
// The manifest.

#[test]
fn manifest_errors_name_the_line_and_nothing_is_written() {
    let doc = |slug: &str, file: &str, lang: &str| {
        format!(
            "  - slug: {slug}\n    kind: guideline\n    versions: [{{file: {file}, lang: {lang}}}]\n"
        )
    };
    let head = "site: {title: Test}\ndocuments:\n";
    let ok = doc("a", "a.txt", "zh-Hans");
    let cases: Vec<(&str, String, &str)> = vec![
        ("malformed YAML", format!("{head}{ok}  - slug: [b\n"), ":6:"),
        (
            "unknown key",
            format!("{head}{ok}    colour: red\n"),
            ":6:5: unknown field `colour`, expected one of slug, kind, date, title,",
        ),
        (
            "missing file",
            format!("{head}{ok}{}", doc("b", "gone.txt", "en")),
            ":8:",
        ),
        (
            "duplicate slug",
            format!("{head}{ok}{}", doc("a", "b.txt", "en")),
            ":6:11: duplicate slug \"a\" (first used on line 3)",
        ),
        (
            "slug ../x",
            format!("{head}{}", doc("../x", "a.txt", "en")),
            ":3:11: invalid slug",
        ),
        (
            "slug /etc",
            format!("{head}{}", doc("/etc", "a.txt", "en")),
            ":3:11: invalid slug",
        ),
        (
            "slug a/b",
            format!("{head}{}", doc("a/b", "a.txt", "en")),
            ":3:11: invalid slug",
        ),
        (
            "slug CON",
            format!("{head}{}", doc("CON", "a.txt", "en")),
            ":3:11: invalid slug",
        ),
        (
            "empty slug",
            format!("{head}{}", doc("\"\"", "a.txt", "en")),
            ":3:11: invalid slug",
        ),
        (
            "language tag",
            format!("{head}{}", doc("a", "a.txt", "chinese_simplified")),
            "is not a BCP 47 language tag",
        ),
    ];
    for (what, yaml, want) in cases {
        let dir = tempfile::tempdir().unwrap();
        let seeds = seeds_with(
            dir.path(),
            "seeds",
            &[
                ("manifest.yaml", yaml.as_bytes()),
                ("a.txt", "一、总体要求\n".as_bytes()),
                ("b.txt", "1. General\n".as_bytes()),
            ],
        );
        let out = dir.path().join("site");
        let (ok, err) = build(&seeds, &out);
        assert!(!ok, "{what}: built");
        let named = if let Some((pos, msg)) = want.split_once(": ") {
            // Position and message print on lines of their own.
            err.contains(&format!("{}{pos}", seeds.join("manifest.yaml").display()))
                && err.contains(msg)
        } else {
            err.contains(&format!("{}:", seeds.join("manifest.yaml").display()))
                && err.contains(want)
        };
        assert!(named, "{what}: want {want:?} in {err}");
        assert!(err.contains("hint:"), "{what}: no hint in {err}");
        let written: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(written, ["seeds"], "{what}: something was written");
    }
}

// ---------------------------------------------------------------------------------------
// Hostile text.

#[test]
fn hostile_seed_text_is_shown_as_text_in_pages_titles_and_meta_tags() {
    let hostile = "<script>alert(1)</script>标题 {{ 7*7 }} <!-- c -->\n\n\
                   为落实意见\0，提出\u{202e}如下\u{2066}意见。<img src=x onerror=alert(1)> \
                   [a](javascript:alert(1)) <a href=\"javascript:alert(2)\">链接</a> \
                   {% raw %}{{ x }}{% endraw %} <!-- hidden --> ]]> </p></title>\n\n\
                   一、总体要求\n\n（一）加强领导<svg onload=alert(3)>。要求。\n";
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds_with(dir.path(), "seeds", &[("evil.txt", hostile.as_bytes())]);
    let out = dir.path().join("site");
    let err = build_ok(&seeds, &out);
    assert!(
        err.contains("evil.txt:3:")
            && err.contains("1 control character(s) removed, the first U+0000"),
        "{err}"
    );
    let pages: Vec<PathBuf> = ["index.html", "evil/index.html", "404.html"]
        .iter()
        .map(|p| out.join(p))
        .collect();
    for page in &pages {
        let html = fs::read_to_string(page).unwrap();
        let name = page.display();
        for injected in [
            "<script>alert",
            "<img src=x",
            "<svg",
            "href=\"javascript:",
            "<!-- c",
            "<!-- hidden",
            "</p></title>",
        ] {
            assert!(!html.contains(injected), "{name}: {injected} injected");
        }
        assert!(!html.contains('\0'), "{name}: NUL in the page");
        assert!(!html.contains("49"), "{name}: template syntax evaluated");
    }
    let html = fs::read_to_string(out.join("evil/index.html")).unwrap();
    let title = html
        .split_once("<title>")
        .and_then(|(_, r)| r.split_once("</title>"))
        .unwrap()
        .0;
    assert!(
        title.starts_with("&lt;script&gt;alert(1)&lt;/script&gt;标题 {{ 7*7 }} &lt;!-- c --&gt;"),
        "{title}"
    );
    let meta = html
        .split_once("<meta name=\"description\" content=\"")
        .unwrap()
        .1
        .split_once('"')
        .unwrap()
        .0;
    assert!(
        meta.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{meta}"
    );
    assert!(
        meta.contains("href=&quot;javascript:alert(2)&quot;")
            || meta.contains("href=&#34;javascript:alert(2)&#34;"),
        "{meta}"
    );
    for shown in [
        "&lt;img src=x onerror=alert(1)&gt;",
        "[a](javascript:alert(1))",
        "{% raw %}{{ x }}{% endraw %}",
        "&lt;!-- hidden --&gt;",
        "如下\u{2066}意见",
        "\u{202e}",
        "&lt;svg onload=alert(3)&gt;",
    ] {
        assert!(html.contains(shown), "not shown as text: {shown}");
    }
    // The data file keeps the text too (bidi controls included, NUL removed).
    let d = data(&out, "evil");
    let all: String = blocks(&d)
        .iter()
        .filter_map(|b| b["text"].as_str())
        .collect();
    assert!(all.contains("为落实意见，提出\u{202e}如下\u{2066}意见。<img src=x onerror=alert(1)>"));
}

// ---------------------------------------------------------------------------------------
// Where the site goes.

#[test]
fn unsafe_output_folders_are_refused_and_nothing_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds_with(
        dir.path(),
        "seeds",
        &[("a.txt", "一、总体要求\n".as_bytes())],
    );
    let home = dir.path().join("home");
    fs::create_dir(&home).unwrap();
    fs::write(home.join(".profile"), "keep").unwrap();
    let foreign = dir.path().join("thesis");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("ch1.tex"), "keep").unwrap();
    let file = dir.path().join("notes.txt");
    fs::write(&file, "keep").unwrap();
    let before = snapshot(dir.path());
    let cases: [(&Path, &str); 5] = [
        (Path::new("/"), "it is the root of the file system"),
        (&home, "it is your home folder"),
        (&seeds, "it is, holds or lies inside the seeds folder"),
        (&foreign, "was not written by clausebook"),
        (&file, "it is a file, not a folder"),
    ];
    for (out, want) in cases {
        let o = clausebook()
            .env("HOME", &home)
            .arg("build")
            .arg("--seeds")
            .arg(&seeds)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{}: {err}", out.display());
        assert!(
            err.contains("refusing") && err.contains(want),
            "{}: {err}",
            out.display()
        );
    }
    assert_eq!(snapshot(dir.path()), before, "a file changed");
}

/// A corpus large enough that writing the site takes a moment.
fn many_documents(dir: &Path, n: usize) -> PathBuf {
    let seeds = dir.join("seeds");
    fs::create_dir_all(&seeds).unwrap();
    for i in 0..n {
        let mut t = format!("第{i}号文件\n\n一、总体要求\n\n");
        for c in 1..=30 {
            writeln!(t, "（{c}）加强领导。推动西部大开发形成新格局{i}。\n").unwrap();
        }
        fs::write(seeds.join(format!("doc{i:03}.txt")), t).unwrap();
    }
    seeds
}

#[test]
fn a_build_killed_while_writing_leaves_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = many_documents(dir.path(), 1);
    let out = dir.path().join("site");
    build_ok(&seeds, &out);
    let before = snapshot(&out);
    let seeds = many_documents(dir.path(), 300);
    let mut caught = 0;
    for _ in 0..5 {
        let mut child = clausebook()
            .arg("build")
            .arg("--seeds")
            .arg(&seeds)
            .arg("--out")
            .arg(&out)
            .stderr(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let tmp = format!(".site.clausebook-new-{}", child.id());
        let start = Instant::now();
        let writing = loop {
            if dir.path().join(&tmp).exists() {
                break true;
            }
            if child.try_wait().unwrap().is_some() || start.elapsed() > Duration::from_secs(60) {
                break false;
            }
            std::thread::sleep(Duration::from_micros(200));
        };
        // Half way: some files written, not all.
        std::thread::sleep(Duration::from_millis(20));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        if writing && !status.success() {
            caught += 1;
            assert_eq!(snapshot(&out), before, "the previous site changed");
        }
        if caught > 0 {
            break;
        }
        // The build finished before it could be killed: start from the old site again.
        fs::remove_dir_all(&out).unwrap();
        build_ok(&many_documents(dir.path(), 1), &out);
    }
    assert!(caught > 0, "the build was never caught while writing");
    // The next build clears the half-written folder and succeeds.
    build_ok(&seeds, &out);
    let left: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("clausebook-"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(out.join("doc299/index.html").is_file());
}

/// Mounts a tmpfs of `size` at `at`; `Err` says why it cannot (not root, no permission).
fn mount_tmpfs(at: &Path, size: &str) -> Result<(), String> {
    let o = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(at)
        .output()
        .map_err(|e| format!("cannot run mount: {e}"))?;
    if o.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&o.stderr).trim().to_string())
    }
}

struct Mounted(PathBuf);
impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
#[cfg_attr(
    not(can_mount),
    ignore = "cannot mount a tmpfs: needs CAP_SYS_ADMIN when the tests are built and run \
              (root, outside a container)"
)]
fn a_read_only_output_location_is_a_clear_error_and_the_previous_site_stays() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("mnt");
    fs::create_dir(&mnt).unwrap();
    mount_tmpfs(&mnt, "16m").unwrap_or_else(|why| panic!("cannot mount a tmpfs: {why}"));
    let _m = Mounted(mnt.clone());
    let seeds = many_documents(dir.path(), 2);
    let out = mnt.join("site");
    build_ok(&seeds, &out);
    let before = snapshot(&out);
    let ro = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&mnt)
        .status()
        .unwrap();
    assert!(ro.success(), "remount read-only failed");
    fs::write(seeds.join("doc000.txt"), "一、变了\n").unwrap();
    // The new text drops published clauses; this test is about the output folder.
    let _ = fs::remove_file(seeds.join("anchors.lock"));
    let (ok, err) = build(&seeds, &out);
    assert!(!ok);
    assert!(err.contains("Read-only file system"), "{err}");
    assert!(
        err.contains("the previous site was left as it was"),
        "{err}"
    );
    assert_eq!(snapshot(&out), before);
}

#[test]
#[cfg_attr(
    not(can_mount),
    ignore = "cannot mount a tmpfs: needs CAP_SYS_ADMIN when the tests are built and run \
              (root, outside a container)"
)]
fn a_full_disk_is_a_clear_error_and_the_previous_site_stays() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("mnt");
    fs::create_dir(&mnt).unwrap();
    let small = many_documents(&dir.path().join("small"), 1);
    let probe = dir.path().join("probe");
    build_ok(&small, &probe);
    let size: u64 = snapshot(&probe)
        .values()
        .map(|b| b.len() as u64 + 4096)
        .sum();
    // Room for the small site twice over, not for the large one.
    mount_tmpfs(&mnt, &format!("{}k", (size * 3) / 1024))
        .unwrap_or_else(|why| panic!("cannot mount a small tmpfs to fill: {why}"));
    let _m = Mounted(mnt.clone());
    let out = mnt.join("site");
    build_ok(&small, &out);
    let before = snapshot(&out);
    let large = many_documents(&dir.path().join("large"), 40);
    let (ok, err) = build(&large, &out);
    assert!(!ok, "the large site fit");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains("hint: check free disk space"), "{err}");
    assert_eq!(snapshot(&out), before);
    let left: Vec<_> = fs::read_dir(&mnt)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, ["site"], "the half-written folder was not removed");
}

// ---------------------------------------------------------------------------------------
// Determinism.

#[test]
fn builds_are_identical_across_file_order_time_zone_and_locale() {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(repo_seeds())
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    let mut sites = Vec::new();
    for (i, (tz, lc)) in [("UTC", "C"), ("Asia/Shanghai", "zh_CN.UTF-8")]
        .into_iter()
        .enumerate()
    {
        let seeds = dir.path().join(format!("seeds{i}"));
        fs::create_dir_all(seeds.join("pages")).unwrap();
        // The second copy is written in the opposite order.
        let order: Vec<&(String, Vec<u8>)> = if i == 0 {
            files.iter().collect()
        } else {
            files.iter().rev().collect()
        };
        for (name, bytes) in order {
            fs::write(seeds.join(name), bytes).unwrap();
        }
        for e in fs::read_dir(repo_seeds().join("pages")).unwrap().flatten() {
            fs::copy(e.path(), seeds.join("pages").join(e.file_name())).unwrap();
        }
        let out = dir.path().join(format!("site{i}"));
        let o = clausebook()
            .env("TZ", tz)
            .env("LC_ALL", lc)
            .env("LANG", lc)
            .arg("build")
            .arg("--seeds")
            .arg(&seeds)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        sites.push(snapshot(&out));
    }
    assert!(sites[0].len() > 10);
    let differ: Vec<_> = sites[0]
        .iter()
        .filter(|(p, b)| sites[1].get(*p) != Some(*b))
        .map(|(p, _)| p)
        .collect();
    assert!(differ.is_empty(), "files differ: {differ:?}");
    assert_eq!(sites[0].len(), sites[1].len());
}
