//! Length-based alignment of two sequences of segments, after Gale and Church (1993),
//! with extra evidence from numbers and quotations found on both sides.
//!
//! A group joins 0–2 segments of one side with 0–2 of the other (1-1, 1-2, 2-1, 1-0, 0-1,
//! 2-2). Its cost is `-ln P(type) - ln P(δ)`, where `δ = (l₂ - c·l₁) / √(s²·m)` is the
//! length mismatch of the group under a normal model with this corpus's ratio `c` and
//! variance `s²` per unit of length (`m` the mean of `l₁` and `l₂/c`), and `P(δ) = 2(1 -
//! Φ(|δ|))`. Numbers (years, percentages, `20.5`) that appear on both sides lower the cost,
//! and so do quoted names [`link_names`] found to be the same on both sides; a number or
//! a linked name on one side only, and a different count of unlinked quotations, raise it
//! (see [`super::evidence`]). The dynamic programme finds the cheapest sequence of groups.

use super::evidence::{self, name_numbers, numbers, quoted_names};

/// One segment (a sentence or a paragraph) as the aligner sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Segment {
    /// Its length: non-space characters.
    pub len: f64,
    /// The numbers it contains, as written with ASCII digits (`2020`, `20.5`, `3%`).
    pub numbers: Vec<String>,
    /// Its quoted names (`“…”`, `「…」`, `《…》`, `"…"`), in order, each as the numbers
    /// inside it ([`evidence::name_numbers`]).
    pub names: Vec<Vec<u64>>,
    /// The links ([`link_names`]) its quoted names take part in.
    pub linked: Vec<usize>,
    /// What kind of block it is, for paragraphs (`0` for sentences): a group never joins
    /// segments of different kinds on one side, so a dateline is not merged into the
    /// paragraph before it.
    pub kind: u8,
}

impl Segment {
    /// The segment for `text`.
    pub(crate) fn of(text: &str) -> Segment {
        Segment {
            len: text.chars().filter(|c| !c.is_whitespace()).count() as f64,
            numbers: numbers(text),
            names: quoted_names(text).iter().map(|n| name_numbers(n)).collect(),
            linked: Vec::new(),
            kind: 0,
        }
    }
}

/// The length model: translation length ≈ `ratio` × original length, with `variance`
/// per unit of original length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Params {
    /// Mean characters of the translation per character of the original.
    pub ratio: f64,
    /// Variance of the translation's length per character of the original.
    pub variance: f64,
}

/// One group of the alignment: half-open index ranges into both sequences.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    /// Segments of the first sequence.
    pub a: std::ops::Range<usize>,
    /// Segments of the second sequence.
    pub b: std::ops::Range<usize>,
    /// Confidence in `[0, 1]`: the length fit, raised by shared numbers and lowered by
    /// numbers or quotations on one side only.
    pub score: f64,
}

/// What the programme may build and how it costs a passage on one side only.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shapes {
    /// The group shapes allowed: `(segments of a, segments of b, prior)`, 1-1 first,
    /// since ties go to the shape listed first.
    pub groups: &'static [(usize, usize, f64)],
    /// Whether a group with one side empty also costs its length mismatch, as in Gale
    /// and Church, or only its prior.
    pub gap_cost_by_length: bool,
}

/// Sentences: Gale and Church's shapes and priors, and their cost of a sentence on one
/// side only.
pub(crate) const SENTENCE_SHAPES: Shapes = Shapes {
    groups: &[
        (1, 1, 0.89),
        (1, 0, 0.005),
        (0, 1, 0.005),
        (2, 1, 0.0445),
        (1, 2, 0.0445),
        (2, 2, 0.011),
    ],
    gap_cost_by_length: true,
};

