//! What the anchor registry and the integrity findings add to the units of the pages, and
//! which ids the pages carry.
//!
//! - [`registry`]: every id of every page of a document that names text, with the hash
//!   of that text, told from the data the templates receive (the anchor stage resolves it
//!   against the lock before any page is rendered);
//! - [`Annotations`]: the aliases of moved anchors, the "text changed" notes and the
//!   finding markers, by page and id. They reach the templates as the `marks` of the
//!   block, sentence and row views they concern, which the `marks` macro of
//!   `templates/marks.html` shows right after the start tag of the unit's element (before
//!   it for a list; on the side-by-side page, a row's inside the first element of its
//!   first cell). A template that leaves the macro out shows none of them, and nothing
//!   else changes.
//!
//! Marks add no text node: a finding marker is an empty `<button>` whose description is
//! its `aria-label` (shown on hover and focus by the stylesheet from `data-note`), so
//! copying a paragraph copies only the source text.

use super::paths::{clause_page_path, has_parallel, parallel_page};
use super::rows::{self, ParallelRow};
use super::strings::{fill, get, is_zh};
use super::view::{AliasMark, BlockView, ChangedMark, FlagMark, Marks};
use crate::anchors::{DocHashes, Registry, Resolution, version_page};
use crate::integrity::Finding;
use crate::model::{Block, BlockKind, Document, Library, walk_blocks};
use std::collections::HashMap;

/// What is added at one id of one page.
#[derive(Debug, Default)]
struct Note<'a> {
    /// Old ids landing here, in the registry's order, each with where it forwards to
    /// where its new place is on another page (the new page's path and id).
    aliases: Vec<(&'a str, Option<(&'a str, &'a str)>)>,
    /// The date the text changed.
    changed: Option<&'a str>,
    /// The findings about the unit, in the order of the findings.
    findings: Vec<&'a Finding>,
}

/// The marks of every page of a build: page ─► id ─► what is added at the element with
/// that id.
#[derive(Debug, Default)]
pub struct Annotations<'a> {
    pages: HashMap<String, HashMap<String, Note<'a>>>,
}

/// The page of a finding's version and the side-by-side page, with the id the anchor
/// has on each.
fn places(lib: &Library, f: &Finding) -> Vec<(String, String)> {
    let Some(doc) = lib.documents.iter().find(|d| d.slug == f.slug) else {
        return Vec::new();
    };
    let Some(i) = doc.versions.iter().position(|v| v.source == f.file) else {
        return Vec::new();
    };
    let mut out = vec![(version_page(doc, i), f.anchor.clone())];
    if doc.versions.len() > 1 {
        let id = if doc.versions[i].original || !f.anchor.contains('.') {
            f.anchor.clone()
        } else {
            format!("{}-{}", doc.versions[i].lang, f.anchor)
        };
        out.push((parallel_page(doc), id));
    }
    out
}

impl<'a> Annotations<'a> {
    /// The marks of a build: the findings on the page of their version and on the
    /// side-by-side page, and the aliases and changed anchors of the registry's
    /// resolution on the pages it names.
    pub fn new(lib: &Library, findings: &'a [Finding], res: &'a Resolution) -> Annotations<'a> {
        let mut pages: HashMap<String, HashMap<String, Note<'a>>> = HashMap::new();
        for f in findings {
            for (page, id) in places(lib, f) {
                pages
                    .entry(page)
                    .or_default()
                    .entry(id)
                    .or_default()
                    .findings
                    .push(f);
            }
        }
        for (page, id, date) in &res.changed {
            pages
                .entry(page.clone())
                .or_default()
                .entry(id.clone())
                .or_default()
                .changed = Some(date);
        }
        for a in &res.aliases {
            // An old id whose new place is on another page stays at the start of the
            // clause of its clause page, forwarding.
            let (host, to) = match &a.to {
                None => (a.new.clone(), None),
                Some(to) => {
                    let stem = a.page.rsplit('/').next().unwrap_or(&a.page);
                    let stem = stem.strip_suffix(".html").unwrap_or(stem);
                    (stem.to_string(), Some((to.as_str(), a.new.as_str())))
                }
            };
            pages
                .entry(a.page.clone())
                .or_default()
                .entry(host)
                .or_default()
                .aliases
                .push((&a.old, to));
        }
        Annotations { pages }
    }

    /// The marks of the page at `path`, worded in its language `lang`; `None` where the
    /// page has none.
    pub(super) fn page(&self, path: &str, lang: &str) -> Option<PageMarks<'_>> {
        Some(PageMarks {
            notes: self.pages.get(path)?,
            lang: if is_zh(lang) { "zh" } else { "en" },
            path: path.to_string(),
        })
    }
}

