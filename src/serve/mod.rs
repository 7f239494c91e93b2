//! `clausebook serve`: builds the site into memory, serves it on 127.0.0.1, watches the
//! seeds folder and rebuilds on every change, reloading open pages over Server-Sent
//! Events. A failed rebuild keeps the last good site served, with an error overlay.
//!
//! Nothing is written to disk: the site lives in memory, so stopping the server (Ctrl-C)
//! leaves nothing behind.

pub mod http;
pub mod inject;
mod state;
pub mod watch;

pub use state::{Snapshot, State};

use crate::base::Problem;
use crate::build::{self, ParseCache};
use crate::diagnostic::{self, Style};
use crate::progress::{Progress, Spinner};
use std::collections::BTreeSet;
use std::fmt;
use std::io::IsTerminal;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How much `serve` (and `build`) print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Errors only.
    Quiet,
    /// Errors, warnings and one summary line per build.
    Normal,
    /// Also what changed, what was parsed again, and every request.
    Verbose,
}

/// What to serve and how.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The seeds folder.
    pub seeds: PathBuf,
    /// The port to listen on; 0 lets the system choose. If it is taken, the next free
    /// one of the following ten is used.
    pub port: u16,
    /// Open the site in the browser once it is served.
    pub open: bool,
    /// Poll the seeds folder instead of using native file events.
    pub poll: bool,
    /// How much to print.
    pub verbosity: Verbosity,
}

/// Why `serve` could not start.
#[derive(Debug)]
pub enum ServeError {
    /// No port could be bound.
    Bind {
        /// The first port tried.
        port: u16,
        /// The error for it.
        source: std::io::Error,
    },
    /// The seeds folder could not be watched, natively or by polling.
    Watch(notify::Error),
    /// The thread that accepts connections could not be started.
    Thread(std::io::Error),
}

impl ServeError {
    /// What failed and what to do, as fields for [`diagnostic`] to format.
    pub fn problem(&self) -> Problem {
        let (message, hint) = match self {
            ServeError::Bind { port, source } => (
                format!("cannot listen on 127.0.0.1:{port} (nor the next ten ports): {source}"),
                "pass another port with `--port N`, or `--port 0` for any free port",
            ),
            ServeError::Watch(e) => (
                format!("cannot watch the seeds folder: {e}"),
                "check that it exists and is readable; `--poll` watches by polling",
            ),
            ServeError::Thread(e) => (
                format!("cannot start the server's thread: {e}"),
                "the system is short of threads or memory; stop other programs and try again",
            ),
        };
        Problem {
            message,
            hint: Some(hint.to_string()),
            ..Problem::default()
        }
    }
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem().fmt(f)
    }
}

impl std::error::Error for ServeError {}

/// Builds, prints and publishes; remembers the warnings printed so a rebuild prints
/// only new ones.
struct Builder {
    seeds: PathBuf,
    cache: ParseCache,
    progress: Arc<Progress>,
    verbosity: Verbosity,
    style: Style,
    warned: BTreeSet<String>,
}

impl Builder {
    fn run(&mut self, state: &State, why: &str) {
        let start = Instant::now();
        let result = {
            let _spinner = Spinner::start(
                self.progress.clone(),
                Duration::from_millis(300),
                self.verbosity > Verbosity::Quiet && std::io::stderr().is_terminal(),
            );
            build::site(&self.seeds, &mut self.cache)
        };
        let ms = start.elapsed().as_secs_f64() * 1e3;
        match result {
            // The preview writes nothing: the anchor registry is kept by `build` only.
            Ok((files, summary, _lock)) => {
                state.publish(
                    Some(files.into_iter().map(|f| (f.path, f.bytes)).collect()),
                    None,
                );
                if self.verbosity == Verbosity::Quiet {
                    return;
                }
                let mut now = BTreeSet::new();
                for d in diagnostic::from_warnings(&summary.warnings, &self.seeds) {
                    let text = diagnostic::render_terminal(&d, self.style);
                    if !self.warned.contains(&text) {
                        eprintln!("{text}\n");
                    }
                    now.insert(text);
                }
                self.warned = now;
                let parsed = if self.verbosity == Verbosity::Verbose {
                    format!(", {} parsed again", self.cache.parsed_last)
                } else {
                    String::new()
                };
                eprintln!(
                    "{why} {} documents ({} versions{parsed}), {} pages, {} warnings in {ms:.0} ms",
                    summary.documents,
                    summary.versions,
                    summary.pages,
                    summary.warnings.len()
                );
            }
            Err(e) => {
                let d = diagnostic::from_build_error(&e);
                state.publish(
                    None,
                    Some(inject::overlay_html(&diagnostic::render_html(&d))),
                );
                eprintln!(
                    "{}\nthe last good site is still served; fix the error and save",
                    diagnostic::render_terminal(&d, self.style)
                );
            }
        }
    }
}

