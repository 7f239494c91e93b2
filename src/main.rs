//! The `clausebook` command line.

use clap::{Parser, Subcommand};
use clausebook::diagnostic::{self, Style};
use clausebook::progress::{Progress, Spinner};
use clausebook::serve::{self, ServeOptions, Verbosity};
use clausebook::{BuildOptions, check};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// mimalloc instead of the system allocator: a build allocates and frees many small
/// strings and maps on every core, where glibc's allocator spends a sixth of the time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Builds a static site of policy and legal texts, Chinese originals with their
/// translations, with a stable link to every clause.
#[derive(Parser)]
#[command(name = "clausebook", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the seeds folder into a static site.
    Build {
        /// The folder holding manifest.yaml and the seed texts.
        #[arg(long, default_value = "seeds", value_name = "DIR")]
        seeds: PathBuf,
        /// Where to write the site; replaced as a whole once the build succeeded.
        #[arg(long, default_value = "site", value_name = "DIR")]
        out: PathBuf,
        /// Print errors only, no warnings or summary.
        #[arg(long, short, conflicts_with = "verbose")]
        quiet: bool,
        /// Also print how long each stage took.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Build the site into memory, serve it on 127.0.0.1, rebuild and reload on changes.
    Serve {
        /// The folder holding manifest.yaml and the seed texts; watched for changes.
        #[arg(long, default_value = "seeds", value_name = "DIR")]
        seeds: PathBuf,
        /// The port; if taken, the next free one is used. 0: any free port.
        #[arg(long, default_value_t = 8000, value_name = "N")]
        port: u16,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Watch by polling instead of native file events (for network or container
        /// mounts where events do not arrive).
        #[arg(long)]
        poll: bool,
        /// Print errors only.
        #[arg(long, short, conflicts_with = "verbose")]
        quiet: bool,
        /// Also print changed files, documents parsed again and every request.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Verify that every relative link and anchor of a built site resolves; with
    /// `--source`, list the damage found in the source texts instead.
    Check {
        /// The built site.
        #[arg(default_value = "site", value_name = "DIR")]
        dir: PathBuf,
        /// Analyse the seeds instead: repairs, pasted or repeated passages, unmatched
        /// sentences, numbering faults, stray lines.
        #[arg(long)]
        source: bool,
        /// The seeds folder, for `--source`.
        #[arg(long, default_value = "seeds", value_name = "DIR")]
        seeds: PathBuf,
    },
}

fn verbosity(quiet: bool, verbose: bool) -> Verbosity {
    match (quiet, verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    }
}

fn style() -> Style {
    Style {
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// Ignores SIGXFSZ, the signal that ends a process writing a file past its size limit
/// (`ulimit -f`) without a word: ignored, the write fails with EFBIG instead ("File too
/// large"), which the build reports like any failed write, naming the file, with the
/// previous site intact.
///
/// `signal` is declared here rather than through a crate of bindings: one call, with
/// the numbers of Linux (all but MIPS), macOS and the BSDs, where SIGXFSZ is 25 and
/// SIG_IGN is 1.
#[cfg(all(
    any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd",
        target_os = "dragonfly"
    ),
    not(any(target_arch = "mips", target_arch = "mips64"))
))]
fn ignore_sigxfsz() {
    unsafe extern "C" {
        /// `sighandler_t signal(int signum, sighandler_t handler)` of the C library.
        fn signal(signum: std::ffi::c_int, handler: usize) -> usize;
    }
    const SIGXFSZ: std::ffi::c_int = 25;
    const SIG_IGN: usize = 1;
    // SAFETY: `signal` with SIG_IGN installs no handler code; it only changes what the
    // kernel does with the signal, and runs before any other thread starts.
    unsafe {
        signal(SIGXFSZ, SIG_IGN);
    }
}

/// Elsewhere, SIGXFSZ keeps its default action.
#[cfg(not(all(
    any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd",
        target_os = "dragonfly"
    ),
    not(any(target_arch = "mips", target_arch = "mips64"))
)))]
fn ignore_sigxfsz() {}

