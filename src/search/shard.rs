//! The index of a large language, split into small classic scripts.
//!
//! While the whole index of a language fits in `SINGLE_MAX` bytes it stays one file,
//! `search/index-<lang>.js` ([`super::index::script`]). Above that, the same entry file
//! becomes a *directory* that the browser loads first, and the rest is written as pieces
//! that a query loads only when it needs them, each a classic script calling
//! `clausebookSearch.registerPart({...})` (so `file://` still works):
//!
//! - `search/<lang>/t<k>.js`, *term shards*: the tokens in sorted order, cut into runs of
//!   at most [`TERM_SHARD_MAX`] bytes, with their postings (as in the single file). The
//!   directory lists the first token of each shard, so a token's shard is found by binary
//!   search. Cutting by sorted token (by leading character, then the next) and by bytes
//!   keeps shards even whatever the mix of Han bigrams and Latin words: a frequent
//!   character with a long list gets a shard nearly to itself, a thousand rare bigrams
//!   share one.
//! - `search/<lang>/u<k>.js`, *unit chunks*: consecutive units (with the rows of their
//!   documents) cut into runs of at most [`CHUNK_MAX`] bytes, which give results their
//!   titles, snippets and the text to check a candidate against.
//! - `search/<lang>/docs.js`: every document of the language, for the document filter.
//!
//! A piece exceeds its limit only when it holds a single token or a single unit that is
//! larger by itself.
//!
//! The directory holds what a query needs before anything else: the number of units and
//! their mean normalized length (for ranking), where each document's and each chunk's units
//! start, the first token of each term shard and every word (non-Han) token, since a query
//! word is looked for inside words. Its term shards also list the pairs of characters
//! around label marks (`mark_pairs`), so that a query for a label narrows.

use super::index::{IndexDoc, encode_list, index_path, normalized, postings};
use super::units::{Unit, utf16_len};
use crate::base::OutputFile;
use crate::base::text::is_han;
use serde_json::{Value, json};

/// Up to this many bytes a language's index is one file.
pub(crate) const SINGLE_MAX: usize = 256 * 1024;

/// The most bytes of tokens and postings in one term shard (unless one token has more).
pub const TERM_SHARD_MAX: usize = 32 * 1024;

/// The most bytes of unit rows in one unit chunk (unless one unit has more).
pub const CHUNK_MAX: usize = 8 * 1024;

/// The path of term shard `k` of `lang`, from the site root.
pub(crate) fn term_path(lang: &str, k: usize) -> String {
    format!("search/{lang}/t{k}.js")
}

/// The path of unit chunk `k` of `lang`, from the site root.
pub(crate) fn chunk_path(lang: &str, k: usize) -> String {
    format!("search/{lang}/u{k}.js")
}

/// The path of the document list of `lang`, from the site root.
pub(crate) fn docs_path(lang: &str) -> String {
    format!("search/{lang}/docs.js")
}

fn register(comment: &str, data: &Value) -> Vec<u8> {
    format!(
        "/* clausebook search {comment}. Generated; see static/search.js. */\n\
         clausebookSearch.registerPart({});\n",
        serde_json::to_string(data).expect("the index serializes")
    )
    .into_bytes()
}

/// Cuts items of the given sizes into consecutive runs of at most `max` bytes (a run
/// holds at least one item); returns the index of the first item of each run.
pub(crate) fn cut(sizes: impl IntoIterator<Item = usize>, max: usize) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut filled = 0;
    for (i, size) in sizes.into_iter().enumerate() {
        if i == 0 || filled + size > max {
            starts.push(i);
            filled = 0;
        }
        filled += size;
    }
    starts
}

/// The characters whose neighbours a sharded index lists as pairs (`mark_pairs`): the
/// marks of clause and part labels, `(八)`, `二、`, `1.`, after normalization.
pub(crate) const MARKS: &str = "()、.";

