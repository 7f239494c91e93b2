//! Clause correspondence between a document and the one it implements.
//!
//! Each clause becomes a vector of character unigrams and bigrams (Han characters,
//! letters and digits; bigrams do not cross punctuation), its heading counted
//! [`TITLE_WEIGHT`] times, weighted by sublinear term frequency and by inverse document
//! frequency over the clauses of both documents. Two clauses are as similar as the cosine
//! of their vectors. A clause keeps its best counterpart when the score reaches
//! [`THRESHOLD`]; a further candidate among its top three is kept only when the two are
//! each other's best (mutual best).

use super::shared::{self, clause_texts};
use crate::model::{Block, BlockKind, ClauseLink, ClauseRef, Document, Library, walk_blocks};
use rustc_hash::FxHashMap;

/// How many times a clause heading counts, against once for its body text.
pub(crate) const TITLE_WEIGHT: f64 = 5.0;

/// The lowest score at which two clauses are taken to correspond.
pub(crate) const THRESHOLD: f64 = 0.185;

/// How many candidates of a clause are considered.
const TOP: usize = 3;

/// A sparse vector: (feature, weight), sorted by feature.
type Vector = Vec<(u64, f64)>;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The n-gram features of a text into `out`, each occurrence as (feature, `weight`).
fn features(text: &str, weight: f64, out: &mut Vec<(u64, f64)>) {
    let mut prev: Option<char> = None;
    let mut one = |c: char| {
        if !is_word_char(c) {
            prev = None;
            return;
        }
        out.push((c as u64, weight));
        if let Some(p) = prev {
            out.push(((1u64 << 63) | ((p as u64) << 21) | c as u64, weight));
        }
        prev = Some(c);
    };
    for c in text.chars() {
        // Han characters (most of a Chinese text) have no case.
        if c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            one(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut one);
        }
    }
}

/// The raw feature counts of a clause, sorted by feature.
fn raw_counts(b: &Block) -> Vec<(u64, f64)> {
    let (title, body) = clause_texts(b);
    let mut all = Vec::new();
    features(&title, TITLE_WEIGHT, &mut all);
    for t in &body {
        features(t, 1.0, &mut all);
    }
    // Equal features summed; the weights are whole numbers, so the sums are exact in
    // any order.
    all.sort_unstable_by_key(|(k, _)| *k);
    let mut v: Vec<(u64, f64)> = Vec::with_capacity(all.len());
    for (k, w) in all {
        match v.last_mut() {
            Some((last, sum)) if *last == k => *sum += w,
            _ => v.push((k, w)),
        }
    }
    v
}

/// TF-IDF vectors (unit length) for a set of texts given as raw feature counts.
fn tfidf(all: &[&[(u64, f64)]]) -> Vec<Vector> {
    let n = all.len() as f64;
    let mut df: FxHashMap<u64, f64> = FxHashMap::default();
    for c in all {
        for (k, _) in c.iter() {
            *df.entry(*k).or_default() += 1.0;
        }
    }
    // Each feature's inverse document frequency once, not once per clause that has it.
    let idf: FxHashMap<u64, f64> = df
        .into_iter()
        .map(|(k, d)| (k, ((n + 1.0) / (d + 1.0)).ln() + 1.0))
        .collect();
    // The counts are whole numbers, mostly small: their logarithms from a table.
    const SMALL: usize = 64;
    let ln_small: [f64; SMALL] = std::array::from_fn(|i| (i as f64).ln());
    let ln = |tf: f64| match ln_small.get(tf as usize) {
        Some(l) if tf.fract() == 0.0 => *l,
        _ => tf.ln(),
    };
    all.iter()
        .map(|c| {
            let mut v: Vector = c
                .iter()
                .map(|(k, tf)| (*k, (1.0 + ln(*tf)) * idf[k]))
                .collect();
            let norm = v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            if norm > 0.0 {
                for (_, w) in &mut v {
                    *w /= norm;
                }
            }
            v
        })
        .collect()
}

fn cosine(a: &Vector, b: &Vector) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// The clauses of a document's original version, in reading order.
pub(crate) fn clauses(doc: &Document) -> Vec<&Block> {
    if doc.versions.is_empty() {
        return Vec::new();
    }
    walk_blocks(&doc.original().blocks)
        .into_iter()
        .filter(|b| b.kind == BlockKind::Clause)
        .collect()
}

/// Up to this many pairs of clauses (rows × columns), every pair is scored
/// ([`score_matrix`]); above it only candidate pairs ([`sparse_scores`]), so that two
/// documents of thousands of clauses each are linked in time and memory near-linear in
/// their clauses.
pub(crate) const EXHAUSTIVE_PAIRS: usize = 250_000;

