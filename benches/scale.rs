//! `cargo bench --bench scale`: time against input size. Builds generated seeds at 1×,
//! 2× and 4× a base size, for a seed that is one long line and for a seed of many parts
//! and clauses, and prints the time per MB: it stays flat where time is linear in size.
//! `SCALE_MB=5` sets the base size in MB (default 5). No assertions.

use clausebook::{BuildOptions, build};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

const SENTENCE: &str =
    "推动西部大开发形成新格局，加快建设现代化产业体系，Strengthen the western region. ";

/// A title and then one line of `bytes` bytes.
fn one_line(bytes: usize) -> String {
    let mut s = String::from("西部大开发政策汇编\n\n");
    while s.len() < bytes {
        s.push_str(SENTENCE);
    }
    s.push('\n');
    s
}

/// Chapters `第N章` of 50 articles `第M条`, each a short paragraph, up to `bytes` bytes.
fn clauses(bytes: usize) -> String {
    let mut s = String::from("西部大开发条例\n\n");
    let mut article = 0;
    let mut chapter = 0;
    while s.len() < bytes {
        if article % 50 == 0 {
            chapter += 1;
            writeln!(s, "\n第{chapter}章 总则\n").unwrap();
        }
        article += 1;
        writeln!(s, "第{article}条 {SENTENCE}{SENTENCE}\n").unwrap();
    }
    s
}

fn timed(seeds: &Path, out: &Path) -> (Duration, Duration) {
    let t = Instant::now();
    clausebook::build::load(seeds).expect("the seeds load");
    let parse = t.elapsed();
    let t = Instant::now();
    build(&BuildOptions {
        seeds: seeds.to_path_buf(),
        out: out.to_path_buf(),
        ..Default::default()
    })
    .expect("the seeds build");
    (parse, t.elapsed())
}

fn main() {
    let base_mb: usize = std::env::var("SCALE_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir().expect("temp dir");
    println!(
        "{:<10} {:>6} {:>12} {:>12} {:>14} {:>14}",
        "seed", "MB", "read+parse", "full build", "parse ms/MB", "build ms/MB"
    );
    for (name, make) in [
        ("one line", one_line as fn(usize) -> String),
        ("clauses", clauses),
    ] {
        for factor in [1, 2, 4] {
            let seeds = dir.path().join(format!("{name}-{factor}"));
            fs::create_dir_all(&seeds).unwrap();
            let text = make(base_mb * factor * 1_000_000);
            let mb = text.len() as f64 / 1e6;
            fs::write(seeds.join("big.txt"), text).unwrap();
            let out = dir.path().join(format!("site-{factor}"));
            timed(&seeds, &out); // warm up
            let (parse, full) = timed(&seeds, &out);
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            println!(
                "{name:<10} {mb:>6.1} {:>9.0} ms {:>9.0} ms {:>14.1} {:>14.1}",
                ms(parse),
                ms(full),
                ms(parse) / mb,
                ms(full) / mb
            );
            fs::remove_dir_all(&seeds).unwrap();
        }
    }
}
