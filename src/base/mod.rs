//! The shared vocabulary below every stage: what more than one stage needs to agree on,
//! defined once.
//!
//! - [`text`]: character classes (Han, CJK) and the language of a text;
//! - `date`: the date forms the manifest and the anchor registry accept;
//! - `file`: [`OutputFile`], a file of the built site, made by search, render and the
//!   anchor registry and written by output;
//! - [`paths`]: the names the seeds folder and the site reserve;
//! - `fs`: reading the seeds folder without leaving it (no links followed, regular
//!   files only, size limits);
//! - `error`: [`Problem`], the fields every error of the stages reports (file, line,
//!   column, message, hint), which `diagnostic` formats.
//!
//! Nothing here imports any other module of the crate: every stage may use it, it uses
//! no stage. The `layering` test (under `cfg(test)`) holds the whole crate to the order
//! of the stages.

pub(crate) mod date;
pub(crate) mod error;
pub(crate) mod file;
pub(crate) mod fs;
#[cfg(test)]
mod layering;
pub mod paths;
pub mod text;

pub use error::Problem;
pub use file::OutputFile;
