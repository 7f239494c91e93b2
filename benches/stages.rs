//! `cargo bench --bench stages`: each stage of the pipeline on its own, with divan, on
//! the five seeds and on the synthetic corpus of 100 documents (`support/corpus.rs`):
//! parse, align, link, index (search), render and write. Each stage gets the output of
//! the stages before it, made outside the timed part. `cargo bench --bench stages --
//! seeds` runs only the benchmarks whose name holds `seeds`, and so on (divan's filters).
//!
//! Stages that use rayon run on every core divan's process may use; the render stage
//! here covers the document, side-by-side, clause, compare and Markdown pages, without
//! the integrity page, data files and anchor registry the full build adds.

#[path = "support/corpus.rs"]
mod corpus;

use clausebook::build::{self, Assembled};
use clausebook::corpus::Corpus;
use clausebook::model::{Document, Library};
use clausebook::render::OutputFile;
use clausebook::{align, link, output, render, search};
use divan::Bencher;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn main() {
    divan::main();
}

/// The corpora: the five seeds and 100 synthetic documents.
const CORPORA: [&str; 2] = ["seeds", "synthetic-100"];

/// A corpus with the output of every stage, made once.
struct Prepared {
    seeds: PathBuf,
    corpus: Corpus,
    /// Parsed, not aligned.
    parsed: Vec<Document>,
    /// Parsed and aligned, not linked.
    aligned: Library,
    /// After every stage before rendering.
    linked: Assembled,
    files: Vec<OutputFile>,
    _dir: Option<tempfile::TempDir>,
}

fn prepared(name: &str) -> &'static Prepared {
    static SEEDS: OnceLock<Prepared> = OnceLock::new();
    static SYNTHETIC: OnceLock<Prepared> = OnceLock::new();
    let cell = if name == "seeds" { &SEEDS } else { &SYNTHETIC };
    cell.get_or_init(|| {
        let (seeds, dir) = if name == "seeds" {
            (Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"), None)
        } else {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let seeds = dir.path().join("seeds");
            corpus::write(100, &seeds).expect("the synthetic corpus is written");
            (seeds, Some(dir))
        };
        let corpus = clausebook::corpus::read(&seeds).expect("the corpus reads");
        let parsed: Vec<Document> = corpus
            .documents
            .iter()
            .map(|d| clausebook::parse::document(d.clone()).0)
            .collect();
        let mut aligned = Library {
            site: corpus.site.clone(),
            documents: parsed.clone(),
        };
        for d in &mut aligned.documents {
            align::supply_missing_parts(d);
            align::align_document(d);
        }
        let linked = build::assemble(corpus.clone());
        let files = render::render(&linked.library, &seeds).expect("the site renders");
        Prepared {
            seeds,
            corpus,
            parsed,
            aligned,
            linked,
            files,
            _dir: dir,
        }
    })
}

/// Parsing every version of every document (from text already read and decoded).
#[divan::bench(args = CORPORA, sample_count = 10)]
fn parse(bencher: Bencher, name: &str) {
    let p = prepared(name);
    bencher
        .with_inputs(|| p.corpus.documents.clone())
        .bench_values(|docs| {
            docs.into_iter()
                .map(|d| clausebook::parse::document(d).0)
                .collect::<Vec<_>>()
        });
}

/// Aligning every translation with its original (parts supplied from the translation,
/// then units, paragraphs and sentences paired).
#[divan::bench(args = CORPORA, sample_count = 10)]
fn align(bencher: Bencher, name: &str) {
    let p = prepared(name);
    bencher
        .with_inputs(|| p.parsed.clone())
        .bench_values(|mut docs| {
            for d in &mut docs {
                align::supply_missing_parts(d);
                align::align_document(d);
            }
            docs
        });
}

/// Linking: citations, clause correspondence and shared wording.
#[divan::bench(args = CORPORA, sample_count = 10)]
fn link(bencher: Bencher, name: &str) {
    let p = prepared(name);
    bencher
        .with_inputs(|| p.aligned.clone())
        .bench_values(|mut lib| {
            link::link(&mut lib, &[]);
            lib
        });
}

/// The search index of every language.
#[divan::bench(args = CORPORA, sample_count = 10)]
fn index(bencher: Bencher, name: &str) {
    let p = prepared(name);
    bencher.bench(|| search::build(&p.linked.library).expect("the index builds"));
}

/// Rendering the pages.
#[divan::bench(args = CORPORA, sample_count = 10)]
fn render(bencher: Bencher, name: &str) {
    let p = prepared(name);
    bencher.bench(|| render::render(&p.linked.library, &p.seeds).expect("the site renders"));
}

/// Writing the rendered pages into a new folder and swapping it in over the last one.
#[divan::bench(args = CORPORA, sample_count = 10)]
fn write(bencher: Bencher, name: &str) {
    let p = prepared(name);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("site");
    bencher.bench(|| output::write_site(&out, &p.files).expect("the site is written"));
}
