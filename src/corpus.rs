//! Reading the seeds folder: the manifest, the seed files and their encodings.
//!
//! [`read`] walks the seeds folder, reads `manifest.yaml`, checks it against the files
//! present, and decodes every seed (UTF-8 with or without BOM, UTF-16 with BOM, GB18030 /
//! GBK) into text with `\n` line ends. A `.txt` file the manifest does not name is still
//! read, with a warning, and described from its own content.

use crate::base::Problem;
use crate::base::date::is_date;
use crate::base::paths::{LOCK, RESERVED_DIRS};
use crate::base::text::detect_lang;
use crate::model::{Relation, SiteMeta, Warning};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

pub(crate) use crate::base::paths::MANIFEST;

/// Everything read from a seeds folder, ready for parsing.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The seeds folder.
    pub root: PathBuf,
    /// Site-wide settings.
    pub site: SiteMeta,
    /// The documents, in manifest order, then unlisted files by name.
    pub documents: Vec<SourceDocument>,
    /// Things worth telling the user that did not stop the read.
    pub warnings: Vec<Warning>,
}

/// One document as the manifest describes it, with its decoded seed texts.
#[derive(Debug, Clone, Hash)]
pub struct SourceDocument {
    /// Folder name in the site.
    pub slug: String,
    /// `guideline`, `implementation`, `news`, …
    pub kind: String,
    /// `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) if given.
    pub date: Option<String>,
    /// Display title for versions without a title line of their own.
    pub title: Option<String>,
    /// Relations stated in the manifest.
    pub relations: Vec<Relation>,
    /// Old anchors that now live under another id (`aliases: {c37: c36}`), so that links
    /// to them keep landing; see docs/guide.md, "Anchors".
    pub aliases: BTreeMap<String, String>,
    /// The versions; exactly one is the original.
    pub versions: Vec<SourceVersion>,
}

/// One seed file: one language version of a document.
#[derive(Debug, Clone, Hash)]
pub struct SourceVersion {
    /// Path relative to the seeds folder, `/`-separated.
    pub file: String,
    /// BCP 47 language tag.
    pub lang: String,
    /// Whether this is the original-language version.
    pub original: bool,
    /// The manifest's title for this version, if any.
    pub title: Option<String>,
    /// The decoded text with `\n` line ends.
    pub text: String,
    /// The encoding the file was read in.
    pub encoding: &'static str,
}

/// Why the seeds folder could not be read: the kind of failure, and the [`Problem`] as
/// the user reads it, which names the file (and line and column where there is one) and
/// says what to do.
#[derive(Debug)]
pub struct CorpusError {
    /// What failed.
    pub kind: CorpusErrorKind,
    /// Where, what is wrong, what to do (boxed, since errors travel up every stage's
    /// `Result`).
    pub problem: Box<Problem>,
}

/// The kinds of [`CorpusError`].
#[derive(Debug)]
pub enum CorpusErrorKind {
    /// The seeds folder itself is missing or unreadable.
    NoSeeds(std::io::Error),
    /// A file could not be read.
    Io(std::io::Error),
    /// The manifest is not valid YAML, does not have the expected shape, or names a seed
    /// file that is not there.
    Manifest,
    /// A seed file's bytes are not text in any supported encoding.
    Decode,
    /// A seed file holds no text: it is empty or only white space.
    Empty,
}

impl CorpusError {
    fn new(problem: Problem, kind: CorpusErrorKind) -> CorpusError {
        CorpusError {
            kind,
            problem: Box::new(problem),
        }
    }

    /// The seeds folder `path` cannot be read.
    pub(crate) fn no_seeds(path: &Path, source: std::io::Error) -> CorpusError {
        CorpusError::new(
            Problem::in_file(path, format!("cannot read the seeds folder: {source}")).hint(
                "run clausebook in a folder that has a `seeds/` folder, or pass `--seeds DIR`",
            ),
            CorpusErrorKind::NoSeeds(source),
        )
    }

    /// The file `path` cannot be read.
    pub(crate) fn io(path: &Path, source: std::io::Error) -> CorpusError {
        CorpusError::new(
            Problem::in_file(path, format!("cannot read it: {source}"))
                .hint("check that it exists and that you may read it"),
            CorpusErrorKind::Io(source),
        )
    }

