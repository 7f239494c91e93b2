//! The compare pages of matched clauses (`<slug>/compare/c17-guideline-c21.html`): the
//! two clauses side by side, the wording they share marked, with the score.

use super::cite::clause_name;
use super::error::RenderError;
use super::frame::Frame;
use super::lookup::Lookup;
use super::paths::{MAP_FILE, compare_file};
use super::strings::tr;
use super::view::{PageMeta, Run, runs};
use crate::base::OutputFile;
use crate::link::shared;
use crate::model::{Block, Document, Library, Version};
use serde::Serialize;
use std::collections::BTreeMap;

/// One side of a compare page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct CompareSide {
    /// The document's title.
    pub doc_title: String,
    /// The clause's label and heading.
    pub name: String,
    /// The clause in its document.
    pub href: String,
    /// The language of the side.
    pub lang: String,
    /// The heading, then each paragraph, cut into runs; shared passages are `strong`.
    pub segments: Vec<Vec<Run>>,
}

/// The compare page of every clause link of `doc`, all in its folder.
pub(crate) fn pages(
    lib: &Library,
    look: &Lookup,
    frame: &Frame,
    doc: &Document,
) -> Result<Vec<OutputFile>, RenderError> {
    let mut out = Vec::new();
    if doc.versions.is_empty() {
        return Ok(out);
    }
    let here = doc.original();
    for l in &doc.links {
        let Some(target) = look.doc(&l.to.doc) else {
            continue;
        };
        if target.versions.is_empty() {
            continue;
        }
        let there = target.original();
        let (Some(a), Some(b)) = (look.block(there, &l.to.id), look.block(here, &l.from)) else {
            continue;
        };
        let path = compare_file(&doc.slug, &l.from, &target.slug, &l.to.id);
        let lang = here.lang.as_str();
        // The link stage keeps the shared passages (`l.shared`) but not where they lie
        // in each clause's segments, which the page marks: those are found again here.
        let sa = shared::segments(a);
        let sb = shared::segments(b);
        let ra: Vec<&str> = sa.iter().map(String::as_str).collect();
        let rb: Vec<&str> = sb.iter().map(String::as_str).collect();
        let found = shared::find(&ra, &rb);
        let side = |d: &Document,
                    v: &Version,
                    blk: &Block,
                    segs: &[String],
                    marks: &[Vec<(usize, usize)>]| {
            CompareSide {
                doc_title: v.title.clone(),
                name: clause_name(blk, &v.lang),
                href: format!("../../{}/index.html#{}", d.slug, blk.id),
                lang: v.lang.clone(),
                segments: segs.iter().zip(marks).map(|(s, m)| runs(s, m)).collect(),
            }
        };
        let left = side(target, there, a, &sa, &found.a);
        let right = side(doc, here, b, &sb, &found.b);
        let heading = tr(lang, "compare_title");
        let title = format!("{} ↔ {} · {heading}", left.name, right.name);
        let page = PageMeta::new(
            lib,
            &path,
            lang,
            &format!("{title} · {}", lib.site.title),
            None,
        );
        let text = BTreeMap::from([
            ("heading", heading),
            ("note", tr(lang, "compare_note")),
            ("score", tr(lang, "compare_score")),
            ("shared", tr(lang, "compare_shared")),
            ("map", tr(lang, "map_title")),
        ]);
        out.push(frame.html(
            "compare.html",
            &path,
            ctx! {
                frame: frame, page: &page, lang: lang;
                left => &left,
                right => &right,
                score => format!("{:.3}", l.score),
                passages => &found.passages,
                text => &text,
                map => format!("../../{MAP_FILE}"),
            },
        )?);
    }
    Ok(out)
}
