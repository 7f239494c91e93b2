//! A file of the built site, as the stages that make files hand it on to output.

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the site root, `/`-separated.
    pub path: String,
    /// The bytes to write.
    pub bytes: Vec<u8>,
}
