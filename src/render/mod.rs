//! Rendering: document trees ─► HTML pages, with MiniJinja templates.
//!
//! The templates are the user-facing API of this stage: the defaults in `templates/` are
//! embedded in the binary, and a file of the same name in `<seeds>/templates/` replaces
//! one of them, file by file. Static assets work the same way with `<seeds>/static/`.
//! Markdown pages come from `<seeds>/pages/*.md`.
//!
//! Every template receives plain data (see [`view`]); all seed text is auto-escaped.
//! The stage also tells which ids the pages carry ([`registry`], for the anchor stage,
//! which runs before it), and puts what the anchor registry and the integrity findings add
//! to a unit into that unit's data ([`Annotations`]; the templates show it with the
//! `marks` macro). The integrity report, the forwarding pages of moved pages and the data
//! files are rendered here too.

mod bidi;
mod data;
mod lookup;
mod markdown;
mod marks;
mod parallel;
mod report;
mod ui;
mod view;

use crate::base::paths::{PAGES_DIR, STATIC_DIR, TEMPLATES_DIR};
use crate::base::text::has_han;
use crate::model::Library;
use minijinja::{Environment, Value};

/// A template context from `name => expression` pairs, each value serialized with serde.
/// Led by `frame: F, page: P, lang: L;`, it starts from what every page has: `site`,
/// `page`, `ui` and `nav` ([`Frame::context`]).
macro_rules! ctx {
    (frame: $frame:expr, page: $page:expr, lang: $lang:expr; $($name:ident => $value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut m = $frame.context($page, $lang);
        $( m.insert(stringify!($name), Value::from(minijinja::value::Serde(&$value))); )*
        Value::from(m)
    }};
    ($($name:ident => $value:expr),* $(,)?) => {{
        let mut m = std::collections::BTreeMap::<&str, Value>::new();
        $( m.insert(stringify!($name), Value::from(minijinja::value::Serde(&$value))); )*
        Value::from(m)
    }};
}
use std::collections::BTreeMap;
use std::path::Path;

mod links;
mod moved;

pub use data::data_file;
pub use markdown::{escape, highlight_css, markdown_to_html};
pub use marks::{Annotations, registry};

pub use crate::base::OutputFile;

/// A rendering failure (a template error), with the template's name and line.
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for RenderError {}

impl From<minijinja::Error> for RenderError {
    fn from(e: minijinja::Error) -> Self {
        let mut msg = String::new();
        match (e.name(), e.line()) {
            (Some(name), Some(line)) => msg.push_str(&format!("template {name}:{line}: ")),
            (Some(name), None) => msg.push_str(&format!("template {name}: ")),
            _ => msg.push_str("template: "),
        }
        msg.push_str(&e.to_string());
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            msg.push_str(&format!("\n  caused by: {s}"));
            src = s.source();
        }
        RenderError(msg)
    }
}

/// The embedded default assets, written to `static/`.
const STYLE_CSS: &str = include_str!("../../static/style.css");
const CLAUSEBOOK_JS: &str = include_str!("../../static/clausebook.js");
const SEARCH_CSS: &str = include_str!("../../static/search.css");
const PARALLEL_JS: &str = include_str!("../../static/parallel.js");

/// The header's links to the Markdown pages.
fn nav_links(pages: &[markdown::Page]) -> Vec<view::NavLink> {
    pages
        .iter()
        .map(|p| view::NavLink {
            file: format!("{}.html", p.name),
            title: p.title.clone(),
            lang: p.lang.clone(),
        })
        .collect()
}

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
    env: Environment<'static>,
    pages: Vec<markdown::Page>,
    frame: Frame,
}

/// The parts of every page's context that are the same on every page, as template
/// values made once: `site` and `nav`.
pub(crate) struct Frame {
    /// The site's settings (`site.title`, `site.url`).
    pub site: Value,
    /// The header's links to the Markdown pages.
    pub nav: Value,
}

impl Frame {
    /// What the context of every page holds: `site`, `page`, `ui` (the strings of `lang`)
    /// and `nav`.
    fn context(&self, page: &view::PageMeta, lang: &str) -> BTreeMap<&'static str, Value> {
        BTreeMap::from([
            ("site", self.site.clone()),
            ("page", Value::from(minijinja::value::Serde(page))),
            ("ui", ui::value(lang)),
            ("nav", self.nav.clone()),
        ])
    }
}

