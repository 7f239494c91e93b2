//! The library page, `index.html`: the documents grouped by kind, each with its
//! versions, relations and side-by-side page, and the link to the implementation map.

use super::error::RenderError;
use super::frame::Frame;
use super::map;
use super::paths::has_parallel;
use super::strings::{kind_label, lang_if_other};
use super::view::{PageMeta, RelationView, VersionLink, relations, version_links};
use crate::base::OutputFile;
use crate::model::Library;
use serde::Serialize;

/// The library page in the site's language `lang`.
pub(crate) fn page(lib: &Library, frame: &Frame, lang: &str) -> Result<OutputFile, RenderError> {
    let library = library(lib, lang);
    let page = PageMeta::new(lib, "index.html", lang, &lib.site.title, None);
    frame.html(
        "library.html",
        "index.html",
        ctx! {
            frame: frame, page: &page, lang: lang;
            groups => &library.groups,
            map => map::map_link(lib, lang),
        },
    )
}

/// The library page's data.
#[derive(Debug, Clone, Serialize)]
pub(super) struct LibraryView {
    /// Documents grouped by kind: guideline, implementation, news, then the others.
    pub groups: Vec<Group>,
}

/// The documents of one kind.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Group {
    /// The kind, as in the manifest (`guideline`).
    pub kind: String,
    /// Its display name in the page's language.
    pub label: String,
    /// The documents, in manifest order.
    pub docs: Vec<DocEntry>,
}

/// One document on the library page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct DocEntry {
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

fn kind_order(kind: &str) -> usize {
    match kind {
        "guideline" => 0,
        "implementation" => 1,
        "news" => 2,
        _ => 3,
    }
}

/// The library page's data, for a page in `lang` at the site root.
fn library(lib: &Library, lang: &str) -> LibraryView {
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
