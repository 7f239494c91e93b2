//! A small Chrome DevTools Protocol driver for headless Chromium, for tests.
//!
//! Transport: `--remote-debugging-pipe`. Chromium then reads CDP commands from file
//! descriptor 3 and writes responses and events to file descriptor 4, each message a
//! JSON text terminated by a NUL byte. No WebSocket, no port, no HTTP: the only
//! dependency is `serde_json`, which the crate already has. `/bin/sh` moves our two
//! pipes onto fds 3 and 4 (`3<&0 4>&1`) and then `exec`s Chromium, so the child's pid
//! is Chromium's own and no `unsafe` `pre_exec` is needed.
//!
//! One [`Browser`] drives one tab. Everything Chromium sends is kept (events in
//! order), so tests can wait for an event that already arrived and can inspect every
//! `Network.requestWillBeSent` at the end.
//!
//! The browser runs in its own process group with a fresh profile folder; [`Drop`]
//! asks it to close, then kills the whole group and removes the profile.
//!
//! Chromium is found by `super::probe` (`probe.rs`, next to this file): whoever includes
//! this file (the tests' `common`, a bench by `#[path]`) includes that one beside it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long one command or one wait may take before the test fails.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The flags every test browser gets: headless, and nothing that talks to Google.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--window-size=1280,800",
    "--remote-debugging-pipe",
];

/// A safety net: even a broken page cannot resolve a host name and reach the network.
/// Requests are still *attempted*, so `Network.requestWillBeSent` sees them.
const NO_HOSTS: &str = "--host-resolver-rules=MAP * ~NOTFOUND";

/// The same, but the loopback address 127.0.0.1 stays reachable, for a test server.
const LOOPBACK_ONLY: &str = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1";

/// A headless Chromium with one attached tab.
pub struct Browser {
    child: Child,
    /// Chromium's fd 3: we write commands here.
    commands: Option<ChildStdin>,
    /// Messages read from Chromium's fd 4 by a reader thread.
    incoming: Receiver<Value>,
    /// Every event received so far, in order.
    events: Vec<Value>,
    next_id: u64,
    /// The flattened session of the tab.
    session: String,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium with a fresh profile, opens a tab on `about:blank` and enables
    /// the `Page`, `Runtime` and `Network` domains on it.
    pub fn launch() -> Result<Browser, String> {
        Browser::launch_with(NO_HOSTS)
    }

    /// Like [`Browser::launch`], but pages may reach a server on 127.0.0.1 (and nothing
    /// else).
    pub fn launch_loopback() -> Result<Browser, String> {
        Browser::launch_with(LOOPBACK_ONLY)
    }

