//! The rows of the side-by-side page. Units (parts, clauses, …) and other blocks without
//! text share a row with the blocks of the same id in every version; text blocks
//! (paragraphs, items, …) follow the alignment's paragraph groups
//! ([`crate::model::Alignment::paragraphs`]), so that a paragraph the translation splits
//! in two stands beside both halves and every later row of the unit still pairs the same
//! text.

use super::paths::original_index;
use super::view::{BlockView, Marks, block_view, kind_name};
use crate::model::{AlignLevel, Block, BlockKind, Document, Version};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One block in a cell of the side-by-side page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ParallelBlock {
    /// The `id` of the block's element, where the row's id does not name the block: an
    /// original's text block that shares the row of the one before it (a translation
    /// merged them) has its own id; a translation's block has its own id where no other
    /// element of the page has it, else that id prefixed with its language (`en-c8-2`),
    /// as its sentences are.
    pub anchor: Option<String>,
    /// The block, without its children.
    #[serde(flatten)]
    pub block: BlockView,
}

/// One row of the side-by-side page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ParallelRow {
    /// The row's `id`: the id of the original's (first) block in it, or of the
    /// translation's block for a row only a translation has, unless the page already has
    /// an element with that id.
    pub id: Option<String>,
    /// The block kind of the row's first block.
    pub kind: String,
    /// One cell per version (original first), each with the blocks of that version in
    /// this row, in reading order; empty where the version has no counterpart.
    pub cells: Vec<Vec<ParallelBlock>>,
    /// What the anchor registry and the integrity findings add at the row's id (see
    /// [`Marks`]), shown inside the first element of its first cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marks: Option<Marks>,
}

/// A block without its children, for one cell of the side-by-side page.
fn shallow(b: &Block, level: u8, lang: &str) -> BlockView {
    let mut v = block_view(b, level, lang);
    v.children.clear();
    v
}

/// Every block of a tree in reading order, each with its heading level.
fn flatten<'a>(blocks: &'a [Block], level: u8, out: &mut Vec<(&'a Block, u8)>) {
    for b in blocks {
        out.push((b, level));
        let child_level = match b.kind {
            BlockKind::Part | BlockKind::Article | BlockKind::Clause => (level + 1).min(6),
            _ => level,
        };
        flatten(&b.children, child_level, out);
    }
}

/// Where the blocks of every version stand on the side-by-side page, before they are
/// prepared for display.
struct Layout<'a> {
    /// The versions, original first.
    versions: Vec<&'a Version>,
    /// Each version's blocks in reading order, with their heading levels.
    flat: Vec<Vec<(&'a Block, u8)>>,
    /// The rows: the row's id, its kind, and per version the blocks in it (indices into
    /// `flat`), each with its own element id where the row's does not name it.
    rows: Vec<RowLayout>,
}

/// One row of a [`Layout`].
struct RowLayout {
    id: Option<String>,
    kind: BlockKind,
    cells: Vec<Vec<(usize, Option<String>)>>,
}