    /// The manifest `path` is wrong at `line` and `column` (1-based, 0 if unknown).
    pub(crate) fn manifest(
        path: &Path,
        line: usize,
        column: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> CorpusError {
        CorpusError::new(
            Problem::in_file(path, message).at(line, column).hint(hint),
            CorpusErrorKind::Manifest,
        )
    }

    /// The seed `path` is not text; `message` says why ([`decode`]'s error).
    pub(crate) fn decode(path: &Path, message: impl Into<String>) -> CorpusError {
        CorpusError::new(
            Problem::in_file(path, message).hint(
                "save the file as UTF-8 (or UTF-16 with a BOM, or GB18030/GBK) text, or move \
                 it out of the seeds folder",
            ),
            CorpusErrorKind::Decode,
        )
    }

    /// The seed `path` is `bytes` long, over [`MAX_SEED_BYTES`].
    pub fn too_large(path: &Path, bytes: u64) -> CorpusError {
        CorpusError::new(
            Problem::in_file(
                path,
                format!(
                    "the file is {:.1} MiB, over the limit of {} MiB for one seed",
                    bytes as f64 / (1 << 20) as f64,
                    MAX_SEED_BYTES >> 20
                ),
            )
            .hint(
                "split the document into several documents of the manifest (a seed file \
                 each), or take out what is not its text",
            ),
            CorpusErrorKind::Io(std::io::Error::from(std::io::ErrorKind::FileTooLarge)),
        )
    }

    /// The seed `path` holds no text.
    pub(crate) fn empty(path: &Path) -> CorpusError {
        CorpusError::new(
            Problem::in_file(path, "has no text (the file is empty or only white space)").hint(
                "put the document's text in it, or remove it from the seeds folder and the \
                 manifest",
            ),
            CorpusErrorKind::Empty,
        )
    }
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem.fmt(f)
    }
}

