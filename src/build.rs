//! The whole pipeline, from a seeds folder to a written site: the order of the stages,
//! the cache of parsed documents and where the files go.
//!
//! corpus ─► parse ─► align ─► link ─► (search, integrity, anchors) ─► render ─► output.
//!
//! [`build`] writes a site; `site` makes one in memory (`serve`); [`load`] and
//! [`assemble`] run the stages up to the link stage (for `check --source`, tests and
//! benchmarks).

use crate::align;
use crate::anchors;
/// Why the anchor registry refused a build (in [`BuildError::Anchors`]).
pub use crate::anchors::AnchorError;
use crate::corpus::{self, Corpus, CorpusError, SourceDocument};
use crate::integrity;
use crate::link;
use crate::model::{BlockKind, Document, Library, Warning, walk_blocks};
use crate::output::{self, OutputError};
use crate::parse;
use crate::progress::Progress;
use crate::render::{self, OutputFile, RenderError};
use crate::search::{self, SearchError};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The seeds folder.
    pub seeds: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// Where to report how far the build is, for a progress line.
    pub progress: Option<Arc<Progress>>,
}

/// Counts reported after a build, and the warnings it gave.
#[derive(Debug, Clone, Default)]
pub struct BuildSummary {
    /// Documents built.
    pub documents: usize,
    /// Language versions built.
    pub versions: usize,
    /// Clauses across all versions.
    pub clauses: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Files written in all.
    pub files: usize,
    /// Problems in the input that did not stop the build.
    pub warnings: Vec<Warning>,
    /// Integrity findings about the source texts (`clausebook check --source` lists them).
    pub findings: usize,
    /// Anchors registered in `seeds/anchors.lock` for the first time by this build.
    pub anchors_added: usize,
    /// Registered anchors whose text changed in this build.
    pub anchors_changed: usize,
    /// Whether this build wrote `seeds/anchors.lock`.
    pub lock_written: bool,
}

/// Why a build failed; the previous site is left as it was.
#[derive(Debug)]
pub enum BuildError {
    /// Reading the seeds folder or the manifest failed.
    Corpus(CorpusError),
    /// The search index could not be built.
    Search(SearchError),
    /// A template failed.
    Render(RenderError),
    /// Writing the site failed or was refused.
    Output(OutputError),
    /// A published anchor would disappear, or the anchor registry is unreadable.
    Anchors(AnchorError),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Corpus(e) => e.fmt(f),
            BuildError::Search(e) => e.fmt(f),
            BuildError::Render(e) => e.fmt(f),
            BuildError::Output(e) => e.fmt(f),
            BuildError::Anchors(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<CorpusError> for BuildError {
    fn from(e: CorpusError) -> Self {
        BuildError::Corpus(e)
    }
}
impl From<SearchError> for BuildError {
    fn from(e: SearchError) -> Self {
        BuildError::Search(e)
    }
}
impl From<RenderError> for BuildError {
    fn from(e: RenderError) -> Self {
        BuildError::Render(e)
    }
}
impl From<anchors::AnchorError> for BuildError {
    fn from(e: anchors::AnchorError) -> Self {
        BuildError::Anchors(e)
    }
}
impl From<OutputError> for BuildError {
    fn from(e: OutputError) -> Self {
        BuildError::Output(e)
    }
}

/// Builds the site: reads, parses, aligns, analyses, resolves the anchors, renders and
/// writes; nothing is written unless every stage succeeded.
///
/// Pages are written into the new site's temporary folder as they are rendered, so the
/// site is never held in memory as a whole; the folder replaces the previous site only
/// when the build succeeded. After the site is written, the anchor registry
/// `seeds/anchors.lock` is updated (written atomically, and only where it changed): it is
/// the one file of the seeds folder the build writes. A build in which a registered
/// anchor would disappear fails before writing anything.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary, BuildError> {
    output::check_target(&opts.out, &opts.seeds)?;
    // A one-shot build: the parsed documents are not kept for a rebuild.
    let mut cache = ParseCache {
        progress: opts.progress.clone(),
        ..ParseCache::default()
    };
    let staging = output::Staging::begin(&opts.out)?;
    let (mut summary, lock) = staging
        .with_writer(|writer| produce(&opts.seeds, &mut cache, false, &Sink::Staging(writer)))?;
    if let Some(p) = &opts.progress {
        p.stage("writing", 0);
    }
    // The anchor registry in the seeds folder is written before the site is swapped in
    // and moved into place after it: a registry that cannot be written fails the build
    // with the previous site kept, and nothing of it is left behind.
    let text = anchors::render_lock(&lock);
    let registry = output::PendingFile::prepare(&opts.seeds.join(anchors::LOCK), text.as_bytes())?;
    summary.lock_written = staging.finish_with(registry)?;
    Ok(summary)
}

/// From how many bytes of seed text on the site is written by threads of its own
/// (a library of about 30 documents; the five seeds are 150 kB): its previous copy, read
/// to link what did not change, may then have to come from disk, and the 1,000-document
/// library rebuilt after its site had left the system's memory took up to a third longer
/// when the threads that render pages waited for those reads.
const BACKGROUND_WRITES_FROM: usize = 1 << 20;

/// Where the files of a build go as they are made.
enum Sink<'a> {
    /// Kept in memory (`serve`, [`site`]).
    Memory(std::sync::Mutex<Vec<OutputFile>>),
    /// Handed to the writer of the new site's temporary folder as they come.
    Staging(&'a output::Writer<'a>),
}

