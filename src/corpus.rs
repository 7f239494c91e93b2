//! Reading the seeds folder: the manifest, the seed files and their encodings.
//!
//! [`read`] walks the seeds folder, reads `manifest.yaml`, checks it against the files
//! present, and decodes every seed (UTF-8 with or without BOM, UTF-16 with BOM, GB18030 /
//! GBK, or the encoding the manifest states) into text with `\n` line ends. A `.txt` file
//! the manifest does not name is still read, with a warning, and described from its own
//! content.
//!
//! Nothing outside the seeds folder is read: no symbolic link is followed, and only
//! regular files are opened (see `base::fs`); links, FIFOs, devices and sockets
//! in the folder are skipped with a warning, and refused where the manifest names them.
//! Hidden files (`.name`, macOS's `._name`) are not seeds.

use crate::base::Problem;
use crate::base::date::is_date;
use crate::base::fs::{self as safe_fs, MANIFEST_CAP, ReadError};
use crate::base::paths::{LOCK, RESERVED_DIRS};
use crate::base::text::detect_lang;
use crate::model::{Relation, SiteMeta, Warning};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

pub(crate) use crate::base::paths::MANIFEST;

/// Without a manifest, a folder with more `.txt` files than this in its sub-folders is
/// refused as a seeds folder: it is more likely a wrong `--seeds` (a project's root, a
/// tree of documentation) than a library, and the build would write `anchors.lock` into
/// it. Files at the top level do not count: a flat folder of texts is the way to build
/// without a manifest. A manifest lifts the limit.
pub(crate) const MAX_UNLISTED_SEEDS: usize = 200;

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
    /// A file the build needs is not one it reads: a symbolic link, a FIFO, device or
    /// socket, or a file over its size limit (see `base::fs`).
    Refused,
    /// The folder does not look like a seeds folder: no manifest, and no `.txt` file at
    /// its top level or very many in its sub-folders.
    NotSeeds,
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
                "save the file as UTF-8 (or UTF-16 with a BOM, or GB18030/GBK) text, or state \
                 its encoding on its version in the manifest (`encoding: big5`; docs/guide.md, \
                 \"Encodings\"), or move it out of the seeds folder",
            ),
            CorpusErrorKind::Decode,
        )
    }

    /// The seed `path` is `bytes` long, over [`MAX_SEED_BYTES`].
    pub(crate) fn too_large(path: &Path, bytes: u64) -> CorpusError {
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

    /// The file `path` was not read: [`safe_fs::read_regular_file`]'s error.
    pub(crate) fn read(path: &Path, error: ReadError) -> CorpusError {
        let problem = Problem::in_file(path, error.to_string()).hint(error.hint());
        let kind = match error {
            ReadError::Io(e) => CorpusErrorKind::Io(e),
            _ => CorpusErrorKind::Refused,
        };
        CorpusError::new(problem, kind)
    }

    /// The folder `path` does not look like a seeds folder; `message` says why.
    pub(crate) fn not_seeds(path: &Path, message: impl Into<String>) -> CorpusError {
        CorpusError::new(
            Problem::in_file(path, message).hint(format!(
                "pass the seeds folder with `--seeds DIR`; to build this folder all the same, \
                 add a {MANIFEST} naming its documents (docs/guide.md, \"The manifest\")"
            )),
            CorpusErrorKind::NotSeeds,
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
    url: Option<Spanned<String>>,
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
    /// The seed's encoding, for a file that is neither UTF-8 nor GB18030/GBK (`big5`,
    /// `shift_jis`, …): any label of the Encoding Standard.
    #[serde(default)]
    encoding: Option<String>,
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
    // Whether the manifest is there, a link or FIFO included (which reading refuses).
    let manifest = if std::fs::symlink_metadata(&manifest_path).is_ok() {
        let bytes = safe_fs::read_regular_file(&manifest_path, root, MANIFEST_CAP)
            .map_err(|e| CorpusError::read(&manifest_path, e))?;
        let (text, _) =
            decode(&bytes).map_err(|message| CorpusError::decode(&manifest_path, message))?;
        Some(parse_manifest(&text, &manifest_path)?)
    } else {
        check_looks_like_seeds(root)?;
        warnings.push(Warning {
            file: MANIFEST.into(),
            line: 0,
            message: "no manifest: every .txt file is built as a document of its own".into(),
            hint: Some("add seeds/manifest.yaml to name documents, languages and titles".into()),
            quote: None,
        });
        None
    };
    let limit = manifest.is_none().then_some(MAX_UNLISTED_SEEDS);
    let listing = list_seed_files(root, limit)?;
    if let Some(max) = limit
        && listing.nested > max
    {
        return Err(CorpusError::not_seeds(
            root,
            format!(
                "this does not look like a seeds folder: it has no {MANIFEST}, and more than \
                 {max} .txt files in its sub-folders"
            ),
        ));
    }
    warnings.extend(listing.warnings);
    for file in listing.others {
        warnings.push(Warning {
            message: "not a seed: only .txt files are read as documents; skipped".into(),
            hint: Some(
                "move it out of the seeds folder, or into pages/ (Markdown) or static/ (assets)"
                    .into(),
            ),
            file,
            line: 0,
            quote: None,
        });
    }
    let present: BTreeSet<String> = listing.seeds.iter().map(|(f, _)| f.clone()).collect();

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
                .map(|entry| read_entry(root, &manifest_path, &entry.value, &present))
                .collect();
            for doc in read {
                let doc = doc?;
                named.extend(doc.versions.iter().map(|v| v.file.clone()));
                documents.push(doc);
            }
            m.site.as_ref().map(|s| SiteMeta {
                title: s.title.clone(),
                description: s.description.clone(),
                url: s.url.as_ref().map(|u| u.value.clone()),
            })
        }
        None => None,
    }
    .unwrap_or_else(|| SiteMeta {
        title: "clausebook".into(),
        ..SiteMeta::default()
    });

    let mut slugs: BTreeSet<String> = documents.iter().map(|d| d.slug.clone()).collect();
    for (file, path) in listing.seeds.iter().filter(|(f, _)| !named.contains(f)) {
        let (text, encoding) = read_seed_text(path, root, None)?;
        let slug = unique_slug(&slug_from_file(file), &mut slugs);
        let lang = detect_lang(&text).to_string();
        warnings.push(Warning {
            file: file.clone(),
            line: 0,
            message: format!("not named in the manifest; built as `{slug}` in language `{lang}`"),
            hint: Some(format!(
                "add it to {MANIFEST} under `documents:` to set its slug, kind, language and title"
            )),
            quote: None,
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

/// Without a manifest, a folder is read as seeds only if it has a `.txt` file at its top
/// level (a regular file, not hidden): a folder such as `/usr/share` or a project's root,
/// passed as `--seeds` by mistake, is refused before it is walked.
fn check_looks_like_seeds(root: &Path) -> Result<(), CorpusError> {
    let entries = std::fs::read_dir(root).map_err(|e| CorpusError::no_seeds(root, e))?;
    let has_txt = entries.flatten().any(|e| {
        let name = e.file_name();
        !safe_fs::is_hidden(&name)
            && Path::new(&name)
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("txt"))
            && e.file_type().is_ok_and(|t| t.is_file())
    });
    if has_txt {
        Ok(())
    } else {
        Err(CorpusError::not_seeds(
            root,
            format!(
                "this does not look like a seeds folder: it has no {MANIFEST} and no .txt file \
                 at its top level"
            ),
        ))
    }
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

/// The `aliases` of every document of a manifest's text (`path` names it in an error),
/// by slug, without reading the seeds: for a check that an edit of the manifest changed
/// exactly the aliases it meant to.
pub fn manifest_aliases(
    text: &str,
    path: &Path,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, CorpusError> {
    let m = parse_manifest(&normalize_newlines(text), path)?;
    Ok(m.documents
        .into_iter()
        .map(|d| {
            let d = d.value;
            (d.slug.value, d.aliases)
        })
        .collect())
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
    if let Some(url) = m.site.as_ref().and_then(|s| s.url.as_ref())
        && let Err(why) = check_site_url(&url.value)
    {
        return Err(manifest_error(
            path,
            url.referenced.line(),
            url.referenced.column(),
            format!("invalid site url {:?}: {why}", url.value),
            "give the address the site is published at, e.g. `https://example.org/laws/`",
        ));
    }
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
                // A long tag is named by its start only.
                let lang = &v.value.lang;
                let shown = match lang.char_indices().nth(40) {
                    Some((at, _)) => format!("{:?}… ({} characters)", &lang[..at], lang.len()),
                    None => format!("{lang:?}"),
                };
                return Err(manifest_error(
                    path,
                    vl,
                    vc,
                    format!("{shown} is not a BCP 47 language tag"),
                    "use tags such as zh-Hans, zh-Hant, en, fr: a language, then a script, a \
                     region and variants where needed, 35 characters at most",
                ));
            }
            if let Some(label) = &v.value.encoding
                && stated_encoding(label).is_none()
            {
                return Err(manifest_error(
                    path,
                    vl,
                    vc,
                    format!("unknown encoding {label:?}"),
                    "name the file's encoding as the Encoding Standard labels it: utf-8, gb18030, \
                     gbk, big5, shift_jis, euc-jp, euc-kr, utf-16le, …; docs/guide.md, \
                     \"Encodings\"",
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
            if let Err(why) = check_relative_file(&v.value.file)
                .and_then(|()| check_not_reserved_file(&v.value.file))
            {
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
        // Missing: not even a link or FIFO of that name (which reading refuses below).
        if std::fs::symlink_metadata(&path).is_err() {
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
        let stated = v.value.encoding.as_deref().and_then(stated_encoding);
        let (text, encoding) = read_seed_text(&path, root, stated)?;
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

/// What [`list_seed_files`] found in the seeds folder.
struct Listing {
    /// The `.txt` files outside the reserved folders: the name relative to the seeds
    /// folder, `/`-separated (lossy where a name is not UTF-8), and the real path; sorted
    /// by name.
    seeds: Vec<(String, PathBuf)>,
    /// The other regular files there that are not the manifest or the anchor registry
    /// (an image or an archive dropped in by mistake), by name.
    others: Vec<String>,
    /// Warnings about the entries skipped, links, FIFOs, devices and sockets (in the
    /// reserved folders too, whose readers skip them silently), and about seeds whose
    /// names are not UTF-8.
    warnings: Vec<Warning>,
    /// How many of the seeds are in sub-folders.
    nested: usize,
}

/// Lists the seeds folder: see [`Listing`]. No link is followed; hidden files and
/// folders (`.git`, `.x.txt`, macOS's `._x.txt`) are left out without a word. With a
/// `limit`, the walk stops once more than `limit` seeds are found in sub-folders.
fn list_seed_files(root: &Path, limit: Option<usize>) -> Result<Listing, CorpusError> {
    let mut listing = Listing {
        seeds: Vec::new(),
        others: Vec::new(),
        warnings: Vec::new(),
        nested: 0,
    };
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !safe_fs::is_hidden(e.file_name()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(root).to_path_buf();
            CorpusError::io(&path, e.into())
        })?;
        if entry.depth() == 0 {
            continue;
        }
        let rel_path = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let parts: Vec<String> = rel_path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = parts.join("/");
        let t = entry.file_type();
        if t.is_dir() {
            continue;
        }
        // The manifest and the registry are read by name, and refused there if they are
        // not regular files.
        if rel == MANIFEST || rel == LOCK {
            continue;
        }
        let reserved = RESERVED_DIRS.contains(&parts[0].as_str());
        if t.is_symlink() {
            let target = std::fs::read_link(entry.path())
                .map(|t| format!(" (to {})", t.display()))
                .unwrap_or_default();
            let what = if reserved && parts.len() == 1 {
                "the folder is"
            } else {
                "it is"
            };
            listing.warnings.push(Warning {
                file: rel,
                line: 0,
                message: format!(
                    "is a symbolic link{target}: links are not followed, so {what} skipped"
                ),
                hint: Some(
                    "copy the file or folder into the seeds folder instead of linking it: \
                     clausebook reads nothing outside the seeds folder"
                        .into(),
                ),
                quote: None,
            });
            continue;
        }
        if !t.is_file() {
            listing.warnings.push(Warning {
                file: rel,
                line: 0,
                message: format!("is {}, not a regular file; skipped", safe_fs::describe(t)),
                hint: Some("move it out of the seeds folder".into()),
                quote: None,
            });
            continue;
        }
        if reserved {
            continue;
        }
        let is_txt = rel_path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("txt"));
        if !is_txt {
            listing.others.push(rel);
            continue;
        }
        if rel_path.to_str().is_none() {
            listing.warnings.push(not_utf8_name(rel_path, &rel));
        }
        listing.seeds.push((rel, entry.path().to_path_buf()));
        listing.nested += usize::from(entry.depth() > 1);
        if limit.is_some_and(|max| listing.nested > max) {
            break;
        }
    }
    listing.seeds.sort();
    Ok(listing)
}

/// The warning for a seed whose name is not UTF-8 (GBK names from a zip made on a Chinese
/// Windows, unpacked elsewhere): shown lossily, with the name read as GB18030 where that
/// reads.
fn not_utf8_name(rel_path: &Path, lossy: &str) -> Warning {
    let as_gbk = encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(
            rel_path.as_os_str().as_encoded_bytes(),
        )
        .map(|n| format!(" (read as GB18030: `{n}`)"))
        .unwrap_or_default();
    Warning {
        file: lossy.to_string(),
        line: 0,
        message: format!(
            "the file name is not UTF-8{as_gbk}; it is built, but the manifest cannot name it"
        ),
        hint: Some(
            "rename it with a UTF-8 name (`convmv -f gbk -t utf-8 --notest -r seeds`, or \
             unpack the zip with `unzip -O gbk`)"
                .into(),
        ),
        quote: None,
    }
}

/// The largest seed file read: 20 MiB, fifty times the largest real law (民法典, the
/// Civil Code, about 0.4 MB). A build takes memory in proportion to its seeds, so a
/// larger file is refused before it is read.
pub const MAX_SEED_BYTES: u64 = 20 << 20;

/// The encoding a manifest's `encoding:` label names (checked by [`check_manifest`]).
fn stated_encoding(label: &str) -> Option<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_label(label.trim().as_bytes())
        .filter(|e| *e != encoding_rs::REPLACEMENT)
}

/// Reads and decodes one seed at `path` inside `root`, in the `stated` encoding if the
/// manifest gives one; a seed without any text, or over [`MAX_SEED_BYTES`], is an error.
fn read_seed_text(
    path: &Path,
    root: &Path,
    stated: Option<&'static encoding_rs::Encoding>,
) -> Result<(String, &'static str), CorpusError> {
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && meta.len() > MAX_SEED_BYTES
    {
        return Err(CorpusError::too_large(path, meta.len()));
    }
    let (text, encoding) = read_seed_in(path, root, stated)?;
    if text.chars().all(carries_no_text) {
        return Err(CorpusError::empty(path));
    }
    Ok((text, encoding))
}

/// White space, the byte order mark and NUL: characters that carry no text.
fn carries_no_text(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\0'
}

/// Reads and decodes one text file; see [`decode`]. Only a regular file is read, not a
/// link (see `base::fs`).
pub(crate) fn read_seed(path: &Path) -> Result<(String, &'static str), CorpusError> {
    read_seed_in(path, path.parent().unwrap_or(Path::new("")), None)
}

fn read_seed_in(
    path: &Path,
    root: &Path,
    stated: Option<&'static encoding_rs::Encoding>,
) -> Result<(String, &'static str), CorpusError> {
    let bytes =
        safe_fs::read_regular_file(path, root, u64::MAX).map_err(|e| CorpusError::read(path, e))?;
    decode_as(&bytes, stated).map_err(|message| CorpusError::decode(path, message))
}

/// Decodes a seed: UTF-8 (a BOM is dropped), UTF-16 with a BOM, else GB18030 (a superset
/// of GBK and GB2312). Line ends CRLF and CR become LF. Returns the text and the name of
/// the encoding, or why the bytes are not text.
///
/// Bytes that are not UTF-8 but look like another legacy encoding (Big5, Shift_JIS,
/// EUC-KR, …; every byte pair of Big5 and Shift_JIS is also valid GBK, so they would be
/// read as garbled GB18030) are refused with the likely encoding named, and so is a
/// GB18030 reading with many characters of the private use area (U+E000–U+F8FF), the
/// mark of a wrong guess. The manifest's `encoding:` key states the encoding instead
/// ([`decode_as`]).
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    decode_as(bytes, None)
}

/// [`decode`], or with `stated`, the bytes decoded in that encoding (a byte order mark
/// of it dropped), an error where they are not valid in it.
pub fn decode_as(
    bytes: &[u8],
    stated: Option<&'static encoding_rs::Encoding>,
) -> Result<(String, &'static str), String> {
    if starts_with_magic(bytes) {
        return Err("is a binary file, not text".into());
    }
    let (text, encoding) = if let Some(enc) = stated {
        let bom = match encoding_rs::Encoding::for_bom(bytes) {
            Some((e, n)) if e == enc => n,
            _ => 0,
        };
        match enc.decode_without_bom_handling_and_without_replacement(&bytes[bom..]) {
            Some(text) => (text.into_owned(), enc.name()),
            None => {
                return Err(format!(
                    "is not valid {} text, the encoding the manifest states for it",
                    enc.name()
                ));
            }
        }
    } else if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
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
        let guess = likely_encoding(bytes);
        let other = guess.filter(|g| !is_gbk(g));
        // Another multi-byte encoding of East Asia that reads the bytes: GB18030 would
        // read them too, as nonsense. Trusted from 64 bytes that are not ASCII (some 30
        // characters) on: below, a GBK text is now and then taken for EUC-JP.
        let enough = bytes.iter().filter(|b| !b.is_ascii()).nth(63).is_some();
        if let Some(g) = other.filter(|g| enough && is_cjk_multibyte(g)) {
            return Err(format!(
                "looks like {} text ({}), not GB18030/GBK, which would read it as garbled \
                 characters; if it is, state `encoding: {}` on its version in the manifest, \
                 or save it as UTF-8",
                g.name(),
                describe_encoding(g),
                g.name().to_ascii_lowercase()
            ));
        }
        let maybe = other
            .map(|g| {
                format!(
                    "; it may be {} ({}): state `encoding: {}` on its version in the manifest",
                    g.name(),
                    describe_encoding(g),
                    g.name().to_ascii_lowercase()
                )
            })
            .unwrap_or_default();
        match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(text) => {
                let (pua, of) = private_use(&text);
                if is_many(pua, of) {
                    return Err(format!(
                        "read as GB18030 it has {pua} characters of the private use area \
                         (U+E000–U+F8FF) among {of} that are not ASCII, which real text hardly \
                         has: it is probably in another encoding{maybe}"
                    ));
                }
                (text.into_owned(), "GB18030")
            }
            None => {
                let at = std::str::from_utf8(bytes)
                    .err()
                    .map(|e| e.valid_up_to())
                    .unwrap_or(0);
                let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
                return Err(format!(
                    "is neither UTF-8 nor GB18030/GBK text (first invalid byte on line \
                     {line}){maybe}"
                ));
            }
        }
    };
    Ok((normalize_newlines(&text), encoding))
}

/// The legacy encoding the bytes most likely are in, by character frequencies
/// (`chardetng`, on the first MiB), if one reads them without error.
fn likely_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(1 << 20)];
    let mut d = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    d.feed(sample, sample.len() == bytes.len());
    let g = d.guess(None, chardetng::Utf8Detection::Deny);
    if is_gbk(g) {
        // Decoded as GB18030 next in any case.
        return Some(g);
    }
    let (_, errors) = g.decode_without_bom_handling(bytes);
    (!errors).then_some(g)
}

/// Whether `e` is GBK or GB18030 (one decoder).
fn is_gbk(e: &'static encoding_rs::Encoding) -> bool {
    e == encoding_rs::GBK || e == encoding_rs::GB18030
}

/// Whether `e` is a multi-byte encoding of Chinese, Japanese or Korean other than GBK.
fn is_cjk_multibyte(e: &'static encoding_rs::Encoding) -> bool {
    [
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::EUC_KR,
        encoding_rs::ISO_2022_JP,
    ]
    .contains(&e)
}

/// What an encoding is used for, in a few words for a message.
fn describe_encoding(e: &'static encoding_rs::Encoding) -> &'static str {
    if e == encoding_rs::BIG5 {
        "traditional Chinese, as in Taiwan and Hong Kong"
    } else if e == encoding_rs::SHIFT_JIS
        || e == encoding_rs::EUC_JP
        || e == encoding_rs::ISO_2022_JP
    {
        "Japanese"
    } else if e == encoding_rs::EUC_KR {
        "Korean"
    } else {
        "a legacy encoding of the Web"
    }
}

/// The characters of the private use area U+E000–U+F8FF in `text`, and the characters
/// that are not ASCII.
fn private_use(text: &str) -> (usize, usize) {
    text.chars()
        .filter(|c| !c.is_ascii())
        .fold((0, 0), |(pua, all), c| {
            (
                pua + usize::from(('\u{e000}'..='\u{f8ff}').contains(&c)),
                all + 1,
            )
        })
}

/// Whether `pua` private-use characters among `of` mark a wrong guess: at least 4, and
/// 1 % or more. GBK maps a few rare symbols there; a text with many is in another
/// encoding.
fn is_many(pua: usize, of: usize) -> bool {
    pua >= 4 && pua * 100 >= of
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

/// A seed may not be a file the build reads or writes for itself: the manifest, the
/// anchor registry (at the top of the seeds folder, in any case of letters).
fn check_not_reserved_file(file: &str) -> Result<(), &'static str> {
    let name = file.replace('\\', "/");
    if name.eq_ignore_ascii_case(MANIFEST) || name.eq_ignore_ascii_case(LOCK) {
        return Err("it is the manifest or the anchor registry, not a seed");
    }
    Ok(())
}

/// Checks the site's address: an absolute `http://` or `https://` URL with a host, no
/// white space, control characters or characters that a URL cannot hold verbatim.
fn check_site_url(url: &str) -> Result<(), &'static str> {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return Err("only http:// and https:// addresses are allowed");
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err("it has no host");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c))
    {
        return Err("it holds white space, a control character or one of \" < > \\ ^ ` { | }");
    }
    Ok(())
}

