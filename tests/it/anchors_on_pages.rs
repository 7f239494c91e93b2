//! The anchor registry is computed from the pages' data before any page is rendered; this
//! checks the rendered pages agree: every anchor `anchors.json` publishes, and every alias
//! it lists, is the `id` of an element of its page, and every other id of a registered
//! page is the page frame's own. On the repository's seeds, and on the laws of the shared
//! corpus (`../shared/corpus/laws`).

use std::collections::HashSet;
use std::fs;
use std::path::Path;

/// The values of the ` id="…"` attributes of a page.
fn ids_of(html: &str) -> HashSet<&str> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(id, _)| id))
        .collect()
}

/// Builds a copy of `seeds` and checks every registered anchor and alias against its
/// page; returns how many anchors were checked.
fn registered_ids_are_on_their_pages(seeds: &Path) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("seeds");
    crate::common::copy_dir(seeds, &copy);
    let site = dir.path().join("site");
    clausebook::build(&clausebook::BuildOptions {
        seeds: copy,
        out: site.clone(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("build of {} failed: {e}", seeds.display()));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(site.join("anchors.json")).unwrap()).unwrap();
    let mut checked = 0;
    // The other way round: every id of a registered page names text (and is registered)
    // but the page frame's own and the aliases.
    let frame = ["text", "search-input", "search-results"];
    for (page, ids) in json["pages"].as_object().unwrap() {
        let html = fs::read_to_string(site.join(page)).unwrap();
        let aliases = json["aliases"][page.as_str()].as_object();
        for id in ids_of(&html) {
            assert!(
                ids.get(id).is_some()
                    || frame.contains(&id)
                    || aliases.is_some_and(|a| a.contains_key(id)),
                "{page}#{id} is on the page, but not registered"
            );
        }
    }
    for key in ["pages", "aliases"] {
        for (page, ids) in json[key].as_object().unwrap() {
            let html = fs::read_to_string(site.join(page))
                .unwrap_or_else(|e| panic!("{page}, listed in anchors.json: {e}"));
            let on_page = ids_of(&html);
            for id in ids.as_object().unwrap().keys() {
                assert!(
                    on_page.contains(id.as_str()),
                    "{page}#{id} is registered, but no element of the page has that id"
                );
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn every_registered_anchor_of_the_seeds_is_on_its_page() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    // Units, paragraphs and sentences of five documents, on every kind of page.
    assert!(registered_ids_are_on_their_pages(&seeds) > 1000);
}

#[test]
fn every_registered_anchor_of_the_laws_is_on_its_page() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::laws_seeds(dir.path());
    assert!(registered_ids_are_on_their_pages(dir.path()) > 10_000);
}

/// Every file of a site, by path.
fn snapshot(site: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// `html` without the finding markers.
fn without_markers(html: &str) -> String {
    const START: &str = "<button type=\"button\" class=\"integrity-flag\"";
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find(START) {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("</button>").unwrap() + at + "</button>".len();
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn a_template_without_the_marks_macro_loses_the_markers_and_nothing_else() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let dir = tempfile::tempdir().unwrap();
    let build = |name: &str, marks: Option<&str>| {
        let copy = dir.path().join(name).join("seeds");
        crate::common::copy_dir(&seeds, &copy);
        if let Some(t) = marks {
            fs::create_dir_all(copy.join("templates")).unwrap();
            fs::write(copy.join("templates/marks.html"), t).unwrap();
        }
        let site = dir.path().join(name).join("site");
        clausebook::build(&clausebook::BuildOptions {
            seeds: copy,
            out: site.clone(),
            ..Default::default()
        })
        .unwrap();
        snapshot(&site)
    };
    let with = build("with", None);
    let without = build("without", Some("{% macro marks(m) %}{% endmacro %}"));
    assert_eq!(
        with.keys().collect::<Vec<_>>(),
        without.keys().collect::<Vec<_>>()
    );
    let mut marked = 0;
    for (path, bytes) in &with {
        let other = &without[path];
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes.clone()).unwrap();
            let stripped = without_markers(&html);
            marked += usize::from(stripped != html);
            assert_eq!(
                stripped,
                String::from_utf8(other.clone()).unwrap(),
                "{path}"
            );
        } else {
            assert!(bytes == other, "{path} differs");
        }
    }
    // The seeds have findings on the pages of three documents.
    assert!(marked >= 3, "{marked} pages with markers");
}
