//! `clausebook check DIR`: every relative link of a built site resolves to a file and
//! every fragment to an id; nothing is loaded from the network ([`check_site`]).
//! `clausebook check --source SEEDS`: the integrity findings about the source texts,
//! without building a site ([`check_source`]).
//!
//! A clausebook site is opened in two very different ways: straight from disk
//! (`file://…/site/index.html`, no network, no web server) and from GitHub Pages under a
//! sub-path (`https://user.github.io/repo/`). People also paste links to single clauses
//! (`guideline/index.html#c8`) into papers and chats. The only links that work in all of
//! these settings are *relative links that name a file*, and the only anchors that work
//! are ids that exist in the target page. [`check_site`] enforces exactly that.
//!
//! # What is checked
//!
//! Every `*.html` / `*.htm` file under the site folder is tokenized once with the WHATWG
//! tokenizer [`html5gum`] (the contents of `<script>`, `<style>`, `<textarea>` and
//! `<title>` are raw text and never mistaken for tags). From each page we collect
//!
//! * **anchors**: the value of every `id` attribute, and of `name` on `<a>`;
//! * **references**: `href`, `xlink:href`, `src`, `poster` and every URL of `srcset`, on
//!   every element.
//!
//! Each reference is classified by its shape (after trimming ASCII whitespace):
//!
//! | reference | verdict |
//! | --- | --- |
//! | empty | ignored (it means "this page") |
//! | `mailto:`, `tel:`, `data:`, `about:`, `blob:` | ignored |
//! | `javascript:…` | **broken**: scripts in links are suspicious and never work offline-first |
//! | `file:…` | **broken**: an absolute path of one machine |
//! | `http(s)://…`, `//host/…`, any other scheme | on `<a>`, `<area>` and navigational `<link rel>` (`canonical`, `alternate`, …): an outbound link, fine. On anything else (`<script src>`, `<link rel=stylesheet href>`, `<img src>`, …) it is a **network resource** and is reported in [`CheckReport::remote`] |
//! | `/…` | **broken**: root-relative links break under a sub-path and on `file://` |
//! | `#frag` | the fragment must be an id of the same page |
//! | `path[?query][#frag]` | counted in [`CheckReport::links`]; the percent-decoded path, resolved against the page's folder, must stay inside the site and name an existing **file** (a folder is broken: GitHub Pages serves `index.html` for it, `file://` shows a listing); if there is a fragment and the target is an HTML page, the fragment must be an id of that page |
//!
//! Fragments follow the browser's rules: the fragment matches an id if either its raw
//! or its percent-decoded form does; an empty fragment and `#top` (any case) scroll to
//! the top of the page and are always fine.
//!
//! Not interpreted: `<base href>` (clausebook never writes one), `<meta http-equiv=refresh>`,
//! `url(…)` inside CSS, and URLs built by scripts.
//!
//! # Output
//!
//! [`CheckReport::broken`] and [`CheckReport::remote`] hold one line per problem,
//! `page -> href (reason)`, with `page` relative to the site folder and `/`-separated.
//! Both lists are sorted and free of duplicates, so the output is deterministic.
//!
//! # Cost
//!
//! Each page is read and tokenized exactly once; its ids go into a map keyed by its
//! site-relative path, which later fragment checks of links into that page consult, and
//! each link target is looked up on disk once however many links name it. Memory is
//! proportional to the number of ids and references in the site, time to its size: a
//! generated site of 2,000 pages and 100,000 links checks in about a quarter of a second
//! in a release build (see `tests/it/check_scale.rs`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use html5gum::{DefaultEmitter, Token, Tokenizer};

use crate::build::{self, BuildError};
use crate::integrity::{self, Finding, FindingKind};

/// The outcome of checking the source texts of a seeds folder.
#[derive(Debug, Clone)]
pub struct SourceReport {
    /// How many documents the seeds folder holds.
    pub documents: usize,
    /// The integrity findings, ordered by document, seed file, line and kind.
    pub findings: Vec<Finding>,
}

