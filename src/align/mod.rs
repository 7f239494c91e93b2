//! Alignment between a document's original and its translations.
//!
//! Two steps, run in this order by the build:
//! 1. [`supply_missing_parts`]: where a version lacks a part heading that another version
//!    has, place the part boundary by that other version and supply its heading.
//! 2. [`align_document`]: split text into sentences ([`sentences`]), pair units by their
//!    number, paragraphs by order and length, and sentences by length, with shared numbers
//!    and quoted names as further evidence ([`gale_church`], [`evidence`]); the groups go
//!    into each translation's [`crate::model::Version::alignment`].

pub(crate) mod evidence;
pub(crate) mod gale_church;
mod pairing;
pub(crate) mod sentences;

pub use pairing::align_document;

use crate::model::{Block, BlockKind, Document, Supplied, Warning};
use crate::parse::assign_ids;

/// What another version knows about a part: its title and first clause number.
struct Donor {
    title: Option<String>,
    first_clause: Option<u32>,
    lang: String,
    source: String,
}

fn top_part_numbers(blocks: &[Block]) -> Vec<u32> {
    blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Part)
        .filter_map(|b| b.number)
        .collect()
}

fn donor_for(doc: &Document, skip: usize, number: u32) -> Option<Donor> {
    doc.versions
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != skip)
        .find_map(|(_, v)| {
            let part = v
                .blocks
                .iter()
                .find(|b| b.kind == BlockKind::Part && b.number == Some(number))?;
            Some(Donor {
                title: part
                    .title
                    .clone()
                    .or_else(|| part.supplied_title.as_ref().map(|s| s.text.clone())),
                first_clause: part
                    .children
                    .iter()
                    .find(|c| c.kind == BlockKind::Clause)
                    .and_then(|c| c.number),
                lang: v.lang.clone(),
                source: v.source.clone(),
            })
        })
}

/// Splits the part holding clause `m` so that clause `m` and what follows it in that part
/// form a new part `number`; returns the line of clause `m`. `None` when clause `m` is
/// not found, opens its part already, or the numbers would be out of order.
fn split_at_clause(
    blocks: &mut Vec<Block>,
    number: u32,
    m: u32,
    supplied: Supplied,
) -> Option<usize> {
    let (pi, ci) = blocks.iter().enumerate().find_map(|(pi, b)| {
        if b.kind != BlockKind::Part {
            return None;
        }
        let ci = b
            .children
            .iter()
            .position(|c| c.kind == BlockKind::Clause && c.number == Some(m))?;
        Some((pi, ci))
    })?;
    let host = &mut blocks[pi];
    let first_clause = host
        .children
        .iter()
        .position(|c| c.kind == BlockKind::Clause);
    if first_clause == Some(ci) || host.number.is_some_and(|n| n >= number) {
        return None;
    }
    let moved: Vec<Block> = host.children.drain(ci..).collect();
    let line = moved[0].line;
    let mut part = Block::new(BlockKind::Part, format!("p{number}"), line);
    part.number = Some(number);
    part.supplied_title = Some(supplied);
    part.children = moved;
    blocks.insert(pi + 1, part);
    Some(line)
}

