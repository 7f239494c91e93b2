//! `cargo bench --bench link`: times the link stage (citations, clause correspondence,
//! shared wording) on the seeds, and reports the pages it adds and their size.
//! Prints numbers only; no assertions.

use clausebook::{BuildOptions, build, link};
use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let lib = build::load(&seeds).expect("the seeds load").library;
    let runs = 20;
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let mut l = lib.clone();
            let t = Instant::now();
            link::link(&mut l, &[]);
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "link stage (5 seeds)         median {:>8.2} ms   min {:>8.2} ms   max {:>8.2} ms",
        times[runs / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[runs - 1].as_secs_f64() * 1e3
    );
    let links: usize = lib.documents.iter().map(|d| d.links.len()).sum();
    println!("clause links found           {links}");

    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    build(&BuildOptions {
        seeds,
        out: out.clone(),
        ..Default::default()
    })
    .expect("the seeds build");
    let mut kinds: [(&str, usize, u64); 4] = [
        ("clause pages", 0, 0),
        ("compare pages", 0, 0),
        ("implementation map", 0, 0),
        ("whole site", 0, 0),
    ];
    for e in walkdir::WalkDir::new(&out) {
        let e = e.expect("walk");
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let size = e.metadata().expect("metadata").len();
        let name = rel.rsplit('/').next().unwrap_or("");
        let k = if rel.contains("/compare/") {
            Some(1)
        } else if rel == "implementation-map.html" {
            Some(2)
        } else if name.starts_with('c')
            && name[1..].trim_end_matches(".html").parse::<u32>().is_ok()
        {
            Some(0)
        } else {
            None
        };
        if let Some(k) = k {
            kinds[k].1 += 1;
            kinds[k].2 += size;
        }
        kinds[3].1 += 1;
        kinds[3].2 += size;
    }
    for (name, n, bytes) in kinds {
        println!("{name:<28} {n:>5} files {:>9.1} KiB", bytes as f64 / 1024.0);
    }
}