fn main() -> ExitCode {
    ignore_sigxfsz();
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            seeds,
            out,
            quiet,
            verbose,
        } => {
            let level = verbosity(quiet, verbose);
            let start = Instant::now();
            let progress = Arc::new(Progress::default());
            let result = {
                let _spinner = Spinner::start(
                    progress.clone(),
                    Duration::from_millis(300),
                    level > Verbosity::Quiet && std::io::stderr().is_terminal(),
                );
                clausebook::build(&BuildOptions {
                    seeds: seeds.clone(),
                    out: out.clone(),
                    progress: Some(progress.clone()),
                })
            };
            match result {
                Ok(s) => {
                    if level > Verbosity::Quiet {
                        if s.lock_written {
                            eprintln!(
                                "anchors: {} new, {} changed; registry updated: {}",
                                s.anchors_added,
                                s.anchors_changed,
                                seeds.join(clausebook::base::paths::LOCK).display()
                            );
                        }
                        if s.findings > 0 {
                            eprintln!(
                                "{} findings about the source texts: see integrity.html or run `clausebook check --source`",
                                s.findings
                            );
                        }
                        for d in diagnostic::from_warnings(&s.warnings, &seeds) {
                            eprintln!("{}\n", diagnostic::render_terminal(&d, style()));
                        }
                        if level == Verbosity::Verbose {
                            let stages: Vec<String> = progress
                                .timings()
                                .iter()
                                .map(|(name, d)| format!("{name} {:.1} ms", d.as_secs_f64() * 1e3))
                                .collect();
                            eprintln!("stages: {}", stages.join(", "));
                        }
                        println!(
                            "built {} documents ({} versions, {} clauses), {} pages, {} files, {} warnings in {:.2} s → {}",
                            s.documents,
                            s.versions,
                            s.clauses,
                            s.pages,
                            s.files,
                            s.warnings.len(),
                            start.elapsed().as_secs_f64(),
                            out.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    let d = diagnostic::from_build_error(&e);
                    eprintln!("{}", diagnostic::render_terminal(&d, style()));
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve {
            seeds,
            port,
            open,
            poll,
            quiet,
            verbose,
        } => match serve::run(&ServeOptions {
            seeds,
            port,
            open,
            poll,
            verbosity: verbosity(quiet, verbose),
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                let d = diagnostic::Diagnostic::new(diagnostic::Severity::Error, e.problem());
                eprintln!("{}", diagnostic::render_terminal(&d, style()));
                ExitCode::FAILURE
            }
        },
        Command::Check {
            source: true,
            seeds,
            ..
        } => check_source(&seeds),
        Command::Check { dir, .. } => match check::check_site(&dir) {
            Ok(report) => {
                for b in &report.broken {
                    println!("broken: {b}");
                }
                for r in &report.remote {
                    println!("network: {r}");
                }
                println!(
                    "checked {} pages, {} links: {} broken, {} loaded from the network",
                    report.pages,
                    report.links,
                    report.broken.len(),
                    report.remote.len()
                );
                if report.is_ok() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprintln!("error: cannot check {}: {e}", dir.display());
                ExitCode::FAILURE
            }
        },
    }
}

/// `clausebook check --source`: the integrity findings as compiler-style warnings.
fn check_source(seeds: &std::path::Path) -> ExitCode {
    match check::check_source(seeds) {
        Ok(report) => {
            for f in &report.findings {
                let mut w = f.to_warning();
                w.file = seeds.join(&w.file).display().to_string();
                println!("warning: {w}");
            }
            let counts: Vec<String> = report
                .counts()
                .iter()
                .map(|(k, n)| format!("{n} {}", k.name()))
                .collect();
            println!(
                "{} findings in {} documents{}{}",
                report.findings.len(),
                report.documents,
                if counts.is_empty() { "" } else { ": " },
                counts.join(", ")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
