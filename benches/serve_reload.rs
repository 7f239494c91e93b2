//! `cargo bench --bench serve_reload`: edit-to-reloaded time of `clausebook serve` for
//! one seed change, over a copy of the seeds. Each run edits the English seed, then times
//! until the live-reload event has arrived and the page, fetched again as the browser
//! would, has the new text (a reload before the write's last part is read does not count). Prints the median and spread of 20 runs; no assertions.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    body
}

fn main() {
    let runs = 20;
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(seeds.join("pages")).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let rel = e.path().strip_prefix(&src).unwrap();
        if e.file_type().is_dir() {
            std::fs::create_dir_all(seeds.join(rel)).unwrap();
        } else {
            std::fs::copy(e.path(), seeds.join(rel)).unwrap();
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_clausebook"))
        .args(["serve", "--quiet", "--port", "0", "--seeds"])
        .arg(&seeds)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("serving http://")
        .trim_end_matches('/')
        .to_string();

    let mut events = TcpStream::connect(&addr).unwrap();
    write!(
        events,
        "GET /__clausebook/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(events);
    let seed = seeds.join("001_00d2dfaf8ea1c481.txt");
    let original = std::fs::read_to_string(&seed).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let mut times = Vec::new();
    for i in 0..runs {
        let marker = format!("Bench-Marker-{i}");
        let text = original.replacen("Western Region", &marker, 1);
        let t = Instant::now();
        std::fs::write(&seed, text).unwrap();
        // A save can raise more than one rebuild (a truncate, then the write): wait for
        // the reload after which the page has the edit.
        let mut l = String::new();
        let elapsed = loop {
            l.clear();
            events.read_line(&mut l).unwrap();
            if l.starts_with("event: reload") && get(&addr, "/guideline/en.html").contains(&marker)
            {
                break t.elapsed();
            }
        };
        times.push(elapsed);
        std::thread::sleep(Duration::from_millis(150));
    }
    let _ = child.kill();
    let _ = child.wait();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "serve: edit-to-reloaded, one seed ({runs} runs)  median {:>7.1} ms   min {:>7.1} ms   max {:>7.1} ms",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1])
    );
}
