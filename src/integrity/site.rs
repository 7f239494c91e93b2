//! The findings and the anchor registry in the built site: the `integrity.html` report,
//! markers on the affected units of document and side-by-side pages, alias elements for
//! moved anchors, "text changed" notes, and the `findings` of `data/<slug>.json`.
//!
//! Markers, aliases and notes are inserted into the rendered pages at the element that
//! carries the anchor, so every page that shows an anchor gets them, whatever its
//! template. They add no text node: a marker is an empty `<button>` whose description is
//! its `aria-label` (shown on hover and focus by the stylesheet from `data-note`), so
//! copying a paragraph copies only the source text.

use super::anchors::{Redirect, Resolution, version_page};
use super::{Finding, FindingKind};
use crate::model::Library;
use crate::render::{self, OutputFile, RenderError, escape};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// The page of a finding's version and the side-by-side page, with the id the anchor
/// has on each.
fn places(lib: &Library, f: &Finding) -> Vec<(String, String)> {
    let Some(doc) = lib.documents.iter().find(|d| d.slug == f.slug) else {
        return Vec::new();
    };
    let Some(i) = doc.versions.iter().position(|v| v.source == f.file) else {
        return Vec::new();
    };
    let mut out = vec![(version_page(doc, i), f.anchor.clone())];
    if doc.versions.len() > 1 {
        let id = if doc.versions[i].original || !f.anchor.contains('.') {
            f.anchor.clone()
        } else {
            format!("{}-{}", doc.versions[i].lang, f.anchor)
        };
        out.push((format!("{}/parallel.html", doc.slug), id));
    }
    out
}

/// Where inside the element with `id` to insert: right after its start tag; before it
/// for lists (no phrasing content allowed there); inside the first element of the first
/// cell of a side-by-side row. `None` where the page has no such id.
fn insertion_point(html: &str, ids: &HashMap<&str, usize>, id: &str) -> Option<usize> {
    let at = *ids.get(id)?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')? + 1;
    let tag = &html[tag_start..tag_end];
    let name: String = tag[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    if matches!(name.as_str(), "ul" | "ol" | "table" | "tr" | "dl") {
        return Some(tag_start);
    }
    if tag.contains("class=\"prow") {
        // Inside the first element of the row's first cell (its heading or paragraph).
        let cell = tag_end + html[tag_end..].find("<div")?;
        let inner = cell + html[cell..].find('>')? + 1;
        let rest = &html[inner..];
        if rest.starts_with('<') && !rest.starts_with("</") {
            return Some(inner + rest.find('>')? + 1);
        }
        return Some(inner);
    }
    Some(tag_end)
}

/// Where each ` id="…"` of a page first stands (the offset of its space), by id: one
/// pass over the page, however many ids are marked on it.
fn id_positions(html: &str) -> HashMap<&str, usize> {
    const NEEDLE: &str = " id=\"";
    let mut out = HashMap::new();
    let mut from = 0;
    while let Some(k) = html[from..].find(NEEDLE) {
        let at = from + k;
        let start = at + NEEDLE.len();
        let Some(len) = html[start..].find('"') else {
            break;
        };
        out.entry(&html[start..start + len]).or_insert(at);
        from = start;
    }
    out
}

/// The start of the finding markers that end right at `p` (markers put before a list),
/// else `p`: what the anchor registry adds to a unit goes before its finding markers
/// wherever they are.
fn before_flags(html: &str, mut p: usize) -> usize {
    while html[..p].ends_with("></button>") {
        match html[..p].rfind(FLAG_START) {
            Some(start) if !html[start + 1..p - "</button>".len()].contains('<') => p = start,
            _ => break,
        }
    }
    p
}

/// How every finding marker begins.
const FLAG_START: &str = "<button type=\"button\" class=\"integrity-flag\"";

/// A page with the HTML of `per_id` (id ─► HTML) inserted at its ids.
pub fn mark_page(bytes: &[u8], per_id: &BTreeMap<String, String>) -> Vec<u8> {
    // The pages are the build's own UTF-8; the plain check is the fast one.
    let html = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let ids = id_positions(&html);
    let mut points: Vec<(usize, std::cmp::Reverse<usize>, &str)> = per_id
        .iter()
        .enumerate()
        .filter_map(|(i, (id, s))| {
            let p = before_flags(&html, insertion_point(&html, &ids, id)?);
            Some((p, std::cmp::Reverse(i), s.as_str()))
        })
        .collect();
    // One pass from the start; snippets at the same place in reverse id order (as if each
    // were inserted there in id order, the later before the earlier).
    points.sort();
    let mut out =
        String::with_capacity(html.len() + points.iter().map(|p| p.2.len()).sum::<usize>());
    let mut from = 0;
    for (p, _, s) in points {
        out.push_str(&html[from..p]);
        out.push_str(s);
        from = p;
    }
    out.push_str(&html[from..]);
    out.into_bytes()
}

/// How a finding's kind is named on a page in `lang`.
fn kind_label(kind: FindingKind, zh: bool) -> &'static str {
    match (kind, zh) {
        (FindingKind::Repair, true) => "构建时修复",
        (FindingKind::Pasted, true) => "疑为误粘贴的段落",
        (FindingKind::Unmatched, true) => "译文与原文不对应",
        (FindingKind::Repeat, true) => "重复的文字",
        (FindingKind::Numbering, true) => "编号有误",
        (FindingKind::Stray, true) => "疑为页眉页脚",
        (FindingKind::Repair, false) => "Repaired by the build",
        (FindingKind::Pasted, false) => "Passage probably pasted from elsewhere",
        (FindingKind::Unmatched, false) => "No counterpart in the other language",
        (FindingKind::Repeat, false) => "Repeated text",
        (FindingKind::Numbering, false) => "Numbering fault",
        (FindingKind::Stray, false) => "Stray header, footer or page number",
    }
}

