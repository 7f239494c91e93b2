//! What every page of a build shares, as template values made once: the templates, the
//! site's settings (`site`) and the header's links to the Markdown pages (`nav`). Every
//! page module renders through a [`Frame`].

use super::error::RenderError;
use super::strings;
use super::templates::Templates;
use super::view::PageMeta;
use crate::base::OutputFile;
use minijinja::Value;
use std::collections::BTreeMap;

/// The parts of every page's context that are the same on every page, and the templates.
pub(crate) struct Frame {
    /// The templates.
    pub templates: Templates,
    /// The site's settings (`site.title`, `site.url`).
    pub site: Value,
    /// The header's links to the Markdown pages.
    pub nav: Value,
}

impl Frame {
    /// What the context of every page holds: `site`, `page`, `ui` (the strings of `lang`)
    /// and `nav`.
    pub(crate) fn context(&self, page: &PageMeta, lang: &str) -> BTreeMap<&'static str, Value> {
        BTreeMap::from([
            ("site", self.site.clone()),
            ("page", Value::from(minijinja::value::Serde(page))),
            ("ui", strings::value(lang)),
            ("nav", self.nav.clone()),
        ])
    }

    /// Renders the HTML template `template` with `ctx` to the output file at `path`.
    pub(crate) fn html(
        &self,
        template: &str,
        path: &str,
        ctx: Value,
    ) -> Result<OutputFile, RenderError> {
        self.templates.html_file(template, path, ctx)
    }
}
