//! The page of each language version of a document (`<slug>/index.html`,
//! `<slug>/en.html`): its table of contents, versions, relations and tree, with the
//! linked clauses, the "Cite" menus and the marks.

use super::error::RenderError;
use super::frame::Frame;
use super::lookup::Lookup;
use super::marks::Annotations;
use super::meta::document_jsonld;
use super::paths::{file_of, has_parallel, original_index};
use super::strings::{lang_if_other, lang_name};
use super::view::{
    BlockView, DocInfo, PageMeta, RelationView, VersionLink, children_view, decorate, description,
    kind_name, relations, supplied_view, version_links,
};
use crate::base::OutputFile;
use crate::model::{Block, BlockKind, Document, Library, TitleSource};
use serde::Serialize;

/// The page of each language version of `doc`.
pub(crate) fn pages(
    lib: &Library,
    look: &Lookup,
    frame: &Frame,
    marks: &Annotations<'_>,
    doc: &Document,
) -> Result<Vec<OutputFile>, RenderError> {
    let mut out = Vec::new();
    for (i, version) in doc.versions.iter().enumerate() {
        let mut dv = document(lib, look, doc, i);
        if let Some(m) = marks.page(&dv.path, &version.lang) {
            m.blocks(&mut dv.blocks);
        }
        let desc = description(version);
        let page = PageMeta::new(
            lib,
            &dv.path,
            &version.lang,
            &format!("{} · {}", version.title, lib.site.title),
            desc.as_deref(),
        );
        out.push(frame.html(
            "document.html",
            &dv.path,
            ctx! {
                frame: frame, page: &page, lang: &version.lang;
                doc => &dv.doc,
                version => &dv.version,
                alternates => &dv.alternates,
                relations => &dv.relations,
                parallel => &dv.parallel,
                toc => &dv.toc,
                blocks => &dv.blocks,
                jsonld => document_jsonld(lib, doc, i),
            },
        )?);
    }
    Ok(out)
}

/// A document page's data.
#[derive(Debug, Clone, Serialize)]
pub(super) struct DocumentView {
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

/// The version shown on a page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct VersionInfo {
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
pub(super) struct TocEntry {
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
fn document(lib: &Library, look: &Lookup, doc: &Document, i: usize) -> DocumentView {
    let v = &doc.versions[i];
    let lang = v.lang.as_str();
    let path = format!("{}/{}", doc.slug, file_of(doc, i));
    let has_title_block = v.blocks.first().is_some_and(|b| b.kind == BlockKind::Title);
    DocumentView {
        path,
        doc: DocInfo::new(doc, lang),
        version: VersionInfo {
            lang: v.lang.clone(),
            lang_name: lang_name(&v.lang, lang),
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
            decorate(lib, look, doc, i, &mut blocks);
            blocks
        },
    }
}
