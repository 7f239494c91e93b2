//! What a build would lose, explained (`clausebook anchors`): every registered anchor
//! the build lacks, where the same text is now, and the aliases that would keep its
//! links landing.
//!
//! The lock holds a hash of each anchor's text, not the text. A lost anchor's text is
//! found again by that hash among the ids of the pages of the same folder whose text is
//! new there (not registered with that hash before): a unit moved by a renumbering keeps
//! its hash and gets a new id. Where exactly one such id has the hash, the match is
//! certain ("same text"). A unit whose own text changed (a corrected heading left its
//! paragraph) can still be placed by its sentences: where every sentence of it found
//! again sits under one new unit at the same position (`c127-3.2` ─► `c128-1.2`), that
//! unit is its new place ("same sentences"). Aliases implied by an alias of a unit
//! holding them are left out: `c127-3: c128-1` covers `c127-3.1` and `c127-3.2`.

use super::{Entry, Lock, Lost, Registry, alias_target, reconcile};
use crate::model::Library;
use std::collections::{BTreeMap, BTreeSet};

/// How a suggested alias was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The unit's text is the text of exactly one new id.
    SameText,
    /// The unit's text changed, but its sentences found again all sit under one new
    /// unit, at the positions they had.
    SameSentences,
}

/// An alias line for the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The document (its `slug`).
    pub slug: String,
    /// The old id.
    pub old: String,
    /// The new id.
    pub new: String,
    /// How the new place was found.
    pub how: Match,
}

/// One registered anchor this build lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostAnchor {
    /// Its page.
    pub page: String,
    /// Its id.
    pub id: String,
    /// Its lock entry (hash and date).
    pub entry: Entry,
    /// Whether its page is gone as a whole.
    pub page_gone: bool,
    /// The one new id of the same folder with the same text, and its page.
    pub same_text: Option<(String, String)>,
}

/// What `clausebook anchors` reports.
#[derive(Debug, Clone, Default)]
pub struct Explanation {
    /// Every anchor that would be lost, by page and id.
    pub lost: Vec<LostAnchor>,
    /// The aliases that would place them, by document and old id; none of them replaces
    /// an alias of the manifest.
    pub suggestions: Vec<Suggestion>,
    /// The anchors still lost with the suggestions added: (page, id).
    pub remaining: Vec<(String, String)>,
}

/// The ids of the pages of one folder (not its sub-folders) by the hash of their text,
/// only those whose text is new on their page: hash ─► (id, page).
fn new_texts(
    dir: &str,
    reg: &Registry,
    old: &Lock,
) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let prefix = format!("{dir}/");
    let mut out: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for (page, ids) in reg
        .range(prefix.clone()..)
        .take_while(|(p, _)| p.starts_with(&prefix))
        .filter(|(p, _)| !p[prefix.len()..].contains('/'))
    {
        for (id, hash) in ids {
            let before = old.get(&(page.clone(), id.clone()));
            if before.is_some_and(|e| &e.hash == hash) {
                continue;
            }
            out.entry(hash.clone())
                .or_default()
                .insert((id.clone(), page.clone()));
        }
    }
    out
}

/// `id` without the language prefix of a translation's id on the side-by-side page
/// (`en-c8-1.3` ─► (`en-`, `c8-1.3`)).
fn split_prefix<'a>(id: &'a str, langs: &[String]) -> (&'a str, &'a str) {
    for l in langs {
        if let Some(rest) = id
            .strip_prefix(l.as_str())
            .and_then(|r| r.strip_prefix('-'))
            && !rest.is_empty()
        {
            return (&id[..id.len() - rest.len()], rest);
        }
    }
    ("", id)
}

/// Whether `unit` holds `id`: `c8` holds `c8-1` and `c8-1.2`.
fn holds(unit: &str, id: &str) -> bool {
    id.strip_prefix(unit)
        .is_some_and(|r| r.starts_with('-') || r.starts_with('.'))
}