impl SourceReport {
    /// How many findings there are of each kind, in the order of [`FindingKind::ALL`];
    /// kinds without findings are left out.
    pub fn counts(&self) -> Vec<(FindingKind, usize)> {
        FindingKind::ALL
            .iter()
            .map(|k| (*k, self.findings.iter().filter(|f| f.kind == *k).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// Reads, parses, aligns and links the seeds folder `seeds` and analyses the texts, as a
/// build does before rendering; nothing is written. The findings are what a build marks
/// on the pages and lists on `integrity.html`.
pub fn check_source(seeds: &Path) -> Result<SourceReport, BuildError> {
    let assembled = build::load(seeds)?;
    Ok(SourceReport {
        documents: assembled.library.documents.len(),
        findings: integrity::analyse(&assembled.library, &assembled.repairs),
    })
}

/// The outcome of checking a site.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// How many HTML pages were read.
    pub pages: usize,
    /// How many relative links (including same-page `#fragment` links) were followed.
    pub links: usize,
    /// One line per broken link: `page -> href (reason)`, sorted, without duplicates.
    pub broken: Vec<String>,
    /// One line per resource the browser would load from the network (a `<script src>`,
    /// stylesheet, image, … with an `http(s)://` or `//` URL): `page -> url (reason)`,
    /// sorted, without duplicates. A site meant for `file://` must have none.
    pub remote: Vec<String>,
}

impl CheckReport {
    /// True when nothing is broken and nothing is loaded from the network.
    pub fn is_ok(&self) -> bool {
        self.broken.is_empty() && self.remote.is_empty()
    }
}

/// One URL-valued attribute found in a page.
#[derive(Debug, Clone)]
struct Reference {
    /// The element's name, lower case (`a`, `link`, `script`, …).
    tag: String,
    /// For `<link>`: true when every `rel` token is navigational (`canonical`,
    /// `alternate`, …), i.e. the browser does not fetch the target.
    navigational: bool,
    /// The attribute's value, entities already decoded by the tokenizer.
    url: String,
}

/// What one page contains that matters for checking.
#[derive(Debug, Default)]
struct Page {
    /// Every `id` and `<a name>` in the page.
    ids: HashSet<String>,
    /// Every URL-valued attribute, in document order.
    refs: Vec<Reference>,
}

/// `<link rel>` values that only describe a relation and make the browser fetch nothing.
const NAVIGATIONAL_RELS: &[&str] = &[
    "alternate",
    "author",
    "bookmark",
    "canonical",
    "external",
    "help",
    "license",
    "me",
    "next",
    "nofollow",
    "noopener",
    "noreferrer",
    "prev",
    "search",
    "tag",
];

/// Checks every HTML file under `dir`; see the [module documentation](self) for the rules.
///
/// Errors only when the folder cannot be walked or a page cannot be read; every problem
/// with the site itself is reported in the returned [`CheckReport`].
pub fn check_site(dir: &Path) -> std::io::Result<CheckReport> {
    // Pass 1: read and tokenize every page once.
    let mut pages: Vec<(String, Page)> = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() || !is_html(entry.path()) {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .map_err(std::io::Error::other)?;
        let bytes = std::fs::read(entry.path())?;
        pages.push((slash_path(rel), parse_page(&bytes)));
    }
    let ids: HashMap<&str, &HashSet<String>> = pages
        .iter()
        .map(|(p, page)| (p.as_str(), &page.ids))
        .collect();
    let mut cache = Cache::default();

    let mut report = CheckReport {
        pages: pages.len(),
        ..CheckReport::default()
    };
    let mut broken = BTreeSet::new();
    let mut remote = BTreeSet::new();

    // Pass 2: check every reference.
    for (page_path, page) in &pages {
        for r in &page.refs {
            let problem = match classify(r) {
                Kind::Ignored => continue,
                Kind::Broken(reason) => Problem::Broken(reason.to_string()),
                Kind::Remote => Problem::Remote,
                Kind::SamePage(frag) => {
                    report.links += 1;
                    if fragment_ok(frag, &page.ids) {
                        continue;
                    }
                    Problem::Broken(format!("no id \"{}\" in this page", decode(frag)))
                }
                Kind::Relative { path, fragment } => {
                    report.links += 1;
                    match check_relative(dir, page_path, path, fragment, &ids, &mut cache)? {
                        None => continue,
                        Some(reason) => Problem::Broken(reason),
                    }
                }
            };
            match problem {
                Problem::Broken(reason) => {
                    broken.insert(format!("{page_path} -> {} ({reason})", r.url));
                }
                Problem::Remote => {
                    remote.insert(format!(
                        "{page_path} -> {} (<{}> loads it from the network)",
                        r.url, r.tag
                    ));
                }
            }
        }
    }
    report.broken = broken.into_iter().collect();
    report.remote = remote.into_iter().collect();
    Ok(report)
}

/// What [`check_relative`] learned about the file system, so that each target is
/// looked at once however many links point to it.
#[derive(Default)]
struct Cache {
    /// What each site-relative target path is.
    stats: HashMap<String, Stat>,
    /// Ids of pages reached through a link but not found by the walk (say, a
    /// symlinked file): tokenized on first use.
    extra: HashMap<String, HashSet<String>>,
}

/// What a link target is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stat {
    File,
    Folder,
    Missing,
}

/// A problem found with one reference.
enum Problem {
    Broken(String),
    Remote,
}

/// The shape of one reference, before touching the file system.
#[derive(Debug, PartialEq, Eq)]
enum Kind<'a> {
    /// Nothing to check.
    Ignored,
    /// Broken whatever the site contains.
    Broken(&'static str),
    /// A network resource loaded by the page.
    Remote,
    /// `#fragment` (without the `#`).
    SamePage(&'a str),
    /// A relative path, with its fragment (without the `#`) if there is one.
    Relative {
        path: &'a str,
        fragment: Option<&'a str>,
    },
}

/// Sorts a reference into a [`Kind`] by its shape alone.
fn classify(r: &Reference) -> Kind<'_> {
    let url = r
        .url
        .trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control());
    if url.is_empty() {
        return Kind::Ignored;
    }
    let outbound = matches!(r.tag.as_str(), "a" | "area") || (r.tag == "link" && r.navigational);
    if url.starts_with("//") || url.starts_with("\\\\") {
        return if outbound {
            Kind::Ignored
        } else {
            Kind::Remote
        };
    }
    if let Some(scheme) = scheme(url) {
        return match scheme.to_ascii_lowercase().as_str() {
            "mailto" | "tel" | "data" | "about" | "blob" => Kind::Ignored,
            "javascript" => Kind::Broken("javascript: URL"),
            "file" => Kind::Broken("file: URL names a path on one machine"),
            _ if outbound => Kind::Ignored,
            _ => Kind::Remote,
        };
    }
    if url.starts_with('/') || url.starts_with('\\') {
        return Kind::Broken("root-relative link breaks under a sub-path and on file://");
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, frag)) => (rest, Some(frag)),
        None => (url, None),
    };
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() {
        return match fragment {
            Some(frag) => Kind::SamePage(frag),
            // `?query` alone: the same page again.
            None => Kind::Ignored,
        };
    }
    Kind::Relative { path, fragment }
}

