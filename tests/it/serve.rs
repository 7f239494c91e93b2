//! End-to-end tests of `clausebook serve`: the real binary on a free port over a copy of
//! the seeds; pages, edits, live-reload events, a broken manifest and its fix, Ctrl-C.
//! Also: `build` output never carries the live-reload script.

use crate::common::{self, copy_dir, repo_seeds};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// The server process; killed when dropped, should a test fail half-way.
struct Server {
    child: Child,
    base: String,
    stderr: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(seeds: &Path, port: u16) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clausebook"))
        .args(["serve", "--seeds"])
        .arg(seeds)
        .args(["--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("clausebook serve starts");
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let (etx, erx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = etx.send(line);
        }
    });
    let line = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("serve prints its address");
    let base = line
        .strip_prefix("serving ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .trim_end_matches('/')
        .to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    Server {
        child,
        base,
        stderr: erx,
    }
}

struct Response {
    status: u16,
    headers: String,
    body: String,
}

fn get(base: &str, path: &str) -> Response {
    let addr = base.strip_prefix("http://").unwrap();
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).expect("utf-8 response");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a head");
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    Response {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

/// Reads the live-reload stream on a thread; each event as `(name, data)`.
fn events(base: &str) -> Receiver<(String, String)> {
    let addr = base.strip_prefix("http://").unwrap().to_string();
    let mut s = TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "GET /__clausebook/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut name = String::new();
        let mut data = String::new();
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data.push_str(d);
            } else if line.is_empty() && !name.is_empty() {
                if tx
                    .send((std::mem::take(&mut name), std::mem::take(&mut data)))
                    .is_err()
                {
                    return;
                }
                data.clear();
            }
        }
    });
    rx
}

/// Waits for the live-reload event `name`, passing over others sent meanwhile: a file
/// written in place is empty for a moment, and a build that starts then reports an error
/// before the next build succeeds.
fn expect_event(rx: &Receiver<(String, String)>, name: &str, within: Duration) -> String {
    let start = Instant::now();
    let mut seen = Vec::new();
    loop {
        let left = within.saturating_sub(start.elapsed());
        match rx.recv_timeout(left) {
            Ok((n, data)) if n == name => return data,
            Ok((n, data)) => seen.push(format!(
                "{n}: {}",
                data.chars().take(200).collect::<String>()
            )),
            Err(_) => panic!("no {name:?} event within {within:?}; saw {seen:#?}"),
        }
    }
}

