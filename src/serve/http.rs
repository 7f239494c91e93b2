//! A small HTTP/1.1 server for the preview, on loopback only: GET and HEAD,
//! `Connection: close`, plus Server-Sent Events streams for reloads. Files come from
//! memory, so no request can reach a file outside the site.
//!
//! Connections are handled by a bounded pool of threads ([`Limits`]): a connection that
//! sends nothing gives its thread up to those waiting for one, and one that is slow to
//! send its request or to take the answer is closed after a deadline, so that
//! neither idle nor slow clients can starve the others. The event streams have threads of
//! their own, bounded too. When no thread can be made, the server goes on with those it
//! has, or answers on the accepting thread, and never panics.
//!
//! Requests whose `Host` is not the address the server listens on (`127.0.0.1:PORT`,
//! `localhost:PORT`, `[::1]:PORT`) are refused with 421: a web page whose name an
//! attacker points at 127.0.0.1 (DNS rebinding) cannot read the preview.

use super::inject;
use super::state::State;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

pub use super::inject::EVENTS;

/// Bounds on the threads and time a client can take.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Threads that handle connections.
    pub workers: usize,
    /// Connections that may wait for a thread; more are answered 503 at once.
    pub queue: usize,
    /// Open live-reload event streams (one thread each); more are answered 503.
    pub streams: usize,
    /// How long a client may take to send its request head.
    pub head_timeout: Duration,
    /// How long a client may take to receive a response (or one event of a stream).
    pub write_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            workers: 32,
            queue: 128,
            streams: 64,
            head_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
        }
    }
}

/// Accepts connections until the listener fails, with the default [`Limits`].
pub fn serve(listener: TcpListener, state: Arc<State>, log: bool) {
    serve_with(listener, state, log, Limits::default());
}

/// Accepts connections until the listener fails, each handled by a thread of a pool
/// bounded by `limits`.
pub fn serve_with(listener: TcpListener, state: Arc<State>, log: bool, limits: Limits) {
    let port = match listener.local_addr() {
        Ok(a) => a.port(),
        Err(_) => return,
    };
    accept(&listener, &Pool::new(state, log, port, limits));
}

