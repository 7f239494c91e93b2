//! End-to-end tests in headless Chromium: the built site works from `file://`, clause
//! links land on their clause, highlighted, and nothing is fetched from the network.
//!
//! Needs Chromium (`/usr/bin/chromium`, or `$CHROMIUM`); `CLAUSEBOOK_SKIP_BROWSER=1`
//! skips these tests. The driver is `tests/it/common/cdp.rs`.

use std::path::Path;
use std::time::Duration;

use crate::common::cdp::{Browser, non_local};
use crate::common::file_url;
use serde_json::Value;

fn launch() -> Browser {
    Browser::launch().unwrap_or_else(|e| panic!("cannot drive Chromium: {e}"))
}

/// A JavaScript string literal for `s`.
fn js_str(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}

/// Checks that the element `#id` is the page's `:target`, contains `text`, sits at the
/// top of the window, and looks different from another clause (the highlight).
fn check_targeted(b: &mut Browser, id: &str, texts: &[&str]) -> Result<(), String> {
    let in_view = format!(
        "(() => {{ const e = document.getElementById({id}); if (!e) return false; \
         const t = e.getBoundingClientRect().top; return t >= -2 && t <= innerHeight / 4; }})()",
        id = js_str(id)
    );
    // Fragment scrolling may be smooth or happen a frame late: give it a moment.
    let settled = b.wait_until(&in_view, Duration::from_secs(3))?;
    let facts = b.eval(&format!(
        r#"(() => {{
            const id = {id};
            const e = document.getElementById(id);
            if (!e) return {{missing: true, url: location.href}};
            const style = x => {{
                const s = getComputedStyle(x);
                return [s.backgroundColor, s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | ');
            }};
            const clauses = [...document.querySelectorAll('[id]')]
                .filter(x => x !== e && /^c\d+$/.test(x.id) && x.tagName === e.tagName);
            const other = clauses.find(x => x.id === 'c7') || clauses[0] || null;
            const target = document.querySelector(':target');
            return {{
                missing: false,
                url: location.href,
                text: e.textContent.slice(0, 200),
                top: e.getBoundingClientRect().top,
                innerHeight: innerHeight,
                target: target ? target.id : null,
                style: style(e),
                otherId: other ? other.id : null,
                otherStyle: other ? style(other) : null,
            }};
        }})()"#,
        id = js_str(id)
    ))?;
    if facts["missing"] == Value::Bool(true) {
        return Err(format!("#{id} does not exist in {}", facts["url"]));
    }
    let text = facts["text"].as_str().unwrap_or("");
    if !texts.iter().any(|t| text.contains(t)) {
        return Err(format!("#{id} should contain {texts:?}, has {text:?}"));
    }
    if !settled {
        return Err(format!(
            "#{id} is not at the top of the window: top = {}, innerHeight = {}",
            facts["top"], facts["innerHeight"]
        ));
    }
    if facts["target"] != id {
        return Err(format!("the :target is {}, not #{id}", facts["target"]));
    }
    if facts["otherId"].is_null() {
        return Err(format!("no other clause to compare #{id}'s highlight with"));
    }
    if facts["style"] == facts["otherStyle"] {
        return Err(format!(
            "#{id} is not highlighted: same background/outline as #{}: {}",
            facts["otherId"], facts["style"]
        ));
    }
    Ok(())
}

/// Asserts that every request so far stayed on the machine, and that requests were
/// seen at all (so the capture itself works).
fn assert_no_network(b: &mut Browser) {
    let urls = b.requested_urls();
    assert!(
        urls.iter().any(|u| u.starts_with("file://")),
        "no file:// request recorded — is Network capture working? {urls:?}"
    );
    let remote = non_local(&urls);
    assert!(remote.is_empty(), "requests left the machine: {remote:#?}");
}

