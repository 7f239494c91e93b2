//! `cargo bench --bench search`: size and speed of the site's search on the five seeds.
//!
//! - size: each index and `static/search.js`, raw and gzipped (`gzip -9`);
//! - in headless Chromium, from `file://`: the first query after focusing the field
//!   (loading the index included) and keystroke ─► rendered top-20 results, typing every
//!   query of `tests/fixtures/search-queries.txt` one character at a time.
//!
//! Prints numbers; asserts nothing. Needs Chromium and `gzip`.

#[path = "../tests/it/common/cdp.rs"]
#[allow(dead_code)] // the bench uses part of the test driver
mod cdp;
#[path = "../tests/it/common/probe.rs"]
#[allow(dead_code)] // the driver uses the Chromium lookup only
mod probe;

use clausebook::{BuildOptions, build};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn gzip_len(bytes: &[u8]) -> usize {
    let mut child = Command::new("gzip")
        .arg("-9c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    child.wait_with_output().unwrap().stdout.len()
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    build(&BuildOptions {
        seeds,
        out: out.clone(),
        ..Default::default()
    })
    .expect("build");

    // Size.
    println!("size (raw / gzip -9):");
    let mut files: Vec<String> = std::fs::read_dir(out.join("search"))
        .unwrap()
        .map(|e| format!("search/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    files.push("static/search.js".into());
    let (mut raw, mut gz) = (0, 0);
    for f in &files {
        let bytes = std::fs::read(out.join(f)).unwrap();
        let g = gzip_len(&bytes);
        println!("  {f:<28} {:>8} B {:>8} B", bytes.len(), g);
        raw += bytes.len();
        gz += g;
    }
    println!("  {:<28} {raw:>8} B {gz:>8} B", "total");
    let css = std::fs::read(out.join("static/search.css")).unwrap();
    println!(
        "  (static/search.css          {:>8} B {:>8} B)",
        css.len(),
        gzip_len(&css)
    );

    let queries: Vec<String> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search-queries.txt"),
    )
    .unwrap()
    .lines()
    .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    .map(str::to_string)
    .collect();

    let mut b = cdp::Browser::launch().expect("Chromium");
    let page = file_url(&out.join("guideline/index.html"));

    // First query after focus: a fresh page each time, focused once the page is idle (as a
    // reader's first click or `/` comes after the page has loaded). Split into: focus ─►
    // the index script runs (loading and parsing it), then preparing the index, query and
    // rendering.
    let mut phases: Vec<[f64; 3]> = Vec::new();
    for q in ["西部", "一带一路", "(八)", "生态保护", "脱贫"]
        .iter()
        .cycle()
        .take(20)
    {
        b.navigate("about:blank").unwrap();
        b.navigate(&page).unwrap();
        let v = b
            .eval(&format!(
                r#"new Promise(idle => requestIdleCallback(() => setTimeout(idle, 100))).then(() => new Promise(done => {{
                    const i = document.getElementById('search-input');
                    i.value = {q};
                    let t1 = 0;
                    const reg = clausebookSearch.register;
                    clausebookSearch.register = d => {{ t1 = performance.now(); reg(d); }};
                    const t0 = performance.now();
                    i.addEventListener('clausebook:results', () => {{
                        document.getElementById('search-results').offsetHeight; // layout
                        const t3 = performance.now();
                        done([t3 - t0, t1 - t0, t3 - t1]);
                    }}, {{once: true}});
                    i.focus();
                }}))"#,
                q = serde_json::to_string(q).unwrap()
            ))
            .unwrap();
        phases.push(serde_json::from_value(v).unwrap());
    }
    let n = phases.len();
    println!("\nfirst query after focus (index load included), file://, {n} fresh page loads:");
    for (k, name) in [
        "total",
        "  load and parse the index",
        "  prepare, query, render",
    ]
    .iter()
    .enumerate()
    {
        let mut v: Vec<f64> = phases.iter().map(|p| p[k]).collect();
        println!(
            "  {name:<28} median {:>6.1} ms   p95 {:>6.1} ms   max {:>6.1} ms",
            percentile(&mut v, 0.5),
            percentile(&mut v, 0.95),
            percentile(&mut v, 1.0)
        );
    }

    // Keystroke ─► rendered top 20, for this page's language and for every language.
    for (scope, lang) in [
        ("this page's language (zh-Hans)", ""),
        ("all languages", "*"),
    ] {
        let times = b
            .eval(&format!(
                r#"new Promise(done => {{
                    const i = document.getElementById('search-input');
                    const list = document.getElementById('search-results');
                    const sel = document.querySelector('select.search-lang');
                    const go = () => {{
                        if ({lang} && sel.value !== {lang}) {{
                            sel.value = {lang};
                            sel.dispatchEvent(new Event('change'));
                        }}
                        const want = {lang} ? 2 : 1;
                        if (Object.keys(clausebookSearch.indexes).length < want) {{ setTimeout(go, 20); return; }}
                        const times = [];
                        for (let round = 0; round < 3; round++) {{
                            for (const q of {queries}) {{
                                const chars = Array.from(q);
                                for (let k = 1; k <= chars.length; k++) {{
                                    i.value = chars.slice(0, k).join('');
                                    const t0 = performance.now();
                                    i.dispatchEvent(new Event('input'));
                                    list.offsetHeight; // layout
                                    times.push(performance.now() - t0);
                                }}
                            }}
                        }}
                        done(times);
                    }};
                    i.focus();
                    go();
                }})"#,
                lang = serde_json::to_string(lang).unwrap(),
                queries = serde_json::to_string(&queries).unwrap()
            ))
            .unwrap();
        let mut times: Vec<f64> = serde_json::from_value(times).unwrap();
        let n = times.len();
        println!("\nkeystroke ─► rendered top 20, {scope}, {n} keystrokes:");
        println!(
            "  median {:.2} ms   p95 {:.2} ms   max {:.2} ms",
            percentile(&mut times, 0.5),
            percentile(&mut times, 0.95),
            percentile(&mut times, 1.0)
        );
    }
}
