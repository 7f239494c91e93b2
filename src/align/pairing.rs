//! Pairing a translation with its original: units by number, paragraphs by order and
//! length, sentences by the Gale–Church programme.

use super::gale_church::{self, Params, Segment};
use super::sentences;
use crate::model::{AlignLevel, AlignedGroup, Alignment, Block, BlockKind, Document, Warning};

/// The length model where a document has too few paired clauses to estimate its own:
/// the estimate this module makes from the guideline's 36 clause pairs (000 ↔ 001),
/// rounded.
pub const DEFAULT_PARAMS: Params = Params {
    ratio: 4.1,
    variance: 133.0,
};

/// A paragraph whose sentence groups score below this on average falls back to
/// paragraph-level pairing.
pub const LOW_MEAN: f64 = 0.35;
/// … as does one with any group scoring below this.
pub const LOW_MIN: f64 = 0.02;

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
pub fn has_sentences(k: BlockKind) -> bool {
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
pub fn mark_sentences(blocks: &mut [Block]) {
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
pub fn estimate(original: &[Block], translation: &[Block]) -> Option<Params> {
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

/// What one translation is paired against.
struct Ctx<'a> {
    params: Params,
    orig_file: &'a str,
    trans_file: &'a str,
    groups: Vec<AlignedGroup>,
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
            format!("paragraph #{}", b.id)
        };
        self.warnings.push(Warning {
            file: file.to_string(),
            line: b.line,
            message: format!("{what} has no counterpart in {other}"),
            hint: Some(
                "the side-by-side page shows it beside an empty cell; check both texts for a missing or extra passage"
                    .into(),
            ),
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
        let pa: Vec<Segment> = o
            .iter()
            .map(|b| Segment::of(b.text.as_deref().unwrap_or("")))
            .collect();
        let pb: Vec<Segment> = t
            .iter()
            .map(|b| Segment::of(b.text.as_deref().unwrap_or("")))
            .collect();
        let pgroups = if o.len() == t.len() {
            // Same number of paragraphs: pair them in order.
            (0..o.len())
                .map(|i| gale_church::Group {
                    a: i..i + 1,
                    b: i..i + 1,
                    score: 1.0,
                })
                .collect()
        } else {
            gale_church::align(&pa, &pb, self.params)
        };
        for g in pgroups {
            let ob = &o[g.a.clone()];
            let tb = &t[g.b.clone()];
            match (ob.first(), tb.first()) {
                (Some(b), None) => self.one_sided(b, true, AlignLevel::Paragraph),
                (None, Some(b)) => self.one_sided(b, false, AlignLevel::Paragraph),
                (None, None) => {}
                (Some(first), Some(_)) => self.sentences(first, ob, tb),
            }
        }
    }

    fn sentences(&mut self, first: &Block, o: &[&Block], t: &[&Block]) {
        let so = segments(o);
        let st = segments(t);
        let a: Vec<Segment> = so.iter().map(|s| s.1.clone()).collect();
        let b: Vec<Segment> = st.iter().map(|s| s.1.clone()).collect();
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
            warnings: Vec::new(),
        };
        ctx.unit(&o.blocks, &t.blocks);
        let alignment = Alignment {
            original_lang: o.lang.clone(),
            ratio: round(params.ratio),
            variance: round(params.variance),
            groups: ctx.groups,
        };
        warnings.extend(ctx.warnings);
        doc.versions[ti].alignment = Some(alignment);
    }
    warnings
}
