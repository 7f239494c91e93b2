//! Markdown pages (`<seeds>/pages/*.md`) made to run script: heading attributes
//! (`{onclick=…}`), `javascript:` and `data:` links and images, raw `<script>`, `<img
//! onerror>`, `<svg onload>`, `<iframe srcdoc>`. The site is built with a `base.html` of
//! the user's that has no Content Security Policy (and runs an inline script of its own,
//! to show that nothing else would stop a page's script), and opened in headless
//! Chromium: no script of the page runs, however its elements are clicked, hovered or
//! focused, and no link or image keeps an address other than `http(s)`, `mailto`,
//! relative or a fragment.
//!
//! Needs Chromium (`CLAUSEBOOK_SKIP_BROWSER=1` skips the browser test).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::cdp::Browser;
use crate::common::{copy_dir, file_url};
use serde_json::Value;

/// Every way a payload could run sets `window.__pwned` to where it came from.
const PAGE: &str = r#"# Hostile page {#hostile .lead onclick=window.__pwned='h1-onclick' onmouseover=window.__pwned='h1-mouseover' style=position:fixed;inset:0}

## Focus me {tabindex=0 autofocus onfocus=window.__pwned='h2-onfocus' style=color:red}

Links: [js link](javascript:window.__pwned='link'),
[upper](JavaScript:window.__pwned='upper'),
[tab](java&#9;script:window.__pwned='tab'),
[entity](javascript&#58;window.__pwned='entity'),
[data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0nZGF0YSc8L3NjcmlwdD4=),
[vb](vbscript:msgbox),
<javascript:window.__pwned='autolink'>,
[reference][r].

Images: ![js image](javascript:window.__pwned='img') and
![svg image](data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20onload='window.__pwned=1'/%3E).

<script>window.__pwned = 'script'</script>

<img src="x" onerror="window.__pwned='onerror'">

Inline <img src=x onerror=window.__pwned='inline-onerror'> and <svg onload=window.__pwned='svg-onload'></svg>
and <a href="javascript:window.__pwned='raw-a'">raw a</a> and <b onmouseover=window.__pwned='b'>bold</b>.

<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>

<style>body { display: none }</style>

Safe: [site](https://example.org/), [mail](mailto:a@example.org), [library](index.html),
[top](#hostile).

[r]: javascript:window.__pwned='reference'
"#;

/// The seeds folder: the repository's seeds, the page above, and a `base.html` without
/// the Content Security Policy, with an inline script and handler of its own.
fn seeds(dir: &Path) -> PathBuf {
    let seeds = dir.join("seeds");
    copy_dir(&crate::common::repo_seeds(), &seeds);
    std::fs::create_dir_all(seeds.join("pages")).unwrap();
    std::fs::write(seeds.join("pages/hostile.md"), PAGE).unwrap();
    let base =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/base.html"))
            .unwrap();
    let no_csp: String = base
        .lines()
        .filter(|l| !l.contains("Content-Security-Policy"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        no_csp.len() < base.len(),
        "the CSP line of base.html was not found"
    );
    let base = no_csp.replacen(
        "<body>",
        "<body>\n<script>window.__templateRan = 1</script>\
         <div id=\"control\" onclick=\"window.__control = 1\"></div>",
        1,
    );
    std::fs::create_dir_all(seeds.join("templates")).unwrap();
    std::fs::write(seeds.join("templates/base.html"), base).unwrap();
    seeds
}

fn site() -> &'static Path {
    static SITE: crate::common::BuiltSite = crate::common::BuiltSite::new();
    crate::common::site_once(&SITE, seeds)
}

#[test]
fn the_page_html_holds_no_handler_script_or_unsafe_address() {
    let html = std::fs::read_to_string(site().join("hostile.html")).unwrap();
    assert!(
        !html.contains("Content-Security-Policy"),
        "the base.html without CSP is not in use"
    );
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    // Every tag of the page's body (text holds no raw `<`: it is escaped).
    let tags: Vec<String> = main
        .split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or("").to_lowercase())
        .collect();
    for tag in &tags {
        let name = tag.split_whitespace().next().unwrap_or("");
        assert!(
            !["script", "img", "svg", "iframe", "style", "object", "embed"].contains(&name)
                || (name == "img" && !tag.contains("javascript") && !tag.contains("data:")),
            "element <{tag}> in the page"
        );
        for bad in [
            " on",
            " style=",
            " srcdoc=",
            "href=\"javascript",
            "src=\"javascript",
            "href=\"data:",
            "src=\"data:",
            "vbscript:",
        ] {
            assert!(!tag.contains(bad), "{bad} in <{tag}>");
        }
    }
    // Kept: the heading's id and class, the safe links, the payloads as text.
    assert!(
        main.contains("<h1 id=\"hostile\" class=\"lead\">"),
        "{main}"
    );
    for href in [
        "https://example.org/",
        "mailto:a@example.org",
        "index.html",
        "#hostile",
    ] {
        assert!(main.contains(&format!("href=\"{href}\"")), "{href}: {main}");
    }
    assert!(main.contains("&lt;script&gt;"), "{main}");
    assert!(
        main.contains("js link") && main.contains("svg image"),
        "{main}"
    );
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn no_script_of_the_page_runs_without_a_csp() {
    let mut b = Browser::launch().unwrap_or_else(|e| panic!("cannot drive Chromium: {e}"));
    b.navigate(&file_url(&site().join("hostile.html"))).unwrap();
    // The template's own inline script runs: no policy stands in the way.
    assert_eq!(b.eval("window.__templateRan").unwrap(), Value::from(1));
    // Every element but links is clicked, hovered, focused and its pointer pressed;
    // links are checked by address instead (clicking one would leave the page).
    b.eval(
        "(() => {
            for (const e of document.querySelectorAll('body *')) {
                if (e.closest('a')) continue;
                for (const t of ['mouseover', 'mouseenter', 'mousedown', 'mouseup', 'pointerover']) {
                    e.dispatchEvent(new MouseEvent(t, {bubbles: true}));
                }
                if (typeof e.click === 'function') e.click();
                if (typeof e.focus === 'function') e.focus();
            }
        })()",
    )
    .unwrap();
    // The control handler ran, so the page's would have too.
    assert_eq!(b.eval("window.__control").unwrap(), Value::from(1));
    // Let images fail to load and frames run.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        b.eval("window.__pwned === undefined ? null : String(window.__pwned)")
            .unwrap(),
        Value::Null,
        "a script of the page ran"
    );
    let found = b
        .eval(
            "(() => {
                const out = [];
                const main = document.querySelector('main');
                for (const e of main.querySelectorAll('*')) {
                    for (const a of e.attributes) {
                        if (a.name.startsWith('on') || a.name === 'style' || a.name === 'srcdoc') {
                            out.push(e.tagName + ' ' + a.name);
                        }
                    }
                    if (['SCRIPT', 'IFRAME', 'SVG', 'STYLE', 'OBJECT', 'EMBED'].includes(e.tagName.toUpperCase())) {
                        out.push('element ' + e.tagName);
                    }
                }
                for (const a of main.querySelectorAll('a[href]')) {
                    if (!['http:', 'https:', 'mailto:', 'file:'].includes(a.protocol)) {
                        out.push('link ' + a.getAttribute('href'));
                    }
                }
                for (const i of main.querySelectorAll('img')) {
                    const p = new URL(i.getAttribute('src'), document.baseURI).protocol;
                    if (p !== 'file:') out.push('image ' + i.getAttribute('src'));
                }
                return out;
            })()",
        )
        .unwrap();
    assert_eq!(found, Value::Array(Vec::new()), "left in the page");
    // The payloads stand as text.
    let text = b
        .eval("document.querySelector('main').textContent")
        .unwrap();
    let text = text.as_str().unwrap();
    for shown in [
        "<script>window.__pwned = 'script'</script>",
        "js link",
        "reference",
    ] {
        assert!(text.contains(shown), "{shown:?} not shown: {text}");
    }
}
