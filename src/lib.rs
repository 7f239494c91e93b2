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
//! Below every stage, [`base`] holds what several stages share (character classes,
//! dates, the output file, reserved names, the fields of an error). A module uses only
//! modules of its own or an earlier stage, and no two modules use each other: a test in
//! `base` reads the sources and holds the crate to that order.
//!
//! # The library's API
//!
//! What a program using the library may call; everything else is internal to the crate
//! (`pub(crate)`), and the lint `unreachable_pub` keeps it so. (`render`, `output` and
//! `serve` still make more of their items public than the entry points named here; they
//! are not part of this API.)
//!
//! The commands:
//!
//! - [`build()`] with [`BuildOptions`]: the site from a seeds folder, written only when
//!   every stage succeeded; a [`BuildSummary`] or a [`BuildError`].
//! - [`serve::run`] with [`serve::ServeOptions`]: the site served from memory and rebuilt
//!   when the seeds change.
//! - [`check::check_site`]: the links and anchors of a built site, as a
//!   [`check::CheckReport`]; [`check::check_source`]: the integrity findings about the
//!   source texts, as a [`check::SourceReport`], without building a site.
//!
//! Reporting:
//!
//! - [`diagnostic`]: a warning ([`diagnostic::from_warning`]) or a build error
//!   ([`diagnostic::from_build_error`]) as a [`diagnostic::Diagnostic`], printed like a
//!   compiler's message by [`diagnostic::render_terminal`].
//! - [`progress`]: how far a build is ([`progress::Progress`], given to
//!   [`BuildOptions::progress`]) and a [`progress::Spinner`] line showing it.
//!
//! The stages one by one, for tests, benchmarks and builds in memory:
//!
//! - [`model`]: the documents, versions and blocks every stage passes on.
//! - [`build::load`] (a seeds folder) or [`build::assemble`] (a [`corpus::Corpus`] read
//!   by [`corpus::read`]): every stage up to the link stage, as a [`build::Assembled`]
//!   library.
//! - [`parse::parse`] (one text) and [`parse::document`] (a document of the corpus);
//!   [`align::supply_missing_parts`] and [`align::align_document`]; [`link::link`];
//!   [`integrity::analyse`]; [`search::build`] (the index files); [`render::render`]
//!   (the pages); [`output::write_site`].
//! - [`search::tokenize`] and [`search::units`]: the tokenizer and the searchable units
//!   the client-side search mirrors, the reference its tests compare against.
//! - [`corpus::decode`] and [`base::text::is_han`]: how a seed's bytes become text and
//!   which characters count as Han; [`corpus::check_manifest_text`]: a manifest checked
//!   without reading the seeds (the fuzz targets under `fuzz/` use these).
//!
//! The site's anchor registry (`anchors`) has no API of its own: a build updates
//! `seeds/anchors.lock` ([`base::paths::LOCK`]) itself. [`anchor_report`] is the
//! `clausebook anchors` command: [`anchor_report::explain`] (what a build would lose and
//! the aliases to add), [`anchor_report::write_aliases`] and [`anchor_report::retire`].

#![warn(unreachable_pub)]

pub mod align;
pub mod anchor_report;
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
pub mod render;
pub mod search;
pub mod serve;

pub use build::{BuildError, BuildOptions, BuildSummary, build};
