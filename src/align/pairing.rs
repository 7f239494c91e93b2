//! Pairing a translation with its original: units by number, paragraphs by order and
//! length, sentences by the Gale–Church programme.

use super::gale_church::{self, PARAGRAPH_SHAPES, Params, Segment};
use super::sentences;
use crate::model::{AlignLevel, AlignedGroup, Alignment, Block, BlockKind, Document, Warning};

/// The length model where a document has too few paired clauses to estimate its own:
/// the estimate this module makes from the guideline's 36 clause pairs (000 ↔ 001),
/// rounded.
pub(crate) const DEFAULT_PARAMS: Params = Params {
    ratio: 4.1,
    variance: 133.0,
};

/// A paragraph whose sentence groups score below this on average falls back to
/// paragraph-level pairing.
pub(crate) const LOW_MEAN: f64 = 0.35;
/// … as does one with any group scoring below this.
pub(crate) const LOW_MIN: f64 = 0.02;

/// Fewest paired units needed to estimate the length model from the document itself.
const MIN_PAIRS: usize = 3;

/// Units: blocks paired across versions by their id (which comes from their number).
fn is_unit(k: BlockKind) -> bool {
    matches!(
        k,
        BlockKind::Title
            | BlockKind::Preamble
            | BlockKind::Part
            | BlockKind::Clause
            | BlockKind::Closing
            | BlockKind::Article
    )
}

/// Blocks whose text gets sentence anchors.
pub(crate) fn has_sentences(k: BlockKind) -> bool {
    matches!(
        k,
        BlockKind::Paragraph
            | BlockKind::Item
            | BlockKind::Dateline
            | BlockKind::Source
            | BlockKind::Byline
    )
}

/// Sets [`Block::sentences`] on every block of the tree that gets sentence anchors.
pub(super) fn mark_sentences(blocks: &mut [Block]) {
    for b in blocks {
        if has_sentences(b.kind)
            && let Some(t) = &b.text
        {
            b.sentences = sentences::split(t);
        }
        mark_sentences(&mut b.children);
    }
}

/// The text blocks of a unit, not counting those of the units inside it.
fn leaves(children: &[Block]) -> Vec<&Block> {
    let mut out = Vec::new();
    for c in children {
        if is_unit(c.kind) {
            continue;
        }
        if c.text.as_deref().is_some_and(|t| !t.trim().is_empty()) {
            out.push(c);
        }
        out.extend(leaves(&c.children));
    }
    out
}

/// The units directly inside a unit (looking through lists and asides).
fn units(children: &[Block]) -> Vec<&Block> {
    let mut out = Vec::new();
    for c in children {
        if is_unit(c.kind) {
            out.push(c);
        } else {
            out.extend(units(&c.children));
        }
    }
    out
}

fn text_len(b: &Block) -> f64 {
    b.text
        .as_deref()
        .map_or(0, |t| t.chars().filter(|c| !c.is_whitespace()).count()) as f64
}

/// Every unit of a tree with the length of its own text blocks.
fn unit_lengths<'a>(children: &'a [Block], out: &mut Vec<(&'a str, f64)>) {
    for u in units(children) {
        out.push((&u.id, leaves(&u.children).iter().map(|b| text_len(b)).sum()));
        unit_lengths(&u.children, out);
    }
}

/// The length model estimated from the units both trees have: the ratio of total
/// lengths, and the variance of `l₂ - c·l₁` per character of the original. `None` when
/// fewer than three units pair.
pub(crate) fn estimate(original: &[Block], translation: &[Block]) -> Option<Params> {
    let mut a = Vec::new();
    let mut b = Vec::new();
    unit_lengths(original, &mut a);
    unit_lengths(translation, &mut b);
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .filter(|(_, l)| *l > 0.0)
        .filter_map(|(id, l1)| {
            let l2 = b.iter().find(|(i, _)| i == id)?.1;
            (l2 > 0.0).then_some((*l1, l2))
        })
        .collect();
    if pairs.len() < MIN_PAIRS {
        return None;
    }
    let s1: f64 = pairs.iter().map(|p| p.0).sum();
    let s2: f64 = pairs.iter().map(|p| p.1).sum();
    let ratio = s2 / s1;
    let variance = pairs
        .iter()
        .map(|(l1, l2)| (l2 - ratio * l1).powi(2))
        .sum::<f64>()
        / s1;
    Some(Params {
        ratio,
        variance: variance.max(1.0),
    })
}