impl Sink<'_> {
    /// Takes files of the site.
    fn put(&self, files: Vec<OutputFile>) {
        match self {
            Sink::Memory(m) => m.lock().unwrap_or_else(|e| e.into_inner()).extend(files),
            Sink::Staging(writer) => writer.put(files),
        }
    }

    /// Writes the files that follow in the background (see [`output::Writer::background`]).
    fn background(&self) {
        if let Sink::Staging(writer) = self {
            writer.background();
        }
    }

    /// Waits until the files taken so far are written; the first write that failed, if
    /// any.
    fn failure(&self) -> Result<(), OutputError> {
        match self {
            Sink::Memory(_) => Ok(()),
            Sink::Staging(writer) => writer.wait(),
        }
    }
}

/// Parsed and aligned documents of earlier builds, by the hash of everything they were
/// made from (manifest entry and seed texts), so a rebuild parses only what changed.
#[derive(Debug, Default)]
pub(crate) struct ParseCache {
    docs: std::collections::HashMap<u64, CachedDoc>,
    /// Documents parsed by the last build (the others came from the cache).
    pub parsed_last: usize,
    /// Where to report how far the build is, for a progress line.
    pub progress: Option<Arc<Progress>>,
}

/// One parsed and aligned document with its warnings and the parser's repairs.
type CachedDoc = (Document, Vec<Warning>, Vec<Warning>);

impl ParseCache {
    /// An empty cache that reports the progress of the builds to `progress`.
    pub(crate) fn with_progress(progress: Arc<Progress>) -> Self {
        ParseCache {
            progress: Some(progress),
            ..ParseCache::default()
        }
    }
}

/// Builds the site in memory (for `serve`): every file of the site, sorted by path, the
/// summary, and the anchor registry to keep in the seeds folder (not written here).
/// Documents unchanged since a build with the same `cache` are not parsed again.
pub(crate) fn site(
    seeds: &Path,
    cache: &mut ParseCache,
) -> Result<(Vec<OutputFile>, BuildSummary, anchors::Lock), BuildError> {
    let sink = Sink::Memory(Default::default());
    let (summary, lock) = produce(seeds, cache, true, &sink)?;
    let Sink::Memory(files) = sink else {
        unreachable!("a memory sink")
    };
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, summary, lock))
}

