//! The implementation map (`implementation-map.html`): for every document that others
//! implement, a table of its clauses and the implementing documents' matching clauses,
//! and the library page's link to it.

use super::cite::clause_name;
use super::error::RenderError;
use super::frame::Frame;
use super::paths::{MAP_FILE, compare_file};
use super::strings::{supplied_part_label, tr};
use super::view::{PageMeta, site_lang};
use crate::base::OutputFile;
use crate::model::{Block, BlockKind, Document, Library, Version, walk_blocks};
use serde::Serialize;
use std::collections::BTreeMap;

fn find_block<'a>(v: &'a Version, id: &str) -> Option<&'a Block> {
    walk_blocks(&v.blocks).into_iter().find(|b| b.id == id)
}

/// The implementation map of one implemented document.
#[derive(Debug, Clone, Serialize)]
pub(super) struct MapTable {
    /// The implemented document's slug.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// The implementing documents, one per column.
    pub columns: Vec<MapColumn>,
    /// One row per clause of the implemented document.
    pub rows: Vec<MapRow>,
}

/// A column of the map: an implementing document.
#[derive(Debug, Clone, Serialize)]
pub(super) struct MapColumn {
    /// Its slug.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Link to it.
    pub href: String,
    /// How many rows have a matching clause in this column.
    pub covered: usize,
}

/// A row of the map: a clause and its counterparts in each column.
#[derive(Debug, Clone, Serialize)]
pub(super) struct MapRow {
    /// The clause's id.
    pub id: String,
    /// Its label and heading.
    pub name: String,
    /// Link to the clause in its document.
    pub href: String,
    /// The part the clause opens, if it is the first of a part: its label and heading.
    pub part: Option<String>,
    /// One cell per column: the matching clauses, best first (empty where none).
    pub cells: Vec<Vec<MapCell>>,
}

/// A matching clause in a map cell.
#[derive(Debug, Clone, Serialize)]
pub(super) struct MapCell {
    /// Its label and heading.
    pub name: String,
    /// Link to it in its document.
    pub href: String,
    /// Link to the compare page.
    pub compare: String,
    /// The score as printed.
    pub score: String,
}

/// The map's tables: one per document that others implement with matched clauses.
fn map_tables(lib: &Library) -> Vec<MapTable> {
    let mut tables = Vec::new();
    for target in &lib.documents {
        let columns: Vec<&Document> = lib
            .documents
            .iter()
            .filter(|d| {
                d.relations
                    .iter()
                    .any(|r| r.kind == "implements" && r.target == target.slug)
                    && !d.versions.is_empty()
            })
            .collect();
        if columns.is_empty() || target.versions.is_empty() {
            continue;
        }
        let orig = target.original();
        let mut rows = Vec::new();
        let mut part: Option<String> = None;
        for b in walk_blocks(&orig.blocks) {
            if b.kind == BlockKind::Part {
                let mut p = b.clone();
                if p.label.is_none()
                    && let Some(n) = p.number
                {
                    p.label = Some(supplied_part_label(n, &orig.lang));
                }
                part = Some(clause_name(&p, &orig.lang));
                continue;
            }
            if b.kind != BlockKind::Clause {
                continue;
            }
            let cells = columns
                .iter()
                .map(|d| {
                    let mut ls: Vec<_> = d
                        .links
                        .iter()
                        .filter(|l| l.to.doc == target.slug && l.to.id == b.id)
                        .collect();
                    ls.sort_by(|x, y| y.score.total_cmp(&x.score));
                    ls.into_iter()
                        .filter_map(|l| {
                            let c = find_block(d.original(), &l.from)?;
                            Some(MapCell {
                                name: clause_name(c, &d.original().lang),
                                href: format!("{}/index.html#{}", d.slug, c.id),
                                compare: compare_file(&d.slug, &c.id, &target.slug, &b.id),
                                score: format!("{:.3}", l.score),
                            })
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            rows.push(MapRow {
                id: b.id.clone(),
                name: clause_name(b, &orig.lang),
                href: format!("{}/index.html#{}", target.slug, b.id),
                part: part.take(),
                cells,
            });
        }
        let columns = columns
            .iter()
            .enumerate()
            .map(|(k, d)| MapColumn {
                slug: d.slug.clone(),
                title: d.original().title.clone(),
                href: format!("{}/index.html", d.slug),
                covered: rows
                    .iter()
                    .filter(|r: &&MapRow| !r.cells[k].is_empty())
                    .count(),
            })
            .collect();
        tables.push(MapTable {
            slug: target.slug.clone(),
            title: orig.title.clone(),
            columns,
            rows,
        });
    }
    tables
}

/// The link to the implementation map for the library page, if the site has one.
#[derive(Debug, Clone, Serialize)]
pub(super) struct MapLink {
    /// The map's file.
    pub href: String,
    /// The link text.
    pub label: String,
    /// A line on what the map shows.
    pub note: String,
}

/// The library page's link to the implementation map, if there is a map.
pub(crate) fn map_link(lib: &Library, lang: &str) -> Option<MapLink> {
    (!map_tables(lib).is_empty()).then(|| MapLink {
        href: MAP_FILE.into(),
        label: tr(lang, "map_title"),
        note: tr(lang, "map_link_note"),
    })
}

/// The implementation map, where there is one.
pub(crate) fn page(lib: &Library, frame: &Frame) -> Result<Option<OutputFile>, RenderError> {
    let lang = site_lang(lib);
    let tables = map_tables(lib);
    if tables.is_empty() {
        return Ok(None);
    }
    let heading = tr(&lang, "map_title");
    let page = PageMeta::new(
        lib,
        MAP_FILE,
        &lang,
        &format!("{heading} · {}", lib.site.title),
        None,
    );
    let text = BTreeMap::from([
        ("heading", heading),
        ("note", tr(&lang, "map_note")),
        ("clause", tr(&lang, "map_clause")),
        ("none", tr(&lang, "map_none")),
        ("covered", tr(&lang, "map_covered")),
        ("compare", tr(&lang, "link_compare")),
    ]);
    Ok(Some(frame.html(
        "implementation-map.html",
        MAP_FILE,
        ctx! {
            frame: frame, page: &page, lang: &lang;
            tables => &tables,
            text => &text,
        },
    )?))
}
