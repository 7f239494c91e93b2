//! Helpers shared by the integration tests.

pub mod cdp;
pub mod hostile;
pub mod probe;
pub mod serve;

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

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
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

/// The repository's own seeds folder.
pub fn repo_seeds() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// The shared corpus of real laws (`../shared/corpus/laws`, beside the repository).
pub fn shared_laws() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/laws")
}

/// A seeds folder at `to` holding every law of [`shared_laws`] as a plain-text seed
/// (`lawNN.txt`, in the order of the file names) with a manifest naming each one.
pub fn laws_seeds(to: &std::path::Path) {
    let from = shared_laws();
    let mut names: Vec<_> = std::fs::read_dir(&from)
        .unwrap_or_else(|e| panic!("the shared laws at {}: {e}", from.display()))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    assert!(names.len() > 40, "the shared laws: {} files", names.len());
    std::fs::create_dir_all(to).unwrap();
    let mut manifest = String::from("site:\n  title: Laws\ndocuments:\n");
    for (i, n) in names.iter().enumerate() {
        std::fs::copy(from.join(n), to.join(format!("law{i:02}.txt"))).unwrap();
        manifest.push_str(&format!(
            "  - slug: law{i:02}\n    kind: law\n    versions:\n      - {{file: law{i:02}.txt, lang: zh-Hans}}\n"
        ));
    }
    std::fs::write(to.join("manifest.yaml"), manifest).unwrap();
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
