//! Clause correspondence between a document and the one it implements.
//!
//! Each clause becomes a vector of character unigrams and bigrams (Han characters,
//! letters and digits; bigrams do not cross punctuation), its heading counted
//! [`TITLE_WEIGHT`] times, weighted by sublinear term frequency and by inverse document
//! frequency over the clauses of both documents. Two clauses are as similar as the cosine
//! of their vectors. A clause keeps its best counterpart when the score reaches
//! [`THRESHOLD`]; a further candidate among its top three is kept only when the two are
//! each other's best (mutual best).

use super::shared;
use crate::model::{Block, BlockKind, ClauseLink, ClauseRef, Document, Library, walk_blocks};
use std::collections::BTreeMap;

/// How many times a clause heading counts, against once for its body text.
pub const TITLE_WEIGHT: f64 = 5.0;

/// The lowest score at which two clauses are taken to correspond.
pub const THRESHOLD: f64 = 0.185;

/// How many candidates of a clause are considered.
const TOP: usize = 3;

/// A sparse vector: (feature, weight), sorted by feature.
type Vector = Vec<(u64, f64)>;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The n-gram features of a text, with counts, into `counts` (each counted `weight` times).
fn features(text: &str, weight: f64, counts: &mut BTreeMap<u64, f64>) {
    let mut prev: Option<char> = None;
    for c in text.chars().flat_map(char::to_lowercase) {
        if !is_word_char(c) {
            prev = None;
            continue;
        }
        *counts.entry(c as u64).or_default() += weight;
        if let Some(p) = prev {
            let key = (1u64 << 63) | ((p as u64) << 21) | c as u64;
            *counts.entry(key).or_default() += weight;
        }
        prev = Some(c);
    }
}

/// The heading and the body text of a clause: its label excluded, its children's text in
/// reading order.
pub fn clause_texts(b: &Block) -> (String, Vec<String>) {
    let title = b
        .title
        .clone()
        .or_else(|| b.supplied_title.as_ref().map(|s| s.text.clone()))
        .unwrap_or_default();
    let mut body = Vec::new();
    for x in b.walk() {
        if let Some(t) = &x.text {
            body.push(t.clone());
        }
        if x.id != b.id
            && let Some(t) = &x.title
        {
            body.push(t.clone());
        }
    }
    (title, body)
}

fn raw_counts(b: &Block) -> BTreeMap<u64, f64> {
    let (title, body) = clause_texts(b);
    let mut counts = BTreeMap::new();
    features(&title, TITLE_WEIGHT, &mut counts);
    for t in &body {
        features(t, 1.0, &mut counts);
    }
    counts
}

/// TF-IDF vectors (unit length) for a set of texts given as raw feature counts.
fn tfidf(all: &[BTreeMap<u64, f64>]) -> Vec<Vector> {
    let n = all.len() as f64;
    let mut df: BTreeMap<u64, f64> = BTreeMap::new();
    for c in all {
        for k in c.keys() {
            *df.entry(*k).or_default() += 1.0;
        }
    }
    all.iter()
        .map(|c| {
            let mut v: Vector = c
                .iter()
                .map(|(k, tf)| {
                    let idf = ((n + 1.0) / (df[k] + 1.0)).ln() + 1.0;
                    (*k, (1.0 + tf.ln()) * idf)
                })
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
pub fn clauses(doc: &Document) -> Vec<&Block> {
    if doc.versions.is_empty() {
        return Vec::new();
    }
    walk_blocks(&doc.original().blocks)
        .into_iter()
        .filter(|b| b.kind == BlockKind::Clause)
        .collect()
}

/// The similarity of every clause of `from` (rows) to every clause of `to` (columns).
pub fn score_matrix(from: &[&Block], to: &[&Block]) -> Vec<Vec<f64>> {
    let counts: Vec<_> = from
        .iter()
        .chain(to.iter())
        .map(|b| raw_counts(b))
        .collect();
    let vecs = tfidf(&counts);
    let (a, b) = vecs.split_at(from.len());
    a.iter()
        .map(|x| b.iter().map(|y| cosine(x, y)).collect())
        .collect()
}

/// Rounds a score to three decimals, as it is published.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The matched pairs `(row, column, score)` of a score matrix: each row's best column at
/// or above the threshold, and among its other top candidates those whose best row it is.
pub fn select(m: &[Vec<f64>]) -> Vec<(usize, usize, f64)> {
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

/// Fills `links` of every document that `implements` another of the library.
pub fn link_clauses(lib: &mut Library) {
    let mut found: Vec<(usize, Vec<ClauseLink>)> = Vec::new();
    for (di, doc) in lib.documents.iter().enumerate() {
        let mut links = Vec::new();
        for r in doc.relations.iter().filter(|r| r.kind == "implements") {
            let Some(target) = lib.documents.iter().find(|d| d.slug == r.target) else {
                continue;
            };
            let from = clauses(doc);
            let to = clauses(target);
            if from.is_empty() || to.is_empty() {
                continue;
            }
            let m = score_matrix(&from, &to);
            for (i, j, score) in select(&m) {
                links.push(ClauseLink {
                    from: from[i].id.clone(),
                    to: ClauseRef {
                        doc: target.slug.clone(),
                        id: to[j].id.clone(),
                    },
                    score: round3(score),
                    shared: shared::passages(from[i], to[j]),
                });
            }
        }
        found.push((di, links));
    }
    for (di, links) in found {
        lib.documents[di].links = links;
    }
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
    fn identical_clauses_score_one() {
        let a = clause("c1", "题。", "相同的文字。");
        let m = score_matrix(&[&a], &[&a]);
        assert!((m[0][0] - 1.0).abs() < 1e-9);
    }
}