/// The URL scheme of `url` (`http` in `http://…`), if it has one.
fn scheme(url: &str) -> Option<&str> {
    let (head, _) = url.split_once(':')?;
    let mut chars = head.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first_ok && rest_ok).then_some(head)
}

/// Checks a relative link from `page_path`; `Ok(Some(reason))` when it is broken.
fn check_relative(
    dir: &Path,
    page_path: &str,
    path: &str,
    fragment: Option<&str>,
    ids: &HashMap<&str, &HashSet<String>>,
    cache: &mut Cache,
) -> std::io::Result<Option<String>> {
    let decoded = decode(path);
    // Resolve against the page's folder, segment by segment, like a URL.
    let mut segments: Vec<&str> = page_path.split('/').collect();
    segments.pop(); // the page's own file name
    let mut parts = decoded.split(['/', '\\']).peekable();
    while let Some(seg) = parts.next() {
        match seg {
            "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Ok(Some("points outside the site".into()));
                }
            }
            "" if parts.peek().is_some() => {} // `a//b` is `a/b` on disk
            _ => segments.push(seg),
        }
    }
    let target = segments.join("/");
    let trailing_slash = decoded.ends_with('/') || decoded.ends_with('\\');
    let full: PathBuf = dir.join(&target);
    let kind =
        *cache
            .stats
            .entry(target.clone())
            .or_insert_with(|| match std::fs::metadata(&full) {
                Ok(m) if m.is_dir() => Stat::Folder,
                Ok(_) => Stat::File,
                Err(_) => Stat::Missing,
            });
    if kind == Stat::Missing {
        return Ok(Some("no such file".into()));
    }
    if kind == Stat::Folder || trailing_slash {
        return Ok(Some(
            "is a folder: link the file, e.g. …/index.html, as file:// shows no index".into(),
        ));
    }
    let Some(frag) = fragment else {
        return Ok(None);
    };
    if !is_html(&full) {
        return Ok(None);
    }
    let target_ids: &HashSet<String> = match ids.get(target.as_str()) {
        Some(ids) => ids,
        None => {
            if !cache.extra.contains_key(&target) {
                let page = parse_page(&std::fs::read(&full)?);
                cache.extra.insert(target.clone(), page.ids);
            }
            &cache.extra[&target]
        }
    };
    if fragment_ok(frag, target_ids) {
        Ok(None)
    } else {
        Ok(Some(format!("no id \"{}\" in {target}", decode(frag))))
    }
}

