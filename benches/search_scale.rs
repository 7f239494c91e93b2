//! `cargo bench --bench search_scale -- --seeds DIR` (or `--site DIR` for a site built
//! already): the search of a large library, in headless Chromium from `file://`.
//!
//! With a 1,000-document library from `cargo bench --bench gen_corpus -- --docs 1000 --out
//! DIR`, it reports:
//!
//! - the index as written: single file or directory, term shards and unit chunks (count,
//!   largest, total), raw and gzipped (`gzip -9`);
//! - for every query of `tests/fixtures/search-queries.txt`, on a fresh page of the
//!   library: the time from the first keystroke (focus and the whole query typed at once) to
//!   the first result rendered (the early list, `clausebook:early`, where the search shows
//!   its first hits while pieces still load) and to every result rendered
//!   (`clausebook:results`), and the first-query payload: the bytes (gzip) of every script
//!   the page loaded for it, `static/search.js` included;
//! - then, on the same page, keystroke ─► rendered results for every prefix of every query,
//!   each typed as the next keystroke (pieces the next prefix needs load as it goes).
//!
//! Prints numbers; asserts nothing. Needs Chromium and `gzip`.

#[path = "../tests/it/common/cdp.rs"]
#[allow(dead_code)] // the bench uses part of the test driver
mod cdp;
#[path = "../tests/it/common/probe.rs"]
#[allow(dead_code)] // the driver uses the Chromium lookup only
mod probe;

use clausebook::{BuildOptions, build};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const USAGE: &str = "usage: cargo bench --bench search_scale -- (--seeds DIR | --site DIR)";

fn gzip_len(bytes: &[u8]) -> usize {
    let mut child = Command::new("gzip")
        .arg("-9c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip");
    let mut stdin = child.stdin.take().unwrap();
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data).unwrap());
    let out = child.wait_with_output().unwrap().stdout.len();
    writer.join().unwrap();
    out
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn kb(n: usize) -> String {
    format!("{:.1} kB", n as f64 / 1000.0)
}

/// Size summary of the files under `search/`, by kind.
fn sizes(site: &Path) {
    let mut kinds: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
    let mut stack = vec![site.join("search")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p.strip_prefix(site).unwrap().to_string_lossy().into_owned();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let kind = if name.starts_with("index-") {
                format!("{rel} (directory or whole index)")
            } else if name.starts_with('t') {
                "term shards".into()
            } else if name.starts_with('u') {
                "unit chunks".into()
            } else {
                "document lists".into()
            };
            let bytes = std::fs::read(&p).unwrap();
            let g = if kind.contains("shards") || kind.contains("chunks") {
                0
            } else {
                gzip_len(&bytes)
            };
            let k = kinds.entry(kind).or_default();
            k.0 += 1;
            k.1 = k.1.max(bytes.len());
            k.2 += bytes.len();
            k.3 += g;
        }
    }
    println!("index files (raw; gzip -9 for single files):");
    for (kind, (n, max, total, g)) in kinds {
        if n == 1 {
            println!("  {kind:<52} {:>10} {:>10}", kb(total), kb(g));
        } else {
            println!(
                "  {kind:<52} {n:>6} files, largest {}, total {}",
                kb(max),
                kb(total)
            );
        }
    }
}