/// The marks of one page.
pub(super) struct PageMarks<'n> {
    notes: &'n HashMap<String, Note<'n>>,
    /// The language of the page's strings (`zh` or `en`).
    lang: &'static str,
    /// The page's path from the site root.
    path: String,
}

impl PageMarks<'_> {
    /// Whether an old id of the page forwards to another page (the page then needs the
    /// script that follows it, [`FORWARD_SCRIPT`](super::clause::FORWARD_SCRIPT)).
    pub(super) fn forwards(&self) -> bool {
        self.notes
            .values()
            .any(|n| n.aliases.iter().any(|(_, to)| to.is_some()))
    }

    /// The marks of the element with `id`, if any.
    fn get(&self, id: &str) -> Option<Marks> {
        let n = self.notes.get(id)?;
        let lang = self.lang;
        Some(Marks {
            // The later alias first, as the registry has always put them.
            aliases: n
                .aliases
                .iter()
                .rev()
                .map(|(old, to)| match to {
                    None => AliasMark {
                        id: old.to_string(),
                        of: id.to_string(),
                        moved_to: None,
                    },
                    Some((page, new)) => AliasMark {
                        id: old.to_string(),
                        of: new.to_string(),
                        moved_to: Some(format!("{}#{new}", super::paths::rel(&self.path, page))),
                    },
                })
                .collect(),
            changed: n.changed.map(|date| ChangedMark {
                since: date.to_string(),
                note: fill(lang, "text_changed", &[("date", date)]),
            }),
            flags: n
                .findings
                .iter()
                .map(|f| FlagMark {
                    kind: f.kind.name(),
                    note: fill(
                        lang,
                        "flag_note",
                        &[
                            ("kind", get(lang, &format!("finding_{}", f.kind.name()))),
                            ("message", &f.message),
                            ("file", &f.file),
                            ("line", &f.line.to_string()),
                        ],
                    ),
                    // The findings' messages are English.
                    lang: (lang == "zh").then_some("en"),
                })
                .collect(),
        })
    }

    /// Sets the `marks` of every block and sentence of a tree of a document or clause
    /// page, each by the id its element has.
    pub(super) fn blocks(&self, blocks: &mut [BlockView]) {
        for b in blocks {
            if !b.id.is_empty() {
                b.marks = self.get(&b.id);
            }
            for s in &mut b.sentences {
                s.marks = self.get(&s.id);
            }
            self.blocks(&mut b.children);
        }
    }

    /// Sets the `marks` of the rows, cell blocks and sentences of the side-by-side page:
    /// a row's by its id, a block's by its own element id (`anchor`), a sentence's by its
    /// element id.
    pub(super) fn rows(&self, rows: &mut [ParallelRow]) {
        for r in rows {
            r.marks = r.id.as_deref().and_then(|id| self.get(id));
            for pb in r.cells.iter_mut().flatten() {
                pb.block.marks = pb.anchor.as_deref().and_then(|id| self.get(id));
                for s in &mut pb.block.sentences {
                    s.marks = self.get(&s.id);
                }
            }
        }
    }
}

