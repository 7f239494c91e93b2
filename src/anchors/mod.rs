//! Permanent anchors: the registry of every published anchor (`seeds/anchors.lock`),
//! the check that none disappears, aliases for moved anchors, and the record of text
//! that changed.
//!
//! The stage runs after the link stage and before rendering. The render stage tells,
//! from the data its templates receive, which ids every page of a document will carry
//! (units, paragraphs, sentences; on the side-by-side page also the translations' `en-…`
//! ids); each id that names text is registered with a short hash of that text
//! ([`DocHashes`]). Against the lock of the previous build ([`resolve`]):
//!
//! - an anchor of the lock missing from its page fails the build, unless the document's
//!   `aliases` in the manifest map it (or a unit holding it) to an id that exists; the
//!   old id then stays on the page as an alias element on the new place, and a page gone
//!   as a whole forwards to the page its alias names;
//! - an anchor whose hash differs is recorded with the date of this build and marked
//!   `changed`: the page tells a reader who arrives by a link that its text changed;
//! - new anchors are added with the date of this build.
//!
//! The date is the only thing taken from the clock (or from `SOURCE_DATE_EPOCH`), and it
//! enters only the lock: the pages read it from the lock, so two builds of the same seeds
//! (lock included) give the same bytes. The aliases and the "text changed" notes reach
//! the pages as data on the units they concern, which the templates show.

use crate::base::Problem;
use crate::base::date::is_full_date;
use crate::model::{Block, Document, Library, walk_blocks};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

pub(crate) use crate::base::paths::LOCK;

pub(crate) mod explain;

/// A failure of the anchor stage: a registered anchor would disappear, the lock cannot
/// be read or written.
#[derive(Debug)]
pub struct AnchorError {
    /// What failed.
    pub kind: AnchorErrorKind,
    /// Where, what is wrong, what to do (boxed, since errors travel up every stage's
    /// `Result`).
    pub problem: Box<Problem>,
}

/// The kinds of [`AnchorError`].
#[derive(Debug)]
pub enum AnchorErrorKind {
    /// Registered anchors missing from their pages, without an alias: one line per page.
    Lost(Vec<String>),
    /// A line of the lock that cannot be read (0: the file as a whole).
    Lock {
        /// The 1-based line, 0 for the whole file.
        line: usize,
    },
    /// Reading or writing the lock failed.
    Io(std::io::Error),
}

/// How a lock line is written, for the hint of a lock that cannot be read.
const LOCK_HINT: &str = "each line is `page#id hash YYYY-MM-DD [changed] [retired YYYY-MM-DD reason]`; restore the file from version control, or delete it to start a new registry";

impl AnchorError {
    /// Line `line` of the lock `path` (0: the whole file) cannot be read: `message` says
    /// why.
    pub fn lock(path: &Path, line: usize, message: impl Into<String>) -> AnchorError {
        AnchorError {
            kind: AnchorErrorKind::Lock { line },
            problem: Box::new(Problem::in_file(path, message).at(line, 0).hint(LOCK_HINT)),
        }
    }

    /// The lock `path` cannot be read or written.
    pub fn io(path: &Path, source: std::io::Error) -> AnchorError {
        AnchorError {
            problem: Box::new(
                Problem::in_file(
                    path,
                    format!("cannot read or write the anchor registry: {source}"),
                )
                .hint("check that the seeds folder exists and that you may write to it"),
            ),
            kind: AnchorErrorKind::Io(source),
        }
    }

    /// Registered anchors would disappear: `lines` names them, one line per page.
    pub fn lost(lines: Vec<String>) -> AnchorError {
        let mut message = format!(
            "published anchors would disappear, so links to them would break (registered in {LOCK}):"
        );
        for l in lines.iter().take(20) {
            message.push_str(&format!("\n  {l}"));
        }
        if lines.len() > 20 {
            message.push_str(&format!("\n  … and {} more", lines.len() - 20));
        }
        let hint = format!(
            "run `clausebook anchors` to see where the text went and the alias lines to add; if the text moved, map the old id to its new place under the document in manifest.yaml, e.g. `aliases: {{c37: c36}}` (an alias of a clause covers its paragraphs and sentences too); to drop an anchor for good, retire it: `clausebook anchors retire PAGE#ID --reason \"…\"` (it stays listed in {LOCK})"
        );
        AnchorError {
            kind: AnchorErrorKind::Lost(lines),
            problem: Box::new(
                Problem {
                    message,
                    ..Problem::default()
                }
                .hint(hint),
            ),
        }
    }
}

impl fmt::Display for AnchorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem.fmt(f)
    }
}

impl std::error::Error for AnchorError {}

/// Every published anchor: page path ─► id ─► hash of its text.
pub(crate) type Registry = BTreeMap<String, BTreeMap<String, String>>;

