//! The pages in headless Chromium: axe-core finds no serious or critical accessibility
//! violation; every kind of page, opened from `file://`, runs under its Content Security
//! Policy without a single violation and still does its work; text made to break pages
//! (`common::hostile`) shows as text and its bidi controls stay inside their element.
//!
//! Needs Chromium; the axe test needs axe-core too (see `common::probe`). Without them the
//! tests are ignored.

use std::path::Path;
use std::time::Duration;

use crate::common::cdp::Browser;
use crate::common::{self, file_url, hostile, probe};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(10);

/// One build for the whole file: the five seeds plus the hostile document.
fn site() -> &'static Path {
    static SITE: common::BuiltSite = common::BuiltSite::new();
    common::site_once(&SITE, hostile::seeds)
}

fn launch() -> Browser {
    let mut b = Browser::launch().unwrap_or_else(|e| panic!("cannot drive Chromium: {e}"));
    b.watch_csp().unwrap();
    b
}

fn open(b: &mut Browser, page: &str) {
    b.navigate(&file_url(&site().join(page)))
        .unwrap_or_else(|e| panic!("{page}: {e}"));
}

/// Types `text` into the search field and waits for results.
fn search(b: &mut Browser, text: &str) {
    b.eval(
        "(() => { const i = document.getElementById('search-input'); i.focus(); i.value = ''; })()",
    )
    .unwrap();
    b.call("Input.insertText", json!({"text": text})).unwrap();
    let shown = b
        .wait_until(
            "document.querySelectorAll('#search-results a').length > 0",
            WAIT,
        )
        .unwrap();
    assert!(
        shown,
        "no results for {text:?}: {:?}",
        b.eval("document.querySelector('.search-status').textContent")
    );
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
#[cfg_attr(
    all(has_chromium, not(has_axe)),
    ignore = "axe-core not found when the tests were built: run .ci/run, or \
              `npm ci --prefix .ci/axe`, or set CLAUSEBOOK_AXE_JS"
)]
fn axe_finds_nothing_serious_or_critical() {
    let axe = probe::axe_js().unwrap_or_else(|why| panic!("{why}"));
    let axe = std::fs::read_to_string(axe).unwrap();
    let mut b = launch();
    let mut found = Vec::new();
    let pages = [
        ("index.html", None, "light"),
        ("guideline/index.html", None, "light"),
        ("guideline/en.html", None, "light"),
        ("guideline/parallel.html", None, "light"),
        ("guideline/index.html", Some("就业"), "light"),
        // The dark colour scheme too, where contrast could differ.
        ("index.html", None, "dark"),
        ("guideline/index.html", Some("就业"), "dark"),
    ];
    for (page, query, scheme) in pages {
        b.call(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        )
        .unwrap();
        open(&mut b, page);
        let dark = b
            .eval("matchMedia('(prefers-color-scheme: dark)').matches")
            .unwrap();
        assert_eq!(
            dark,
            scheme == "dark",
            "{page}: the {scheme} scheme is emulated"
        );
        if let Some(q) = query {
            search(&mut b, q);
        }
        b.eval(&format!("{axe};\ntrue")).unwrap();
        let v = b
            .eval(
                "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations \
                 .filter(v => v.impact === 'serious' || v.impact === 'critical') \
                 .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.length + \
                   ' node(s), e.g. ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + \
                   ' (' + (n.failureSummary || '').replace(/\\s+/g, ' ') + ')').join('; ')))",
            )
            .unwrap_or_else(|e| panic!("{page}: axe.run: {e}"));
        let checked = b
            .eval("typeof axe === 'object' && document.querySelectorAll('main').length")
            .unwrap();
        assert_eq!(checked, 1, "{page}: axe loaded and the page has its <main>");
        let label = match query {
            Some(q) => format!("{page} ({scheme}, search {q:?})"),
            None => format!("{page} ({scheme})"),
        };
        for v in v.as_array().unwrap() {
            found.push(format!("{label}: {}", v.as_str().unwrap()));
        }
    }
    assert!(
        found.is_empty(),
        "axe-core found {} serious or critical violation(s):\n{}",
        found.len(),
        found.join("\n")
    );
}

