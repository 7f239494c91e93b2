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
