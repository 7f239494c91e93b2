//! Tests of the search code that runs in the browser ([`super::SEARCH_JS`]).
//!
//! The logic of the script (tokenizer, query words, ranking, snippets, sharded loading)
//! is tested in JavaScript, `static/search/test/*.test.js`, run by Node.js's own test
//! runner on the real parts and on the joined script. This module writes what those tests
//! read into a temporary folder (named to them in `CLAUSEBOOK_SEARCH_FIXTURE`): the joined
//! script, the part names, what the Rust tokenizer makes of sample texts (which the
//! JavaScript tokenizer must match), and the indexes of a small library written by the
//! build's own index code, as single files and sharded.
//!
//! Without `node` (18 or later) when the tests were built, the test is ignored with the
//! reason (the build script's `has_node`); with `CLAUSEBOOK_REQUIRE_TOOLS=1`, as CI sets,
//! the integration test `every_outside_tool_was_found` fails instead.

use super::index::{self, IndexDoc};
use super::tokenize::{normalize, query_words, tokens};
use super::units::{Unit, utf16_len};
use super::{SEARCH_JS, SEARCH_PARTS, shard};
use crate::model::BlockKind;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A unit of the small library the tests search.
fn unit(slug: &str, lang: &str, anchor: &str, kind: BlockKind, head: &str, rest: &str) -> Unit {
    let label = head
        .split_whitespace()
        .next()
        .filter(|_| kind == BlockKind::Clause)
        .unwrap_or("")
        .replace('（', "(")
        .replace('）', ")");
    let alias = match label.as_str() {
        "(一)" => "(1)",
        "(二)" => "(2)",
        _ => "",
    };
    Unit {
        slug: slug.into(),
        lang: lang.into(),
        page: String::new(),
        anchor: anchor.into(),
        kind,
        label,
        alias: alias.into(),
        text: format!("{head}{rest}"),
        head_len: utf16_len(head),
    }
}

/// The small library: three documents in English (the third, `annex`, long and made of
/// filler), one in Chinese. The tests rely on the
/// texts as they stand here (see `rank.test.js`).
fn library() -> Vec<(String, Vec<IndexDoc>, Vec<Unit>)> {
    use BlockKind::{Clause, Title};
    let doc = |slug: &str, title: &str, page: &str| IndexDoc {
        slug: slug.into(),
        title: title.into(),
        page: page.into(),
    };
    let mut en = vec![
        unit("guide", "en", "title", Title, "Belt and Road Guide", ""),
        // The same words and length: only the order of the words differs.
        unit("guide", "en", "c1", Clause, "(1)", " Belt and road links."),
        unit("guide", "en", "c2", Clause, "(2)", " Road and belt links."),
        // The same length: "customs" in the heading of one, the text of the other.
        unit(
            "notes",
            "en",
            "c1",
            Clause,
            "(1) Customs",
            "\nGoods pass the border.",
        ),
        unit(
            "notes",
            "en",
            "c2",
            Clause,
            "(2) Goods",
            "\nCustoms pass the border.",
        ),
    ];
    // Enough text for several unit chunks when sharded, none of it holding the words of
    // the other units.
    en.extend((0..40).map(|i| {
        let rest = " lorem ipsum dolor sit amet".repeat(25);
        unit(
            "annex",
            "en",
            &format!("c{i}"),
            Clause,
            &format!("({i})"),
            &rest,
        )
    }));
    let zh = vec![
        unit("guide", "zh-Hans", "title", Title, "一带一路指南", ""),
        unit(
            "guide",
            "zh-Hans",
            "c1",
            Clause,
            "（一）",
            "推进一带一路建设，共商共建共享。",
        ),
        // Every token of 一带一路, but not the word.
        unit(
            "guide",
            "zh-Hans",
            "c2",
            Clause,
            "（二）",
            "一带、一路，分开写。",
        ),
    ];
    vec![
        (
            "en".into(),
            vec![
                doc("guide", "Guide", "guide/en.html"),
                doc("notes", "Notes", "notes/en.html"),
                doc("annex", "Annex", "annex/en.html"),
            ],
            en,
        ),
        (
            "zh-Hans".into(),
            vec![doc("guide", "一带一路指南", "guide/index.html")],
            zh,
        ),
    ]
}

