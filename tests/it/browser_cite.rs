//! The Cite menu in headless Chromium, from `file://`: it appears only with the script,
//! and copies the citation and the Markdown link with an absolute link to the clause.
//!
//! Needs Chromium like `tests/it/browser.rs`; `CLAUSEBOOK_SKIP_BROWSER=1` skips it.

use crate::common::cdp::Browser;
use crate::common::file_url;
use std::path::Path;
use std::time::Duration;

/// Clicks the Cite menu's `which` button of clause `id` and returns what was copied.
fn copy_from_menu(b: &mut Browser, id: &str, which: &str) -> String {
    b.eval(
        r#"(() => {
            window.__copied = null;
            Object.defineProperty(navigator, "clipboard", {configurable: true, value: {
                writeText: t => { window.__copied = t; return Promise.resolve(); }
            }});
            document.execCommand = () => false;
        })()"#,
    )
    .unwrap();
    let clicked = b
        .eval(&format!(
            r#"(() => {{
                const m = document.querySelector('#{id} details.cite-menu');
                if (!m || m.hidden) return false;
                m.open = true;
                m.querySelector('button[data-copy="{which}"]').click();
                return true;
            }})()"#
        ))
        .unwrap();
    assert_eq!(clicked, true, "a visible Cite menu on #{id}");
    assert!(
        b.wait_until("window.__copied !== null", Duration::from_secs(3))
            .unwrap(),
        "something was copied"
    );
    b.eval("window.__copied")
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn cite_menu_copies_citation_and_markdown_link() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    clausebook::build(&clausebook::BuildOptions {
        seeds: Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"),
        out: out.clone(),
        ..Default::default()
    })
    .unwrap();
    let mut b = Browser::launch().unwrap_or_else(|e| panic!("cannot drive Chromium: {e}"));

    let zh = file_url(&out.join("guideline/index.html"));
    b.navigate(&zh).unwrap();
    let cite = copy_from_menu(&mut b, "c21", "citation");
    assert_eq!(
        cite,
        format!(
            "《中共中央国务院 关于新时代推进西部大开发形成新格局的指导意见》(二十一)着力强化公共就业创业服务，2020年5月17日，{zh}#c21"
        )
    );
    let md = copy_from_menu(&mut b, "c21", "markdown");
    assert!(md.starts_with("[《中共中央国务院"), "{md}");
    assert!(md.ends_with(&format!("]({zh}#c21)")), "{md}");

    // In English on the translation, and from a clause page one folder deeper the link
    // still leads to the clause in its document.
    let page = file_url(&out.join("guideline/en/c8.html"));
    b.navigate(&page).unwrap();
    let cite = copy_from_menu(&mut b, "c8", "citation");
    let en = file_url(&out.join("guideline/en.html"));
    assert!(cite.starts_with("Guiding Opinions of the CPC"), "{cite}");
    assert!(cite.contains(", (8) "), "{cite}");
    assert!(cite.ends_with(&format!(", 17 May 2020, {en}#c8")), "{cite}");
}
