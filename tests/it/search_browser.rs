//! Search in headless Chromium, on the five seeds built into a site:
//!
//! - the JavaScript tokenizer passes the same fixture as the Rust one;
//! - recall: for every query of `tests/fixtures/search-queries.txt`, the units the
//!   browser finds are exactly those a plain substring scan of the normalized unit texts
//!   finds (computed here, in Rust);
//! - the field from `file://`: `/` focuses, typing lists the right links, arrows and Enter
//!   open the clause, Esc closes, the empty state offers the other language, no network;
//! - the same over HTTP under a sub-path (`/repo/`), and `search.html?q=…`;
//! - seed text shaped like HTML shows as text in the results.
//!
//! Needs Chromium; `CLAUSEBOOK_SKIP_BROWSER=1` skips these tests.

use crate::common::cdp::{Browser, non_local};
use crate::common::file_url;
use crate::common::serve::Server;
use clausebook::search::{tokenize, units};
use serde_json::json;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

fn launch() -> Browser {
    Browser::launch().unwrap_or_else(|e| panic!("cannot drive Chromium: {e}"))
}

fn js_str(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}

/// The five seeds, built once for this test binary.
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("search-browser-site");
        let _ = std::fs::remove_dir_all(&out);
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        clausebook::build(&clausebook::BuildOptions {
            seeds,
            out: out.clone(),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("build failed: {e}"));
        out
    })
}

/// The units of the seeds and, for a query, the `page#anchor` of every unit in which
/// each query word occurs in the normalized text: the substring scan the search must
/// equal.
struct Reference {
    units: Vec<(units::Unit, String)>,
}

impl Reference {
    fn new() -> Reference {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let lib = clausebook::build::load(&seeds).unwrap().library;
        Reference {
            units: units::units(&lib)
                .into_iter()
                .map(|u| {
                    let n = tokenize::normalize(&u.searchable());
                    (u, n)
                })
                .collect(),
        }
    }

    fn find(&self, query: &str, lang: Option<&str>) -> BTreeSet<String> {
        let words = tokenize::query_words(query);
        if words.is_empty() {
            return BTreeSet::new();
        }
        self.units
            .iter()
            .filter(|(u, _)| lang.is_none_or(|l| u.lang == l))
            .filter(|(_, norm)| words.iter().all(|w| norm.contains(w.as_str())))
            .map(|(u, _)| format!("{}#{}", u.page, u.anchor))
            .collect()
    }
}

fn queries() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search-queries.txt");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Loads every index into the page (whose site root is `root`).
fn load_all(b: &mut Browser, root: &str) {
    let ok = b
        .eval(&format!(
            r#"new Promise(done => {{
                const langs = document.querySelector("form.site-search").dataset.langs.split(" ");
                let left = langs.length;
                langs.forEach(l => clausebookSearch.load({root}, l, () => {{ if (--left === 0) done(Object.keys(clausebookSearch.indexes).length); }}));
            }})"#,
            root = js_str(root)
        ))
        .unwrap();
    assert_eq!(ok, 2, "both indexes load");
}

fn key(b: &mut Browser, key: &str, code: u32) {
    for kind in ["keyDown", "keyUp"] {
        let mut ev = json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code});
        if key == "/" && kind == "keyDown" {
            ev["text"] = json!("/");
            ev["code"] = json!("Slash");
        }
        b.call("Input.dispatchKeyEvent", ev).unwrap();
    }
}

/// Clears the field and types `text` into it as keyboard input.
fn type_query(b: &mut Browser, text: &str) {
    b.eval(
        "(() => { const i = document.getElementById('search-input'); i.focus(); i.value = ''; })()",
    )
    .unwrap();
    b.call("Input.insertText", json!({"text": text})).unwrap();
}

/// Waits until the result list shows results for the query in the field (or the
/// empty state) and returns the `href` attributes of its links.
fn result_hrefs(b: &mut Browser) -> Vec<String> {
    let settled = b
        .wait_until(
            "(() => { const s = document.querySelector('.search-status'); \
             return !!s && s.textContent !== '' && !/…$/.test(s.textContent); })()",
            WAIT,
        )
        .unwrap();
    assert!(settled, "the search never showed results or an empty state");
    let v = b
        .eval(
            "[...document.querySelectorAll('#search-results a')].map(a => a.getAttribute('href'))",
        )
        .unwrap();
    serde_json::from_value(v).unwrap()
}

