//! `check_site` on a generated site of thousands of pages: every cross-page fragment
//! link is resolved against a page parsed once, and the result is exact.

use std::fmt::Write;
use std::time::Instant;

/// 1,000 pages in 30 folders, each with 25 clauses and 25 links to clauses of the next
/// page; one link in the whole site is broken.
#[test]
fn thousands_of_pages() {
    const PAGES: usize = 1000;
    const CLAUSES: usize = 25;
    let dir = tempfile::tempdir().unwrap();
    let name = |i: usize| format!("d{}/p{}.html", i % 30, i);
    for i in 0..PAGES {
        let next = name((i + 1) % PAGES);
        let mut html =
            String::from("<!doctype html><title>p</title><link rel=stylesheet href=\"../s.css\">");
        for c in 1..=CLAUSES {
            write!(html, "<section id=\"c{c}\"><p>({c}) text text text</p>").unwrap();
            write!(
                html,
                "<a href=\"../{next}#c{c}\">next</a><a href=\"#c{c}\">¶</a></section>"
            )
            .unwrap();
        }
        if i == 734 {
            html.push_str("<a href=\"../d0/p0.html#c99\">bad</a>");
        }
        let path = dir.path().join(name(i));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, html).unwrap();
    }
    std::fs::write(dir.path().join("s.css"), "").unwrap();

    let start = Instant::now();
    let report = clausebook::check::check_site(dir.path()).unwrap();
    eprintln!(
        "checked {} pages, {} links in {:.2?}",
        report.pages,
        report.links,
        start.elapsed()
    );
    assert_eq!(report.pages, PAGES);
    assert_eq!(report.links, PAGES * (1 + 2 * CLAUSES) + 1);
    assert_eq!(
        report.broken,
        ["d14/p734.html -> ../d0/p0.html#c99 (no id \"c99\" in d0/p0.html)"]
    );
    assert!(report.remote.is_empty());
}
