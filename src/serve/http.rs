//! A small HTTP/1.1 server for the preview, on loopback only: GET and HEAD, one thread
//! per connection, `Connection: close`, plus one Server-Sent Events stream for reloads.
//! Files come from memory, so no request can reach a file outside the site.

use super::{State, inject};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// The path of the live-reload event stream.
pub const EVENTS: &str = "/__clausebook/events";

/// Accepts connections until the listener fails, each handled on its own thread.
pub fn serve(listener: TcpListener, state: Arc<State>, log: bool) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let state = state.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &state, log);
        });
    }
}

/// A parsed request line.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The decoded path, without the query.
    pub path: String,
    /// The query string, without `?`.
    pub query: String,
}

/// Reads the request head (at most 64 lines of 8 KiB); `None` if it is not HTTP.
fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.take(64 * 1024));
    let mut first = String::new();
    reader.read_line(&mut first).ok()?;
    for _ in 0..64 {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 || line.trim().is_empty() {
            break;
        }
    }
    parse_request_line(&first)
}

/// `GET /a%20b/?x=1 HTTP/1.1` ─► method, decoded path, query.
pub fn parse_request_line(line: &str) -> Option<Request> {
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?;
    if !parts.next()?.starts_with("HTTP/") {
        return None;
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = path.split('#').next().unwrap_or("");
    Some(Request {
        method,
        path: percent_decode(path)?,
        query: query.to_string(),
    })
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type of a site file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// What to answer for a path of the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// This file of the site.
    File(String),
    /// A folder without its slash: send the browser to `path/`.
    Redirect(String),
    /// No such file.
    NotFound,
}

/// Finds the file for a request path: `index.html` for a folder.
pub fn resolve(path: &str, has: impl Fn(&str) -> bool) -> Resolved {
    let rel = path.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if has(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if has(rel) {
        Resolved::File(rel.to_string())
    } else if has(&format!("{rel}/index.html")) {
        Resolved::Redirect(format!("/{rel}/"))
    } else {
        Resolved::NotFound
    }
}

fn handle(mut stream: TcpStream, state: &State, log: bool) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Some(req) = read_request(&stream) else {
        return respond(&mut stream, 400, "text/plain", b"bad request\n", true);
    };
    if log {
        eprintln!("{} {}", req.method, req.path);
    }
    let head_only = match req.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => {
            return respond(
                &mut stream,
                405,
                "text/plain",
                b"method not allowed\n",
                false,
            );
        }
    };
    if req.path == EVENTS {
        let since = req
            .query
            .split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .and_then(|v| v.parse().ok());
        return events(stream, state, since);
    }
    if req.path == inject::SCRIPT_PATH || req.path == inject::STYLE_PATH {
        let (ctype, body) = if req.path == inject::SCRIPT_PATH {
            (content_type(".js"), inject::SCRIPT)
        } else {
            (content_type(".css"), inject::STYLE)
        };
        return respond(&mut stream, 200, ctype, body.as_bytes(), head_only);
    }
    let snap = state.snapshot();
    let Some(files) = snap.files.as_ref() else {
        // No build has succeeded yet: every page is the error page.
        let page = inject::error_page(snap.errors.as_deref().unwrap_or(""), snap.generation);
        return respond(
            &mut stream,
            503,
            content_type(".html"),
            page.as_bytes(),
            head_only,
        );
    };
    let (status, path) = match resolve(&req.path, |p| files.contains_key(p)) {
        Resolved::File(p) => (200, p),
        Resolved::Redirect(to) => {
            let head = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            return stream.write_all(head.as_bytes());
        }
        Resolved::NotFound => (404, "404.html".to_string()),
    };
    let ctype = content_type(&path);
    match files.get(&path) {
        Some(bytes) if ctype.starts_with("text/html") => {
            let page = inject::page(bytes, snap.errors.as_deref(), snap.generation);
            respond(&mut stream, status, ctype, &page, head_only)
        }
        Some(bytes) => respond(&mut stream, status, ctype, bytes, head_only),
        None => respond(&mut stream, 404, "text/plain", b"not found\n", head_only),
    }
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    ctype: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The live-reload stream: `reload` after every good build, `build-error` with the
/// overlay's HTML after a failed one; a comment every 15 s finds closed tabs.
fn events(mut stream: TcpStream, state: &State, since: Option<u64>) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          Connection: keep-alive\r\n\r\nretry: 500\n\n",
    )?;
    let snap = state.snapshot();
    let mut seen = snap.generation;
    if let Some(err) = &snap.errors {
        stream.write_all(event("build-error", err).as_bytes())?;
    } else if since.is_some_and(|g| g < seen) {
        // A build finished between the page load and this connection.
        stream.write_all(event("reload", &seen.to_string()).as_bytes())?;
    }
    stream.flush()?;
    loop {
        let snap = state.wait_change(seen, Duration::from_secs(15));
        if snap.generation == seen {
            stream.write_all(b": ping\n\n")?;
        } else {
            seen = snap.generation;
            let msg = match &snap.errors {
                Some(err) => event("build-error", err),
                None => event("reload", &seen.to_string()),
            };
            stream.write_all(msg.as_bytes())?;
        }
        stream.flush()?;
    }
}

/// One Server-Sent Event; every line of `data` its own `data:` field.
fn event(name: &str, data: &str) -> String {
    let mut s = format!("event: {name}\n");
    for line in data.split('\n') {
        s.push_str("data: ");
        s.push_str(line);
        s.push('\n');
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_request_lines() {
        let r = parse_request_line("GET /guideline/en.html?x=1 HTTP/1.1\r\n").unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, "/guideline/en.html");
        assert_eq!(r.query, "x=1");
        let r = parse_request_line("GET /a%20b/%E4%B8%AD.html HTTP/1.1").unwrap();
        assert_eq!(r.path, "/a b/中.html");
        assert!(parse_request_line("GET /x").is_none());
        assert!(parse_request_line("GET /%zz HTTP/1.1").is_none());
        assert!(parse_request_line("").is_none());
    }

    #[test]
    fn resolves_folders_and_files() {
        let files = ["index.html", "guideline/index.html", "static/style.css"];
        let has = |p: &str| files.contains(&p);
        assert_eq!(resolve("/", has), Resolved::File("index.html".into()));
        assert_eq!(
            resolve("/guideline/", has),
            Resolved::File("guideline/index.html".into())
        );
        assert_eq!(
            resolve("/guideline", has),
            Resolved::Redirect("/guideline/".into())
        );
        assert_eq!(
            resolve("/static/style.css", has),
            Resolved::File("static/style.css".into())
        );
        assert_eq!(resolve("/nope.html", has), Resolved::NotFound);
        assert_eq!(resolve("/../etc/passwd", has), Resolved::NotFound);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("static/x.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("data/a.json"), "application/json");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("static/a.svg"), "image/svg+xml");
        assert_eq!(content_type("static/a.PNG"), "image/png");
        assert_eq!(content_type(".nojekyll"), "application/octet-stream");
    }

    #[test]
    fn events_split_lines() {
        assert_eq!(event("reload", "3"), "event: reload\ndata: 3\n\n");
        assert_eq!(event("e", "a\nb"), "event: e\ndata: a\ndata: b\n\n");
    }
}