/// For every pair of adjacent characters of a unit's normalized text of which one is in
/// [`MARKS`] and neither is white space, the units that hold it. A query word such as
/// `(八)` holds no token but `八`, found in most units; the pairs `(八` and `八)` narrow
/// it to about the units that hold it, so a query for a label loads the text of few units
/// to check. The pairs contain a mark, so they never equal a token.
pub(crate) fn mark_pairs(norms: &[String]) -> Vec<(&str, Vec<usize>)> {
    super::index::lists_in_runs(norms, |norm, push| {
        let mut prev: Option<(usize, char)> = None;
        for (i, c) in norm.char_indices() {
            if let Some((p, a)) = prev
                && (is_mark(a) || is_mark(c))
                && !a.is_whitespace()
                && !c.is_whitespace()
            {
                push(&norm[p..i + c.len_utf8()]);
            }
            prev = Some((i, c));
        }
    })
}

/// Whether `c` is one of [`MARKS`].
fn is_mark(c: char) -> bool {
    matches!(c, '(' | ')' | '、' | '.')
}

/// The files of the sharded index of `lang`: the directory at `search/index-<lang>.js`,
/// then the term shards, the unit chunks and the document list.
pub(crate) fn files(
    lang: &str,
    langs: &[String],
    docs: &[IndexDoc],
    units: &[&Unit],
    bigrams: bool,
) -> Vec<OutputFile> {
    let mut out = Vec::new();
    let positions: std::collections::HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.slug.as_str(), i))
        .collect();
    let doc_pos = |slug: &str| positions.get(slug).copied().unwrap_or(0);

    // Term shards.
    use rayon::prelude::*;
    let norms = normalized(units);
    let (mut map, marks) = rayon::join(|| postings(&norms, bigrams), || mark_pairs(&norms));
    // A pair holds a mark and a token never does, so the keys are distinct; two sorted
    // runs, which the stable sort merges in one pass.
    map.extend(marks);
    map.sort_by(|a, b| a.0.cmp(b.0));
    let entries: Vec<(&str, String)> = map
        .par_iter()
        .map(|(t, ids)| (*t, encode_list(ids)))
        .collect();
    let shard_starts = cut(
        entries.iter().map(|(t, l)| t.len() + l.len() + 2),
        TERM_SHARD_MAX,
    );
    let shard_first: Vec<&str> = shard_starts.iter().map(|&s| entries[s].0).collect();
    out.par_extend(shard_starts.par_iter().enumerate().map(|(k, &s)| {
        let e = shard_starts.get(k + 1).copied().unwrap_or(entries.len());
        let run = &entries[s..e];
        let data = json!({
            "lang": lang,
            "shard": k,
            "tokens": run.iter().map(|(t, _)| *t).collect::<Vec<_>>().join(" "),
            "postings": run.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join(" "),
        });
        OutputFile {
            path: term_path(lang, k),
            bytes: register(&format!("term shard {lang} {k}"), &data),
        }
    }));

    // Unit chunks.
    let rows: Vec<(usize, Value, usize)> = units
        .par_iter()
        .map(|u| {
            let d = doc_pos(&u.slug);
            let row = json!([d, u.anchor, u.kind, u.label, u.head_len, u.alias, u.text]);
            let size = row.to_string().len() + 1;
            (d, row, size)
        })
        .collect();
    // A chunk's bytes are its unit rows and the rows of their documents.
    let doc_row = |d: usize| json!([d, docs[d].slug, docs[d].title, docs[d].page]);
    let mut chunk_starts = Vec::new();
    let mut filled = 0;
    for (i, &(d, _, size)) in rows.iter().enumerate() {
        let new_doc = i == 0 || rows[i - 1].0 != d;
        let with_doc = size + doc_row(d).to_string().len() + 1;
        if i == 0 || filled + if new_doc { with_doc } else { size } > CHUNK_MAX {
            chunk_starts.push(i);
            filled = with_doc;
        } else {
            filled += if new_doc { with_doc } else { size };
        }
    }
    out.par_extend(chunk_starts.par_iter().enumerate().map(|(k, &s)| {
        let e = chunk_starts.get(k + 1).copied().unwrap_or(rows.len());
        let mut doc_rows: Vec<Value> = Vec::new();
        for (d, _, _) in &rows[s..e] {
            if doc_rows.last().and_then(|r| r[0].as_u64()) != Some(*d as u64) {
                doc_rows.push(doc_row(*d));
            }
        }
        let data = json!({
            "lang": lang,
            "chunk": k,
            "first": s,
            "docs": doc_rows,
            "units": rows[s..e].iter().map(|(_, r, _)| r).collect::<Vec<_>>(),
        });
        OutputFile {
            path: chunk_path(lang, k),
            bytes: register(&format!("unit chunk {lang} {k}"), &data),
        }
    }));

    // The document list.
    let data = json!({
        "lang": lang,
        "docList": docs.iter().map(|d| json!([d.slug, d.title, d.page])).collect::<Vec<_>>(),
    });
    out.push(OutputFile {
        path: docs_path(lang),
        bytes: register(&format!("documents {lang}"), &data),
    });

    // The directory.
    let mut doc_starts = Vec::with_capacity(docs.len());
    let mut next = 0;
    for (d, _) in docs.iter().enumerate() {
        while next < rows.len() && rows[next].0 < d {
            next += 1;
        }
        doc_starts.push(next);
    }
    let total_len: usize = norms.par_iter().map(|n| utf16_len(n)).sum();
    let words: Vec<&str> = map
        .iter()
        .map(|(t, _)| *t)
        .filter(|t| !t.chars().any(|c| is_han(c) || is_mark(c)))
        .collect();
    let dir = json!({
        "lang": lang,
        "langs": langs,
        "bigrams": bigrams,
        "sharded": true,
        "marks": MARKS,
        "count": units.len(),
        "avgLen": if units.is_empty() { 1.0 } else { total_len as f64 / units.len() as f64 },
        "docCount": docs.len(),
        "docStarts": encode_list(&doc_starts),
        "chunkStarts": encode_list(&chunk_starts),
        "shardFirst": shard_first.join(" "),
        "words": words.join(" "),
    });
    out.insert(
        0,
        OutputFile {
            path: index_path(lang),
            bytes: format!(
                "/* clausebook search index: {lang}, directory of a sharded index. Generated; \
                 see static/search.js. */\nclausebookSearch.register({});\n",
                serde_json::to_string(&dir).expect("the index serializes")
            )
            .into_bytes(),
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BlockKind;

    #[test]
    fn is_mark_is_marks() {
        for c in MARKS.chars() {
            assert!(is_mark(c), "{c}");
        }
        assert_eq!(MARKS.chars().count(), 4);
        assert!(!is_mark('（') && !is_mark('a') && !is_mark('八'));
    }

    #[test]
    fn runs_respect_the_limit_unless_one_item_exceeds_it() {
        assert_eq!(cut([3, 3, 3, 3], 6), [0, 2]);
        assert_eq!(cut([10, 1, 1], 6), [0, 1]);
        assert_eq!(cut([1, 10, 1], 6), [0, 1, 2]);
        assert!(cut(Vec::<usize>::new(), 6).is_empty());
    }

    #[test]
    fn pieces_cover_every_token_and_unit() {
        let units: Vec<Unit> = (0..400)
            .map(|i| Unit {
                slug: format!("d{}", i / 100),
                lang: "zh-Hans".into(),
                page: format!("d{}/index.html", i / 100),
                anchor: format!("c{i}"),
                kind: BlockKind::Clause,
                label: String::new(),
                alias: String::new(),
                text: format!("第{i}条 西部大开发 word{i} {}", "推进".repeat(i % 50)),
                head_len: 0,
            })
            .collect();
        let refs: Vec<&Unit> = units.iter().collect();
        let docs: Vec<IndexDoc> = (0..4)
            .map(|d| IndexDoc {
                slug: format!("d{d}"),
                title: format!("文献{d}"),
                page: format!("d{d}/index.html"),
            })
            .collect();
        let files = files("zh-Hans", &["zh-Hans".into()], &docs, &refs, true);
        assert_eq!(files[0].path, "search/index-zh-Hans.js");
        let terms = files.iter().filter(|f| f.path.contains("/t")).count();
        let chunks = files.iter().filter(|f| f.path.contains("/u")).count();
        assert!(chunks > 1, "{chunks} chunks");
        assert!(terms >= 1);
        let dir = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(dir.contains("\"docStarts\":\"0,2s,2s,2s\""), "{dir}");
        assert!(dir.contains("\"count\":400"));
        // The limits count the data; the wrapper adds a line of comment and a call.
        for f in &files[1..] {
            let max = if f.path.contains("/t") {
                TERM_SHARD_MAX
            } else {
                CHUNK_MAX
            };
            assert!(f.bytes.len() <= max + 200, "{} {}", f.path, f.bytes.len());
        }
    }
}