/// One anchor as the lock records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The short hash of its text.
    pub hash: String,
    /// When this hash was first recorded, `YYYY-MM-DD`.
    pub date: String,
    /// Whether the text changed after the anchor was first recorded.
    pub changed: bool,
    /// Set where the anchor was dropped on purpose (`clausebook anchors retire`): the
    /// build no longer requires it.
    pub retired: Option<Retired>,
}

/// A deliberate end of an anchor, as the lock records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Retired {
    /// The day it was retired, `YYYY-MM-DD`.
    pub date: String,
    /// Why, in one line.
    pub reason: String,
}

/// The registry as kept in `seeds/anchors.lock`: (page, id) ─► entry.
pub(crate) type Lock = BTreeMap<(String, String), Entry>;

/// A short, stable hash of a text (FNV-1a, 64 bits folded to 32, hex).
pub(crate) fn short_hash(text: &str) -> String {
    let mut h = Fnv::new();
    h.write(text.as_bytes());
    h.finish()
}

/// FNV-1a over bytes given in pieces, for [`short_hash`].
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> String {
        format!("{:08x}", (self.0 ^ (self.0 >> 32)) as u32)
    }
}

/// The hash of the text a unit stands for: its label, title and text and those of its
/// descendants, each followed by a line end.
fn unit_hash(b: &Block) -> String {
    let mut h = Fnv::new();
    for x in b.walk() {
        for part in [&x.label, &x.title, &x.text].into_iter().flatten() {
            h.write(part.as_bytes());
            h.write(b"\n");
        }
    }
    h.finish()
}

/// id ─► hash of the text of every block and sentence of a tree.
fn hashes(blocks: &[Block], out: &mut Hashes) {
    use std::fmt::Write;
    for b in walk_blocks(blocks) {
        out.entry(b.id.clone()).or_insert_with(|| unit_hash(b));
        if let Some(t) = &b.text {
            for (n, (s, e)) in b.sentences.iter().enumerate() {
                let mut id = String::with_capacity(b.id.len() + 4);
                id.push_str(&b.id);
                write!(id, ".{}", n + 1).expect("writing to a String does not fail");
                out.entry(id).or_insert_with(|| short_hash(&t[*s..*e]));
            }
        }
    }
}

/// The page of version `i` of `doc`, as the site names it.
pub(crate) fn version_page(doc: &Document, i: usize) -> String {
    let v = &doc.versions[i];
    if v.original {
        format!("{}/index.html", doc.slug)
    } else {
        format!("{}/{}.html", doc.slug, v.lang)
    }
}

/// id ─► hash of its text, for the ids one page of a document may carry.
pub(crate) type Hashes = rustc_hash::FxHashMap<String, String>;

/// The hashes of the ids the pages of one document carry: each version's page draws on
/// that version's ids; every other page of the document (the side-by-side page, the
/// clause pages) on their union: the original's ids, each other version's ids prefixed
/// with its language (`en-c8-1.3`), and those of its ids the original lacks.
pub(crate) struct DocHashes {
    per_version: BTreeMap<String, Hashes>,
    union: Hashes,
}

impl DocHashes {
    /// The hashes of every id of `doc`'s versions.
    pub(crate) fn new(doc: &Document) -> DocHashes {
        let maps: Vec<Hashes> = doc
            .versions
            .iter()
            .map(|v| {
                let mut m = Hashes::default();
                hashes(&v.blocks, &mut m);
                m
            })
            .collect();
        let oi = doc.versions.iter().position(|v| v.original).unwrap_or(0);
        let mut union = maps.get(oi).cloned().unwrap_or_default();
        for (i, m) in maps.iter().enumerate().filter(|(i, _)| *i != oi) {
            let lang = &doc.versions[i].lang;
            for (id, h) in m {
                union
                    .entry(format!("{lang}-{id}"))
                    .or_insert_with(|| h.clone());
            }
            for (id, h) in m {
                union.entry(id.clone()).or_insert_with(|| h.clone());
            }
        }
        let per_version = maps
            .into_iter()
            .enumerate()
            .map(|(i, m)| (version_page(doc, i), m))
            .collect();
        DocHashes { per_version, union }
    }

    /// The registry entries of the page at `page` (a page of this document) that carries
    /// the element ids `ids`: each id that names text, with the hash of that text.
    pub(crate) fn entries<'a>(
        &self,
        page: &str,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> BTreeMap<String, String> {
        let map = self.per_version.get(page).unwrap_or(&self.union);
        ids.into_iter()
            .filter_map(|id| map.get(id).map(|h| (id.to_string(), h.clone())))
            .collect()
    }
}

/// The site's file of every published anchor with its hash, and the aliases.
pub(crate) const JSON: &str = "anchors.json";

