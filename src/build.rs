//! The whole pipeline, from a seeds folder to a written site:
//! corpus ─► parse ─► align ─► link ─► search ─► render (+ data files) ─► output.

use crate::align;
use crate::corpus::{self, Corpus, CorpusError, SourceDocument};
use crate::integrity::{self, Finding, anchors};
use crate::link;
use crate::model::{BlockKind, Document, Library, TitleSource, Version, Warning, walk_blocks};
use crate::output::{self, OutputError};
use crate::parse;
use crate::render::{self, OutputFile, RenderError};
use crate::search::{self, SearchError};
use std::fmt;
use std::path::{Path, PathBuf};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The seeds folder.
    pub seeds: PathBuf,
    /// The output folder.
    pub out: PathBuf,
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
    Anchors(anchors::AnchorError),
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

/// Builds the site: reads, parses, aligns, analyses, renders and writes; nothing is
/// written unless every stage succeeded.
///
/// After the site is written, the anchor registry `seeds/anchors.lock` is updated (written
/// atomically, and only where it changed): it is the one file of the seeds folder the
/// build writes. A build in which a registered anchor would disappear fails before
/// writing anything.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary, BuildError> {
    build_with(opts, &mut ParseCache::default())
}

/// [`build`] with a cache of earlier parses and a progress report (see [`ParseCache`]).
/// The documents parsed here are not kept in the cache: a rebuild goes through [`site`].
///
/// Pages are written into the new site's temporary folder as they are rendered, so the
/// site is never held in memory as a whole; the folder replaces the previous site only
/// when the build succeeded.
pub fn build_with(opts: &BuildOptions, cache: &mut ParseCache) -> Result<BuildSummary, BuildError> {
    output::check_target(&opts.out, &opts.seeds)?;
    let staging = output::Staging::begin(&opts.out)?;
    let (mut summary, lock) =
        staging.with_writer(|writer| produce(&opts.seeds, cache, false, &Sink::Staging(writer)))?;
    if let Some(p) = &cache.progress {
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

    /// Inserts the marks of the anchor registry into the pages taken so far, and adds
    /// the forwarding pages. Only pages with such marks are read back (none where no
    /// anchor moved or changed).
    fn mark(&self, res: &anchors::Resolution) {
        match self {
            Sink::Memory(m) => {
                let mut files = m.lock().unwrap_or_else(|e| e.into_inner());
                integrity::site::mark_pages(&mut files, res);
            }
            Sink::Staging(writer) => {
                let staging = writer.staging();
                // Each page's language once, from the start of the file (every page taken
                // so far is written: `failure` came first).
                let zh = std::cell::RefCell::new(std::collections::HashMap::new());
                let marks = integrity::site::plan_marks(res, |page| {
                    *zh.borrow_mut().entry(page.to_string()).or_insert_with(|| {
                        staging
                            .read_head(page, 1024)
                            .is_some_and(|b| integrity::site::page_is_zh(&b))
                    })
                });
                // The pages are read, marked and written back in parallel.
                use rayon::prelude::*;
                marks.snippets.par_iter().for_each(|(page, per_id)| {
                    if let Some(bytes) = staging.read(page) {
                        self.put(vec![OutputFile {
                            path: page.clone(),
                            bytes: integrity::site::mark_page(&bytes, per_id),
                        }]);
                    }
                });
                self.put(marks.redirects);
            }
        }
    }
}

/// Parsed and aligned documents of earlier builds, by the hash of everything they were
/// made from (manifest entry and seed texts), so a rebuild parses only what changed.
#[derive(Debug, Default)]
pub struct ParseCache {
    docs: std::collections::HashMap<u64, CachedDoc>,
    /// Documents parsed by the last build (the others came from the cache).
    pub parsed_last: usize,
    /// Where to report how far the build is, for a progress line.
    pub progress: Option<std::sync::Arc<crate::progress::Progress>>,
}

/// One parsed and aligned document with its warnings and the parser's repairs.
type CachedDoc = (Document, Vec<Warning>, Vec<Warning>);

impl ParseCache {
    /// An empty cache that reports the build's progress to `progress`.
    pub fn with_progress(progress: std::sync::Arc<crate::progress::Progress>) -> Self {
        ParseCache {
            progress: Some(progress),
            ..ParseCache::default()
        }
    }
}

/// Builds the site in memory: every file of the site, sorted by path, the summary, and
/// the anchor registry to keep in the seeds folder (written by [`build_with`], not here).
/// Documents unchanged since a build with the same `cache` are not parsed again.
pub fn site(
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
    stage("rendering", 0);
    let pages = pages?;
    let renderer = render::Renderer::with_environment(&lib, env?, pages);
    // Pages are counted and their anchors collected as they pass to the sink.
    let registry = std::sync::Mutex::new(anchors::Registry::new());
    let counts = std::sync::Mutex::new((0usize, 0usize));
    let slugs: std::collections::HashMap<&str, &Document> =
        lib.documents.iter().map(|d| (d.slug.as_str(), d)).collect();
    // The findings, and the pages they mark: known before the first page is rendered, so
    // that every page is written once, with its markers.
    let findings: std::sync::OnceLock<Vec<Finding>> = std::sync::OnceLock::new();
    let places: std::sync::OnceLock<std::collections::HashMap<String, Vec<(String, &Finding)>>> =
        std::sync::OnceLock::new();
    let take = |mut files: Vec<OutputFile>| {
        if let Some(places) = places.get() {
            for f in &mut files {
                if let Some(p) = places.get(&f.path) {
                    f.bytes = integrity::site::mark_findings(&f.bytes, p);
                }
            }
        }
        {
            let mut c = counts.lock().unwrap_or_else(|e| e.into_inner());
            c.0 += files.iter().filter(|f| f.path.ends_with(".html")).count();
            c.1 += files.len();
        }
        // A batch holds all pages of a document's folder, or none.
        let doc = files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .find_map(|f| slugs.get(f.path.split_once('/')?.0));
        if let Some(doc) = doc {
            let part = anchors::collect_document(doc, &files);
            registry
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(part);
        }
        sink.put(files);
    };
    // Independent stages at once: the search index is built (and the anchor registry of
    // the last build read) while the text is analysed, then its pages rendered document
    // by document and its data files and report made. The index and the data files go
    // to the sink as soon as they are made.
    let ((index, old), (report, rendered)) = rayon::join(
        || {
            rayon::join(
                || search::build(&lib).map(&take),
                || anchors::read_lock(seeds),
            )
        },
        || {
            let findings = findings.get_or_init(|| integrity::analyse(&lib, &repairs));
            places.get_or_init(|| integrity::site::finding_places(&lib, findings));
            rayon::join(
                || {
                    rayon::join(
                        || integrity::site::report_page(&lib, &renderer, findings),
                        || {
                            lib.documents
                                .par_iter()
                                .for_each(|doc| take(vec![data_file(doc, findings)]))
                        },
                    )
                    .0
                },
                || renderer.render_to(&lib, seeds, &take),
            )
        },
    );
    rendered?;
    index?;
    take(vec![report?]);
    drop(renderer);
    sink.failure()?;
    stage("anchors", 0);
    let registry = std::mem::take(&mut *registry.lock().unwrap_or_else(|e| e.into_inner()));
    let res = anchors::resolve(&registry, old?, &lib, &aliases, &anchors::today())?;
    let ((), json) = rayon::join(
        || sink.mark(&res),
        || anchors::anchors_json(&registry, &res.aliases),
    );
    take(vec![json]);
    sink.failure()?;
    let findings = findings.get().map_or(0, Vec::len);
    let (pages, files) = counts.into_inner().unwrap_or_else(|e| e.into_inner());
    let redirects = res.redirects.len();
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
        // The forwarding pages are pages too; the marked pages were counted already.
        pages: pages + redirects,
        files: files + redirects,
        warnings,
        findings,
        anchors_added: res.added,
        anchors_changed: res.updated,
        lock_written: false,
    };
    Ok((summary, res.lock))
}