impl std::error::Error for CorpusError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            CorpusErrorKind::NoSeeds(e) | CorpusErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The manifest as written.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(default)]
    site: Option<SiteSection>,
    #[serde(default)]
    documents: Vec<Spanned<DocEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteSection {
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocEntry {
    slug: Spanned<String>,
    kind: String,
    #[serde(default)]
    date: Option<Spanned<String>>,
    #[serde(default)]
    title: Option<String>,
    versions: Vec<Spanned<VersionEntry>>,
    #[serde(default)]
    relations: Vec<Spanned<RelationEntry>>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionEntry {
    file: String,
    lang: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    original: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationEntry {
    kind: String,
    target: String,
}

/// Reads the seeds folder at `root`.
pub fn read(root: &Path) -> Result<Corpus, CorpusError> {
    let meta = std::fs::metadata(root).map_err(|source| CorpusError::no_seeds(root, source))?;
    if !meta.is_dir() {
        return Err(CorpusError::no_seeds(
            root,
            std::io::Error::other("it is not a folder"),
        ));
    }
    let manifest_path = root.join(MANIFEST);
    let mut warnings = Vec::new();
    let manifest = if manifest_path.exists() {
        let text = read_file(&manifest_path)?;
        Some(parse_manifest(&text, &manifest_path)?)
    } else {
        warnings.push(Warning {
            file: MANIFEST.into(),
            line: 0,
            message: "no manifest: every .txt file is built as a document of its own".into(),
            hint: Some("add seeds/manifest.yaml to name documents, languages and titles".into()),
        });
        None
    };
    let (seed_files, others) = list_seed_files(root)?;
    for file in others {
        warnings.push(Warning {
            message: "not a seed: only .txt files are read as documents; skipped".into(),
            hint: Some(
                "move it out of the seeds folder, or into pages/ (Markdown) or static/ (assets)"
                    .into(),
            ),
            file,
            line: 0,
        });
    }

    let mut documents = Vec::new();
    let mut named = BTreeSet::new();
    let site = match &manifest {
        Some(m) => {
            // The seeds are read and decoded in parallel; the first error in the
            // manifest's order is the one reported.
            use rayon::prelude::*;
            let read: Vec<Result<SourceDocument, CorpusError>> = m
                .documents
                .par_iter()
                .map(|entry| read_entry(root, &manifest_path, &entry.value, &seed_files))
                .collect();
            for doc in read {
                let doc = doc?;
                named.extend(doc.versions.iter().map(|v| v.file.clone()));
                documents.push(doc);
            }
            m.site.as_ref().map(|s| SiteMeta {
                title: s.title.clone(),
                description: s.description.clone(),
                url: s.url.clone(),
            })
        }
        None => None,
    }
    .unwrap_or_else(|| SiteMeta {
        title: "clausebook".into(),
        ..SiteMeta::default()
    });

    let mut slugs: BTreeSet<String> = documents.iter().map(|d| d.slug.clone()).collect();
    for file in seed_files.iter().filter(|f| !named.contains(*f)) {
        let path = root.join(file);
        let (text, encoding) = read_seed_text(&path)?;
        let slug = unique_slug(&slug_from_file(file), &mut slugs);
        let lang = detect_lang(&text).to_string();
        warnings.push(Warning {
            file: file.clone(),
            line: 0,
            message: format!("not named in the manifest; built as `{slug}` in language `{lang}`"),
            hint: Some(format!(
                "add it to {MANIFEST} under `documents:` to set its slug, kind, language and title"
            )),
        });
        documents.push(SourceDocument {
            slug,
            kind: "document".into(),
            date: None,
            title: None,
            relations: Vec::new(),
            aliases: BTreeMap::new(),
            versions: vec![SourceVersion {
                file: file.clone(),
                lang,
                original: true,
                title: None,
                text,
                encoding,
            }],
        });
    }
    Ok(Corpus {
        root: root.to_path_buf(),
        site,
        documents,
        warnings,
    })
}

fn manifest_error(path: &Path, line: u64, column: u64, message: String, hint: &str) -> CorpusError {
    CorpusError::manifest(path, line as usize, column as usize, message, hint)
}

/// Parses and checks manifest text without reading any seed file: YAML shape, slugs,
/// language tags, dates, duplicates and relation targets. `path` names the manifest in
/// errors. Whether the named seed files exist is checked by [`read`].
pub fn check_manifest_text(text: &str, path: &Path) -> Result<(), CorpusError> {
    parse_manifest(&normalize_newlines(text), path).map(|_| ())
}

fn parse_manifest(text: &str, path: &Path) -> Result<ManifestFile, CorpusError> {
    let m: ManifestFile = serde_saphyr::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        // The error's own text repeats the position; keep its first line only.
        let message = e.to_string();
        let message = message.lines().next().unwrap_or("invalid YAML");
        // `error: line 6 column 5: what` ─► `what`: the position is printed before it.
        let message = message.strip_prefix("error: ").unwrap_or(message);
        let message = match message.split_once(": ") {
            Some((pos, rest)) if pos.starts_with("line ") && pos.contains(" column ") => rest,
            _ => message,
        };
        // A key given twice: the parser's own advice names its options, not the manifest.
        let (message, hint) = match message
            .strip_suffix(", set DuplicateKeyPolicy in Options if acceptable")
            .map(|m| m.strip_prefix("duplicate mapping key").unwrap_or(m))
        {
            Some(key) => (
                match key.strip_prefix(": ") {
                    Some(k) => format!("the key `{k}` is given twice in the same mapping"),
                    None => "a key is given twice in the same mapping".to_string(),
                },
                "keep one of the two; docs/guide.md, \"The manifest\", lists every key",
            ),
            None => (
                message.to_string(),
                "fix the manifest at that line; docs/guide.md, \"The manifest\", lists every key",
            ),
        };
        manifest_error(path, line, column, message, hint)
    })?;
    check_manifest(&m, path)?;
    Ok(m)
}

/// Checks what the YAML shape cannot: slugs, languages, dates, duplicates, relations.
fn check_manifest(m: &ManifestFile, path: &Path) -> Result<(), CorpusError> {
    let mut seen: BTreeMap<&str, u64> = BTreeMap::new();
    for entry in &m.documents {
        let doc = &entry.value;
        let slug = &doc.slug;
        let (line, col) = (slug.referenced.line(), slug.referenced.column());
        if let Err(why) = check_slug(&slug.value) {
            return Err(manifest_error(
                path,
                line,
                col,
                format!("invalid slug {:?}: {why}", slug.value),
                "use lowercase ASCII letters, digits and hyphens, e.g. `gansu-2020`",
            ));
        }
        if let Some(first) = seen.insert(&slug.value, line) {
            return Err(manifest_error(
                path,
                line,
                col,
                format!(
                    "duplicate slug {:?} (first used on line {first})",
                    slug.value
                ),
                "give every document its own slug",
            ));
        }
        if doc.kind.trim().is_empty() {
            return Err(manifest_error(
                path,
                entry.referenced.line(),
                entry.referenced.column(),
                format!("document {:?} has an empty kind", slug.value),
                "set `kind:` to guideline, implementation, news or another word",
            ));
        }
        if let Some(date) = &doc.date
            && !is_date(&date.value)
        {
            return Err(manifest_error(
                path,
                date.referenced.line(),
                date.referenced.column(),
                format!("invalid date {:?}", date.value),
                "write dates as YYYY-MM-DD (or YYYY-MM, YYYY)",
            ));
        }
        if doc.versions.is_empty() {
            return Err(manifest_error(
                path,
                entry.referenced.line(),
                entry.referenced.column(),
                format!("document {:?} has no versions", slug.value),
                "list at least one `{file: …, lang: …}` under `versions:`",
            ));
        }
        let mut langs = BTreeSet::new();
        let mut originals = 0;
        for v in &doc.versions {
            let (vl, vc) = (v.referenced.line(), v.referenced.column());
            if !is_bcp47(&v.value.lang) {
                return Err(manifest_error(
                    path,
                    vl,
                    vc,
                    format!("{:?} is not a BCP 47 language tag", v.value.lang),
                    "use tags such as zh-Hans, zh-Hant, en, fr",
                ));
            }
            if !langs.insert(v.value.lang.to_ascii_lowercase()) {
                return Err(manifest_error(
                    path,
                    vl,
                    vc,
                    format!(
                        "document {:?} has two versions in {}",
                        slug.value, v.value.lang
                    ),
                    "give each language one version per document",
                ));
            }
            if let Err(why) = check_relative_file(&v.value.file) {
                return Err(manifest_error(
                    path,
                    vl,
                    vc,
                    format!("invalid file {:?}: {why}", v.value.file),
                    "name a file inside the seeds folder, e.g. `gansu.txt`",
                ));
            }
            originals += usize::from(v.value.original == Some(true));
        }
        if originals > 1 {
            return Err(manifest_error(
                path,
                entry.referenced.line(),
                entry.referenced.column(),
                format!(
                    "document {:?} marks {originals} versions as original",
                    slug.value
                ),
                "mark one version `original: true` (or none: the first is the original)",
            ));
        }
    }
    for entry in &m.documents {
        for r in &entry.value.relations {
            if !seen.contains_key(r.value.target.as_str()) {
                return Err(manifest_error(
                    path,
                    r.referenced.line(),
                    r.referenced.column(),
                    format!(
                        "relation target {:?} is not a document slug",
                        r.value.target
                    ),
                    "name the slug of a document listed in this manifest",
                ));
            }
        }
    }
    Ok(())
}

fn read_entry(
    root: &Path,
    manifest_path: &Path,
    doc: &DocEntry,
    present: &BTreeSet<String>,
) -> Result<SourceDocument, CorpusError> {
    let any_original = doc.versions.iter().any(|v| v.value.original == Some(true));
    let mut versions = Vec::new();
    for (i, v) in doc.versions.iter().enumerate() {
        let file = v.value.file.replace('\\', "/");
        let path = root.join(&file);
        if !path.is_file() {
            let hint = match closest(&file, present) {
                Some(c) => format!(
                    "did you mean {c:?}? files in the seeds folder are listed by `ls seeds`"
                ),
                None => "put the file in the seeds folder or fix the name".to_string(),
            };
            return Err(manifest_error(
                manifest_path,
                v.referenced.line(),
                v.referenced.column(),
                format!("seed file {file:?} not found in {}", root.display()),
                &hint,
            ));
        }
        let (text, encoding) = read_seed_text(&path)?;
        versions.push(SourceVersion {
            file,
            lang: v.value.lang.clone(),
            original: if any_original {
                v.value.original == Some(true)
            } else {
                i == 0
            },
            title: v.value.title.clone(),
            text,
            encoding,
        });
    }
    // The original comes first.
    versions.sort_by_key(|v| !v.original);
    Ok(SourceDocument {
        slug: doc.slug.value.clone(),
        kind: doc.kind.trim().to_string(),
        date: doc.date.as_ref().map(|d| d.value.clone()),
        title: doc.title.clone(),
        aliases: doc.aliases.clone(),
        relations: doc
            .relations
            .iter()
            .map(|r| Relation {
                kind: r.value.kind.clone(),
                target: r.value.target.clone(),
            })
            .collect(),
        versions,
    })
}

/// The `.txt` files of the seeds folder (outside its reserved folders), relative,
/// `/`-separated, sorted; and, apart, the other files there that are not the manifest
/// and not hidden (an image or an archive dropped in by mistake).
fn list_seed_files(root: &Path) -> Result<(BTreeSet<String>, Vec<String>), CorpusError> {
    let mut out = BTreeSet::new();
    let mut others = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() != 1
                || !e.file_type().is_dir()
                || !RESERVED_DIRS.contains(&e.file_name().to_string_lossy().as_ref())
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(root).to_path_buf();
            CorpusError::io(&path, e.into())
        })?;
        let is_txt = entry
            .path()
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("txt"));
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let hidden = rel.iter().any(|c| c.starts_with('.'));
        let rel = rel.join("/");
        // Other files are reported, but for the manifest and the anchor registry, which
        // the build itself writes (see docs/guide.md, "Anchors").
        if is_txt {
            out.insert(rel);
        } else if !hidden && rel != MANIFEST && rel != LOCK {
            others.push(rel);
        }
    }
    Ok((out, others))
}

