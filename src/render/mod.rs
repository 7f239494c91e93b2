//! Rendering: document trees ─► HTML pages, with MiniJinja templates.
//!
//! The templates are the user-facing API of this stage: the defaults in `templates/` are
//! embedded in the binary, and a file of the same name in `<seeds>/templates/` replaces
//! one of them, file by file. Static assets work the same way with `<seeds>/static/`.
//! Markdown pages come from `<seeds>/pages/*.md`.
//!
//! Every template receives plain data (see `view`); all seed text is auto-escaped, and
//! every interface string comes from the tables of `strings`. The stage also tells
//! which ids the pages carry ([`registry`], for the anchor stage, which runs before it),
//! and puts what the anchor registry and the integrity findings add to a unit into that
//! unit's data ([`Annotations`]; the templates show it with the `marks` macro).
//!
//! The files, from the bottom up (each uses only files above it in this list):
//!
//! - leaves: `error` (`RenderError`), `strings` (the interface strings), `paths`
//!   (where each page is), `bidi`, `lookup`, `markdown`, `templates` (the template
//!   environment and the `ctx!` macro);
//! - the view layer the pages share: `cite` (clause names, dates, the "Cite" menu),
//!   `clause_links` (linked clauses), `view` (page meta, block views, runs, marks),
//!   `meta` (JSON-LD, OpenGraph), `frame` (what every page's context holds), `rows`
//!   (the side-by-side page's rows), `marks` (annotations and the anchor registry);
//! - one module per page type: `library`, `document`, `parallel`, `clause`, `compare`,
//!   `map`, `page` (Markdown pages), `report`, `moved`, `site` (search page, 404,
//!   sitemap, static assets, data files);
//! - this file, which declares them and renders a site with the [`Renderer`].

#[macro_use]
mod templates;

mod bidi;
mod cite;
mod clause;
mod clause_links;
mod compare;
mod document;
mod error;
mod frame;
mod library;
mod lookup;
mod map;
mod markdown;
mod marks;
mod meta;
mod moved;
mod page;
mod parallel;
mod paths;
mod report;
mod rows;
mod site;
mod strings;
mod view;

use crate::anchors::Redirect;
use crate::base::paths::STATIC_DIR;
use crate::integrity::Finding;
use crate::model::Library;
use frame::Frame;
use minijinja::Value;
use std::path::Path;

pub use crate::base::OutputFile;
pub use error::{RenderError, RenderErrorKind};
pub(crate) use markdown::escape;
pub use marks::{Annotations, registry};
pub use page::MarkdownPages;
pub use site::data_file;
pub use templates::{Templates, environment};

/// Renders every page of the site, sorted by path, without marks (no findings, no anchor
/// registry). `seeds` is the seeds folder, whose `templates/`, `static/` and `pages/`
/// override or add to the embedded defaults. The same input gives the same bytes.
pub fn render(lib: &Library, seeds: &Path) -> Result<Vec<OutputFile>, RenderError> {
    let files = std::sync::Mutex::new(Vec::new());
    let marks = Annotations::default();
    Renderer::new(lib, seeds, MarkdownPages::load(seeds)?)?.render_to(
        lib,
        seeds,
        &marks,
        &|batch| {
            files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(batch)
        },
    )?;
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// What every page of a build shares: the templates (embedded, with the seeds folder's
/// overrides), the Markdown pages and the header's links to them. Made once per build.
pub struct Renderer {
    pages: MarkdownPages,
    frame: Frame,
}

impl Renderer {
    /// Loads the templates of `seeds`, for the library `lib` and its Markdown `pages`.
    pub fn new(lib: &Library, seeds: &Path, pages: MarkdownPages) -> Result<Renderer, RenderError> {
        Ok(Renderer::with_environment(lib, environment(seeds)?, pages))
    }

    /// [`Renderer::new`] with the templates of the seeds folder already loaded
    /// ([`environment`]), which a build does while it parses.
    pub fn with_environment(
        lib: &Library,
        mut templates: Templates,
        pages: MarkdownPages,
    ) -> Renderer {
        templates
            .env
            .add_global("search_langs", Value::from(crate::search::languages(lib)));
        let frame = Frame {
            templates,
            site: Value::from(minijinja::value::Serde(&lib.site)),
            nav: Value::from(minijinja::value::Serde(pages.nav_links())),
        };
        Renderer { pages, frame }
    }

    /// Renders every page of the site and hands the files to `emit` as they are made,
    /// in batches, from several threads: all pages of a document's folder come in one
    /// batch. `marks` are what the anchor registry and the findings add to the units of
    /// the pages. What is emitted is the same for the same input; the order of the
    /// batches is not.
    pub fn render_to(
        &self,
        lib: &Library,
        seeds: &Path,
        marks: &Annotations<'_>,
        emit: &(dyn Fn(Vec<OutputFile>) + Sync),
    ) -> Result<(), RenderError> {
        use rayon::prelude::*;
        let frame = &self.frame;
        let site_lang = view::site_lang(lib);
        let look = lookup::Lookup::new(lib);
        // The HTML pages emitted, for the sitemap.
        let mut html: Vec<String> = Vec::new();
        let send = |files: Vec<OutputFile>, html: &mut Vec<String>| {
            html.extend(html_paths(&files));
            emit(files);
        };

        send(vec![library::page(lib, frame, &site_lang)?], &mut html);

        // Every page of a document's folder, documents in parallel.
        let per_doc: Vec<Vec<String>> = lib
            .documents
            .par_iter()
            .map(|doc| {
                let mut files = document::pages(lib, &look, frame, marks, doc)?;
                if paths::has_parallel(doc) {
                    files.push(parallel::page(lib, frame, marks, doc)?);
                }
                for i in 0..doc.versions.len() {
                    files.extend(clause::pages(lib, &look, frame, marks, doc, i)?);
                }
                files.extend(compare::pages(lib, &look, frame, doc)?);
                let paths = html_paths(&files);
                emit(files);
                Ok(paths)
            })
            .collect::<Result<_, RenderError>>()?;
        html.extend(per_doc.into_iter().flatten());

        if let Some(f) = map::page(lib, frame)? {
            send(vec![f], &mut html);
        }
        send(self.pages.render(lib, frame, seeds)?, &mut html);
        send(vec![site::search_page(lib, frame, &site_lang)?], &mut html);
        send(
            vec![site::not_found_page(lib, frame, &site_lang)?],
            &mut html,
        );

        let mut rest = vec![
            site::sitemap(lib, frame, html)?,
            OutputFile {
                path: ".nojekyll".into(),
                bytes: Vec::new(),
            },
        ];
        rest.extend(site::static_files(&seeds.join(STATIC_DIR))?);
        emit(rest);
        Ok(())
    }

    /// `integrity.html`: the findings grouped by document, each linked to its place.
    pub fn report_page(
        &self,
        lib: &Library,
        findings: &[Finding],
    ) -> Result<OutputFile, RenderError> {
        report::page(lib, &self.frame, findings)
    }

    /// The forwarding page at `page` (a site path) to the page that replaces it.
    pub fn moved_page(&self, page: &str, r: &Redirect) -> Result<OutputFile, RenderError> {
        moved::page(&self.frame.templates, page, r)
    }
}

/// The paths of the HTML pages among `files`.
fn html_paths(files: &[OutputFile]) -> Vec<String> {
    files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| f.path.clone())
        .collect()
}
