//! The integration tests, one test binary: each module was once a binary of its own, and
//! linking the crate into each made most of `cargo test`'s build time. The helpers they
//! share are in [`common`]; the data they compare against in `tests/fixtures/` (shared
//! with the benches) and, for insta, in `snapshots/` here.
//!
//! Tests that drive an outside program (Chromium, the Nu HTML checker, axe-core) are
//! ignored, with the reason, when the build script did not find it (see
//! [`common::probe`]); with `CLAUSEBOOK_REQUIRE_TOOLS=1` (as `.ci/run` sets it)
//! [`every_outside_tool_was_found`] fails instead.

mod common;

mod alignment_gold;
mod anchors_cmd;
mod anchors_on_pages;
mod browser;
mod browser_cite;
mod browser_reading;
mod check_scale;
mod hardening;
mod hostile_pages;
mod hostile_sizes;
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
mod reliability;
mod render_pages;
mod search_browser;
mod search_shard;
mod serve;
mod site;
mod sources;

/// With `CLAUSEBOOK_REQUIRE_TOOLS=1`, as in CI, no test may be ignored for want of an
/// outside program: each one must have been found when the tests were built.
#[test]
#[cfg_attr(
    not(require_tools),
    ignore = "checks that the outside tools were found; runs when CLAUSEBOOK_REQUIRE_TOOLS=1"
)]
fn every_outside_tool_was_found() {
    let why = |found: Result<std::path::PathBuf, String>| match found {
        Ok(p) => format!(
            "found now at {}, but not when the tests were built: build them again",
            p.display()
        ),
        Err(why) => why,
    };
    let mut missing = Vec::new();
    if !cfg!(has_chromium) {
        let skip = std::env::var("CLAUSEBOOK_SKIP_BROWSER").is_ok_and(|v| v == "1");
        missing.push(if skip {
            "Chromium: CLAUSEBOOK_SKIP_BROWSER=1".to_string()
        } else {
            format!("Chromium: {}", why(common::probe::chromium()))
        });
    }
    if !cfg!(has_vnu) {
        missing.push(format!(
            "the Nu HTML checker: {}",
            why(common::probe::vnu_jar())
        ));
    }
    if !cfg!(has_node) {
        missing.push(format!("Node.js: {}", why(common::probe::node())));
    }
    if !cfg!(has_axe) {
        missing.push(format!("axe-core: {}", why(common::probe::axe_js())));
    }
    assert!(
        missing.is_empty(),
        "CLAUSEBOOK_REQUIRE_TOOLS=1, but tests were ignored for want of:\n  {}",
        missing.join("\n  ")
    );
}
