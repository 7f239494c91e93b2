//! Citations: 《titles》 in the texts matched to the documents of the library.
//!
//! Titles are compared after normalization (only Han characters, letters and digits are
//! kept, letters lowercased), so `中共中央、国务院关于…` and `中共中央国务院 关于…` are the
//! same title. A title is split at `关于` into issuer and subject; a cited title without
//! an issuer matches a document whose subject is the same, and one with an issuer matches
//! only a document with the same issuer (or none). A title that fits several documents
//! equally well stays plain text, with a warning.

use crate::model::{Block, BlockKind, Citation, Library, Relation, Warning};

/// A title a document is known by besides its versions' display titles: the manifest's
/// `title` where the seed has a title line of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownTitle {
    /// The document's slug.
    pub slug: String,
    /// The title.
    pub title: String,
}

/// The byte ranges of the titles inside 《…》 in `text` (the brackets excluded). Unclosed
/// or empty brackets, and brackets spanning more than 200 characters, give nothing.
pub(crate) fn find_titles(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '《' => open = Some(i + c.len_utf8()),
            '》' => {
                if let Some(s) = open.take() {
                    let inner = &text[s..i];
                    let n = inner.chars().count();
                    if n > 0 && n <= 200 && !inner.contains(['\n', '《']) {
                        out.push((s, i));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A title reduced to its Han characters, letters (lowercased) and digits.
pub(crate) fn normalize(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A normalized title split into issuer and subject at the first `关于`; a title without
/// `关于` is all subject.
fn split_issuer(norm: &str) -> (&str, &str) {
    match norm.find("关于") {
        Some(i) => (&norm[..i], &norm[i..]),
        None => ("", norm),
    }
}

/// How well a cited title fits a known one: `None` if not at all, `Some(2)` with the same
/// issuer stated on both sides, `Some(1)` with an issuer missing on one side.
fn fit(cited: &str, known: &str) -> Option<u8> {
    let (ci, cs) = split_issuer(cited);
    let (ki, ks) = split_issuer(known);
    if cs != ks || cs.is_empty() {
        return None;
    }
    match (ci.is_empty(), ki.is_empty()) {
        (false, false) if ci == ki => Some(2),
        (false, false) => None,
        (true, true) => Some(2),
        _ => Some(1),
    }
}

/// Every title each document is known by, normalized: its versions' display titles, its
/// `title` blocks, and the extra titles given (the manifest's).
fn known_titles(lib: &Library, extra: &[KnownTitle]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for d in &lib.documents {
        for v in &d.versions {
            out.push((d.slug.clone(), normalize(&v.title)));
            for b in crate::model::walk_blocks(&v.blocks) {
                if b.kind == BlockKind::Title {
                    for t in [&b.title, &b.text].into_iter().flatten() {
                        out.push((d.slug.clone(), normalize(t)));
                    }
                }
            }
        }
    }
    for k in extra {
        out.push((k.slug.clone(), normalize(&k.title)));
    }
    out.retain(|(_, t)| !t.is_empty());
    out.sort();
    out.dedup();
    out
}

/// The document a cited title names: the one that fits best, if exactly one does.
/// `Err` lists the slugs when several fit equally well.
pub(crate) fn resolve(
    cited: &str,
    known: &[(String, String)],
) -> Result<Option<String>, Vec<String>> {
    let norm = normalize(cited);
    let mut best: Vec<(u8, &str)> = Vec::new();
    for (slug, title) in known {
        if let Some(f) = fit(&norm, title) {
            match best.iter_mut().find(|(_, s)| s == slug) {
                Some(e) => e.0 = e.0.max(f),
                None => best.push((f, slug)),
            }
        }
    }
    let top = best.iter().map(|(f, _)| *f).max();
    let winners: Vec<String> = best
        .iter()
        .filter(|(f, _)| Some(*f) == top)
        .map(|(_, s)| s.to_string())
        .collect();
    match winners.len() {
        0 => Ok(None),
        1 => Ok(winners.into_iter().next()),
        _ => Err(winners),
    }
}

/// Finds the citations in every block's text, records them on the blocks, and adds a
/// `cites` relation for each cited document the citing one has no relation to yet.
pub(crate) fn link_citations(lib: &mut Library, extra: &[KnownTitle]) -> Vec<Warning> {
    use rayon::prelude::*;
    let known = known_titles(lib, extra);
    // Documents in parallel; the warnings come back in document order.
    let per_doc: Vec<Vec<Warning>> = lib
        .documents
        .par_iter_mut()
        .map(|doc| link_document(doc, &known))
        .collect();
    per_doc.into_iter().flatten().collect()
}

/// [`link_citations`] for one document, against the `known` titles of the library.
fn link_document(doc: &mut crate::model::Document, known: &[(String, String)]) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let slug = doc.slug.clone();
    let mut cited: Vec<String> = Vec::new();
    for v in &mut doc.versions {
        let source = v.source.clone();
        for_each_block(&mut v.blocks, &mut |b: &mut Block| {
            b.citations.clear();
            let Some(text) = b.text.as_deref() else {
                return;
            };
            for (s, e) in find_titles(text) {
                match resolve(&text[s..e], known) {
                    Ok(Some(target)) if target != slug => {
                        if !cited.contains(&target) {
                            cited.push(target.clone());
                        }
                        b.citations.push(Citation {
                            start: s,
                            end: e,
                            target,
                        });
                    }
                    Ok(_) => {}
                    Err(slugs) => warnings.push(Warning {
                        file: source.clone(),
                        line: b.line,
                        message: format!(
                            "《{}》 could name any of {}; it is left unlinked",
                            &text[s..e],
                            slugs.join(", ")
                        ),
                        hint: Some(
                            "add a relation to the intended document in the manifest, or \
                             give the documents titles that differ"
                                .into(),
                        ),
                        quote: None,
                    }),
                }
            }
        });
    }
    for target in cited {
        if !doc.relations.iter().any(|r| r.target == target) {
            doc.relations.push(Relation {
                kind: "cites".into(),
                target,
            });
        }
    }
    warnings
}

fn for_each_block(blocks: &mut [Block], f: &mut dyn FnMut(&mut Block)) {
    for b in blocks {
        f(b);
        for_each_block(&mut b.children, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<(String, String)> {
        [
            (
                "guideline",
                "中共中央国务院 关于新时代推进西部大开发形成新格局的指导意见",
            ),
            (
                "gansu",
                "甘肃省关于新时代推进西部大开发形成新格局的实施意见",
            ),
            (
                "inner-mongolia",
                "内蒙古自治区关于新时代推进西部大开发形成新格局的实施意见",
            ),
        ]
        .iter()
        .map(|(s, t)| (s.to_string(), normalize(t)))
        .collect()
    }

    #[test]
    fn finds_titles_inside_brackets() {
        let t = "印发《关于甲的意见》和《乙》，《未闭合";
        let got: Vec<&str> = find_titles(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(got, ["关于甲的意见", "乙"]);
        assert!(find_titles("《》").is_empty());
    }

    #[test]
    fn matches_the_usual_variations() {
        let k = known();
        for cited in [
            "中共中央、国务院关于新时代推进西部大开发形成新格局的指导意见",
            "中共中央 国务院关于新时代推进西部大开发形成新格局的指导意见",
            "关于新时代推进西部大开发形成新格局的指导意见",
        ] {
            assert_eq!(resolve(cited, &k), Ok(Some("guideline".into())), "{cited}");
        }
        assert_eq!(
            resolve("甘肃省关于新时代推进西部大开发形成新格局的实施意见", &k),
            Ok(Some("gansu".into()))
        );
    }

    #[test]
    fn leaves_unknown_wrong_issuer_and_ambiguous_titles_alone() {
        let k = known();
        assert_eq!(resolve("中华人民共和国民法典", &k), Ok(None));
        // Same subject, another issuer.
        assert_eq!(
            resolve("四川省关于新时代推进西部大开发形成新格局的实施意见", &k),
            Ok(None)
        );
        // No issuer, two provinces with this subject.
        assert_eq!(
            resolve("关于新时代推进西部大开发形成新格局的实施意见", &k),
            Err(vec!["gansu".into(), "inner-mongolia".into()])
        );
    }
}
