//! The link stage, between alignment and rendering: it finds what the texts say about
//! each other.
//!
//! - `cite`: every 《title》 that names a document of the library becomes a
//!   [`Citation`](crate::model::Citation) on its block and a `cites` relation.
//! - `similar`: the clauses of a document that `implements` another are matched to the
//!   clauses they implement, by character n-gram TF-IDF cosine similarity.
//! - `shared`: the passages two matched clauses have in common, for highlighting.

pub(crate) mod cite;
pub(crate) mod shared;
pub(crate) mod similar;

pub use cite::KnownTitle;

use crate::corpus::SourceDocument;
use crate::model::{Library, Warning};

/// Runs the stage on a parsed and aligned library: citations and `cites` relations first,
/// then clause correspondences for every `implements` relation. Returns warnings (a
/// 《title》 that could name more than one document).
pub fn link(lib: &mut Library, extra_titles: &[KnownTitle]) -> Vec<Warning> {
    let warnings = cite::link_citations(lib, extra_titles);
    similar::link_clauses(lib);
    warnings
}

/// The titles the manifest gives documents and versions, which citations may use too
/// (the `extra_titles` of [`link`]).
pub(crate) fn manifest_titles(docs: &[SourceDocument]) -> Vec<KnownTitle> {
    docs.iter()
        .flat_map(|d| {
            d.title
                .iter()
                .chain(d.versions.iter().filter_map(|v| v.title.as_ref()))
                .map(|t| KnownTitle {
                    slug: d.slug.clone(),
                    title: t.clone(),
                })
        })
        .collect()
}