fn read_file(path: &Path) -> Result<String, CorpusError> {
    let (text, _) = read_seed(path)?;
    Ok(text)
}

/// The largest seed file read: 20 MiB, fifty times the largest real law (民法典, the
/// Civil Code, about 0.4 MB). A build takes memory in proportion to its seeds, so a
/// larger file is refused before it is read.
pub const MAX_SEED_BYTES: u64 = 20 << 20;

/// Reads and decodes one seed; a seed without any text, or over [`MAX_SEED_BYTES`], is
/// an error.
fn read_seed_text(path: &Path) -> Result<(String, &'static str), CorpusError> {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > MAX_SEED_BYTES
    {
        return Err(CorpusError::too_large(path, meta.len()));
    }
    let (text, encoding) = read_seed(path)?;
    if text.chars().all(carries_no_text) {
        return Err(CorpusError::empty(path));
    }
    Ok((text, encoding))
}

/// White space, the byte order mark and NUL: characters that carry no text.
fn carries_no_text(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\0'
}

/// Reads and decodes one text file; see [`decode`].
pub(crate) fn read_seed(path: &Path) -> Result<(String, &'static str), CorpusError> {
    let bytes = std::fs::read(path).map_err(|source| CorpusError::io(path, source))?;
    decode(&bytes).map_err(|message| CorpusError::decode(path, message))
}