/// Paragraphs inside a pair of units: one may be split in two or two merged into one, or
/// one stand on one side only (the sentence priors without 2-2, renormalized). A
/// paragraph on one side only costs its prior alone: costing its missing length as a
/// mismatch would make merging it into a neighbour nearly always cheaper, however badly
/// the neighbour then fits, and a paragraph, unlike a sentence, is rarely cut up by a
/// translator into pieces that small.
pub(crate) const PARAGRAPH_SHAPES: Shapes = Shapes {
    groups: &[
        (1, 1, 0.9),
        (1, 0, 0.005),
        (0, 1, 0.005),
        (2, 1, 0.045),
        (1, 2, 0.045),
    ],
    gap_cost_by_length: false,
};

/// Weight (in nats) of a number found on both sides of a group.
const NUMBER_MATCH: f64 = 1.5;
/// Weight of a number found on one side only.
const NUMBER_MISS: f64 = 1.0;
/// Weight of a linked quoted name with both ends in a group.
const NAME_MATCH: f64 = 1.5;
/// Weight of a linked quoted name with one end in a group.
const NAME_MISS: f64 = 1.0;
/// Weight of each unlinked quotation more on one side than on the other.
const QUOTE_MISS: f64 = 0.4;

/// The standard normal distribution function.
fn phi(x: f64) -> f64 {
    // Abramowitz and Stegun 7.1.26, |error| < 1.5e-7.
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs() / std::f64::consts::SQRT_2);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-(x * x) / 2.0).exp();
    if x >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// `P(δ)`: how well lengths `l1` and `l2` fit the model, in `(0, 1]`.
pub(crate) fn length_fit(l1: f64, l2: f64, p: Params) -> f64 {
    if l1 == 0.0 && l2 == 0.0 {
        return 1.0;
    }
    let m = ((l1 + l2 / p.ratio) / 2.0).max(1.0);
    let delta = (l2 - p.ratio * l1) / (p.variance * m).sqrt();
    (2.0 * (1.0 - phi(delta.abs()))).max(1e-12)
}

/// Numbers on both sides, and on one side only, of a group.
fn number_evidence(a: &[Segment], b: &[Segment]) -> (usize, usize) {
    let mut left: Vec<&String> = a.iter().flat_map(|s| &s.numbers).collect();
    let mut shared = 0;
    let mut only_b = 0;
    for n in b.iter().flat_map(|s| &s.numbers) {
        match left.iter().position(|x| *x == n) {
            Some(i) => {
                left.remove(i);
                shared += 1;
            }
            None => only_b += 1,
        }
    }
    (shared, left.len() + only_b)
}

/// Links the quoted names of `a` with those of `b` that are the same unit of translation
/// ([`evidence::link_names`] over all names of each side, in order): each link gets an
/// id, added to the `linked` of the segments on both sides that hold its names.
pub(crate) fn link_names(a: &mut [Segment], b: &mut [Segment]) {
    let all = |s: &[Segment]| -> Vec<(usize, Vec<u64>)> {
        s.iter()
            .enumerate()
            .flat_map(|(i, s)| s.names.iter().map(move |n| (i, n.clone())))
            .collect()
    };
    let (na, nb) = (all(a), all(b));
    let numbers = |n: &[(usize, Vec<u64>)]| n.iter().map(|x| x.1.clone()).collect::<Vec<_>>();
    for (k, (x, y)) in evidence::link_names(&numbers(&na), &numbers(&nb))
        .into_iter()
        .enumerate()
    {
        a[na[x].0].linked.push(k);
        b[nb[y].0].linked.push(k);
    }
}

/// Linked names with both ends in a group, with one end only, and how many more
/// unlinked names one side has than the other.
fn name_evidence(a: &[Segment], b: &[Segment]) -> (usize, usize, usize) {
    let la: Vec<usize> = a.iter().flat_map(|s| s.linked.iter().copied()).collect();
    let lb: Vec<usize> = b.iter().flat_map(|s| s.linked.iter().copied()).collect();
    let shared = la.iter().filter(|k| lb.contains(k)).count();
    let one_end = la.len() + lb.len() - 2 * shared;
    let unlinked =
        |s: &[Segment]| -> usize { s.iter().map(|s| s.names.len() - s.linked.len()).sum() };
    (shared, one_end, unlinked(a).abs_diff(unlinked(b)))
}