/// Whether `frag` (without `#`) scrolls somewhere in a page with these `ids`: it names
/// an id raw or percent-decoded, or it is empty or `top`, which scroll to the top.
fn fragment_ok(frag: &str, ids: &HashSet<String>) -> bool {
    frag.is_empty()
        || frag.eq_ignore_ascii_case("top")
        || ids.contains(frag)
        || ids.contains(decode(frag).as_str())
}

/// Tokenizes one page and collects its ids and references.
fn parse_page(bytes: &[u8]) -> Page {
    let mut emitter = DefaultEmitter::default();
    // Treat <script>, <style>, <title>, <textarea>, … as raw text, as a browser does.
    emitter.naively_switch_states(true);
    let mut page = Page::default();
    for token in Tokenizer::new_with_emitter(bytes, emitter).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
        let attr = |key: &str| {
            tag.attributes
                .get(key.as_bytes())
                .map(|v| String::from_utf8_lossy(v).into_owned())
        };
        if let Some(id) = attr("id") {
            page.ids.insert(id);
        }
        if name == "a"
            && let Some(anchor) = attr("name")
        {
            page.ids.insert(anchor);
        }
        let navigational = name == "link"
            && attr("rel").is_some_and(|rel| {
                let mut tokens = rel.split_ascii_whitespace().peekable();
                tokens.peek().is_some()
                    && tokens.all(|t| NAVIGATIONAL_RELS.contains(&t.to_ascii_lowercase().as_str()))
            });
        let mut push = |url: String| {
            page.refs.push(Reference {
                tag: name.clone(),
                navigational,
                url,
            })
        };
        for key in ["href", "xlink:href", "src", "poster"] {
            if let Some(url) = attr(key) {
                push(url);
            }
        }
        if let Some(srcset) = attr("srcset") {
            // `url [descriptor], url [descriptor], …`; URLs with commas are not supported.
            for candidate in srcset.split(',') {
                if let Some(url) = candidate.split_ascii_whitespace().next() {
                    push(url.to_string());
                }
            }
        }
    }
    page
}

