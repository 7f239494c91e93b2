//! Reading features in headless Chromium from `file://`: the language switch keeps the
//! clause in view, the copy-link button copies the clause's address, and the pages run
//! their scripts without errors.
//!
//! Needs Chromium; `CLAUSEBOOK_SKIP_BROWSER=1` skips. The driver is `tests/it/common/cdp.rs`.

use crate::common::cdp::Browser;
use crate::common::file_url;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

fn clause_at_top(b: &mut Browser, id: &str) -> bool {
    b.wait_until(
        &format!(
            "(() => {{ const e = document.getElementById('{id}'); if (!e) return false; \
             const t = e.getBoundingClientRect().top; return t >= -2 && t <= innerHeight / 4 \
             && document.querySelector(':target') === e; }})()"
        ),
        Duration::from_secs(3),
    )
    .unwrap()
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn language_switch_keeps_the_clause_and_copy_link_copies_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    clausebook::build(&clausebook::BuildOptions {
        seeds: Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"),
        out: out.clone(),
        ..Default::default()
    })
    .unwrap();
    let zh = file_url(&out.join("guideline/index.html"));
    let mut b = Browser::launch().unwrap_or_else(|e| panic!("cannot drive Chromium: {e}"));

    b.navigate(&format!("{zh}#c8")).unwrap();
    assert!(
        clause_at_top(&mut b, "c8"),
        "#c8 not at the top of the Chinese page"
    );

    // The copy-link button of clause (八) copies this page's address with #c8. Capture
    // what reaches the clipboard, whichever way the script writes it.
    let copied = b
        .eval(
            r#"(async () => {
                const got = [];
                document.execCommand = () => { got.push(document.activeElement.value); return true; };
                if (navigator.clipboard) navigator.clipboard.writeText = t => { got.push(t); return Promise.resolve(); };
                const button = document.querySelector('button.copy-link[data-target="c8"]');
                if (!button || button.hidden) return {error: 'no visible copy button on c8'};
                const label = button.textContent;
                button.click();
                for (let i = 0; i < 40 && got.length === 0; i++) await new Promise(r => setTimeout(r, 25));
                await new Promise(r => setTimeout(r, 50));
                return {got, label, after: button.textContent, here: location.href.split('#')[0]};
            })()"#,
        )
        .unwrap();
    assert!(copied.get("error").is_none(), "{copied}");
    let here = copied["here"].as_str().unwrap();
    assert_eq!(
        copied["got"],
        Value::from(vec![format!("{here}#c8")]),
        "{copied}"
    );
    assert_ne!(
        copied["after"], copied["label"],
        "no feedback after copying: {copied}"
    );

    // The English link carries the fragment, and following it lands on clause (8).
    let href = b
        .eval(r#"document.querySelector('a[data-keep-hash][hreflang="en"]').getAttribute('href')"#)
        .unwrap();
    assert_eq!(href, "en.html#c8");
    let mark = b.mark();
    b.eval(r#"document.querySelector('a[data-keep-hash][hreflang="en"]').click(); true"#)
        .unwrap();
    b.wait_event(mark, &["Page.loadEventFired"]).unwrap();
    let url = b.eval("location.href").unwrap();
    assert!(
        url.as_str().unwrap().ends_with("/guideline/en.html#c8"),
        "landed on {url}"
    );
    assert!(
        clause_at_top(&mut b, "c8"),
        "#c8 not at the top of the English page"
    );
    let text = b.eval("document.getElementById('c8').textContent").unwrap();
    assert!(text.as_str().unwrap().contains("(8)"), "{text}");

    // A jump within the page updates the link back to the original.
    b.eval("location.hash = '#c21'; true").unwrap();
    assert!(clause_at_top(&mut b, "c21"));
    let back = b
        .eval(r#"document.querySelector('a[data-keep-hash][hreflang="zh-Hans"]').getAttribute('href')"#)
        .unwrap();
    assert_eq!(back, "index.html#c21");

    let errors = b.events_named("Runtime.exceptionThrown");
    assert!(errors.is_empty(), "script errors: {errors:?}");
}
