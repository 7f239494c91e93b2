//! The sharded search index of a larger library (a generated corpus of a dozen documents,
//! whose Chinese index is above the single-file limit), in headless Chromium from `file://`:
//!
//! - every term shard and unit chunk is within its size limit (or holds one token or one
//!   unit), and two builds are byte-identical;
//! - a first query loads only `static/search.js`, the directory, the term shards that hold
//!   the query's tokens and a few unit chunks, and lists the right results;
//! - recall: for every query of `tests/fixtures/search-queries.txt`, in both languages, all
//!   results of the sharded index equal a substring scan of the normalized unit texts;
//! - the document filter, used in the page, narrows the results to that document.
//!
//! The first point is checked without a browser; the others need Chromium.

#[path = "../../benches/support/corpus.rs"]
mod corpus;

use crate::common::cdp::{Browser, non_local};
use crate::common::file_url;
use clausebook::search::{shard, tokenize, units};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const DOCS: usize = 12;

fn js_str(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}

/// The generated seeds folder and the site built from it.
fn build_site(name: &str) -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let seeds = dir.join("seeds");
    corpus::write(DOCS, &seeds).expect("corpus");
    let out = dir.join("site");
    clausebook::build(&clausebook::BuildOptions {
        seeds: seeds.clone(),
        out: out.clone(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("build failed: {e}"));
    (seeds, out)
}

/// The JSON object a generated script passes to its register call.
fn data(path: &Path) -> serde_json::Value {
    let s = std::fs::read_to_string(path).unwrap();
    let a = s.find("register").unwrap();
    let open = a + s[a..].find('(').unwrap() + 1;
    let close = s.rfind(')').unwrap();
    serde_json::from_str(&s[open..close]).unwrap()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// The generated seeds folder and its site, built once for the tests of this file.
fn library() -> (&'static Path, &'static Path) {
    static SITE: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    let (seeds, site) = SITE.get_or_init(|| build_site("search-shard-site"));
    (seeds, site)
}

#[test]
fn a_large_library_gets_a_sharded_index() {
    let (seeds, site) = library();
    let zh = site.join("search/zh-Hans");
    let dir = data(&site.join("search/index-zh-Hans.js"));
    assert_eq!(dir["sharded"], true, "the Chinese index is sharded");

    // Sizes: the limits count the data; the wrapper adds a comment line and a call.
    let (mut terms, mut chunks) = (0, 0);
    for f in files_under(&zh) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let len = std::fs::metadata(&f).unwrap().len() as usize;
        let d = data(&f);
        if name.starts_with('t') {
            terms += 1;
            let one = !d["tokens"].as_str().unwrap().contains(' ');
            assert!(len <= shard::TERM_SHARD_MAX + 200 || one, "{name}: {len} B");
        } else if name.starts_with('u') {
            chunks += 1;
            let one = d["units"].as_array().unwrap().len() == 1;
            assert!(len <= shard::CHUNK_MAX + 200 || one, "{name}: {len} B");
        }
    }
    assert!(
        terms >= 4 && chunks >= 20,
        "{terms} term shards, {chunks} chunks"
    );

    // Deterministic: the search stage gives the same bytes twice, and those written.
    let lib = clausebook::build::load(seeds).unwrap().library;
    let a = clausebook::search::build(&lib).unwrap();
    assert_eq!(a, clausebook::search::build(&lib).unwrap());
    for f in &a {
        assert_eq!(
            std::fs::read(site.join(&f.path)).unwrap(),
            f.bytes,
            "{}",
            f.path
        );
    }
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn the_sharded_index_searches_in_chromium() {
    let (seeds, site) = library();
    let lib = clausebook::build::load(seeds).unwrap().library;
    let all: Vec<(units::Unit, String)> = units::units(&lib)
        .into_iter()
        .map(|u| {
            let n = tokenize::normalize(&u.searchable());
            (u, n)
        })
        .collect();
    let find = |q: &str, lang: &str, doc: &str| -> BTreeSet<String> {
        let words = tokenize::query_words(q);
        if words.is_empty() {
            return BTreeSet::new();
        }
        all.iter()
            .filter(|(u, n)| {
                u.lang == lang
                    && (doc.is_empty() || u.slug == doc)
                    && words.iter().all(|w| n.contains(w.as_str()))
            })
            .map(|(u, _)| format!("{}#{}", u.page, u.anchor))
            .collect()
    };

    let mut b = Browser::launch().unwrap_or_else(|e| panic!("cannot drive Chromium: {e}"));
    b.navigate(&file_url(&site.join("index.html"))).unwrap();
    let lang = b
        .eval("document.querySelector('form.site-search').dataset.lang")
        .unwrap();
    assert_eq!(lang, "zh-Hans");

    // A first query loads the directory, the shards of its tokens and a few chunks.
    let query = "西部";
    let got = b
        .eval(&format!(
            r#"new Promise(done => {{
                const i = document.getElementById('search-input');
                let early = null;
                i.addEventListener('clausebook:early', () => {{ early = [
                    Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href')),
                    document.querySelector('.search-status').textContent,
                    units()]; }}, {{once: true}});
                // The units of the chunks loaded so far.
                const units = () => clausebookSearch.indexes['zh-Hans'].units.filter(u => u).length;
                i.addEventListener('clausebook:results', () => done([
                    Array.from(document.scripts).map(s => s.getAttribute('src') || '').filter(s => s),
                    Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href')),
                    early,
                    units(),
                ]), {{once: true}});
                i.focus();
                i.value = {q};
                i.dispatchEvent(new Event('input'));
            }})"#,
            q = js_str(query)
        ))
        .unwrap();
    let scripts: Vec<String> = serde_json::from_value(got[0].clone()).unwrap();
    let hrefs: Vec<String> = serde_json::from_value(got[1].clone()).unwrap();
    let loaded_terms: Vec<&String> = scripts.iter().filter(|s| s.contains("/t")).collect();
    let loaded_chunks = scripts.iter().filter(|s| s.contains("/u")).count();
    for s in scripts.iter().filter(|s| s.contains("search")) {
        assert!(
            s == "static/search.js"
                || s == "search/index-zh-Hans.js"
                || s.starts_with("search/zh-Hans/t")
                || s.starts_with("search/zh-Hans/u"),
            "a script the query does not need: {s} (all: {scripts:?})"
        );
    }
    assert!(
        !loaded_terms.is_empty() && loaded_terms.len() <= 2,
        "{loaded_terms:?}"
    );
    for t in &loaded_terms {
        let toks = data(&site.join(t))["tokens"].as_str().unwrap().to_string();
        assert!(
            toks.split(' ')
                .any(|k| k == "西" || k == "部" || k == "西部"),
            "{t} holds no token of {query}"
        );
    }
    assert!((1..=20).contains(&loaded_chunks), "{loaded_chunks} chunks");
    let want = find(query, "zh-Hans", "");
    assert!(want.len() > 20, "the query has many hits: {}", want.len());
    assert_eq!(hrefs.len(), 20, "the top 20 are listed");
    // Its first hits are listed as soon as the first chunks are in, while the rest load.
    let early = got[2]
        .as_array()
        .unwrap_or_else(|| panic!("nothing listed early: {got}"));
    let listed: Vec<String> = serde_json::from_value(early[0].clone()).unwrap();
    assert!(!listed.is_empty() && listed.len() < 20, "early {listed:?}");
    for h in &listed {
        assert!(
            want.contains(h.trim_end_matches('#')),
            "{h}, listed early, is no hit"
        );
    }
    assert_eq!(early[1], "正在加载更多结果…");
    assert!(
        early[2].as_u64().unwrap() < got[3].as_u64().unwrap(),
        "listed early with {} units loaded, of {} in the end",
        early[2],
        got[3]
    );
    for h in &hrefs {
        let h = h.trim_end_matches('#');
        assert!(
            want.contains(h) || want.contains(&format!("{h}#")),
            "{h} is no hit"
        );
    }

    // Recall: every query, both languages, all results.
    let queries: Vec<String> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search-queries.txt"),
    )
    .unwrap()
    .lines()
    .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    .map(str::to_string)
    .collect();
    let mut checked = 0;
    for lang in ["zh-Hans", "en"] {
        let got = b
            .eval(&format!(
                r#"(async () => {{
                    const out = [];
                    for (const q of {queries}) {{
                        out.push(await new Promise(done => clausebookSearch.search('', q, [{lang}], '', Infinity,
                            (hits, total, exact) => done([total, exact, hits.map(h => h.ix.docs[h.unit.doc].page + '#' + h.unit.anchor)]))));
                    }}
                    return out;
                }})()"#,
                queries = serde_json::to_string(&queries).unwrap(),
                lang = js_str(lang)
            ))
            .unwrap();
        for (q, r) in queries.iter().zip(got.as_array().unwrap()) {
            let hits: BTreeSet<String> = serde_json::from_value(r[2].clone()).unwrap();
            let want = find(q, lang, "");
            assert_eq!(hits, want, "{lang}: {q}");
            assert_eq!(
                r[0].as_u64().unwrap() as usize,
                want.len(),
                "{lang}: {q}: total"
            );
            assert_eq!(r[1], true, "{lang}: {q}: exact");
            checked += want.len();
        }
    }
    assert!(checked > 1000, "only {checked} hits checked");

    // Typing in the page, every prefix of every query in turn: every result listed is a
    // hit; an exact count is the number of hits, and all of them are listed when it is at
    // most 20; and a query that extends the last one (each earlier word inside a word of
    // it) when the last one listed all its hits loads nothing new.
    let mut typed = 0;
    let mut skipped_loads = 0;
    let mut early_lists = 0;
    let mut last: Option<(Vec<String>, bool)> = None; // words of the last query, all listed
    for q in &queries {
        let got = b
            .eval(&format!(
                r#"(async () => {{
                    const i = document.getElementById('search-input');
                    const out = [];
                    const chars = Array.from({q});
                    for (let k = 1; k <= chars.length; k++) {{
                        const had = new Set(Array.from(document.scripts).map(s => s.getAttribute('src')));
                        const v = chars.slice(0, k).join('');
                        if (!v.trim()) continue;
                        // The first hits may be listed early, while pieces still load.
                        let early = null;
                        const onEarly = () => {{ early = [
                            Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href')),
                            document.querySelector('.search-status').textContent]; }};
                        i.addEventListener('clausebook:early', onEarly);
                        const detail = await new Promise(done => {{
                            i.addEventListener('clausebook:results', e => done(e.detail), {{once: true}});
                            i.value = v;
                            i.dispatchEvent(new Event('input'));
                        }});
                        i.removeEventListener('clausebook:early', onEarly);
                        out.push([v, detail.count, detail.exact,
                            Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href')),
                            Array.from(document.scripts).map(s => s.getAttribute('src')).filter(s => s && !had.has(s)),
                            early]);
                    }}
                    return out;
                }})()"#,
                q = js_str(q)
            ))
            .unwrap();
        for r in got.as_array().unwrap() {
            let v = r[0].as_str().unwrap();
            let count = r[1].as_u64().unwrap() as usize;
            let exact = r[2].as_bool().unwrap();
            let hrefs: Vec<String> = serde_json::from_value(r[3].clone()).unwrap();
            let new_scripts: Vec<String> = serde_json::from_value(r[4].clone()).unwrap();
            let want = find(v, "zh-Hans", "");
            let words = tokenize::query_words(v);
            // An early list: some of the hits, and a status that says more are loading.
            if let Some(early) = r[5].as_array() {
                let listed: Vec<String> = serde_json::from_value(early[0].clone()).unwrap();
                assert!(
                    !listed.is_empty() && listed.len() <= 20,
                    "{v}: early {listed:?}"
                );
                for h in &listed {
                    assert!(want.contains(h), "{v}: {h}, listed early, is no hit");
                }
                assert_eq!(early[1], "正在加载更多结果…", "{v}: status");
                assert!(
                    !new_scripts.is_empty(),
                    "{v}: listed early, yet loaded nothing"
                );
                early_lists += 1;
            }
            assert!(hrefs.len() <= 20, "{v}: {} listed", hrefs.len());
            for h in &hrefs {
                assert!(want.contains(h), "{v}: {h} is no hit");
            }
            if exact {
                assert_eq!(count, want.len(), "{v}: count");
                if count <= 20 {
                    assert_eq!(hrefs.len(), count, "{v}: every hit listed");
                }
            } else {
                assert!(
                    hrefs.len() == 20 || count < want.len(),
                    "{v}: {count}+ of {}",
                    want.len()
                );
            }
            if let Some((before, true)) = &last
                && before
                    .iter()
                    .all(|b| words.iter().any(|w| w.contains(b.as_str())))
            {
                assert!(
                    new_scripts.is_empty(),
                    "{v} extends a query whose hits were all listed, yet loaded {new_scripts:?}"
                );
                skipped_loads += 1;
            }
            last = Some((words, exact && count <= 20));
            typed += 1;
        }
    }
    assert!(
        typed > 300 && skipped_loads > 20,
        "{typed} keystrokes, {skipped_loads} extended a complete result ({early_lists} listed hits early)"
    );

    // The document filter in the page: pick a document, the results are its own.
    let slug = &lib.documents[1].slug;
    let got = b
        .eval(&format!(
            r#"new Promise(done => {{
                const sel = document.querySelector('select.search-doc');
                sel.dispatchEvent(new Event('focus'));
                const pick = () => {{
                    if (!Array.from(sel.options).some(o => o.value === {slug})) {{ setTimeout(pick, 20); return; }}
                    sel.value = {slug};
                    const i = document.getElementById('search-input');
                    i.value = {q};
                    i.addEventListener('clausebook:results', e => done([e.detail.count,
                        Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href')),
                        i.value, document.querySelector('.search-status').textContent]), {{once: true}});
                    sel.dispatchEvent(new Event('change'));
                }};
                pick();
            }})"#,
            slug = js_str(slug),
            q = js_str(query)
        ))
        .unwrap();
    let hrefs: BTreeSet<String> = serde_json::from_value(got[1].clone()).unwrap();
    let want = find(query, "zh-Hans", slug);
    assert!(!want.is_empty());
    assert_eq!(got[0].as_u64().unwrap() as usize, want.len(), "{got}");
    let want_top: Vec<&String> = want.iter().take(20).collect();
    assert_eq!(hrefs.len(), want_top.len(), "{got}");
    assert!(hrefs.iter().all(|h| want.contains(h)), "{hrefs:?}");

    assert!(non_local(&b.requested_urls()).is_empty(), "no network");
}
