//! The data the templates receive: the model, prepared for display (links relative to the
//! page, bold runs cut out of the text, supplied headings with their notes, the table of
//! contents). Field names here are part of the templates' API.

use super::ui;
use crate::base::text::label_lang;
use crate::model::{Block, BlockKind, Document, Library, TitleSource, Version};
use serde::Serialize;

/// What every page knows about itself.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// The page's path from the site root, e.g. `guideline/en.html`.
    pub path: String,
    /// The way back to the site root: `""` or `"../"`.
    pub root: String,
    /// The page's language (the `lang` of `<html>`).
    pub lang: String,
    /// The `<title>`.
    pub title: String,
    /// `<meta name="description">`.
    pub description: Option<String>,
    /// The absolute URL of the page, only when `site.url` is set.
    pub canonical: Option<String>,
    /// The URL path the site lives under (`/repo/`), for the 404 page, when `site.url` is set.
    pub base_path: Option<String>,
    /// The language of the site title, when it differs from the page's.
    pub site_title_lang: Option<String>,
}

impl PageMeta {
    /// The page at `path` in `lang`.
    pub fn new(
        lib: &Library,
        path: &str,
        lang: &str,
        title: &str,
        description: Option<&str>,
    ) -> PageMeta {
        let depth = path.matches('/').count();
        let description = description
            .map(str::to_string)
            .or_else(|| lib.site.description.clone());
        let site_title_lang =
            Some(label_lang(&lib.site.title).to_string()).filter(|l| !same_lang(l, lang));
        PageMeta {
            path: path.to_string(),
            root: "../".repeat(depth),
            lang: lang.to_string(),
            title: super::bidi::closed_title(title),
            description,
            canonical: lib
                .site
                .url
                .as_deref()
                .map(|u| format!("{}/{}", u.trim_end_matches('/'), path)),
            base_path: None,
            site_title_lang,
        }
    }
}

/// The path part of an absolute URL, ending in `/`: `https://u.github.io/repo` ─► `/repo/`.
pub fn url_path(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// A link to a Markdown page, for the site navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    /// The page's file, from the site root (`about.html`).
    pub file: String,
    /// Its title.
    pub title: String,
    /// Its language.
    pub lang: String,
}

/// Whether two language tags name the same language for the `lang` attribute's purpose.
fn same_lang(a: &str, b: &str) -> bool {
    let base = |s: &str| s.split('-').next().unwrap_or(s).to_ascii_lowercase();
    base(a) == base(b)
}

/// The `lang` to set on an element in `lang` inside a page in `page_lang`, if any.
pub(super) fn lang_if_other(lang: &str, page_lang: &str) -> Option<String> {
    (!same_lang(lang, page_lang)).then(|| lang.to_string())
}

/// The site's main language: the most common original language (ties: the earliest).
pub fn site_lang(lib: &Library) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for d in &lib.documents {
        if d.versions.is_empty() {
            continue;
        }
        let l = &d.original().lang;
        match counts.iter_mut().find(|(k, _)| k == l) {
            Some((_, n)) => *n += 1,
            None => counts.push((l.clone(), 1)),
        }
    }
    let mut best: Option<(String, usize)> = None;
    for (l, n) in counts {
        if best.as_ref().is_none_or(|(_, b)| n > *b) {
            best = Some((l, n));
        }
    }
    best.map(|(l, _)| l).unwrap_or_else(|| "en".into())
}

pub(super) fn original_index(doc: &Document) -> usize {
    doc.versions.iter().position(|v| v.original).unwrap_or(0)
}

pub(super) fn file_of(doc: &Document, i: usize) -> String {
    if i == original_index(doc) {
        "index.html".into()
    } else {
        format!("{}.html", doc.versions[i].lang)
    }
}

// ───────────────────────────── library page ─────────────────────────────

/// The library page's data.
#[derive(Debug, Clone, Serialize)]
pub struct LibraryView {
    /// Documents grouped by kind: guideline, implementation, news, then the others.
    pub groups: Vec<Group>,
}

/// The documents of one kind.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The kind, as in the manifest (`guideline`).
    pub kind: String,
    /// Its display name in the page's language.
    pub label: String,
    /// The documents, in manifest order.
    pub docs: Vec<DocEntry>,
}