/// Polls `path` until `pred` holds, for at most `within`.
fn wait_for(
    base: &str,
    path: &str,
    within: Duration,
    pred: impl Fn(&Response) -> bool,
) -> Response {
    let start = Instant::now();
    loop {
        let r = get(base, path);
        if pred(&r) {
            return r;
        }
        assert!(
            start.elapsed() < within,
            "{path} did not change within {within:?}; last body starts {:?}",
            &r.body.chars().take(300).collect::<String>()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serve_rebuilds_reloads_and_survives_a_broken_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    copy_dir(&repo_seeds(), &seeds);
    let server = start(&seeds, 0);
    let base = server.base.clone();

    // The site is served, with the live-reload script in HTML pages only.
    let page = get(&base, "/guideline/en.html");
    assert_eq!(page.status, 200);
    assert!(
        page.headers
            .contains("content-type: text/html; charset=utf-8")
    );
    assert!(page.body.contains("Western Region"), "English text served");
    assert!(
        page.body.contains("/__clausebook/events"),
        "reload script injected"
    );
    assert!(!page.body.contains("id=\"clausebook-overlay\""));
    let index = get(&base, "/");
    assert_eq!(index.status, 200);
    assert!(index.body.contains("guideline/index.html"));
    let redirect = get(&base, "/guideline");
    assert_eq!(redirect.status, 301);
    assert!(redirect.headers.contains("location: /guideline/"));
    for (path, ctype) in [
        ("/static/style.css", "text/css"),
        ("/static/clausebook.js", "text/javascript"),
        ("/data/guideline.json", "application/json"),
        ("/sitemap.xml", "application/xml"),
    ] {
        let r = get(&base, path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.headers.contains(ctype), "{path}: {}", r.headers);
        assert!(
            !r.body.contains("__clausebook"),
            "{path} has no reload script"
        );
    }
    let missing = get(&base, "/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("not-found"), "the site's 404 page");

    let live = events(&base);
    std::thread::sleep(Duration::from_millis(200));

    // Editing a seed: the new text is served and a reload event sent, within 2 s.
    let en = seeds.join("001_00d2dfaf8ea1c481.txt");
    edit(&en, "Western Region", "Serve-Test-Marker Region");
    let start = Instant::now();
    wait_for(&base, "/guideline/en.html", Duration::from_secs(2), |r| {
        r.body.contains("Serve-Test-Marker Region")
    });
    expect_event(
        &live,
        "reload",
        Duration::from_secs(2).saturating_sub(start.elapsed()),
    );

    // Breaking the manifest: an error event with the overlay; old pages still served,
    // carrying the overlay with file, line and what to do.
    let manifest = seeds.join("manifest.yaml");
    let good = std::fs::read_to_string(&manifest).unwrap();
    edit(&manifest, "  - slug: guideline", "  - slug: ../guideline");
    let data = expect_event(&live, "build-error", Duration::from_secs(5));
    assert!(data.contains("manifest.yaml:"), "{data}");
    assert!(data.contains("what to do"), "{data}");
    assert!(
        data.contains("<mark>"),
        "the offending text is marked: {data}"
    );
    let page = get(&base, "/guideline/en.html");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Serve-Test-Marker Region"),
        "the last good page"
    );
    assert!(page.body.contains("id=\"clausebook-overlay\""));
    assert!(page.body.contains("manifest.yaml:"));
    assert!(page.body.contains("../guideline"));

    // The terminal has it too, like a compiler's report.
    let mut terminal = String::new();
    let t = Instant::now();
    let reported = |t: &str| t.find("error:").is_some_and(|at| t[at..].contains("hint:"));
    while !reported(&terminal) && t.elapsed() < Duration::from_secs(5) {
        if let Ok(line) = server.stderr.recv_timeout(Duration::from_millis(100)) {
            terminal.push_str(&line);
            terminal.push('\n');
        }
    }
    let report = &terminal[terminal.find("error:").expect("an error report")..];
    assert!(report.contains("manifest.yaml:"), "{report}");
    assert!(report.contains("../guideline"), "{report}");
    assert!(
        report.contains("^^^") || report.contains("━━━"),
        "underlined: {report}"
    );

    // Fixing it: a reload event, and the site without the overlay.
    std::fs::write(&manifest, good).unwrap();
    expect_event(&live, "reload", Duration::from_secs(5));
    let page = get(&base, "/guideline/en.html");
    assert!(!page.body.contains("id=\"clausebook-overlay\""));
    assert!(page.body.contains("Serve-Test-Marker Region"));
}

#[cfg(unix)]
#[test]
fn serve_stops_on_ctrl_c_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    copy_dir(&repo_seeds(), &seeds);
    let before: Vec<_> = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    let mut server = start(&seeds, 0);
    assert_eq!(get(&server.base, "/").status, 200);
    let pid = server.child.id().to_string();
    let ok = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(ok.success());
    let t = Instant::now();
    loop {
        if server.child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(5), "serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
    let after: Vec<_> = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    assert_eq!(
        before, after,
        "serve wrote nothing next to or into the seeds"
    );
}

#[test]
fn serve_takes_the_next_port_when_one_is_in_use() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = start(&repo_seeds(), port);
    assert_ne!(server.base, format!("http://127.0.0.1:{port}"));
    assert_eq!(get(&server.base, "/").status, 200);
    let mut said = String::new();
    while let Ok(line) = server.stderr.recv_timeout(Duration::from_secs(5)) {
        said.push_str(&line);
        if said.contains("in use") {
            break;
        }
    }
    assert!(said.contains(&format!("port {port} is in use")), "{said}");
}

#[test]
fn build_output_has_no_live_reload_script() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    clausebook::build(&clausebook::BuildOptions {
        seeds: repo_seeds(),
        out: out.clone(),
        ..Default::default()
    })
    .unwrap();
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("__clausebook"), "{}", e.path().display());
            assert!(!text.contains("clausebook-live"), "{}", e.path().display());
            pages += e.path().extension().is_some_and(|x| x == "html") as usize;
        }
    }
    assert!(pages >= 5, "the site has its pages");
}

