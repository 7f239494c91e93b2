//! The data the templates receive: the model, prepared for display (links relative to the
//! page, bold runs cut out of the text, supplied headings with their notes, the table of
//! contents), shared by the page modules: what every page knows about itself
//! ([`PageMeta`]), links to versions and related documents, and the views of blocks,
//! sentences and runs with what is added to them (linked clauses, the "Cite" menu, the
//! marks of the anchor registry and the findings). Field names here are part of the
//! templates' API.

use super::cite::{CiteView, cite_view};
use super::clause_links::{LinkGroup, link_groups};
use super::lookup::Lookup;
use super::paths::{file_of, original_index};
use super::strings::{self, fill, is_zh, kind_label, lang_if_other, same_lang};
use crate::base::text::label_lang;
use crate::model::{Block, BlockKind, Citation, Document, Library, Version};
use serde::Serialize;

/// What every page knows about itself.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageMeta {
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
    pub(crate) fn new(
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
pub(crate) fn url_path(url: &str) -> String {
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
pub(crate) struct NavLink {
    /// The page's file, from the site root (`about.html`).
    pub file: String,
    /// Its title.
    pub title: String,
    /// Its language.
    pub lang: String,
}

/// The site's main language: the most common original language (ties: the earliest).
pub(crate) fn site_lang(lib: &Library) -> String {
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

/// A link to one language version.
#[derive(Debug, Clone, Serialize)]
pub(super) struct VersionLink {
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
pub(super) struct RelationView {
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

/// The relations of `doc`, outgoing then incoming, with links from a page at `root`.
pub(crate) fn relations(
    lib: &Library,
    doc: &Document,
    root: &str,
    lang: &str,
) -> Vec<RelationView> {
    let strings = strings::strings(lang);
    let label = |kind: &str, inverse: bool| {
        let key = if inverse {
            format!("rel_{kind}_inv")
        } else {
            format!("rel_{kind}")
        };
        match strings.get(key.as_str()) {
            Some(s) => s.to_string(),
            None if inverse => fill(lang, "rel_other_inv", &[("kind", kind)]),
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
pub(crate) fn version_links(
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
                name: strings::autonym(&v.lang),
                name_in_page: strings::lang_name(&v.lang, lang),
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

/// The document, as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct DocInfo {
    /// The slug.
    pub slug: String,
    /// The kind.
    pub kind: String,
    /// The kind's display name.
    pub kind_label: String,
    /// The date.
    pub date: Option<String>,
}

impl DocInfo {
    /// `doc` as a page in `lang` shows it.
    pub(crate) fn new(doc: &Document, lang: &str) -> DocInfo {
        DocInfo {
            slug: doc.slug.clone(),
            kind: doc.kind.clone(),
            kind_label: kind_label(&doc.kind, lang),
            date: doc.date.clone(),
        }
    }
}

/// A run of text, bold or not, linked or not.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(super) struct Run {
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
pub(super) struct SentenceView {
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
    /// (see [`Marks`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marks: Option<Marks>,
}

/// A heading the build supplied.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SuppliedView {
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
pub(super) struct BlockView {
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
    pub links: Vec<LinkGroup>,
    /// The clause's "Cite" menu.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<CiteView>,
    /// What the anchor registry and the integrity findings add to the block's element
    /// (see [`Marks`]): aliases, a "text changed" note, finding markers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marks: Option<Marks>,
}

/// The name of a block kind, as the contract spells it.
pub(crate) fn kind_name(k: BlockKind) -> &'static str {
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
pub(crate) fn runs(text: &str, strong: &[(usize, usize)]) -> Vec<Run> {
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
pub(crate) fn sentence_views(
    id: &str,
    all: &[Run],
    sentences: &[(usize, usize)],
) -> Vec<SentenceView> {
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

pub(crate) fn supplied_view(b: &Block, page_lang: &str) -> Option<SuppliedView> {
    let s = b.supplied_title.as_ref()?;
    let label = match (b.label.is_none(), b.number, b.kind) {
        (true, Some(n), BlockKind::Part) => Some(strings::supplied_part_label(n, page_lang)),
        _ => None,
    };
    let from_name = strings::lang_name(&s.lang, page_lang);
    let note = fill(
        page_lang,
        "supplied_note",
        &[("lang", &from_name), ("from", &s.from)],
    );
    Some(SuppliedView {
        text: s.text.clone(),
        lang: s.lang.clone(),
        from: s.from.clone(),
        label,
        note,
    })
}

pub(crate) fn block_view(b: &Block, level: u8, page_lang: &str) -> BlockView {
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
        .map(|t| cited_runs(runs(t, &b.strong), &b.citations))
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
pub(crate) fn children_view(
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

/// A short description of a version for `<meta name="description">`: the start of its
/// first paragraph.
pub(crate) fn description(v: &Version) -> Option<String> {
    let first = crate::model::walk_blocks(&v.blocks)
        .into_iter()
        .find(|b| b.kind == BlockKind::Paragraph && b.text.is_some())?;
    let text = first.text.as_deref()?.trim();
    let limit = if is_zh(&v.lang) { 80 } else { 160 };
    let mut out: String = text.chars().take(limit).collect();
    if text.chars().count() > limit {
        out.push('…');
    }
    Some(out)
}

/// The versions of `doc` as columns of the side-by-side page, original first.
pub(crate) fn parallel_columns(doc: &Document, lang: &str) -> Vec<VersionLink> {
    version_links(doc, None, None, lang)
}

// ───────────────────────────── marks ─────────────────────────────

/// What the anchor registry and the findings add to one unit of a page, as its view's
/// `marks`.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Marks {
    /// Old ids kept on the page as aliases of the unit's id, each an empty element with
    /// that id.
    pub aliases: Vec<AliasMark>,
    /// The note that the unit's text changed after its anchor was first published.
    pub changed: Option<ChangedMark>,
    /// One marker per integrity finding about the unit.
    pub flags: Vec<FlagMark>,
}

/// An old id that lands on the unit now.
#[derive(Debug, Clone, Serialize)]
pub(super) struct AliasMark {
    /// The old id.
    pub id: String,
    /// The unit's id on the page, which the old id stands for (on another page where
    /// `moved_to` is set).
    pub of: String,
    /// Where the new place is on another page: its link from this page
    /// (`c128.html#c128-1`), which the page's script follows when the old id is asked
    /// for.
    pub moved_to: Option<String>,
}

/// "Text changed since …".
#[derive(Debug, Clone, Serialize)]
pub(super) struct ChangedMark {
    /// The date the text changed, `YYYY-MM-DD`, from the anchor registry.
    pub since: String,
    /// The note, in the page's language.
    pub note: String,
}

/// A marker of an integrity finding.
#[derive(Debug, Clone, Serialize)]
pub(super) struct FlagMark {
    /// The finding's kind (`repair`, `pasted`, …).
    pub kind: &'static str,
    /// What the finding says, in the page's language, with the seed file and line.
    pub note: String,
    /// The language of the note where it differs from the page's (the findings'
    /// messages are English).
    pub lang: Option<&'static str>,
}

// ───────────────────────────── citations, linked clauses, the "Cite" menu ─────────────

/// `runs` (which cover a block's text in order) cut further at citation boundaries; the
/// runs inside a citation link to the cited document, from a page one folder deep.
pub(crate) fn cited_runs(runs: Vec<Run>, citations: &[Citation]) -> Vec<Run> {
    if citations.is_empty() {
        return runs;
    }
    let mut out = Vec::new();
    let mut off = 0;
    for r in runs {
        let (start, end) = (off, off + r.text.len());
        off = end;
        if r.text.is_empty() {
            out.push(r);
            continue;
        }
        let mut cuts = vec![start, end];
        for c in citations {
            for x in [c.start, c.end] {
                if x > start && x < end && r.text.is_char_boundary(x - start) {
                    cuts.push(x);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let href = citations
                .iter()
                .find(|c| c.start <= a && b <= c.end)
                .map(|c| format!("../{}/index.html", c.target));
            out.push(Run {
                text: r.text[a - start..b - start].to_string(),
                strong: r.strong,
                href,
            });
        }
    }
    out
}

/// Adds the linked clauses and the "Cite" menu to every clause of a tree of
/// `doc.versions[i]`.
pub(crate) fn decorate(
    lib: &Library,
    look: &Lookup,
    doc: &Document,
    i: usize,
    blocks: &mut [BlockView],
) {
    let v = &doc.versions[i];
    for bv in blocks {
        if bv.kind == "clause" {
            bv.links = link_groups(look, doc, &bv.id, &v.lang);
            if let Some(b) = look.block(v, &bv.id) {
                bv.cite = Some(cite_view(lib, doc, i, b));
            }
        }
        decorate(lib, look, doc, i, &mut bv.children);
    }
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

    #[test]
    fn citations_cut_runs_and_keep_bold() {
        let text = "贯彻《关于甲的意见》精神";
        let s = text.find('关').unwrap();
        let e = text.find('》').unwrap();
        let cut = cited_runs(
            runs(text, &[(0, s)]),
            &[Citation {
                start: s,
                end: e,
                target: "guideline".into(),
            }],
        );
        let got: Vec<(&str, bool, Option<&str>)> = cut
            .iter()
            .map(|r| (r.text.as_str(), r.strong, r.href.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("贯彻《", true, None),
                ("关于甲的意见", false, Some("../guideline/index.html")),
                ("》精神", false, None),
            ]
        );
    }
}
