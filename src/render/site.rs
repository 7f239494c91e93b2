//! The site's files that are no document's: the search page, the 404 page, the sitemap,
//! `.nojekyll`, the static assets (embedded defaults, each replaced by a file of the same
//! name in `<seeds>/static/`), and the data files `data/<slug>.json`.

use super::error::RenderError;
use super::frame::Frame;
use super::markdown::highlight_css;
use super::strings;
use super::templates::files_under;
use super::view::{PageMeta, url_path};
use crate::base::OutputFile;
use crate::integrity::Finding;
use crate::model::{Document, Library};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The embedded default assets, written to `static/`.
const STYLE_CSS: &str = include_str!("../../static/style.css");
const CLAUSEBOOK_JS: &str = include_str!("../../static/clausebook.js");
const SEARCH_CSS: &str = include_str!("../../static/search.css");
const PARALLEL_JS: &str = include_str!("../../static/parallel.js");

/// The search page, `search.html?q=…`, in the site's language `lang`.
pub(crate) fn search_page(
    lib: &Library,
    frame: &Frame,
    lang: &str,
) -> Result<OutputFile, RenderError> {
    let title = strings::get(lang, "search_title");
    let page = PageMeta::new(
        lib,
        "search.html",
        lang,
        &format!("{title} · {}", lib.site.title),
        None,
    );
    frame.html(
        "search.html",
        "search.html",
        ctx! { frame: frame, page: &page, lang: lang; },
    )
}

/// The 404 page: GitHub Pages serves it for any missing path, at any depth, so its
/// links are made absolute by its script from `page.base_path`.
pub(crate) fn not_found_page(
    lib: &Library,
    frame: &Frame,
    lang: &str,
) -> Result<OutputFile, RenderError> {
    let mut page = PageMeta::new(lib, "404.html", lang, &lib.site.title, None);
    page.canonical = None;
    page.base_path = lib.site.url.as_deref().map(url_path);
    frame.html(
        "404.html",
        "404.html",
        ctx! {
            frame: frame, page: &page, lang: lang;
        },
    )
}

/// `sitemap.xml` of the HTML pages `html` (site paths): it needs absolute URLs, so it
/// lists pages only when `site.url` is set.
pub(crate) fn sitemap(
    lib: &Library,
    frame: &Frame,
    mut html: Vec<String>,
) -> Result<OutputFile, RenderError> {
    let mut locs: Vec<String> = Vec::new();
    if let Some(url) = &lib.site.url {
        let base = url.trim_end_matches('/');
        html.sort();
        for path in html.iter().filter(|p| *p != "404.html") {
            locs.push(format!("{base}/{path}"));
        }
    }
    let sitemap = frame
        .templates
        .render("sitemap.xml", ctx! { site => &lib.site, locs => &locs })?;
    Ok(OutputFile {
        path: "sitemap.xml".into(),
        bytes: sitemap.into_bytes(),
    })
}

/// Where the search script takes its interface strings: the line the build replaces with
/// the two tables.
const SEARCH_STRINGS_SLOT: &str = "  /* The interface strings, by language: written in here by the build from its string\n     tables (src/render/strings/, the `search_*` keys), where every string of the site is. */\n  var ZH = {}, EN = {};\n";

/// The search field's strings in the script, by the script's name for each and the key
/// of the string tables, in the lines they are written on.
const SEARCH_STRINGS: &[&[(&str, &str)]] = &[
    &[
        ("placeholder", "search_short_placeholder"),
        ("results", "search_count"),
        ("none", "search_none"),
        ("tryOther", "search_try_other"),
    ],
    &[
        ("loading", "search_loading"),
        ("loadingMore", "search_loading_more"),
        ("unavailable", "search_unavailable"),
        ("thisLang", "search_this_lang"),
    ],
    &[
        ("allLangs", "search_all_langs"),
        ("allDocs", "search_all_docs"),
        ("more", "search_more"),
        ("lang", "search_lang"),
        ("doc", "search_doc"),
    ],
];

