//! The integrity report, `integrity.html`: the findings about the source texts grouped
//! by document, each linked to its place.

use super::error::RenderError;
use super::frame::Frame;
use super::paths::REPORT_FILE;
use super::strings;
use super::view::{PageMeta, site_lang};
use crate::anchors::version_page;
use crate::base::OutputFile;
use crate::integrity::{Finding, FindingKind};
use crate::model::Library;
use serde_json::json;

/// The language of the report's own words: its findings' messages are English.
const REPORT_LANG: &str = "en";

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

/// `integrity.html` from the template of that name: the findings grouped by document
/// (`report`), each linked to its place, and the report's words (`report.text`).
pub(crate) fn page(
    lib: &Library,
    frame: &Frame,
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
                            // The related place is in the original where the finding
                            // is about a translation's sentences.
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
    let text: serde_json::Map<String, serde_json::Value> =
        ["lede", "finding", "findings", "see", "none"]
            .iter()
            .map(|k| {
                let s = strings::get(REPORT_LANG, &format!("integrity_{k}"));
                (k.to_string(), json!(s))
            })
            .collect();
    let data = json!({
        "total": findings.len(),
        "kinds": kinds,
        "documents": documents,
        "title": strings::get(REPORT_LANG, "integrity"),
        "text": text,
    });
    let lang = site_lang(lib);
    let title = strings::get(REPORT_LANG, "integrity");
    let page = PageMeta::new(
        lib,
        REPORT_FILE,
        &lang,
        &format!("{title} · {}", lib.site.title),
        None,
    );
    frame.html(
        REPORT_FILE,
        REPORT_FILE,
        ctx! { frame: frame, page: &page, lang: &lang; report => data },
    )
}
