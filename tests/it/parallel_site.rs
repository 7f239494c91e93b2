//! The side-by-side page and the alignment data of the built guideline.

use serde_json::Value;
use std::path::Path;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    clausebook::build(&clausebook::BuildOptions {
        seeds,
        out: out.clone(),
        ..Default::default()
    })
    .unwrap();
    (tmp, out)
}

fn ids(blocks: &Value, out: &mut Vec<(String, String)>) {
    for b in blocks.as_array().into_iter().flatten() {
        out.push((
            b["id"].as_str().unwrap().into(),
            b["kind"].as_str().unwrap().into(),
        ));
        ids(&b["children"], out);
    }
}

#[test]
fn parallel_page_rows_and_anchors() {
    let (_tmp, out) = built();
    let html = std::fs::read_to_string(out.join("guideline/parallel.html")).unwrap();
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("data/guideline.json")).unwrap())
            .unwrap();
    // Rows: 7 parts and 36 clauses, each with a cell per language holding its heading.
    for (kind, n) in [("part", 7), ("clause", 36)] {
        let rows: Vec<&str> = html
            .split(&format!("class=\"prow prow-{kind}\""))
            .skip(1)
            .collect();
        assert_eq!(rows.len(), n, "{kind} rows");
        for r in rows {
            let row = &r[..r.find("<div id=").unwrap_or(r.len())];
            assert!(
                row.contains("pcol-0\" lang=\"zh-Hans\"><p class=\"pc-heading"),
                "{row}"
            );
            assert!(
                row.contains("pcol-1\" lang=\"en\"><p class=\"pc-heading"),
                "{row}"
            );
        }
    }
    // Part 四: the Chinese cell says the heading is missing, the English one has it.
    let p4 = &html[html.find("<div id=\"p4\"").unwrap()..];
    let p4 = &p4[..p4.find("<div id=\"c14\"").unwrap()];
    assert!(
        p4.contains("原文缺此标题")
            && p4.contains("Strengthen the construction of the beautiful western region"),
        "{p4}"
    );
    // Every unit id of both versions, and every sentence anchor of the original, exists.
    let versions = data["versions"].as_array().unwrap();
    for v in versions {
        let mut all = Vec::new();
        ids(&v["blocks"], &mut all);
        for (id, _) in &all {
            assert!(html.contains(&format!("id=\"{id}\"")), "#{id} missing");
        }
    }
    let doc = std::fs::read_to_string(out.join("guideline/index.html")).unwrap();
    let en = std::fs::read_to_string(out.join("guideline/en.html")).unwrap();
    for id in ["c8-1.1", "c8-1.6", "pre-1.5", "c14-1.3"] {
        assert!(
            doc.contains(&format!("<span id=\"{id}\" class=\"s\">")),
            "index.html #{id}"
        );
        assert!(
            en.contains(&format!("<span id=\"{id}\" class=\"s\">")),
            "en.html #{id}"
        );
        assert!(
            html.contains(&format!("<span id=\"{id}\" class=\"s\"")),
            "parallel #{id}"
        );
        assert!(
            html.contains(&format!("<span id=\"en-{id}\" class=\"s\"")),
            "parallel #en-{id}"
        );
    }
    // The data file: groups with scores, and the sentences' byte ranges.
    let al = &versions[1]["alignment"];
    assert_eq!(al["original_lang"], "zh-Hans");
    let groups = al["groups"].as_array().unwrap();
    assert!(groups.len() > 150, "{}", groups.len());
    let g = groups
        .iter()
        .find(|g| g["original"] == serde_json::json!(["c8-1.3"]))
        .expect("a group for c8-1.3");
    assert_eq!(g["translation"], serde_json::json!(["c8-1.3"]));
    assert_eq!(g["level"], "sentence");
    let s = g["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&s), "{s}");
    assert!(groups.iter().all(|g| {
        g["score"]
            .as_f64()
            .is_some_and(|s| (0.0..=1.0).contains(&s))
    }));
}

#[test]
fn build_warns_about_one_sided_units_and_uncertain_paragraphs() {
    let tmp = tempfile::tempdir().unwrap();
    let seeds = tmp.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    std::fs::write(
        seeds.join("manifest.yaml"),
        "site:\n  title: T\ndocuments:\n  - slug: d\n    kind: guideline\n    versions:\n      - {file: zh.txt, lang: zh-Hans}\n      - {file: en.txt, lang: en, title: D}\n",
    )
    .unwrap();
    std::fs::write(
        seeds.join("zh.txt"),
        "标题\n\n一、甲\n\n（一）子一。支持发展。加快建设。\n\n（二）子二。推进改革。\n\n（三）子三。完善制度。\n",
    )
    .unwrap();
    std::fs::write(
        seeds.join("en.txt"),
        "1. A\n\n(1) One. Support development. Speed up construction.\n\n(2) Two. Push reform.\n\n(3) Three. Improve the system.\n\n(4) Four. Only in English.\n",
    )
    .unwrap();
    let warnings = clausebook::build::load(&seeds).unwrap().warnings;
    let w = warnings
        .iter()
        .find(|w| w.message.contains("clause (4)"))
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    assert_eq!((w.file.as_str(), w.line), ("en.txt", 9));
    assert!(
        w.message.contains("no counterpart in zh.txt"),
        "{}",
        w.message
    );
}
