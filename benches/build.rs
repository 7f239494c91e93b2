//! `cargo bench`: times reading + parsing the seeds and a full build of the site.
//! Prints the median and the spread over repeated runs; no assertions.

use clausebook::{BuildOptions, build};
use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    (v[0], v[v.len() / 2], v[v.len() - 1])
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> (Duration, Duration, Duration) {
    f(); // warm the file cache
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn report(name: &str, (min, med, max): (Duration, Duration, Duration)) {
    println!(
        "{name:<28} median {:>8.2} ms   min {:>8.2} ms   max {:>8.2} ms",
        med.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported here.
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    let runs = 20;
    report(
        "read + parse (5 seeds)",
        time(runs, || {
            clausebook::build::load(&seeds).expect("seeds load");
        }),
    );
    let lib = clausebook::build::load(&seeds).expect("seeds load").library;
    report(
        "render (5 seeds)",
        time(runs, || {
            clausebook::render::render(&lib, &seeds).expect("render");
        }),
    );
    report(
        "full build (5 seeds)",
        time(runs, || {
            build(&BuildOptions {
                seeds: seeds.clone(),
                out: out.clone(),
                ..Default::default()
            })
            .expect("seeds build");
        }),
    );
    let bytes: u64 = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "site size                    {:.1} KiB",
        bytes as f64 / 1024.0
    );
}
