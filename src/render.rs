//! Rendering: document trees ─► HTML pages, with MiniJinja templates.

use crate::model::Library;
use std::path::Path;

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the site root, `/`-separated.
    pub path: String,
    /// The bytes to write.
    pub bytes: Vec<u8>,
}

/// A rendering failure (a template error), with the template's name and line.
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for RenderError {}

/// Renders every page of the site. `seeds` is the seeds folder, whose `templates/`,
/// `static/` and `pages/` override or add to the embedded defaults.
pub fn render(_lib: &Library, _seeds: &Path) -> Result<Vec<OutputFile>, RenderError> {
    Ok(Vec::new())
}