/// Whether a page of the site is in Chinese, by its `<html lang>`.
pub fn page_is_zh(bytes: &[u8]) -> bool {
    bytes.windows(14).take(400).any(|w| w == b"<html lang=\"zh")
}

/// Where the findings are marked: page ─► (anchor on that page, finding), in the order of
/// `findings`. Each finding marks the page of its version and the side-by-side page.
pub fn finding_places<'a>(
    lib: &Library,
    findings: &'a [Finding],
) -> HashMap<String, Vec<(String, &'a Finding)>> {
    let mut out: HashMap<String, Vec<(String, &Finding)>> = HashMap::new();
    for f in findings {
        for (page, id) in places(lib, f) {
            out.entry(page).or_default().push((id, f));
        }
    }
    out
}

/// A rendered page with a marker at each of its `places` (from [`finding_places`]),
/// worded in the page's language. Done before the page is first written, so a page is
/// written once.
pub fn mark_findings(bytes: &[u8], places: &[(String, &Finding)]) -> Vec<u8> {
    let zh = page_is_zh(bytes);
    let mut per_id: BTreeMap<String, String> = BTreeMap::new();
    let lang = if zh { " lang=\"en\"" } else { "" };
    for (id, f) in places {
        // The note once escaped, for both attributes that carry it.
        let note = escape(&format!(
            "{}: {} ({}:{})",
            kind_label(f.kind, zh),
            f.message,
            f.file,
            f.line
        ));
        per_id.entry(id.clone()).or_default().push_str(&format!(
            "{FLAG_START} data-kind=\"{}\" aria-label=\"{note}\" data-note=\"{note}\"{lang}></button>",
            f.kind.name(),
        ));
    }
    mark_page(bytes, &per_id)
}

/// What the anchor registry adds to the pages of a build ([`plan_marks`]): HTML to insert
/// at ids of pages (page ─► id ─► HTML), and forwarding pages for pages gone as a whole.
#[derive(Debug, Default)]
pub struct Marks {
    /// Page ─► id ─► the HTML to insert at the element with that id.
    pub snippets: BTreeMap<String, BTreeMap<String, String>>,
    /// A forwarding page for every page that is gone as a whole.
    pub redirects: Vec<OutputFile>,
}

/// Puts the alias elements of moved anchors and a "text changed" note on every anchor
/// whose text changed since first published into pages already marked with their
/// findings ([`mark_findings`]); adds a forwarding page for every page that is gone as
/// a whole.
pub fn mark_pages(files: &mut Vec<OutputFile>, res: &Resolution) {
    // The first file of each path, as a search from the start would find it.
    let mut by_path: HashMap<&str, usize> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        by_path.entry(f.path.as_str()).or_insert(i);
    }
    let marks = plan_marks(res, |page| {
        by_path
            .get(page)
            .is_some_and(|&i| page_is_zh(&files[i].bytes))
    });
    drop(by_path);
    for f in files.iter_mut() {
        if let Some(per_id) = marks.snippets.get(&f.path) {
            f.bytes = mark_page(&f.bytes, per_id);
        }
    }
    files.extend(marks.redirects);
}

