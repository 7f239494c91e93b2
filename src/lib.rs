//! clausebook: a static site generator for Chinese policy and legal texts and their
//! English translations.
//!
//! Data flows one way through the stages, each a module with one job:
//!
//! ```text
//! seeds/ + manifest ─► corpus ─► parse ─► align ─► link ─► search ─► anchors ─► render ─► output
//! ```
//!
//! [`build()`] runs them all; [`check::check_site`] verifies a built site.

pub mod align;
pub mod anchors;
pub mod build;
pub mod check;
pub mod corpus;
pub mod diagnostic;
pub mod integrity;
pub mod link;
pub mod model;
pub mod output;
pub mod parse;
pub mod progress;
pub mod render;
pub mod search;
pub mod serve;

pub use build::{BuildOptions, BuildSummary, build};
