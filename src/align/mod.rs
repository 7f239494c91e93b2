//! Alignment between a document's original and its translations.
//!
//! Two steps, run in this order by the build:
//! 1. [`supply_missing_parts`]: where a version lacks a part heading that another version
//!    has, place the part boundary by that other version and supply its heading.
//! 2. [`align_document`]: split text into sentences (`sentences`), pair units by their
//!    number, paragraphs by order and length, and sentences by length, with shared numbers
//!    and quoted names as further evidence (`gale_church`, `evidence`); the groups go
//!    into each translation's [`crate::model::Version::alignment`].

pub(crate) mod evidence;
pub(crate) mod gale_church;
mod pairing;
pub(crate) mod sentences;

pub use pairing::align_document;

use crate::model::{Block, BlockKind, Document, Supplied, Warning};
use crate::parse::assign_ids;
use std::collections::HashMap;

/// The longest run of missing parts that is placed by another version, part by part: a
/// lost heading or two is common, a longer run is more likely a misnumbering, and
/// placing it part by part would cost as much as the run is long. A longer run is one
/// warning.
pub const MAX_SUPPLIED_GAP: u32 = 3;

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

/// What the versions other than `skip` know about each part number: for each number, the
/// first version (in manifest order) with a top-level part of that number, and its first
/// such part. Made once per version, so each missing part is looked up, not searched for.
fn donors(doc: &Document, skip: usize) -> HashMap<u32, Donor> {
    let mut out: HashMap<u32, Donor> = HashMap::new();
    for (_, v) in doc.versions.iter().enumerate().filter(|(i, _)| *i != skip) {
        for part in v.blocks.iter().filter(|b| b.kind == BlockKind::Part) {
            let Some(number) = part.number else {
                continue;
            };
            out.entry(number).or_insert_with(|| Donor {
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
            });
        }
    }
    out
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
/// Only the part numbers another version holds are looked at, and only in runs of at most
/// [`MAX_SUPPLIED_GAP`] missing parts (a longer run is one warning), so the work, the
/// blocks made and the warnings are bounded by the input, however large the jump
/// (`第4000000000章` after nothing).
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
        // The parts the other versions hold: the only ones that can be supplied.
        let mut donors = donors(doc, vi);
        let mut known: Vec<u32> = donors.keys().copied().collect();
        known.sort_unstable();
        let file = doc.versions[vi].source.clone();
        for (lo, hi) in gaps {
            let first = known.partition_point(|&k| k < lo);
            let last = known.partition_point(|&k| k <= hi);
            if hi - lo >= MAX_SUPPLIED_GAP && first < last {
                warnings.push(unplaced_run(
                    &doc.versions[vi],
                    &file,
                    lo,
                    hi,
                    Some(&donors[&known[first]]),
                ));
                continue;
            }
            // Numbers of the gap with a donor, one by one; runs without one, as a whole.
            let mut from = lo;
            for &g in &known[first..last] {
                if g > from {
                    warnings.push(unplaced_run(&doc.versions[vi], &file, from, g - 1, None));
                }
                let donor = donors.remove(&g).expect("a known part number");
                warnings.push(supply_part(doc, vi, &file, g, donor));
                from = g + 1;
            }
            if from <= hi {
                warnings.push(unplaced_run(&doc.versions[vi], &file, from, hi, None));
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

/// The warning for parts `lo`–`hi` that are not placed: no other version has them, or
/// (`longer`: a version that has some of them) the run is longer than
/// [`MAX_SUPPLIED_GAP`].
fn unplaced_run(
    v: &crate::model::Version,
    file: &str,
    lo: u32,
    hi: u32,
    longer: Option<&Donor>,
) -> Warning {
    let message = if lo == hi {
        format!("heading of part {lo} missing")
    } else {
        format!("headings of parts {lo}–{hi} missing")
    };
    let hint = match longer {
        Some(d) => format!(
            "{} has some of these parts, but a run of more than {MAX_SUPPLIED_GAP} missing parts is not placed by another version; their clauses stay in the part before. Check the numbering of both texts",
            d.source
        ),
        None if lo == hi => "no other version has this part; its clauses stay in the part before. Check the source text".to_string(),
        None => "no other version has these parts; their clauses stay in the part before. Check the source text".to_string(),
    };
    Warning {
        file: file.to_string(),
        line: next_part_line(v, hi),
        message,
        hint: Some(hint),
        quote: None,
    }
}

/// Supplies missing part `g` of version `vi` from `d`, what another version knows of
/// it, and the warning saying so (or that it could not be placed).
fn supply_part(doc: &mut Document, vi: usize, file: &str, g: u32, d: Donor) -> Warning {
    let next_line = next_part_line(&doc.versions[vi], g);
    let placed = d.first_clause.zip(d.title.clone()).and_then(|(m, text)| {
        let supplied = Supplied {
            text,
            lang: d.lang.clone(),
            from: d.source.clone(),
        };
        split_at_clause(&mut doc.versions[vi].blocks, g, m, supplied).map(|line| (line, m))
    });
    match placed {
        Some((line, m)) => Warning {
            file: file.to_string(),
            line,
            message: format!("heading of part {g} missing; placed by the translation"),
            hint: Some(format!(
                "{} starts part {g} at clause {m}; the part now begins there with the translation's heading, marked as supplied. Add the heading to the source if you have it",
                d.source
            )),
            quote: None,
        },
        None => Warning {
            file: file.to_string(),
            line: next_line,
            message: format!("heading of part {g} missing; the translation could not place it"),
            hint: Some(format!(
                "{} has part {g}, but its first clause was not found where expected; check both texts",
                d.source
            )),
            quote: None,
        },
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
        // The original jumps from part 1 to part 5; the other version has parts 1, 3 and 5.
        let zh = "一、甲\n\n（一）子一。文。\n\n（二）子二。文。\n\n五、戊\n\n（三）子三。文。\n";
        let en = "一、A\n\n（一）One. Text.\n\n三、C\n\n（二）Two. Text.\n\n五、E\n\n（三）Three. Text.\n";
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
                "heading of part 2 missing",
                "heading of part 3 missing; placed by the translation",
                "heading of part 4 missing",
            ]
        );
        let parts: Vec<Option<u32>> = doc.versions[0]
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Part)
            .map(|b| b.number)
            .collect();
        assert_eq!(parts, vec![Some(1), Some(3), Some(5)]);
        // The other version's own gaps (2, 4) are warned about too.
        assert_eq!(w.iter().filter(|w| w.file == "en.txt").count(), 2);
    }

    #[test]
    fn a_run_longer_than_the_bound_is_one_warning() {
        // Parts 2–5 missing (four in a row); the other version has them all.
        let zh = "一、甲\n\n（一）子一。文。\n\n（二）子二。文。\n\n（三）子三。文。\n\n（四）子四。文。\n\n（五）子五。文。\n\n六、己\n\n（六）子六。文。\n";
        let en = "一、A\n\n（一）One.\n\n二、B\n\n（二）Two.\n\n三、C\n\n（三）Three.\n\n四、D\n\n（四）Four.\n\n五、E\n\n（五）Five.\n\n六、F\n\n（六）Six.\n";
        let mut doc = test_document(zh, Some(en));
        let w = supply_missing_parts(&mut doc);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].message, "headings of parts 2–5 missing");
        assert!(w[0].hint.as_deref().unwrap().contains("en.txt has some"));
        assert_eq!(
            doc.versions[0]
                .blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Part)
                .count(),
            2
        );
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