fn accept(listener: &TcpListener, pool: &Arc<Pool>) {
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => pool.dispatch(stream),
            // Out of file descriptors, say: wait for connections to close rather than
            // spin on the error.
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// The connections waiting for a thread, and the threads.
#[derive(Default)]
struct Queue {
    waiting: VecDeque<TcpStream>,
    /// Threads made.
    workers: usize,
    /// Threads waiting for a connection.
    idle: usize,
}

/// The handlers' shared state.
struct Pool {
    state: Arc<State>,
    log: bool,
    port: u16,
    limits: Limits,
    queue: Mutex<Queue>,
    ready: Condvar,
    /// Open event streams.
    streams: Arc<AtomicUsize>,
    /// Whether the failure to make a thread was reported already.
    spawn_failed: std::sync::atomic::AtomicBool,
}

impl Pool {
    fn new(state: Arc<State>, log: bool, port: u16, limits: Limits) -> Arc<Pool> {
        Arc::new(Pool {
            state,
            log,
            port,
            limits,
            queue: Mutex::new(Queue::default()),
            ready: Condvar::new(),
            streams: Arc::new(AtomicUsize::new(0)),
            spawn_failed: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Hands a new connection to an idle thread, making one if none is idle and the
    /// pool is not full; otherwise queues it (a thread waiting on a connection that sends
    /// nothing gives it up for the queued ones, see [`Pool::heard`]), or, with the queue
    /// full, turns it away.
    fn dispatch(self: &Arc<Self>, stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        // Idle threads not already promised to a waiting connection.
        if q.idle <= q.waiting.len() && q.workers < self.limits.workers {
            let pool = self.clone();
            match std::thread::Builder::new()
                .name("clausebook-http".into())
                .spawn(move || pool.work())
            {
                Ok(_) => {
                    q.workers += 1;
                    q.idle += 1;
                }
                Err(e) => {
                    if !self.spawn_failed.swap(true, Ordering::Relaxed) {
                        eprintln!(
                            "note: cannot start another thread for connections ({e}); \
                             going on with {}",
                            q.workers
                        );
                    }
                    if q.workers == 0 {
                        // No thread at all: answer here, bounded by the deadlines.
                        drop(q);
                        let _ = self.handle(stream);
                        return;
                    }
                }
            }
        }
        if q.waiting.len() >= self.limits.queue {
            drop(q);
            let mut out = Deadline::new(&stream, self.limits.write_timeout.min(BUSY_WRITE));
            let _ = respond(
                &mut out,
                503,
                "text/plain",
                b"server busy, try again\n",
                false,
            );
            return;
        }
        q.waiting.push_back(stream);
        drop(q);
        self.ready.notify_one();
    }

    /// A thread of the pool: handles connections as they come, for as long as the
    /// server runs.
    fn work(&self) {
        loop {
            let stream = {
                let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    if let Some(s) = q.waiting.pop_front() {
                        q.idle -= 1;
                        break s;
                    }
                    q = self.ready.wait(q).unwrap_or_else(|e| e.into_inner());
                }
            };
            // A panic in a handler ends its connection, not the thread.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let _ = self.handle(stream);
            }));
            self.queue.lock().unwrap_or_else(|e| e.into_inner()).idle += 1;
        }
    }

    /// Waits for the first byte of a connection; `false` if none came within the head
    /// timeout, or within [`SILENT`] while other connections wait for a thread (a
    /// browser sends its request as soon as it connects; one that does not may have
    /// opened the connection for later, and is closed to serve those waiting).
    fn heard(&self, stream: &TcpStream) -> bool {
        let until = Instant::now() + self.limits.head_timeout;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() || stream.set_read_timeout(Some(left.min(SILENT))).is_err() {
                return false;
            }
            match stream.peek(&mut [0u8; 1]) {
                Ok(n) => return n > 0,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    let q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
                    if q.waiting.len() > q.idle {
                        return false;
                    }
                }
                Err(_) => return false,
            }
        }
    }

    fn handle(&self, stream: TcpStream) -> std::io::Result<()> {
        let start = Instant::now();
        if !self.heard(&stream) {
            return Ok(());
        }
        let head = read_head(&stream, start + self.limits.head_timeout);
        let mut out = Deadline::new(&stream, self.limits.write_timeout);
        let Some(Head { request: req, host }) = head else {
            return respond(&mut out, 400, "text/plain", b"bad request\n", true);
        };
        if self.log {
            eprintln!("{} {}", req.method, req.path);
        }
        if !host_allowed(host.as_deref(), self.port) {
            let body = format!(
                "this preview server answers requests for http://127.0.0.1:{0}/ and \
                 http://localhost:{0}/ only\n",
                self.port
            );
            return respond(&mut out, 421, "text/plain", body.as_bytes(), false);
        }
        let head_only = match req.method.as_str() {
            "GET" => false,
            "HEAD" => true,
            _ => {
                return respond(&mut out, 405, "text/plain", b"method not allowed\n", false);
            }
        };
        if req.path == EVENTS {
            let since = req
                .query
                .split('&')
                .find_map(|kv| kv.strip_prefix("since="))
                .and_then(|v| v.parse().ok());
            return self.open_stream(stream, since);
        }
        self.answer(&mut out, &req, head_only)
    }

    /// Gives an event stream a thread of its own, if fewer than the limit are open.
    fn open_stream(&self, stream: TcpStream, since: Option<u64>) -> std::io::Result<()> {
        let busy = |stream: &TcpStream| {
            let mut out = Deadline::new(stream, BUSY_WRITE);
            respond(&mut out, 503, "text/plain", b"too many open pages\n", false)
        };
        if self.streams.fetch_add(1, Ordering::SeqCst) >= self.limits.streams {
            self.streams.fetch_sub(1, Ordering::SeqCst);
            return busy(&stream);
        }
        let slot = StreamSlot(self.streams.clone());
        let reply = stream.try_clone();
        let state = self.state.clone();
        let timeout = self.limits.write_timeout;
        let spawned = std::thread::Builder::new()
            .name("clausebook-events".into())
            .spawn(move || {
                let _slot = slot;
                let _ = events(stream, &state, since, timeout);
            });
        match (spawned, reply) {
            (Ok(_), _) => Ok(()),
            (Err(_), Ok(stream)) => busy(&stream),
            (Err(e), Err(_)) => Err(e),
        }
    }

    /// Answers a request for a file of the site.
    fn answer(
        &self,
        out: &mut Deadline<'_>,
        req: &Request,
        head_only: bool,
    ) -> std::io::Result<()> {
        if req.path == inject::SCRIPT_PATH || req.path == inject::STYLE_PATH {
            let (ctype, body) = if req.path == inject::SCRIPT_PATH {
                (content_type(".js"), inject::SCRIPT)
            } else {
                (content_type(".css"), inject::STYLE)
            };
            return respond(out, 200, ctype, body.as_bytes(), head_only);
        }
        let snap = self.state.snapshot();
        let Some(files) = snap.files.as_ref() else {
            // No build has succeeded yet: every page is the error page.
            let page = inject::error_page(snap.errors.as_deref().unwrap_or(""), snap.generation);
            return respond(out, 503, content_type(".html"), page.as_bytes(), head_only);
        };
        let (status, path) = match resolve(&req.path, |p| files.contains_key(p)) {
            Resolved::File(p) => (200, p),
            Resolved::Redirect(to) => {
                let head = format!(
                    "HTTP/1.1 301 Moved Permanently\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                return out.write_all(head.as_bytes());
            }
            Resolved::NotFound => (404, "404.html".to_string()),
        };
        let ctype = content_type(&path);
        match files.get(&path) {
            Some(bytes) if ctype.starts_with("text/html") => {
                let page = inject::page(bytes, snap.errors.as_deref(), snap.generation);
                respond(out, status, ctype, &page, head_only)
            }
            Some(bytes) => respond(out, status, ctype, bytes, head_only),
            None => respond(out, 404, "text/plain", b"not found\n", head_only),
        }
    }
}