/// One document on the library page.
#[derive(Debug, Clone, Serialize)]
pub struct DocEntry {
    /// The slug.
    pub slug: String,
    /// The kind.
    pub kind: String,
    /// The link to the original version.
    pub href: String,
    /// The original version's title.
    pub title: String,
    /// Its language, when it differs from the page's.
    pub title_lang: Option<String>,
    /// The date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Every language version.
    pub versions: Vec<VersionLink>,
    /// Relations, outgoing then incoming.
    pub relations: Vec<RelationView>,
    /// Link to the side-by-side page, if the document has one.
    pub parallel: Option<String>,
}

/// A link to one language version.
#[derive(Debug, Clone, Serialize)]
pub struct VersionLink {
    /// The version's language tag.
    pub lang: String,
    /// The language's name in that language (`中文`, `English`).
    pub name: String,
    /// The language's name in the page's language.
    pub name_in_page: String,
    /// The version's title.
    pub title: String,
    /// Link from the current page.
    pub href: String,
    /// Whether it is the original.
    pub original: bool,
    /// Whether it is the page being shown.
    pub current: bool,
}

/// A relation, from the point of view of the document it is shown on.
#[derive(Debug, Clone, Serialize)]
pub struct RelationView {
    /// The relation kind (`implements`).
    pub kind: String,
    /// Whether the relation points at this document from the other one.
    pub inverse: bool,
    /// Its phrase in the page's language: `implements`, `implemented by`.
    pub label: String,
    /// The other document's slug.
    pub slug: String,
    /// Link to the other document, from the current page; `None` if it is not in the library.
    pub href: Option<String>,
    /// The other document's title (its slug if it is not in the library).
    pub title: String,
    /// The title's language, when it differs from the page's.
    pub title_lang: Option<String>,
}

fn kind_order(kind: &str) -> usize {
    match kind {
        "guideline" => 0,
        "implementation" => 1,
        "news" => 2,
        _ => 3,
    }
}

/// The display name of a document kind.
pub(super) fn kind_label(kind: &str, lang: &str) -> String {
    let strings = ui::strings(lang);
    match strings.get(format!("kind_{kind}").as_str()) {
        Some(s) => s.to_string(),
        None => kind.to_string(),
    }
}

/// The relations of `doc`, outgoing then incoming, with links from a page at `root`.
pub fn relations(lib: &Library, doc: &Document, root: &str, lang: &str) -> Vec<RelationView> {
    let strings = ui::strings(lang);
    let label = |kind: &str, inverse: bool| {
        let key = if inverse {
            format!("rel_{kind}_inv")
        } else {
            format!("rel_{kind}")
        };
        match strings.get(key.as_str()) {
            Some(s) => s.to_string(),
            None if inverse => format!("← {kind}"),
            None => kind.to_string(),
        }
    };
    let view = |kind: &str, inverse: bool, slug: &str| {
        let target = lib.documents.iter().find(|d| d.slug == slug);
        let (href, title, title_lang) = match target.filter(|d| !d.versions.is_empty()) {
            Some(d) => {
                let v = d.original();
                (
                    Some(format!("{root}{}/index.html", d.slug)),
                    v.title.clone(),
                    lang_if_other(&v.lang, lang),
                )
            }
            None => (None, slug.to_string(), None),
        };
        RelationView {
            kind: kind.to_string(),
            inverse,
            label: label(kind, inverse),
            slug: slug.to_string(),
            href,
            title,
            title_lang,
        }
    };
    let mut out: Vec<RelationView> = doc
        .relations
        .iter()
        .map(|r| view(&r.kind, false, &r.target))
        .collect();
    for other in &lib.documents {
        if other.slug == doc.slug {
            continue;
        }
        for r in &other.relations {
            if r.target == doc.slug {
                out.push(view(&r.kind, true, &other.slug));
            }
        }
    }
    out
}