/// The bytes of [`JSON`]: every published anchor with its hash, the aliases (an alias
/// whose new place is on another page names it: `g/c128.html#c128-1`) and, where there
/// are any, the retired anchors.
pub(crate) fn anchors_json(reg: &Registry, aliases: &[Alias], retired: &Lock) -> Vec<u8> {
    let mut al: BTreeMap<&str, BTreeMap<&str, String>> = BTreeMap::new();
    for a in aliases {
        let new = match &a.to {
            Some(page) => format!("{page}#{}", a.new),
            None => a.new.clone(),
        };
        al.entry(&a.page).or_default().insert(&a.old, new);
    }
    let mut gone: BTreeMap<&str, BTreeMap<&str, &Retired>> = BTreeMap::new();
    for ((page, id), e) in retired {
        if let Some(r) = &e.retired {
            gone.entry(page).or_default().insert(id, r);
        }
    }
    // Serialized from the maps themselves (a `serde_json::Value` would copy them first);
    // the keys in the order a JSON object of them would sort them.
    #[derive(serde::Serialize)]
    struct File<'a> {
        aliases: BTreeMap<&'a str, BTreeMap<&'a str, String>>,
        pages: &'a Registry,
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        retired: BTreeMap<&'a str, BTreeMap<&'a str, &'a Retired>>,
    }
    let mut bytes = serde_json::to_vec_pretty(&File {
        aliases: al,
        pages: reg,
        retired: gone,
    })
    .expect("serializes");
    bytes.push(b'\n');
    bytes
}

const HEADER: &str = "\
# anchors.lock: every anchor the site has published, written by `clausebook build`.
# Commit it with the seeds. One line per anchor: page#id, a hash of its text, the date
# that hash was first recorded, and `changed` where the text changed after the anchor
# was first published. An anchor stays here after it leaves its page; the build then
# needs an alias in manifest.yaml (`aliases: {old: new}`) to keep old links landing.
";

/// Added to [`HEADER`] where the lock holds a retired anchor (so that a lock without
/// one keeps the bytes it always had).
const RETIRED_HEADER: &str = "\
# A line ending in `retired YYYY-MM-DD reason` is an anchor dropped on purpose
# (`clausebook anchors retire`): the build no longer requires it.
";

/// The lock as text: the header, then one sorted line per anchor.
pub(crate) fn render_lock(lock: &Lock) -> String {
    let mut s = String::from(HEADER);
    if lock.values().any(|e| e.retired.is_some()) {
        s.push_str(RETIRED_HEADER);
    }
    for ((page, id), e) in lock {
        for part in [page, "#", id, " ", &e.hash, " ", &e.date] {
            s.push_str(part);
        }
        if e.changed {
            s.push_str(" changed");
        }
        if let Some(r) = &e.retired {
            for part in [" retired ", &r.date, " ", &r.reason] {
                s.push_str(part);
            }
        }
        s.push('\n');
    }
    s
}

/// A reason as one line: runs of white space (line breaks included) become one space.
pub(crate) fn one_line(reason: &str) -> String {
    reason.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first white-space separated field of `s` and what follows it (without the
/// white space between).
fn field(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start();
    if s.is_empty() {
        return None;
    }
    Some(match s.split_once(char::is_whitespace) {
        Some((f, rest)) => (f, rest.trim_start()),
        None => (s, ""),
    })
}

/// Parses the text of a lock file: lines `page#id hash YYYY-MM-DD [changed] [retired
/// YYYY-MM-DD reason…]` (the locks of earlier versions, without `retired`, read alike).
pub(crate) fn parse_lock(text: &str, path: &Path) -> Result<Lock, AnchorError> {
    // The lines as they come (in order where the build wrote them), each with its line
    // number for the error of a key listed twice.
    let mut lines: Vec<((String, String), Entry, usize)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |message: String| AnchorError::lock(path, i + 1, message);
        let cannot = || err(format!("cannot read `{line}`"));
        let (key, rest) = field(line).ok_or_else(cannot)?;
        let (hash, rest) = field(rest).ok_or_else(cannot)?;
        let (date, mut rest) = field(rest).ok_or_else(cannot)?;
        let mut changed = false;
        if let Some(("changed", r)) = field(rest) {
            changed = true;
            rest = r;
        }
        let retired = match field(rest) {
            None => None,
            Some(("retired", r)) => {
                let (day, reason) = field(r).ok_or_else(cannot)?;
                if !is_full_date(day) {
                    return Err(err(format!("`{day}` is not a date YYYY-MM-DD")));
                }
                if reason.is_empty() {
                    return Err(err(format!(
                        "`{line}`: a retired anchor needs a reason after its date"
                    )));
                }
                Some(Retired {
                    date: day.to_string(),
                    reason: reason.to_string(),
                })
            }
            Some(_) => return Err(cannot()),
        };
        let Some((page, id)) = key.split_once('#') else {
            return Err(err(format!("`{key}` is not `page#id`")));
        };
        if page.is_empty() || id.is_empty() {
            return Err(err(format!("`{key}` is not `page#id`")));
        }
        if !is_full_date(date) {
            return Err(err(format!("`{date}` is not a date YYYY-MM-DD")));
        }
        let e = Entry {
            hash: hash.to_string(),
            date: date.to_string(),
            changed,
            retired,
        };
        lines.push(((page.to_string(), id.to_string()), e, i + 1));
    }
    // Sorted (no work where the build wrote the file), a key listed twice is a neighbour
    // of itself; the map is then built from the sorted lines in one pass.
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(w) = lines.windows(2).find(|w| w[0].0 == w[1].0) {
        let ((page, id), _, line) = &w[1];
        return Err(AnchorError::lock(
            path,
            *line,
            format!("`{page}#{id}` is listed twice"),
        ));
    }
    Ok(lines.into_iter().map(|(k, e, _)| (k, e)).collect())
}

/// Reads the lock of `seeds`, `None` where there is none yet. Only a regular file is
/// read, not a link, and at most [`LOCK_CAP`](crate::base::fs::LOCK_CAP) bytes.
pub(crate) fn read_lock(seeds: &Path) -> Result<Option<Lock>, AnchorError> {
    use crate::base::fs::{LOCK_CAP, ReadError, read_regular_file};
    let path = seeds.join(LOCK);
    match read_regular_file(&path, seeds, LOCK_CAP) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| AnchorError::lock(&path, 0, "not UTF-8 text"))?;
            parse_lock(&text, &path).map(Some)
        }
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(ReadError::Io(source)) => Err(AnchorError::io(&path, source)),
        // A link, a FIFO or device, a file over the limit.
        Err(e) => {
            let mut err = AnchorError::io(&path, std::io::Error::other(e.to_string()));
            err.problem.hint = Some(e.hint().to_string());
            Err(err)
        }
    }
}