/// Texts whose normalized form and tokens the JavaScript tokenizer must make as the Rust
/// one does: mixed scripts, widths and cases, and each end of every Han range with its
/// neighbours outside it.
fn sample_texts() -> Vec<String> {
    let mut texts: Vec<String> = [
        "一带一路",
        "一带一路 Belt-and-Road 2020年",
        "“一带一路”建设，共商共建共享。",
        "（八）第八条 (8)",
        "Ｂｅｌｔ　and ROAD ①② ㎡ ﬁnance",
        "ΣΑΣ. İstanbul Straße Ǆemal",
        "Ｃａｆé CAFÉ cafe\u{301}",
        "〇々〆 𠀀𠀁 丽",
        "5G网络 Poverty-Alleviation 2020年5月17日",
        "tab\tnewline\nnbsp\u{a0}ideographic\u{3000}end",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let edges = [
        0x2E7F, 0x2E80, 0x2FDF, 0x2FE0, 0x3004, 0x3005, 0x3006, 0x3007, 0x3008, 0x3020, 0x3021,
        0x3029, 0x302A, 0x3037, 0x3038, 0x303B, 0x303C, 0x33FF, 0x3400, 0x4DBF, 0x4DC0, 0x4DFF,
        0x4E00, 0x9FFF, 0xA000, 0xF8FF, 0xF900, 0xFAFF, 0xFB00, 0x1FFFF, 0x20000, 0x2A6DF, 0x3FFFD,
        0x40000,
    ];
    for cp in edges {
        if let Some(c) = char::from_u32(cp) {
            texts.push(format!("a{c}{c}b {c}1"));
        }
    }
    texts
}

/// Queries whose words the JavaScript must split as [`query_words`] does.
fn sample_queries() -> Vec<&'static str> {
    vec![
        "一带一路",
        "  \"Belt  and Road\"  西部 (8)",
        "\"unclosed phrase",
        "西部　大开发",
        "（八） ＲＯＡＤ",
        "a\u{a0}b\u{2003}c\u{85}d",
        "\"\" \"  \"",
        "   ",
    ]
}

/// Writes the fixture folder the JavaScript tests read (see `static/search/test/harness.js`).
fn write_fixture(dir: &Path) {
    let write = |rel: &str, bytes: &[u8]| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    write("search.js", SEARCH_JS.as_bytes());
    write(
        "parts.json",
        serde_json::to_string(SEARCH_PARTS).unwrap().as_bytes(),
    );
    let texts: Vec<_> = sample_texts()
        .into_iter()
        .map(|t| {
            let norm = normalize(&t);
            json!({"text": t, "normalized": norm, "tokens": tokens(&norm)})
        })
        .collect();
    let queries: Vec<_> = sample_queries()
        .into_iter()
        .map(|q| json!({"query": q, "words": query_words(q)}))
        .collect();
    write(
        "rust.json",
        serde_json::to_string_pretty(&json!({"texts": texts, "queries": queries}))
            .unwrap()
            .as_bytes(),
    );
    let lib = library();
    let langs: Vec<String> = lib.iter().map(|(l, _, _)| l.clone()).collect();
    for (lang, docs, units) in &lib {
        let refs: Vec<&Unit> = units.iter().collect();
        // Single files without bigrams, as a small library has them; sharded with them.
        write(
            &format!("single/{}", super::index_path(lang)),
            index::script(lang, &langs, docs, &refs, false).as_bytes(),
        );
        for f in shard::files(lang, &langs, docs, &refs, true) {
            write(&format!("sharded/{}", f.path), &f.bytes);
        }
    }
}

#[test]
fn the_parts_listed_are_the_part_files() {
    let dir = repo().join("static/search");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".js").map(str::to_string))
        .collect();
    files.sort();
    let mut listed: Vec<String> = SEARCH_PARTS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "every file static/search/*.js is a part of the search script: list it in \
         `search_parts!` (src/search/mod.rs), in its place"
    );
    let joined: String = SEARCH_PARTS
        .iter()
        .map(|p| std::fs::read_to_string(dir.join(format!("{p}.js"))).unwrap())
        .collect();
    assert!(
        joined == SEARCH_JS,
        "SEARCH_JS is not the part files joined in the order of SEARCH_PARTS"
    );
    // One classic script: one function, run at once, and nothing a module would need.
    assert!(SEARCH_JS.starts_with("/* clausebook search"));
    assert!(SEARCH_JS.ends_with("\n})();\n"));
    for line in SEARCH_JS.lines() {
        let t = line.trim_start();
        assert!(
            !t.starts_with("import ") && !t.starts_with("export "),
            "a module statement in the search script: {line}"
        );
    }
}

#[test]
#[cfg_attr(
    not(has_node),
    ignore = "Node.js 18 or later not found when the tests were built: install nodejs"
)]
fn the_search_script_passes_its_node_tests() {
    let tmp = tempfile::tempdir().unwrap();
    write_fixture(tmp.path());
    let tests_dir = repo().join("static/search/test");
    let mut tests: Vec<PathBuf> = std::fs::read_dir(&tests_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".test.js"))
        .collect();
    tests.sort();
    assert!(
        tests.len() >= 3,
        "no JavaScript tests in {}",
        tests_dir.display()
    );
    let out = Command::new("node")
        .args(["--test", "--test-reporter=tap"])
        .args(&tests)
        .current_dir(repo())
        .env("CLAUSEBOOK_SEARCH_FIXTURE", tmp.path())
        .output()
        .expect("node runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "the search script's JavaScript tests failed:\n{report}"
    );
    // The runner found and ran the tests, every one of them passed (a file that failed to
    // load counts as a failed test).
    let count = |what: &str| -> Option<usize> {
        report
            .lines()
            .find_map(|l| l.strip_prefix(&format!("# {what} ")))
            .and_then(|n| n.trim().parse().ok())
    };
    assert_eq!(count("fail"), Some(0), "{report}");
    assert!(count("pass").is_some_and(|n| n >= 20), "{report}");
}