/// Decodes a seed: UTF-8 (a BOM is dropped), UTF-16 with a BOM, else GB18030 (a superset
/// of GBK and GB2312). Line ends CRLF and CR become LF. Returns the text and the name of
/// the encoding, or why the bytes are not text.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if starts_with_magic(bytes) {
        return Err("is a binary file, not text".into());
    }
    let (text, encoding) = if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(format!(
                "starts with a {} byte order mark but is not valid {}",
                enc.name(),
                enc.name()
            ));
        }
        (text.into_owned(), enc.name())
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), "UTF-8")
    } else {
        if looks_binary(bytes) {
            return Err("is a binary file, not text".into());
        }
        match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(text) => (text.into_owned(), "GB18030"),
            None => {
                let at = std::str::from_utf8(bytes)
                    .err()
                    .map(|e| e.valid_up_to())
                    .unwrap_or(0);
                let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
                return Err(format!(
                    "is neither UTF-8 nor GB18030/GBK text (first invalid byte on line {line})"
                ));
            }
        }
    };
    Ok((normalize_newlines(&text), encoding))
}

/// Whether bytes start with the magic number of a common binary format (PNG, zip and
/// the office formats built on it, PDF, JPEG, GIF, gzip, 7z), some of which are valid
/// UTF-8 at their start.
fn starts_with_magic(bytes: &[u8]) -> bool {
    const MAGIC: [&[u8]; 8] = [
        b"\x89PNG",
        b"PK\x03\x04",
        b"%PDF",
        b"\xff\xd8\xff",
        b"GIF8",
        b"\x1f\x8b",
        b"7z\xbc\xaf",
        b"PK\x05\x06",
    ];
    MAGIC.iter().any(|m| bytes.starts_with(m))
}