/// Repairs parts missing from a version by another version of the same document.
///
/// For every version and every gap in its part numbers (000 goes 三 → 五): if another
/// version (the translation) has that part, its first clause number `m` says where the
/// part begins; the part of this version that holds clause `m` is split there, and the
/// clauses from `m` to the end of that part move into a new part block (`p{n}`, `number`
/// n, no `label`/`title`, `supplied_title` = the other version's heading with its
/// language and source file). Ids are reassigned. One warning per gap: where it was
/// placed, or that it could not be placed.
pub fn supply_missing_parts(doc: &mut Document) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for vi in 0..doc.versions.len() {
        let numbers = top_part_numbers(&doc.versions[vi].blocks);
        let Some(&max) = numbers.iter().max() else {
            continue;
        };
        let gaps: Vec<u32> = (1..max).filter(|n| !numbers.contains(n)).collect();
        if gaps.is_empty() {
            continue;
        }
        let file = doc.versions[vi].source.clone();
        for g in gaps {
            // Where the next present part begins, for warnings without a placement.
            let next_line = doc.versions[vi]
                .blocks
                .iter()
                .find(|b| b.kind == BlockKind::Part && b.number.is_some_and(|n| n > g))
                .map_or(0, |b| b.line);
            let donor = donor_for(doc, vi, g);
            let placed = donor.as_ref().and_then(|d| {
                let m = d.first_clause?;
                let text = d.title.clone()?;
                let supplied = Supplied {
                    text,
                    lang: d.lang.clone(),
                    from: d.source.clone(),
                };
                split_at_clause(&mut doc.versions[vi].blocks, g, m, supplied).map(|line| (line, m))
            });
            warnings.push(match (placed, donor) {
                (Some((line, m)), Some(d)) => Warning {
                    file: file.clone(),
                    line,
                    message: format!("heading of part {g} missing; placed by the translation"),
                    hint: Some(format!(
                        "{} starts part {g} at clause {m}; the part now begins there with the translation's heading, marked as supplied. Add the heading to the source if you have it",
                        d.source
                    )),
                },
                (None, Some(d)) => Warning {
                    file: file.clone(),
                    line: next_line,
                    message: format!("heading of part {g} missing; the translation could not place it"),
                    hint: Some(format!(
                        "{} has part {g}, but its first clause was not found where expected; check both texts",
                        d.source
                    )),
                },
                (_, None) => Warning {
                    file: file.clone(),
                    line: next_line,
                    message: format!("heading of part {g} missing"),
                    hint: Some(
                        "no other version has this part; its clauses stay in the part before. Check the source text"
                            .to_string(),
                    ),
                },
            });
        }
        assign_ids(&mut doc.versions[vi].blocks);
    }
    warnings
}

/// A guideline of a Chinese original (`zh.txt`) and, if given, its English translation
/// (`en.txt`), parsed but not aligned: the input of this stage's unit tests.
#[cfg(test)]
fn test_document(zh: &str, en: Option<&str>) -> Document {
    use crate::model::{TitleSource, Version};
    let version = |text: &str, lang: &str, source: &str, original: bool| Version {
        lang: lang.into(),
        original,
        source: source.into(),
        title: String::new(),
        title_from: TitleSource::File,
        blocks: crate::parse::parse(text, source).blocks,
        alignment: None,
    };
    let mut versions = vec![version(zh, "zh-Hans", "zh.txt", true)];
    versions.extend(en.map(|en| version(en, "en", "en.txt", false)));
    Document {
        slug: "d".into(),
        kind: "guideline".into(),
        date: None,
        relations: Vec::new(),
        links: Vec::new(),
        versions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: &str = "一、甲\n\n（一）子一。文。\n\n二、乙\n\n（二）子二。文。\n\n（三）子三。文。\n\n（四）子四。文。\n\n四、丁\n\n（五）子五。文。\n";
    const EN: &str = "1. A\n\n(1) One. Text.\n\n2. B\n\n(2) Two. Text.\n\n3. C\n\n(3) Three. Text.\n\n(4) Four. Text.\n\n4. D\n\n(5) Five. Text.\n";

    #[test]
    fn supplies_part_from_translation() {
        let mut doc = test_document(ZH, Some(EN));
        let w = supply_missing_parts(&mut doc);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].file, "zh.txt");
        assert_eq!(w[0].line, 9);
        assert!(w[0].message.contains("part 3"));
        let parts: Vec<(String, Option<u32>)> = doc.versions[0]
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Part)
            .map(|b| (b.id.clone(), b.number))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("p1".into(), Some(1)),
                ("p2".into(), Some(2)),
                ("p3".into(), Some(3)),
                ("p4".into(), Some(4))
            ]
        );
        let p3 = &doc.versions[0].blocks[2];
        assert_eq!(p3.title, None);
        assert_eq!(p3.label, None);
        let s = p3.supplied_title.as_ref().unwrap();
        assert_eq!(
            (s.text.as_str(), s.lang.as_str(), s.from.as_str()),
            ("C", "en", "en.txt")
        );
        let ids: Vec<&str> = p3.children.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["c3", "c4"]);
        assert_eq!(doc.versions[0].blocks[1].children.len(), 1);
    }

    #[test]
    fn warns_without_translation() {
        let mut doc = test_document(ZH, None);
        let before = doc.versions[0].blocks.len();
        let w = supply_missing_parts(&mut doc);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 13);
        assert_eq!(doc.versions[0].blocks.len(), before);
    }
}
