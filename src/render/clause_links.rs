//! The clauses the link stage matched with a clause, as the clause shows them: under
//! "Implements" the clauses of the documents it implements, under "Implemented by" the
//! clauses that implement it, each with its score and a link to the compare page.

use super::cite::heading_of;
use super::lookup::Lookup;
use super::paths::{compare_file, file_of, original_index};
use super::strings::{fill, lang_if_other, tr};
use crate::model::{Document, Version};
use serde::Serialize;

/// Clauses of one other document linked to a clause, under a heading.
#[derive(Debug, Clone, Serialize)]
pub(super) struct LinkGroup {
    /// `implements` or `implemented-by`.
    pub kind: String,
    /// The heading in the page's language.
    pub label: String,
    /// The linked clauses, best first.
    pub items: Vec<LinkItem>,
}

/// One linked clause.
#[derive(Debug, Clone, Serialize)]
pub(super) struct LinkItem {
    /// The other document's slug.
    pub doc: String,
    /// The other document's title.
    pub doc_title: String,
    /// The clause's id there.
    pub id: String,
    /// The clause's number as printed.
    pub label: Option<String>,
    /// The clause's heading.
    pub title: Option<String>,
    /// The language of the titles, when it differs from the page's.
    pub lang: Option<String>,
    /// Link to the clause in its document.
    pub href: String,
    /// The similarity score, as printed (`0.455`).
    pub score: String,
    /// Link to the compare page.
    pub compare: String,
    /// Accessible text for the score and the compare link.
    pub score_label: String,
    /// Text of the compare link.
    pub compare_label: String,
}

/// The version of `doc` in `lang`, or its original.
fn version_in<'a>(doc: &'a Document, lang: &str) -> (usize, &'a Version) {
    let i = doc
        .versions
        .iter()
        .position(|v| v.lang == lang)
        .unwrap_or_else(|| original_index(doc));
    (i, &doc.versions[i])
}

fn item(
    look: &Lookup,
    other: &Document,
    id: &str,
    score: f64,
    compare: String,
    lang: &str,
) -> Option<LinkItem> {
    let (vi, v) = version_in(other, lang);
    let b = look.block(v, id)?;
    let score = format!("{score:.3}");
    Some(LinkItem {
        doc: other.slug.clone(),
        doc_title: other.original().title.clone(),
        id: id.to_string(),
        label: b.label.clone(),
        title: heading_of(b),
        lang: lang_if_other(&v.lang, lang),
        href: format!("../{}/{}#{id}", other.slug, file_of(other, vi)),
        score_label: fill(lang, "link_score", &[("score", &score)]),
        score,
        compare: format!("../{compare}"),
        compare_label: tr(lang, "link_compare"),
    })
}

/// The clauses linked to clause `id` of `doc`, for a page in `lang` one folder deep.
pub(crate) fn link_groups(look: &Lookup, doc: &Document, id: &str, lang: &str) -> Vec<LinkGroup> {
    let mut groups = Vec::new();
    let implements: Vec<LinkItem> = doc
        .links
        .iter()
        .filter(|l| l.from == id)
        .filter_map(|l| {
            let other = look.doc(&l.to.doc)?;
            let cmp = compare_file(&doc.slug, id, &other.slug, &l.to.id);
            item(look, other, &l.to.id, l.score, cmp, lang)
        })
        .collect();
    if !implements.is_empty() {
        groups.push(LinkGroup {
            kind: "implements".into(),
            label: tr(lang, "links_implements"),
            items: implements,
        });
    }
    let mut by: Vec<LinkItem> = Vec::new();
    for &(other, l) in look.incoming(&doc.slug, id) {
        let cmp = compare_file(&other.slug, &l.from, &doc.slug, id);
        by.extend(item(look, other, &l.from, l.score, cmp, lang));
    }
    if !by.is_empty() {
        groups.push(LinkGroup {
            kind: "implemented-by".into(),
            label: tr(lang, "links_implemented_by"),
            items: by,
        });
    }
    groups
}