/// How long a connection that has sent nothing keeps its thread while others wait.
const SILENT: Duration = Duration::from_millis(100);

/// How long the answer to a client turned away may take.
const BUSY_WRITE: Duration = Duration::from_secs(1);

/// An open event stream, counted until dropped.
struct StreamSlot(Arc<AtomicUsize>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A connection read from or written to until a deadline: each call waits at most for
/// the time left, so a client sending or taking a byte now and then cannot hold it
/// longer.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl<'a> Deadline<'a> {
    fn new(stream: &'a TcpStream, within: Duration) -> Self {
        Deadline {
            stream,
            until: Instant::now() + within,
        }
    }

    fn left(&self) -> std::io::Result<Duration> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(std::io::ErrorKind::TimedOut.into())
        } else {
            Ok(left)
        }
    }
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.stream.set_read_timeout(Some(self.left()?))?;
        (&mut &*self.stream).read(buf)
    }
}

impl Write for Deadline<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.stream.set_write_timeout(Some(self.left()?))?;
        (&mut &*self.stream).write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        (&mut &*self.stream).flush()
    }
}

/// A request line and the `Host` it names.
struct Head {
    request: Request,
    host: Option<String>,
}

/// Reads the request head (at most 64 lines, 64 KiB in all) until `until`; `None` if it
/// is not HTTP or did not come in time.
fn read_head(stream: &TcpStream, until: Instant) -> Option<Head> {
    let mut reader = BufReader::new(Deadline { stream, until }.take(64 * 1024));
    let mut first = String::new();
    reader.read_line(&mut first).ok()?;
    let mut host = None;
    for _ in 0..64 {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("host")
        {
            host = Some(value.trim().to_string());
        }
    }
    Some(Head {
        request: parse_request_line(&first)?,
        host,
    })
}

/// Whether `host` (a request's `Host`) names the server on loopback port `port`: any
/// other name may be an attacker's, pointed at 127.0.0.1 (DNS rebinding).
pub fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    let (name, given) = match host.rsplit_once(':') {
        Some((name, p)) if !p.contains(']') => (name, p.parse::<u16>().ok()),
        _ => (host.as_str(), Some(80)),
    };
    given == Some(port) && matches!(name, "127.0.0.1" | "localhost" | "[::1]")
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

