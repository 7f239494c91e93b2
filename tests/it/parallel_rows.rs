//! The side-by-side page follows the paragraph alignment: a seeds folder whose English
//! splits one Chinese paragraph in two and drops another, built to a site.

use std::collections::HashSet;

const MANIFEST: &str = "site:\n  title: T\ndocuments:\n  - slug: d\n    kind: guideline\n    versions:\n      - {file: zh.txt, lang: zh-Hans}\n      - {file: en.txt, lang: en, title: D}\n";

/// Clause (一): the English cuts the long first paragraph in two, so its third paragraph
/// translates the second Chinese one. Clause (二): the English lacks the second of three
/// paragraphs (line 9 of zh.txt).
const ZH: &str = "\
一、总则

（一）推进建设。支持西部地区加快发展现代产业体系，推动传统产业转型升级。支持西部地区加快发展现代产业体系，推动传统产业转型升级。建设一批国家级新区和开发区，促进产业集聚发展。

完善基础设施网络，提高通达水平。

（二）深化改革。推进要素市场化配置改革，激发市场活力。

建设一批国家级新区和开发区，促进产业集聚发展，形成一批具有国际竞争力的先进制造业集群，带动区域经济高质量发展。鼓励东中部地区企业到西部地区投资兴业，完善跨区域产业转移利益分享机制，推动产业链上下游协同布局。

完善基础设施网络，提高通达水平。

（三）加强保障。完善政策体系，加大支持力度。

（四）扩大开放。积极参与共建国际合作，提高对外开放水平。

（五）保护生态。加强生态环境保护，推动绿色低碳发展。

（六）改善民生。提高教育和医疗服务水平，增进人民福祉。

（七）强化人才。完善人才引进和培养机制，激发创新活力。
";

const EN: &str = "\
1. General

(1) Promote construction. Support the western region in accelerating the development of a modern industrial system and promote the transformation and upgrading of traditional industries. Support the western region in speeding up a modern industrial system, and push the upgrading of traditional industries.

Build a batch of national new areas and development zones and promote the clustering of industries.

Improve the infrastructure network and raise the level of access.

(2) Deepen reform. Promote the market-based allocation of factors and stimulate market vitality.

Improve the infrastructure network and raise the level of access.

(3) Strengthen support. Improve the policy system and step up support.

(4) Expand opening up. Actively take part in international cooperation and raise the level of opening up.

(5) Protect the environment. Strengthen ecological protection and promote green and low-carbon development.

(6) Improve livelihoods. Raise the level of education and medical services and improve the well-being of the people.

(7) Strengthen talent. Improve the mechanisms for attracting and training talent and stimulate the vitality of innovation.
";

/// A row of the page: its id and the HTML of its cells.
struct Row {
    id: Option<String>,
    cells: Vec<String>,
}

fn rows(html: &str) -> Vec<Row> {
    let grid = &html[html.find("class=\"parallel-grid\"").unwrap()..];
    let grid = &grid[..grid.find("class=\"copy-status\"").unwrap()];
    let mut out = Vec::new();
    let starts: Vec<usize> = grid.match_indices("<div").map(|(i, _)| i).collect();
    for &s in &starts {
        let tag = &grid[s..s + grid[s..].find('>').unwrap()];
        if !tag.contains("class=\"prow ") || tag.contains("prow-head") {
            continue;
        }
        let body = &grid[s..];
        let end = body[tag.len()..]
            .find("class=\"prow ")
            .map_or(body.len(), |e| e + tag.len());
        let body = &body[..end];
        let id = tag
            .split("id=\"")
            .nth(1)
            .map(|r| r[..r.find('"').unwrap()].to_string());
        let cells = body
            .split("<div class=\"pcell ")
            .skip(1)
            .map(str::to_string)
            .collect();
        out.push(Row { id, cells });
    }
    out
}