/// Each kind of page, from `file://`, with what its scripts must have done.
#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn the_policy_holds_on_every_kind_of_page_and_scripts_still_work() {
    let mut b = launch();
    let copy_buttons = "document.querySelectorAll('button.copy-link:not([hidden])').length > 0";
    let pages: &[(&str, &str)] = &[
        (
            "index.html",
            "getComputedStyle(document.body).fontFamily !== ''",
        ),
        ("guideline/index.html", copy_buttons),
        ("guideline/en.html", copy_buttons),
        (
            "guideline/parallel.html",
            "getComputedStyle(document.querySelector('.parallel-grid')).getPropertyValue('--cols').trim() === '2' \
             && getComputedStyle(document.querySelector('.prow')).gridTemplateColumns.split(' ').length === 2",
        ),
        (
            "guideline/c8.html",
            "document.querySelectorAll('script[type=\"application/ld+json\"]').length === 1",
        ),
        (
            "gansu/compare/c1-guideline-c1.html",
            "document.querySelectorAll('.compare-side mark').length > 0",
        ),
        (
            "implementation-map.html",
            "document.querySelectorAll('table a').length > 30",
        ),
        (
            "integrity.html",
            "document.querySelectorAll('.finding').length > 0",
        ),
        (
            "about.html",
            "document.querySelector('main.prose h1, main.prose h2') !== null",
        ),
        ("404.html", "!document.querySelector('.js-only').hidden"),
    ];
    for (page, works) in pages {
        let mark = b.mark();
        open(&mut b, page);
        // The page's own stylesheet applied (a `style-src` block would leave defaults).
        let styled = b
            .wait_until(
                "getComputedStyle(document.querySelector('.site-header')).display === 'block' || \
                 getComputedStyle(document.querySelector('.site-header')).display === 'flex'",
                WAIT,
            )
            .unwrap();
        assert!(styled, "{page}: style.css not applied");
        let ok = b.wait_until(works, WAIT).unwrap();
        assert!(ok, "{page}: the page's script did not do its work: {works}");
        if *page != "index.html" {
            // The search script loaded and its index loads on demand.
            let lang = b.eval("document.documentElement.lang").unwrap();
            search(&mut b, if lang == "en" { "western" } else { "西部" });
        }
        let v = b.csp_violations(mark).unwrap();
        assert!(
            v.is_empty(),
            "{page}: Content Security Policy violations:\n{}",
            v.join("\n")
        );
    }
    // The search page, opened with a query, lists results.
    let mark = b.mark();
    b.navigate(&format!(
        "{}?q=%E8%A5%BF%E9%83%A8",
        file_url(&site().join("search.html"))
    ))
    .unwrap();
    let listed = b
        .wait_until(
            "document.querySelectorAll('#search-results a').length > 0",
            WAIT,
        )
        .unwrap();
    assert!(listed, "search.html?q=西部 lists results");
    let v = b.csp_violations(mark).unwrap();
    assert!(v.is_empty(), "search.html: violations:\n{}", v.join("\n"));

    // The 404 page's one inline script runs by its hash; had the hash gone stale, say
    // which one it must be.
    open(&mut b, "404.html");
    let hash_now = b
        .eval(
            "crypto.subtle.digest('SHA-256', new TextEncoder().encode(\
               [...document.scripts].find(s => !s.src).textContent))\
             .then(d => 'sha256-' + btoa(String.fromCharCode(...new Uint8Array(d))))",
        )
        .unwrap();
    let policy = b
        .eval("document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content")
        .unwrap();
    assert!(
        policy
            .as_str()
            .unwrap()
            .contains(&format!("'{}'", hash_now.as_str().unwrap())),
        "templates/404.html: the policy must allow the inline script by its hash '{}': {policy}",
        hash_now.as_str().unwrap()
    );
    let dialogs = b.events_named("Page.javascriptDialogOpening");
    assert!(dialogs.is_empty(), "a dialog opened: {dialogs:?}");

    // The watcher sees a violation when there is one: an inline style attribute.
    let mark = b.mark();
    b.eval("document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>'); \
            new Promise(r => setTimeout(r, 100))")
        .unwrap();
    let v = b.csp_violations(mark).unwrap();
    assert!(
        v.iter().any(|m| m.contains("style-src")),
        "the watcher missed an inline style: {v:?}"
    );
}

