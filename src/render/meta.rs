//! What a page says about itself to machines: schema.org JSON-LD (`Legislation`) for
//! document and clause pages, OpenGraph and Twitter card data for clause pages.

use super::lookup::Lookup;
use super::paths::{clause_page_path, file_of, original_index};
use super::strings::kind_label;
use crate::model::{Block, Document, Library};
use minijinja::Value;
use serde::Serialize;
use serde_json::json;

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` are written as
/// `\u003c`, `\u003e`, `\u0026`, so no text can close the script element.
pub(crate) fn script_json(v: &serde_json::Value) -> String {
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
        "url": ld_url(lib, root, &format!("{}/{}", doc.slug, file_of(doc, i))),
    })
}

/// The schema.org `Legislation` of `doc.versions[i]`, for a page at `root`.
fn legislation(lib: &Library, doc: &Document, i: usize, root: &str) -> serde_json::Value {
    let v = &doc.versions[i];
    let orig = original_index(doc);
    let mut ld = ld_version(lib, doc, i, root);
    ld["legislationIdentifier"] = json!(doc.slug);
    ld["legislationType"] = json!(kind_label(&doc.kind, &v.lang));
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
            let mut t = ld_version(lib, d, original_index(d), root);
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
pub(crate) fn document_jsonld(lib: &Library, doc: &Document, i: usize) -> Value {
    let mut ld = legislation(lib, doc, i, "../");
    ld["@context"] = json!("https://schema.org");
    Value::from_safe_string(script_json(&ld))
}

/// The JSON-LD of the clause page at `path` of clause `b` (named `name`) of
/// `doc.versions[i]`, ready for a script element.
pub(crate) fn clause_jsonld(
    lib: &Library,
    look: &Lookup,
    doc: &Document,
    i: usize,
    b: &Block,
    name: &str,
    path: &str,
) -> Value {
    let lang = doc.versions[i].lang.as_str();
    let root = "../".repeat(path.matches('/').count());
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": name,
        "legislationIdentifier": format!("{}/{}", doc.slug, b.id),
        "inLanguage": lang,
        "url": ld_url(lib, &root, path),
        "isPartOf": legislation(lib, doc, i, &root),
    });
    if let Some(d) = &doc.date {
        ld["legislationDate"] = json!(d);
    }
    let orig = original_index(doc);
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
            let ti = target.map_or(0, original_index);
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
    Value::from_safe_string(script_json(&ld))
}

/// OpenGraph and Twitter card data of a page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct OpenGraph {
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

impl OpenGraph {
    /// The card of the page at `path` in `lang`, titled `title` (bidirectional controls
    /// closed) and described by `description`.
    pub(crate) fn new(
        lib: &Library,
        path: &str,
        lang: &str,
        title: &str,
        description: &str,
    ) -> OpenGraph {
        OpenGraph {
            title: super::bidi::closed_title(title),
            description: description.to_string(),
            url: lib
                .site
                .url
                .as_ref()
                .map(|u| format!("{}/{path}", u.trim_end_matches('/'))),
            site_name: lib.site.title.clone(),
            locale: og_locale(lang),
        }
    }
}

fn og_locale(lang: &str) -> String {
    match lang.split('-').next().unwrap_or(lang) {
        "zh" => "zh_CN".into(),
        "en" => "en_US".into(),
        other => other.to_string(),
    }
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
}