/// Today's date, `YYYY-MM-DD` (UTC), or the date of `SOURCE_DATE_EPOCH` where set.
pub(crate) fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    civil(secs.div_euclid(86_400))
}

/// The civil date of a day number since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// An old id kept on a page as an alias of a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The page.
    pub page: String,
    /// The registered id that no longer names anything on the page.
    pub old: String,
    /// Where it lands now.
    pub new: String,
    /// The page `new` is on, where that is not `page`: a clause page that lost a unit
    /// to another clause (`g/c127.html#c127-3` ─► `g/c128.html#c128-1`). The old id
    /// then stays on its page, at the start of the clause, forwarding to the new place.
    pub to: Option<String>,
}

/// A page that is gone, and where its anchors land now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The page that replaces it.
    pub to: String,
    /// Its old ids ─► ids of the new page (or of the page [`pages`](Self::pages) names).
    pub ids: BTreeMap<String, String>,
    /// Old ids whose new place is on another page than `to` ─► that page.
    pub pages: BTreeMap<String, String>,
}

/// The page an alias sends a whole page to: the page named by the alias of its file's
/// stem, in the same folder.
fn moved_page(page: &str, aliases: &BTreeMap<String, String>) -> Option<String> {
    let (dir, file) = page.rsplit_once('/')?;
    let stem = file.strip_suffix(".html")?;
    let to = aliases.get(stem)?;
    Some(format!("{dir}/{to}.html"))
}

/// The clause of a clause page: the stem of its file (`g/en/c8.html` ─► `c8`), where the
/// page carries that id.
pub(crate) fn clause_of_page<'a>(page: &'a str, reg: &Registry) -> Option<&'a str> {
    let stem = page.rsplit('/').next()?.strip_suffix(".html")?;
    reg.get(page)?.contains_key(stem).then_some(stem)
}

/// The ids of the clause pages of one folder (`g/`, `g/en/`) ─► the clause page that
/// carries each, built from the registry when a lost anchor first needs it.
#[derive(Default)]
struct ClausePages(BTreeMap<String, BTreeMap<String, String>>);

impl ClausePages {
    /// id ─► clause page, for the clause pages in `dir`.
    fn of(&mut self, dir: &str, reg: &Registry) -> &BTreeMap<String, String> {
        self.0.entry(dir.to_string()).or_insert_with(|| {
            let prefix = format!("{dir}/");
            let mut out = BTreeMap::new();
            for (page, ids) in reg
                .range(prefix.clone()..)
                .take_while(|(p, _)| p.starts_with(&prefix))
            {
                if page[prefix.len()..].contains('/') || clause_of_page(page, reg).is_none() {
                    continue;
                }
                for id in ids.keys() {
                    out.entry(id.clone()).or_insert_with(|| page.clone());
                }
            }
            out
        })
    }
}