    fn launch_with(resolver_rules: &str) -> Result<Browser, String> {
        let exe = super::probe::chromium()?;
        let profile = tempfile::tempdir().map_err(|e| format!("profile dir: {e}"))?;
        let log = std::fs::File::create(profile.path().join("stderr.log"))
            .map_err(|e| format!("stderr log: {e}"))?;
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null"#)
            .arg(&exe)
            .args(FLAGS)
            .arg(resolver_rules)
            .arg(format!(
                "--user-data-dir={}",
                profile.path().join("data").display()
            ))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log);
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
        let commands = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.read_until(0, &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if buf.last() == Some(&0) {
                            buf.pop();
                        }
                        match serde_json::from_slice::<Value>(&buf) {
                            Ok(v) => {
                                if tx.send(v).is_err() {
                                    break;
                                }
                            }
                            Err(e) => eprintln!("cdp: unparsable message: {e}"),
                        }
                    }
                }
            }
        });
        let mut browser = Browser {
            child,
            commands,
            incoming,
            events: Vec::new(),
            next_id: 0,
            session: String::new(),
            profile,
        };
        let target = browser.send(None, "Target.createTarget", json!({"url": "about:blank"}))?;
        let target_id = target["targetId"].clone();
        let attached = browser.send(
            None,
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        )?;
        browser.session = attached["sessionId"]
            .as_str()
            .ok_or("attachToTarget returned no sessionId")?
            .to_string();
        for domain in ["Page.enable", "Runtime.enable", "Network.enable"] {
            browser.call(domain, json!({}))?;
        }
        Ok(browser)
    }

    /// Sends a command to the tab and waits for its result.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        let session = self.session.clone();
        self.send(Some(&session), method, params)
    }

    /// Sends a command (to the browser, or to a session) and waits for its result,
    /// keeping every event that arrives meanwhile.
    fn send(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).expect("serializable");
        bytes.push(0);
        let pipe = self.commands.as_mut().ok_or("browser is closed")?;
        pipe.write_all(&bytes)
            .and_then(|()| pipe.flush())
            .map_err(|e| self.died(&format!("writing {method}: {e}")))?;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self.next_message(deadline, method)?;
            if msg["id"].as_u64() == Some(id) {
                if let Some(err) = msg.get("error") {
                    return Err(format!("{method} failed: {err}"));
                }
                return Ok(msg["result"].clone());
            }
        }
    }

    /// Receives one message; events are recorded (and returned too).
    fn next_message(&mut self, deadline: Instant, waiting_for: &str) -> Result<Value, String> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(msg) => {
                if msg.get("method").is_some() {
                    self.events.push(msg.clone());
                }
                Ok(msg)
            }
            Err(RecvTimeoutError::Timeout) => Err(format!("timed out waiting for {waiting_for}")),
            Err(RecvTimeoutError::Disconnected) => Err(self.died(waiting_for)),
        }
    }

    /// A message for a browser that stopped answering, with the end of its stderr.
    fn died(&mut self, context: &str) -> String {
        let status = self.child.try_wait().ok().flatten();
        let log =
            std::fs::read_to_string(self.profile.path().join("stderr.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!(
            "Chromium stopped answering ({context}); exit status {status:?}; stderr:\n{}",
            tail.join("\n")
        )
    }

    /// How many events were recorded so far: pass it to [`Browser::wait_event`] to wait
    /// only for events that come after this point.
    pub fn mark(&self) -> usize {
        self.events.len()
    }

    /// Waits for an event of the tab named one of `methods`, received after `mark`.
    pub fn wait_event(&mut self, mark: usize, methods: &[&str]) -> Result<Value, String> {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = mark;
        loop {
            while seen < self.events.len() {
                let ev = &self.events[seen];
                seen += 1;
                let ours = ev["sessionId"].as_str() == Some(self.session.as_str());
                if ours && methods.iter().any(|m| ev["method"] == *m) {
                    return Ok(ev.clone());
                }
            }
            self.next_message(deadline, &methods.join(" or "))?;
        }
    }

    /// Opens `url` in the tab and waits until it has loaded.
    pub fn navigate(&mut self, url: &str) -> Result<(), String> {
        let mark = self.mark();
        let result = self.call("Page.navigate", json!({"url": url}))?;
        if let Some(err) = result.get("errorText") {
            return Err(format!("navigating to {url}: {err}"));
        }
        self.wait_event(
            mark,
            &["Page.loadEventFired", "Page.navigatedWithinDocument"],
        )?;
        Ok(())
    }

    /// Evaluates a JavaScript expression in the page (awaiting it if it is a promise)
    /// and returns its value as JSON.
    pub fn eval(&mut self, expression: &str) -> Result<Value, String> {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        )?;
        if let Some(ex) = r.get("exceptionDetails") {
            return Err(format!("JavaScript threw in `{expression}`: {ex}"));
        }
        Ok(r["result"]["value"].clone())
    }

    /// Polls `condition` (a JavaScript expression) until it is `true`, for up to
    /// `timeout`; returns whether it became true.
    pub fn wait_until(&mut self, condition: &str, timeout: Duration) -> Result<bool, String> {
        let deadline = Instant::now() + timeout;
        loop {
            if self.eval(condition)? == Value::Bool(true) {
                return Ok(true);
            }
            if Instant::now() >= deadline {
                return Ok(false);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Every event named `method` received so far from the tab, in order.
    pub fn events_named(&mut self, method: &str) -> Vec<Value> {
        while let Ok(msg) = self.incoming.try_recv() {
            if msg.get("method").is_some() {
                self.events.push(msg);
            }
        }
        self.events
            .iter()
            .filter(|e| e["method"] == method)
            .cloned()
            .collect()
    }

    /// Records Content Security Policy violations in every page loaded from now on: a
    /// `securitypolicyviolation` listener, installed before the page's own scripts, keeps
    /// each in `window.__cspViolations`; the browser's own reports (`Log` domain) are
    /// kept as events. Read both with [`Browser::csp_violations`].
    pub fn watch_csp(&mut self) -> Result<(), String> {
        self.call("Log.enable", json!({}))?;
        self.call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": "window.__cspViolations = []; \
                document.addEventListener('securitypolicyviolation', function (e) { \
                  window.__cspViolations.push(e.violatedDirective + ' blocked ' + \
                    (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber); \
                }, true);"}),
        )?;
        Ok(())
    }

    /// The violations of the current page (see [`Browser::watch_csp`]) and every console
    /// report of the browser that names the Content Security Policy, since `mark`.
    pub fn csp_violations(&mut self, mark: usize) -> Result<Vec<String>, String> {
        let page = self.eval("window.__cspViolations || ['the CSP watcher is not installed']")?;
        let mut out: Vec<String> = page
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| v.as_str().unwrap_or("?").to_string())
                    .collect()
            })
            .unwrap_or_default();
        self.events_named("Log.entryAdded");
        for ev in &self.events[mark.min(self.events.len())..] {
            if ev["method"] == "Log.entryAdded" {
                let text = ev["params"]["entry"]["text"].as_str().unwrap_or("");
                if text.contains("Content Security Policy") {
                    out.push(format!("console: {text}"));
                }
            }
        }
        Ok(out)
    }

    /// Every URL the tab asked for so far (`Network.requestWillBeSent`), in order.
    pub fn requested_urls(&mut self) -> Vec<String> {
        // Collect whatever is already waiting in the pipe.
        while let Ok(msg) = self.incoming.try_recv() {
            if msg.get("method").is_some() {
                self.events.push(msg);
            }
        }
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str())
            .map(str::to_string)
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask politely, then make sure: the whole process group (browser, zygote,
        // renderers) goes. The group is Chromium's own, created at spawn.
        if let Some(mut pipe) = self.commands.take() {
            let _ = pipe.write_all(b"{\"id\":0,\"method\":\"Browser.close\"}\0");
            let _ = pipe.flush();
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let pgid = self.child.id();
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pgid}")])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether every URL is local: `file:`, `data:`, `blob:`, `about:` or one of
/// Chromium's internal schemes. Returns the offending URLs.
pub fn non_local(urls: &[String]) -> Vec<String> {
    urls.iter()
        .filter(|u| {
            let scheme = u.split(':').next().unwrap_or("").to_ascii_lowercase();
            !matches!(
                scheme.as_str(),
                "file" | "data" | "blob" | "about" | "chrome" | "chrome-error" | "devtools"
            )
        })
        .cloned()
        .collect()
}