/// Whether undecodable bytes look like a binary file (NUL bytes early on). A few NULs
/// in otherwise valid text are removed by the parser, with a warning.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|&b| b == 0)
}

/// CRLF and lone CR become LF.
pub fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Checks a slug: a safe, portable folder name.
pub(crate) fn check_slug(slug: &str) -> Result<(), &'static str> {
    const RESERVED: [&str; 8] = ["data", "static", "con", "prn", "aux", "nul", "index", "404"];
    if slug.is_empty() {
        return Err("it is empty");
    }
    if slug.len() > 80 {
        return Err("it is longer than 80 characters");
    }
    if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("only lowercase ASCII letters, digits and `-` are allowed");
    }
    if slug.starts_with('-') || slug.ends_with('-') {
        return Err("it may not start or end with `-`");
    }
    let windows_device = (slug.starts_with("com") || slug.starts_with("lpt"))
        && slug.len() == 4
        && slug.as_bytes()[3].is_ascii_digit();
    if RESERVED.contains(&slug) || windows_device {
        return Err("the name is reserved (a site folder or a Windows device name)");
    }
    Ok(())
}

fn check_relative_file(file: &str) -> Result<(), &'static str> {
    let p = Path::new(file);
    if file.is_empty() {
        return Err("it is empty");
    }
    if p.is_absolute() || file.starts_with('/') || file.starts_with('\\') {
        return Err("it is an absolute path");
    }
    if p.components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err("it leaves the seeds folder");
    }
    Ok(())
}