/// The outcome of checking this build's anchors against the lock.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// The lock to write after a successful build.
    pub lock: Lock,
    /// Old ids to keep as aliases.
    pub aliases: Vec<Alias>,
    /// Anchors whose text changed since first published: (page, id, date).
    pub changed: Vec<(String, String, String)>,
    /// Pages gone as a whole, each sent to the page its alias names: old page ─►
    /// redirect.
    pub redirects: BTreeMap<String, Redirect>,
    /// Anchors registered for the first time.
    pub added: usize,
    /// Anchors whose hash changed in this build.
    pub updated: usize,
}

/// Registered anchors this build lacks, with neither an alias nor a retirement: page ─►
/// (id, its entry in the lock).
pub(crate) type Lost = BTreeMap<String, Vec<(String, Entry)>>;

/// Where an alias sends `id`: the alias for `id` itself or for a unit holding it
/// (`c37` covers `c37-1` and `c37-1.2`), also behind a language prefix (`en-c37-1.2`).
fn alias_target(
    id: &str,
    aliases: &BTreeMap<String, String>,
    langs: &[String],
    exists: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let mut prefixes = vec![String::new()];
    prefixes.extend(langs.iter().map(|l| format!("{l}-")));
    for p in &prefixes {
        let Some(rest) = id.strip_prefix(p.as_str()) else {
            continue;
        };
        // The longest alias key that is `rest` or a unit holding it.
        let best = aliases
            .iter()
            .filter(|(k, _)| {
                rest == k.as_str()
                    || rest
                        .strip_prefix(k.as_str())
                        .is_some_and(|r| r.starts_with('-') || r.starts_with('.'))
            })
            .max_by_key(|(k, _)| k.len());
        if let Some((k, v)) = best {
            let exact = format!("{p}{v}{}", &rest[k.len()..]);
            if exists(&exact) {
                return Some(exact);
            }
            let unit = format!("{p}{v}");
            if exists(&unit) {
                return Some(unit);
            }
            if exists(v) {
                return Some(v.clone());
            }
        }
    }
    None
}

/// Where a registered anchor this build lacks lands now.
enum Place {
    /// On its own page, under another id.
    Here(String),
    /// On another page (the page, the id): its page is a clause page that lost the
    /// unit, or is gone.
    There(String, String),
}

/// Where the aliases `map` send `id` of `page` (a page of this build or one that is
/// gone): an id of the same page; else, for a page that is gone, an id of the page the
/// alias of its stem names; else an id of a clause page of the same folder.
fn place(
    page: &str,
    id: &str,
    map: &BTreeMap<String, String>,
    langs: &[String],
    reg: &Registry,
    clause_pages: &mut ClausePages,
) -> Option<Place> {
    if map.is_empty() {
        return None;
    }
    if let Some(ids) = reg.get(page) {
        if let Some(new) = alias_target(id, map, langs, &|x| ids.contains_key(x)) {
            return Some(Place::Here(new));
        }
        // Only a clause page sends an id to another page.
        clause_of_page(page, reg)?;
    } else if let Some(to) = moved_page(page, map).filter(|p| reg.contains_key(p)) {
        let ids = &reg[&to];
        if let Some(new) = alias_target(id, map, langs, &|x| ids.contains_key(x)) {
            return Some(Place::There(to, new));
        }
    }
    let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
    let index = clause_pages.of(dir, reg);
    let new = alias_target(id, map, langs, &|x| index.contains_key(x))?;
    let to = index.get(&new)?.clone();
    (to != page).then_some(Place::There(to, new))
}

/// Checks the anchors of this build against the lock (`None`: no lock yet) and computes
/// the new lock, the aliases and the changed anchors. `aliases` are the manifest's, by
/// document slug; `today` the date new records get. Fails naming every anchor that
/// would disappear.
pub(crate) fn resolve(
    reg: &Registry,
    old: Option<Lock>,
    lib: &Library,
    aliases: &BTreeMap<String, BTreeMap<String, String>>,
    today: &str,
) -> Result<Resolution, AnchorError> {
    let (res, lost) = reconcile(reg, old, lib, aliases, today);
    if lost.is_empty() {
        Ok(res)
    } else {
        Err(lost_error(&lost, reg))
    }
}

/// The error naming the anchors of `lost`, one line per page.
fn lost_error(lost: &Lost, reg: &Registry) -> AnchorError {
    let lines = lost
        .iter()
        .map(|(page, ids)| {
            let slug = page.split('/').next().unwrap_or("");
            let shown: Vec<String> = ids.iter().take(6).map(|(i, _)| format!("#{i}")).collect();
            format!(
                "{page} (document `{slug}`{}): {}{} — {} anchor(s) no element has any more",
                if reg.contains_key(page) {
                    ""
                } else {
                    ", page gone"
                },
                shown.join(", "),
                if ids.len() > 6 { ", …" } else { "" },
                ids.len()
            )
        })
        .collect();
    AnchorError::lost(lines)
}