/// Whether all of `s` are of one kind.
fn one_kind(s: &[Segment]) -> bool {
    s.windows(2).all(|w| w[0].kind == w[1].kind)
}

/// Cost and score of grouping `a` with `b`.
fn group_cost(
    a: &[Segment],
    b: &[Segment],
    prior: f64,
    p: Params,
    gap_cost_by_length: bool,
) -> (f64, f64) {
    let l1: f64 = a.iter().map(|s| s.len).sum();
    let l2: f64 = b.iter().map(|s| s.len).sum();
    let fit = length_fit(l1, l2, p);
    // The score of a group with one side empty still says how much is missing.
    let cost_fit = if !gap_cost_by_length && (a.is_empty() || b.is_empty()) {
        1.0
    } else {
        fit
    };
    let (numbers_shared, numbers_missing) = number_evidence(a, b);
    let (names_shared, names_missing, quote_miss) = name_evidence(a, b);
    let shared = numbers_shared + names_shared;
    let missing = numbers_missing + names_missing;
    let quote_miss = quote_miss as f64;
    let evidence = -NUMBER_MATCH * numbers_shared as f64 + NUMBER_MISS * numbers_missing as f64
        - NAME_MATCH * names_shared as f64
        + NAME_MISS * names_missing as f64
        + QUOTE_MISS * quote_miss;
    let cost = -prior.ln() - cost_fit.ln() + evidence;
    let mut score = fit;
    if shared > 0 {
        score = 1.0 - (1.0 - score) * 0.5f64.powi(shared as i32);
    }
    score *= 0.75f64.powi(missing as i32) * 0.9f64.powi(quote_miss as i32);
    if a.is_empty() || b.is_empty() {
        score = score.min(0.2);
    }
    (cost, score)
}

/// The cheapest alignment of the sentences `a` with `b` under the model `p`, as groups
/// in order, with the [`SENTENCE_SHAPES`]. Every segment of both sides is in exactly one
/// group.
pub(crate) fn align(a: &[Segment], b: &[Segment], p: Params) -> Vec<Group> {
    align_with(a, b, p, SENTENCE_SHAPES)
}

/// [`align`] with the group shapes `shapes`. A segment left unpaired still joins a
/// neighbour group when that fits better, so a group may exceed the shapes.
pub(crate) fn align_with(a: &[Segment], b: &[Segment], p: Params, shapes: Shapes) -> Vec<Group> {
    let (n, m) = (a.len(), b.len());
    let mut cost = vec![vec![f64::INFINITY; m + 1]; n + 1];
    let mut back: Vec<Vec<(usize, usize, f64)>> = vec![vec![(0, 0, 0.0); m + 1]; n + 1];
    cost[0][0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                continue;
            }
            for &(da, db, prior) in shapes.groups {
                if da > i || db > j || !one_kind(&a[i - da..i]) || !one_kind(&b[j - db..j]) {
                    continue;
                }
                let prev = cost[i - da][j - db];
                if !prev.is_finite() {
                    continue;
                }
                let (c, s) = group_cost(
                    &a[i - da..i],
                    &b[j - db..j],
                    prior,
                    p,
                    shapes.gap_cost_by_length,
                );
                // Ties go to the shape listed first (1-1), so the result is deterministic.
                if prev + c < cost[i][j] {
                    cost[i][j] = prev + c;
                    back[i][j] = (da, db, s);
                }
            }
        }
    }
    let mut groups = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (da, db, score) = back[i][j];
        groups.push(Group {
            a: i - da..i,
            b: j - db..j,
            score,
        });
        i -= da;
        j -= db;
    }
    groups.reverse();
    absorb_unpaired(groups, a, b, p)
}