/// The search script ([`crate::search::SEARCH_JS`]) with its interface strings written in
/// from the string tables: a Chinese and an English object, the languages' names in
/// their own script (as the version links name them).
pub(crate) fn search_script() -> String {
    let table = |name: &str, lang: &str| {
        let mut out = format!("  var {name} = {{\n");
        for line in SEARCH_STRINGS {
            let pairs: Vec<String> = line
                .iter()
                .map(|(js, key)| format!("{js}: {}", js_string(strings::get(lang, key))))
                .collect();
            out.push_str(&format!("    {},\n", pairs.join(", ")));
        }
        let names: Vec<String> = ["zh-Hans", "zh", "en"]
            .iter()
            .map(|t| format!("{}: {}", js_string(t), js_string(&strings::autonym(t))))
            .collect();
        out.push_str(&format!("    names: {{ {} }},\n  }};\n", names.join(", ")));
        out
    };
    let tables = format!("{}{}", table("ZH", "zh-Hans"), table("EN", "en"));
    let script = crate::search::SEARCH_JS;
    debug_assert!(script.contains(SEARCH_STRINGS_SLOT));
    script.replacen(SEARCH_STRINGS_SLOT, &tables, 1)
}

/// `s` as a JavaScript string literal.
fn js_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// The static assets: the embedded defaults and the generated highlight stylesheet, each
/// replaced by a file of the same name in `dir` (`<seeds>/static/`), plus every other
/// file there.
pub(crate) fn static_files(dir: &Path) -> Result<Vec<OutputFile>, RenderError> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    files.insert("style.css".into(), STYLE_CSS.as_bytes().to_vec());
    files.insert("clausebook.js".into(), CLAUSEBOOK_JS.as_bytes().to_vec());
    files.insert("parallel.js".into(), PARALLEL_JS.as_bytes().to_vec());
    files.insert("highlight.css".into(), highlight_css().as_bytes().to_vec());
    files.insert("search.js".into(), search_script().into_bytes());
    files.insert("search.css".into(), SEARCH_CSS.as_bytes().to_vec());
    for (name, path) in files_under(dir)? {
        let bytes = crate::base::fs::read_regular_file(&path, dir, crate::base::fs::ASSET_CAP)
            .map_err(|e| RenderError::io(&path, &e))?;
        files.insert(name, bytes);
    }
    Ok(files
        .into_iter()
        .map(|(name, bytes)| OutputFile {
            path: format!("static/{name}"),
            bytes,
        })
        .collect())
}

/// What `data/<slug>.json` holds: the document's fields in the contract's order, then
/// its findings.
#[derive(Serialize)]
struct DataFile<'a> {
    #[serde(flatten)]
    doc: &'a Document,
    findings: Vec<&'a Finding>,
}

/// `data/<slug>.json` for `doc`: its tree in the contract's format, with its findings
/// among `findings`.
pub fn data_file(doc: &Document, findings: &[Finding]) -> OutputFile {
    let file = DataFile {
        doc,
        findings: findings.iter().filter(|f| f.slug == doc.slug).collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).expect("the model serializes");
    bytes.push(b'\n');
    OutputFile {
        path: format!("data/{}.json", doc.slug),
        bytes,
    }
}

#[cfg(test)]
mod search_strings_tests {
    use super::*;

    #[test]
    fn the_search_script_gets_its_strings_from_the_tables() {
        assert!(crate::search::SEARCH_JS.contains(SEARCH_STRINGS_SLOT));
        let script = search_script();
        assert!(!script.contains(SEARCH_STRINGS_SLOT));
        for line in SEARCH_STRINGS {
            for (js, key) in *line {
                for lang in ["zh-Hans", "en"] {
                    let text = strings::get(lang, key);
                    assert!(!text.is_empty(), "{key}");
                    assert!(
                        script.contains(&format!("{js}: {}", js_string(text))),
                        "{key}"
                    );
                }
            }
        }
        assert!(
            script.contains(
                "names: { \"zh-Hans\": \"中文\", \"zh\": \"中文\", \"en\": \"English\" }"
            )
        );
    }
}