/// The [`Marks`] of the anchor registry's resolution: `is_zh` tells whether a page of the
/// site is in Chinese (notes speak the page's language).
pub fn plan_marks(res: &Resolution, is_zh: impl Fn(&str) -> bool) -> Marks {
    let mut snippets: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (page, id, date) in &res.changed {
        let zh = is_zh(page);
        let note = if zh {
            format!("此处文字自 {date} 起有改动")
        } else {
            format!("Text changed since {date}")
        };
        snippets
            .entry(page.clone())
            .or_default()
            .entry(id.clone())
            .or_default()
            .insert_str(
                0,
                &format!(
                    "<span class=\"text-changed\" role=\"note\" aria-label=\"{0}\" data-note=\"{0}\" data-since=\"{date}\"></span>",
                    escape(&note)
                ),
            );
    }
    for a in &res.aliases {
        snippets
            .entry(a.page.clone())
            .or_default()
            .entry(a.new.clone())
            .or_default()
            .insert_str(
                0,
                &format!(
                    "<span id=\"{}\" class=\"anchor-alias\" data-alias-of=\"{}\"></span>",
                    escape(&a.old),
                    escape(&a.new)
                ),
            );
    }
    let redirects = res
        .redirects
        .iter()
        .map(|(page, r)| redirect_page(page, r))
        .collect();
    Marks {
        snippets,
        redirects,
    }
}

/// A page gone as a whole: it forwards to its new page, keeping the fragment through the
/// aliases (`c36.html#c36-1.2` ─► `c35.html#c35-1.2`); without JavaScript the refresh
/// and the link lead to the new page.
fn redirect_page(page: &str, r: &Redirect) -> OutputFile {
    let dir = |p: &str| p.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let href = if dir(page) == dir(&r.to) {
        r.to.rsplit('/').next().unwrap_or(&r.to).to_string()
    } else {
        format!("{}{}", "../".repeat(page.matches('/').count()), r.to)
    };
    let map = serde_json::to_string(&r.ids)
        .expect("serializes")
        .replace("</", "<\\/");
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n<meta http-equiv=\"refresh\" content=\"0; url={0}\">\n<link rel=\"canonical\" href=\"{0}\">\n</head>\n<body>\n<p>This text has moved to <a href=\"{0}\">{1}</a>.</p>\n<script>\n(function () {{\n  var ids = {2};\n  var h = decodeURIComponent(location.hash.slice(1));\n  location.replace(\"{0}\" + (h ? \"#\" + encodeURIComponent(ids[h] || h) : \"\"));\n}})();\n</script>\n</body>\n</html>\n",
        escape(&href),
        escape(&r.to),
        map
    );
    OutputFile {
        path: page.to_string(),
        bytes: html.into_bytes(),
    }
}

/// The link from the site root to a finding's place, or to its related place.
fn href(lib: &Library, f: &Finding, anchor: &str) -> String {
    let doc = lib.documents.iter().find(|d| d.slug == f.slug);
    let page = doc
        .and_then(|d| {
            let i = d.versions.iter().position(|v| v.source == f.file)?;
            Some(version_page(d, i))
        })
        .unwrap_or_else(|| format!("{}/index.html", f.slug));
    format!("{page}#{anchor}")
}

