//! The `clausebook` command line.

use clap::{Parser, Subcommand};
use clausebook::{BuildOptions, check};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

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
        #[arg(long, short)]
        quiet: bool,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { seeds, out, quiet } => {
            let start = Instant::now();
            match clausebook::build(&BuildOptions {
                seeds: seeds.clone(),
                out: out.clone(),
            }) {
                Ok(s) => {
                    if !quiet {
                        if s.lock_written {
                            eprintln!(
                                "anchors: {} new, {} changed; registry updated: {}",
                                s.anchors_added,
                                s.anchors_changed,
                                seeds.join(clausebook::integrity::anchors::LOCK).display()
                            );
                        }
                        if s.findings > 0 {
                            eprintln!(
                                "{} findings about the source texts: see integrity.html or run `clausebook check --source`",
                                s.findings
                            );
                        }
                        for w in &s.warnings {
                            // Name files as the user reaches them from here.
                            let mut w = w.clone();
                            w.file = seeds.join(&w.file).display().to_string();
                            eprintln!("warning: {w}");
                        }
                        println!(
                            "built {} documents ({} versions, {} clauses), {} pages, {} files in {:.2} s → {}",
                            s.documents,
                            s.versions,
                            s.clauses,
                            s.pages,
                            s.files,
                            start.elapsed().as_secs_f64(),
                            out.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
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
    match clausebook::build::load_all(seeds) {
        Ok(a) => {
            let findings = clausebook::integrity::analyse(&a.library, &a.repairs);
            for f in &findings {
                let mut w = f.to_warning();
                w.file = seeds.join(&w.file).display().to_string();
                println!("warning: {w}");
            }
            let counts: Vec<String> = clausebook::integrity::FindingKind::ALL
                .iter()
                .map(|k| (k, findings.iter().filter(|f| f.kind == *k).count()))
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| format!("{n} {}", k.name()))
                .collect();
            println!(
                "{} findings in {} documents{}{}",
                findings.len(),
                a.library.documents.len(),
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
