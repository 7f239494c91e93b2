//! The search stage on the five seeds: the shared tokenizer cases, what the units cover,
//! the index files and their determinism. The browser side is in `tests/it/search_browser.rs`.

use clausebook::model::walk_blocks;
use clausebook::search::{self, tokenize, units};
use serde_json::Value;
use std::path::Path;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn seeds_library() -> clausebook::model::Library {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    clausebook::build::load(&seeds)
        .unwrap_or_else(|e| panic!("loading the seeds: {e}"))
        .library
}

#[test]
fn tokenizer_passes_the_shared_cases() {
    let cases: Value = serde_json::from_str(&fixture("tokenizer-cases.json")).unwrap();
    let cases = cases["cases"].as_array().expect("cases");
    assert!(cases.len() >= 20, "the fixture should hold many cases");
    let mut failures = Vec::new();
    for c in cases {
        let input = c["input"].as_str().unwrap();
        let norm = tokenize::normalize(input);
        let got = serde_json::json!({
            "normalized": norm,
            "tokens": tokenize::tokens(&norm),
            "words": tokenize::query_words(input),
        });
        for key in ["normalized", "tokens", "words"] {
            if got[key] != c[key] {
                failures.push(format!(
                    "{input:?}: {key} is {}, the fixture says {}",
                    got[key], c[key]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every Han character, letter and digit of every version's blocks is in the searchable
/// text of its units, as often as in the blocks: nothing is out of search's reach, and
/// nothing is counted twice.
#[test]
fn units_cover_every_character_once() {
    let lib = seeds_library();
    let all = units::units(&lib);
    assert!(all.len() > 150, "only {} units", all.len());
    for doc in &lib.documents {
        for v in &doc.versions {
            let count = |s: &str, into: &mut std::collections::BTreeMap<char, i64>, k: i64| {
                for c in s.chars().filter(|c| c.is_alphanumeric()) {
                    *into.entry(c).or_default() += k;
                }
            };
            let mut diff = std::collections::BTreeMap::new();
            for b in walk_blocks(&v.blocks) {
                for f in [&b.label, &b.title, &b.text].into_iter().flatten() {
                    count(f, &mut diff, 1);
                }
            }
            for u in all
                .iter()
                .filter(|u| u.slug == doc.slug && u.lang == v.lang)
            {
                if u.anchor.is_empty() {
                    // The display title of a seed without a title line: not in a block.
                    assert_eq!(
                        u.text,
                        v.title.split_whitespace().collect::<Vec<_>>().join(" ")
                    );
                    continue;
                }
                count(&u.text, &mut diff, -1);
            }
            diff.retain(|_, n| *n != 0);
            assert!(
                diff.is_empty(),
                "{} {}: characters whose count differs between blocks and units: {diff:?}",
                doc.slug,
                v.lang
            );
        }
    }
}

/// Units point at anchors that exist, and clause (八) is found by its Arabic form.
#[test]
fn units_name_real_anchors_and_clause_aliases() {
    let lib = seeds_library();
    let all = units::units(&lib);
    let mut untitled = 0;
    for u in &all {
        let doc = lib.documents.iter().find(|d| d.slug == u.slug).unwrap();
        let v = doc.versions.iter().find(|v| v.lang == u.lang).unwrap();
        if u.anchor.is_empty() {
            // A title the seed lacks opens the top of the page.
            assert_eq!(u.kind, clausebook::model::BlockKind::Title);
            assert!(
                !v.blocks
                    .iter()
                    .any(|b| b.kind == clausebook::model::BlockKind::Title)
            );
            untitled += 1;
            continue;
        }
        assert!(
            walk_blocks(&v.blocks).iter().any(|b| b.id == u.anchor),
            "{}#{} is no block",
            u.page,
            u.anchor
        );
    }
    let without_title_line = lib
        .documents
        .iter()
        .flat_map(|d| &d.versions)
        .filter(|v| {
            !v.blocks
                .iter()
                .any(|b| b.kind == clausebook::model::BlockKind::Title)
        })
        .count();
    assert_eq!(
        untitled, without_title_line,
        "every title without a title line is a unit"
    );
    let c8 = all
        .iter()
        .find(|u| u.page == "guideline/index.html" && u.anchor == "c8")
        .expect("guideline c8 is a unit");
    assert_eq!(tokenize::normalize(&c8.label), "(八)");
    assert_eq!(c8.alias, "(8)");
    assert!(tokenize::normalize(&c8.searchable()).contains("(八)"));
    assert!(tokenize::normalize(&c8.searchable()).contains("(8)"));
    let en8 = all
        .iter()
        .find(|u| u.page == "guideline/en.html" && u.anchor == "c8")
        .expect("guideline en c8 is a unit");
    assert_eq!(en8.alias, "", "(8) is printed already");
    assert!(en8.text.starts_with("(8)"), "{}", en8.text);
}

#[test]
fn one_index_per_language_and_deterministic() {
    let lib = seeds_library();
    let a = search::build(&lib).unwrap();
    let b = search::build(&lib).unwrap();
    assert_eq!(a, b, "two runs give the same bytes");
    let paths: Vec<&str> = a.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["search/index-zh-Hans.js", "search/index-en.js"]);
    for f in &a {
        let text = std::str::from_utf8(&f.bytes).unwrap();
        let json = text
            .lines()
            .find_map(|l| l.strip_prefix("clausebookSearch.register("))
            .and_then(|l| l.strip_suffix(");"))
            .expect("one register(...) call");
        let data: Value = serde_json::from_str(json).unwrap();
        let units = data["units"].as_array().unwrap();
        let tokens: Vec<&str> = data["tokens"].as_str().unwrap().split(' ').collect();
        let lists: Vec<&str> = data["postings"].as_str().unwrap().split(' ').collect();
        assert_eq!(tokens.len(), lists.len());
        assert!(tokens.len() > 1000, "{}: {} tokens", f.path, tokens.len());
        // Every posting names a unit whose text has the token.
        for (t, l) in tokens.iter().zip(&lists).step_by(37) {
            let mut n = 0usize;
            for d in l.split(',') {
                n += usize::from_str_radix(d, 36).unwrap();
                let u = &units[n];
                let text = format!("{}\n{}", u[5].as_str().unwrap(), u[6].as_str().unwrap());
                assert!(
                    tokenize::tokens(&tokenize::normalize(&text)).contains(&t.to_string()),
                    "{}: token {t:?} listed for unit {n} that lacks it",
                    f.path
                );
            }
        }
    }
}

#[test]
fn an_unusable_language_tag_is_an_error() {
    let mut lib = seeds_library();
    lib.documents[0].versions[0].lang = "../x".into();
    let err = search::build(&lib).unwrap_err().to_string();
    assert!(err.contains("guideline") && err.contains("../x"), "{err}");
}
