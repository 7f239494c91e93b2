//! How a reader cites a clause: its name (label and heading), dates as written in each
//! language, and the "Cite" menu of every clause (the citation and a Markdown link).

use super::paths::file_of;
use super::strings::{self, fill, tr};
use crate::model::{Block, Document, Library};
use serde::Serialize;

/// The "Cite" menu of a clause: the citation (the link is added by the script) and a
/// Markdown link label.
#[derive(Debug, Clone, Serialize)]
pub(super) struct CiteView {
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

/// A block's heading: its own, or the one the build supplied.
pub(crate) fn heading_of(b: &Block) -> Option<String> {
    b.title
        .clone()
        .or_else(|| b.supplied_title.as_ref().map(|s| s.text.clone()))
}

/// A date `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) as written in `lang`.
pub(crate) fn display_date(date: &str, lang: &str) -> String {
    let parts: Vec<u32> = date.split('-').filter_map(|p| p.parse().ok()).collect();
    let month = |m: u32| {
        (1..=12)
            .contains(&m)
            .then(|| strings::get(lang, &format!("month_{m}")))
    };
    match (parts.as_slice(), parts.get(1).and_then(|m| month(*m))) {
        ([y, _, d], Some(month)) => fill(
            lang,
            "date_ymd",
            &[
                ("y", &y.to_string()),
                ("month", month),
                ("d", &d.to_string()),
            ],
        ),
        ([y, _], Some(month)) => fill(lang, "date_ym", &[("y", &y.to_string()), ("month", month)]),
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
pub(crate) fn clause_name(b: &Block, lang: &str) -> String {
    let label = b.label.clone().unwrap_or_default();
    let title = heading_of(b).unwrap_or_default();
    let title = title.trim_end_matches(['。', '.', '；', ';', '：', ':']);
    if label.is_empty() || title.is_empty() {
        format!("{label}{title}")
    } else {
        fill(lang, "clause_name", &[("label", &label), ("title", title)])
    }
}

/// The link to clause `id` in `doc.versions[i]`: absolute with `site.url`, else relative
/// to a page in the document's folder.
fn clause_url(lib: &Library, doc: &Document, i: usize, id: &str) -> String {
    let file = file_of(doc, i);
    match &lib.site.url {
        Some(u) => format!("{}/{}/{file}#{id}", u.trim_end_matches('/'), doc.slug),
        None => format!("{file}#{id}"),
    }
}

/// The "Cite" menu of clause `b` of `doc.versions[i]`.
pub(crate) fn cite_view(lib: &Library, doc: &Document, i: usize, b: &Block) -> CiteView {
    let v = &doc.versions[i];
    let lang = v.lang.as_str();
    let name = clause_name(b, lang);
    let work = fill(lang, "cite_work", &[("title", &v.title), ("name", &name)]);
    let mut text = work.clone();
    if let Some(d) = doc.date.as_deref() {
        text.push_str(&fill(
            lang,
            "cite_date",
            &[("date", &display_date(d, lang))],
        ));
    }
    text.push_str(strings::get(lang, "cite_end"));
    CiteView {
        menu: tr(lang, "cite_menu"),
        copy_citation: tr(lang, "cite_copy"),
        copy_markdown: tr(lang, "cite_copy_markdown"),
        text,
        md_label: md_escape(&work),
        url: clause_url(lib, doc, i, &b.id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_each_language() {
        assert_eq!(display_date("2020-05-17", "zh-Hans"), "2020年5月17日");
        assert_eq!(display_date("2020-05", "zh-Hans"), "2020年5月");
        assert_eq!(display_date("2020-05-17", "en"), "17 May 2020");
        assert_eq!(display_date("2020-05", "en"), "May 2020");
        assert_eq!(display_date("2020", "en"), "2020");
    }
}