/// The Markdown pages of a seeds folder (`pages/*.md`), converted to HTML. Independent
/// of the documents, so a build converts them while it parses.
pub struct MarkdownPages(Vec<markdown::Page>);

impl MarkdownPages {
    /// Reads and converts the Markdown pages of the seeds folder `seeds`.
    pub fn load(seeds: &Path) -> Result<MarkdownPages, RenderError> {
        markdown::read_pages(&seeds.join(PAGES_DIR)).map(MarkdownPages)
    }
}

impl Renderer {
    /// Loads the templates of `seeds`, for the library `lib` and its Markdown `pages`.
    pub fn new(lib: &Library, seeds: &Path, pages: MarkdownPages) -> Result<Renderer, RenderError> {
        Ok(Renderer::with_environment(lib, environment(seeds)?, pages))
    }

    /// [`Renderer::new`] with the template environment of the seeds folder already
    /// loaded ([`environment`]), which a build does while it parses.
    pub fn with_environment(
        lib: &Library,
        mut env: Environment<'static>,
        pages: MarkdownPages,
    ) -> Renderer {
        env.add_global("search_langs", Value::from(crate::search::languages(lib)));
        let pages = pages.0;
        let frame = Frame {
            site: Value::from(minijinja::value::Serde(&lib.site)),
            nav: Value::from(minijinja::value::Serde(nav_links(&pages))),
        };
        Renderer { env, pages, frame }
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
        let (env, frame) = (&self.env, &self.frame);
        let site_lang = view::site_lang(lib);
        let look = lookup::Lookup::new(lib);
        // The HTML pages emitted, for the sitemap.
        let mut html: Vec<String> = Vec::new();
        let send = |files: Vec<OutputFile>, html: &mut Vec<String>| {
            html.extend(html_paths(&files));
            emit(files);
        };

        // The library page.
        let library = view::library(lib, &site_lang);
        let page = view::PageMeta::new(lib, "index.html", &site_lang, &lib.site.title, None);
        let index = html_file(
            env,
            "library.html",
            "index.html",
            ctx! {
                frame: frame, page: &page, lang: &site_lang;
                groups => &library.groups,
                map => links::map_link(lib, &site_lang),
            },
        )?;
        send(vec![index], &mut html);

        // Every page of a document's folder, documents in parallel.
        let per_doc: Vec<Vec<String>> = lib
            .documents
            .par_iter()
            .map(|doc| {
                let mut files = self.document_pages(lib, &look, marks, doc)?;
                if view::has_parallel(doc) {
                    files.push(self.parallel_page(lib, &look, marks, doc)?);
                }
                files.extend(links::document_pages(lib, &look, env, frame, marks, doc)?);
                let paths = html_paths(&files);
                emit(files);
                Ok(paths)
            })
            .collect::<Result<_, RenderError>>()?;
        html.extend(per_doc.into_iter().flatten());

        if let Some(f) = links::map_page(lib, env, frame)? {
            send(vec![f], &mut html);
        }

        // Markdown pages.
        let mut md = Vec::new();
        for p in &self.pages {
            let path = format!("{}.html", p.name);
            if lib.documents.iter().any(|d| d.slug == p.name)
                || p.name == "index"
                || p.name == "404"
                || p.name == "search"
                || format!("{}.html", p.name) == links::MAP_FILE
                || p.name == "integrity"
            {
                return Err(RenderError(format!(
                    "pages/{}.md: the name `{}` is taken by another page of the site; rename the file",
                    p.name, p.name
                )));
            }
            let page = view::PageMeta::new(
                lib,
                &path,
                &p.lang,
                &format!("{} · {}", p.title, lib.site.title),
                None,
            );
            md.push(html_file(
                env,
                "page.html",
                &path,
                ctx! {
                    frame: frame, page: &page, lang: &p.lang;
                    title => &p.title,
                    content => Value::from_safe_string(p.html.clone()),
                },
            )?);
        }
        send(md, &mut html);

        // The search page, `search.html?q=…`.
        let search_title = if ui::is_zh(&site_lang) {
            "搜索"
        } else {
            "Search"
        };
        let page = view::PageMeta::new(
            lib,
            "search.html",
            &site_lang,
            &format!("{search_title} · {}", lib.site.title),
            None,
        );
        let search = html_file(
            env,
            "search.html",
            "search.html",
            ctx! { frame: frame, page: &page, lang: &site_lang; },
        )?;
        send(vec![search], &mut html);

        // 404 page: GitHub Pages serves it for any missing path, at any depth.
        let mut page = view::PageMeta::new(lib, "404.html", &site_lang, &lib.site.title, None);
        page.canonical = None;
        page.base_path = lib.site.url.as_deref().map(view::url_path);
        let not_found = html_file(
            env,
            "404.html",
            "404.html",
            ctx! {
                frame: frame, page: &page, lang: &site_lang;
            },
        )?;
        send(vec![not_found], &mut html);

        // sitemap.xml: needs absolute URLs, so it lists pages only when `site.url` is set.
        let mut locs: Vec<String> = Vec::new();
        if let Some(url) = &lib.site.url {
            let base = url.trim_end_matches('/');
            html.sort();
            for path in html.iter().filter(|p| *p != "404.html") {
                locs.push(format!("{base}/{path}"));
            }
        }
        let sitemap = env
            .get_template("sitemap.xml")?
            .render(ctx! { site => &lib.site, locs => &locs })?;
        let mut rest = vec![
            OutputFile {
                path: "sitemap.xml".into(),
                bytes: sitemap.into_bytes(),
            },
            OutputFile {
                path: ".nojekyll".into(),
                bytes: Vec::new(),
            },
        ];
        rest.extend(static_files(&seeds.join(STATIC_DIR))?);
        emit(rest);
        Ok(())
    }