/// Reads and parses a seeds folder into the library, with the warnings of every stage.
pub fn load(seeds: &Path) -> Result<(Library, Vec<Warning>), BuildError> {
    let a = load_all(seeds)?;
    Ok((a.library, a.warnings))
}

/// Parses every seed of a corpus, aligns each document's versions and links the documents.
pub fn assemble(corpus: Corpus) -> (Library, Vec<Warning>) {
    let a = assemble_all(corpus);
    (a.library, a.warnings)
}

/// A parsed and aligned corpus with everything the later stages need.
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

/// Reads and parses a seeds folder, keeping the repairs and aliases.
pub fn load_all(seeds: &Path) -> Result<Assembled, BuildError> {
    let corpus = corpus::read(seeds)?;
    Ok(assemble_all(corpus))
}

/// Like [`assemble`], keeping the parser's repairs and the manifest's aliases.
pub fn assemble_all(corpus: Corpus) -> Assembled {
    assemble_cached(corpus, &mut ParseCache::default())
}

/// [`assemble_all`], taking documents whose manifest entry and seed texts are unchanged
/// from `cache` (parsed and aligned), and keeping only the documents of this corpus in it.
/// Linking across documents runs every time.
pub fn assemble_cached(corpus: Corpus, cache: &mut ParseCache) -> Assembled {
    assemble_with(corpus, cache, true)
}