/// A page with clauses `c1`‥`c20`, each tall, and a `:target` highlight.
const FIXTURE: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>fixture</title>
<style>.clause { min-height: 300px; } .clause:target { background: #fff3a0; }</style>
<link rel="stylesheet" href="site.css"></head><body>
CLAUSES
<script src="app.js"></script></body></html>"#;

fn fixture_page(highlight: bool) -> String {
    let clauses: String = (1..=20)
        .map(|n| format!("<p class=\"clause\" id=\"c{n}\">({n}) clause {n}</p>\n"))
        .collect();
    let page = FIXTURE.replace("CLAUSES", &clauses);
    if highlight {
        page
    } else {
        page.replace(".clause:target { background: #fff3a0; }", "")
    }
}

/// The harness tests itself on hand-written pages: a clause link lands and is
/// highlighted; a page without a highlight, or one that loads a script from the network,
/// is caught.
#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn harness_self_test() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("page.html"), fixture_page(true)).unwrap();
    std::fs::write(root.join("plain.html"), fixture_page(false)).unwrap();
    std::fs::write(root.join("site.css"), "body { margin: 0; }").unwrap();
    std::fs::write(root.join("app.js"), "document.body.dataset.ok = '1';").unwrap();
    std::fs::write(
        root.join("remote.html"),
        r#"<!doctype html><title>remote</title><p id="c1">x</p>
           <script src="http://example.invalid/x.js"></script>"#,
    )
    .unwrap();

    let mut b = launch();
    // A fresh load of a clause link.
    b.navigate(&format!("{}#c8", file_url(&root.join("page.html"))))
        .unwrap();
    check_targeted(&mut b, "c8", &["(8)"]).unwrap();
    assert_eq!(
        b.eval("document.body.dataset.ok").unwrap(),
        "1",
        "app.js ran"
    );
    // A same-document jump, as after clicking a clause link.
    b.eval("location.hash = '#c12'").unwrap();
    check_targeted(&mut b, "c12", &["(12)"]).unwrap();
    assert_eq!(
        b.eval("document.querySelector(':target').id").unwrap(),
        "c12"
    );
    assert_no_network(&mut b);

    // Negative control: no highlight CSS.
    b.navigate(&format!("{}#c8", file_url(&root.join("plain.html"))))
        .unwrap();
    let err = check_targeted(&mut b, "c8", &["(8)"]).unwrap_err();
    assert!(err.contains("not highlighted"), "{err}");
    // Negative control: the network check catches a remote script.
    b.navigate(&file_url(&root.join("remote.html"))).unwrap();
    let remote = non_local(&b.requested_urls());
    assert_eq!(remote, ["http://example.invalid/x.js"]);
}

/// Writes a hand-made site shaped like clausebook's output: a library page, the
/// guideline in Chinese and English with clauses `c1`‥`c30`, three more documents and a
/// stylesheet with a `:target` highlight.
fn write_fake_site(out: &Path) {
    let write = |path: &str, text: &str| {
        let full = out.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    };
    let page = |title: &str, css: &str, body: &str| {
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
             <link rel=\"stylesheet\" href=\"{css}\"></head><body><h1>{title}</h1>{body}</body></html>"
        )
    };
    write(
        "static/site.css",
        ".clause { min-height: 250px; } .clause:target { background: #fff3a0; }",
    );
    let docs = ["guideline", "gansu", "inner-mongolia", "symposium-2024"];
    let list: String = docs
        .iter()
        .map(|d| format!("<li><a href=\"{d}/index.html\">{d}</a></li>"))
        .collect();
    write(
        "index.html",
        &page(
            "西部大开发政策文库",
            "static/site.css",
            &format!("<ul>{list}</ul><a href=\"guideline/en.html\">English</a>"),
        ),
    );
    let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let clauses = |zh: bool| -> String {
        (1..=30)
            .map(|n| {
                let label = if zh && n <= 10 {
                    format!("({})", numerals[n - 1])
                } else {
                    format!("({n})")
                };
                format!("<section class=\"clause\" id=\"c{n}\"><p>{label} text</p></section>")
            })
            .collect()
    };
    write(
        "guideline/index.html",
        &page(
            "关于新时代推进西部大开发形成新格局的指导意见",
            "../static/site.css",
            &clauses(true),
        ),
    );
    write(
        "guideline/en.html",
        &page(
            "Guiding Opinions on the Western Region",
            "../static/site.css",
            &clauses(false),
        ),
    );
    for d in &docs[1..] {
        write(
            &format!("{d}/index.html"),
            &page(d, "../static/site.css", ""),
        );
    }
}