    /// The page of each language version of a document.
    fn document_pages(
        &self,
        lib: &Library,
        look: &lookup::Lookup,
        marks: &Annotations<'_>,
        doc: &crate::model::Document,
    ) -> Result<Vec<OutputFile>, RenderError> {
        let mut out = Vec::new();
        for (i, version) in doc.versions.iter().enumerate() {
            let mut dv = view::document(lib, look, doc, i);
            if let Some(m) = marks.page(&dv.path, &version.lang) {
                m.blocks(&mut dv.blocks);
            }
            let desc = view::description(version);
            let page = view::PageMeta::new(
                lib,
                &dv.path,
                &version.lang,
                &format!("{} · {}", version.title, lib.site.title),
                desc.as_deref(),
            );
            out.push(html_file(
                &self.env,
                "document.html",
                &dv.path,
                ctx! {
                    frame: self.frame, page: &page, lang: &version.lang;
                    doc => &dv.doc,
                    version => &dv.version,
                    alternates => &dv.alternates,
                    relations => &dv.relations,
                    parallel => &dv.parallel,
                    toc => &dv.toc,
                    blocks => &dv.blocks,
                    jsonld => links::document_jsonld(lib, doc, i),
                },
            )?);
        }
        Ok(out)
    }

    /// The side-by-side page of a document with a translation.
    fn parallel_page(
        &self,
        lib: &Library,
        look: &lookup::Lookup,
        marks: &Annotations<'_>,
        doc: &crate::model::Document,
    ) -> Result<OutputFile, RenderError> {
        let orig = doc.original();
        let lang = orig.lang.as_str();
        let dv = view::document(
            lib,
            look,
            doc,
            doc.versions.iter().position(|v| v.original).unwrap_or(0),
        );
        let path = format!("{}/parallel.html", doc.slug);
        let mut rows = parallel::rows(doc, lang);
        if let Some(m) = marks.page(&path, lang) {
            m.rows(&mut rows);
        }
        let page = view::PageMeta::new(
            lib,
            &path,
            lang,
            &format!(
                "{} · {} · {}",
                orig.title,
                ui::strings(lang)["parallel"],
                lib.site.title
            ),
            view::description(orig).as_deref(),
        );
        html_file(
            &self.env,
            "parallel.html",
            &path,
            ctx! {
                frame: self.frame, page: &page, lang: lang;
                doc => &dv.doc,
                relations => &dv.relations,
                columns => view::parallel_columns(doc, lang),
                rows => rows,
            },
        )
    }

