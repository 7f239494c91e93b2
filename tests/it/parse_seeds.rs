//! The five seeds parse to the structure recorded in `tests/fixtures/seeds-truth.json`
//! (a copy of the project's ground truth: parts, clause titles, clause → part, joined
//! paragraphs, 002's headings and box), keep every character, and match their snapshots.

use clausebook::align::supply_missing_parts;
use clausebook::model::{Block, BlockKind, Document, TitleSource, Version, walk_blocks};
use clausebook::parse::parse;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

const SEEDS: [&str; 5] = [
    "000_7eec8cb570da91da.txt",
    "001_00d2dfaf8ea1c481.txt",
    "002_be8482c41ddce61b.txt",
    "003_fa0912c064ef62b7.txt",
    "004_236636c766a7cbd7.txt",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn seed_text(file: &str) -> String {
    std::fs::read_to_string(root().join("seeds").join(file)).expect("seed readable")
}

fn version(file: &str, lang: &str, original: bool) -> Version {
    let p = parse(&seed_text(file), file);
    Version {
        lang: lang.into(),
        original,
        source: file.into(),
        title: p.title.unwrap_or_default(),
        title_from: TitleSource::Seed,
        blocks: p.blocks,
        alignment: None,
    }
}

/// The tree of each seed as the build makes it: 000 and 001 aligned.
fn trees() -> HashMap<&'static str, Vec<Block>> {
    let mut doc = Document {
        slug: "guideline".into(),
        kind: "guideline".into(),
        date: None,
        relations: Vec::new(),
        links: Vec::new(),
        versions: vec![
            version(SEEDS[0], "zh-Hans", true),
            version(SEEDS[1], "en", false),
        ],
    };
    let warnings = supply_missing_parts(&mut doc);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].file, SEEDS[0]);
    assert_eq!(
        warnings[0].line, 43,
        "the gap is where clause (十四) starts"
    );
    let mut out = HashMap::new();
    out.insert(SEEDS[0], doc.versions[0].blocks.clone());
    out.insert(SEEDS[1], doc.versions[1].blocks.clone());
    for f in &SEEDS[2..] {
        out.insert(*f, version(f, "zh-Hans", true).blocks);
    }
    out
}

fn truth() -> Value {
    let s = std::fs::read_to_string(root().join("tests/fixtures/seeds-truth.json")).unwrap();
    serde_json::from_str(&s).unwrap()
}

