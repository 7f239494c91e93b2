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

use crate::model::{Library, Warning};

/// A title a document is known by besides its versions' display titles: the manifest's
/// `title` where the seed has a title line of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownTitle {
    /// The document's slug.
    pub slug: String,
    /// The title.
    pub title: String,
}

/// Runs the stage on a parsed and aligned library: citations and `cites` relations first,
/// then clause correspondences for every `implements` relation. Returns warnings (a
/// 《title》 that could name more than one document).
pub fn link(lib: &mut Library, extra_titles: &[KnownTitle]) -> Vec<Warning> {
    let warnings = cite::link_citations(lib, extra_titles);
    similar::link_clauses(lib);
    warnings
}
