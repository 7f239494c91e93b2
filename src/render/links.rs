//! What the link stage found, as pages: citations as links in the text, "Implements" and
//! "Implemented by" under clauses, a "Cite" menu per clause, one small page per clause
//! (`<slug>/c8.html`, `<slug>/<lang>/c8.html`), compare pages for matched clauses
//! (`<slug>/compare/c17-guideline-c21.html`), the implementation map
//! (`implementation-map.html`) and schema.org JSON-LD.

use super::lookup::Lookup;
use super::view::{self, BlockView, PageMeta, Run};
use super::{OutputFile, RenderError, html_file, ui};
use crate::link::shared;
use crate::model::{Block, BlockKind, Citation, Document, Library, Version, walk_blocks};
use minijinja::{Environment, Value};
use serde::Serialize;
use serde_json::json;

/// The file of the implementation map, at the site root.
pub const MAP_FILE: &str = "implementation-map.html";

fn zh(lang: &str) -> bool {
    ui::is_zh(lang)
}

/// `zh` or `en` text by the page's language.
fn tr(lang: &str, zh_text: &str, en_text: &str) -> String {
    if zh(lang) { zh_text } else { en_text }.to_string()
}

// ───────────────────────────── runs and clause decorations ─────────────────────────────

/// `runs` (which cover a block's text in order) cut further at citation boundaries; the
/// runs inside a citation link to the cited document, from a page one folder deep.
pub fn cited_runs(runs: Vec<Run>, citations: &[Citation]) -> Vec<Run> {
    if citations.is_empty() {
        return runs;
    }
    let mut out = Vec::new();
    let mut off = 0;
    for r in runs {
        let (start, end) = (off, off + r.text.len());
        off = end;
        if r.text.is_empty() {
            out.push(r);
            continue;
        }
        let mut cuts = vec![start, end];
        for c in citations {
            for x in [c.start, c.end] {
                if x > start && x < end && r.text.is_char_boundary(x - start) {
                    cuts.push(x);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let href = citations
                .iter()
                .find(|c| c.start <= a && b <= c.end)
                .map(|c| format!("../{}/index.html", c.target));
            out.push(Run {
                text: r.text[a - start..b - start].to_string(),
                strong: r.strong,
                href,
            });
        }
    }
    out
}

/// Clauses of one other document linked to a clause, under a heading.
#[derive(Debug, Clone, Serialize)]
pub struct LinkGroup {
    /// `implements` or `implemented-by`.
    pub kind: String,
    /// The heading in the page's language.
    pub label: String,
    /// The linked clauses, best first.
    pub items: Vec<LinkItem>,
}

/// One linked clause.
#[derive(Debug, Clone, Serialize)]
pub struct LinkItem {
    /// The other document's slug.
    pub doc: String,
    /// The other document's title.
    pub doc_title: String,
    /// The clause's id there.
    pub id: String,
    /// The clause's number as printed.
    pub label: Option<String>,
    /// The clause's heading.
    pub title: Option<String>,
    /// The language of the titles, when it differs from the page's.
    pub lang: Option<String>,
    /// Link to the clause in its document.
    pub href: String,
    /// The similarity score, as printed (`0.455`).
    pub score: String,
    /// Link to the compare page.
    pub compare: String,
    /// Accessible text for the score and the compare link.
    pub score_label: String,
    /// Text of the compare link.
    pub compare_label: String,
}

/// The "Cite" menu of a clause: the citation (the link is added by the script) and a
/// Markdown link label.
#[derive(Debug, Clone, Serialize)]
pub struct CiteView {
    /// The menu's name.
    pub menu: String,
    /// The button that copies the citation.
    pub copy_citation: String,
    /// The button that copies the Markdown link.
    pub copy_markdown: String,
    /// The citation up to the link: title, clause label and heading, date.
    pub text: String,
    /// The Markdown link's text, escaped for Markdown.
    pub md_label: String,
    /// The link to the clause in its document: absolute when `site.url` is set, else
    /// relative to the page (the script makes it absolute).
    pub url: String,
}

/// The version of `doc` in `lang`, or its original.
fn version_in<'a>(doc: &'a Document, lang: &str) -> (usize, &'a Version) {
    let i = doc
        .versions
        .iter()
        .position(|v| v.lang == lang)
        .unwrap_or_else(|| view::original_index(doc));
    (i, &doc.versions[i])
}

fn find_block<'a>(v: &'a Version, id: &str) -> Option<&'a Block> {
    walk_blocks(&v.blocks).into_iter().find(|b| b.id == id)
}