fn respond(
    stream: &mut impl Write,
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
        421 => "Misdirected Request",
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
/// overlay's HTML after a failed one; a comment every 15 s finds closed tabs. A client
/// that takes no event within `timeout` is dropped.
fn events(
    mut stream: TcpStream,
    state: &State,
    since: Option<u64>,
    timeout: Duration,
) -> std::io::Result<()> {
    stream.set_write_timeout(Some(timeout))?;
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
    use std::collections::BTreeMap;
    use std::net::SocketAddr;

    /// A server of a two-file site on a free port, and its pool.
    fn start(limits: Limits) -> (SocketAddr, Arc<Pool>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State::default());
        let mut files = BTreeMap::new();
        files.insert("index.html".to_string(), b"<p>home</p>".to_vec());
        files.insert("big.bin".to_string(), vec![b'x'; 32 << 20]);
        state.publish(Some(files), None);
        let pool = Pool::new(state, false, addr.port(), limits);
        let p = pool.clone();
        std::thread::spawn(move || accept(&listener, &p));
        (addr, pool)
    }

    fn limits() -> Limits {
        Limits {
            workers: 4,
            queue: 16,
            streams: 2,
            head_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
        }
    }

    /// Sends `GET path` with `host`; the status and body, read within 10 s.
    fn get(addr: SocketAddr, host: Option<&str>, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
        write!(s, "GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, body.to_string())
    }

    #[test]
    fn hosts_other_than_the_servers_own_are_refused() {
        assert!(host_allowed(Some("127.0.0.1:8000"), 8000));
        assert!(host_allowed(Some("LocalHost:8000"), 8000));
        assert!(host_allowed(Some("[::1]:8000"), 8000));
        assert!(host_allowed(Some("localhost"), 80));
        assert!(!host_allowed(Some("localhost"), 8000));
        assert!(!host_allowed(Some("127.0.0.1:8001"), 8000));
        assert!(!host_allowed(Some("attacker.example:8000"), 8000));
        assert!(!host_allowed(Some("127.0.0.1.attacker.example:8000"), 8000));
        assert!(!host_allowed(Some("[::1]"), 8000));
        assert!(!host_allowed(None, 8000));

        let (addr, _pool) = start(limits());
        let port = addr.port();
        for host in [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ] {
            let (status, body) = get(addr, Some(&host), "/");
            assert_eq!(status, 200, "{host}");
            assert!(body.contains("home"), "{body}");
        }
        for host in [
            Some(format!("rebound.example:{port}")),
            Some(format!("127.0.0.1:{}", port.wrapping_add(1))),
            None,
        ] {
            let (status, body) = get(addr, host.as_deref(), "/");
            assert_eq!(status, 421, "{host:?}");
            assert!(!body.contains("home"), "{body}");
        }
        let (status, _) = get(addr, Some("evil.example"), EVENTS);
        assert_eq!(status, 421);
    }

    #[test]
    fn idle_connections_neither_grow_the_pool_nor_block_a_request() {
        let (addr, pool) = start(limits());
        let host = addr.to_string();
        // Many connections that send nothing, each more than the pool's threads.
        let idle: Vec<TcpStream> = (0..60).map(|_| TcpStream::connect(addr).unwrap()).collect();
        std::thread::sleep(Duration::from_millis(200));
        let start = Instant::now();
        let (status, body) = get(addr, Some(&host), "/");
        assert_eq!(status, 200);
        assert!(body.contains("home"));
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "waited {:?}",
            start.elapsed()
        );
        let workers = pool.queue.lock().unwrap().workers;
        assert!(workers <= 4, "{workers} threads");
        drop(idle);
    }

    #[test]
    fn a_client_slow_to_send_its_request_is_cut_off() {
        let (addr, _pool) = start(Limits {
            head_timeout: Duration::from_millis(400),
            ..limits()
        });
        // A byte every 100 ms: each within the timeout of a single read, but the whole
        // head never arrives.
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let start = Instant::now();
        let mut writer = s.try_clone().unwrap();
        std::thread::spawn(move || {
            for b in b"GET / HTTP/1.1\r\nHost: x".iter().cycle().take(200) {
                if writer.write_all(&[*b]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "held for {:?}",
            start.elapsed()
        );
        // A silent one is closed too.
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let start = Instant::now();
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        assert!(raw.is_empty());
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "held for {:?}",
            start.elapsed()
        );
    }

    #[test]
    fn a_client_that_takes_no_answer_frees_its_thread() {
        let (addr, _pool) = start(Limits {
            workers: 1,
            write_timeout: Duration::from_millis(300),
            ..limits()
        });
        let host = addr.to_string();
        // Asks for 32 MB and reads none of it: the only thread waits on it until the
        // deadline.
        let mut stuck = TcpStream::connect(addr).unwrap();
        write!(stuck, "GET /big.bin HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let start = Instant::now();
        let (status, body) = get(addr, Some(&host), "/");
        assert_eq!(status, 200);
        assert!(body.contains("home"));
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "waited {:?}",
            start.elapsed()
        );
        drop(stuck);
    }

    #[test]
    fn event_streams_are_bounded_and_take_no_thread_of_the_pool() {
        let (addr, _pool) = start(Limits {
            workers: 1,
            ..limits()
        });
        let host = addr.to_string();
        let open = || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            write!(s, "GET {EVENTS} HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
            let mut head = [0u8; 12];
            s.read_exact(&mut head).unwrap();
            (s, String::from_utf8_lossy(&head).into_owned())
        };
        let (_a, head) = open();
        assert!(head.ends_with("200"), "{head}");
        let (_b, head) = open();
        assert!(head.ends_with("200"), "{head}");
        let (_c, head) = open();
        assert!(head.ends_with("503"), "{head}");
        let (status, _) = get(addr, Some(&host), "/");
        assert_eq!(status, 200);
    }

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