/// Percent-decodes `s` (`%E4%B8%AD` → `中`); malformed escapes stay as they are, and
/// byte sequences that are not UTF-8 are replaced.
fn decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether `path` names an HTML page (`.html` or `.htm`, any case).
fn is_html(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// `path` with `/` separators, for reports and as a map key.
fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A temporary site built from `(path, contents)` pairs.
    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, contents) in files {
            let full = dir.path().join(path);
            fs::create_dir_all(full.parent().unwrap()).unwrap();
            fs::write(full, contents).unwrap();
        }
        dir
    }

    fn check(files: &[(&str, &str)]) -> CheckReport {
        let dir = site(files);
        check_site(dir.path()).unwrap()
    }

    #[test]
    fn empty_folder_is_fine() {
        let r = check(&[]);
        assert_eq!(r, CheckReport::default());
        assert!(r.is_ok());
    }

    #[test]
    fn relative_links_to_existing_files_are_fine() {
        let r = check(&[
            (
                "index.html",
                r#"<link rel=stylesheet href="static/site.css"><a href="guideline/index.html">g</a>
                   <img src="./static/logo.png" srcset="static/logo.png 1x, static/logo%402x.png 2x">"#,
            ),
            (
                "guideline/index.html",
                r#"<a href="../index.html">home</a><a href="en.html?x=1">en</a>"#,
            ),
            (
                "guideline/en.html",
                r#"<script src="../static/app.js"></script>"#,
            ),
            ("static/site.css", ""),
            ("static/app.js", ""),
            ("static/logo.png", ""),
            ("static/logo@2x.png", ""),
        ]);
        assert_eq!(r.broken, Vec::<String>::new());
        assert_eq!(r.remote, Vec::<String>::new());
        assert_eq!(r.pages, 3);
        assert_eq!(r.links, 8);
    }

    #[test]
    fn missing_file_is_broken() {
        let r = check(&[(
            "a/index.html",
            r#"<a href="../b.html">b</a><img src="x.png">"#,
        )]);
        assert_eq!(
            r.broken,
            [
                "a/index.html -> ../b.html (no such file)",
                "a/index.html -> x.png (no such file)"
            ]
        );
    }

    #[test]
    fn percent_encoded_paths_are_decoded() {
        let r = check(&[
            (
                "index.html",
                r#"<a href="%E6%96%87%E4%BB%B6.html">ok</a><a href="%E6%97%A0.html">no</a>"#,
            ),
            ("文件.html", ""),
        ]);
        assert_eq!(r.broken, ["index.html -> %E6%97%A0.html (no such file)"]);
    }

    #[test]
    fn folder_links_are_broken() {
        let r = check(&[
            (
                "index.html",
                r#"<a href="guideline/">g</a><a href="guideline">g</a><a href="guideline/index.html">ok</a>"#,
            ),
            ("guideline/index.html", ""),
        ]);
        assert_eq!(r.broken.len(), 2, "{:?}", r.broken);
        assert!(
            r.broken.iter().all(|b| b.contains("is a folder")),
            "{:?}",
            r.broken
        );
    }

    #[test]
    fn links_outside_the_site_are_broken() {
        let r = check(&[("index.html", r#"<a href="../elsewhere.html">x</a>"#)]);
        assert_eq!(
            r.broken,
            ["index.html -> ../elsewhere.html (points outside the site)"]
        );
    }

    #[test]
    fn root_relative_links_are_broken() {
        let r = check(&[
            (
                "index.html",
                r#"<a href="/guideline/index.html">g</a><link rel=stylesheet href="/site.css">"#,
            ),
            ("guideline/index.html", ""),
            ("site.css", ""),
        ]);
        assert_eq!(r.broken.len(), 2, "{:?}", r.broken);
        assert!(r.broken[0].starts_with("index.html -> /guideline/index.html (root-relative"));
    }

    #[test]
    fn fragments_must_name_ids_in_the_target() {
        let r = check(&[
            (
                "index.html",
                r##"<a href="g/index.html#c8">ok</a><a href="g/index.html#c9">bad</a>
                   <a href="g/index.html#old">a name</a><a href="g/index.html#%E4%B8%80">decoded</a>
                   <a href="g/index.html#">top</a><a href="g/index.html#top">top</a>
                   <a href="g/data.json#anything">not html</a>"##,
            ),
            (
                "g/index.html",
                r#"<p id="c8">(八)</p><a name="old"></a><h2 id="一">一</h2>"#,
            ),
            ("g/data.json", "{}"),
        ]);
        assert_eq!(
            r.broken,
            [r#"index.html -> g/index.html#c9 (no id "c9" in g/index.html)"#]
        );
        assert_eq!(r.links, 7);
    }

    #[test]
    fn same_page_fragments_must_name_ids_in_the_page() {
        let r = check(&[(
            "p.html",
            r##"<nav><a href="#c1">1</a><a href="#c2">2</a><a href="#">top</a></nav>
                <section id="c1"></section><svg><use href="#icon"/></svg>"##,
        )]);
        assert_eq!(
            r.broken,
            [
                r#"p.html -> #c2 (no id "c2" in this page)"#,
                r#"p.html -> #icon (no id "icon" in this page)"#
            ]
        );
        assert_eq!(r.links, 4);
    }

    #[test]
    fn network_resources_are_reported_outbound_links_are_not() {
        let r = check(&[(
            "index.html",
            r#"<head><link rel="canonical" href="https://example.org/">
               <link rel="stylesheet" href="https://cdn.example/x.css">
               <script src="//cdn.example/x.js"></script></head>
               <body><a href="https://example.org/">ok</a><area href="http://example.org/">
               <img src="http://example.org/i.png"><iframe src="ftp://example.org/"></iframe></body>"#,
        )]);
        assert!(r.broken.is_empty(), "{:?}", r.broken);
        assert_eq!(
            r.remote,
            [
                "index.html -> //cdn.example/x.js (<script> loads it from the network)",
                "index.html -> ftp://example.org/ (<iframe> loads it from the network)",
                "index.html -> http://example.org/i.png (<img> loads it from the network)",
                "index.html -> https://cdn.example/x.css (<link> loads it from the network)",
            ]
        );
        assert!(!r.is_ok());
        assert_eq!(r.links, 0);
    }

    #[test]
    fn ignored_schemes_and_suspicious_javascript() {
        let r = check(&[(
            "index.html",
            r#"<a href="mailto:a@b.c">m</a><a href="tel:+1">t</a><img src="data:image/png;base64,AA==">
               <a href="JavaScript:void(0)">js</a><a href="file:///home/me/site/x.html">f</a><a href="">self</a>"#,
        )]);
        assert_eq!(
            r.broken,
            [
                "index.html -> JavaScript:void(0) (javascript: URL)",
                "index.html -> file:///home/me/site/x.html (file: URL names a path on one machine)",
            ]
        );
        assert!(r.remote.is_empty());
        assert_eq!(r.links, 0);
    }

    #[test]
    fn script_and_style_contents_are_not_tags() {
        let r = check(&[(
            "index.html",
            r##"<script>document.write('<a href="/nope.html">x</a><p id="c1">');</script>
               <style>/* <img src="missing.png"> */</style><a href="#c1">c1</a>"##,
        )]);
        assert_eq!(r.broken, [r#"index.html -> #c1 (no id "c1" in this page)"#]);
    }

    #[test]
    fn entities_in_attributes_are_decoded() {
        let r = check(&[
            ("index.html", r#"<a href="a&amp;b.html">x</a>"#),
            ("a&b.html", ""),
        ]);
        assert!(r.broken.is_empty(), "{:?}", r.broken);
    }

    #[test]
    fn output_is_sorted_and_deduplicated() {
        let r = check(&[
            (
                "b.html",
                r#"<a href="z.html">z</a><a href="z.html">z</a><a href="a.html">a</a>"#,
            ),
            ("a.html", r#"<a href="z.html">z</a>"#),
        ]);
        assert_eq!(
            r.broken,
            [
                "a.html -> z.html (no such file)",
                "b.html -> z.html (no such file)",
            ]
        );
        assert_eq!(r.links, 4);
    }

    #[test]
    fn decode_handles_malformed_escapes() {
        assert_eq!(decode("a%20b"), "a b");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%E4%B8%AD"), "中");
    }

    #[test]
    fn scheme_detection() {
        assert_eq!(scheme("https://x"), Some("https"));
        assert_eq!(scheme("c8.html"), None);
        assert_eq!(scheme("a/b:c.html"), None);
        assert_eq!(scheme("1x:y"), None);
    }

    /// `check --source` on the seeds: every document read, the findings counted by kind
    /// in the order of `FindingKind::ALL`, no kind without findings listed.
    #[test]
    fn source_check_counts_the_findings_by_kind() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let report = check_source(&seeds).expect("the seeds load");
        assert_eq!(
            report.documents, 4,
            "five seed files, one document in two languages"
        );
        assert!(!report.findings.is_empty());
        let counts = report.counts();
        assert_eq!(
            counts.iter().map(|(_, n)| n).sum::<usize>(),
            report.findings.len()
        );
        assert!(counts.iter().all(|(_, n)| *n > 0));
        let order: Vec<usize> = counts
            .iter()
            .map(|(k, _)| FindingKind::ALL.iter().position(|a| a == k).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{counts:?}");
        assert!(check_source(&seeds.join("missing")).is_err());
    }
}
