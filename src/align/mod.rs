//! Alignment between a document's original and its translations.
//!
//! Two steps, run in this order by the build:
//! 1. [`supply_missing_parts`]: where a version lacks a part heading that another version
//!    has, place the part boundary by that other version and supply its heading.
//! 2. [`align_document`]: split text into sentences ([`sentences`]), pair units by their
//!    number, paragraphs by order and length, and sentences by length, with shared numbers
//!    and quoted names as further evidence ([`gale_church`], [`evidence`]); the groups go
//!    into each translation's [`crate::model::Version::alignment`].

pub mod evidence;
pub mod gale_church;
mod pairing;
pub mod sentences;

pub use pairing::{DEFAULT_PARAMS, LOW_MEAN, LOW_MIN, align_document, estimate, has_sentences};

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
/// language and source file). Ids are reassigned. One warning per missing part that
/// another version has (where it was placed, or that it could not be placed), and one
/// per run of missing parts that no other version has.
///
/// Only the part numbers some version holds are looked at, so the work and the warnings
/// are bounded by the input, however large the jump (`第4000000000章` after nothing).
pub fn supply_missing_parts(doc: &mut Document) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for vi in 0..doc.versions.len() {
        let mut numbers = top_part_numbers(&doc.versions[vi].blocks);
        numbers.sort_unstable();
        numbers.dedup();
        let gaps = gaps_below_max(&numbers);
        if gaps.is_empty() {
            continue;
        }
        // The part numbers the other versions hold: the only ones that can be supplied.
        let mut known: Vec<u32> = doc
            .versions
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != vi)
            .flat_map(|(_, v)| top_part_numbers(&v.blocks))
            .collect();
        known.sort_unstable();
        known.dedup();
        let file = doc.versions[vi].source.clone();
        for (lo, hi) in gaps {
            let first = known.partition_point(|&k| k < lo);
            let last = known.partition_point(|&k| k <= hi);
            // Numbers of the gap with a donor, one by one; runs without one, as a whole.
            let mut from = lo;
            for &g in &known[first..last] {
                if g > from {
                    warnings.push(unplaced_run(&doc.versions[vi], &file, from, g - 1));
                }
                warnings.push(supply_part(doc, vi, &file, g));
                from = g + 1;
            }
            if from <= hi {
                warnings.push(unplaced_run(&doc.versions[vi], &file, from, hi));
            }
        }
        assign_ids(&mut doc.versions[vi].blocks);
    }
    warnings
}

/// The runs of numbers missing below the largest of `numbers` (sorted, no repeats),
/// from 1: `[2, 5]` gives `[(1, 1), (3, 4)]`.
fn gaps_below_max(numbers: &[u32]) -> Vec<(u32, u32)> {
    let mut gaps = Vec::new();
    let mut expect: u32 = 1;
    for &n in numbers {
        if n > expect {
            gaps.push((expect, n - 1));
        }
        expect = expect.max(n.saturating_add(1));
    }
    gaps
}

/// The line of the first part of `v` numbered above `g`: where missing part `g`'s text
/// sits (in the part before), for warnings without a placement.
fn next_part_line(v: &crate::model::Version, g: u32) -> usize {
    v.blocks
        .iter()
        .find(|b| b.kind == BlockKind::Part && b.number.is_some_and(|n| n > g))
        .map_or(0, |b| b.line)
}

/// The warning for parts `lo`–`hi` that no other version has.
fn unplaced_run(v: &crate::model::Version, file: &str, lo: u32, hi: u32) -> Warning {
    let message = if lo == hi {
        format!("heading of part {lo} missing")
    } else {
        format!("headings of parts {lo}–{hi} missing")
    };
    Warning {
        file: file.to_string(),
        line: next_part_line(v, hi),
        message,
        hint: Some(
            if lo == hi {
                "no other version has this part; its clauses stay in the part before. Check the source text"
            } else {
                "no other version has these parts; their clauses stay in the part before. Check the source text"
            }
            .to_string(),
        ),
    }
}

/// Supplies missing part `g` of version `vi` from the other version that has it, and
/// the warning saying so (or that it could not be placed).
fn supply_part(doc: &mut Document, vi: usize, file: &str, g: u32) -> Warning {
    let next_line = next_part_line(&doc.versions[vi], g);
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
    match (placed, donor) {
        (Some((line, m)), Some(d)) => Warning {
            file: file.to_string(),
            line,
            message: format!("heading of part {g} missing; placed by the translation"),
            hint: Some(format!(
                "{} starts part {g} at clause {m}; the part now begins there with the translation's heading, marked as supplied. Add the heading to the source if you have it",
                d.source
            )),
        },
        (None, Some(d)) => Warning {
            file: file.to_string(),
            line: next_line,
            message: format!("heading of part {g} missing; the translation could not place it"),
            hint: Some(format!(
                "{} has part {g}, but its first clause was not found where expected; check both texts",
                d.source
            )),
        },
        (_, None) => unplaced_run(&doc.versions[vi], file, g, g),
    }
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
    fn a_huge_gap_is_one_warning_and_no_blocks() {
        let mut doc = test_document("第4000000000章 总则\n\n第一条 文。\n", None);
        let before = crate::model::walk_blocks(&doc.versions[0].blocks).len();
        let w = supply_missing_parts(&mut doc);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].message, "headings of parts 1–3999999999 missing");
        assert_eq!(w[0].line, 1);
        assert_eq!(
            crate::model::walk_blocks(&doc.versions[0].blocks).len(),
            before
        );
    }

    #[test]
    fn a_long_gap_is_supplied_where_another_version_has_the_part() {
        // The original jumps from part 1 to part 9; the translation has parts 1, 5 and 9.
        let zh = "一、甲\n\n（一）子一。文。\n\n（二）子二。文。\n\n九、壬\n\n（三）子三。文。\n";
        let en = "一、A\n\n（一）One. Text.\n\n五、E\n\n（二）Two. Text.\n\n九、I\n\n（三）Three. Text.\n";
        let mut doc = test_document(zh, Some(en));
        let w = supply_missing_parts(&mut doc);
        let messages: Vec<&str> = w
            .iter()
            .filter(|w| w.file == "zh.txt")
            .map(|w| w.message.as_str())
            .collect();
        assert_eq!(
            messages,
            vec![
                "headings of parts 2–4 missing",
                "heading of part 5 missing; placed by the translation",
                "headings of parts 6–8 missing",
            ]
        );
        let parts: Vec<Option<u32>> = doc.versions[0]
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Part)
            .map(|b| b.number)
            .collect();
        assert_eq!(parts, vec![Some(1), Some(5), Some(9)]);
        // The other version's own gaps (2–4, 6–8) are warned about too.
        assert_eq!(w.iter().filter(|w| w.file == "en.txt").count(), 2);
    }

    #[test]
    fn gaps_are_runs() {
        assert_eq!(gaps_below_max(&[2, 5]), vec![(1, 1), (3, 4)]);
        assert_eq!(gaps_below_max(&[0, 1, 2]), vec![]);
        assert_eq!(gaps_below_max(&[u32::MAX]), vec![(1, u32::MAX - 1)]);
        assert_eq!(gaps_below_max(&[]), vec![]);
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