#[test]
fn rows_follow_the_paragraph_alignment() {
    let tmp = tempfile::tempdir().unwrap();
    let seeds = tmp.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    std::fs::write(seeds.join("manifest.yaml"), MANIFEST).unwrap();
    std::fs::write(seeds.join("zh.txt"), ZH).unwrap();
    std::fs::write(seeds.join("en.txt"), EN).unwrap();

    // The missing paragraph is reported with its file and line.
    let warnings = clausebook::build::load(&seeds).unwrap().warnings;
    let w = warnings
        .iter()
        .find(|w| w.message.contains("#c2-2"))
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    assert_eq!((w.file.as_str(), w.line), ("zh.txt", 9));
    assert_eq!(w.message, "paragraph #c2-2 has no counterpart in en.txt");
    // A split paragraph is no mismatch.
    assert!(
        !warnings.iter().any(|w| w.message.contains("#c1-")),
        "{warnings:#?}"
    );

    let out = tmp.path().join("site");
    clausebook::build(&clausebook::BuildOptions {
        seeds: seeds.clone(),
        out: out.clone(),
        ..Default::default()
    })
    .unwrap();
    let html = std::fs::read_to_string(out.join("d/parallel.html")).unwrap();
    let rows = rows(&html);
    let row = |id: &str| {
        rows.iter()
            .find(|r| r.id.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("no row #{id}"))
    };
    let has = |cell: &str, text: &str| cell.contains(text);

    // Row c1-1: the long Chinese paragraph beside both English halves, in order.
    let r = row("c1-1");
    assert_eq!(r.cells.len(), 2);
    assert!(has(&r.cells[0], "支持西部地区加快发展"));
    let first = r.cells[1].find("in accelerating the development").unwrap();
    let second = r.cells[1]
        .find("Build a batch of national new areas")
        .unwrap();
    assert!(first < second, "{}", r.cells[1]);
    // The second English paragraph keeps an anchor of its own: its id belongs to the
    // Chinese paragraph of the next row, so it carries its language.
    assert!(has(&r.cells[1], "id=\"en-c1-2\""), "{}", r.cells[1]);
    // Row c1-2: the short Chinese paragraph beside the third English one, not the
    // second (as pairing by position would have it).
    let r = row("c1-2");
    assert!(has(&r.cells[0], "完善基础设施网络"));
    assert!(
        has(&r.cells[1], "Improve the infrastructure network"),
        "{}",
        r.cells[1]
    );
    assert!(!has(&r.cells[1], "Build a batch"), "{}", r.cells[1]);
    assert!(has(&r.cells[1], "id=\"c1-3\""), "{}", r.cells[1]);
    // The clause heading rows follow.
    assert!(has(&row("c2").cells[1], "Deepen reform"));

    // Clause (二): the paragraph the English lacks stands beside a note; the last
    // Chinese paragraph pairs with the last English one.
    let r = row("c2-2");
    assert!(has(&r.cells[0], "形成一批具有国际竞争力"));
    assert!(
        has(&r.cells[1], "class=\"gap-note\"") && !has(&r.cells[1], "pc-text"),
        "{}",
        r.cells[1]
    );
    let r = row("c2-3");
    assert!(has(&r.cells[0], "完善基础设施网络"));
    assert!(
        has(&r.cells[1], "Improve the infrastructure network"),
        "{}",
        r.cells[1]
    );

    // Sentences pair across the split: the third Chinese sentence with the second
    // English paragraph.
    assert!(
        html.contains(
            "<span id=\"c1-1.3\" class=\"s\" data-sid=\"c1-1.3\" data-partners=\"en-c1-2.1\""
        ),
        "c1-1.3"
    );

    // Every block id of both versions is on the page, and no id twice.
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("data/d.json")).unwrap()).unwrap();
    fn ids(blocks: &serde_json::Value, out: &mut Vec<String>) {
        for b in blocks.as_array().into_iter().flatten() {
            out.push(b["id"].as_str().unwrap().to_string());
            ids(&b["children"], out);
        }
    }
    for v in data["versions"].as_array().unwrap() {
        let mut all = Vec::new();
        ids(&v["blocks"], &mut all);
        for id in all {
            assert!(html.contains(&format!("id=\"{id}\"")), "#{id} missing");
        }
    }
    let mut seen = HashSet::new();
    for (i, _) in html.match_indices(" id=\"") {
        let rest = &html[i + 5..];
        let id = &rest[..rest.find('"').unwrap()];
        assert!(seen.insert(id.to_string()), "id {id} twice");
    }
    // The data file records the paragraph groups.
    let paragraphs = &data["versions"][1]["alignment"]["paragraphs"];
    assert_eq!(
        paragraphs[0],
        serde_json::json!({"original": ["c1-1"], "translation": ["c1-1", "c1-2"],
            "score": paragraphs[0]["score"], "level": "paragraph"})
    );
}