/// Explains the anchors of the lock `old` this build (`reg`) lacks, with the manifest's
/// `aliases` by document slug: where their text is now and which aliases to add.
pub(crate) fn explain(
    reg: &Registry,
    old: Option<Lock>,
    lib: &Library,
    aliases: &BTreeMap<String, BTreeMap<String, String>>,
    today: &str,
) -> Explanation {
    let lock = old.clone().unwrap_or_default();
    let (_, lost) = reconcile(reg, old.clone(), lib, aliases, today);
    let langs_of = |slug: &str| -> Vec<String> {
        lib.documents
            .iter()
            .find(|d| d.slug == slug)
            .map(|d| d.versions.iter().map(|v| v.lang.clone()).collect())
            .unwrap_or_default()
    };
    let mut texts: BTreeMap<String, BTreeMap<String, BTreeSet<(String, String)>>> = BTreeMap::new();
    let mut out = Explanation::default();
    // Per document: old id (without prefix) ─► the new ids (without prefix) with its
    // text; and every old id lost.
    let mut matches: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let mut lost_ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Per document: the ids (without prefix) whose text is new on a page of a folder
    // where anchors were lost.
    let mut fresh: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (page, ids) in &lost {
        let slug = page.split('/').next().unwrap_or("").to_string();
        let langs = langs_of(&slug);
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let texts = texts.entry(dir.clone()).or_insert_with(|| {
            let t = new_texts(&dir, reg, &lock);
            let f = fresh.entry(slug.clone()).or_default();
            for (id, _) in t.values().flatten() {
                f.insert(split_prefix(id, &langs).1.to_string());
            }
            t
        });
        for (id, entry) in ids {
            let (prefix, bare) = split_prefix(id, &langs);
            let found: Vec<&(String, String)> = texts
                .get(&entry.hash)
                .into_iter()
                .flatten()
                .filter(|(new, _)| split_prefix(new, &langs).0 == prefix)
                .collect();
            let distinct: BTreeSet<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
            let same_text = (distinct.len() == 1).then(|| {
                // The id on the page it was lost from where it is there, else on the
                // first page holding it.
                let (n, p) = found.iter().find(|(_, p)| p == page).unwrap_or(&found[0]);
                (n.clone(), p.clone())
            });
            let m = matches
                .entry(slug.clone())
                .or_default()
                .entry(bare.to_string())
                .or_default();
            for n in &distinct {
                m.insert(split_prefix(n, &langs).1.to_string());
            }
            lost_ids
                .entry(slug.clone())
                .or_default()
                .insert(bare.to_string());
            out.lost.push(LostAnchor {
                page: page.clone(),
                id: id.clone(),
                entry: entry.clone(),
                page_gone: !reg.contains_key(page),
                same_text,
            });
        }
    }
    let no_aliases = BTreeMap::new();
    let mut merged = aliases.clone();
    for (slug, ids) in &lost_ids {
        let exact = |old: &str| -> Option<&str> {
            let m = matches.get(slug)?.get(old)?;
            (m.len() == 1).then(|| m.iter().next().map(String::as_str))?
        };
        let existing = aliases.get(slug).unwrap_or(&no_aliases);
        let mut chosen: BTreeMap<String, String> = BTreeMap::new();
        // Units before what they hold.
        let mut order: Vec<&String> = ids.iter().collect();
        order.sort_by_key(|i| (i.len(), *i));
        for old in order {
            let inferred = || -> Option<String> {
                let mut unit: Option<String> = None;
                for d in ids.iter().filter(|d| holds(old, d)) {
                    let Some(new) = exact(d) else { continue };
                    let suffix = &d[old.len()..];
                    let v = new.strip_suffix(suffix)?;
                    if unit.as_deref().is_some_and(|u| u != v) {
                        return None;
                    }
                    unit = Some(v.to_string());
                }
                // The unit's text must be new where it is: a unit that was there before
                // with that text is not where the old one went.
                unit.filter(|u| fresh.get(slug).is_some_and(|f| f.contains(u)))
            };
            let (new, how) = match exact(old) {
                Some(n) => (n.to_string(), Match::SameText),
                None => match inferred() {
                    Some(n) => (n, Match::SameSentences),
                    None => continue,
                },
            };
            // Already where an alias of a unit holding it sends it.
            let mut both = existing.clone();
            both.extend(chosen.iter().map(|(k, v)| (k.clone(), v.clone())));
            if alias_target(old, &both, &[], &|x| x == new).is_some()
                || existing.contains_key(old.as_str())
            {
                continue;
            }
            chosen.insert(old.clone(), new.clone());
            out.suggestions.push(Suggestion {
                slug: slug.clone(),
                old: old.clone(),
                new,
                how,
            });
        }
        merged.entry(slug.clone()).or_default().extend(chosen);
    }
    let (_, still): (_, Lost) = reconcile(reg, old, lib, &merged, today);
    out.remaining = still
        .into_iter()
        .flat_map(|(page, ids)| ids.into_iter().map(move |(id, _)| (page.clone(), id)))
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::tests::entry;

    /// Clause 127 held a paragraph (`c127-3`) that was clause 128 all along, behind a
    /// heading the parser could not read (`第一百二十八 条`); the heading fixed, the
    /// paragraph is `c128-1`, its first sentence changed (the heading left it), its
    /// second the same.
    #[test]
    fn a_paragraph_that_became_a_clause_is_placed_by_its_sentences() {
        let mut old = Lock::new();
        let mut reg = Registry::new();
        for page in ["g/index.html", "g/c127.html"] {
            for (id, h) in [("c127", "a0"), ("c127-1", "a1"), ("c127-3", "b0")] {
                old.insert((page.into(), id.into()), entry(h));
            }
            old.insert((page.into(), "c127-3.1".into()), entry("b1"));
            old.insert((page.into(), "c127-3.2".into()), entry("b2"));
        }
        for page in ["g/index.html", "g/c127.html"] {
            let ids = reg.entry(page.to_string()).or_default();
            ids.insert("c127".into(), "a9".into());
            ids.insert("c127-1".into(), "a1".into());
        }
        for page in ["g/index.html", "g/c128.html"] {
            let ids = reg.entry(page.to_string()).or_default();
            for (id, h) in [("c128", "c0"), ("c128-1", "c1"), ("c128-1.1", "c2")] {
                ids.insert(id.into(), h.into());
            }
            ids.insert("c128-1.2".into(), "b2".into());
        }
        let lib = Library {
            site: crate::model::SiteMeta::default(),
            documents: Vec::new(),
        };
        let e = explain(
            &reg,
            Some(old.clone()),
            &lib,
            &BTreeMap::new(),
            "2020-02-02",
        );
        assert_eq!(e.lost.len(), 6, "{e:?}");
        let s = &e.suggestions;
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!((s[0].old.as_str(), s[0].new.as_str()), ("c127-3", "c128-1"));
        assert_eq!(s[0].how, Match::SameSentences);
        assert!(e.remaining.is_empty(), "{:?}", e.remaining);
        let same = e
            .lost
            .iter()
            .find(|l| l.page == "g/c127.html" && l.id == "c127-3.2")
            .unwrap();
        assert_eq!(
            same.same_text,
            Some(("c128-1.2".to_string(), "g/c128.html".to_string()))
        );
        // A text found twice is no certain match; an alias of the manifest is kept.
        let mut reg2 = reg.clone();
        reg2.get_mut("g/index.html")
            .unwrap()
            .insert("c129-1.2".into(), "b2".into());
        let e = explain(
            &reg2,
            Some(old.clone()),
            &lib,
            &BTreeMap::new(),
            "2020-02-02",
        );
        assert!(e.suggestions.is_empty(), "{:?}", e.suggestions);
        assert_eq!(e.remaining.len(), 6);
        let mut aliases = BTreeMap::new();
        aliases.insert(
            "g".to_string(),
            BTreeMap::from([("c127-3".to_string(), "c128-1".to_string())]),
        );
        let e = explain(&reg, Some(old), &lib, &aliases, "2020-02-02");
        assert!(e.lost.is_empty() && e.suggestions.is_empty(), "{e:?}");
    }

    #[test]
    fn prefixes_and_units() {
        let langs = vec!["en".to_string()];
        assert_eq!(split_prefix("en-c8-1.3", &langs), ("en-", "c8-1.3"));
        assert_eq!(split_prefix("c8-1.3", &langs), ("", "c8-1.3"));
        assert!(holds("c8", "c8-1") && holds("c8-1", "c8-1.2"));
        assert!(!holds("c8", "c80") && !holds("c8", "c8"));
    }
}