fn main() {
    let mut seeds: Option<PathBuf> = None;
    let mut site: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seeds" => seeds = args.next().map(PathBuf::from),
            "--site" => site = args.next().map(PathBuf::from),
            "--bench" => {}
            other => {
                eprintln!("error: unknown argument {other:?}\n{USAGE}");
                std::process::exit(2);
            }
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = match (site, seeds) {
        (Some(s), _) => s,
        (None, Some(seeds)) => {
            let out = tmp.path().join("site");
            let t = Instant::now();
            build(&BuildOptions {
                seeds,
                out: out.clone(),
                ..Default::default()
            })
            .expect("build");
            println!("built in {:.1} s", t.elapsed().as_secs_f64());
            out
        }
        (None, None) => {
            // A plain `cargo bench` runs every bench target: nothing to measure here.
            println!("{USAGE}");
            return;
        }
    };
    sizes(&site);

    let queries: Vec<String> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search-queries.txt"),
    )
    .unwrap()
    .lines()
    .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    .map(str::to_string)
    .collect();

    let mut b = cdp::Browser::launch().expect("Chromium");
    let page = format!("file://{}", site.join("index.html").display());
    let mut gz_cache: BTreeMap<String, usize> = BTreeMap::new();

    // First query on a fresh page.
    let mut first_ms = Vec::new();
    let mut complete_ms = Vec::new();
    let mut payloads = Vec::new();
    let mut worst = (0, String::new());
    let mut scripts_n = Vec::new();
    let mut per_query = Vec::new();
    for q in &queries {
        b.navigate("about:blank").unwrap();
        b.navigate(&page).unwrap();
        let v = b
            .eval(&format!(
                r#"new Promise(idle => requestIdleCallback(() => setTimeout(idle, 100))).then(() => new Promise(done => {{
                    const i = document.getElementById('search-input');
                    const t0 = performance.now();
                    let first = null;
                    // The first hits may be listed early, while pieces still load.
                    i.addEventListener('clausebook:early', () => {{
                        document.getElementById('search-results').offsetHeight; // layout
                        if (first === null) first = performance.now() - t0;
                    }}, {{once: true}});
                    i.addEventListener('clausebook:results', () => {{
                        document.getElementById('search-results').offsetHeight; // layout
                        const t1 = performance.now() - t0;
                        const src = Array.from(document.scripts).map(s => s.src).filter(s => s);
                        done([first === null ? t1 : first, src, document.querySelectorAll('#search-results a').length, t1]);
                    }}, {{once: true}});
                    i.focus();
                    i.value = {q};
                    i.dispatchEvent(new Event('input'));
                }}))"#,
                q = serde_json::to_string(q).unwrap()
            ))
            .unwrap();
        first_ms.push(v[0].as_f64().unwrap());
        complete_ms.push(v[3].as_f64().unwrap());
        let mut bytes = 0;
        let mut n = 0;
        for s in v[1].as_array().unwrap() {
            let s = s.as_str().unwrap();
            if !(s.contains("/search/") || s.ends_with("static/search.js")) {
                continue;
            }
            let path = s.trim_start_matches("file://").to_string();
            let g = *gz_cache
                .entry(path.clone())
                .or_insert_with(|| gzip_len(&std::fs::read(&path).unwrap()));
            bytes += g;
            n += 1;
        }
        if bytes > worst.0 {
            worst = (bytes, q.clone());
        }
        payloads.push(bytes as f64);
        scripts_n.push(n as f64);
        per_query.push((bytes, n, v[0].as_f64().unwrap(), q.clone()));
    }
    let n = queries.len();
    println!("\nfirst query on a fresh page, file://, {n} queries (one page load each):");
    println!(
        "  first keystroke ─► first result rendered: median {:.1} ms   p95 {:.1} ms   max {:.1} ms",
        percentile(&mut first_ms, 0.5),
        percentile(&mut first_ms, 0.95),
        percentile(&mut first_ms, 1.0)
    );
    println!(
        "  first keystroke ─► every result rendered: median {:.1} ms   p95 {:.1} ms   max {:.1} ms",
        percentile(&mut complete_ms, 0.5),
        percentile(&mut complete_ms, 0.95),
        percentile(&mut complete_ms, 1.0)
    );
    println!(
        "  payload (gzip -9 of the scripts loaded, search.js included): median {}   p95 {}   max {} ({})",
        kb(percentile(&mut payloads, 0.5) as usize),
        kb(percentile(&mut payloads, 0.95) as usize),
        kb(worst.0),
        worst.1
    );
    println!(
        "  scripts loaded: median {}   max {}",
        percentile(&mut scripts_n, 0.5),
        percentile(&mut scripts_n, 1.0)
    );

    per_query.sort_by_key(|p| std::cmp::Reverse(p.0));
    println!("  largest payloads:");
    for (bytes, n, ms, q) in per_query.iter().take(8) {
        println!("    {:>10} {n:>4} scripts {ms:>7.1} ms  {q}", kb(*bytes));
    }
    per_query.sort_by(|a, b| b.2.total_cmp(&a.2));
    println!("  slowest first results:");
    for (bytes, n, ms, q) in per_query.iter().take(8) {
        println!("    {ms:>7.1} ms {n:>4} scripts {:>10}  {q}", kb(*bytes));
    }

    // Every prefix of every query, typed on one page, each timed to its rendered results
    // (one evaluation per query, so that a slow machine stays within the driver's timeout).
    b.eval(
        "new Promise(done => { document.getElementById('search-input').focus(); \
         (function wait() { if (Object.keys(clausebookSearch.indexes).length) done(); \
         else setTimeout(wait, 10); })(); })",
    )
    .unwrap();
    let mut all_times: Vec<serde_json::Value> = Vec::new();
    for _round in 0..2 {
        for q in &queries {
            let t = b
                .eval(&format!(
                    r#"(async () => {{
                        const i = document.getElementById('search-input');
                        const list = document.getElementById('search-results');
                        const times = [];
                        const chars = Array.from({q});
                        for (let k = 1; k <= chars.length; k++) {{
                            const before = document.scripts.length;
                            const t0 = performance.now();
                            await new Promise(done => {{
                                i.addEventListener('clausebook:results', done, {{once: true}});
                                i.value = chars.slice(0, k).join('');
                                i.dispatchEvent(new Event('input'));
                                if (!i.value.trim()) done();
                            }});
                            list.offsetHeight; // layout
                            times.push([performance.now() - t0, document.scripts.length > before ? 1 : 0]);
                        }}
                        return times;
                    }})()"#,
                    q = serde_json::to_string(q).unwrap()
                ))
                .unwrap();
            all_times.extend(t.as_array().unwrap().iter().cloned());
        }
    }
    let times: Vec<(f64, u8)> =
        serde_json::from_value(serde_json::Value::Array(all_times)).unwrap();
    let n = times.len();
    println!(
        "\nkeystroke ─► rendered results, every prefix of every query, twice, {n} keystrokes:"
    );
    for (name, pick) in [
        ("all", None),
        ("  that loaded no piece", Some(0)),
        ("  that loaded pieces", Some(1)),
    ] {
        let mut v: Vec<f64> = times
            .iter()
            .filter(|(_, l)| pick.is_none_or(|p| p == *l))
            .map(|(t, _)| *t)
            .collect();
        if v.is_empty() {
            continue;
        }
        let k = v.len();
        println!(
            "  {name:<24} {k:>5}: median {:.2} ms   p95 {:.2} ms   max {:.2} ms",
            percentile(&mut v, 0.5),
            percentile(&mut v, 0.95),
            percentile(&mut v, 1.0)
        );
    }
}