/// Whether `tag` is a well-formed BCP 47 tag of the common shape
/// `language[-script][-region][-variant…]`.
pub(crate) fn is_bcp47(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let Some(lang) = parts.next() else {
        return false;
    };
    if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A slug made from a file name: lowercase ASCII letters and digits, other runs as `-`.
pub(crate) fn slug_from_file(file: &str) -> String {
    let stem = Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut slug = String::new();
    for c in stem.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if check_slug(&slug).is_ok() {
        slug
    } else {
        format!("doc-{slug}").trim_end_matches('-').to_string()
    }
}

fn unique_slug(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut slug = base.to_string();
    let mut n = 2;
    while !taken.insert(slug.clone()) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// The present file most like `want`, for "did you mean" hints.
fn closest<'a>(want: &str, present: &'a BTreeSet<String>) -> Option<&'a str> {
    let want_l = want.to_lowercase();
    present
        .iter()
        .map(|p| (edit_distance(&want_l, &p.to_lowercase()), p))
        .filter(|(d, p)| *d <= 3.max(p.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, p)| p.as_str())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        assert_eq!(decode("一、总体".as_bytes()).unwrap().0, "一、总体");
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("一、总体".as_bytes());
        assert_eq!(decode(&b).unwrap(), ("一、总体".to_string(), "UTF-8"));
    }

    #[test]
    fn decodes_gbk_and_utf16() {
        let (gbk, _, _) = encoding_rs::GBK.encode("（八）积极参与“一带一路”建设。\r\n");
        assert_eq!(
            decode(&gbk).unwrap(),
            ("（八）积极参与“一带一路”建设。\n".to_string(), "GB18030")
        );
        let mut u16le = vec![0xFF, 0xFE];
        for u in "第一条\r\n".encode_utf16() {
            u16le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            decode(&u16le).unwrap(),
            ("第一条\n".to_string(), "UTF-16LE")
        );
    }

    #[test]
    fn seeds_without_text_and_stray_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "一、总体要求\n").unwrap();
        std::fs::write(dir.path().join("logo.png"), b"\x89PNG\r\n").unwrap();
        std::fs::write(dir.path().join(".DS_Store"), b"\0").unwrap();
        std::fs::write(dir.path().join("anchors.lock"), "").unwrap();
        let c = read(dir.path()).unwrap();
        let stray: Vec<&str> = c
            .warnings
            .iter()
            .filter(|w| w.message.starts_with("not a seed"))
            .map(|w| w.file.as_str())
            .collect();
        assert_eq!(stray, ["logo.png"]);
        for blank in ["", " \u{3000}\r\n\t\n", "\u{feff}\n"] {
            std::fs::write(dir.path().join("b.txt"), blank).unwrap();
            let e = read(dir.path()).unwrap_err().to_string();
            assert!(e.contains("b.txt: has no text"), "{e}");
        }
    }

    #[test]
    fn normalizes_line_ends() {
        assert_eq!(normalize_newlines("a\r\nb\rc\nd"), "a\nb\nc\nd");
    }

    #[test]
    fn rejects_binary() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe";
        assert!(decode(png).unwrap_err().contains("binary"));
        // A zip header is valid UTF-8: the magic number decides.
        assert!(
            decode(b"PK\x03\x04\x14\0\0\0")
                .unwrap_err()
                .contains("binary")
        );
        assert!(decode(b"%PDF-1.7\n").unwrap_err().contains("binary"));
    }

    #[test]
    fn slugs() {
        assert!(check_slug("guideline").is_ok());
        assert!(check_slug("inner-mongolia-2020").is_ok());
        for bad in [
            "", "../x", "/etc", "a/b", "CON", "con", "com1", "data", "-x", "A",
        ] {
            assert!(check_slug(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(slug_from_file("000_7eec8.txt"), "000-7eec8");
        assert_eq!(slug_from_file("甘肃.txt"), "doc");
    }

    #[test]
    fn language_tags() {
        for good in ["en", "zh-Hans", "zh-Hans-CN", "fr-CA"] {
            assert!(is_bcp47(good), "{good}");
        }
        for bad in ["", "english", "zh_Hans", "z", "zh-"] {
            assert!(!is_bcp47(bad), "{bad}");
        }
    }

    #[test]
    fn detects_language() {
        assert_eq!(
            detect_lang("为贯彻落实《意见》精神，提出如下实施意见。"),
            "zh-Hans"
        );
        assert_eq!(
            detect_lang("Strengthening measures to promote the west."),
            "en"
        );
    }

    fn manifest_err(yaml: &str) -> String {
        match parse_manifest(yaml, Path::new("seeds/manifest.yaml")) {
            Ok(_) => panic!("accepted: {yaml}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_key_given_twice_is_named_in_the_manifest_s_terms() {
        let e = manifest_err("documents: []\ndocuments: []\n");
        assert!(e.contains("manifest.yaml:2:"), "{e}");
        assert!(
            e.contains("the key `documents` is given twice in the same mapping"),
            "{e}"
        );
        assert!(!e.contains("DuplicateKeyPolicy"), "{e}");
    }

    #[test]
    fn manifest_errors_name_the_line() {
        let e = manifest_err("documents:\n  - slug: a\n    kind: x\n    versions: []\n");
        assert!(e.contains("manifest.yaml:2:"), "{e}");
        assert!(e.contains("no versions"), "{e}");
        let e = manifest_err(
            "documents:\n  - slug: a\n    kind: x\n    versions: [{file: a.txt, lang: en}]\n  - slug: a\n    kind: x\n    versions: [{file: b.txt, lang: en}]\n",
        );
        assert!(e.contains(":5:") && e.contains("duplicate slug"), "{e}");
        let e = manifest_err(
            "documents:\n  - slug: ../x\n    kind: x\n    versions: [{file: a.txt, lang: en}]\n",
        );
        assert!(e.contains(":2:") && e.contains("invalid slug"), "{e}");
        let e = manifest_err(
            "documents:\n  - slug: a\n    kind: x\n    versions: [{file: a.txt, lang: english}]\n",
        );
        assert!(e.contains("BCP 47"), "{e}");
        let e = manifest_err(
            "documents:\n  - slug: a\n    kind: x\n    colour: red\n    versions: [{file: a.txt, lang: en}]\n",
        );
        assert!(e.contains("colour") && e.contains(":4:"), "{e}");
        let e = manifest_err("documents: [\n  - slug: a\n");
        assert!(e.contains("manifest.yaml:"), "{e}");
    }

    #[test]
    fn manifest_lines_are_counted_like_an_editor_counts_them() {
        // Found by fuzzing: CR-only line ends.
        let e = check_manifest_text(
            "documents:\r  - slug: a\r    kind: x\r    versions: [{file: a.txt, lang: en}]\r  - {\r",
            Path::new("manifest.yaml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("manifest.yaml:5:"), "{e}");
    }

    #[test]
    fn manifest_relation_targets_must_exist() {
        let e = manifest_err(
            "documents:\n  - slug: a\n    kind: x\n    versions: [{file: a.txt, lang: en}]\n    relations:\n      - {kind: implements, target: b}\n",
        );
        assert!(e.contains(":6:") && e.contains("\"b\""), "{e}");
    }
}