/// `href` relative to the page at `page` (site-root-relative) ─► site-root-relative.
fn from_root(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Checks the element `#id` is the `:target` and in the upper part of the window.
fn assert_lands(b: &mut Browser, id: &str) {
    let cond = format!(
        "(() => {{ const e = document.getElementById({id}); if (!e) return false; \
         const t = e.getBoundingClientRect().top; \
         return location.hash === '#' + {id} && t >= -2 && t <= innerHeight / 3; }})()",
        id = js_str(id)
    );
    let ok = b.wait_until(&cond, WAIT).unwrap();
    let facts = b
        .eval(&format!(
            "(() => {{ const e = document.getElementById({id}); return [location.href, e ? e.getBoundingClientRect().top : null, document.querySelector(':target')?.id]; }})()",
            id = js_str(id)
        ))
        .unwrap();
    assert!(ok, "#{id} should be the target and in view: {facts}");
    assert_eq!(facts[2], id, "the :target");
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn js_tokenizer_matches_the_fixture_and_recall_equals_substring_scan() {
    let site = site();
    let mut b = launch();
    b.navigate(&file_url(&site.join("index.html"))).unwrap();

    // 1. The shared tokenizer cases.
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tokenizer-cases.json"),
    )
    .unwrap();
    let got = b
        .eval(&format!(
            r#"(() => {{
                const s = clausebookSearch;
                return ({fixture}).cases.map(c => {{
                    const n = s.normalize(c.input);
                    const got = {{normalized: n, tokens: s.tokens(n), words: s.queryWords(c.input)}};
                    return ["normalized", "tokens", "words"]
                        .filter(k => JSON.stringify(got[k]) !== JSON.stringify(c[k]))
                        .map(k => JSON.stringify(c.input) + ": " + k + " is " + JSON.stringify(got[k]) + ", the fixture says " + JSON.stringify(c[k]));
                }}).flat();
            }})()"#
        ))
        .unwrap();
    let failures: Vec<String> = serde_json::from_value(got).unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // 2. Recall and exactness over the query set, every language.
    load_all(&mut b, "");
    let queries = queries();
    assert!(queries.len() >= 60, "{} queries", queries.len());
    let found = b
        .eval(&format!(
            "({}).map(q => clausebookSearch.query(q, null, '').map(h => h.ix.docs[h.unit.doc].page + '#' + h.unit.anchor))",
            serde_json::to_string(&queries).unwrap()
        ))
        .unwrap();
    let found: Vec<Vec<String>> = serde_json::from_value(found).unwrap();
    let reference = Reference::new();
    let mut wrong = Vec::new();
    let mut nonempty = 0;
    let mut total = 0;
    for (q, got) in queries.iter().zip(&found) {
        let want = reference.find(q, None);
        let got_set: BTreeSet<String> = got.iter().cloned().collect();
        assert_eq!(got.len(), got_set.len(), "{q:?}: a unit listed twice");
        if !want.is_empty() {
            nonempty += 1;
        }
        total += want.len();
        if got_set != want {
            let missing: Vec<_> = want.difference(&got_set).collect();
            let extra: Vec<_> = got_set.difference(&want).collect();
            wrong.push(format!("{q:?}: missing {missing:?}, false hits {extra:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        nonempty >= 60 && total > 500,
        "the query set should find something: {nonempty} queries with hits, {total} hits"
    );

    // 2b. The same with a Chinese index that lists Han bigrams too, as a large library
    //     gets (see `BIGRAM_MIN_UNITS`).
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let lib = clausebook::build::load(&seeds).unwrap().library;
    let langs = clausebook::search::languages(&lib);
    let (docs, zh_units) = clausebook::search::parts_of(&lib, "zh-Hans");
    let zh_units: Vec<&units::Unit> = zh_units.iter().collect();
    let script = clausebook::search::index::script("zh-Hans", &langs, &docs, &zh_units, true);
    assert!(script.contains("\"bigrams\":true"));
    b.eval(&format!(
        "(() => {{ {script} return clausebookSearch.indexes['zh-Hans'].bigrams; }})()"
    ))
    .map(|v| assert_eq!(v, true, "the bigram index is registered"))
    .unwrap();
    let found = b
        .eval(&format!(
            "({}).map(q => clausebookSearch.query(q, ['zh-Hans'], '').map(h => h.ix.docs[h.unit.doc].page + '#' + h.unit.anchor))",
            serde_json::to_string(&queries).unwrap()
        ))
        .unwrap();
    let found: Vec<Vec<String>> = serde_json::from_value(found).unwrap();
    for (q, got) in queries.iter().zip(&found) {
        let got: BTreeSet<String> = got.iter().cloned().collect();
        let want = reference.find(q, Some("zh-Hans"));
        if got != want {
            wrong.push(format!("{q:?} with bigrams: got {got:?}, want {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // 3. Ranking: a heading match comes first, and clause (八) is the top hit for (八)
    //    within its own document.
    let top = b
        .eval("clausebookSearch.query('(八)', ['zh-Hans'], 'guideline').slice(0, 1).map(h => h.unit.anchor)")
        .unwrap();
    assert_eq!(top, json!(["c8"]));
    let top = b
        .eval("clausebookSearch.query('(8)', ['en'], 'guideline').slice(0, 1).map(h => h.unit.anchor)")
        .unwrap();
    assert_eq!(top, json!(["c8"]));
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn search_field_from_file_url() {
    let site = site();
    let reference = Reference::new();
    let mut b = launch();
    let page = "guideline/index.html";
    b.navigate(&file_url(&site.join(page))).unwrap();

    // `/` focuses the field and types nothing.
    b.eval("document.body.focus()").unwrap();
    key(&mut b, "/", 191);
    assert_eq!(
        b.eval("[document.activeElement.id, document.activeElement.value]")
            .unwrap(),
        json!(["search-input", ""])
    );

    // Typing lists the units that hold the text, as relative links, best first.
    type_query(&mut b, "脱贫攻坚");
    let hrefs = result_hrefs(&mut b);
    let want = reference.find("脱贫攻坚", Some("zh-Hans"));
    assert!(
        want.len() >= 3,
        "the seeds mention 脱贫攻坚 often: {want:?}"
    );
    assert_eq!(hrefs.len(), want.len().min(20));
    for h in &hrefs {
        assert!(
            !h.contains("://") && !h.starts_with('/') && h.contains(".html#"),
            "not a relative page link: {h}"
        );
        let target = from_root(page, h);
        assert!(want.contains(&target), "{target} does not contain 脱贫攻坚");
    }
    // Snippets mark the occurrence.
    let marked = b
        .eval("[...document.querySelectorAll('#search-results a')].every(a => [...a.querySelectorAll('mark')].some(m => m.textContent === '脱贫攻坚'))")
        .unwrap();
    assert_eq!(marked, true, "every snippet marks 脱贫攻坚");
    assert_eq!(
        b.eval("[document.getElementById('search-input').getAttribute('aria-expanded'), document.getElementById('search-results').getAttribute('role'), document.querySelector('#search-results a').getAttribute('role')]").unwrap(),
        json!(["true", "listbox", "option"])
    );

    // Esc closes the list.
    key(&mut b, "Escape", 27);
    assert_eq!(
        b.eval("[document.querySelector('.search-panel').hidden, document.getElementById('search-input').getAttribute('aria-expanded')]").unwrap(),
        json!([true, "false"])
    );

    // (八): arrows move to the clause of this page, Enter opens it.
    type_query(&mut b, "（八）");
    let hrefs = result_hrefs(&mut b);
    let k = hrefs
        .iter()
        .position(|h| from_root(page, h) == "guideline/index.html#c8")
        .unwrap_or_else(|| panic!("no link to guideline c8 among {hrefs:?}"));
    for _ in 0..k {
        key(&mut b, "ArrowDown", 40);
    }
    assert_eq!(
        b.eval(
            "document.querySelector('#search-results [aria-selected=true]').getAttribute('href')"
        )
        .unwrap(),
        json!(hrefs[k]),
    );
    key(&mut b, "Enter", 13);
    assert_lands(&mut b, "c8");

    // Nothing in Chinese for an English word: the empty state offers English.
    type_query(&mut b, "poverty");
    let hrefs = result_hrefs(&mut b);
    assert!(hrefs.is_empty(), "{hrefs:?}");
    let status = b
        .eval("document.querySelector('.search-status').textContent")
        .unwrap();
    assert!(
        status.as_str().unwrap().contains("没有找到"),
        "empty state: {status}"
    );
    let clicked = b
        .eval("(() => { const btn = document.querySelector('.search-other-lang'); if (!btn) return null; const t = btn.textContent; btn.click(); return t; })()")
        .unwrap();
    assert_eq!(clicked, "English");
    let hrefs = result_hrefs(&mut b);
    let want = reference.find("poverty", Some("en"));
    assert_eq!(hrefs.len(), want.len().min(20));
    for h in &hrefs {
        assert!(want.contains(&from_root(page, h)), "{h}");
    }
    // Following a result opens the translation on that unit.
    let first = hrefs[0].clone();
    let mark = b.mark();
    b.eval("document.querySelector('#search-results a').click()")
        .unwrap();
    b.wait_event(mark, &["Page.loadEventFired"]).unwrap();
    let anchor = first.split('#').nth(1).unwrap();
    assert_lands(&mut b, anchor);
    assert!(
        b.eval("location.pathname")
            .unwrap()
            .as_str()
            .unwrap()
            .ends_with("/guideline/en.html")
    );

    let remote = non_local(&b.requested_urls());
    assert!(remote.is_empty(), "requests left the machine: {remote:?}");
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn search_over_http_under_a_sub_path() {
    let site = site();
    let server = Server::start(site, "/repo/");
    let reference = Reference::new();
    let mut b = Browser::launch_loopback().unwrap_or_else(|e| panic!("cannot drive Chromium: {e}"));
    let page = "gansu/index.html";
    b.navigate(&format!("{}{page}", server.url)).unwrap();

    type_query(&mut b, "西部陆海新通道");
    let hrefs = result_hrefs(&mut b);
    let want = reference.find("西部陆海新通道", Some("zh-Hans"));
    assert!(want.len() >= 3, "{want:?}");
    assert_eq!(hrefs.len(), want.len().min(20));
    let resolved: Vec<String> = serde_json::from_value(
        b.eval("[...document.querySelectorAll('#search-results a')].map(a => a.href)")
            .unwrap(),
    )
    .unwrap();
    for (h, abs) in hrefs.iter().zip(&resolved) {
        let target = from_root(page, h);
        assert!(want.contains(&target), "{target}");
        assert_eq!(
            abs,
            &format!("{}{target}", server.url),
            "resolves under /repo/"
        );
    }
    // The first result opens on its unit, and the unit holds the words.
    let first = from_root(page, &hrefs[0]);
    let mark = b.mark();
    b.eval("document.querySelector('#search-results a').click()")
        .unwrap();
    if !first.starts_with(page) {
        b.wait_event(mark, &["Page.loadEventFired"]).unwrap();
    }
    let anchor = first.split('#').nth(1).unwrap();
    assert_lands(&mut b, anchor);
    let text = b
        .eval(&format!(
            "document.getElementById({}).textContent.normalize('NFKC')",
            js_str(anchor)
        ))
        .unwrap();
    assert!(text.as_str().unwrap().contains("西部陆海新通道"));

    // search.html?q=… is a link to a search, here from the site root.
    b.navigate(&format!("{}search.html?q=%E8%84%B1%E8%B4%AB", server.url))
        .unwrap();
    let hrefs = result_hrefs(&mut b);
    let want = reference.find("脱贫", Some("zh-Hans"));
    assert_eq!(hrefs.len(), want.len().min(200));
    assert!(hrefs.iter().all(|h| want.contains(h)), "{hrefs:?}");
    assert_eq!(
        b.eval("document.getElementById('search-input').value")
            .unwrap(),
        "脱贫"
    );

    // The 404 page, served (as GitHub Pages does) at a deeper path that does not exist:
    // its field finds the site root and the index.
    b.navigate(&format!("{}a/b/missing.html", server.url))
        .unwrap();
    assert!(
        b.wait_until("!!window.clausebookSearch", WAIT).unwrap(),
        "the search code loads on the 404 page"
    );
    type_query(&mut b, "西部陆海新通道");
    let hrefs = result_hrefs(&mut b);
    let want = reference.find("西部陆海新通道", Some("zh-Hans"));
    assert_eq!(hrefs.len(), want.len().min(20));
    let resolved: Vec<String> = serde_json::from_value(
        b.eval("[...document.querySelectorAll('#search-results a')].map(a => a.href)")
            .unwrap(),
    )
    .unwrap();
    for abs in &resolved {
        let target = abs
            .strip_prefix(&server.url)
            .unwrap_or_else(|| panic!("{abs} is not under the site root"));
        assert!(want.contains(target), "{target}");
    }

    let urls = b.requested_urls();
    assert!(
        urls.iter()
            .any(|u| u == &format!("{}search/index-zh-Hans.js", server.url)),
        "the index came from the sub-path: {urls:?}"
    );
    let outside: Vec<&String> = urls
        .iter()
        .filter(|u| !u.starts_with(&server.url) && !u.starts_with("about:"))
        // The browser's own request for the server's icon.
        .filter(|u| !u.ends_with("/favicon.ico"))
        .collect();
    assert!(outside.is_empty(), "requests outside the site: {outside:?}");
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn html_in_a_seed_shows_as_text_in_results() {
    let tmp = tempfile::tempdir().unwrap();
    let seeds = tmp.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    std::fs::write(
        seeds.join("manifest.yaml"),
        "site:\n  title: Test library\ndocuments:\n  - slug: hostile\n    kind: guideline\n    \
         title: \"<b>bold</b> title\"\n    versions:\n      - {file: a.txt, lang: en}\n",
    )
    .unwrap();
    std::fs::write(
        seeds.join("a.txt"),
        "(1) The string <img src=x onerror=alert(1)> stands in this clause.\n\n\
         (2) A second clause about <script>alert(2)</script> tags.\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    clausebook::build(&clausebook::BuildOptions {
        seeds,
        out: out.clone(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("build failed: {e}"));

    let mut b = launch();
    b.call("Page.enable", json!({})).unwrap();
    b.navigate(&file_url(&out.join("hostile/index.html")))
        .unwrap();
    type_query(&mut b, "onerror=alert");
    let hrefs = result_hrefs(&mut b);
    assert_eq!(hrefs, ["../hostile/index.html#c1"]);
    let facts = b
        .eval(
            "(() => { const r = document.getElementById('search-results'); \
             return [r.querySelectorAll('img, script, b').length, r.textContent]; })()",
        )
        .unwrap();
    assert_eq!(facts[0], 0, "no element came from seed text: {facts}");
    let text = facts[1].as_str().unwrap();
    assert!(
        text.contains("<img src=x onerror=alert(1)>") && text.contains("<b>bold</b> title"),
        "the text shows as typed: {text}"
    );
    type_query(&mut b, "<script>");
    let hrefs = result_hrefs(&mut b);
    assert_eq!(hrefs, ["../hostile/index.html#c2"]);
    assert_eq!(
        b.eval("document.querySelectorAll('#search-results script').length")
            .unwrap(),
        0
    );
    let fetched = b
        .requested_urls()
        .iter()
        .filter(|u| u.ends_with("/x"))
        .count();
    assert_eq!(fetched, 0, "the img's src was never requested");
    b.eval("new Promise(r => setTimeout(r, 100))").unwrap();
    let dialogs = b.events_named("Page.javascriptDialogOpening");
    assert!(
        dialogs.is_empty(),
        "a script from the seed ran: {dialogs:?}"
    );
}
