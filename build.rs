//! Embeds the default templates into the binary, so the binary alone can build a site.
//!
//! It also looks for the outside programs some integration tests drive (Chromium; `java`
//! with the Nu HTML checker; axe-core) and sets a cfg for each one found: `has_chromium`,
//! `has_vnu`, `has_axe`, `has_node`; and `can_mount` when it may mount a tmpfs. A test whose program
//! (or capability) is missing is then built as ignored, with the reason, rather than
//! passing without having run. `require_tools` is set when `CLAUSEBOOK_REQUIRE_TOOLS=1`
//! (as `.ci/run` sets it): then a test fails if any program is missing. The lookups are
//! those of `tests/it/common/probe.rs`, which the tests use to run the programs.

use std::path::Path;

#[path = "tests/it/common/probe.rs"]
mod probe;

fn main() {
    println!("cargo:rerun-if-changed=templates");
    minijinja_embed::embed_templates!("templates");
    tools();
}

/// Sets the cfgs of the outside programs the tests need, and tells Cargo when to look
/// again: when an environment variable the lookups read changes, when a program found
/// changes or goes, and when something is installed where `.ci/run` installs (`.ci/`) or
/// where Debian's packages put programs (`/usr/bin`, watched while one is missing).
fn tools() {
    println!(
        "cargo::rustc-check-cfg=cfg(has_chromium, has_vnu, has_axe, has_node, can_mount, require_tools)"
    );
    for var in probe::ENV
        .iter()
        .chain(&["CLAUSEBOOK_SKIP_BROWSER", "CLAUSEBOOK_REQUIRE_TOOLS"])
    {
        println!("cargo::rerun-if-env-changed={var}");
    }
    println!("cargo::rerun-if-changed=.ci");
    let skip_browser = std::env::var("CLAUSEBOOK_SKIP_BROWSER").is_ok_and(|v| v == "1");
    let require = std::env::var("CLAUSEBOOK_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
    let chromium = if skip_browser {
        Err("CLAUSEBOOK_SKIP_BROWSER=1".to_string())
    } else {
        probe::chromium()
    };
    let found = [
        ("has_chromium", chromium),
        ("has_vnu", probe::vnu_jar()),
        ("has_axe", probe::axe_js()),
        ("has_node", probe::node()),
    ];
    let mut watch_bin = false;
    for (cfg, tool) in found {
        match tool {
            Ok(path) => {
                println!("cargo::rustc-cfg={cfg}");
                watch(&path);
            }
            Err(why) => {
                watch_bin = true;
                if require {
                    println!(
                        "cargo::warning=CLAUSEBOOK_REQUIRE_TOOLS=1, and a tool is missing (the test \
                         every_outside_tool_was_found fails): {why}"
                    );
                }
            }
        }
    }
    // Not a program to install: a missing capability never fails the tests.
    if probe::can_mount().is_ok() {
        println!("cargo::rustc-cfg=can_mount");
    }
    if watch_bin {
        watch(Path::new("/usr/bin"));
    }
    if require {
        println!("cargo::rustc-cfg=require_tools");
    }
}

/// Reruns the build script when `path` (which exists) changes. Cargo reruns a build
/// script on every build when a watched path does not exist, so only existing paths are
/// given; one that goes away makes a single rerun, which then watches the rest.
fn watch(path: &Path) {
    if path.exists() {
        println!("cargo::rerun-if-changed={}", path.display());
    }
}