/// Links to every version of `doc`, from a page at `root` (or, with `root = None`, from a
/// page in the document's own folder); `current` is the version shown, if any.
fn version_links(
    doc: &Document,
    root: Option<&str>,
    current: Option<usize>,
    lang: &str,
) -> Vec<VersionLink> {
    let mut idx: Vec<usize> = (0..doc.versions.len()).collect();
    // The original first.
    let orig = original_index(doc);
    idx.sort_by_key(|i| *i != orig);
    idx.into_iter()
        .map(|i| {
            let v = &doc.versions[i];
            let file = file_of(doc, i);
            VersionLink {
                lang: v.lang.clone(),
                name: ui::autonym(&v.lang),
                name_in_page: ui::lang_name(&v.lang, lang),
                title: v.title.clone(),
                href: match root {
                    Some(r) => format!("{r}{}/{file}", doc.slug),
                    None => file,
                },
                original: i == orig,
                current: Some(i) == current,
            }
        })
        .collect()
}

/// The library page's data, for a page in `lang` at the site root.
pub fn library(lib: &Library, lang: &str) -> LibraryView {
    let mut kinds: Vec<&str> = Vec::new();
    for d in &lib.documents {
        if !kinds.contains(&d.kind.as_str()) {
            kinds.push(&d.kind);
        }
    }
    // Stable: known kinds in their order, the others in order of first appearance.
    kinds.sort_by_key(|k| kind_order(k));
    let groups = kinds
        .into_iter()
        .map(|k| Group {
            kind: k.to_string(),
            label: kind_label(k, lang),
            docs: lib
                .documents
                .iter()
                .filter(|d| d.kind == k && !d.versions.is_empty())
                .map(|d| {
                    let v = d.original();
                    DocEntry {
                        slug: d.slug.clone(),
                        kind: d.kind.clone(),
                        href: format!("{}/index.html", d.slug),
                        title: v.title.clone(),
                        title_lang: lang_if_other(&v.lang, lang),
                        date: d.date.clone(),
                        versions: version_links(d, Some(""), None, lang),
                        relations: relations(lib, d, "", lang),
                        parallel: has_parallel(d).then(|| format!("{}/parallel.html", d.slug)),
                    }
                })
                .collect(),
        })
        .filter(|g: &Group| !g.docs.is_empty())
        .collect();
    LibraryView { groups }
}

// ───────────────────────────── document pages ─────────────────────────────

/// A document page's data.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    /// The page's path from the site root.
    pub path: String,
    /// The document.
    pub doc: DocInfo,
    /// The version shown.
    pub version: VersionInfo,
    /// Every version, the current one marked; `href`s are file names in the same folder.
    pub alternates: Vec<VersionLink>,
    /// Relations, outgoing then incoming.
    pub relations: Vec<RelationView>,
    /// The side-by-side page, `parallel.html`, if the document has one.
    pub parallel: Option<String>,
    /// The table of contents.
    pub toc: Vec<TocEntry>,
    /// The document tree, prepared for display.
    pub blocks: Vec<BlockView>,
}

/// The document, as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DocInfo {
    /// The slug.
    pub slug: String,
    /// The kind.
    pub kind: String,
    /// The kind's display name.
    pub kind_label: String,
    /// The date.
    pub date: Option<String>,
}

/// The version shown on a page.
#[derive(Debug, Clone, Serialize)]
pub struct VersionInfo {
    /// Language tag.
    pub lang: String,
    /// Language name in the page's language.
    pub lang_name: String,
    /// Whether it is the original.
    pub original: bool,
    /// The seed file.
    pub source: String,
    /// The display title.
    pub title: String,
    /// Where the title comes from: `seed`, `manifest`, `file`.
    pub title_from: TitleSource,
    /// Whether the tree starts with a `title` block (which then is the page's `<h1>`).
    pub has_title_block: bool,
}

/// One line of the table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// The anchor.
    pub id: String,
    /// The block kind.
    pub kind: String,
    /// The number as printed (or supplied, see `supplied`).
    pub label: Option<String>,
    /// The heading.
    pub title: Option<String>,
    /// Whether label and title were supplied by the build.
    pub supplied: bool,
    /// The language of the title, when it differs from the page's.
    pub title_lang: Option<String>,
    /// Clauses of a part.
    pub children: Vec<TocEntry>,
}

/// A run of text, bold or not, linked or not.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Run {
    /// The text.
    pub text: String,
    /// Whether it is bold.
    pub strong: bool,
    /// A link for the run (a cited document), relative to a page one folder deep.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// One sentence of a block's text, with its anchor (`c8-1.3`).