/// Like the checker: collapse white space, drop trailing `。.:：` and spaces.
fn norm_title(s: &str) -> String {
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_end_matches(|c: char| c.is_whitespace() || "。.:：".contains(c))
        .to_string()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every block with the numbers of the parts above it.
fn with_parts(blocks: &[Block]) -> Vec<(&Block, Vec<u32>)> {
    fn go<'a>(bs: &'a [Block], parts: &[u32], out: &mut Vec<(&'a Block, Vec<u32>)>) {
        for b in bs {
            out.push((b, parts.to_vec()));
            let mut p = parts.to_vec();
            if b.kind == BlockKind::Part {
                p.extend(b.number);
            }
            go(&b.children, &p, out);
        }
    }
    let mut out = Vec::new();
    go(blocks, &[], &mut out);
    out
}

#[test]
fn seeds_match_the_ground_truth() {
    let truth = truth();
    let trees = trees();
    for file in SEEDS {
        let t = &truth[file];
        let blocks = &trees[file];
        let all = with_parts(blocks);

        let parts: BTreeMap<u32, &Block> = all
            .iter()
            .filter(|(b, _)| b.kind == BlockKind::Part)
            .map(|(b, _)| (b.number.unwrap(), *b))
            .collect();
        let want_parts: BTreeMap<u32, Option<String>> = t["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p[0].as_u64().unwrap() as u32,
                    p[1].as_str().map(String::from),
                )
            })
            .collect();
        assert_eq!(
            parts.keys().collect::<Vec<_>>(),
            want_parts.keys().collect::<Vec<_>>(),
            "{file}: parts"
        );
        for (n, title) in &want_parts {
            if let Some(title) = title {
                assert_eq!(
                    norm_title(parts[n].title.as_deref().unwrap_or("")),
                    norm_title(title),
                    "{file}: part {n}"
                );
            }
        }

        let clauses: BTreeMap<u32, (&Block, &Vec<u32>)> = all
            .iter()
            .filter(|(b, _)| b.kind == BlockKind::Clause)
            .map(|(b, p)| (b.number.unwrap(), (*b, p)))
            .collect();
        let want_clauses = t["clauses"].as_array().unwrap();
        assert_eq!(clauses.len(), want_clauses.len(), "{file}: clause count");
        for c in want_clauses {
            let n = c[0].as_u64().unwrap() as u32;
            let title = clauses[&n].0.title.as_deref().unwrap_or("");
            assert_eq!(
                norm_title(title),
                norm_title(c[1].as_str().unwrap()),
                "{file}: clause {n}"
            );
        }
        for (n, p) in t["part_of_clause"].as_object().into_iter().flatten() {
            let n: u32 = n.parse().unwrap();
            assert_eq!(
                clauses[&n].1,
                &vec![p.as_u64().unwrap() as u32],
                "{file}: clause {n} sits in the wrong part"
            );
        }

        let paras: Vec<String> = all
            .iter()
            .filter_map(|(b, _)| b.text.as_deref().map(squash))
            .collect();
        for j in t["joins"].as_array().into_iter().flatten() {
            let joined = squash(j[0].as_str().unwrap()) + &squash(j[1].as_str().unwrap());
            assert!(
                paras.iter().any(|p| p.contains(&joined)),
                "{file}: not joined: {joined}"
            );
        }
        if let Some(hs) = t.get("headings").and_then(Value::as_array) {
            let got: Vec<String> = all
                .iter()
                .filter(|(b, _)| b.kind == BlockKind::Heading)
                .map(|(b, _)| norm_title(b.text.as_deref().unwrap_or("")))
                .collect();
            for h in hs {
                assert!(
                    got.contains(&norm_title(h.as_str().unwrap())),
                    "{file}: heading {h}"
                );
            }
        }
        if let Some(n) = t.get("aside_items").and_then(Value::as_u64) {
            let items: usize = all
                .iter()
                .filter(|(b, _)| b.kind == BlockKind::Aside)
                .map(|(b, _)| {
                    b.walk()
                        .iter()
                        .filter(|x| x.kind == BlockKind::Item)
                        .count()
                })
                .sum();
            assert_eq!(items as u64, n, "{file}: aside items");
        }
    }
}

fn counted(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
        || c.is_ascii_alphanumeric()
}

fn counter<'a>(texts: impl Iterator<Item = &'a str>) -> BTreeMap<char, usize> {
    let mut m = BTreeMap::new();
    for t in texts {
        for c in t.chars().filter(|&c| counted(c)) {
            *m.entry(c).or_insert(0) += 1;
        }
    }
    m
}

#[test]
fn every_character_is_kept_exactly_once() {
    let trees = trees();
    for file in SEEDS {
        let text = seed_text(file);
        let want = counter(std::iter::once(text.as_str()));
        let blocks = walk_blocks(&trees[file]);
        let got = counter(blocks.iter().flat_map(|b| {
            [b.label.as_deref(), b.title.as_deref(), b.text.as_deref()]
                .into_iter()
                .flatten()
        }));
        assert_eq!(got, want, "{file}");
        // Nothing the build supplies counts as seed text.
        assert!(
            blocks
                .iter()
                .filter(|b| b.supplied_title.is_some())
                .all(|b| b.title.is_none() && b.label.is_none())
        );
    }
}