/// A bigram that more than this many columns hold does not make a candidate pair (a
/// formula such as `发展`, shared by most clauses, tells none apart).
const CANDIDATE_CAP: usize = 64;

/// The raw feature counts of each clause ([`raw_counts`]).
fn all_raw_counts(clauses: &[&Block]) -> Vec<Vec<(u64, f64)>> {
    clauses.iter().map(|b| raw_counts(b)).collect()
}

/// The TF-IDF vectors of the clauses of `from`, then of `to`, from their raw counts.
fn vectors(from: &[Vec<(u64, f64)>], to: &[Vec<(u64, f64)>]) -> Vec<Vector> {
    let counts: Vec<&[(u64, f64)]> = from.iter().chain(to.iter()).map(Vec::as_slice).collect();
    tfidf(&counts)
}

/// The similarity of every clause of `from` (rows) to every clause of `to` (columns).
///
/// Each row is spread over a dense array of the columns' features, so a column's score
/// is one pass over its own features; the products are summed in the same order as
/// [`cosine`] sums them (features in order; the 0 of an unshared feature adds nothing),
/// so the scores are the same to the last bit.
#[cfg(test)]
pub(crate) fn score_matrix(from: &[&Block], to: &[&Block]) -> Vec<Vec<f64>> {
    score_matrix_of(&all_raw_counts(from), &all_raw_counts(to))
}

/// [`score_matrix`] from the clauses' raw counts.
fn score_matrix_of(from: &[Vec<(u64, f64)>], to: &[Vec<(u64, f64)>]) -> Vec<Vec<f64>> {
    let vecs = vectors(from, to);
    let (a, b) = vecs.split_at(from.len());
    let mut number: FxHashMap<u64, usize> = FxHashMap::default();
    let cols: Vec<Vec<(usize, f64)>> = b
        .iter()
        .map(|y| {
            y.iter()
                .map(|(k, w)| {
                    let next = number.len();
                    (*number.entry(*k).or_insert(next), *w)
                })
                .collect()
        })
        .collect();
    let mut dense = vec![0.0f64; number.len()];
    a.iter()
        .map(|x| {
            let spread: Vec<usize> = x
                .iter()
                .filter_map(|(k, w)| {
                    let i = *number.get(k)?;
                    dense[i] = *w;
                    Some(i)
                })
                .collect();
            let row = cols
                .iter()
                .map(|c| c.iter().fold(0.0, |s, (i, w)| s + dense[*i] * w))
                .collect();
            for i in spread {
                dense[i] = 0.0;
            }
            row
        })
        .collect()
}

/// The similarity of each clause of `from` to its candidates in `to`, as (column, score)
/// in column order: the clauses that share with it a bigram held by at most
/// [`CANDIDATE_CAP`] clauses of `to`. A pair that is no candidate is taken to score 0;
/// the score of two clauses comes mostly from the bigrams they share, so such a pair
/// lies below [`THRESHOLD`] in all but contrived cases.
#[cfg(test)]
pub(crate) fn sparse_scores(from: &[&Block], to: &[&Block]) -> Vec<Vec<(usize, f64)>> {
    sparse_scores_of(&all_raw_counts(from), &all_raw_counts(to))
}

/// [`sparse_scores`] from the clauses' raw counts.
fn sparse_scores_of(from: &[Vec<(u64, f64)>], to: &[Vec<(u64, f64)>]) -> Vec<Vec<(usize, f64)>> {
    let vecs = vectors(from, to);
    let (a, b) = vecs.split_at(from.len());
    a.iter()
        .zip(candidates(a, b))
        .map(|(x, cols)| cols.into_iter().map(|j| (j, cosine(x, &b[j]))).collect())
        .collect()
}

/// For each row vector, the columns that share a bigram with it which at most
/// [`CANDIDATE_CAP`] columns have (an inverted index over the columns' bigrams).
fn candidates(rows: &[Vector], cols: &[Vector]) -> Vec<Vec<usize>> {
    let is_bigram = |k: u64| k >> 63 == 1;
    let mut index: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (j, v) in cols.iter().enumerate() {
        for &(k, _) in v.iter().filter(|(k, _)| is_bigram(*k)) {
            index.entry(k).or_default().push(j);
        }
    }
    rows.iter()
        .map(|v| {
            let mut c: Vec<usize> = v
                .iter()
                .filter_map(|(k, _)| index.get(k))
                .filter(|list| list.len() <= CANDIDATE_CAP)
                .flatten()
                .copied()
                .collect();
            c.sort_unstable();
            c.dedup();
            c
        })
        .collect()
}