#[derive(Debug, Clone, Serialize)]
pub struct SentenceView {
    /// The `id` of its element: the sentence anchor, or on the side-by-side page, for a
    /// translation, the anchor prefixed with the language (`en-c8-1.3`).
    pub id: String,
    /// The sentence anchor, the same in every version.
    pub sid: String,
    /// Its text, cut into runs like the block's.
    pub runs: Vec<Run>,
    /// On the side-by-side page: the element ids of the sentences it is aligned with,
    /// space-separated.
    pub partners: Option<String>,
    /// What the anchor registry and the integrity findings add to the sentence's element
    /// (see [`super::marks`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marks: Option<super::marks::Marks>,
}

/// A heading the build supplied.
#[derive(Debug, Clone, Serialize)]
pub struct SuppliedView {
    /// The supplied heading.
    pub text: String,
    /// Its language.
    pub lang: String,
    /// Where it comes from (a seed file).
    pub from: String,
    /// A generated label for the unit's number (`四、`), when the source has none.
    pub label: Option<String>,
    /// The visible note, in the page's language.
    pub note: String,
}

/// One block, prepared for display.
#[derive(Debug, Clone, Serialize)]
pub struct BlockView {
    /// The anchor; empty for `items`, a wrapper the renderer adds around a run of items
    /// outside a list.
    pub id: String,
    /// The block kind (`part`, `clause`, …, or `items`).
    pub kind: String,
    /// The number.
    pub number: Option<u32>,
    /// The number as printed.
    pub label: Option<String>,
    /// The heading as printed.
    pub title: Option<String>,
    /// The running text.
    pub text: Option<String>,
    /// The running text cut into bold and plain runs.
    pub runs: Vec<Run>,
    /// The running text cut into sentences, each cut into runs; empty for blocks without
    /// sentence anchors.
    pub sentences: Vec<SentenceView>,
    /// On the side-by-side page: whether the block's sentences could not be paired with
    /// confidence, so that the block is paired as a whole.
    pub whole: bool,
    /// A heading the build supplied.
    pub supplied: Option<SuppliedView>,
    /// The heading level to use (`2` ─► `<h2>`).
    pub level: u8,
    /// Nested blocks.
    pub children: Vec<BlockView>,
    /// Clauses of other documents this clause implements or is implemented by.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<super::links::LinkGroup>,
    /// The clause's "Cite" menu.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<super::links::CiteView>,
    /// What the anchor registry and the integrity findings add to the block's element
    /// (see [`super::marks`]): aliases, a "text changed" note, finding markers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marks: Option<super::marks::Marks>,
}

/// The name of a block kind, as the contract spells it.
pub fn kind_name(k: BlockKind) -> &'static str {
    match k {
        BlockKind::Title => "title",
        BlockKind::Preamble => "preamble",
        BlockKind::Part => "part",
        BlockKind::Clause => "clause",
        BlockKind::Paragraph => "paragraph",
        BlockKind::Heading => "heading",
        BlockKind::List => "list",
        BlockKind::Item => "item",
        BlockKind::Aside => "aside",
        BlockKind::Closing => "closing",
        BlockKind::Dateline => "dateline",
        BlockKind::Source => "source",
        BlockKind::Byline => "byline",
        BlockKind::Article => "article",
    }
}

/// `text` cut into runs by the bold byte ranges `strong`. Ranges that are out of bounds,
/// not on character boundaries, or overlap an earlier one are ignored.
pub fn runs(text: &str, strong: &[(usize, usize)]) -> Vec<Run> {
    let mut ranges: Vec<(usize, usize)> = strong
        .iter()
        .copied()
        .filter(|&(s, e)| {
            s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
        })
        .collect();
    ranges.sort();
    let mut out = Vec::new();
    let mut pos = 0;
    for (s, e) in ranges {
        if s < pos {
            continue;
        }
        if s > pos {
            out.push(Run {
                text: text[pos..s].to_string(),
                strong: false,
                href: None,
            });
        }
        out.push(Run {
            text: text[s..e].to_string(),
            strong: true,
            href: None,
        });
        pos = e;
    }
    if pos < text.len() || out.is_empty() {
        out.push(Run {
            text: text[pos..].to_string(),
            strong: false,
            href: None,
        });
    }
    out
}