#[test]
fn ids_are_unique_and_follow_the_scheme() {
    let trees = trees();
    for file in SEEDS {
        let blocks = walk_blocks(&trees[file]);
        let mut seen = HashSet::new();
        for b in &blocks {
            assert!(!b.id.is_empty(), "{file}: empty id at line {}", b.line);
            assert!(seen.insert(b.id.clone()), "{file}: duplicate id {}", b.id);
        }
    }
    let g = &trees[SEEDS[0]];
    let ids: Vec<&str> = g.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "title", "pre", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "end"
        ]
    );
    let p4 = &g[5];
    assert_eq!(p4.children[0].id, "c14");
    assert_eq!(p4.children[0].children[0].id, "c14-1");
    let sup = p4.supplied_title.as_ref().unwrap();
    assert_eq!(sup.from, SEEDS[1]);
    assert!(sup.text.starts_with("Strengthen the construction"));
    let end: Vec<(&str, BlockKind)> = g[9]
        .children
        .iter()
        .map(|b| (b.id.as_str(), b.kind))
        .collect();
    assert_eq!(
        end,
        [
            ("end-1", BlockKind::Paragraph),
            ("end-2", BlockKind::Dateline)
        ]
    );

    // 004 ends with a closing paragraph and the source line.
    let im = &trees[SEEDS[4]];
    let last = im.last().unwrap();
    assert_eq!(last.id, "end");
    assert_eq!(
        last.children.iter().map(|b| b.kind).collect::<Vec<_>>(),
        [BlockKind::Paragraph, BlockKind::Source]
    );
    assert_eq!(
        last.children[1].text.as_deref(),
        Some("来源：2020-06-23 内蒙古日报 06 版")
    );

    // 002: news ids in reading order; the box follows the rejoined paragraph.
    let news = &trees[SEEDS[2]];
    assert_eq!(news[0].id, "title");
    let flat = walk_blocks(news);
    let ids: Vec<&str> = flat.iter().skip(1).map(|b| b.id.as_str()).collect();
    let want: Vec<String> = (1..=ids.len()).map(|k| format!("n{k}")).collect();
    assert_eq!(ids, want);
    let aside = flat
        .iter()
        .position(|b| b.kind == BlockKind::Aside)
        .unwrap();
    assert!(
        flat[aside - 1]
            .text
            .as_deref()
            .unwrap()
            .contains("科技创新合作，建好")
    );
    assert_eq!(flat[aside].title.as_deref(), Some("习近平强调——"));
    let art = flat.iter().find(|b| b.kind == BlockKind::Article).unwrap();
    assert_eq!(art.label.as_deref(), Some("延伸阅读"));
    assert_eq!(
        art.title.as_deref(),
        Some("新起点上西部地区乘势谱写高质量发展新篇章")
    );
    assert_eq!(art.children.last().unwrap().kind, BlockKind::Byline);
}

#[test]
fn warnings_and_repairs_of_the_seeds() {
    let p = parse(&seed_text(SEEDS[0]), SEEDS[0]);
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.warnings[0].line, 51);
    assert!(p.warnings[0].message.contains("part 4 is missing"));
    assert_eq!(p.repairs.len(), 3);
    let p = parse(&seed_text(SEEDS[2]), SEEDS[2]);
    assert_eq!(p.repairs.len(), 5);
    assert_eq!(p.warnings.len(), 1, "the doubled “一路”。 fragment");
    assert_eq!(p.warnings[0].line, 34);
    let p = parse(&seed_text(SEEDS[4]), SEEDS[4]);
    assert_eq!(p.repairs.len(), 6);
    assert!(p.warnings.is_empty());
    for f in [SEEDS[1], SEEDS[3]] {
        let p = parse(&seed_text(f), f);
        assert!(p.warnings.is_empty() && p.repairs.is_empty(), "{f}");
    }
}

/// A compact outline: one line per block with id, kind, line, label, title and the start
/// of the text.
fn outline(blocks: &[Block]) -> String {
    fn go(b: &Block, depth: usize, out: &mut String) {
        let first: String = b.text.as_deref().unwrap_or("").chars().take(20).collect();
        out.push_str(&format!(
            "{}{} {:?} L{} [{}] [{}]{} {}\n",
            "  ".repeat(depth),
            b.id,
            b.kind,
            b.line,
            b.label.as_deref().unwrap_or(""),
            b.title.as_deref().unwrap_or(""),
            b.supplied_title
                .as_ref()
                .map(|s| format!(" supplied({}:{})", s.lang, s.text))
                .unwrap_or_default(),
            first
        ));
        for c in &b.children {
            go(c, depth + 1, out);
        }
    }
    let mut out = String::new();
    for b in blocks {
        go(b, 0, &mut out);
    }
    out
}

#[test]
fn snapshots() {
    let trees = trees();
    for file in SEEDS {
        let name = format!("outline_{}", &file[..3]);
        insta::assert_snapshot!(name, outline(&trees[file]));
    }
}
