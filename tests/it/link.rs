//! End-to-end tests of the link stage on the five seeds: citations of the guideline link
//! to it, provincial clauses find the central clauses they implement (against a fixture
//! judged by reading the texts), the implementation map is complete, clause pages carry
//! their meta tags and JSON-LD, and the whole site passes `check`.

use crate::common;
use clausebook::{BuildOptions, build, check};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

fn seeds() -> PathBuf {
    common::repo_seeds()
}

/// The five seeds built once for all tests of this file.
fn site() -> &'static Path {
    static SITE: common::BuiltSite = common::BuiltSite::new();
    common::site_once(&SITE, |_| seeds())
}

fn page(path: &str) -> String {
    fs::read_to_string(site().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn data(slug: &str) -> Value {
    serde_json::from_str(&page(&format!("data/{slug}.json"))).unwrap()
}

/// The text of every `<script type="application/ld+json">` of a page, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    let open = r#"<script type="application/ld+json">"#;
    html.match_indices(open)
        .map(|(i, _)| {
            let rest = &html[i + open.len()..];
            let end = rest.find("</script>").expect("closed script");
            serde_json::from_str(&rest[..end])
                .unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{}", &rest[..end]))
        })
        .collect()
}

/// The `content` of `<meta property|name="key">`.
fn meta(html: &str, key: &str) -> Option<String> {
    for attr in ["property", "name"] {
        let pat = format!(r#"<meta {attr}="{key}" content=""#);
        if let Some(i) = html.find(&pat) {
            let rest = &html[i + pat.len()..];
            return Some(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    None
}

#[test]
fn every_title_naming_the_guideline_links_to_it() {
    for (slug, seed) in [
        ("symposium-2024", "002_be8482c41ddce61b.txt"),
        ("gansu", "003_fa0912c064ef62b7.txt"),
        ("inner-mongolia", "004_236636c766a7cbd7.txt"),
    ] {
        let text = fs::read_to_string(seeds().join(seed)).unwrap();
        let naming = text
            .split('《')
            .skip(1)
            .filter_map(|s| s.split_once('》').map(|(t, _)| t))
            .filter(|t| t.contains("西部大开发形成新格局的指导意见"))
            .count();
        assert!(naming > 0, "{seed} names the guideline");
        let html = page(&format!("{slug}/index.html"));
        let linked = html
            .matches(r#"《<a class="citation" href="../guideline/index.html">"#)
            .count();
        assert_eq!(
            linked, naming,
            "{slug}: every 《…》 naming the guideline links"
        );
        // The relation is stated once, the manifest's more specific kind kept.
        let rel = data(slug)["relations"].clone();
        let to_guideline: Vec<&Value> = rel
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["target"] == "guideline")
            .collect();
        assert_eq!(to_guideline.len(), 1, "{slug}: {rel}");
    }
    // The citation is recorded on the block, as byte offsets of the title.
    let gansu = data("gansu");
    let pre = &gansu["versions"][0]["blocks"][0]["children"][0];
    let c = &pre["citations"][0];
    let text = pre["text"].as_str().unwrap();
    let title = &text[c["start"].as_u64().unwrap() as usize..c["end"].as_u64().unwrap() as usize];
    assert_eq!(
        title,
        "中共中央、国务院关于新时代推进西部大开发形成新格局的指导意见"
    );
}

#[test]
fn top_links_match_the_fixture() {
    let fixture: Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clause-pairs.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let top = |from: &str| -> Option<(String, f64)> {
        let (slug, id) = from.split_once('/').unwrap();
        let d = data(slug);
        d["links"]
            .as_array()?
            .iter()
            .find(|l| l["from"] == id && l["to"]["doc"] == "guideline")
            .map(|l| {
                (
                    l["to"]["id"].as_str().unwrap().to_string(),
                    l["score"].as_f64().unwrap(),
                )
            })
    };
    let pairs = fixture["pairs"].as_array().unwrap();
    assert!(pairs.len() >= 20);
    let mut right = 0;
    let mut wrong = Vec::new();
    for p in pairs {
        let from = p["from"].as_str().unwrap();
        let ok: Vec<&str> = p["to"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        match top(from) {
            Some((id, _)) if ok.contains(&id.as_str()) => right += 1,
            got => wrong.push(format!("{from}: got {got:?}, want one of {ok:?}")),
        }
    }
    let share = right as f64 / pairs.len() as f64;
    eprintln!(
        "top link right for {right} of {} pairs ({:.1} %)",
        pairs.len(),
        share * 100.0
    );
    assert!(share >= 0.9, "{right}/{}: {wrong:#?}", pairs.len());
    for n in fixture["negatives"].as_array().unwrap() {
        let from = n["from"].as_str().unwrap();
        assert_eq!(top(from), None, "{from} has no counterpart");
    }
}

#[test]
fn clauses_show_what_they_implement_and_what_implements_them() {
    let g = page("guideline/index.html");
    let c21 = &g[g.find(r#"<section id="c21""#).unwrap()..];
    let c21 = &c21[..c21.find("</section>").unwrap()];
    assert!(c21.contains("Implemented by") || c21.contains("实施文件"));
    assert!(c21.contains(r#"href="../gansu/index.html#c17""#), "{c21}");
    assert!(c21.contains(r#"href="../inner-mongolia/index.html#c16""#));
    assert!(c21.contains(r#"href="../gansu/compare/c17-guideline-c21.html""#));
    let p = page("gansu/index.html");
    let c17 = &p[p.find(r#"<section id="c17""#).unwrap()..];
    let c17 = &c17[..c17.find("</section>").unwrap()];
    assert!(c17.contains("实施依据"));
    assert!(
        c17.contains(r#"href="../guideline/index.html#c21""#),
        "{c17}"
    );
    // The compare page marks shared wording in both clauses.
    let cmp = page("gansu/compare/c17-guideline-c21.html");
    assert!(cmp.matches("<mark>").count() >= 2, "{cmp}");
    assert!(cmp.contains("农村劳动力转移就业"));
}

#[test]
fn the_map_lists_every_central_clause_and_both_provinces() {
    let lib = page("index.html");
    assert!(lib.contains(r#"href="implementation-map.html""#));
    let map = page("implementation-map.html");
    let rows = map.matches(r#"<tr id="guideline-c"#).count();
    assert_eq!(rows, 36, "one row per central clause");
    for col in [
        r#"<th scope="col"><a href="gansu/index.html">"#,
        r#"<th scope="col"><a href="inner-mongolia/index.html">"#,
    ] {
        assert!(map.contains(col), "column {col}");
    }
    // The row of (二十一) links both provinces' clauses; a cell without a counterpart
    // is empty.
    let row = &map[map.find(r#"<tr id="guideline-c21">"#).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains(r#"href="gansu/index.html#c17""#), "{row}");
    assert!(
        row.contains(r#"href="inner-mongolia/index.html#c16""#),
        "{row}"
    );
    assert!(map.contains(r#"<td class="empty">"#));
    let report = check::check_site(site()).unwrap();
    assert!(
        report
            .broken
            .iter()
            .all(|b| !b.contains("implementation-map")),
        "{:?}",
        report.broken
    );
}

#[test]
fn clause_pages_carry_meta_canonical_and_json_ld() {
    for (path, canonical, lang, prev, next) in [
        (
            "guideline/c8.html",
            "index.html#c8",
            "zh-Hans",
            "c7.html",
            "c9.html",
        ),
        (
            "guideline/en/c8.html",
            "../en.html#c8",
            "en",
            "c7.html",
            "c9.html",
        ),
        (
            "gansu/c17.html",
            "index.html#c17",
            "zh-Hans",
            "c16.html",
            "c18.html",
        ),
    ] {
        let html = page(path);
        assert!(html.contains(&format!(r#"<html lang="{lang}">"#)), "{path}");
        assert!(
            html.contains(&format!(r#"<link rel="canonical" href="{canonical}">"#)),
            "{path}"
        );
        assert!(
            html.contains(&format!(r#"rel="prev" href="{prev}""#)),
            "{path}"
        );
        assert!(
            html.contains(&format!(r#"rel="next" href="{next}""#)),
            "{path}"
        );
        for key in [
            "description",
            "og:title",
            "og:description",
            "og:type",
            "og:site_name",
            "twitter:card",
            "twitter:title",
        ] {
            let v = meta(&html, key).unwrap_or_default();
            assert!(!v.is_empty(), "{path}: meta {key}");
        }
        assert_eq!(meta(&html, "og:url"), None, "no site.url, no og:url");
        let ld = json_ld(&html);
        assert_eq!(ld.len(), 1, "{path}");
        assert_eq!(ld[0]["@type"], "Legislation");
        assert_eq!(ld[0]["inLanguage"], lang);
        assert_eq!(ld[0]["isPartOf"]["@type"], "Legislation");
        assert!(
            html.contains(r#"<section id="#),
            "{path}: the clause itself"
        );
    }
    let c8 = page("guideline/c8.html");
    assert!(meta(&c8, "og:title").unwrap().starts_with("(八)"));
    assert!(meta(&c8, "og:description").unwrap().starts_with("支持新疆"));
    // The provincial clause page names the central clause it applies.
    let ld = &json_ld(&page("gansu/c17.html"))[0];
    assert_eq!(
        ld["legislationApplies"][0]["legislationIdentifier"],
        "guideline/c21"
    );
}

#[test]
fn document_pages_carry_legislation_json_ld() {
    let zh = &json_ld(&page("guideline/index.html"))[0];
    assert_eq!(zh["@type"], "Legislation");
    assert_eq!(zh["legislationIdentifier"], "guideline");
    assert_eq!(zh["legislationDate"], "2020-05-17");
    assert_eq!(zh["inLanguage"], "zh-Hans");
    assert_eq!(zh["workTranslation"][0]["inLanguage"], "en");
    let en = &json_ld(&page("guideline/en.html"))[0];
    assert_eq!(en["translationOfWork"]["inLanguage"], "zh-Hans");
    let gansu = &json_ld(&page("gansu/index.html"))[0];
    assert_eq!(
        gansu["legislationApplies"][0]["legislationIdentifier"],
        "guideline"
    );
}

#[test]
fn the_whole_site_passes_check() {
    let report = check::check_site(site()).unwrap();
    assert!(report.is_ok(), "{:?} {:?}", report.broken, report.remote);
    assert!(
        report.pages > 150,
        "clause and compare pages are checked too"
    );
}

/// A library with a site URL and a hostile title: og:url is absolute, and the JSON-LD
/// stays one script element that parses back to the exact title.
#[test]
fn json_ld_survives_hostile_titles_and_urls_are_absolute_with_a_site_url() {
    let tmp = tempfile::tempdir().unwrap();
    let s = tmp.path().join("seeds");
    fs::create_dir_all(&s).unwrap();
    let evil = "关于</script><script>alert(1)</script>&<!--的意见";
    fs::write(
        s.join("manifest.yaml"),
        format!(
            "site:\n  title: T\n  url: https://example.org/lib/\ndocuments:\n  - slug: d\n    kind: guideline\n    title: \"{evil}\"\n    versions:\n      - {{file: d.txt, lang: zh-Hans}}\n"
        ),
    )
    .unwrap();
    fs::write(
        s.join("d.txt"),
        "一、总则\n\n（一）第一条。\n\n正文一。\n\n（二）第二条。\n\n正文二。\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    build(&BuildOptions {
        seeds: s,
        out: out.clone(),
        ..Default::default()
    })
    .unwrap();
    for path in ["d/index.html", "d/c1.html"] {
        let html = fs::read_to_string(out.join(path)).unwrap();
        assert_eq!(html.matches("alert(1)</script>").count(), 0, "{path}");
        let ld = json_ld(&html);
        let name = if path.ends_with("index.html") {
            &ld[0]["name"]
        } else {
            &ld[0]["isPartOf"]["name"]
        };
        assert_eq!(name, evil, "{path}");
    }
    let c1 = fs::read_to_string(out.join("d/c1.html")).unwrap();
    assert_eq!(
        meta(&c1, "og:url").as_deref(),
        Some("https://example.org/lib/d/c1.html")
    );
}