/// The runs of a text split at the sentence boundaries `sentences` (byte ranges), one
/// list of runs per sentence of block `id`.
pub fn sentence_views(id: &str, all: &[Run], sentences: &[(usize, usize)]) -> Vec<SentenceView> {
    let mut out = Vec::new();
    let mut pos = 0; // byte offset of the start of `all[k]`
    let mut k = 0;
    let mut within = 0; // bytes of `all[k]` already used
    for (n, &(_, e)) in sentences.iter().enumerate() {
        let mut runs = Vec::new();
        while k < all.len() && pos + within < e {
            let r = &all[k];
            let take_to = (e - pos).min(r.text.len());
            if r.text.is_char_boundary(within) && r.text.is_char_boundary(take_to) {
                // Not `..r.clone()`: that copies the whole run for every sentence of it.
                runs.push(Run {
                    text: r.text[within..take_to].to_string(),
                    strong: r.strong,
                    href: r.href.clone(),
                });
            }
            if take_to == r.text.len() {
                pos += r.text.len();
                k += 1;
                within = 0;
            } else {
                within = take_to;
            }
        }
        out.push(SentenceView {
            id: format!("{id}.{}", n + 1),
            sid: format!("{id}.{}", n + 1),
            runs,
            partners: None,
            marks: None,
        });
    }
    out
}

fn supplied_view(b: &Block, page_lang: &str) -> Option<SuppliedView> {
    let s = b.supplied_title.as_ref()?;
    let label = match (b.label.is_none(), b.number, b.kind) {
        (true, Some(n), BlockKind::Part) => Some(ui::supplied_part_label(n, page_lang)),
        _ => None,
    };
    let from_name = ui::lang_name(&s.lang, page_lang);
    let note = if ui::is_zh(page_lang) {
        format!("原文缺此标题，据{from_name}译本补（{}）", s.from)
    } else {
        format!(
            "heading missing from the source text; supplied from the {from_name} translation ({})",
            s.from
        )
    };
    Some(SuppliedView {
        text: s.text.clone(),
        lang: s.lang.clone(),
        from: s.from.clone(),
        label,
        note,
    })
}

pub(super) fn block_view(b: &Block, level: u8, page_lang: &str) -> BlockView {
    let child_level = match b.kind {
        BlockKind::Part | BlockKind::Article | BlockKind::Clause => (level + 1).min(6),
        _ => level,
    };
    let children = children_view(
        &b.children,
        child_level,
        page_lang,
        b.kind == BlockKind::List,
    );
    let runs = b
        .text
        .as_deref()
        .map(|t| super::links::cited_runs(runs(t, &b.strong), &b.citations))
        .unwrap_or_default();
    BlockView {
        id: b.id.clone(),
        kind: kind_name(b.kind).to_string(),
        number: b.number,
        label: b.label.clone(),
        title: b.title.clone(),
        text: b.text.clone(),
        sentences: sentence_views(&b.id, &runs, &b.sentences),
        whole: false,
        runs,
        supplied: supplied_view(b, page_lang),
        level: if b.kind == BlockKind::Title { 1 } else { level },
        children,
        links: Vec::new(),
        cite: None,
        marks: None,
    }
}

/// The children of a block; outside a list, consecutive items are wrapped in an `items`
/// block so that they can form a `<ul>`.
pub(super) fn children_view(
    blocks: &[Block],
    level: u8,
    page_lang: &str,
    in_list: bool,
) -> Vec<BlockView> {
    let mut out: Vec<BlockView> = Vec::new();
    for b in blocks {
        let v = block_view(b, level, page_lang);
        if b.kind == BlockKind::Item && !in_list {
            if let Some(last) = out.last_mut().filter(|l| l.kind == "items") {
                last.children.push(v);
                continue;
            }
            out.push(BlockView {
                id: String::new(),
                kind: "items".into(),
                number: None,
                label: None,
                title: None,
                text: None,
                runs: Vec::new(),
                sentences: Vec::new(),
                whole: false,
                supplied: None,
                level,
                children: vec![v],
                links: Vec::new(),
                cite: None,
                marks: None,
            });
        } else {
            out.push(v);
        }
    }
    out
}