    /// An extra page of the site at `path` from `template` (which extends `base.html`),
    /// with the usual `site`, `page`, `ui` and `nav`, and `data` as `report`.
    pub fn extra_page(
        &self,
        lib: &Library,
        template: &str,
        path: &str,
        title: &str,
        data: &serde_json::Value,
    ) -> Result<OutputFile, RenderError> {
        let lang = view::site_lang(lib);
        let page = view::PageMeta::new(
            lib,
            path,
            &lang,
            &format!("{title} · {}", lib.site.title),
            None,
        );
        html_file(
            &self.env,
            template,
            path,
            ctx! { frame: self.frame, page: &page, lang: &lang; report => data },
        )
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

/// Renders one HTML template to an output file.
fn html_file(
    env: &Environment<'_>,
    template: &str,
    path: &str,
    ctx: minijinja::Value,
) -> Result<OutputFile, RenderError> {
    let html = env.get_template(template)?.render(ctx)?;
    Ok(OutputFile {
        path: path.to_string(),
        bytes: html.into_bytes(),
    })
}

/// The template environment: the embedded templates, then every file of
/// `<seeds>/templates/` on top (same name replaces, new names add).
pub fn environment(seeds: &Path) -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| RenderError(e.to_string()))?,
    );
    minijinja_embed::load_templates!(&mut env);
    // HTML escaping of `& < > " '` only (MiniJinja's default also escapes `/`, which
    // would spell every link `guideline&#x2f;en.html`).
    env.set_formatter(|out, state, value| {
        if value.is_safe() || *state.auto_escape() != minijinja::AutoEscape::Html {
            return minijinja::escape_formatter(out, state, value);
        }
        match value.as_str() {
            Some(text) => markdown::escape_into(out, text),
            None => markdown::escape_into(out, &value.to_string()),
        }
        .map_err(minijinja::Error::from)
    });
    // `text is han`: the text has Han characters (to set `lang` on mixed-language text).
    env.add_test("han", |text: &str| has_han(text));
    let dir = seeds.join(TEMPLATES_DIR);
    for (name, path) in files_under(&dir)? {
        let src = crate::base::fs::read_text_file(&path, &dir, crate::base::fs::TEXT_CAP)
            .map_err(|e| RenderError(format!("{}: {e}", path.display())))?;
        env.add_template_owned(name.clone(), src)
            .map_err(|e| match e.line() {
                Some(line) => RenderError(format!("template {name}:{line}: {e}")),
                None => RenderError(format!("template {name}: {e}")),
            })?;
    }
    Ok(env)
}

/// The regular files under `dir`, as (relative `/`-separated name, path), sorted by name;
/// hidden files, links, FIFOs, devices and sockets are skipped (the seeds folder's
/// reader warns of them). A missing folder has no files.
fn files_under(dir: &Path) -> Result<BTreeMap<String, std::path::PathBuf>, RenderError> {
    let files = crate::base::fs::regular_files(dir);
    Ok(files
        .map_err(|e| RenderError(format!("{}: {e}", dir.display())))?
        .into_iter()
        .collect())
}

/// The static assets: the embedded defaults and the generated highlight stylesheet, each
/// replaced by a file of the same name in `<seeds>/static/`, plus every other file there.
fn static_files(dir: &Path) -> Result<Vec<OutputFile>, RenderError> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    files.insert("style.css".into(), STYLE_CSS.as_bytes().to_vec());
    files.insert("clausebook.js".into(), CLAUSEBOOK_JS.as_bytes().to_vec());
    files.insert("parallel.js".into(), PARALLEL_JS.as_bytes().to_vec());
    files.insert("highlight.css".into(), highlight_css().as_bytes().to_vec());
    files.insert(
        "search.js".into(),
        crate::search::SEARCH_JS.as_bytes().to_vec(),
    );
    files.insert("search.css".into(), SEARCH_CSS.as_bytes().to_vec());
    for (name, path) in files_under(dir)? {
        let bytes = crate::base::fs::read_regular_file(&path, dir, crate::base::fs::ASSET_CAP)
            .map_err(|e| RenderError(format!("{}: {e}", path.display())))?;
        files.insert(name, bytes);
    }
    Ok(files
        .into_iter()
        .map(|(name, bytes)| OutputFile {
            path: format!("static/{name}"),
            bytes,
        })
        .collect())
}
