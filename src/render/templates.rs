//! The templates of a build: the embedded defaults with the seeds folder's
//! `templates/` on top, the context macro every page module builds its template context
//! with, and the rendering of one template to an output file.

use super::error::RenderError;
use super::markdown;
use crate::base::OutputFile;
use crate::base::paths::TEMPLATES_DIR;
use crate::base::text::has_han;
use minijinja::Environment;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A template context from `name => expression` pairs, each value serialized with serde.
/// Led by `frame: F, page: P, lang: L;`, it starts from what every page has: `site`,
/// `page`, `ui` and `nav` (`Frame::context`).
macro_rules! ctx {
    (frame: $frame:expr, page: $page:expr, lang: $lang:expr; $($name:ident => $value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut m = $frame.context($page, $lang);
        $( m.insert(stringify!($name), minijinja::Value::from(minijinja::value::Serde(&$value))); )*
        minijinja::Value::from(m)
    }};
    ($($name:ident => $value:expr),* $(,)?) => {{
        let mut m = std::collections::BTreeMap::<&str, minijinja::Value>::new();
        $( m.insert(stringify!($name), minijinja::Value::from(minijinja::value::Serde(&$value))); )*
        minijinja::Value::from(m)
    }};
}

/// The templates of a seeds folder: the environment, and the folder whose files replace
/// the embedded ones (to name a failing template as the user's file).
pub struct Templates {
    pub(crate) env: Environment<'static>,
    /// The seeds folder's `templates/`.
    pub(crate) dir: PathBuf,
}

impl Templates {
    /// Renders `template` with `ctx`.
    pub(crate) fn render(
        &self,
        template: &str,
        ctx: minijinja::Value,
    ) -> Result<String, RenderError> {
        self.env
            .get_template(template)
            .and_then(|t| t.render(ctx))
            .map_err(|e| RenderError::template(&e, &self.dir))
    }

    /// Renders one HTML template to the output file at `path`.
    pub(crate) fn html_file(
        &self,
        template: &str,
        path: &str,
        ctx: minijinja::Value,
    ) -> Result<OutputFile, RenderError> {
        Ok(OutputFile {
            path: path.to_string(),
            bytes: self.render(template, ctx)?.into_bytes(),
        })
    }
}

/// The template environment: the embedded templates, then every file of
/// `<seeds>/templates/` on top (same name replaces, new names add).
/// The work one page's template may do, in MiniJinja's fuel (about one instruction, or 64
/// bytes of values made): `CLAUSEBOOK_TEMPLATE_FUEL` where set (for measuring), else
/// [`PAGE_FUEL`].
fn fuel() -> u64 {
    std::env::var("CLAUSEBOOK_TEMPLATE_FUEL")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(PAGE_FUEL)
}

/// The fuel of one page: a template of the seeds folder that loops without end (nested
/// loops over large ranges) stops with an error naming it instead of running forever.
pub(crate) const PAGE_FUEL: u64 = 1 << 28;

pub fn environment(seeds: &Path) -> Result<Templates, RenderError> {
    let dir = seeds.join(TEMPLATES_DIR);
    let mut env = Environment::new();
    env.set_fuel(Some(fuel()));
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| RenderError::template(&e, &dir))?,
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
    for (name, path) in files_under(&dir)? {
        let src = crate::base::fs::read_text_file(&path, &dir, crate::base::fs::TEXT_CAP)
            .map_err(|e| RenderError::io(&path, &e))?;
        env.add_template_owned(name.clone(), src)
            .map_err(|e| RenderError::template_at(&name, e.line(), &e, &dir))?;
    }
    Ok(Templates { env, dir })
}

/// The regular files under `dir`, as (relative `/`-separated name, path), sorted by name;
/// hidden files, links, FIFOs, devices and sockets are skipped (the seeds folder's reader
/// warns of them). A missing folder has no files.
pub(crate) fn files_under(dir: &Path) -> Result<BTreeMap<String, PathBuf>, RenderError> {
    Ok(crate::base::fs::regular_files(dir)
        .map_err(|e| RenderError::io(dir, &e))?
        .into_iter()
        .collect())
}
