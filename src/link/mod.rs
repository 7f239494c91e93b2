//! The link stage, between alignment and rendering: it finds what the texts say about
//! each other.
//!
//! - [`cite`]: every 《title》 that names a document of the library becomes a
//!   [`Citation`](crate::model::Citation) on its block and a `cites` relation.
//! - [`similar`]: the clauses of a document that `implements` another are matched to the
//!   clauses they implement, by character n-gram TF-IDF cosine similarity.
//! - [`shared`]: the passages two matched clauses have in common, for highlighting.

pub mod cite;
pub mod shared;
pub mod similar;

pub use cite::KnownTitle;

use crate::model::{Library, Warning};

/// Runs the stage on a parsed and aligned library: citations and `cites` relations first,
/// then clause correspondences for every `implements` relation. Returns warnings (a
/// 《title》 that could name more than one document).
pub fn link(lib: &mut Library, extra_titles: &[KnownTitle]) -> Vec<Warning> {
    let warnings = cite::link_citations(lib, extra_titles);
    similar::link_clauses(lib);
    warnings
}
