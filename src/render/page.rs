//! The Markdown pages of the seeds folder (`pages/*.md` ─► `<name>.html`), and the
//! header's links to them.

use super::error::RenderError;
use super::frame::Frame;
use super::markdown;
use super::paths::{MAP_FILE, REPORT_FILE};
use super::view::{NavLink, PageMeta};
use crate::base::OutputFile;
use crate::base::paths::PAGES_DIR;
use crate::model::Library;
use minijinja::Value;
use std::path::Path;

/// The Markdown pages of a seeds folder (`pages/*.md`), converted to HTML. Independent
/// of the documents, so a build converts them while it parses.
pub struct MarkdownPages(pub(crate) Vec<markdown::Page>);

impl MarkdownPages {
    /// Reads and converts the Markdown pages of the seeds folder `seeds`.
    pub fn load(seeds: &Path) -> Result<MarkdownPages, RenderError> {
        markdown::read_pages(&seeds.join(PAGES_DIR)).map(MarkdownPages)
    }

    /// The header's links to the pages.
    pub(crate) fn nav_links(&self) -> Vec<NavLink> {
        self.0
            .iter()
            .map(|p| NavLink {
                file: format!("{}.html", p.name),
                title: p.title.clone(),
                lang: p.lang.clone(),
            })
            .collect()
    }

    /// The HTML pages of the Markdown pages. A page whose name another page of the site
    /// has (a document's folder, `index`, `404`, `search`, the implementation map) is an
    /// error; `seeds` names its file.
    pub(crate) fn render(
        &self,
        lib: &Library,
        frame: &Frame,
        seeds: &Path,
    ) -> Result<Vec<OutputFile>, RenderError> {
        let mut out = Vec::new();
        for p in &self.0 {
            let path = format!("{}.html", p.name);
            if lib.documents.iter().any(|d| d.slug == p.name)
                || p.name == "index"
                || p.name == "404"
                || p.name == "search"
                || path == MAP_FILE
                || path == REPORT_FILE
            {
                let file = seeds.join(PAGES_DIR).join(format!("{}.md", p.name));
                return Err(RenderError::page_name(&file, &p.name));
            }
            let page = PageMeta::new(
                lib,
                &path,
                &p.lang,
                &format!("{} · {}", p.title, lib.site.title),
                None,
            );
            out.push(frame.html(
                "page.html",
                &path,
                ctx! {
                    frame: frame, page: &page, lang: &p.lang;
                    title => &p.title,
                    content => Value::from_safe_string(p.html.clone()),
                },
            )?);
        }
        Ok(out)
    }
}
