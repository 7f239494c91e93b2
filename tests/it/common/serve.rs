//! A tiny static file server on 127.0.0.1 for tests: serves a folder under a URL prefix
//! (`/repo/`), as GitHub Pages serves a project site. GET only, one request per
//! connection, nothing outside the folder; stops when dropped.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A running server; [`Server::url`] is its base, e.g. `http://127.0.0.1:41234/repo/`.
pub struct Server {
    /// The base URL of the served folder, ending in `/`.
    pub url: String,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

impl Server {
    /// Serves `root` under `prefix` (`/repo/`) on a free loopback port.
    pub fn start(root: &Path, prefix: &str) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let url = format!("http://{addr}{prefix}");
        let prefix = prefix.to_string();
        let flag = stop.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(s) = stream {
                    let _ = handle(s, &root, &prefix);
                }
            }
        });
        Server { url, stop, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn resolve(root: &Path, prefix: &str, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let rest = path.strip_prefix(prefix)?;
    let rest = percent_decode(rest)?;
    let mut full = root.to_path_buf();
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => full.push(p),
        }
    }
    if full.is_dir() {
        full.push("index.html");
    }
    full.is_file().then_some(full)
}

fn handle(mut stream: TcpStream, root: &Path, prefix: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut first = String::new();
    reader.read_line(&mut first)?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = first.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let found = (method == "GET" || method == "HEAD")
        .then(|| resolve(root, prefix, target))
        .flatten();
    let (status, body, kind) = match found {
        Some(p) => {
            let kind = match p.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                Some("json") => "application/json",
                Some("xml") => "application/xml",
                _ => "application/octet-stream",
            };
            ("200 OK", std::fs::read(p)?, kind)
        }
        // As GitHub Pages does: the site's 404.html, whatever path was asked for.
        None => match std::fs::read(root.join("404.html")) {
            Ok(page) => ("404 Not Found", page, "text/html; charset=utf-8"),
            Err(_) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
        },
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}