/// `integrity.html`: the findings grouped by document, each linked to its place.
pub fn report_page(
    lib: &Library,
    renderer: &render::Renderer,
    findings: &[Finding],
) -> Result<OutputFile, RenderError> {
    let documents: Vec<serde_json::Value> = lib
        .documents
        .iter()
        .map(|d| {
            let o = d.original();
            let fs: Vec<serde_json::Value> = findings
                .iter()
                .filter(|f| f.slug == d.slug)
                .enumerate()
                .map(|(n, f)| {
                    json!({
                        "id": format!("{}-{}", d.slug, n + 1),
                        "kind": f.kind.name(),
                        "file": f.file,
                        "line": f.line,
                        "anchor": f.anchor,
                        "href": href(lib, f, &f.anchor),
                        "related": f.related,
                        "related_href": f.related.as_ref().map(|r| {
                            // The related place is in the original where the finding is
                            // about a translation's sentences.
                            let orig = Finding { file: o.source.clone(), ..f.clone() };
                            if d.versions.iter().any(|v| v.source == f.file && !v.original) {
                                href(lib, &orig, r)
                            } else {
                                href(lib, f, r)
                            }
                        }),
                        "message": f.message,
                        "evidence": f.evidence,
                    })
                })
                .collect();
            json!({
                "slug": d.slug,
                "title": o.title,
                "lang": o.lang,
                "href": format!("{}/index.html", d.slug),
                "findings": fs,
            })
        })
        .collect();
    let kinds: Vec<serde_json::Value> = FindingKind::ALL
        .iter()
        .map(|k| (k, findings.iter().filter(|f| f.kind == *k).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| json!({"name": k.name(), "count": n}))
        .collect();
    let data = json!({
        "total": findings.len(),
        "kinds": kinds,
        "documents": documents,
    });
    renderer.extra_page(
        lib,
        "integrity.html",
        "integrity.html",
        "Integrity of the source texts",
        &data,
    )
}

/// The findings of document `slug`, for `data/<slug>.json`.
pub fn findings_of<'a>(findings: &'a [Finding], slug: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.slug == slug).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_go_after_start_tags_before_lists_and_in_id_order_at_one_place() {
        let page = "<p id=\"a\">one</p><ul id=\"b\"><li id=\"c\">two</li></ul>";
        let mut per_id = BTreeMap::new();
        per_id.insert("a".to_string(), "[A]".to_string());
        per_id.insert("b".to_string(), "[B]".to_string());
        per_id.insert("c".to_string(), "[C]".to_string());
        per_id.insert("missing".to_string(), "[X]".to_string());
        let out = String::from_utf8(mark_page(page.as_bytes(), &per_id)).unwrap();
        assert_eq!(
            out,
            "<p id=\"a\">[A]one</p>[B]<ul id=\"b\"><li id=\"c\">[C]two</li></ul>"
        );
        // Placed by position in the page, whatever the order of the ids.
        let page = "<p id=\"x\"></p><ol id=\"y\"></ol>";
        let mut per_id = BTreeMap::new();
        per_id.insert("y".to_string(), "[Y]".to_string());
        per_id.insert("x".to_string(), "[X]".to_string());
        let out = String::from_utf8(mark_page(page.as_bytes(), &per_id)).unwrap();
        assert_eq!(out, "<p id=\"x\">[X]</p>[Y]<ol id=\"y\"></ol>");
    }

    #[test]
    fn registry_marks_on_marked_pages_land_where_marking_once_puts_them() {
        // Findings are marked when a page is rendered, the registry's marks later; the
        // later go before the finding markers, before a list as after a start tag.
        let page = "<p id=\"a\">one</p><ul id=\"b\"><li id=\"c\">two</li></ul>";
        let flag = format!("{FLAG_START} data-kind=\"repair\"></button>");
        let map = |pairs: &[(&str, String)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect()
        };
        let findings = map(&[("a", flag.clone()), ("b", flag.clone())]);
        let registry = map(&[
            ("a", "[A]".into()),
            ("b", "[B]".into()),
            ("c", "[C]".into()),
        ]);
        let both = map(&[
            ("a", format!("[A]{flag}")),
            ("b", format!("[B]{flag}")),
            ("c", "[C]".into()),
        ]);
        let twice = mark_page(&mark_page(page.as_bytes(), &findings), &registry);
        let once = mark_page(page.as_bytes(), &both);
        assert_eq!(
            String::from_utf8(twice).unwrap(),
            String::from_utf8(once.clone()).unwrap()
        );
        let once = String::from_utf8(once).unwrap();
        assert!(
            once.contains(&format!(
                "<p id=\"a\">[A]{flag}one</p>[B]{flag}<ul id=\"b\">"
            )),
            "{once}"
        );
    }

    #[test]
    fn thousands_of_marks_on_one_page_keep_every_byte() {
        let mut page = String::new();
        let mut per_id = BTreeMap::new();
        for i in 0..5000 {
            page.push_str(&format!("<p id=\"p{i}\">text {i}</p>"));
            per_id.insert(format!("p{i}"), format!("<b>{i}</b>"));
        }
        let out = String::from_utf8(mark_page(page.as_bytes(), &per_id)).unwrap();
        assert_eq!(
            out.len(),
            page.len() + per_id.values().map(String::len).sum::<usize>()
        );
        assert!(out.contains("<p id=\"p4999\"><b>4999</b>text 4999</p>"));
    }
}