fn toc_entries(blocks: &[Block], page_lang: &str) -> Vec<TocEntry> {
    let mut out = Vec::new();
    for b in blocks {
        match b.kind {
            BlockKind::Part | BlockKind::Clause | BlockKind::Heading | BlockKind::Article => {
                let sup = supplied_view(b, page_lang);
                let (label, title, supplied, title_lang) = match (&b.title, &sup) {
                    (None, Some(s)) => (
                        b.label.clone().or(s.label.clone()),
                        Some(s.text.clone()),
                        true,
                        lang_if_other(&s.lang, page_lang),
                    ),
                    _ => (
                        b.label.clone(),
                        b.title.clone().or_else(|| b.text.clone()),
                        false,
                        None,
                    ),
                };
                let children = if b.kind == BlockKind::Part {
                    toc_entries(&b.children, page_lang)
                } else {
                    Vec::new()
                };
                out.push(TocEntry {
                    id: b.id.clone(),
                    kind: kind_name(b.kind).to_string(),
                    label,
                    title,
                    supplied,
                    title_lang,
                    children,
                });
            }
            BlockKind::Aside | BlockKind::Closing | BlockKind::Preamble => {}
            _ => {}
        }
    }
    out
}

/// The data of the page of `doc.versions[i]`.
pub fn document(
    lib: &Library,
    look: &super::lookup::Lookup,
    doc: &Document,
    i: usize,
) -> DocumentView {
    let v = &doc.versions[i];
    let lang = v.lang.as_str();
    let path = format!("{}/{}", doc.slug, file_of(doc, i));
    let has_title_block = v.blocks.first().is_some_and(|b| b.kind == BlockKind::Title);
    DocumentView {
        path,
        doc: DocInfo {
            slug: doc.slug.clone(),
            kind: doc.kind.clone(),
            kind_label: kind_label(&doc.kind, lang),
            date: doc.date.clone(),
        },
        version: VersionInfo {
            lang: v.lang.clone(),
            lang_name: ui::lang_name(&v.lang, lang),
            original: i == original_index(doc),
            source: v.source.clone(),
            title: v.title.clone(),
            title_from: v.title_from,
            has_title_block,
        },
        alternates: version_links(doc, None, Some(i), lang),
        relations: relations(lib, doc, "../", lang),
        parallel: has_parallel(doc).then(|| "parallel.html".to_string()),
        toc: toc_entries(&v.blocks, lang),
        blocks: {
            let mut blocks = children_view(&v.blocks, 2, lang, false);
            super::links::decorate(lib, look, doc, i, &mut blocks);
            blocks
        },
    }
}

/// A short description of a version for `<meta name="description">`: the start of its
/// first paragraph.
pub fn description(v: &Version) -> Option<String> {
    let first = crate::model::walk_blocks(&v.blocks)
        .into_iter()
        .find(|b| b.kind == BlockKind::Paragraph && b.text.is_some())?;
    let text = first.text.as_deref()?.trim();
    let limit = if ui::is_zh(&v.lang) { 80 } else { 160 };
    let mut out: String = text.chars().take(limit).collect();
    if text.chars().count() > limit {
        out.push('…');
    }
    Some(out)
}

// ───────────────────────────── parallel page ─────────────────────────────

/// Whether `doc` gets a side-by-side page: it has more than one version.
pub fn has_parallel(doc: &Document) -> bool {
    doc.versions.len() > 1
}

/// The versions of `doc` as columns of the side-by-side page, original first.
pub fn parallel_columns(doc: &Document, lang: &str) -> Vec<VersionLink> {
    version_links(doc, None, None, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cut_bold_ranges() {
        let t = "(一)标题。正文";
        let end = "(一)标题。".len();
        assert_eq!(
            runs(t, &[(0, end)]),
            vec![
                Run {
                    text: "(一)标题。".into(),
                    strong: true,
                    href: None,
                },
                Run {
                    text: "正文".into(),
                    strong: false,
                    href: None,
                }
            ]
        );
        // A range inside a character is ignored rather than panicking.
        assert_eq!(runs(t, &[(2, 3)]).len(), 1);
        assert_eq!(runs("", &[]).len(), 1);
    }

    #[test]
    fn url_paths() {
        assert_eq!(url_path("https://u.github.io/repo"), "/repo/");
        assert_eq!(url_path("https://u.github.io/repo/"), "/repo/");
        assert_eq!(url_path("https://example.org"), "/");
    }
}
