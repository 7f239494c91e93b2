//! `cargo bench --bench gen_corpus -- --docs N --out DIR`: writes a synthetic seeds
//! folder of N documents built from the seeds' sentences (see `support/corpus.rs`),
//! byte-identical for the same N. DIR must be new, empty, or written by this command
//! before; a relative DIR is taken from the package root, where cargo runs benches.
//! Without `--out` (as in a plain `cargo bench`) it prints its usage and does nothing.

#[path = "support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo bench --bench gen_corpus -- --docs N --out DIR";

fn main() -> ExitCode {
    let mut docs: Option<usize> = None;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--docs" => match args.next().and_then(|v| v.parse().ok()) {
                Some(n) => docs = Some(n),
                None => {
                    eprintln!("error: --docs needs a number of documents\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--out" => match args.next() {
                Some(d) => out = Some(PathBuf::from(d)),
                None => {
                    eprintln!("error: --out needs a folder\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            // cargo passes `--bench` to every bench target.
            "--bench" => {}
            other => {
                eprintln!("error: unknown argument {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    };
    let docs = docs.unwrap_or(100);
    if docs == 0 {
        eprintln!("error: --docs must be at least 1\n{USAGE}");
        return ExitCode::from(2);
    }
    match corpus::write(docs, &out) {
        Ok(bytes) => {
            println!(
                "wrote {docs} documents, {:.1} MB, to {}",
                bytes as f64 / 1e6,
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
