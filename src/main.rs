//! The `clausebook` command line.

use clap::{Parser, Subcommand};
use clausebook::diagnostic::{self, Style};
use clausebook::progress::{Progress, Spinner};
use clausebook::serve::{self, ServeOptions, Verbosity};
use clausebook::{BuildOptions, anchor_report, check};
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
    /// Explain which published anchors a build would lose and where their text went,
    /// with the aliases to add (nothing is written); `--write-aliases` adds them to
    /// manifest.yaml; `anchors retire PAGE#ID --reason "…"` drops an anchor on purpose.
    Anchors {
        /// The folder holding manifest.yaml, the seed texts and anchors.lock [default:
        /// seeds].
        #[arg(long, value_name = "DIR")]
        seeds: Option<PathBuf>,
        /// Add the aliases found to manifest.yaml, under each document's `aliases:`: only
        /// new places found by a text that occurs once (the unit's, or its sentences' at
        /// the same positions); existing aliases are kept.
        #[arg(long)]
        write_aliases: bool,
        #[command(subcommand)]
        action: Option<AnchorsAction>,
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

#[derive(Subcommand)]
enum AnchorsAction {
    /// Record in anchors.lock that anchors are dropped on purpose, with today's date and
    /// a reason: the build no longer requires them.
    Retire {
        /// The anchors, as `page#id` (`law06/c127.html#c127-3`), as the build's error
        /// and `clausebook anchors` name them.
        #[arg(required = true, value_name = "PAGE#ID")]
        anchors: Vec<String>,
        /// Why they are dropped, kept in the lock.
        #[arg(long)]
        reason: String,
        /// The seeds folder [default: seeds].
        #[arg(long, value_name = "DIR")]
        seeds: Option<PathBuf>,
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
        Command::Anchors {
            seeds,
            write_aliases,
            action,
        } => match action {
            Some(AnchorsAction::Retire {
                anchors,
                reason,
                seeds: s,
            }) => retire(
                &s.or(seeds).unwrap_or_else(|| "seeds".into()),
                &anchors,
                &reason,
            ),
            None => anchors(&seeds.unwrap_or_else(|| "seeds".into()), write_aliases),
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

/// Prints an error of an `anchors` command.
fn anchors_error(e: &anchor_report::AnchorsError) -> ExitCode {
    let d = match e {
        anchor_report::AnchorsError::Build(e) => diagnostic::from_build_error(e),
        anchor_report::AnchorsError::Refused(p) => {
            diagnostic::Diagnostic::new(diagnostic::Severity::Error, (**p).clone())
        }
    };
    eprintln!("{}", diagnostic::render_terminal(&d, style()));
    ExitCode::FAILURE
}

/// `clausebook anchors`: the anchors a build would lose, where their text went, the
/// aliases to add; with `write`, adds them to the manifest. Fails (exit 1) while a build
/// would lose an anchor.
fn anchors(seeds: &std::path::Path, write: bool) -> ExitCode {
    use anchor_report::{AliasEdit, Match};
    let e = match anchor_report::explain(seeds) {
        Ok(e) => e,
        Err(e) => return anchors_error(&e),
    };
    if e.lost.is_empty() {
        println!(
            "no published anchor would disappear: the build keeps every anchor of its registry"
        );
        return ExitCode::SUCCESS;
    }
    println!(
        "{} published anchor(s) would disappear (registered in {}):",
        e.lost.len(),
        seeds.join(clausebook::base::paths::LOCK).display()
    );
    let mut page = "";
    for l in &e.lost {
        if l.page != page {
            page = &l.page;
            let slug = page.split('/').next().unwrap_or("");
            println!(
                "
{page} (document `{slug}`{}):",
                if l.page_gone { ", page gone" } else { "" }
            );
        }
        let now = match &l.same_text {
            Some((id, p)) if *p == l.page => format!("same text now at #{id}"),
            Some((id, p)) => format!("same text now at {p}#{id}"),
            None => "no new id has the same text".into(),
        };
        println!(
            "  #{:<14} text {} recorded {}: {now}",
            l.id, l.entry.hash, l.entry.date
        );
    }
    let mut by_doc: std::collections::BTreeMap<&str, Vec<&anchor_report::Suggestion>> =
        Default::default();
    for s in &e.suggestions {
        by_doc.entry(&s.slug).or_default().push(s);
    }
    if !by_doc.is_empty() {
        println!(
            "
aliases that would keep these links landing (under each document in manifest.yaml):"
        );
        for (slug, s) in &by_doc {
            println!(
                "  - slug: {slug}
    aliases:"
            );
            for x in s {
                let how = match x.how {
                    Match::SameText => "same text",
                    Match::SameSentences => "same sentences, at the same places",
                };
                println!("      {}: {}    # {how}", x.old, x.new);
            }
        }
    }
    if e.remaining.is_empty() {
        println!(
            "
with these aliases, every anchor of the registry lands again"
        );
    } else {
        println!(
            "
{} anchor(s) would still be lost with these aliases; map each by hand (`aliases: {{old: new}}`) or retire it:",
            e.remaining.len()
        );
        for (page, id) in e.remaining.iter().take(20) {
            println!("  clausebook anchors retire '{page}#{id}' --reason \"…\"");
        }
        if e.remaining.len() > 20 {
            println!("  … and {} more", e.remaining.len() - 20);
        }
    }
    if !write {
        if !e.suggestions.is_empty() {
            println!(
                "
run `clausebook anchors --write-aliases` to add them to manifest.yaml"
            );
        }
        return ExitCode::FAILURE;
    }
    match anchor_report::write_aliases(seeds, &e.suggestions) {
        Ok(AliasEdit::Nothing) => println!(
            "
no alias to add to the manifest"
        ),
        Ok(AliasEdit::Written(path, added)) => {
            println!(
                "
added {} alias(es) to {}",
                added.len(),
                path.display()
            );
            if e.remaining.is_empty() {
                return ExitCode::SUCCESS;
            }
        }
        Ok(AliasEdit::Paste(why, lines)) => {
            println!("
the manifest was left as it was ({why}); paste these lines under each document's `aliases:` yourself:");
            for (slug, l) in lines {
                print!(
                    "  - slug: {slug}
    aliases:
{l}"
                );
            }
        }
        Err(e) => return anchors_error(&e),
    }
    ExitCode::FAILURE
}

/// `clausebook anchors retire`: records the anchors as retired in the lock.
fn retire(seeds: &std::path::Path, keys: &[String], reason: &str) -> ExitCode {
    match anchor_report::retire(seeds, keys, reason) {
        Ok(lines) => {
            for l in &lines {
                println!("retired: {l}");
            }
            println!(
                "{} anchor(s) retired in {}; the build no longer requires them",
                lines.len(),
                seeds.join(clausebook::base::paths::LOCK).display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => anchors_error(&e),
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
