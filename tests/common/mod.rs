//! Helpers shared by the integration tests.

#![allow(dead_code)] // each test binary uses a different part

pub mod cdp;
pub mod serve;

/// True (and says so) when `CLAUSEBOOK_SKIP_BROWSER=1` asks to skip browser tests.
pub fn skip_browser(test: &str) -> bool {
    let skip = std::env::var("CLAUSEBOOK_SKIP_BROWSER").is_ok_and(|v| v == "1");
    if skip {
        eprintln!("{test}: skipped (CLAUSEBOOK_SKIP_BROWSER=1)");
    }
    skip
}

/// A `file://` URL for a path (absolute, UTF-8), percent-encoding what a URL path
/// cannot hold verbatim.
pub fn file_url(path: &std::path::Path) -> String {
    let path = path.to_str().expect("UTF-8 path");
    let mut url = String::from("file://");
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

pub mod hostile;
pub mod tools;

/// The repository's own seeds folder.
pub fn repo_seeds() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// A site built at most once per test binary, kept in a temporary folder until it ends.
pub type BuiltSite = std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)>;

/// The site of `cell`, built on first use from the seeds folder that `seeds` gives
/// (called with a scratch folder it may write seeds into).
pub fn site_once(
    cell: &'static BuiltSite,
    seeds: impl FnOnce(&std::path::Path) -> std::path::PathBuf,
) -> &'static std::path::Path {
    let (_, out) = cell.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let seeds = seeds(dir.path());
        let out = dir.path().join("site");
        clausebook::build(&clausebook::BuildOptions {
            seeds: seeds.clone(),
            out: out.clone(),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("build of {} failed: {e}", seeds.display()));
        (dir, out)
    });
    out
}
