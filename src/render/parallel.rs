//! The side-by-side page of a document with a translation (`<slug>/parallel.html`): one
//! column per version, the rows of [`super::rows`], with their marks.

use super::error::RenderError;
use super::frame::Frame;
use super::marks::Annotations;
use super::paths::{original_index, parallel_page};
use super::rows;
use super::strings;
use super::view::{DocInfo, PageMeta, description, parallel_columns, relations};
use crate::base::OutputFile;
use crate::model::{Document, Library};

/// The side-by-side page of `doc`, which has a translation.
pub(crate) fn page(
    lib: &Library,
    frame: &Frame,
    marks: &Annotations<'_>,
    doc: &Document,
) -> Result<OutputFile, RenderError> {
    let orig = &doc.versions[original_index(doc)];
    let lang = orig.lang.as_str();
    let path = parallel_page(doc);
    let mut rows = rows::rows(doc, lang);
    if let Some(m) = marks.page(&path, lang) {
        m.rows(&mut rows);
    }
    let page = PageMeta::new(
        lib,
        &path,
        lang,
        &format!(
            "{} · {} · {}",
            orig.title,
            strings::get(lang, "parallel"),
            lib.site.title
        ),
        description(orig).as_deref(),
    );
    frame.html(
        "parallel.html",
        &path,
        ctx! {
            frame: frame, page: &page, lang: lang;
            doc => &DocInfo::new(doc, lang),
            relations => &relations(lib, doc, "../", lang),
            columns => parallel_columns(doc, lang),
            rows => rows,
        },
    )
}