// ───────────────────────────── the registry ─────────────────────────────

/// The ids a tree of blocks puts on a document or clause page: every block's and every
/// sentence's (`c8-1.3`).
fn tree_ids(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    for b in blocks.iter().flat_map(Block::walk) {
        out.push(b.id.clone());
        out.extend((1..=b.sentences.len()).map(|n| format!("{}.{n}", b.id)));
    }
    out
}

/// Every id that names text on the pages of `doc` (its version pages, side-by-side page
/// and clause pages), with the hash of that text: page ─► id ─► hash.
fn document_registry(doc: &Document) -> Registry {
    let hashes = DocHashes::new(doc);
    let mut out = Registry::new();
    let mut put = |page: String, ids: &mut dyn Iterator<Item = &str>| {
        let entries = hashes.entries(&page, ids);
        if !entries.is_empty() {
            out.entry(page).or_insert(entries);
        }
    };
    for (i, v) in doc.versions.iter().enumerate() {
        let ids = tree_ids(&v.blocks);
        put(version_page(doc, i), &mut ids.iter().map(String::as_str));
    }
    if has_parallel(doc) {
        let ids = rows::element_ids(doc);
        put(parallel_page(doc), &mut ids.iter().map(String::as_str));
    }
    for (i, v) in doc.versions.iter().enumerate() {
        for b in walk_blocks(&v.blocks) {
            if b.kind == BlockKind::Clause {
                let ids = tree_ids(std::slice::from_ref(b));
                put(
                    clause_page_path(doc, i, &b.id),
                    &mut ids.iter().map(String::as_str),
                );
            }
        }
    }
    out
}