/// The layout of the side-by-side page of `doc`.
///
/// Every block of the original opens a row of its own, except a text block that a
/// translation's paragraph group joins with the one before it: it goes into that block's
/// row. A translation's text block goes into the row of the first original block of its
/// paragraph group; one on the translation's side only (a `0-1` group), and a unit or
/// other block whose id the original lacks, gets a row of its own after the row of the
/// translation's block before it. Other blocks go into the row with their id.
fn layout(doc: &Document) -> Layout<'_> {
    let orig = original_index(doc);
    let mut order: Vec<usize> = vec![orig];
    order.extend((0..doc.versions.len()).filter(|i| *i != orig));
    let versions: Vec<&Version> = order.iter().map(|&i| &doc.versions[i]).collect();
    let flat: Vec<Vec<(&Block, u8)>> = versions
        .iter()
        .map(|v| {
            let mut out = Vec::new();
            flatten(&v.blocks, 2, &mut out);
            out
        })
        .collect();
    let cols = versions.len();

    // An original block that some translation groups with earlier ones ─► the first of
    // its group.
    let mut lead: HashMap<&str, &str> = HashMap::new();
    for v in &versions[1..] {
        let Some(al) = &v.alignment else { continue };
        for g in al.paragraphs.iter().filter(|g| g.original.len() > 1) {
            for o in &g.original[1..] {
                lead.entry(o.as_str()).or_insert(g.original[0].as_str());
            }
        }
    }

    let mut rows: Vec<RowLayout> = Vec::new();
    // Original block id ─► index of its row (rows only grow at the end here).
    let mut row_of: HashMap<String, usize> = HashMap::new();
    let mut used: HashSet<String> = HashSet::new();
    for (k, (b, _)) in flat[0].iter().enumerate() {
        used.insert(b.id.clone());
        if let Some(&r) = lead.get(b.id.as_str()).and_then(|l| row_of.get(*l)) {
            row_of.insert(b.id.clone(), r);
            rows[r].cells[0].push((k, Some(b.id.clone())));
            continue;
        }
        row_of.insert(b.id.clone(), rows.len());
        let mut cells = vec![Vec::new(); cols];
        cells[0].push((k, None));
        rows.push(RowLayout {
            id: Some(b.id.clone()),
            kind: b.kind,
            cells,
        });
    }

    // Rows keep their identity while translation rows are inserted: `key[i]` is the
    // index row `i` had when it was made, or a fresh one.
    let mut key: Vec<usize> = (0..rows.len()).collect();
    let mut next_key = rows.len();
    for (col, v) in versions.iter().enumerate().skip(1) {
        // Translation text block ─► the first original block of its paragraph group, or
        // `None` for a block on this side only.
        let mut partner: HashMap<&str, Option<&str>> = HashMap::new();
        if let Some(al) = &v.alignment {
            for g in &al.paragraphs {
                for t in &g.translation {
                    partner.insert(t.as_str(), g.original.first().map(String::as_str));
                }
            }
        }
        let mut after: Option<usize> = None;
        for (k, (b, _)) in flat[col].iter().enumerate() {
            let target = match partner.get(b.id.as_str()) {
                Some(Some(o)) => row_of.get(*o).and_then(|k| key.iter().position(|x| x == k)),
                Some(None) => None,
                None => rows.iter().position(|r| r.id.as_deref() == Some(&b.id)),
            };
            let at = match target {
                Some(p) => p,
                None => {
                    let at = after.map_or(0, |a| a + 1);
                    let id = (!used.contains(&b.id)).then(|| b.id.clone());
                    if let Some(id) = &id {
                        used.insert(id.clone());
                    }
                    rows.insert(
                        at,
                        RowLayout {
                            id,
                            kind: b.kind,
                            cells: vec![Vec::new(); cols],
                        },
                    );
                    key.insert(at, next_key);
                    next_key += 1;
                    at
                }
            };
            let anchor = if rows[at].id.as_deref() == Some(&b.id) {
                None
            } else if used.insert(b.id.clone()) {
                Some(b.id.clone())
            } else {
                Some(format!("{}-{}", v.lang, b.id))
            };
            rows[at].cells[col].push((k, anchor));
            after = Some(at);
        }
    }
    Layout {
        versions,
        flat,
        rows,
    }
}

/// The rows of the side-by-side page of `doc`, prepared for display in `page_lang` (see
/// [`layout`] for which block goes where).
pub(crate) fn rows(doc: &Document, page_lang: &str) -> Vec<ParallelRow> {
    let Layout {
        versions,
        flat,
        rows,
    } = layout(doc);
    let mut rows: Vec<ParallelRow> = rows
        .into_iter()
        .map(|r| ParallelRow {
            id: r.id,
            kind: kind_name(r.kind).to_string(),
            cells: r
                .cells
                .into_iter()
                .enumerate()
                .map(|(col, cell)| {
                    cell.into_iter()
                        .map(|(k, anchor)| {
                            let (b, level) = flat[col][k];
                            ParallelBlock {
                                anchor,
                                block: shallow(b, level, page_lang),
                            }
                        })
                        .collect()
                })
                .collect(),
            marks: None,
        })
        .collect();
    link_sentences(&mut rows, &versions);
    rows
}

