//! The side-by-side page in headless Chromium, opened from `file://`: clause links land
//! on both halves, sentences mark their partners, the column toggle works and is
//! remembered, phones get the languages interleaved, and language links keep the
//! fragment. `CLAUSEBOOK_SKIP_BROWSER=1` skips these tests.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::cdp::Browser;
use crate::common::file_url;
use serde_json::{Value, json};

fn build_site(tmp: &Path) -> PathBuf {
    let out = tmp.join("site");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    clausebook::build(&clausebook::BuildOptions {
        seeds,
        out: out.clone(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("build failed: {e}"));
    out
}

/// The top and bottom of the element `sel`, relative to the window.
fn rect(b: &mut Browser, sel: &str) -> Value {
    b.eval(&format!(
        "(() => {{ const e = document.querySelector({s}); if (!e) return null; \
         const r = e.getBoundingClientRect(); \
         return {{top: r.top, bottom: r.bottom, left: r.left, right: r.right, h: innerHeight, \
         display: getComputedStyle(e).display}}; }})()",
        s = serde_json::to_string(sel).unwrap()
    ))
    .unwrap()
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn parallel_page_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_site(tmp.path());
    let page = file_url(&out.join("guideline/parallel.html"));
    let mut b = Browser::launch().unwrap_or_else(|e| panic!("cannot drive Chromium: {e}"));

    // 1. `#c8` puts both halves of clause 8 at the top of the window.
    b.navigate(&format!("{page}#c8")).unwrap();
    let landed = b
        .wait_until(
            "(() => { const r = document.getElementById('c8').getBoundingClientRect(); \
             return r.top >= -2 && r.top < innerHeight / 4; })()",
            Duration::from_secs(3),
        )
        .unwrap();
    assert!(landed, "#c8 is not at the top: {}", rect(&mut b, "#c8"));
    for (col, label) in [(0, "(八)"), (1, "(8)")] {
        let cell = format!("#c8 > .pcol-{col}");
        let r = rect(&mut b, &cell);
        assert!(
            r["top"].as_f64().unwrap() >= -2.0
                && r["bottom"].as_f64().unwrap() <= r["h"].as_f64().unwrap(),
            "{cell} is not in view: {r}"
        );
        let text = b
            .eval(&format!("document.querySelector('{cell}').textContent"))
            .unwrap();
        assert!(text.as_str().unwrap().contains(label), "{cell}: {text}");
    }
    // Both halves start at the same height.
    let (zh, en) = (
        rect(&mut b, "#c8-1 > .pcol-0"),
        rect(&mut b, "#c8-1 > .pcol-1"),
    );
    assert_eq!(zh["top"], en["top"], "{zh} {en}");

    // 2. Hovering, then focusing, a Chinese sentence marks its English partner only.
    let partner_marked = |b: &mut Browser, id: &str| -> Value {
        b.eval(&format!(
            "(() => {{ const marked = [...document.querySelectorAll('.s-partner')].map(e => e.id); \
             const e = document.getElementById('{id}'); \
             return {{marked, bg: e ? getComputedStyle(e).backgroundColor : null, \
             other: getComputedStyle(document.getElementById('en-c8-1.5')).backgroundColor}}; }})()"
        ))
        .unwrap()
    };
    let r = b
        .eval(
            "(() => { const r = document.getElementById('c8-1.3').getClientRects()[0]; \
             return [r.left + r.width / 2, r.top + r.height / 2]; })()",
        )
        .unwrap();
    let (x, y) = (r[0].as_f64().unwrap(), r[1].as_f64().unwrap());
    b.call(
        "Input.dispatchMouseEvent",
        json!({"type": "mouseMoved", "x": x, "y": y}),
    )
    .unwrap();
    let m = partner_marked(&mut b, "en-c8-1.3");
    assert_eq!(m["marked"], json!(["en-c8-1.3"]), "{m}");
    assert_ne!(m["bg"], m["other"], "the partner looks marked: {m}");
    // Away from the grid, then keyboard focus on another sentence.
    b.call(
        "Input.dispatchMouseEvent",
        json!({"type": "mouseMoved", "x": 2, "y": 2}),
    )
    .unwrap();
    b.eval("document.getElementById('c8-1.4').focus()").unwrap();
    let m = partner_marked(&mut b, "en-c8-1.4");
    assert_eq!(m["marked"], json!(["en-c8-1.4"]), "{m}");
    // The reverse: an English sentence marks its Chinese partner.
    b.eval("document.getElementById('en-c8-1.2').focus()")
        .unwrap();
    let m = b
        .eval("[...document.querySelectorAll('.s-partner')].map(e => e.id)")
        .unwrap();
    assert_eq!(m, json!(["c8-1.2"]));

    // 3. The toggle hides a column, survives a reload, and shows both again.
    let shown = |b: &mut Browser| -> (String, String) {
        let d =
            |b: &mut Browser, c: u8| rect(b, &format!("#c8-1 > .pcol-{c}"))["display"].to_string();
        (d(b, 0), d(b, 1))
    };
    assert_eq!(
        b.eval("document.querySelector('.pview-toggle').hidden")
            .unwrap(),
        false
    );
    assert!(!shown(&mut b).0.contains("none") && !shown(&mut b).1.contains("none"));
    b.eval("document.querySelector('.pview-toggle button[data-show=\"1\"]').click()")
        .unwrap();
    let (zh, en) = shown(&mut b);
    assert!(zh.contains("none") && !en.contains("none"), "{zh} {en}");
    let mark = b.mark();
    b.call("Page.reload", json!({})).unwrap();
    b.wait_event(mark, &["Page.loadEventFired"]).unwrap();
    let (zh, en) = shown(&mut b);
    assert!(
        zh.contains("none") && !en.contains("none"),
        "after reload: {zh} {en}"
    );
    b.eval("document.querySelector('.pview-toggle button[data-show=\"0\"]').click()")
        .unwrap();
    let (zh, en) = shown(&mut b);
    assert!(!zh.contains("none") && en.contains("none"), "{zh} {en}");
    b.eval("document.querySelector('.pview-toggle button[data-show=\"all\"]').click()")
        .unwrap();
    let (zh, en) = shown(&mut b);
    assert!(!zh.contains("none") && !en.contains("none"), "{zh} {en}");

    // 4. At a phone's width the languages interleave: English below its Chinese.
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 375, "height": 740, "deviceScaleFactor": 2, "mobile": true}),
    )
    .unwrap();
    b.navigate(&format!("{page}#c8")).unwrap();
    let ok = b
        .wait_until("innerWidth <= 400", Duration::from_secs(3))
        .unwrap();
    assert!(ok, "the viewport did not narrow");
    for row in ["#c8", "#c8-1", "#c14-1"] {
        let zh = rect(&mut b, &format!("{row} > .pcol-0"));
        let en = rect(&mut b, &format!("{row} > .pcol-1"));
        assert!(
            en["top"].as_f64().unwrap() >= zh["bottom"].as_f64().unwrap() - 1.0,
            "{row}: English should follow Chinese: {zh} {en}"
        );
        assert!(
            (en["left"].as_f64().unwrap() - zh["left"].as_f64().unwrap()).abs() < 20.0,
            "{row}: same column: {zh} {en}"
        );
        // … and the next row's Chinese comes after this row's English.
    }
    let en8 = rect(&mut b, "#c8-1 > .pcol-1");
    let zh9 = rect(&mut b, "#c9 > .pcol-0");
    assert!(zh9["top"].as_f64().unwrap() >= en8["bottom"].as_f64().unwrap() - 1.0);
    b.call("Emulation.clearDeviceMetricsOverride", json!({}))
        .unwrap();

    // 5. Language links keep the fragment: from the parallel page and to it.
    b.navigate(&format!("{page}#c8-1.3")).unwrap();
    let hrefs = b
        .eval(
            "[...document.querySelectorAll('a[data-keep-hash]')].map(a => a.getAttribute('href'))",
        )
        .unwrap();
    assert_eq!(hrefs, json!(["index.html#c8-1.3", "en.html#c8-1.3"]));
    let en = file_url(&out.join("guideline/en.html"));
    b.navigate(&format!("{en}#c8-1.2")).unwrap();
    let target = b
        .eval("document.querySelector(':target') && document.querySelector(':target').textContent")
        .unwrap();
    assert!(
        target
            .as_str()
            .unwrap_or("")
            .starts_with("Support Chongqing"),
        "en.html#c8-1.2 lands on its sentence: {target}"
    );
    let mark = b.mark();
    b.eval("[...document.querySelectorAll('a[data-keep-hash]')].find(a => /parallel/.test(a.href)).click()")
        .unwrap();
    b.wait_event(mark, &["Page.loadEventFired"]).unwrap();
    let url = b.eval("location.href").unwrap();
    assert!(
        url.as_str()
            .unwrap()
            .ends_with("guideline/parallel.html#c8-1.2"),
        "{url}"
    );
    assert!(
        b.wait_until(
            "(() => { const r = document.getElementById('c8-1.2').getBoundingClientRect(); return r.top >= -2 && r.top < innerHeight / 3; })()",
            Duration::from_secs(3)
        )
        .unwrap(),
        "parallel.html#c8-1.2 lands on the sentence"
    );
}