/// Every stage from the seeds to the files of the site, which go to `sink` as they are
/// made; with `keep` false the parsed documents are not kept in `cache` (a one-shot
/// build, which spares a copy of every document). Returns the summary and the anchor
/// registry to keep.
///
/// The order: the seeds are read and parsed (the Markdown pages converted and the
/// templates loaded meanwhile); then, while the search index is built, the findings are
/// analysed and the anchors of every page registered, the registry is resolved against
/// the lock of the last build, and the pages are rendered with their marks (aliases,
/// "text changed" notes, finding markers), with the data files, the report, the
/// forwarding pages and `anchors.json`. Every file is written once, as it is made.
fn produce(
    seeds: &Path,
    cache: &mut ParseCache,
    keep: bool,
    sink: &Sink<'_>,
) -> Result<(BuildSummary, anchors::Lock), BuildError> {
    use rayon::prelude::*;
    let progress = cache.progress.clone();
    let stage = |name, total| {
        if let Some(p) = &progress {
            p.stage(name, total);
        }
    };
    stage("reading", 0);
    // The Markdown pages (code highlighting may take a while) are made and the templates
    // compiled while the seeds are read and parsed; an error in the seeds is the one
    // reported, whatever the pages and templates hold.
    let (assembled, (pages, env)) = rayon::join(
        || {
            let corpus = corpus::read(seeds)?;
            stage("parsing", corpus.documents.len());
            let input: usize = corpus
                .documents
                .iter()
                .flat_map(|d| &d.versions)
                .map(|v| v.text.len())
                .sum();
            if input >= BACKGROUND_WRITES_FROM {
                sink.background();
            }
            Ok::<_, BuildError>(assemble_with(corpus, cache, keep))
        },
        || {
            rayon::join(
                || render::MarkdownPages::load(seeds),
                || render::environment(seeds),
            )
        },
    );
    let Assembled {
        library: lib,
        warnings,
        repairs,
        aliases,
    } = assembled?;
    let renderer = render::Renderer::with_environment(&lib, env?, pages?);
    // Pages and files are counted as they pass to the sink.
    let counts = std::sync::Mutex::new((0usize, 0usize));
    let take = |files: Vec<OutputFile>| {
        {
            let mut c = counts.lock().unwrap_or_else(|e| e.into_inner());
            c.0 += files.iter().filter(|f| f.path.ends_with(".html")).count();
            c.1 += files.len();
        }
        sink.put(files);
    };
    stage("anchors", 0);
    // The search index is built, and goes to the sink, while the rest is done.
    let (index, rest) = rayon::join(
        || search::build(&lib).map(&take),
        || {
            let ((findings, registry), old) = rayon::join(
                || {
                    rayon::join(
                        || integrity::analyse(&lib, &repairs),
                        || render::registry(&lib),
                    )
                },
                || anchors::read_lock(seeds),
            );
            let res = anchors::resolve(&registry, old?, &lib, &aliases, &anchors::today())?;
            stage("rendering", 0);
            let marks = render::Annotations::new(&lib, &findings, &res);
            let (rendered, extra) = rayon::join(
                || renderer.render_to(&lib, seeds, &marks, &take),
                || {
                    lib.documents
                        .par_iter()
                        .for_each(|doc| take(vec![render::data_file(doc, &findings)]));
                    let mut files = vec![renderer.report_page(&lib, &findings)?];
                    for (page, r) in &res.redirects {
                        files.push(renderer.moved_page(page, r)?);
                    }
                    files.push(OutputFile {
                        path: anchors::JSON.into(),
                        bytes: anchors::anchors_json(&registry, &res.aliases, &res.lock),
                    });
                    take(files);
                    Ok::<_, RenderError>(())
                },
            );
            rendered?;
            extra?;
            Ok::<_, BuildError>((findings.len(), res))
        },
    );
    let (findings, res) = rest?;
    index?;
    drop(renderer);
    sink.failure()?;
    let (pages, files) = counts.into_inner().unwrap_or_else(|e| e.into_inner());
    let summary = BuildSummary {
        documents: lib.documents.len(),
        versions: lib.documents.iter().map(|d| d.versions.len()).sum(),
        clauses: lib
            .documents
            .iter()
            .flat_map(|d| &d.versions)
            .map(|v| {
                walk_blocks(&v.blocks)
                    .iter()
                    .filter(|b| b.kind == BlockKind::Clause)
                    .count()
            })
            .sum(),
        pages,
        files,
        warnings,
        findings,
        anchors_added: res.added,
        anchors_changed: res.updated,
        lock_written: false,
    };
    Ok((summary, res.lock))
}

