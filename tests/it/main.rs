//! The integration tests, one test binary: each module was once a binary of its own, and
//! linking the crate into each made most of `cargo test`'s build time. The helpers they
//! share are in [`common`]; the data they compare against in `fixtures/` and (insta's)
//! `snapshots/`.
//!
//! Tests that drive an outside program (Chromium, the Nu HTML checker, axe-core) are
//! marked ignored, with the reason, when the build script did not find it; see
//! [`common::probe`].

mod common;

mod alignment_gold;
mod browser;
mod browser_cite;
mod browser_reading;
mod check_scale;
mod hardening;
mod integrity;
mod link;
mod pages_browser;
mod pages_valid;
mod parallel_browser;
mod parallel_rows;
mod parallel_site;
mod parse_properties;
mod parse_seeds;
mod parse_unseen;
mod render_pages;
mod search;
mod search_browser;
mod search_shard;
mod serve;
mod site;