/// The text segments of some text blocks: a sentence each for blocks with sentence
/// anchors (`c8-1.3`), the whole text for others (the block's id).
fn segments(blocks: &[&Block]) -> Vec<(String, Segment)> {
    let mut out = Vec::new();
    for b in blocks {
        let text = b.text.as_deref().unwrap_or("");
        if b.sentences.is_empty() {
            out.push((b.id.clone(), Segment::of(text)));
        } else {
            for (n, (s, e)) in b.sentences.iter().enumerate() {
                out.push((format!("{}.{}", b.id, n + 1), Segment::of(&text[*s..*e])));
            }
        }
    }
    out
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn unit_name(b: &Block) -> String {
    let kind = match b.kind {
        BlockKind::Part => "part",
        BlockKind::Clause => "clause",
        BlockKind::Preamble => "preamble",
        BlockKind::Closing => "closing text",
        BlockKind::Article => "article",
        _ => "unit",
    };
    match (&b.label, b.number) {
        (Some(l), _) => format!("{kind} {}", l.trim()),
        (None, Some(n)) => format!("{kind} {n}"),
        (None, None) => format!("{kind} #{}", b.id),
    }
}

/// How a warning names a text block.
fn block_name(k: BlockKind) -> &'static str {
    match k {
        BlockKind::Item => "list item",
        BlockKind::Heading => "subheading",
        BlockKind::Dateline => "dateline",
        BlockKind::Source => "source line",
        BlockKind::Byline => "byline",
        _ => "paragraph",
    }
}

/// What one translation is paired against.
struct Ctx<'a> {
    params: Params,
    orig_file: &'a str,
    trans_file: &'a str,
    groups: Vec<AlignedGroup>,
    paragraphs: Vec<AlignedGroup>,
    warnings: Vec<Warning>,
}