/// Joins a segment left unpaired (a 1-0 or 0-1 group) to the group before or after it
/// when that group's lengths fit better with it than without: a translation that cuts
/// one sentence into three or more leaves the rest unpaired otherwise. A sentence
/// really missing on one side stays unpaired, since adding it spoils its neighbour's fit.
fn absorb_unpaired(mut groups: Vec<Group>, a: &[Segment], b: &[Segment], p: Params) -> Vec<Group> {
    let score = |g: &Group| group_cost(&a[g.a.clone()], &b[g.b.clone()], 1.0, p, true).1;
    let fit = |g: &Group| {
        let l1: f64 = a[g.a.clone()].iter().map(|s| s.len).sum();
        let l2: f64 = b[g.b.clone()].iter().map(|s| s.len).sum();
        length_fit(l1, l2, p)
    };
    loop {
        let mut best: Option<(usize, usize, f64)> = None; // (lone, neighbour, gain)
        for i in 0..groups.len() {
            let g = &groups[i];
            if !(g.a.is_empty() || g.b.is_empty()) {
                continue;
            }
            for n in [i.wrapping_sub(1), i + 1] {
                let Some(h) = groups.get(n) else { continue };
                if h.a.is_empty() || h.b.is_empty() {
                    continue;
                }
                let kinds =
                    |x: &std::ops::Range<usize>, y: &std::ops::Range<usize>, s: &[Segment]| {
                        let (lo, hi) = (x.start.min(y.start), x.end.max(y.end));
                        one_kind(&s[lo..hi])
                    };
                if !kinds(&g.a, &h.a, a) || !kinds(&g.b, &h.b, b) {
                    continue;
                }
                let merged = Group {
                    a: g.a.start.min(h.a.start)..g.a.end.max(h.a.end),
                    b: g.b.start.min(h.b.start)..g.b.end.max(h.b.end),
                    score: 0.0,
                };
                let gain = fit(&merged) - fit(h);
                if gain > 0.0 && best.is_none_or(|(_, _, b)| gain > b) {
                    best = Some((i, n, gain));
                }
            }
        }
        let Some((i, n, _)) = best else { break };
        let (g, h) = (groups[i].clone(), groups[n].clone());
        let mut merged = Group {
            a: g.a.start.min(h.a.start)..g.a.end.max(h.a.end),
            b: g.b.start.min(h.b.start)..g.b.end.max(h.b.end),
            score: 0.0,
        };
        merged.score = score(&merged);
        let lo = i.min(n);
        groups.splice(lo..lo + 2, [merged]);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(len: f64) -> Segment {
        Segment {
            len,
            ..Segment::default()
        }
    }

    const P: Params = Params {
        ratio: 4.0,
        variance: 10.0,
    };

    #[test]
    fn finds_one_to_two() {
        let a = [seg(20.0), seg(40.0), seg(10.0)];
        let b = [seg(80.0), seg(70.0), seg(90.0), seg(40.0)];
        let g = align(&a, &b, P);
        let shapes: Vec<(usize, usize)> = g.iter().map(|g| (g.a.len(), g.b.len())).collect();
        assert_eq!(shapes, vec![(1, 1), (1, 2), (1, 1)]);
        assert!(g.iter().all(|g| g.score > 0.3), "{g:?}");
    }

    #[test]
    fn numbers_decide_between_close_lengths() {
        let a = vec![seg(20.0), seg(20.0)];
        let b = vec![seg(58.0), seg(40.0), seg(62.0)];
        // Lengths alone favour 1-2 then 1-1 …
        let g = align(&a, &b, P);
        assert_eq!((g[0].b.clone(), g[1].b.clone()), (0..2, 2..3));
        // … a year on both sides says the second sentence starts at the second English one.
        let (mut a, mut b) = (a, b);
        a[1].numbers = vec!["2035".into()];
        b[1].numbers = vec!["2035".into()];
        let g = align(&a, &b, P);
        assert_eq!((g[0].b.clone(), g[1].b.clone()), (0..1, 1..3));
    }

    #[test]
    fn quoted_names_decide_between_close_lengths() {
        let a = vec![seg(20.0), seg(20.0)];
        let b = vec![seg(58.0), seg(40.0), seg(62.0)];
        assert_eq!(align(&a, &b, P)[1].b, 2..3);
        // The second sentence of each side quotes a name (“四个意识”, "four
        // consciousnesses"): linked by their place, they pull the groups into line.
        let (mut a, mut b) = (a, b);
        a[1].names = vec![vec![4]];
        b[1].names = vec![vec![4]];
        link_names(&mut a, &mut b);
        assert_eq!(
            (a[1].linked.clone(), b[1].linked.clone()),
            (vec![0], vec![0])
        );
        let g = align(&a, &b, P);
        assert_eq!((g[0].b.clone(), g[1].b.clone()), (0..1, 1..3));
        // Names whose numbers disagree are not linked, and decide nothing.
        let (mut a, mut b) = (a, b);
        a[1].linked.clear();
        b[1].linked.clear();
        b[1].names = vec![vec![2]];
        link_names(&mut a, &mut b);
        assert!(a[1].linked.is_empty());
    }

    #[test]
    fn absorbs_a_sentence_cut_in_three() {
        let a = [seg(10.0), seg(50.0), seg(10.0)];
        let b = [seg(40.0), seg(70.0), seg(70.0), seg(60.0), seg(40.0)];
        let g = |a: std::ops::Range<usize>, b: std::ops::Range<usize>| Group { a, b, score: 0.0 };
        // The programme's best with at most two per side leaves one sentence unpaired …
        let groups = vec![g(0..1, 0..1), g(1..2, 1..3), g(2..2, 3..4), g(2..3, 4..5)];
        let out = absorb_unpaired(groups, &a, &b, P);
        let shapes: Vec<(usize, usize)> = out.iter().map(|g| (g.a.len(), g.b.len())).collect();
        // … which belongs with the sentence before it.
        assert_eq!(shapes, vec![(1, 1), (1, 3), (1, 1)]);
        // A sentence that fits nowhere stays unpaired.
        let b = [seg(40.0), seg(100.0), seg(100.0), seg(60.0), seg(40.0)];
        let groups = vec![g(0..1, 0..1), g(1..2, 1..3), g(2..2, 3..4), g(2..3, 4..5)];
        assert_eq!(absorb_unpaired(groups, &a, &b, P).len(), 4);
    }

    #[test]
    fn blocks_of_different_kinds_stay_apart() {
        // A paragraph and a short line after it against one paragraph: lengths alone
        // join them …
        let a = [seg(30.0), seg(8.0)];
        let b = [seg(140.0)];
        let shapes = |g: &[Group]| -> Vec<(usize, usize)> {
            g.iter().map(|g| (g.a.len(), g.b.len())).collect()
        };
        assert_eq!(
            shapes(&align_with(&a, &b, P, PARAGRAPH_SHAPES)),
            vec![(2, 1)]
        );
        // … but a dateline is not part of the paragraph: it stays on its own.
        let a = [
            seg(30.0),
            Segment {
                kind: 9,
                ..seg(8.0)
            },
        ];
        let g = align_with(&a, &b, P, PARAGRAPH_SHAPES);
        assert_eq!(shapes(&g), vec![(1, 1), (1, 0)]);
    }

    #[test]
    fn a_missing_paragraph_costs_its_prior_not_its_length() {
        // The second of three paragraphs has no translation; merging it into a
        // neighbour would spoil that neighbour's fit.
        let a = [seg(30.0), seg(100.0), seg(20.0)];
        let b = [seg(120.0), seg(80.0)];
        let g = align_with(&a, &b, P, PARAGRAPH_SHAPES);
        let shapes: Vec<(usize, usize)> = g.iter().map(|g| (g.a.len(), g.b.len())).collect();
        assert_eq!(shapes, vec![(1, 1), (1, 0), (1, 1)]);
        assert!(g[1].score <= 0.2);
    }

    #[test]
    fn normal_distribution() {
        assert!((phi(0.0) - 0.5).abs() < 1e-6 && (phi(1.96) - 0.975).abs() < 1e-3);
    }

    #[test]
    fn empty_sides() {
        assert!(align(&[], &[], P).is_empty());
        let g = align(&[seg(10.0)], &[], P);
        assert_eq!((g[0].a.clone(), g[0].b.clone()), (0..1, 0..0));
        assert!(g[0].score <= 0.2);
    }
}
