//! Search: the build-time half of the site's search field.
//!
//! The stage runs after align and before render. It cuts every version into units
//! ([`units`]), tokenizes their text ([`tokenize`]) and writes one index per language,
//! `search/index-<lang>.js` ([`index`]), a classic script that registers itself with
//! `static/search.js`; above [`shard::SINGLE_MAX`] that file is the directory of an index
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