impl Ctx<'_> {
    fn one_sided(&mut self, b: &Block, in_original: bool, level: AlignLevel) {
        let (file, other) = if in_original {
            (self.orig_file, self.trans_file)
        } else {
            (self.trans_file, self.orig_file)
        };
        let ids = vec![b.id.clone()];
        self.groups.push(AlignedGroup {
            original: if in_original { ids.clone() } else { Vec::new() },
            translation: if in_original { Vec::new() } else { ids },
            score: 0.0,
            level,
        });
        if b.kind == BlockKind::Title {
            return;
        }
        let what = if level == AlignLevel::Unit {
            unit_name(b)
        } else {
            format!("{} #{}", block_name(b.kind), b.id)
        };
        self.warnings.push(Warning {
            file: file.to_string(),
            line: b.line,
            message: format!("{what} has no counterpart in {other}"),
            hint: Some(
                "the side-by-side page shows it beside an empty cell; check both texts for a missing or extra passage"
                    .into(),
            ),
            quote: None,
        });
    }

    /// Pairs the content of two units with the same id.
    fn unit(&mut self, o: &[Block], t: &[Block]) {
        self.paragraphs(&leaves(o), &leaves(t));
        let ou = units(o);
        let tu = units(t);
        let mut ti = 0;
        for ob in &ou {
            match tu.iter().position(|x| x.id == ob.id && x.kind == ob.kind) {
                Some(p) => {
                    // Units only the translation has, before this pair.
                    for extra in &tu[ti.min(p)..p] {
                        if !ou.iter().any(|x| x.id == extra.id) {
                            self.one_sided(extra, false, AlignLevel::Unit);
                        }
                    }
                    ti = ti.max(p + 1);
                    self.unit(&ob.children, &tu[p].children);
                }
                None => self.one_sided(ob, true, AlignLevel::Unit),
            }
        }
        for extra in &tu[ti.min(tu.len())..] {
            if !ou.iter().any(|x| x.id == extra.id) {
                self.one_sided(extra, false, AlignLevel::Unit);
            }
        }
    }

    /// Pairs the text blocks of two paired units: paragraphs by order and length, then
    /// the sentences inside each pair of paragraphs.
    fn paragraphs(&mut self, o: &[&Block], t: &[&Block]) {
        let of = |b: &&Block| Segment {
            kind: b.kind as u8,
            ..Segment::of(b.text.as_deref().unwrap_or(""))
        };
        let mut pa: Vec<Segment> = o.iter().map(of).collect();
        let mut pb: Vec<Segment> = t.iter().map(of).collect();
        gale_church::link_names(&mut pa, &mut pb);
        let pgroups = gale_church::align_with(&pa, &pb, self.params, PARAGRAPH_SHAPES);
        for g in pgroups {
            let ob = &o[g.a.clone()];
            let tb = &t[g.b.clone()];
            self.paragraphs.push(AlignedGroup {
                original: ob.iter().map(|b| b.id.clone()).collect(),
                translation: tb.iter().map(|b| b.id.clone()).collect(),
                score: round(g.score),
                level: AlignLevel::Paragraph,
            });
            match (ob.first(), tb.first()) {
                (Some(first), Some(_)) => self.sentences(first, ob, tb),
                _ => {
                    for b in ob {
                        self.one_sided(b, true, AlignLevel::Paragraph);
                    }
                    for b in tb {
                        self.one_sided(b, false, AlignLevel::Paragraph);
                    }
                }
            }
        }
    }

    fn sentences(&mut self, first: &Block, o: &[&Block], t: &[&Block]) {
        let so = segments(o);
        let st = segments(t);
        let mut a: Vec<Segment> = so.iter().map(|s| s.1.clone()).collect();
        let mut b: Vec<Segment> = st.iter().map(|s| s.1.clone()).collect();
        gale_church::link_names(&mut a, &mut b);
        let groups = gale_church::align(&a, &b, self.params);
        let mean = groups.iter().map(|g| g.score).sum::<f64>() / groups.len().max(1) as f64;
        let min = groups.iter().map(|g| g.score).fold(1.0, f64::min);
        if mean < LOW_MEAN || min < LOW_MIN {
            self.groups.push(AlignedGroup {
                original: o.iter().map(|b| b.id.clone()).collect(),
                translation: t.iter().map(|b| b.id.clone()).collect(),
                score: round(mean),
                level: AlignLevel::Paragraph,
            });
            self.warnings.push(Warning {
                file: self.orig_file.to_string(),
                line: first.line,
                message: format!(
                    "the sentences of paragraph #{} could not be paired with {} with confidence (mean score {:.2}, lowest {:.2}); the side-by-side page pairs the whole paragraph",
                    first.id, self.trans_file, mean, min
                ),
                hint: Some(
                    "a sentence may be missing, merged or reordered in one of the texts; check both"
                        .into(),
                ),
                quote: None,
            });
            return;
        }
        for g in groups {
            self.groups.push(AlignedGroup {
                original: so[g.a].iter().map(|s| s.0.clone()).collect(),
                translation: st[g.b].iter().map(|s| s.0.clone()).collect(),
                score: round(g.score),
                level: AlignLevel::Sentence,
            });
        }
    }
}