/// [`assemble_cached`]; with `keep` false the cache is left empty, which spares a copy
/// of every document where no rebuild follows. Documents are parsed and aligned in
/// parallel; the result is the same as one after another.
fn assemble_with(corpus: Corpus, cache: &mut ParseCache, keep: bool) -> Assembled {
    use rayon::prelude::*;
    use std::hash::{Hash, Hasher};
    let mut warnings = corpus.warnings;
    let mut repairs = Vec::new();
    let mut aliases = std::collections::BTreeMap::new();
    let titles = manifest_titles(&corpus.documents);
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
    let (mut doc, mut w, r) = parse_document(src);
    w.extend(align::supply_missing_parts(&mut doc));
    w.extend(align::align_document(&mut doc));
    (doc, w, r)
}

/// The titles the manifest gives documents and versions, which citations may use too.
fn manifest_titles(docs: &[SourceDocument]) -> Vec<link::KnownTitle> {
    docs.iter()
        .flat_map(|d| {
            d.title
                .iter()
                .chain(d.versions.iter().filter_map(|v| v.title.as_ref()))
                .map(|t| link::KnownTitle {
                    slug: d.slug.clone(),
                    title: t.clone(),
                })
        })
        .collect()
}

/// The parse stage for one document: every version of `src` parsed into its tree, the
/// title settled (seed, manifest or file name), with the parser's warnings and repairs.
pub fn parse_document(src: SourceDocument) -> (Document, Vec<Warning>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut repairs = Vec::new();
    let mut versions = Vec::new();
    for v in src.versions {
        let parsed = parse::parse(&v.text, &v.file);
        warnings.extend(parsed.warnings);
        repairs.extend(parsed.repairs);
        // The document's manifest title names the original; a translation needs its own.
        let manifest_title = v.title.or_else(|| src.title.clone().filter(|_| v.original));
        let (title, title_from) = match (parsed.title, manifest_title) {
            (Some(t), _) => (t, TitleSource::Seed),
            (None, Some(t)) => (t, TitleSource::Manifest),
            (None, None) => {
                warnings.push(Warning {
                    file: v.file.clone(),
                    line: 0,
                    message: "no title line and no title in the manifest; the file name is shown"
                        .into(),
                    hint: Some(format!(
                        "add `title: …` to this version's entry in {}",
                        corpus::MANIFEST
                    )),
                });
                (file_stem(&v.file), TitleSource::File)
            }
        };
        versions.push(Version {
            lang: v.lang,
            original: v.original,
            source: v.file,
            title,
            title_from,
            blocks: parsed.blocks,
            alignment: None,
        });
    }
    let date = src.date.or_else(|| date_from_source_line(&versions));
    (
        Document {
            slug: src.slug,
            kind: src.kind,
            date,
            relations: src.relations,
            links: Vec::new(),
            versions,
        },
        warnings,
        repairs,
    )
}

/// A date `YYYY-MM-DD` stated in a version's source line (`来源：2020-06-23 …`).
fn date_from_source_line(versions: &[Version]) -> Option<String> {
    versions
        .iter()
        .flat_map(|v| walk_blocks(&v.blocks))
        .filter(|b| b.kind == BlockKind::Source)
        .filter_map(|b| b.text.as_deref())
        .find_map(find_iso_date)
}

fn find_iso_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let shape = w.iter().enumerate().all(|(j, c)| match j {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        let bounded = i == 0 || !b[i - 1].is_ascii_digit();
        (shape && bounded).then(|| s[i..i + 10].to_string())
    })
}

fn file_stem(file: &str) -> String {
    Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string())
}

/// `data/<slug>.json` for every document: the tree in the contract's format.
pub fn data_files(lib: &Library) -> Vec<OutputFile> {
    lib.documents
        .iter()
        .map(|doc| data_file(doc, &[]))
        .collect()
}

/// `data/<slug>.json` for one document, with its integrity findings among `findings`.
fn data_file(doc: &Document, findings: &[Finding]) -> OutputFile {
    // The findings go last, after the contract's fields in their usual order.
    let mut bytes = serde_json::to_vec_pretty(doc).expect("the model serializes");
    let own = integrity::site::findings_of(findings, &doc.slug);
    let list = serde_json::to_string_pretty(&own).expect("findings serialize");
    if bytes.ends_with(b"\n}") {
        bytes.truncate(bytes.len() - 2);
        bytes.extend_from_slice(b",\n  \"findings\": ");
        bytes.extend_from_slice(list.replace('\n', "\n  ").as_bytes());
        bytes.extend_from_slice(b"\n}");
    }
    bytes.push(b'\n');
    OutputFile {
        path: format!("data/{}.json", doc.slug),
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_iso_dates() {
        assert_eq!(
            find_iso_date("来源：2020-06-23 内蒙古日报 06 版").as_deref(),
            Some("2020-06-23")
        );
        assert_eq!(find_iso_date("12020-06-23"), None);
        assert_eq!(find_iso_date("no date"), None);
    }
}
