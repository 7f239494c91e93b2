//! clausebook: a static site generator for Chinese policy and legal texts and their
//! English translations.
//!
//! Data flows one way through the stages, each a module with one job:
//!
//! ```text
//! seeds/ + manifest ─► corpus ─► parse ─► align ─► link ─► render ─► output
//! ```
//!
//! [`build()`] runs them all; [`check::check_site`] verifies a built site.

pub mod align;
pub mod build;
pub mod check;
pub mod corpus;
pub mod integrity;
pub mod link;
pub mod model;
pub mod output;
pub mod parse;
pub mod render;

pub use build::{BuildOptions, BuildSummary, build};