/// Binds 127.0.0.1:`port`, or the first free one of the next ten.
pub fn bind(port: u16) -> Result<TcpListener, ServeError> {
    let mut first_err = None;
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(10)
    };
    for p in port..=last {
        match TcpListener::bind(("127.0.0.1", p)) {
            Ok(l) => return Ok(l),
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    Err(ServeError::Bind {
        port,
        source: first_err.unwrap_or_else(|| std::io::Error::other("no port")),
    })
}

/// Runs the preview server until the process is stopped.
pub fn run(opts: &ServeOptions) -> Result<(), ServeError> {
    let style = Style {
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let progress = Arc::new(Progress::default());
    let mut builder = Builder {
        seeds: opts.seeds.clone(),
        cache: ParseCache::with_progress(progress.clone()),
        progress,
        verbosity: opts.verbosity,
        style,
        warned: BTreeSet::new(),
    };
    let state = Arc::new(State::default());

    // Watch before the first build, so no change made during it is missed.
    let (tx, rx) = std::sync::mpsc::channel();
    let (mut watcher, fallback) =
        watch::watch(&opts.seeds, opts.poll, tx).map_err(ServeError::Watch)?;
    if let Some(why) = fallback {
        eprintln!("note: native file events are unavailable ({why}); watching by polling");
    }

    let mut fingerprint = watch::Fingerprint::take(&opts.seeds, &Default::default(), &[]);
    builder.run(&state, "built");

    let listener = bind(opts.port)?;
    let addr = listener.local_addr().map_err(|source| ServeError::Bind {
        port: opts.port,
        source,
    })?;
    if opts.port != 0 && addr.port() != opts.port {
        eprintln!(
            "port {} is in use; using {} instead",
            opts.port,
            addr.port()
        );
    }
    let url = format!("http://127.0.0.1:{}/", addr.port());
    // The URL goes to stdout, alone on its line, for scripts; the rest to stderr.
    println!("serving {url}");
    if opts.verbosity > Verbosity::Quiet {
        eprintln!(
            "watching {} ({}); press Ctrl-C to stop",
            opts.seeds.display(),
            watcher.kind()
        );
    }
    let log = opts.verbosity == Verbosity::Verbose;
    let st = state.clone();
    std::thread::Builder::new()
        .name("clausebook-accept".into())
        .spawn(move || http::serve(listener, st, log))
        .map_err(ServeError::Thread)?;
    if opts.open {
        open_browser(&url);
    }

    loop {
        let (mut paths, event) = match rx.recv_timeout(watch::RECHECK) {
            Ok(paths) => (paths, true),
            // No event: the seeds folder may have been replaced, which the watch of the
            // folder that went away does not tell.
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => (Vec::new(), false),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // Gather whatever else arrived meanwhile into this rebuild.
        while let Ok(more) = rx.try_recv() {
            paths.extend(more);
        }
        // A batch without paths is an error of the watcher, which may have missed changes:
        // the fingerprint tells.
        let unsure = event && paths.is_empty();
        let replaced = watcher.refresh();
        if replaced && opts.verbosity > Verbosity::Quiet {
            if opts.seeds.is_dir() {
                eprintln!("{} was replaced; watching it anew", opts.seeds.display());
            } else {
                eprintln!(
                    "{} is gone; watching for it to come back",
                    opts.seeds.display()
                );
            }
        }
        paths.retain(|p| watch::relevant(p));
        paths.sort();
        paths.dedup();
        if paths.is_empty() && !replaced && !unsure {
            continue;
        }
        let now = watch::Fingerprint::take(&opts.seeds, &fingerprint, &paths);
        if now.same_content(&fingerprint) {
            fingerprint = now;
            continue;
        }
        if opts.verbosity == Verbosity::Verbose {
            for p in now.changed_since(&fingerprint) {
                eprintln!("changed: {}", p.display());
            }
        }
        fingerprint = now;
        builder.run(&state, "rebuilt");
    }
    drop(watcher);
    Ok(())
}

/// Opens `url` in the desktop's browser; prints the URL to open by hand if that fails.
fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = cmd {
        eprintln!("cannot open a browser ({e}); open {url} by hand");
    }
}
