//! Where the pages of a document are, from the site root and from each other: the page
//! of each version, the side-by-side page, the clause and compare pages, the
//! implementation map. Every page module and the anchor registry take these paths from
//! here, so that links and the pages they point to agree.

use crate::model::Document;

/// The file of the implementation map, at the site root.
pub(crate) const MAP_FILE: &str = "implementation-map.html";

/// The integrity report's file, at the site root.
pub(crate) const REPORT_FILE: &str = "integrity.html";

/// The index of `doc`'s original version (the first, if none is marked).
pub(crate) fn original_index(doc: &Document) -> usize {
    doc.versions.iter().position(|v| v.original).unwrap_or(0)
}

/// The file of the page of `doc.versions[i]` in the document's folder.
pub(crate) fn file_of(doc: &Document, i: usize) -> String {
    if i == original_index(doc) {
        "index.html".into()
    } else {
        format!("{}.html", doc.versions[i].lang)
    }
}

/// Whether `doc` gets a side-by-side page: it has more than one version.
pub(crate) fn has_parallel(doc: &Document) -> bool {
    doc.versions.len() > 1
}

/// The side-by-side page of `doc`, from the site root.
pub(crate) fn parallel_page(doc: &Document) -> String {
    format!("{}/parallel.html", doc.slug)
}

/// The path of the clause page of clause `id` in `doc.versions[i]`.
pub(crate) fn clause_page_path(doc: &Document, i: usize, id: &str) -> String {
    if i == original_index(doc) {
        format!("{}/{id}.html", doc.slug)
    } else {
        format!("{}/{}/{id}.html", doc.slug, doc.versions[i].lang)
    }
}

/// The compare page of clause `from` of `from_doc` and clause `to` of `to_doc`, from the
/// site root.
pub(crate) fn compare_file(from_doc: &str, from: &str, to_doc: &str, to: &str) -> String {
    format!("{from_doc}/compare/{from}-{to_doc}-{to}.html")
}

/// The shortest relative link from the page at site path `from` to site path `to`.
pub(crate) fn rel(from: &str, to: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