/// The site walk itself passes on a hand-written site of the right shape (and
/// `check_site` agrees that site is sound), so a failure of the real test points at
/// the built site, not at the harness.
#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn harness_walks_a_hand_written_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    write_fake_site(&out);
    let report = clausebook::check::check_site(&out).unwrap();
    assert!(report.is_ok(), "{report:#?}");
    let mut b = launch();
    walk_site(&mut b, &out);
}

/// Builds the five seeds and walks the site as a reader would, from `file://`.
#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn site_works_offline_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    clausebook::build(&clausebook::BuildOptions {
        seeds,
        out: out.clone(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("build failed: {e}"));
    assert!(
        out.join("index.html").is_file() && out.join("guideline/index.html").is_file(),
        "the build wrote no index.html / guideline/index.html in {}",
        out.display()
    );

    let mut b = launch();
    walk_site(&mut b, &out);
}

/// What a reader does with the site in `out`, asserting every step:
/// 1. the library page lists the four documents and its link opens the guideline;
/// 2. `guideline/index.html#c8`, opened fresh and reached by a same-page jump, shows
///    clause (八) at the top of the window, highlighted;
/// 3. the same for `guideline/en.html#c8` and clause (8);
/// 4. no request left the machine.
fn walk_site(b: &mut Browser, out: &Path) {
    // 1. The library page lists the four documents; its link opens the guideline.
    b.navigate(&file_url(&out.join("index.html"))).unwrap();
    let docs = b
        .eval(
            r#"(() => {
                const base = location.href.replace(/[^/]*$/, '');
                const docs = new Set();
                for (const a of document.querySelectorAll('a[href]')) {
                    const rest = a.href.startsWith(base) ? a.href.slice(base.length) : '';
                    const m = rest.match(/^([^/#?]+)\/index\.html$/);
                    if (m) docs.add(m[1]);
                }
                return [...docs].sort();
            })()"#,
        )
        .unwrap();
    assert_eq!(
        docs,
        serde_json::json!(["gansu", "guideline", "inner-mongolia", "symposium-2024"]),
        "the library page should link the four documents"
    );
    let mark = b.mark();
    let clicked = b
        .eval(
            r#"(() => {
                const base = location.href.replace(/[^/]*$/, '');
                const a = [...document.querySelectorAll('a[href]')]
                    .find(a => a.href === base + 'guideline/index.html');
                if (!a) return false;
                a.click();
                return true;
            })()"#,
        )
        .unwrap();
    assert_eq!(clicked, true, "a link to guideline/index.html");
    b.wait_event(mark, &["Page.loadEventFired"]).unwrap();
    let heading = b
        .eval("document.title + ' / ' + (document.querySelector('h1')?.textContent ?? '')")
        .unwrap();
    let heading = heading.as_str().unwrap_or("");
    assert!(
        heading.contains("西部大开发"),
        "the guideline page should be open, title / h1: {heading:?}"
    );
    assert!(
        b.eval("location.href")
            .unwrap()
            .as_str()
            .unwrap_or("")
            .ends_with("/guideline/index.html"),
        "clicking the link opened the guideline page"
    );

    // 2. A pasted clause link, opened fresh, then reached by a same-page jump.
    let zh = file_url(&out.join("guideline/index.html"));
    b.navigate("about:blank").unwrap();
    b.navigate(&format!("{zh}#c8")).unwrap();
    check_targeted(b, "c8", &["(八)", "（八）"]).unwrap();
    b.eval("location.hash = '#c1'").unwrap();
    b.eval("location.hash = '#c8'").unwrap();
    check_targeted(b, "c8", &["(八)", "（八）"]).unwrap();

    // 3. The same for the English translation.
    let en = file_url(&out.join("guideline/en.html"));
    b.navigate("about:blank").unwrap();
    b.navigate(&format!("{en}#c8")).unwrap();
    check_targeted(b, "c8", &["(8)"]).unwrap();
    b.eval("location.hash = '#c1'").unwrap();
    b.eval("location.hash = '#c8'").unwrap();
    check_targeted(b, "c8", &["(8)"]).unwrap();

    // 4. Nothing left the machine during all of the above.
    assert_no_network(b);
}