fn heading_of(b: &Block) -> Option<String> {
    b.title
        .clone()
        .or_else(|| b.supplied_title.as_ref().map(|s| s.text.clone()))
}

fn compare_file(from_doc: &str, from: &str, to_doc: &str, to: &str) -> String {
    format!("{from_doc}/compare/{from}-{to_doc}-{to}.html")
}

fn item(
    look: &Lookup,
    other: &Document,
    id: &str,
    score: f64,
    compare: String,
    lang: &str,
) -> Option<LinkItem> {
    let (vi, v) = version_in(other, lang);
    let b = look.block(v, id)?;
    let score = format!("{score:.3}");
    Some(LinkItem {
        doc: other.slug.clone(),
        doc_title: other.original().title.clone(),
        id: id.to_string(),
        label: b.label.clone(),
        title: heading_of(b),
        lang: view::lang_if_other(&v.lang, lang),
        href: format!("../{}/{}#{id}", other.slug, view::file_of(other, vi)),
        score_label: tr(
            lang,
            &format!("相似度 {score}"),
            &format!("similarity {score}"),
        ),
        score,
        compare: format!("../{compare}"),
        compare_label: tr(lang, "对比", "compare"),
    })
}

/// The clauses linked to clause `id` of `doc`, for a page in `lang` one folder deep.
pub fn link_groups(look: &Lookup, doc: &Document, id: &str, lang: &str) -> Vec<LinkGroup> {
    let mut groups = Vec::new();
    let implements: Vec<LinkItem> = doc
        .links
        .iter()
        .filter(|l| l.from == id)
        .filter_map(|l| {
            let other = look.doc(&l.to.doc)?;
            let cmp = compare_file(&doc.slug, id, &other.slug, &l.to.id);
            item(look, other, &l.to.id, l.score, cmp, lang)
        })
        .collect();
    if !implements.is_empty() {
        groups.push(LinkGroup {
            kind: "implements".into(),
            label: tr(lang, "实施依据", "Implements"),
            items: implements,
        });
    }
    let mut by: Vec<LinkItem> = Vec::new();
    for &(other, l) in look.incoming(&doc.slug, id) {
        let cmp = compare_file(&other.slug, &l.from, &doc.slug, id);
        by.extend(item(look, other, &l.from, l.score, cmp, lang));
    }
    if !by.is_empty() {
        groups.push(LinkGroup {
            kind: "implemented-by".into(),
            label: tr(lang, "实施文件", "Implemented by"),
            items: by,
        });
    }
    groups
}

/// A date `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) as written in `lang`.
pub fn display_date(date: &str, lang: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<u32> = date.split('-').filter_map(|p| p.parse().ok()).collect();
    match (zh(lang), parts.as_slice()) {
        (true, [y, m, d]) => format!("{y}年{m}月{d}日"),
        (true, [y, m]) => format!("{y}年{m}月"),
        (false, [y, m, d]) if (1..=12).contains(m) => {
            format!("{d} {} {y}", MONTHS[*m as usize - 1])
        }
        (false, [y, m]) if (1..=12).contains(m) => format!("{} {y}", MONTHS[*m as usize - 1]),
        _ => date.to_string(),
    }
}

fn md_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The clause's name as a reader cites it: label and heading, without closing punctuation.
fn clause_name(b: &Block, lang: &str) -> String {
    let label = b.label.clone().unwrap_or_default();
    let title = heading_of(b).unwrap_or_default();
    let title = title.trim_end_matches(['。', '.', '；', ';', '：', ':']);
    let sep = if zh(lang) || label.is_empty() || title.is_empty() {
        ""
    } else {
        " "
    };
    format!("{label}{sep}{title}")
}