/// A parsed, aligned and linked corpus with everything the later stages need.
#[derive(Debug, Clone)]
pub struct Assembled {
    /// The documents.
    pub library: Library,
    /// Warnings of every stage so far.
    pub warnings: Vec<Warning>,
    /// The repairs the parser made, per seed file (joined paragraphs, moved boxes).
    pub repairs: Vec<Warning>,
    /// Each document's anchor aliases from the manifest (old id ─► new id), by slug.
    pub aliases: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

/// Reads a seeds folder and runs the stages up to the link stage: the library every later
/// stage starts from, with the warnings so far, the parser's repairs and the aliases.
pub fn load(seeds: &Path) -> Result<Assembled, BuildError> {
    Ok(assemble(corpus::read(seeds)?))
}

/// [`load`] for a corpus already read: parses every seed, aligns each document's
/// versions and links the documents.
pub fn assemble(corpus: Corpus) -> Assembled {
    assemble_with(corpus, &mut ParseCache::default(), false)
}

/// [`assemble`], taking documents whose manifest entry and seed texts are unchanged
/// from `cache` (parsed and aligned); with `keep` the documents of this corpus are kept
/// in it for the next build, without, the cache is left empty, which spares a copy of
/// every document where no rebuild follows. Documents are parsed and aligned in
/// parallel; the result is the same as one after another. Linking across documents runs
/// every time.
fn assemble_with(corpus: Corpus, cache: &mut ParseCache, keep: bool) -> Assembled {
    use rayon::prelude::*;
    use std::hash::{Hash, Hasher};
    let mut warnings = corpus.warnings;
    let mut repairs = Vec::new();
    let mut aliases = std::collections::BTreeMap::new();
    let titles = link::manifest_titles(&corpus.documents);
    for src in &corpus.documents {
        aliases.insert(src.slug.clone(), src.aliases.clone());
    }
    let mut old = std::mem::take(&mut cache.docs);
    let progress = cache.progress.clone();
    // Each document parsed here, or its source back where the cache holds it.
    let fresh: Vec<(u64, Result<CachedDoc, SourceDocument>)> = corpus
        .documents
        .into_par_iter()
        .map(|src| {
            // Every field is hashed, so any change to the entry or a text counts. A build
            // that keeps nothing has no use for the key.
            let key = if keep || !old.is_empty() {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                src.hash(&mut h);
                h.finish()
            } else {
                0
            };
            let entry = if old.contains_key(&key) {
                Err(src)
            } else {
                Ok(parse_and_align(src))
            };
            if let Some(p) = &progress {
                p.tick();
            }
            (key, entry)
        })
        .collect();
    let mut documents = Vec::new();
    let mut kept = std::collections::HashMap::new();
    cache.parsed_last = 0;
    for (key, entry) in fresh {
        let entry = match entry {
            Ok(e) => {
                cache.parsed_last += 1;
                e
            }
            Err(src) => match old.remove(&key) {
                Some(cached) => cached,
                // The same document twice: its cached entry went to the first.
                None => {
                    cache.parsed_last += 1;
                    parse_and_align(src)
                }
            },
        };
        warnings.extend(entry.1.iter().cloned());
        repairs.extend(entry.2.iter().cloned());
        if keep {
            documents.push(entry.0.clone());
            kept.insert(key, entry);
        } else {
            documents.push(entry.0);
        }
    }
    cache.docs = kept;
    let mut lib = Library {
        site: corpus.site,
        documents,
    };
    if let Some(p) = &cache.progress {
        p.stage("linking", 0);
    }
    warnings.extend(link::link(&mut lib, &titles));
    Assembled {
        library: lib,
        warnings,
        repairs,
        aliases,
    }
}

/// Parses the versions of a document and aligns them.
fn parse_and_align(src: SourceDocument) -> CachedDoc {
    let (mut doc, mut w, r) = parse::document(src);
    w.extend(align::supply_missing_parts(&mut doc));
    w.extend(align::align_document(&mut doc));
    (doc, w, r)
}
