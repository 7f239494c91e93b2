//! Search: the build-time half of the site's search field.
//!
//! The stage runs after align and before render. It cuts every version into units
//! ([`units`]), tokenizes their text ([`tokenize`]) and writes one index per language,
//! `search/index-<lang>.js` ([`index`]), a classic script that registers itself with
//! `static/search.js`; above `shard::SINGLE_MAX` that file is the directory of an index
//! split into small pieces that a query loads as it needs them ([`shard`]). The browser loads the index of its page's language on the first
//! focus of the search field and only queries it: no `fetch`, no modules, no workers, so
//! it works from `file://` as well as over HTTP.
//!
//! A unit is found by a query when every query word, normalized, is a substring of the
//! unit's normalized text (what Ctrl+F on the page would find); the index only narrows the
//! candidates, and the browser checks each one against the text.

pub mod index;
pub mod shard;
pub mod tokenize;
pub mod units;

#[cfg(test)]
mod script_tests;

pub(crate) use index::index_path;

use crate::base::{OutputFile, Problem};
use crate::model::Library;
use std::fmt;

/// Declares [`SEARCH_PARTS`] and [`SEARCH_JS`] from one list of part names, so the parts
/// joined and the parts the tests load cannot differ.
macro_rules! search_parts {
    ($($name:literal),+ $(,)?) => {
        /// The parts of the search code, in the order they are joined: the files
        /// `static/search/<name>.js`, one job each. `begin` opens the script's one function
        /// and `end` closes it (neither runs alone); each part between is a run of
        /// declarations of that function.
        #[cfg(test)]
        pub(crate) const SEARCH_PARTS: &[&str] = &[$($name),+];

        /// The search code, written to `static/search.js` (a file of that name in
        /// `<seeds>/static/` replaces it): the parts of [`SEARCH_PARTS`] joined at compile
        /// time into one classic script, so the site needs no modules and works from
        /// `file://`.
        pub(crate) const SEARCH_JS: &str =
            concat!($(include_str!(concat!("../../static/search/", $name, ".js"))),+);
    };
}

search_parts!(
    "begin",    // what the script is; opens its function
    "tokenize", // normalizing, index tokens, query words: as tokenize.rs
    "load",     // registering indexes and their pieces, loading scripts
    "rank",     // candidates from the postings, scores, single-file queries
    "shard",    // queries on sharded indexes; `search`, the entry of the field
    "snippet",  // the text around a hit, hits marked
    "ui",       // the search field, its filters and results
    "end",      // the public object, the fields set up; closes the function
);

/// Why the search stage failed: the kind of failure, and the [`Problem`] as the user
/// reads it.
#[derive(Debug)]
pub struct SearchError {
    /// What failed.
    pub kind: SearchErrorKind,
    /// What is wrong and what to do (search knows no file or line; boxed, since errors
    /// travel up every stage's `Result`).
    pub problem: Box<Problem>,
}

/// The kinds of [`SearchError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchErrorKind {
    /// A version's language tag cannot name an index file.
    BadLanguage {
        /// The document's slug.
        slug: String,
        /// The language tag.
        lang: String,
    },
}

impl SearchError {
    fn new(problem: Problem, kind: SearchErrorKind) -> SearchError {
        SearchError {
            kind,
            problem: Box::new(problem),
        }
    }

    /// The version of document `slug` in `lang` cannot have an index file of that name.
    pub(crate) fn bad_language(slug: &str, lang: &str) -> SearchError {
        SearchError::new(
            Problem {
                message: format!(
                    "search: document `{slug}`: the language tag `{lang}` cannot name an index \
                     file"
                ),
                hint: Some("use a BCP 47 tag such as `zh-Hans` or `en` in the manifest".into()),
                ..Problem::default()
            },
            SearchErrorKind::BadLanguage {
                slug: slug.to_string(),
                lang: lang.to_string(),
            },
        )
    }
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem.fmt(f)
    }
}

impl std::error::Error for SearchError {}

/// The languages that have an index, in order of first appearance in the library.
pub fn languages(lib: &Library) -> Vec<String> {
    let mut langs: Vec<String> = Vec::new();
    for v in lib.documents.iter().flat_map(|d| &d.versions) {
        if !langs.contains(&v.lang) {
            langs.push(v.lang.clone());
        }
    }
    langs
}

/// The documents and units of the index of `lang`.
pub fn parts_of(lib: &Library, lang: &str) -> (Vec<index::IndexDoc>, Vec<units::Unit>) {
    let these = units::units(lib)
        .into_iter()
        .filter(|u| u.lang == lang)
        .collect();
    (index_docs(lib, lang), these)
}

/// The documents with a version in `lang`, as the index lists them.
fn index_docs(lib: &Library, lang: &str) -> Vec<index::IndexDoc> {
    lib.documents
        .iter()
        .filter_map(|d| {
            let i = d.versions.iter().position(|v| v.lang == lang)?;
            Some(index::IndexDoc {
                slug: d.slug.clone(),
                title: d.versions[i].title.clone(),
                page: units::page_of(d, i),
            })
        })
        .collect()
}

/// The index files of the library: per language one file, or a directory and its pieces.
pub fn build(lib: &Library) -> Result<Vec<OutputFile>, SearchError> {
    for d in &lib.documents {
        for v in &d.versions {
            let safe = !v.lang.is_empty()
                && v.lang
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if !safe {
                return Err(SearchError::bad_language(&d.slug, &v.lang));
            }
        }
    }
    let langs = languages(lib);
    // The units of every language at once, then each language's index in parallel.
    let all = units::units(lib);
    use rayon::prelude::*;
    let per_lang: Vec<Vec<OutputFile>> = langs
        .par_iter()
        .map(|lang| {
            let docs = index_docs(lib, lang);
            let these: Vec<&units::Unit> = all.iter().filter(|u| &u.lang == lang).collect();
            let bigrams = these.len() >= index::BIGRAM_MIN_UNITS;
            // The single file holds every unit's text: above the limit on text alone, it
            // is not worth writing out to measure.
            let text: usize = these.iter().map(|u| u.text.len()).sum();
            let single = (text <= shard::SINGLE_MAX)
                .then(|| index::script(lang, &langs, &docs, &these, bigrams))
                .filter(|s| s.len() <= shard::SINGLE_MAX);
            match single {
                Some(single) => vec![OutputFile {
                    path: index_path(lang),
                    bytes: single.into_bytes(),
                }],
                None => shard::files(lang, &langs, &docs, &these, bigrams),
            }
        })
        .collect();
    Ok(per_lang.into_iter().flatten().collect())
}

/// The stage on the five seeds: the shared tokenizer cases, what the units cover, the
/// index files and their determinism. The browser side is in `tests/it/search_browser.rs`.
#[cfg(test)]
mod tests {
    use crate::model::walk_blocks;
    use crate::search::{self, tokenize, units};
    use serde_json::Value;
    use std::path::Path;

    fn fixture(name: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn seeds_library() -> crate::model::Library {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        crate::build::load(&seeds)
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
                assert_eq!(u.kind, crate::model::BlockKind::Title);
                assert!(
                    !v.blocks
                        .iter()
                        .any(|b| b.kind == crate::model::BlockKind::Title)
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
                    .any(|b| b.kind == crate::model::BlockKind::Title)
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
}