/// The link to clause `id` in `doc.versions[i]`: absolute with `site.url`, else relative
/// to a page in the document's folder.
fn clause_url(lib: &Library, doc: &Document, i: usize, id: &str) -> String {
    let file = view::file_of(doc, i);
    match &lib.site.url {
        Some(u) => format!("{}/{}/{file}#{id}", u.trim_end_matches('/'), doc.slug),
        None => format!("{file}#{id}"),
    }
}

/// The "Cite" menu of clause `b` of `doc.versions[i]`.
pub fn cite_view(lib: &Library, doc: &Document, i: usize, b: &Block) -> CiteView {
    let v = &doc.versions[i];
    let lang = v.lang.as_str();
    let name = clause_name(b, lang);
    let date = doc.date.as_deref().map(|d| display_date(d, lang));
    let (text, md) = if zh(lang) {
        let mut t = format!("《{}》{name}", v.title);
        if let Some(d) = &date {
            t.push_str(&format!("，{d}"));
        }
        t.push('，');
        (t, format!("《{}》{name}", v.title))
    } else {
        let mut t = format!("{}, {name}", v.title);
        if let Some(d) = &date {
            t.push_str(&format!(", {d}"));
        }
        t.push_str(", ");
        (t, format!("{}, {name}", v.title))
    };
    CiteView {
        menu: tr(lang, "引用", "Cite"),
        copy_citation: tr(lang, "复制引文", "Copy citation"),
        copy_markdown: tr(lang, "复制 Markdown 链接", "Copy Markdown link"),
        text,
        md_label: md_escape(&md),
        url: clause_url(lib, doc, i, &b.id),
    }
}