/// Whether `tag` is a well-formed BCP 47 tag of the common shape
/// `language[-script][-region][-variant…]`: a language of 2–3 letters, a script of 4
/// letters, a region of 2 letters or 3 digits, variants of 5–8 letters and digits (or 4
/// starting with a digit), each part in that order and each at most once but variants;
/// 35 characters at most (RFC 5646's advice for what implementations hold).
pub(crate) fn is_bcp47(tag: &str) -> bool {
    if tag.len() > 35 {
        return false;
    }
    let alpha = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic())
    };
    let mut parts = tag.split('-').peekable();
    if !parts.next().is_some_and(|l| alpha(l, 2..=3)) {
        return false;
    }
    if parts.peek().is_some_and(|p| alpha(p, 4..=4)) {
        parts.next();
    }
    if parts
        .peek()
        .is_some_and(|p| alpha(p, 2..=2) || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit())))
    {
        parts.next();
    }
    parts.all(|p| {
        p.bytes().all(|b| b.is_ascii_alphanumeric())
            && ((5..=8).contains(&p.len()) || (p.len() == 4 && p.as_bytes()[0].is_ascii_digit()))
    })
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
    fn hidden_and_apple_double_files_are_not_seeds() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "一、总体要求\n").unwrap();
        // macOS's resource fork beside a file: binary, which would fail the build.
        std::fs::write(
            dir.path().join("._a.txt"),
            b"\0\x05\x16\x07\0\x02\0\0Mac OS X",
        )
        .unwrap();
        std::fs::write(dir.path().join(".draft.txt"), "二、草稿\n").unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/notes.txt"), "三、\n").unwrap();
        let c = read(dir.path()).unwrap();
        let files: Vec<&str> = c
            .documents
            .iter()
            .flat_map(|d| &d.versions)
            .map(|v| v.file.as_str())
            .collect();
        assert_eq!(files, ["a.txt"]);
        assert!(
            !c.warnings.iter().any(|w| w.file.contains("._")),
            "{:?}",
            c.warnings
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_seed_whose_name_is_not_utf8_is_built_and_named_lossily() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        // 甘肃.txt in GBK, as a zip made on a Chinese Windows holds it.
        let (gbk, _, _) = encoding_rs::GBK.encode("甘肃.txt");
        let name = std::ffi::OsStr::from_bytes(&gbk);
        std::fs::write(dir.path().join(name), "一、总体要求\n").unwrap();
        std::fs::write(dir.path().join("b.txt"), "二、\n").unwrap();
        let c = read(dir.path()).unwrap();
        assert_eq!(c.documents.len(), 2);
        let doc = c
            .documents
            .iter()
            .find(|d| d.versions[0].text.starts_with("一"))
            .expect("the GBK-named seed is built");
        assert!(
            doc.versions[0].file.contains('\u{fffd}'),
            "{}",
            doc.versions[0].file
        );
        let w = c
            .warnings
            .iter()
            .find(|w| w.message.contains("not UTF-8"))
            .expect("a warning");
        assert!(w.message.contains("`甘肃.txt`"), "{}", w.message);
        assert_eq!(w.file, doc.versions[0].file);
    }

    #[test]
    fn a_folder_without_manifest_must_look_like_seeds() {
        let dir = tempfile::tempdir().unwrap();
        // No .txt at the top: a project's root, say.
        std::fs::create_dir(dir.path().join("doc")).unwrap();
        std::fs::write(dir.path().join("doc/readme.txt"), "一、\n").unwrap();
        let e = read(dir.path()).unwrap_err();
        assert!(matches!(e.kind, CorpusErrorKind::NotSeeds), "{e}");
        assert!(
            e.to_string()
                .contains("no manifest.yaml and no .txt file at its top level"),
            "{e}"
        );
        // A .txt at the top, but hundreds below: a project's root, say.
        std::fs::write(dir.path().join("a.txt"), "一、\n").unwrap();
        for i in 0..MAX_UNLISTED_SEEDS {
            std::fs::write(dir.path().join(format!("doc/{i}.txt")), "一、\n").unwrap();
        }
        let e = read(dir.path()).unwrap_err();
        assert!(
            e.to_string()
                .contains("more than 200 .txt files in its sub-folders"),
            "{e}"
        );
        // With a manifest, the same folder is read.
        std::fs::write(
            dir.path().join(MANIFEST),
            "documents:\n  - slug: a\n    kind: x\n    versions: [{file: a.txt, lang: zh-Hans}]\n",
        )
        .unwrap();
        assert_eq!(
            read(dir.path()).unwrap().documents.len(),
            MAX_UNLISTED_SEEDS + 2
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_and_fifos_are_skipped_with_a_warning_and_refused_where_named() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.txt"), "一、总体要求\n").unwrap();
        symlink("/proc/self/environ", root.join("env.txt")).unwrap();
        std::fs::create_dir(root.join("pages")).unwrap();
        symlink("/etc/passwd", root.join("pages/secret.md")).unwrap();
        symlink("/etc", root.join("static")).unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(root.join("pipe.txt"))
            .status()
            .is_ok_and(|s| s.success());
        let c = read(root).unwrap();
        assert_eq!(c.documents.len(), 1);
        let warned = |file: &str, what: &str| {
            c.warnings
                .iter()
                .any(|w| w.file == file && w.message.contains(what))
        };
        assert!(warned(
            "env.txt",
            "is a symbolic link (to /proc/self/environ)"
        ));
        assert!(warned(
            "pages/secret.md",
            "is a symbolic link (to /etc/passwd)"
        ));
        assert!(warned("static", "so the folder is skipped"));
        assert!(!fifo || warned("pipe.txt", "is a FIFO (named pipe), not a regular file"));
        // Named in the manifest, the link is refused.
        std::fs::write(
            root.join(MANIFEST),
            "documents:\n  - slug: env\n    kind: x\n    versions: [{file: env.txt, lang: en}]\n",
        )
        .unwrap();
        let e = read(root).unwrap_err();
        assert!(matches!(e.kind, CorpusErrorKind::Refused), "{e}");
        assert!(e.to_string().contains("env.txt: is a symbolic link"), "{e}");
        // So is a manifest that is a link, a FIFO or too large.
        std::fs::remove_file(root.join(MANIFEST)).unwrap();
        symlink("/dev/zero", root.join(MANIFEST)).unwrap();
        let e = read(root).unwrap_err();
        assert!(
            e.to_string()
                .contains("manifest.yaml: is a symbolic link (to /dev/zero)"),
            "{e}"
        );
        std::fs::remove_file(root.join(MANIFEST)).unwrap();
        std::fs::write(root.join(MANIFEST), vec![b' '; MANIFEST_CAP as usize + 1]).unwrap();
        let e = read(root).unwrap_err();
        assert!(
            e.to_string().contains("larger than the limit of 16 MiB"),
            "{e}"
        );
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
        for good in [
            "en",
            "zh-Hans",
            "zh-Hans-CN",
            "fr-CA",
            "zh-Hant-HK",
            "es-419",
            "de-CH-1901",
            "sl-rozaj-biske",
        ] {
            assert!(is_bcp47(good), "{good}");
        }
        let long = format!("zh{}", "-abcde".repeat(500));
        for bad in [
            "",
            "english",
            "zh_Hans",
            "z",
            "zh-",
            "zh-Hans-Hans",
            "en-US-US",
            "en-a",
            "zh-Hans-CN-x",
            long.as_str(),
            "zh-abcde-abcde-abcde-abcde-abcde-ab",
        ] {
            assert!(!is_bcp47(bad), "{bad}");
        }
    }

    #[test]
    fn a_long_language_tag_is_refused_in_the_manifest_by_its_start() {
        let long = format!("zh{}", "-abcde".repeat(500));
        let e = manifest_err(&format!(
            "documents:\n  - slug: a\n    kind: x\n    versions: [{{file: a.txt, lang: {long}}}]\n"
        ));
        assert!(e.contains("manifest.yaml:4:"), "{e}");
        assert!(
            e.contains("(3002 characters) is not a BCP 47 language tag"),
            "{e}"
        );
        assert!(e.len() < 600, "the message repeats the whole tag: {e}");
    }

    #[test]
    fn site_urls_are_http_or_https() {
        let yaml = |url: &str| format!("site: {{title: T, url: '{url}'}}\ndocuments: []\n");
        for good in [
            "https://example.org/",
            "http://example.org",
            "HTTPS://example.org/laws/",
        ] {
            assert!(
                parse_manifest(&yaml(good), Path::new("m.yaml")).is_ok(),
                "{good}"
            );
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript://example.org/%0Aalert(1)",
            "data:text/html,x",
            "//example.org/",
            "https://",
            "https:///x",
            "https://exa mple.org/",
            "https://example.org/\"><script>",
            "ftp://example.org/",
        ] {
            let e = manifest_err(&yaml(bad));
            assert!(e.contains("manifest.yaml:1:"), "{bad}: {e}");
            assert!(e.contains("invalid site url"), "{bad}: {e}");
        }
    }

    #[test]
    fn dates_must_be_days_of_the_calendar() {
        let yaml = |date: &str| {
            format!(
                "documents:\n  - slug: a\n    kind: x\n    date: {date}\n    versions: [{{file: a.txt, lang: en}}]\n"
            )
        };
        for bad in ["2020-02-31", "2021-02-29", "2020-04-31"] {
            let e = manifest_err(&yaml(bad));
            assert!(e.contains(":4:") && e.contains("invalid date"), "{e}");
        }
        assert!(parse_manifest(&yaml("2020-02-29"), Path::new("m.yaml")).is_ok());
    }

    #[test]
    fn the_manifest_and_the_registry_are_not_seeds() {
        for file in ["manifest.yaml", "anchors.lock", "Manifest.YAML"] {
            let e = manifest_err(&format!(
                "documents:\n  - slug: a\n    kind: x\n    versions: [{{file: {file}, lang: en}}]\n"
            ));
            assert!(e.contains(":4:") && e.contains("not a seed"), "{e}");
        }
    }

    #[test]
    fn encodings_are_labels_of_the_encoding_standard() {
        let yaml = |enc: &str| {
            format!(
                "documents:\n  - slug: a\n    kind: x\n    versions: [{{file: a.txt, lang: zh-Hant, encoding: {enc}}}]\n"
            )
        };
        for good in ["big5", "Big5", "shift_jis", "gbk", "utf-8", "euc-kr"] {
            assert!(
                parse_manifest(&yaml(good), Path::new("m.yaml")).is_ok(),
                "{good}"
            );
        }
        for bad in ["big-5", "replacement", "ebcdic"] {
            let e = manifest_err(&yaml(bad));
            assert!(e.contains(":4:") && e.contains("unknown encoding"), "{e}");
        }
    }

    /// A paragraph of traditional Chinese, as a Taiwanese or Hong Kong text has it.
    const TRADITIONAL: &str = "中華民國憲法第一條：中華民國基於三民主義，為民有民治民享之民主共和國。\
        第二條：中華民國之主權屬於國民全體。第三條：具有中華民國國籍者為中華民國國民。\
        第七條：中華民國人民，無分男女、宗教、種族、階級、黨派，在法律上一律平等。\n";

    #[test]
    fn big5_shift_jis_and_euc_kr_are_named_not_read_as_gb18030() {
        let cases = [
            (encoding_rs::BIG5, TRADITIONAL, "Big5", "encoding: big5"),
            (
                encoding_rs::SHIFT_JIS,
                "日本国憲法第一条　天皇は、日本国の象徴であり日本国民統合の象徴であつて、\
                 この地位は、主権の存する日本国民の総意に基く。第九条　日本国民は、正義と秩序を\
                 基調とする国際平和を誠実に希求し、国権の発動たる戦争と、武力による威嚇又は\
                 武力の行使は、国際紛争を解決する手段としては、永久にこれを放棄する。\n",
                "Shift_JIS",
                "encoding: shift_jis",
            ),
            (
                encoding_rs::EUC_KR,
                "대한민국 헌법 제1조 대한민국은 민주공화국이다. 대한민국의 주권은 국민에게 있고, \
                 모든 권력은 국민으로부터 나온다. 제2조 대한민국의 국민이 되는 요건은 법률로 \
                 정한다. 국가는 법률이 정하는 바에 의하여 재외국민을 보호할 의무를 진다.\n",
                "EUC-KR",
                "encoding: euc-kr",
            ),
        ];
        for (enc, text, name, key) in cases {
            let (bytes, _, unmapped) = enc.encode(text);
            assert!(!unmapped, "{name}");
            // Every byte pair of these is valid GBK: decoding alone would take them.
            if enc != encoding_rs::EUC_KR {
                assert!(
                    encoding_rs::GB18030
                        .decode_without_bom_handling_and_without_replacement(&bytes)
                        .is_some(),
                    "{name}"
                );
            }
            let e = decode(&bytes).unwrap_err();
            assert!(e.contains(&format!("looks like {name} text")), "{e}");
            assert!(e.contains(key), "{e}");
            // Stated, it is read.
            assert_eq!(
                decode_as(&bytes, stated_encoding(&name.to_lowercase())).unwrap(),
                (text.to_string(), name)
            );
        }
        // A stated encoding the bytes are not in is an error.
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("日本国憲法");
        let e = decode_as(&[&sjis[..], b"\xff\xff"].concat(), Some(encoding_rs::BIG5)).unwrap_err();
        assert!(e.contains("not valid Big5"), "{e}");
    }

    #[test]
    fn gbk_seeds_are_read_as_gb18030_whole_and_in_pieces() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut seen = 0;
        for e in std::fs::read_dir(&root).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let chars: Vec<char> = text.chars().collect();
            // The whole file, and pieces of 40 and 200 characters.
            let mut pieces = vec![text.clone()];
            for len in [40, 200] {
                pieces.extend(chars.chunks(len).step_by(3).map(|c| c.iter().collect()));
            }
            for piece in pieces {
                let (gbk, _, unmapped) = encoding_rs::GBK.encode(&piece);
                if unmapped || gbk.is_ascii() {
                    continue;
                }
                let decoded = decode(&gbk);
                assert_eq!(
                    decoded,
                    Ok((normalize_newlines(&piece), "GB18030")),
                    "{}",
                    path.display()
                );
                seen += 1;
            }
        }
        assert!(seen > 100, "{seen} pieces");
    }

    #[test]
    fn a_gb18030_reading_full_of_private_use_characters_is_a_wrong_guess() {
        // GBK's user-defined rows (0xAAA1…) decode to U+E000…: a text of them is not GBK.
        let mut bytes = encoding_rs::GBK.encode("第一条　总则。").0.into_owned();
        for i in 0..20u8 {
            bytes.extend_from_slice(&[0xAA, 0xA1 + i]);
        }
        let e = decode(&bytes).unwrap_err();
        assert!(e.contains("20 characters of the private use area"), "{e}");
        // A few, among much text, pass.
        let mut bytes = encoding_rs::GBK
            .encode(&"第一条　总则。".repeat(100))
            .0
            .into_owned();
        bytes.extend_from_slice(&[0xAA, 0xA1]);
        assert_eq!(decode(&bytes).unwrap().1, "GB18030");
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

    mod properties {
        //! The manifest reader on generated manifests, the property form of the fuzz
        //! target `fuzz/fuzz_targets/manifest.rs` (which needs a nightly toolchain): any
        //! text is accepted or refused as a manifest error naming a line inside it, never
        //! a panic.
        use super::super::{CorpusErrorKind, check_manifest_text, normalize_newlines};
        use proptest::prelude::*;
        use std::path::Path;

        /// Lines of manifests, right and wrong, and text of any kind.
        fn line() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("site:".to_string()),
                Just("  title: 文库".to_string()),
                Just("  url: https://example.org/x/".to_string()),
                Just("  url: javascript:alert(1)".to_string()),
                Just("documents:".to_string()),
                Just("  - slug: a".to_string()),
                Just("  - slug: 民法典".to_string()),
                Just("    kind: law".to_string()),
                Just("    date: 2020-02-31".to_string()),
                Just("    date: 2024-02-29".to_string()),
                Just("    versions:".to_string()),
                Just("      - {file: a.txt, lang: zh-Hans}".to_string()),
                Just("      - {file: manifest.yaml, lang: en}".to_string()),
                Just("      - {file: ../x.txt, lang: en, encoding: big5}".to_string()),
                Just("    aliases: {c36: c35}".to_string()),
                Just("    relations: [{kind: implements, target: b}]".to_string()),
                Just("  colour: red".to_string()),
                "[ -~]{0,30}",
                "\\PC{0,20}",
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

            #[test]
            fn any_manifest_is_read_or_refused_with_a_line_inside_it(
                lines in prop::collection::vec(line(), 0..24),
                end in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
            ) {
                let text = lines.join(end);
                if let Err(e) = check_manifest_text(&text, Path::new("manifest.yaml")) {
                    prop_assert!(matches!(e.kind, CorpusErrorKind::Manifest), "{e}");
                    let count = normalize_newlines(&text).split('\n').count();
                    prop_assert!(e.problem.line <= count + 1, "line {} of {count}: {e}", e.problem.line);
                    let _ = e.to_string();
                }
            }
        }
    }
}