/// Rounds a score to three decimals, as it is published.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The matched pairs `(row, column, score)` of a score matrix: each row's best column at
/// or above the threshold, and among its other top candidates those whose best row it is.
pub(crate) fn select(m: &[Vec<f64>]) -> Vec<(usize, usize, f64)> {
    let cols = m.first().map_or(0, Vec::len);
    let best_row: Vec<Option<usize>> = (0..cols)
        .map(|j| {
            (0..m.len()).fold(None, |best: Option<usize>, i| match best {
                Some(b) if m[b][j] >= m[i][j] => Some(b),
                _ => Some(i),
            })
        })
        .collect();
    let mut out = Vec::new();
    for (i, row) in m.iter().enumerate() {
        let mut order: Vec<usize> = (0..row.len()).collect();
        order.sort_by(|a, b| row[*b].total_cmp(&row[*a]).then(a.cmp(b)));
        for (rank, &j) in order.iter().take(TOP).enumerate() {
            if row[j] < THRESHOLD {
                break;
            }
            if rank == 0 || best_row[j] == Some(i) {
                out.push((i, j, row[j]));
            }
        }
    }
    out
}

/// [`select`] on the rows of [`sparse_scores`] over `cols` columns: the same pairs as on
/// the full matrix with 0 where no score is given.
pub(crate) fn select_sparse(rows: &[Vec<(usize, f64)>], cols: usize) -> Vec<(usize, usize, f64)> {
    // Each column's best row, the first on ties, among rows that scored it above 0.
    let mut best_row: Vec<Option<(usize, f64)>> = vec![None; cols];
    for (i, row) in rows.iter().enumerate() {
        for &(j, s) in row {
            match best_row[j] {
                Some((_, b)) if b >= s => {}
                _ => best_row[j] = Some((i, s)),
            }
        }
    }
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let mut order = row.clone();
        order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (rank, &(j, s)) in order.iter().take(TOP).enumerate() {
            if s < THRESHOLD {
                break;
            }
            if rank == 0 || best_row[j].map(|b| b.0) == Some(i) {
                out.push((i, j, s));
            }
        }
    }
    out
}

/// The clauses of a document and their raw feature counts, made once for a document
/// however many others implement it.
struct Clauses<'a> {
    blocks: Vec<&'a Block>,
    raw: Vec<Vec<(u64, f64)>>,
}

/// Fills `links` of every document that `implements` another of the library; the
/// documents are linked in parallel.
pub(crate) fn link_clauses(lib: &mut Library) {
    use rayon::prelude::*;
    let by_slug: std::collections::HashMap<&str, usize> = lib
        .documents
        .iter()
        .enumerate()
        .rev() // the first document of a slug wins, as with a search from the start
        .map(|(i, d)| (d.slug.as_str(), i))
        .collect();
    // The documents that take part: those that implement another, and their targets.
    let mut involved = vec![false; lib.documents.len()];
    for (i, doc) in lib.documents.iter().enumerate() {
        for r in doc.relations.iter().filter(|r| r.kind == "implements") {
            if let Some(&t) = by_slug.get(r.target.as_str()) {
                involved[i] = true;
                involved[t] = true;
            }
        }
    }
    let clause_sets: Vec<Option<Clauses>> = lib
        .documents
        .par_iter()
        .zip(involved)
        .map(|(doc, inv)| {
            inv.then(|| {
                let blocks = clauses(doc);
                let raw = all_raw_counts(&blocks);
                Clauses { blocks, raw }
            })
        })
        .collect();
    let found: Vec<Vec<ClauseLink>> = lib
        .documents
        .par_iter()
        .zip(&clause_sets)
        .map(|(doc, own)| match own {
            Some(own) => links_of(doc, own, &by_slug, lib, &clause_sets),
            None => Vec::new(),
        })
        .collect();
    drop(clause_sets);
    for (doc, links) in lib.documents.iter_mut().zip(found) {
        doc.links = links;
    }
}

