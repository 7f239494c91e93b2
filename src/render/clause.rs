//! One small page per clause, to share (`<slug>/c8.html`, `<slug>/<lang>/c8.html`): the
//! clause with its linked clauses, "Cite" menu and marks, links to the clause in its
//! document, to the previous and next clause and to the clause in the other versions,
//! with OpenGraph and JSON-LD data.

use super::cite::clause_name;
use super::error::RenderError;
use super::frame::Frame;
use super::lookup::Lookup;
use super::marks::Annotations;
use super::meta::{OpenGraph, clause_jsonld};
use super::paths::{clause_page_path, file_of, original_index, rel};
use super::strings::{self, is_zh, tr};
use super::view::{BlockView, DocInfo, PageMeta, VersionLink, block_view, decorate};
use crate::base::OutputFile;
use crate::model::{Block, BlockKind, Document, Library, walk_blocks};
use minijinja::Value;
use serde::Serialize;
use std::collections::BTreeMap;

/// A neighbouring clause, for the previous/next links of a clause page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Neighbour {
    /// Link to its clause page.
    pub href: String,
    /// Its label and heading.
    pub name: String,
}

/// A clause page's own data.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ClausePage {
    /// The document's title in this version.
    pub doc_title: String,
    /// Link to the document page.
    pub doc_href: String,
    /// Link to the clause in its document.
    pub context: String,
    /// The clause's label and heading.
    pub name: String,
    /// The previous clause, if any.
    pub prev: Option<Neighbour>,
    /// The next clause, if any.
    pub next: Option<Neighbour>,
    /// The same clause's page in the other versions.
    pub alternates: Vec<VersionLink>,
    /// UI strings of the page.
    pub text: BTreeMap<&'static str, String>,
}

/// The opening words of a clause, for its description.
fn opening_words(b: &Block, lang: &str) -> String {
    let text: String = b
        .walk()
        .into_iter()
        .filter_map(|x| x.text.as_deref())
        .collect::<Vec<_>>()
        .join(" ");
    let limit = if is_zh(lang) { 80 } else { 160 };
    let mut out: String = text.trim().chars().take(limit).collect();
    if text.trim().chars().count() > limit {
        out.push('…');
    }
    out
}

/// Prefixes every relative link of a tree made for a page one folder deep with `prefix`,
/// for a page deeper down.
fn rebase(blocks: &mut [BlockView], prefix: &str) {
    for b in blocks {
        let sentence_runs = b.sentences.iter_mut().flat_map(|s| s.runs.iter_mut());
        for r in b.runs.iter_mut().chain(sentence_runs) {
            if let Some(h) = &mut r.href {
                *h = format!("{prefix}{h}");
            }
        }
        for g in &mut b.links {
            for it in &mut g.items {
                it.href = format!("{prefix}{}", it.href);
                it.compare = format!("{prefix}{}", it.compare);
            }
        }
        rebase(&mut b.children, prefix);
    }
}

/// The script of a clause page that keeps an old id whose new place is on another page
/// (an empty element with `data-moved-to`): asked for that id, the page goes there.
pub(crate) const FORWARD_SCRIPT: &str = "(function () { function go() { var e = document.getElementById(decodeURIComponent(location.hash.slice(1))); var to = e && e.getAttribute(\"data-moved-to\"); if (to) location.replace(to); } go(); addEventListener(\"hashchange\", go); })();";

/// The hash of [`FORWARD_SCRIPT`], by which the page's Content-Security-Policy allows it.
pub(crate) const FORWARD_SCRIPT_HASH: &str = "sha256-lQ0GE3vdKNEuNyWMe/SwisPe6Y0NjHm8YSyjU3xCNnQ=";

/// The clause pages of `doc.versions[i]`.
pub(crate) fn pages(
    lib: &Library,
    look: &Lookup,
    frame: &Frame,
    marks: &Annotations<'_>,
    doc: &Document,
    i: usize,
) -> Result<Vec<OutputFile>, RenderError> {
    let v = &doc.versions[i];
    let lang = v.lang.as_str();
    let clauses: Vec<&Block> = walk_blocks(&v.blocks)
        .into_iter()
        .filter(|b| b.kind == BlockKind::Clause)
        .collect();
    use rayon::prelude::*;
    // Clauses in parallel: one long document is most of the work in a small library.
    clauses
        .par_iter()
        .enumerate()
        .map(|(k, b)| {
            let path = clause_page_path(doc, i, &b.id);
            let doc_path = format!("{}/{}", doc.slug, file_of(doc, i));
            let context = format!("{}#{}", rel(&path, &doc_path), b.id);
            let name = clause_name(b, lang);
            let neighbour = |c: &&Block| Neighbour {
                href: rel(&path, &clause_page_path(doc, i, &c.id)),
                name: clause_name(c, lang),
            };
            let alternates: Vec<VersionLink> = doc
                .versions
                .iter()
                .enumerate()
                .filter(|(j, w)| *j != i && look.block(w, &b.id).is_some())
                .map(|(j, w)| VersionLink {
                    lang: w.lang.clone(),
                    name: strings::autonym(&w.lang),
                    name_in_page: strings::lang_name(&w.lang, lang),
                    title: w.title.clone(),
                    href: rel(&path, &clause_page_path(doc, j, &b.id)),
                    original: j == original_index(doc),
                    current: false,
                })
                .collect();
            let mut one = vec![block_view(b, 2, lang)];
            decorate(lib, look, doc, i, &mut one);
            if let Some(c) = &mut one[0].cite
                && lib.site.url.is_none()
            {
                c.url = context.clone();
            }
            let extra = "../".repeat(path.matches('/').count().saturating_sub(1));
            rebase(&mut one, &extra);
            let mut forwards = false;
            if let Some(m) = marks.page(&path, lang) {
                m.blocks(&mut one);
                forwards = m.forwards();
            }
            let forward_script = forwards.then(|| Value::from_safe_string(FORWARD_SCRIPT.into()));
            let forward_hash = forwards.then_some(FORWARD_SCRIPT_HASH);
            let description = opening_words(b, lang);
            let title = format!("{name} · {} · {}", v.title, lib.site.title);
            let mut page = PageMeta::new(lib, &path, lang, &title, Some(&description));
            page.canonical = Some(match &lib.site.url {
                Some(u) => format!("{}/{doc_path}#{}", u.trim_end_matches('/'), b.id),
                None => context.clone(),
            });
            let og = OpenGraph::new(
                lib,
                &path,
                lang,
                &format!("{name} · {}", v.title),
                &description,
            );
            let jsonld = clause_jsonld(lib, look, doc, i, b, &name, &path);
            let text = BTreeMap::from([
                ("in_context", tr(lang, "clause_in_context")),
                ("prev", tr(lang, "clause_prev")),
                ("next", tr(lang, "clause_next")),
                ("clauses", tr(lang, "clause_nav")),
            ]);
            let cp = ClausePage {
                doc_title: v.title.clone(),
                doc_href: rel(&path, &doc_path),
                context,
                name,
                prev: k.checked_sub(1).map(|p| neighbour(&clauses[p])),
                next: clauses.get(k + 1).map(neighbour),
                alternates,
                text,
            };
            frame.html(
                "clause.html",
                &path,
                ctx! {
                    frame: frame, page: &page, lang: lang;
                    doc => &DocInfo::new(doc, lang),
                    clause => &cp,
                    og => &og,
                    jsonld => jsonld,
                    blocks => &one,
                    forward_script => forward_script,
                    forward_hash => forward_hash,
                },
            )
        })
        .collect()
}