/// [`resolve`] without failing: the resolution (its lock without the lost anchors) and
/// the anchors that would be lost.
pub(crate) fn reconcile(
    reg: &Registry,
    old: Option<Lock>,
    lib: &Library,
    aliases: &BTreeMap<String, BTreeMap<String, String>>,
    today: &str,
) -> (Resolution, Lost) {
    use std::cmp::Ordering;
    let mut res = Resolution::default();
    let mut lost = Lost::new();
    let no_aliases = BTreeMap::new();
    let mut clause_pages = ClausePages::default();
    // The old lock and this build's anchors are both sorted by (page, id): one merge of
    // the two makes the new lock in order, moving the old entries rather than copying.
    let mut olds = old.unwrap_or_default().into_iter().peekable();
    let mut news = reg
        .iter()
        .flat_map(|(page, ids)| ids.iter().map(move |(id, hash)| (page, id, hash)))
        .peekable();
    let mut entries: Vec<((String, String), Entry)> = Vec::new();
    loop {
        let order = match (olds.peek(), news.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(((page, id), _)), Some((p, i, _))) => {
                (page.as_str(), id.as_str()).cmp(&(p.as_str(), i.as_str()))
            }
        };
        match order {
            // An anchor published before that this build does not have.
            Ordering::Less => {
                let Some(((page, id), e)) = olds.next() else {
                    break;
                };
                // Retired on purpose: kept in the lock, required nowhere.
                if e.retired.is_some() {
                    entries.push(((page, id), e));
                    continue;
                }
                let slug = page.split('/').next().unwrap_or("");
                let doc = lib.documents.iter().find(|d| d.slug == slug);
                let langs: Vec<String> = doc
                    .map(|d| d.versions.iter().map(|v| v.lang.clone()).collect())
                    .unwrap_or_default();
                let map = aliases.get(slug).unwrap_or(&no_aliases);
                match place(&page, &id, map, &langs, reg, &mut clause_pages) {
                    Some(Place::Here(new)) => res.aliases.push(Alias {
                        page: page.clone(),
                        old: id.clone(),
                        new,
                        to: None,
                    }),
                    // The page is still there: the old id stays on it, forwarding.
                    Some(Place::There(to, new)) if reg.contains_key(&page) => {
                        res.aliases.push(Alias {
                            page: page.clone(),
                            old: id.clone(),
                            new,
                            to: Some(to),
                        })
                    }
                    // A page gone as a whole forwards to the page of its first anchor's
                    // new place (its clause's own id comes first).
                    Some(Place::There(to, new)) => {
                        let r = res
                            .redirects
                            .entry(page.clone())
                            .or_insert_with(|| Redirect {
                                to: to.clone(),
                                ids: BTreeMap::new(),
                                pages: BTreeMap::new(),
                            });
                        if r.to != to {
                            r.pages.insert(id.clone(), to);
                        }
                        r.ids.insert(id.clone(), new);
                    }
                    None => {
                        lost.entry(page).or_default().push((id, e));
                        continue;
                    }
                }
                entries.push(((page, id), e));
            }
            // An anchor of this build, recorded before or not.
            order => {
                let Some((page, id, hash)) = news.next() else {
                    break;
                };
                let before = if order == Ordering::Equal {
                    olds.next()
                } else {
                    None
                };
                let entry = match before {
                    // An anchor back on its page is no longer retired.
                    Some((key, e)) if &e.hash == hash => (key, Entry { retired: None, ..e }),
                    Some((key, _)) => {
                        res.updated += 1;
                        let e = Entry {
                            hash: hash.clone(),
                            date: today.to_string(),
                            changed: true,
                            retired: None,
                        };
                        (key, e)
                    }
                    None => {
                        res.added += 1;
                        let e = Entry {
                            hash: hash.clone(),
                            date: today.to_string(),
                            changed: false,
                            retired: None,
                        };
                        ((page.clone(), id.clone()), e)
                    }
                };
                if entry.1.changed {
                    res.changed
                        .push((page.clone(), id.clone(), entry.1.date.clone()));
                }
                entries.push(entry);
            }
        }
    }
    // In order already, so the map is built in one pass.
    res.lock = entries.into_iter().collect();
    (res, lost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_hashes() {
        assert_eq!(civil(0), "1970-01-01");
        assert_eq!(civil(18_399), "2020-05-17");
        assert_eq!(short_hash("abc"), short_hash("abc"));
        assert_ne!(short_hash("abc"), short_hash("abd"));
        assert_eq!(short_hash("").len(), 8);
    }

    #[test]
    fn lock_round_trip_and_errors() {
        let mut lock = Lock::new();
        lock.insert(
            ("g/index.html".into(), "c1".into()),
            Entry {
                hash: "0123abcd".into(),
                date: "2020-01-02".into(),
                changed: true,
                retired: None,
            },
        );
        let text = render_lock(&lock);
        assert_eq!(parse_lock(&text, Path::new("x")).unwrap(), lock);
        let e = parse_lock("g/index.html#c1 ab 2020-1-2\n", Path::new("x")).unwrap_err();
        assert!(e.to_string().contains("x:1:"), "{e}");
        for bad in [
            "g#c1 ab",
            "g#c1 ab 2020-01-02 changed more",
            "g#c1 ab 2020-01-02 new",
        ] {
            let e = parse_lock(bad, Path::new("x")).unwrap_err();
            assert!(e.to_string().contains("cannot read"), "{bad}: {e}");
        }
        // Lines in any order; a key listed twice is reported at its second line.
        let text = "b#c2 01 2020-01-02\na#c1 02 2020-01-02 changed\n\nb#c2 03 2020-01-03\n";
        let e = parse_lock(text, Path::new("x")).unwrap_err();
        assert!(e.to_string().contains("x:4:"), "{e}");
        assert!(e.to_string().contains("`b#c2` is listed twice"), "{e}");
        let lock = parse_lock(
            "b#c2 01 2020-01-02\na#c1 02 2020-01-02 changed\n",
            Path::new("x"),
        )
        .unwrap();
        let keys: Vec<_> = lock.keys().map(|(p, i)| format!("{p}#{i}")).collect();
        assert_eq!(keys, ["a#c1", "b#c2"]);
        assert!(lock[&("a".to_string(), "c1".to_string())].changed);
    }

    #[test]
    fn anchors_json_lists_aliases_then_pages() {
        let mut reg = Registry::new();
        for (page, id, h) in [("b/index.html", "c1", "01"), ("a/c1.html", "c1-1", "02")] {
            reg.entry(page.to_string())
                .or_default()
                .insert(id.to_string(), h.to_string());
        }
        let aliases = vec![Alias {
            page: "b/index.html".into(),
            old: "c9".into(),
            new: "c1".into(),
            to: None,
        }];
        let got = String::from_utf8(anchors_json(&reg, &aliases, &Lock::new())).unwrap();
        let want = serde_json::json!({
            "pages": { "a/c1.html": { "c1-1": "02" }, "b/index.html": { "c1": "01" } },
            "aliases": { "b/index.html": { "c9": "c1" } },
        });
        assert_eq!(got, serde_json::to_string_pretty(&want).unwrap() + "\n");
        assert!(got.find("\"aliases\"").unwrap() < got.find("\"pages\"").unwrap());
    }

    #[test]
    fn aliases_cover_units_and_prefixes() {
        let mut a = BTreeMap::new();
        a.insert("c37".to_string(), "c36".to_string());
        let have = ["c36", "c36-1", "c36-1.1", "en-c36-1.1"];
        let exists = |x: &str| have.contains(&x);
        let langs = vec!["en".to_string()];
        assert_eq!(alias_target("c37", &a, &langs, &exists).unwrap(), "c36");
        assert_eq!(
            alias_target("c37-1.1", &a, &langs, &exists).unwrap(),
            "c36-1.1"
        );
        assert_eq!(alias_target("c37-1.9", &a, &langs, &exists).unwrap(), "c36");
        assert_eq!(
            alias_target("en-c37-1.1", &a, &langs, &exists).unwrap(),
            "en-c36-1.1"
        );
        assert_eq!(alias_target("c370", &a, &langs, &exists), None);
        assert_eq!(alias_target("c8", &a, &langs, &exists), None);
    }

    fn lib() -> Library {
        Library {
            site: crate::model::SiteMeta::default(),
            documents: Vec::new(),
        }
    }

    /// A lock entry of `hash`, first published on 2020-01-01, unchanged, not retired.
    pub(super) fn entry(hash: &str) -> Entry {
        Entry {
            hash: hash.into(),
            date: "2020-01-01".into(),
            changed: false,
            retired: None,
        }
    }

    fn registry(pages: &[(&str, &[(&str, &str)])]) -> Registry {
        let mut reg = Registry::new();
        for (page, ids) in pages {
            let m = reg.entry(page.to_string()).or_default();
            for (id, h) in *ids {
                m.insert(id.to_string(), h.to_string());
            }
        }
        reg
    }

    #[test]
    fn an_alias_of_any_id_reaches_the_clause_page_of_its_new_place() {
        // Clause 7 was clause 3 misnumbered, and clause 2 held clause 3's paragraph.
        let reg = registry(&[
            ("g/c2.html", &[("c2", "20"), ("c2-1", "21")]),
            ("g/c3.html", &[("c3", "30"), ("c3-1", "31"), ("c3-2", "32")]),
            (
                "g/index.html",
                &[
                    ("c2", "20"),
                    ("c2-1", "21"),
                    ("c3", "30"),
                    ("c3-1", "31"),
                    ("c3-2", "32"),
                ],
            ),
        ]);
        let mut old = Lock::new();
        for page in ["g/index.html", "g/c2.html"] {
            old.insert((page.into(), "c2-2".into()), entry("31"));
        }
        for page in ["g/index.html", "g/c7.html"] {
            old.insert((page.into(), "c7".into()), entry("70"));
            old.insert((page.into(), "c7-1".into()), entry("32"));
        }
        let aliases = BTreeMap::from([(
            "g".to_string(),
            BTreeMap::from([
                ("c2-2".to_string(), "c3-1".to_string()),
                ("c7-1".to_string(), "c3-2".to_string()),
            ]),
        )]);
        // `c7` itself has no alias: lost on both pages, nothing else.
        let (_, lost) = reconcile(&reg, Some(old.clone()), &lib(), &aliases, "2020-02-02");
        let ids: Vec<_> = lost
            .iter()
            .flat_map(|(p, v)| v.iter().map(move |(i, _)| format!("{p}#{i}")))
            .collect();
        assert_eq!(ids, ["g/c7.html#c7", "g/index.html#c7"]);
        // Retired, it is required nowhere; the gone page forwards to clause 3's page.
        for page in ["g/index.html", "g/c7.html"] {
            old.get_mut(&(page.to_string(), "c7".to_string()))
                .unwrap()
                .retired = Some(Retired {
                date: "2020-02-01".into(),
                reason: "misnumbered".into(),
            });
        }
        let res = resolve(&reg, Some(old.clone()), &lib(), &aliases, "2020-02-02").unwrap();
        let r = &res.redirects["g/c7.html"];
        assert_eq!(r.to, "g/c3.html");
        assert_eq!(
            r.ids,
            BTreeMap::from([("c7-1".to_string(), "c3-2".to_string())])
        );
        assert!(r.pages.is_empty());
        let mut got: Vec<_> = res
            .aliases
            .iter()
            .map(|a| {
                (
                    a.page.as_str(),
                    a.old.as_str(),
                    a.new.as_str(),
                    a.to.as_deref(),
                )
            })
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("g/c2.html", "c2-2", "c3-1", Some("g/c3.html")),
                ("g/index.html", "c2-2", "c3-1", None),
                ("g/index.html", "c7-1", "c3-2", None),
            ]
        );
        // The lock keeps every old anchor, the retired ones marked so.
        assert!(
            res.lock[&("g/c7.html".to_string(), "c7".to_string())]
                .retired
                .is_some()
        );
        assert!(
            res.lock
                .contains_key(&("g/c2.html".to_string(), "c2-2".to_string()))
        );
        let text = render_lock(&res.lock);
        assert!(text.contains("\ng/c7.html#c7 70 2020-01-01 retired 2020-02-01 misnumbered\n"));
        assert_eq!(parse_lock(&text, Path::new("x")).unwrap(), res.lock);
        let json = String::from_utf8(anchors_json(&reg, &res.aliases, &res.lock)).unwrap();
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["aliases"]["g/c2.html"]["c2-2"], "g/c3.html#c3-1");
        assert_eq!(json["retired"]["g/c7.html"]["c7"]["reason"], "misnumbered");
        // A retired anchor back on its page is required again.
        let back = registry(&[("g/index.html", &[("c7", "70")])]);
        let (res, lost) = reconcile(&back, Some(old), &lib(), &BTreeMap::new(), "2020-02-02");
        let on = |p: &str| {
            res.lock[&(p.to_string(), "c7".to_string())]
                .retired
                .is_some()
        };
        assert!(!on("g/index.html") && on("g/c7.html"));
        assert!(lost["g/index.html"].iter().all(|(i, _)| i != "c7"));
    }

    #[test]
    fn old_locks_read_and_retired_lines_need_a_date_and_reason() {
        let old = "# header\ng#c1 ab 2020-01-02\ng#c2 ab 2020-01-02 changed\n";
        let lock = parse_lock(old, Path::new("x")).unwrap();
        assert!(lock.values().all(|e| e.retired.is_none()));
        // Without a retired line, the lock's text is what it always was.
        assert!(!render_lock(&lock).contains("retired"));
        let lock = parse_lock(
            "g#c1 ab 2020-01-02 changed retired 2020-03-04 moved  to c2\n",
            Path::new("x"),
        )
        .unwrap();
        let e = &lock[&("g".to_string(), "c1".to_string())];
        assert!(e.changed);
        assert_eq!(
            e.retired,
            Some(Retired {
                date: "2020-03-04".into(),
                reason: "moved  to c2".into()
            })
        );
        for bad in [
            "g#c1 ab 2020-01-02 retired",
            "g#c1 ab 2020-01-02 retired 2020-03-04",
            "g#c1 ab 2020-01-02 retired 2020-3-4 why",
            "g#c1 ab 2020-01-02 retired why not",
        ] {
            assert!(parse_lock(bad, Path::new("x")).is_err(), "{bad}");
        }
        assert_eq!(one_line(" a\n b\tc "), "a b c");
    }
}
