//! Names reserved in the seeds folder, read or written by more than one stage.

/// The manifest's file name inside the seeds folder.
pub(crate) const MANIFEST: &str = "manifest.yaml";

/// The anchor registry's file name inside the seeds folder. The build writes it, so it is
/// not a stray file of the seeds (see docs/guide.md, "Anchors").
pub const LOCK: &str = "anchors.lock";

/// The seeds folder's folder of templates that replace or add to the built-in ones.
pub(crate) const TEMPLATES_DIR: &str = "templates";

/// The seeds folder's folder of assets copied to the site's `static/`.
pub(crate) const STATIC_DIR: &str = "static";

/// The seeds folder's folder of Markdown pages.
pub(crate) const PAGES_DIR: &str = "pages";

/// Folders of the seeds folder that hold site customizations, not seed documents.
pub(crate) const RESERVED_DIRS: [&str; 3] = [TEMPLATES_DIR, STATIC_DIR, PAGES_DIR];
