//! clausebook: a static site generator for Chinese policy and legal texts and their
//! English translations.
//!
//! Data flows one way through the stages, each a module with one job:
//!
//! ```text
//! seeds/ + manifest ─► corpus ─► parse ─► align ─► integrity (analysis) ─► link
//!                   ─► anchors ─► search ─► render ─► output
//! ```
//!
//! [`build()`] runs them all; [`check::check_site`] verifies a built site. Below every
//! stage, [`base`] holds what several stages share (character classes, dates, the output
//! file, reserved names, the fields of an error). A module uses only modules of its own
//! or an earlier stage, and no two modules use each other: a test in `base` reads the
//! sources and holds the crate to that order.

#![warn(unreachable_pub)]

pub mod align;
pub(crate) mod anchors;
pub mod base;
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
#[allow(unreachable_pub)] // render's internal items are still `pub` in private modules
pub mod render;
pub mod search;
pub mod serve;

pub use build::{BuildOptions, BuildSummary, build};
