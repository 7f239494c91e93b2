//! The index of one language: its units and, for every token, the units that hold it.
//!
//! Written as a classic script, `search/index-<lang>.js`, that calls
//! `clausebookSearch.register({...})`: a script, not a JSON file fetched, so that it loads
//! from `file://` as well as over HTTP. The object holds:
//!
//! - `lang`: the language; `langs`: every language that has an index;
//! - `docs`: `[slug, title, page]` of each document with a version in this language;
//! - `units`: `[doc, anchor, kind, label, head_len, alias, text]` (see [`Unit`]);
//! - `bigrams`: whether the tokens include Han bigrams (see `BIGRAM_MIN_UNITS`);
//! - `tokens`: the distinct tokens, space-separated; `postings`: for each token in the same
//!   order, the units holding it as ascending unit numbers, written as base-36 differences
//!   joined by `,`, the lists space-separated.

use super::tokenize::{each_token, normalize};
use super::units::Unit;
use crate::base::text::is_han;
use rustc_hash::FxHashMap;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// One document as the index of a language lists it.
#[derive(Debug, Clone)]
pub struct IndexDoc {
    /// The document's slug.
    pub slug: String,
    /// The title of the version in this language.
    pub title: String,
    /// The page of that version, from the site root.
    pub page: String,
}

/// From how many units of a language on the index lists Han bigrams as well as single
/// characters. Every candidate is checked against its text, so bigrams only make the
/// candidate sets smaller; on a small library that saves microseconds and costs much of
/// the download (on the five seeds, bigram lists would add 117 kB raw, 49 kB gzipped, to
/// an index of 155 Chinese units), on a large one it saves checking many texts.
pub(crate) const BIGRAM_MIN_UNITS: usize = 2000;

/// Whether `t` is a Han bigram token.
fn is_bigram(t: &str) -> bool {
    let mut cs = t.chars();
    matches!((cs.next(), cs.next(), cs.next()), (Some(a), Some(b), None) if is_han(a) && is_han(b))
}

/// The normalized searchable text of each unit ([`Unit::searchable`], [`normalize`]),
/// in parallel: what the index is made of.
pub(crate) fn normalized(units: &[&Unit]) -> Vec<String> {
    use rayon::prelude::*;
    units
        .par_iter()
        .map(|u| normalize(&u.searchable()))
        .collect()
}

/// The token ─► units lists of units given by their normalized texts ([`normalized`]):
/// for each token (Han bigrams only if `bigrams`), in token order, the ascending positions
/// of the units whose text has it.
pub(crate) fn postings(norms: &[String], bigrams: bool) -> Vec<(&str, Vec<usize>)> {
    lists_in_runs(norms, |norm, push| {
        each_token(norm, |t| {
            if bigrams || !is_bigram(t) {
                push(t);
            }
        })
    })
}

/// The ascending list of the units holding each key that `keys` finds in a unit's text
/// (handing it to its `push` argument, any number of times, as a slice of the text), by
/// key in byte order. Runs of units are gone through in parallel, each into a hash map;
/// the maps are merged in the order of the runs, so every list stays ascending, and the
/// keys are sorted once at the end.
pub(crate) fn lists_in_runs<'a>(
    norms: &'a [String],
    keys: impl Fn(&'a str, &mut dyn FnMut(&'a str)) + Sync,
) -> Vec<(&'a str, Vec<usize>)> {
    use rayon::prelude::*;
    // Runs of at least 256 units, about sixteen of them on a large index: enough to keep
    // every core busy, few enough that merging the maps costs little.
    let run_len = (norms.len() / 16).max(256);
    let runs: Vec<FxHashMap<&str, Vec<usize>>> = norms
        .par_chunks(run_len)
        .enumerate()
        .map(|(r, run)| {
            let mut map: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
            for (k, norm) in run.iter().enumerate() {
                let i = r * run_len + k;
                keys(norm, &mut |t| {
                    let list = map.entry(t).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                });
            }
            map
        })
        .collect();
    let mut runs = runs.into_iter();
    let mut map = runs.next().unwrap_or_default();
    for run in runs {
        for (t, ids) in run {
            map.entry(t).or_default().extend(ids);
        }
    }
    let mut lists: Vec<(&str, Vec<usize>)> = map.into_iter().collect();
    lists.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    lists
}

/// Writes ascending numbers as base-36 differences joined by `,`: `[3, 5, 40]` ─► `3,2,z`.
pub(crate) fn encode_list(ids: &[usize]) -> String {
    let mut out = String::with_capacity(ids.len() * 3);
    let mut prev = 0;
    for (k, &id) in ids.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        push_base36(&mut out, id - prev);
        prev = id;
    }
    out
}

/// Appends `n` in base 36 (digits `0-9a-z`).
fn push_base36(out: &mut String, mut n: usize) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    // 13 base-36 digits hold any 64-bit number.
    let mut buf = [0u8; 13];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = DIGITS[n % 36];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[at..]).expect("ASCII digits"));
}

/// The script text of the index of `lang`: `clausebookSearch.register({...});`. The index
/// lists Han bigrams if `bigrams`.
pub fn script(
    lang: &str,
    langs: &[String],
    docs: &[IndexDoc],
    units: &[&Unit],
    bigrams: bool,
) -> String {
    let doc_pos: BTreeMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.slug.as_str(), i))
        .collect();
    let unit_rows: Vec<Value> = units
        .iter()
        .map(|u| {
            json!([
                doc_pos.get(u.slug.as_str()).copied().unwrap_or(0),
                u.anchor,
                u.kind,
                u.label,
                u.head_len,
                u.alias,
                u.text
            ])
        })
        .collect();
    let norms = normalized(units);
    let map = postings(&norms, bigrams);
    let tokens: Vec<&str> = map.iter().map(|(t, _)| *t).collect();
    let lists: Vec<String> = map.iter().map(|(_, ids)| encode_list(ids)).collect();
    let data = json!({
        "lang": lang,
        "bigrams": bigrams,
        "langs": langs,
        "docs": docs.iter().map(|d| json!([d.slug, d.title, d.page])).collect::<Vec<_>>(),
        "units": unit_rows,
        "tokens": tokens.join(" "),
        "postings": lists.join(" "),
    });
    format!(
        "/* clausebook search index: {lang}. Generated; see static/search.js. */\n\
         clausebookSearch.register({});\n",
        serde_json::to_string(&data).expect("the index serializes")
    )
}

/// The path of the index of `lang`, from the site root.
pub(crate) fn index_path(lang: &str) -> String {
    format!("search/index-{lang}.js")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_only_when_asked() {
        let u = Unit {
            slug: "s".into(),
            lang: "zh-Hans".into(),
            page: "s/index.html".into(),
            anchor: "c1".into(),
            kind: crate::model::BlockKind::Clause,
            label: "(一)".into(),
            alias: "(1)".into(),
            text: "(一)西部 Road".into(),
            head_len: 3,
        };
        let norms = normalized(&[&u]);
        let keys = |b| {
            postings(&norms, b)
                .into_iter()
                .map(|(t, _)| t)
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(false), ["1", "road", "一", "西", "部"]);
        assert_eq!(keys(true), ["1", "road", "一", "西", "西部", "部"]);
    }

    #[test]
    fn lists_are_base36_differences() {
        assert_eq!(encode_list(&[3, 5, 40]), "3,2,z");
        assert_eq!(encode_list(&[0, 36, 1332]), "0,10,100");
        assert_eq!(encode_list(&[]), "");
        assert_eq!(encode_list(&[usize::MAX]), "3w5e11264sgsf");
    }
}
