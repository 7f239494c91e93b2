//! The aligner against a hand alignment of the guideline: sentences of 000 (Chinese)
//! paired with sentences of 001 (English) by reading both, in
//! `tests/fixtures/alignment-gold.json`.

use clausebook::model::{AlignLevel, Document};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn guideline() -> Document {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let lib = clausebook::build::load(&seeds)
        .expect("the seeds load")
        .library;
    lib.documents
        .into_iter()
        .find(|d| d.slug == "guideline")
        .expect("the guideline")
}

type Pair = (Vec<String>, Vec<String>);

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a list of ids")
        .iter()
        .map(|s| s.as_str().expect("an id").to_string())
        .collect()
}

/// The share of gold groups the aligner reproduces exactly, with the misses.
fn score(doc: &Document, gold: &Value) -> (usize, usize, Vec<String>) {
    let alignment = doc.versions[1].alignment.as_ref().expect("an alignment");
    let found: BTreeSet<Pair> = alignment
        .groups
        .iter()
        .filter(|g| g.level == AlignLevel::Sentence)
        .map(|g| (g.original.clone(), g.translation.clone()))
        .collect();
    let (mut right, mut total, mut misses) = (0, 0, Vec::new());
    for p in gold["paragraphs"].as_array().expect("paragraphs") {
        for g in p["groups"].as_array().expect("groups") {
            let pair = (strings(&g["original"]), strings(&g["translation"]));
            total += 1;
            if found.contains(&pair) {
                right += 1;
            } else {
                misses.push(format!("{:?} ↔ {:?}", pair.0, pair.1));
            }
        }
    }
    (right, total, misses)
}

#[test]
fn aligner_matches_the_hand_alignment() {
    let gold: Value =
        serde_json::from_str(include_str!("../fixtures/alignment-gold.json")).unwrap();
    let doc = guideline();
    assert_eq!(doc.versions[0].source, gold["original"]);
    assert_eq!(doc.versions[1].source, gold["translation"]);
    // The fixture is big enough: ≥ 60 Chinese sentences, preamble and four parts.
    let paragraphs = gold["paragraphs"].as_array().unwrap();
    let sentences: usize = paragraphs
        .iter()
        .flat_map(|p| p["groups"].as_array().unwrap())
        .map(|g| g["original"].as_array().unwrap().len())
        .sum();
    assert!(sentences >= 60, "{sentences} sentences");
    let (right, total, misses) = score(&doc, &gold);
    let share = right as f64 / total as f64;
    eprintln!(
        "alignment: {right} of {total} gold groups exact ({:.1} %)",
        share * 100.0
    );
    assert!(share >= 0.95, "{right}/{total} exact; missed: {misses:#?}");
}

/// The measure can fail: a shifted alignment scores far below the bar.
#[test]
fn the_measure_catches_a_shifted_alignment() {
    let gold: Value =
        serde_json::from_str(include_str!("../fixtures/alignment-gold.json")).unwrap();
    let mut doc = guideline();
    let alignment = doc.versions[1].alignment.as_mut().unwrap();
    let n = alignment.groups.len();
    for i in 0..n - 1 {
        let next = alignment.groups[i + 1].translation.clone();
        alignment.groups[i].translation = next;
    }
    let (right, total, _) = score(&doc, &gold);
    assert!((right as f64) < 0.5 * total as f64, "{right}/{total}");
}