/// The clause links of `doc` (whose clauses are `own`) to the documents it implements.
fn links_of(
    doc: &Document,
    own: &Clauses,
    by_slug: &std::collections::HashMap<&str, usize>,
    lib: &Library,
    sets: &[Option<Clauses>],
) -> Vec<ClauseLink> {
    let mut links = Vec::new();
    for r in doc.relations.iter().filter(|r| r.kind == "implements") {
        let Some(&t) = by_slug.get(r.target.as_str()) else {
            continue;
        };
        let (target, Some(theirs)) = (&lib.documents[t], &sets[t]) else {
            continue;
        };
        let (from, to) = (&own.blocks, &theirs.blocks);
        if from.is_empty() || to.is_empty() {
            continue;
        }
        let pairs = if from.len() * to.len() <= EXHAUSTIVE_PAIRS {
            select(&score_matrix_of(&own.raw, &theirs.raw))
        } else {
            select_sparse(&sparse_scores_of(&own.raw, &theirs.raw), to.len())
        };
        // The shared wording of each pair, pairs in parallel (in their order).
        use rayon::prelude::*;
        links.par_extend(pairs.into_par_iter().map(|(i, j, score)| ClauseLink {
            from: from[i].id.clone(),
            to: ClauseRef {
                doc: target.slug.clone(),
                id: to[j].id.clone(),
            },
            score: round3(score),
            shared: shared::passages(from[i], to[j]),
        }));
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(id: &str, title: &str, text: &str) -> Block {
        let mut b = Block::new(BlockKind::Clause, id, 1);
        b.title = Some(title.into());
        let mut p = Block::new(BlockKind::Paragraph, format!("{id}-1"), 2);
        p.text = Some(text.into());
        b.children.push(p);
        b
    }

    #[test]
    fn matches_by_wording_and_leaves_the_unrelated_unmatched() {
        let central = [
            clause(
                "c1",
                "强化公共就业创业服务。",
                "完善城乡劳动者终身职业技能培训政策。",
            ),
            clause(
                "c2",
                "支持教育高质量发展。",
                "加强普惠性幼儿园建设，发展职业教育。",
            ),
            clause(
                "c3",
                "健全养老服务体系。",
                "加快构建居家社区机构相协调的养老服务体系。",
            ),
        ];
        let local = [
            clause(
                "c1",
                "支持教育高质量发展。",
                "加快公办幼儿园建设，发展现代职业教育。",
            ),
            clause("c2", "强化公共就业创业服务。", "推行终身职业技能培训制度。"),
            clause("c3", "举办那达慕大会。", "赛马、摔跤、射箭。"),
        ];
        let from: Vec<&Block> = local.iter().collect();
        let to: Vec<&Block> = central.iter().collect();
        let m = score_matrix(&from, &to);
        let pairs: Vec<(usize, usize)> = select(&m).iter().map(|p| (p.0, p.1)).collect();
        assert!(pairs.contains(&(0, 1)), "{m:?}");
        assert!(pairs.contains(&(1, 0)), "{m:?}");
        assert!(!pairs.iter().any(|p| p.0 == 2), "{m:?}");
    }

    #[test]
    fn candidate_pairs_select_what_the_full_matrix_selects() {
        let mut central = Vec::new();
        let mut local = Vec::new();
        let topics = [
            (
                "强化公共就业创业服务。",
                "完善城乡劳动者终身职业技能培训政策。",
            ),
            (
                "支持教育高质量发展。",
                "加强普惠性幼儿园建设，发展职业教育。",
            ),
            (
                "健全养老服务体系。",
                "加快构建居家社区机构相协调的养老服务体系。",
            ),
            ("加强生态环境保护。", "推进重点生态工程，筑牢生态安全屏障。"),
            ("扩大对外开放。", "积极参与共建一带一路，建设内陆开放高地。"),
        ];
        for (k, (t, x)) in topics.iter().enumerate() {
            central.push(clause(&format!("c{}", k + 1), t, x));
            let (t2, x2) = topics[(k + 2) % topics.len()];
            local.push(clause(
                &format!("c{}", k + 1),
                t2,
                &format!("{x2}结合本地实际。"),
            ));
        }
        local.push(clause("c9", "举办那达慕大会。", "赛马、摔跤、射箭。"));
        let from: Vec<&Block> = local.iter().collect();
        let to: Vec<&Block> = central.iter().collect();
        let full = select(&score_matrix(&from, &to));
        let sparse = select_sparse(&sparse_scores(&from, &to), to.len());
        assert_eq!(full, sparse);
        assert_eq!(full.len(), 5, "{full:?}");
    }

    #[test]
    fn identical_clauses_score_one() {
        let a = clause("c1", "题。", "相同的文字。");
        let m = score_matrix(&[&a], &[&a]);
        assert!((m[0][0] - 1.0).abs() < 1e-9);
    }

    /// The candidate pruning that large pairs of documents use selects, on the seeds, exactly
    /// the pairs the full comparison selects: the fixture's result does not depend on it.
    #[test]
    fn candidate_pruning_keeps_the_seeds_links() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let lib = crate::build::load(&seeds).expect("the seeds load").library;
        let central = lib
            .documents
            .iter()
            .find(|d| d.slug == "guideline")
            .unwrap();
        let to = clauses(central);
        let mut compared = 0;
        for slug in ["gansu", "inner-mongolia"] {
            let doc = lib.documents.iter().find(|d| d.slug == slug).unwrap();
            let from = clauses(doc);
            let full = select(&score_matrix(&from, &to));
            let pruned = select_sparse(&sparse_scores(&from, &to), to.len());
            assert!(full.len() >= 20, "{slug}: {} pairs", full.len());
            assert_eq!(full, pruned, "{slug}");
            compared += full.len();
        }
        assert!(compared >= 51);
    }
}