/// In Chromium: a reload keeps the `#fragment` and the scroll position; a failed build
/// shows the overlay without a reload; the fix reloads and clears it.
#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "Chromium not found when the tests were built (install Debian's chromium, or set \
              CHROMIUM), or CLAUSEBOOK_SKIP_BROWSER=1"
)]
fn browser_reload_keeps_the_place_and_shows_the_overlay() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    copy_dir(&repo_seeds(), &seeds);
    let server = start(&seeds, 0);
    let mut b = common::cdp::Browser::launch_loopback().unwrap_or_else(|e| panic!("Chromium: {e}"));
    b.watch_csp().unwrap();
    let url = format!("{}/guideline/en.html#c8", server.base);
    b.navigate(&url).unwrap();
    let connected = "performance.getEntriesByType('resource').some(r => r.name.includes('/__clausebook/events'))";
    let _ = b.wait_until(connected, Duration::from_secs(5)).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    b.eval("window.scrollTo(0, 1234); window.__before_reload = true; scrollY")
        .unwrap();
    let y = b.eval("scrollY").unwrap().as_f64().unwrap();
    assert!(y > 1000.0, "the page is long enough to scroll: {y}");

    edit(
        &seeds.join("001_00d2dfaf8ea1c481.txt"),
        "Western Region",
        "Browser-Marker Region",
    );
    let reloaded = b
        .wait_until(
            "!window.__before_reload && document.readyState === 'complete' && !!document.body && document.body.textContent.includes('Browser-Marker Region')",
            Duration::from_secs(5),
        )
        .unwrap();
    assert!(reloaded, "the page reloaded with the edit");
    let kept = b
        .wait_until(
            &format!("Math.abs(scrollY - {y}) < 2"),
            Duration::from_secs(2),
        )
        .unwrap();
    assert!(kept, "scroll kept: {:?}", b.eval("scrollY"));
    assert_eq!(b.eval("location.hash").unwrap(), "#c8");

    let manifest = seeds.join("manifest.yaml");
    let good = std::fs::read_to_string(&manifest).unwrap();
    b.eval("window.__no_reload = true").unwrap();
    edit(&manifest, "  - slug: guideline", "  - slug: ../guideline");
    let shown = b
        .wait_until(
            "!!document.getElementById('clausebook-overlay') && \
             document.getElementById('clausebook-overlay').textContent.includes('manifest.yaml')",
            Duration::from_secs(5),
        )
        .unwrap();
    assert!(shown, "the overlay shows the manifest error");
    assert_eq!(
        b.eval("getComputedStyle(document.getElementById('clausebook-overlay')).position")
            .unwrap(),
        "fixed",
        "the overlay's stylesheet applies"
    );
    assert_eq!(
        b.eval("window.__no_reload === true").unwrap(),
        true,
        "no reload on error"
    );

    std::fs::write(&manifest, good).unwrap();
    let cleared = b
        .wait_until(
            "!window.__no_reload && !document.getElementById('clausebook-overlay')",
            Duration::from_secs(5),
        )
        .unwrap();
    assert!(cleared, "the fix reloads the page without the overlay");
    // The live-reload script and the overlay's style ran under the pages' policy.
    let violations = b.csp_violations(0).unwrap();
    assert!(violations.is_empty(), "policy violations: {violations:?}");
}