/// Adds the linked clauses and the "Cite" menu to every clause of a document page's tree.
pub fn decorate(lib: &Library, look: &Lookup, doc: &Document, i: usize, blocks: &mut [BlockView]) {
    let v = &doc.versions[i];
    for bv in blocks {
        if bv.kind == "clause" {
            bv.links = link_groups(look, doc, &bv.id, &v.lang);
            if let Some(b) = look.block(v, &bv.id) {
                bv.cite = Some(cite_view(lib, doc, i, b));
            }
        }
        decorate(lib, look, doc, i, &mut bv.children);
    }
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

// ───────────────────────────── JSON-LD ─────────────────────────────

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` are written as
/// `\u003c`, `\u003e`, `\u0026`, so no text can close the script element.
pub fn script_json(v: &serde_json::Value) -> String {
    serde_json::to_string(v)
        .expect("JSON values serialize")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A page's URL for JSON-LD: absolute with `site.url`, else relative to the page at
/// `root` (`""`, `"../"`, …).
fn ld_url(lib: &Library, root: &str, path: &str) -> String {
    match &lib.site.url {
        Some(u) => format!("{}/{path}", u.trim_end_matches('/')),
        None => format!("{root}{path}"),
    }
}

fn ld_version(lib: &Library, doc: &Document, i: usize, root: &str) -> serde_json::Value {
    let v = &doc.versions[i];
    json!({
        "@type": "Legislation",
        "name": v.title,
        "inLanguage": v.lang,
        "url": ld_url(lib, root, &format!("{}/{}", doc.slug, view::file_of(doc, i))),
    })
}

/// The schema.org `Legislation` of `doc.versions[i]`, for a page at `root`.
fn legislation(lib: &Library, doc: &Document, i: usize, root: &str) -> serde_json::Value {
    let v = &doc.versions[i];
    let orig = view::original_index(doc);
    let mut ld = ld_version(lib, doc, i, root);
    ld["legislationIdentifier"] = json!(doc.slug);
    ld["legislationType"] = json!(view::kind_label(&doc.kind, &v.lang));
    if let Some(d) = &doc.date {
        ld["legislationDate"] = json!(d);
    }
    if i == orig {
        let tr: Vec<_> = (0..doc.versions.len())
            .filter(|j| *j != orig)
            .map(|j| ld_version(lib, doc, j, root))
            .collect();
        if !tr.is_empty() {
            ld["workTranslation"] = json!(tr);
        }
    } else {
        ld["translationOfWork"] = ld_version(lib, doc, orig, root);
    }
    let applies: Vec<_> = doc
        .relations
        .iter()
        .filter(|r| r.kind == "implements")
        .filter_map(|r| lib.documents.iter().find(|d| d.slug == r.target))
        .filter(|d| !d.versions.is_empty())
        .map(|d| {
            let mut t = ld_version(lib, d, view::original_index(d), root);
            t["legislationIdentifier"] = json!(d.slug);
            t
        })
        .collect();
    if !applies.is_empty() {
        ld["legislationApplies"] = json!(applies);
    }
    ld
}

/// The JSON-LD of a document page (`doc.versions[i]`), ready for a script element.
pub fn document_jsonld(lib: &Library, doc: &Document, i: usize) -> Value {
    let mut ld = legislation(lib, doc, i, "../");
    ld["@context"] = json!("https://schema.org");
    Value::from_safe_string(script_json(&ld))
}

// ───────────────────────────── clause pages ─────────────────────────────

/// A neighbouring clause, for the previous/next links of a clause page.
#[derive(Debug, Clone, Serialize)]
pub struct Neighbour {
    /// Link to its clause page.
    pub href: String,
    /// Its label and heading.
    pub name: String,
}

/// OpenGraph and Twitter card data of a page.
#[derive(Debug, Clone, Serialize)]
pub struct OpenGraph {
    /// `og:title`.
    pub title: String,
    /// `og:description`.
    pub description: String,
    /// `og:url`, only when `site.url` is set.
    pub url: Option<String>,
    /// `og:site_name`.
    pub site_name: String,
    /// `og:locale` (`zh_CN`, `en_US`).
    pub locale: String,
}

/// A clause page's own data.
#[derive(Debug, Clone, Serialize)]
pub struct ClausePage {
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
    pub alternates: Vec<view::VersionLink>,
    /// UI strings of the page.
    pub text: std::collections::BTreeMap<&'static str, String>,
}

fn og_locale(lang: &str) -> String {
    match lang.split('-').next().unwrap_or(lang) {
        "zh" => "zh_CN".into(),
        "en" => "en_US".into(),
        other => other.to_string(),
    }
}

/// The opening words of a clause, for its description.
fn opening_words(b: &Block, lang: &str) -> String {
    let text: String = b
        .walk()
        .into_iter()
        .filter_map(|x| x.text.as_deref())
        .collect::<Vec<_>>()
        .join(" ");
    let limit = if zh(lang) { 80 } else { 160 };
    let mut out: String = text.trim().chars().take(limit).collect();
    if text.trim().chars().count() > limit {
        out.push('…');
    }
    out
}

/// The path of the clause page of clause `id` in `doc.versions[i]`.
pub fn clause_page_path(doc: &Document, i: usize, id: &str) -> String {
    if i == view::original_index(doc) {
        format!("{}/{id}.html", doc.slug)
    } else {
        format!("{}/{}/{id}.html", doc.slug, doc.versions[i].lang)
    }
}

/// The shortest relative link from the page at site path `from` to site path `to`.
fn rel(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').collect();
    let to: Vec<&str> = to.split('/').collect();
    let (from_dirs, to_dirs) = (&from[..from.len() - 1], &to[..to.len() - 1]);
    let common = from_dirs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    format!(
        "{}{}",
        "../".repeat(from_dirs.len() - common),
        to[common..].join("/")
    )
}

/// The clause pages and compare pages of one document (all in its folder).
pub fn document_pages(
    lib: &Library,
    look: &Lookup,
    env: &Environment<'_>,
    frame: &super::Frame,
    marks: &super::Annotations<'_>,
    doc: &Document,
) -> Result<Vec<OutputFile>, RenderError> {
    let mut out = Vec::new();
    for i in 0..doc.versions.len() {
        out.extend(clause_pages(lib, look, env, frame, marks, doc, i)?);
    }
    out.extend(compare_pages(lib, look, env, frame, doc)?);
    Ok(out)
}

fn clause_pages(
    lib: &Library,
    look: &Lookup,
    env: &Environment<'_>,
    frame: &super::Frame,
    marks: &super::Annotations<'_>,
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
            let root = "../".repeat(path.matches('/').count());
            let doc_path = format!("{}/{}", doc.slug, view::file_of(doc, i));
            let context = format!("{}#{}", rel(&path, &doc_path), b.id);
            let name = clause_name(b, lang);
            let neighbour = |c: &&Block| Neighbour {
                href: rel(&path, &clause_page_path(doc, i, &c.id)),
                name: clause_name(c, lang),
            };
            let alternates: Vec<view::VersionLink> = doc
                .versions
                .iter()
                .enumerate()
                .filter(|(j, w)| *j != i && look.block(w, &b.id).is_some())
                .map(|(j, w)| view::VersionLink {
                    lang: w.lang.clone(),
                    name: ui::autonym(&w.lang),
                    name_in_page: ui::lang_name(&w.lang, lang),
                    title: w.title.clone(),
                    href: rel(&path, &clause_page_path(doc, j, &b.id)),
                    original: j == view::original_index(doc),
                    current: false,
                })
                .collect();
            let mut one = vec![view::block_view(b, 2, lang)];
            decorate(lib, look, doc, i, &mut one);
            if let Some(c) = &mut one[0].cite
                && lib.site.url.is_none()
            {
                c.url = context.clone();
            }
            let extra = "../".repeat(path.matches('/').count().saturating_sub(1));
            rebase(&mut one, &extra);
            if let Some(m) = marks.page(&path, lang) {
                m.blocks(&mut one);
            }
            let description = opening_words(b, lang);
            let title = format!("{name} · {} · {}", v.title, lib.site.title);
            let mut page = PageMeta::new(lib, &path, lang, &title, Some(&description));
            page.canonical = Some(match &lib.site.url {
                Some(u) => format!("{}/{doc_path}#{}", u.trim_end_matches('/'), b.id),
                None => context.clone(),
            });
            let og = OpenGraph {
                title: super::bidi::closed_title(&format!("{name} · {}", v.title)),
                description: description.clone(),
                url: lib
                    .site
                    .url
                    .as_ref()
                    .map(|u| format!("{}/{path}", u.trim_end_matches('/'))),
                site_name: lib.site.title.clone(),
                locale: og_locale(lang),
            };
            let mut ld = json!({
                "@context": "https://schema.org",
                "@type": "Legislation",
                "name": name,
                "legislationIdentifier": format!("{}/{}", doc.slug, b.id),
                "inLanguage": lang,
                "url": ld_url(lib, &root, &path),
                "isPartOf": legislation(lib, doc, i, &root),
            });
            if let Some(d) = &doc.date {
                ld["legislationDate"] = json!(d);
            }
            let orig = view::original_index(doc);
            if i != orig {
                ld["translationOfWork"] = json!({
                    "@type": "Legislation",
                    "inLanguage": doc.versions[orig].lang,
                    "url": ld_url(lib, &root, &clause_page_path(doc, orig, &b.id)),
                });
            }
            let applies: Vec<_> = doc
                .links
                .iter()
                .filter(|l| l.from == b.id)
                .map(|l| {
                    let target = look.doc(&l.to.doc);
                    let ti = target.map_or(0, view::original_index);
                    json!({
                        "@type": "Legislation",
                        "legislationIdentifier": format!("{}/{}", l.to.doc, l.to.id),
                        "url": ld_url(lib, &root, &format!("{}/{}.html", l.to.doc, l.to.id)),
                        "isPartOf": target.map(|t| ld_version(lib, t, ti, &root)),
                    })
                })
                .collect();
            if !applies.is_empty() {
                ld["legislationApplies"] = json!(applies);
            }
            let mut text = std::collections::BTreeMap::new();
            text.insert(
                "in_context",
                tr(lang, "在全文中阅读本条", "Read in the full text"),
            );
            text.insert("prev", tr(lang, "上一条", "Previous clause"));
            text.insert("next", tr(lang, "下一条", "Next clause"));
            text.insert("clauses", tr(lang, "条款导航", "Clauses"));
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
            html_file(
                env,
                "clause.html",
                &path,
                ctx! {
                    frame: frame, page: &page, lang: lang;
                    doc => &view::DocInfo {
                        slug: doc.slug.clone(),
                        kind: doc.kind.clone(),
                        kind_label: view::kind_label(&doc.kind, lang),
                        date: doc.date.clone(),
                    },
                    clause => &cp,
                    og => &og,
                    jsonld => Value::from_safe_string(script_json(&ld)),
                    blocks => &one,
                },
            )
        })
        .collect()
}

// ───────────────────────────── compare pages ─────────────────────────────

/// One side of a compare page.
#[derive(Debug, Clone, Serialize)]
pub struct CompareSide {
    /// The document's title.
    pub doc_title: String,
    /// The clause's label and heading.
    pub name: String,
    /// The clause in its document.
    pub href: String,
    /// The language of the side.
    pub lang: String,
    /// The heading, then each paragraph, cut into runs; shared passages are `strong`.
    pub segments: Vec<Vec<Run>>,
}

fn marked(text: &str, ranges: &[(usize, usize)]) -> Vec<Run> {
    view::runs(text, ranges)
}

fn compare_pages(
    lib: &Library,
    look: &Lookup,
    env: &Environment<'_>,
    frame: &super::Frame,
    doc: &Document,
) -> Result<Vec<OutputFile>, RenderError> {
    let mut out = Vec::new();
    if doc.versions.is_empty() {
        return Ok(out);
    }
    let here = doc.original();
    for l in &doc.links {
        let Some(target) = look.doc(&l.to.doc) else {
            continue;
        };
        if target.versions.is_empty() {
            continue;
        }
        let there = target.original();
        let (Some(a), Some(b)) = (look.block(there, &l.to.id), look.block(here, &l.from)) else {
            continue;
        };
        let path = compare_file(&doc.slug, &l.from, &target.slug, &l.to.id);
        let lang = here.lang.as_str();
        let sa = shared::segments(a);
        let sb = shared::segments(b);
        let ra: Vec<&str> = sa.iter().map(String::as_str).collect();
        let rb: Vec<&str> = sb.iter().map(String::as_str).collect();
        let found = shared::find(&ra, &rb);
        let side = |d: &Document,
                    v: &Version,
                    blk: &Block,
                    segs: &[String],
                    marks: &[Vec<(usize, usize)>]| {
            CompareSide {
                doc_title: v.title.clone(),
                name: clause_name(blk, &v.lang),
                href: format!("../../{}/index.html#{}", d.slug, blk.id),
                lang: v.lang.clone(),
                segments: segs.iter().zip(marks).map(|(s, m)| marked(s, m)).collect(),
            }
        };
        let left = side(target, there, a, &sa, &found.a);
        let right = side(doc, here, b, &sb, &found.b);
        let title = format!(
            "{} ↔ {} · {}",
            left.name,
            right.name,
            tr(lang, "条款对比", "Compare clauses")
        );
        let page = PageMeta::new(
            lib,
            &path,
            lang,
            &format!("{title} · {}", lib.site.title),
            None,
        );
        let mut text = std::collections::BTreeMap::new();
        text.insert("heading", tr(lang, "条款对比", "Compare clauses"));
        text.insert(
            "note",
            tr(
                lang,
                "两条共有的文字（至少四个汉字）以粗体标出。",
                "Wording the two clauses share (four Han characters or more) is marked.",
            ),
        );
        text.insert("score", tr(lang, "相似度", "Similarity"));
        text.insert("shared", tr(lang, "共有文字", "Shared wording"));
        text.insert("map", tr(lang, "实施对照表", "Implementation map"));
        out.push(html_file(
            env,
            "compare.html",
            &path,
            ctx! {
                frame: frame, page: &page, lang: lang;
                left => &left,
                right => &right,
                score => format!("{:.3}", l.score),
                passages => &found.passages,
                text => &text,
                map => format!("../../{MAP_FILE}"),
            },
        )?);
    }
    Ok(out)
}

// ───────────────────────────── implementation map ─────────────────────────────

/// The implementation map of one implemented document.
#[derive(Debug, Clone, Serialize)]
pub struct MapTable {
    /// The implemented document's slug.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// The implementing documents, one per column.
    pub columns: Vec<MapColumn>,
    /// One row per clause of the implemented document.
    pub rows: Vec<MapRow>,
}

/// A column of the map: an implementing document.
#[derive(Debug, Clone, Serialize)]
pub struct MapColumn {
    /// Its slug.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Link to it.
    pub href: String,
    /// How many rows have a matching clause in this column.
    pub covered: usize,
}

/// A row of the map: a clause and its counterparts in each column.
#[derive(Debug, Clone, Serialize)]
pub struct MapRow {
    /// The clause's id.
    pub id: String,
    /// Its label and heading.
    pub name: String,
    /// Link to the clause in its document.
    pub href: String,
    /// The part the clause opens, if it is the first of a part: its label and heading.
    pub part: Option<String>,
    /// One cell per column: the matching clauses, best first (empty where none).
    pub cells: Vec<Vec<MapCell>>,
}

/// A matching clause in a map cell.
#[derive(Debug, Clone, Serialize)]
pub struct MapCell {
    /// Its label and heading.
    pub name: String,
    /// Link to it in its document.
    pub href: String,
    /// Link to the compare page.
    pub compare: String,
    /// The score as printed.
    pub score: String,
}

/// The map's tables: one per document that others implement with matched clauses.
pub fn map_tables(lib: &Library) -> Vec<MapTable> {
    let mut tables = Vec::new();
    for target in &lib.documents {
        let columns: Vec<&Document> = lib
            .documents
            .iter()
            .filter(|d| {
                d.relations
                    .iter()
                    .any(|r| r.kind == "implements" && r.target == target.slug)
                    && !d.versions.is_empty()
            })
            .collect();
        if columns.is_empty() || target.versions.is_empty() {
            continue;
        }
        let orig = target.original();
        let mut rows = Vec::new();
        let mut part: Option<String> = None;
        for b in walk_blocks(&orig.blocks) {
            if b.kind == BlockKind::Part {
                let mut p = b.clone();
                if p.label.is_none()
                    && let Some(n) = p.number
                {
                    p.label = Some(ui::supplied_part_label(n, &orig.lang));
                }
                part = Some(clause_name(&p, &orig.lang));
                continue;
            }
            if b.kind != BlockKind::Clause {
                continue;
            }
            let cells = columns
                .iter()
                .map(|d| {
                    let mut ls: Vec<_> = d
                        .links
                        .iter()
                        .filter(|l| l.to.doc == target.slug && l.to.id == b.id)
                        .collect();
                    ls.sort_by(|x, y| y.score.total_cmp(&x.score));
                    ls.into_iter()
                        .filter_map(|l| {
                            let c = find_block(d.original(), &l.from)?;
                            Some(MapCell {
                                name: clause_name(c, &d.original().lang),
                                href: format!("{}/index.html#{}", d.slug, c.id),
                                compare: compare_file(&d.slug, &c.id, &target.slug, &b.id),
                                score: format!("{:.3}", l.score),
                            })
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            rows.push(MapRow {
                id: b.id.clone(),
                name: clause_name(b, &orig.lang),
                href: format!("{}/index.html#{}", target.slug, b.id),
                part: part.take(),
                cells,
            });
        }
        let columns = columns
            .iter()
            .enumerate()
            .map(|(k, d)| MapColumn {
                slug: d.slug.clone(),
                title: d.original().title.clone(),
                href: format!("{}/index.html", d.slug),
                covered: rows
                    .iter()
                    .filter(|r: &&MapRow| !r.cells[k].is_empty())
                    .count(),
            })
            .collect();
        tables.push(MapTable {
            slug: target.slug.clone(),
            title: orig.title.clone(),
            columns,
            rows,
        });
    }
    tables
}

/// The link to the implementation map for the library page, if the site has one.
#[derive(Debug, Clone, Serialize)]
pub struct MapLink {
    /// The map's file.
    pub href: String,
    /// The link text.
    pub label: String,
    /// A line on what the map shows.
    pub note: String,
}

/// The library page's link to the implementation map, if there is a map.
pub fn map_link(lib: &Library, lang: &str) -> Option<MapLink> {
    (!map_tables(lib).is_empty()).then(|| MapLink {
        href: MAP_FILE.into(),
        label: tr(lang, "实施对照表", "Implementation map"),
        note: tr(
            lang,
            "中央文件各条款在各地实施意见中的对应条款。",
            "Each central clause and the provincial clauses that implement it.",
        ),
    })
}

/// The implementation map, where there is one.
pub fn map_page(
    lib: &Library,
    env: &Environment<'_>,
    frame: &super::Frame,
) -> Result<Option<OutputFile>, RenderError> {
    let lang = view::site_lang(lib);
    let tables = map_tables(lib);
    if tables.is_empty() {
        return Ok(None);
    }
    let heading = tr(&lang, "实施对照表", "Implementation map");
    let page = PageMeta::new(
        lib,
        MAP_FILE,
        &lang,
        &format!("{heading} · {}", lib.site.title),
        None,
    );
    let mut text = std::collections::BTreeMap::new();
    text.insert("heading", heading);
    text.insert(
        "note",
        tr(
            &lang,
            "每行是中央文件的一条，每列是一份实施意见；格中为与该条对应的地方条款（按文字相似度自动匹配，附相似度），空格表示未找到对应条款。",
            "Each row is a clause of the central document, each column an implementing document; a cell holds the provincial clauses that correspond to the clause (matched automatically by the similarity of their wording, score shown); an empty cell means none was found.",
        ),
    );
    text.insert("clause", tr(&lang, "条款", "Clause"));
    text.insert("none", tr(&lang, "无对应条款", "no matching clause"));
    text.insert("covered", tr(&lang, "有对应条款的条数", "clauses matched"));
    text.insert("compare", tr(&lang, "对比", "compare"));
    Ok(Some(html_file(
        env,
        "implementation-map.html",
        MAP_FILE,
        ctx! {
            frame: frame, page: &page, lang: &lang;
            tables => &tables,
            text => &text,
        },
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({"name": "</script><script>alert(1)</script> & <!--"});
        let s = script_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn citations_cut_runs_and_keep_bold() {
        let text = "贯彻《关于甲的意见》精神";
        let s = text.find('关').unwrap();
        let e = text.find('》').unwrap();
        let runs = view::runs(text, &[(0, s)]);
        let cut = cited_runs(
            runs,
            &[Citation {
                start: s,
                end: e,
                target: "guideline".into(),
            }],
        );
        let got: Vec<(&str, bool, Option<&str>)> = cut
            .iter()
            .map(|r| (r.text.as_str(), r.strong, r.href.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("贯彻《", true, None),
                ("关于甲的意见", false, Some("../guideline/index.html")),
                ("》精神", false, None),
            ]
        );
    }

    #[test]
    fn relative_links_are_shortest() {
        assert_eq!(
            rel("guideline/c8.html", "guideline/index.html#c8"),
            "index.html#c8"
        );
        assert_eq!(
            rel("guideline/en/c8.html", "guideline/en.html#c8"),
            "../en.html#c8"
        );
        assert_eq!(
            rel("guideline/c8.html", "guideline/en/c8.html"),
            "en/c8.html"
        );
        assert_eq!(
            rel("guideline/en/c8.html", "guideline/c8.html"),
            "../c8.html"
        );
        assert_eq!(rel("a/b/c.html", "x/y.html"), "../../x/y.html");
    }

    #[test]
    fn dates_in_each_language() {
        assert_eq!(display_date("2020-05-17", "zh-Hans"), "2020年5月17日");
        assert_eq!(display_date("2020-05-17", "en"), "17 May 2020");
        assert_eq!(display_date("2020", "en"), "2020");
    }
}