/// The anchor registry of the site: every id of every page of every document that names
/// text, with the hash of that text, as the pages will carry them (the ids the default
/// templates put on the elements of the units of each page's data).
pub fn registry(lib: &Library) -> Registry {
    use rayon::prelude::*;
    lib.documents
        .par_iter()
        .map(document_registry)
        .reduce(Registry::new, |mut a, b| {
            for (page, ids) in b {
                a.entry(page).or_insert(ids);
            }
            a
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchors::Alias;
    use crate::integrity::FindingKind;
    use crate::render::{MarkdownPages, OutputFile, Renderer};
    use std::path::Path;

    /// The pages of the seeds rendered with `findings` and the registry's `res`.
    fn render(lib: &Library, findings: &[Finding], res: &Resolution) -> HashMap<String, String> {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let files = std::sync::Mutex::new(Vec::<OutputFile>::new());
        let renderer = Renderer::new(lib, &seeds, MarkdownPages::load(&seeds).unwrap()).unwrap();
        let marks = Annotations::new(lib, findings, res);
        renderer
            .render_to(lib, &seeds, &marks, &|b| files.lock().unwrap().extend(b))
            .unwrap();
        files
            .into_inner()
            .unwrap()
            .into_iter()
            .filter(|f| f.path.ends_with(".html"))
            .map(|f| (f.path, String::from_utf8(f.bytes).unwrap()))
            .collect()
    }

    fn finding(doc: &Document, anchor: &str) -> Finding {
        let o = doc.original();
        Finding {
            kind: FindingKind::Repeat,
            slug: doc.slug.clone(),
            file: o.source.clone(),
            lang: o.lang.clone(),
            anchor: anchor.to_string(),
            line: 7,
            message: "a <test> finding".into(),
            evidence: String::new(),
            related: None,
        }
    }

    #[test]
    fn marks_go_after_start_tags_before_lists_and_into_the_first_cell_of_a_row() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let lib = crate::build::load(&seeds).unwrap().library;
        let doc = lib
            .documents
            .iter()
            .find(|d| d.versions.len() > 1)
            .expect("a document with a translation");
        let blocks = walk_blocks(&doc.original().blocks);
        let para = blocks
            .iter()
            .find(|b| b.kind == BlockKind::Paragraph && !b.sentences.is_empty())
            .unwrap();
        let list = blocks.iter().find(|b| b.kind == BlockKind::List);
        let clause = blocks.iter().find(|b| b.kind == BlockKind::Clause).unwrap();
        let sentence = format!("{}.1", para.id);
        let index = format!("{}/index.html", doc.slug);
        let mut findings = vec![finding(doc, &para.id), finding(doc, &sentence)];
        findings.extend(list.map(|l| finding(doc, &l.id)));
        let res = Resolution {
            aliases: ["old1", "old2"]
                .iter()
                .map(|old| Alias {
                    page: index.clone(),
                    old: old.to_string(),
                    new: para.id.clone(),
                    to: None,
                })
                .collect(),
            changed: vec![
                (index.clone(), para.id.clone(), "2020-01-02".into()),
                (
                    format!("{}/parallel.html", doc.slug),
                    clause.id.clone(),
                    "2020-01-03".into(),
                ),
            ],
            ..Resolution::default()
        };
        let pages = render(&lib, &findings, &res);
        let html = &pages[&index];
        let zh = is_zh(&doc.original().lang);
        let flag = if zh {
            "<button type=\"button\" class=\"integrity-flag\" data-kind=\"repeat\" aria-label=\"重复的文字: a &lt;test&gt; finding ("
        } else {
            "<button type=\"button\" class=\"integrity-flag\" data-kind=\"repeat\" aria-label=\"Repeated text: a &lt;test&gt; finding ("
        };
        // After the paragraph's start tag: the aliases (the later first), the note, the
        // marker.
        let start = format!("<p id=\"{}\" class=\"paragraph\">", para.id);
        let at = html.find(&start).unwrap() + start.len();
        let expect = format!(
            "<span id=\"old2\" class=\"anchor-alias\" data-alias-of=\"{0}\"></span><span id=\"old1\" class=\"anchor-alias\" data-alias-of=\"{0}\"></span><span class=\"text-changed\" role=\"note\"",
            para.id
        );
        assert!(html[at..].starts_with(&expect), "{}", &html[at..at + 400]);
        assert!(html[at..].contains(flag));
        assert_eq!(html.matches("class=\"text-changed\"").count(), 1);
        // After the sentence's start tag.
        let start = format!("<span id=\"{sentence}\" class=\"s\">");
        let at = html.find(&start).unwrap() + start.len();
        assert!(html[at..].starts_with(flag), "{}", &html[at..at + 200]);
        // Before a list.
        if let Some(l) = list {
            let at = html.find(&format!("<ul id=\"{}\"", l.id)).unwrap();
            assert!(
                html[..at].ends_with("></button>"),
                "no marker before the list"
            );
        }
        // On the side-by-side page, inside the first element of the row's first cell,
        // worded in the page's language.
        let par = &pages[&format!("{}/parallel.html", doc.slug)];
        let row = par
            .find(&format!("<div id=\"{}\" class=\"prow", clause.id))
            .unwrap();
        let cell = row + par[row..].find("<div class=\"pcell pcol-0\"").unwrap();
        let first = cell + par[cell..].find('>').unwrap() + 1;
        let inner = first + par[first..].find('>').unwrap() + 1;
        assert!(
            par[first..].starts_with("<p "),
            "{}",
            &par[first..first + 100]
        );
        let note = if zh {
            "此处文字自 2020-01-03 起有改动"
        } else {
            "Text changed since 2020-01-03"
        };
        assert!(
            par[inner..].starts_with(&format!(
                "<span class=\"text-changed\" role=\"note\" aria-label=\"{note}\""
            )),
            "{}",
            &par[inner..inner + 200]
        );
        // The other pages have no marks.
        assert!(!pages[&format!("{}/{}.html", doc.slug, clause.id)].contains("text-changed"));
    }
}