/// The hostile document in the browser: nothing from it became an element or ran; the
/// search index holding its text (with `</script>` and U+2028) loads and its snippets are
/// text; its unterminated U+202E stays inside the element holding it.
#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn hostile_text_stays_text_and_its_bidi_controls_stay_in_place() {
    let mut b = launch();
    let slug = hostile::SLUG;
    for page in [
        format!("{slug}/index.html"),
        format!("{slug}/en.html"),
        format!("{slug}/parallel.html"),
        format!("{slug}/c1.html"),
        "index.html".to_string(),
    ] {
        let mark = b.mark();
        open(&mut b, &page);
        let facts = b
            .eval(
                "[document.querySelectorAll('img, svg, iframe, object, embed').length, \
                  [...document.scripts].filter(s => s.src ? !/\\/static\\/[a-z]+\\.js$/.test(s.src) \
                    : s.type !== 'application/ld+json').length, \
                  document.body.textContent]",
            )
            .unwrap();
        assert_eq!(facts[0], 0, "{page}: an element came from seed text");
        assert_eq!(facts[1], 0, "{page}: a script came from seed text");
        let text = facts[2].as_str().unwrap();
        assert!(
            text.contains("<script>alert(1)</script>") || page.ends_with("c1.html"),
            "{page}: the title shows as text"
        );
        let v = b.csp_violations(mark).unwrap();
        assert!(v.is_empty(), "{page}: violations:\n{}", v.join("\n"));
    }

    // Search: the hostile document's index loads; its snippets are text.
    open(&mut b, &format!("{slug}/index.html"));
    search(&mut b, hostile::WORD);
    let r = b
        .eval(
            "(() => { const r = document.getElementById('search-results'); \
              return [r.querySelectorAll('img, svg, script').length, r.textContent, \
                [...r.querySelectorAll('a')].map(a => a.getAttribute('href'))]; })()",
        )
        .unwrap();
    assert_eq!(r[0], 0, "an element came from seed text in the results");
    let shown = r[1].as_str().unwrap();
    assert!(
        shown.contains("<svg onload=alert(5)>") && shown.contains("</script><script>alert(6)"),
        "the snippet shows the text as written: {shown}"
    );
    assert!(
        r[2].as_array()
            .unwrap()
            .iter()
            .any(|h| h.as_str().unwrap().contains("#c1")),
        "{r}"
    );
    // In the search results the document title is isolated from the words after it.
    let iso = b
        .eval(
            "[...document.querySelectorAll('#search-results .search-result-doc')] \
             .map(e => getComputedStyle(e).unicodeBidi)",
        )
        .unwrap();
    assert!(
        !iso.as_array().unwrap().is_empty()
            && iso.as_array().unwrap().iter().all(|v| v == "isolate"),
        "{iso}"
    );
    // A JS line terminator in the text does not break the index script.
    search(&mut b, "行\u{2028}分");

    // Bidi: the clause heading ends in an unterminated U+202E. The heading text is
    // isolated, so the tools after it (¶, copy link) stay after it, left to right…
    let geometry = "(() => { const h = document.querySelector('#c1 .heading-text'); \
        const tools = document.querySelector('#c1 .unit-tools .permalink'); \
        const label = document.querySelector('#c1 .unit-head .label'); \
        return [getComputedStyle(h).unicodeBidi, label.getBoundingClientRect().right <= h.getBoundingClientRect().left + 1, \
                tools.getBoundingClientRect().left >= h.getBoundingClientRect().right - 1, h.textContent]; })()";
    let g = b.eval(geometry).unwrap();
    assert_eq!(g[0], "isolate", "{g}");
    assert!(
        g[3].as_str().unwrap().contains('\u{202e}'),
        "the control is kept: {g}"
    );
    assert_eq!(g[1], true, "the label stays before the title: {g}");
    assert_eq!(g[2], true, "the tools stay after the title: {g}");
    // …and without the isolation they would not: the test can fail.
    b.eval("document.querySelectorAll('*').forEach(e => e.style.setProperty('unicode-bidi', 'normal', 'important')); true")
        .unwrap();
    let g = b.eval(geometry).unwrap();
    assert_eq!(
        g[2], false,
        "control: without isolation the U+202E moves the tools: {g}"
    );

    // The page title closes the override before the site's name.
    let title = b.eval("document.title").unwrap();
    let title = title.as_str().unwrap();
    let (part, _) = title.split_once(" · ").expect("title · site");
    assert!(part.ends_with("倒序\u{202c}"), "{title:?}");

    let dialogs = b.events_named("Page.javascriptDialogOpening");
    assert!(
        dialogs.is_empty(),
        "a script from the seed ran: {dialogs:?}"
    );
}