/// Whether `templates/parallel.html` shows a cell block's text sentence by sentence, each
/// sentence with its id: a text block without a heading of its own (no label, title or
/// supplied heading; not the title).
fn shows_sentences(b: &Block) -> bool {
    let set = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.is_empty());
    b.kind != BlockKind::Title
        && !set(&b.label)
        && !set(&b.title)
        && b.supplied_title.is_none()
        && b.text.is_some()
}

/// The element ids of the side-by-side page of `doc`, as [`rows`] gives them to the
/// template: the rows', the cell blocks' own (`anchor`), and the sentences' of the blocks
/// shown sentence by sentence (a translation's prefixed with its language, `en-c8-1.3`).
pub(crate) fn element_ids(doc: &Document) -> Vec<String> {
    let Layout {
        versions,
        flat,
        rows,
    } = layout(doc);
    let mut out = Vec::new();
    for r in rows {
        out.extend(r.id);
        for (col, cell) in r.cells.into_iter().enumerate() {
            for (k, anchor) in cell {
                out.extend(anchor);
                let b = flat[col][k].0;
                if !shows_sentences(b) {
                    continue;
                }
                let prefix = if col > 0 {
                    format!("{}-", versions[col].lang)
                } else {
                    String::new()
                };
                out.extend((1..=b.sentences.len()).map(|n| format!("{prefix}{}.{n}", b.id)));
            }
        }
    }
    out
}

/// Sets the sentence partners on the side-by-side page from each translation's
/// alignment: a translation's sentence ids get its language as a prefix (`en-c8-1.3`),
/// since the original's sentences hold the plain anchors; blocks whose sentences could
/// not be paired are marked `whole`.
fn link_sentences(rows: &mut [ParallelRow], versions: &[&Version]) {
    // (column, sentence id) ─► partner element ids; (column, block id) paired whole.
    let mut partners: HashMap<(usize, String), Vec<String>> = HashMap::new();
    let mut whole: HashSet<(usize, String)> = HashSet::new();
    for (col, v) in versions.iter().enumerate().skip(1) {
        let Some(al) = &v.alignment else { continue };
        for g in &al.groups {
            match g.level {
                AlignLevel::Sentence => {
                    let theirs: Vec<String> = g
                        .translation
                        .iter()
                        .map(|t| format!("{}-{t}", v.lang))
                        .collect();
                    for o in &g.original {
                        partners
                            .entry((0, o.clone()))
                            .or_default()
                            .extend(theirs.iter().cloned());
                    }
                    for t in &g.translation {
                        partners
                            .entry((col, t.clone()))
                            .or_default()
                            .extend(g.original.iter().cloned());
                    }
                }
                AlignLevel::Paragraph if !g.original.is_empty() && !g.translation.is_empty() => {
                    whole.extend(g.original.iter().map(|o| (0, o.clone())));
                    whole.extend(g.translation.iter().map(|t| (col, t.clone())));
                }
                _ => {}
            }
        }
    }
    for row in rows {
        for (col, cell) in row.cells.iter_mut().enumerate() {
            for pb in cell {
                let b = &mut pb.block;
                b.whole = whole.contains(&(col, b.id.clone()));
                for s in &mut b.sentences {
                    if col > 0 {
                        s.id = format!("{}-{}", versions[col].lang, s.sid);
                    }
                    s.partners = partners
                        .get(&(col, s.sid.clone()))
                        .filter(|p| !p.is_empty())
                        .map(|p| p.join(" "));
                }
            }
        }
    }
}