/// Aligns every translation of `doc` with the original: sets sentence ranges on every
/// version's text blocks and [`crate::model::Version::alignment`] on every translation.
/// Warns, with file and line, about every unit or paragraph found on one side only and
/// every paragraph whose sentences could not be paired with confidence.
pub fn align_document(doc: &mut Document) -> Vec<Warning> {
    for v in &mut doc.versions {
        mark_sentences(&mut v.blocks);
    }
    let Some(oi) = doc.versions.iter().position(|v| v.original).or(Some(0)) else {
        return Vec::new();
    };
    if doc.versions.len() < 2 {
        return Vec::new();
    }
    let mut warnings = Vec::new();
    for ti in 0..doc.versions.len() {
        if ti == oi {
            continue;
        }
        let (o, t) = (&doc.versions[oi], &doc.versions[ti]);
        let params = estimate(&o.blocks, &t.blocks).unwrap_or(DEFAULT_PARAMS);
        let mut ctx = Ctx {
            params,
            orig_file: &o.source,
            trans_file: &t.source,
            groups: Vec::new(),
            paragraphs: Vec::new(),
            warnings: Vec::new(),
        };
        ctx.unit(&o.blocks, &t.blocks);
        let alignment = Alignment {
            original_lang: o.lang.clone(),
            ratio: round(params.ratio),
            variance: round(params.variance),
            groups: ctx.groups,
            paragraphs: ctx.paragraphs,
        };
        warnings.extend(ctx.warnings);
        doc.versions[ti].alignment = Some(alignment);
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    /// The guideline's two versions aligned, with the build's warnings.
    fn aligned(zh: &str, en: &str) -> (Document, Vec<Warning>) {
        let mut doc = crate::align::test_document(zh, Some(en));
        let w = align_document(&mut doc);
        (doc, w)
    }

    type Pairs = Vec<(Vec<String>, Vec<String>)>;

    fn pairs(groups: &[AlignedGroup], level: AlignLevel) -> Pairs {
        groups
            .iter()
            .filter(|g| g.level == level)
            .map(|g| (g.original.clone(), g.translation.clone()))
            .collect()
    }

    fn p(o: &[&str], t: &[&str]) -> (Vec<String>, Vec<String>) {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
        (v(o), v(t))
    }

    // Clause (一): a long first paragraph and a short second one in Chinese; the English
    // cuts the first in two (`c1-1`, `c1-2`), so its third paragraph is the second
    // Chinese one. Clause (二) pairs one to one.
    const ZH: &str = "一、总则\n\n（一）推进建设。支持西部地区加快发展现代产业体系，推动传统产业转型升级。支持西部地区加快发展现代产业体系，推动传统产业转型升级。建设一批国家级新区和开发区，促进产业集聚发展。\n\n完善基础设施网络，提高通达水平。\n\n（二）深化改革。推进要素市场化配置改革，激发市场活力。\n";
    const EN: &str = "1. General\n\n(1) Promote construction. Support the western region in accelerating the development of a modern industrial system and promote the transformation and upgrading of traditional industries. Support the western region in speeding up a modern industrial system, and push the upgrading of traditional industries.\n\nBuild a batch of national new areas and development zones and promote the clustering of industries.\n\nImprove the infrastructure network and raise the level of access.\n\n(2) Deepen reform. Promote the market-based allocation of factors and stimulate market vitality.\n";

    #[test]
    fn paragraphs_pair_by_order_and_length() {
        let (doc, warnings) = aligned(ZH, EN);
        let al = doc.versions[1].alignment.as_ref().unwrap();
        assert_eq!(
            pairs(&al.paragraphs, AlignLevel::Paragraph),
            vec![
                p(&["c1-1"], &["c1-1", "c1-2"]),
                p(&["c1-2"], &["c1-3"]),
                p(&["c2-1"], &["c2-1"]),
            ]
        );
        // Sentences pair inside the paragraph groups: the third Chinese sentence with the
        // English paragraph split off, the short paragraph with the English third.
        let s = pairs(&al.groups, AlignLevel::Sentence);
        assert!(s.contains(&p(&["c1-1.3"], &["c1-2.1"])), "{s:?}");
        assert!(s.contains(&p(&["c1-2.1"], &["c1-3.1"])), "{s:?}");
        assert!(s.contains(&p(&["c2-1.1"], &["c2-1.1"])), "{s:?}");
        // A split is no mismatch: nothing to warn about.
        assert!(warnings.is_empty(), "{warnings:#?}");
        // By position alone, the short Chinese paragraph would face the wrong one.
        assert!(
            !al.paragraphs
                .iter()
                .any(|g| g.original == ["c1-2"] && g.translation == ["c1-2"])
        );
    }

    #[test]
    fn a_paragraph_on_one_side_only_is_a_gap_with_a_warning() {
        // The English lacks the middle paragraph of clause (一).
        let zh = "一、总则\n\n（一）推进建设。支持西部地区加快发展现代产业体系，推动传统产业转型升级。\n\n建设一批国家级新区和开发区，促进产业集聚发展，形成一批具有国际竞争力的先进制造业集群。\n\n完善基础设施网络，提高通达水平。\n";
        let en = "1. General\n\n(1) Promote construction. Support the western region in accelerating the development of a modern industrial system and promote the transformation and upgrading of traditional industries.\n\nImprove the infrastructure network and raise the level of access.\n";
        let (doc, warnings) = aligned(zh, en);
        let al = doc.versions[1].alignment.as_ref().unwrap();
        assert_eq!(
            pairs(&al.paragraphs, AlignLevel::Paragraph),
            vec![
                p(&["c1-1"], &["c1-1"]),
                p(&["c1-2"], &[]),
                p(&["c1-3"], &["c1-2"]),
            ]
        );
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        let w = &warnings[0];
        assert_eq!((w.file.as_str(), w.line), ("zh.txt", 5));
        assert_eq!(w.message, "paragraph #c1-2 has no counterpart in en.txt");
        // The one-sided paragraph is a group of its own in the data, too.
        assert!(pairs(&al.groups, AlignLevel::Paragraph).contains(&p(&["c1-2"], &[])));
    }
}
