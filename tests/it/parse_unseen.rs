//! Documents the project has never seen: small synthetic texts of the same genres, to show
//! that the rules are rules and not fitted to the five seeds.

use clausebook::model::{Block, BlockKind, walk_blocks};
use clausebook::parse::{Parsed, parse};

fn ids(p: &Parsed) -> Vec<String> {
    walk_blocks(&p.blocks)
        .iter()
        .map(|b| b.id.clone())
        .collect()
}

fn find<'a>(p: &'a Parsed, id: &str) -> &'a Block {
    walk_blocks(&p.blocks)
        .into_iter()
        .find(|b| b.id == id)
        .unwrap_or_else(|| panic!("no block {id} in {:?}", ids(p)))
}

#[test]
fn statute_with_chapters_and_articles() {
    let src = "\
中华人民共和国示例管理法

第一章　总则

第一条　为了规范示例管理，制定本法。

第二条　本法适用于全国范围内的示例活动。

第二章　管理

第三条　【职责】国务院有关部门负责示例管理工作：
（一）制定规划；
（二）监督检查。

第四条　本法自2025年1月1日起施行。
";
    let p = parse(src, "law.txt");
    assert_eq!(p.title.as_deref(), Some("中华人民共和国示例管理法"));
    assert_eq!(
        ids(&p),
        [
            "title", "p1", "c1", "c1-1", "c2", "c2-1", "p2", "c3", "c3-1", "c3-2", "c3-2-1",
            "c3-2-2", "c4", "c4-1"
        ]
    );
    let p1 = find(&p, "p1");
    assert_eq!(
        (p1.label.as_deref(), p1.title.as_deref()),
        (Some("第一章"), Some("总则"))
    );
    let c1 = find(&p, "c1");
    assert_eq!(c1.label.as_deref(), Some("第一条"));
    assert_eq!(c1.title, None, "a statute article has no sentence title");
    assert_eq!(
        find(&p, "c1-1").text.as_deref(),
        Some("为了规范示例管理，制定本法。")
    );
    assert_eq!(find(&p, "c3").title.as_deref(), Some("【职责】"));
    assert_eq!(find(&p, "c3-2").kind, BlockKind::List);
    let item = find(&p, "c3-2-1");
    assert_eq!(
        (item.label.as_deref(), item.number),
        (Some("（一）"), Some(1))
    );
    assert_eq!(item.text.as_deref(), Some("制定规划；"));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn english_ordinal_parts_and_items() {
    let src = "\
The following opinions are proposed to promote development.

First, general requirements

(1) Guiding ideology. We will follow the plan.

Second, key tasks

(2) Build infrastructure. The tasks are:

1. roads and railways;

2. ports and airports.

First, we will invest more. Second, we will open up.

Third, organizational guarantees

(3) Leadership. Strengthen leadership.

All regions should implement these opinions.
";
    let p = parse(src, "en.txt");
    assert_eq!(p.title, None, "the first line is a sentence: preamble");
    let parts: Vec<(u32, String, String)> = p
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Part)
        .map(|b| {
            (
                b.number.unwrap(),
                b.label.clone().unwrap(),
                b.title.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [
            (1, "First,".into(), "general requirements".into()),
            (2, "Second,".into(), "key tasks".into()),
            (3, "Third,".into(), "organizational guarantees".into()),
        ]
    );
    assert_eq!(
        find(&p, "c2").title.as_deref(),
        Some("Build infrastructure.")
    );
    assert_eq!(find(&p, "c2-2").kind, BlockKind::List);
    assert_eq!(find(&p, "c2-2").children.len(), 2);
    assert_eq!(
        find(&p, "c2-3").text.as_deref(),
        Some("First, we will invest more. Second, we will open up.")
    );
    // Clause (2) has two paragraphs, so the last clause may keep two: the closing
    // sentence stays in clause (3) (the closing rule is a heuristic).
    assert_eq!(find(&p, "c3-2").kind, BlockKind::Paragraph);
    assert_eq!(find(&p, "pre-1").kind, BlockKind::Paragraph);
}

#[test]
fn clauses_restarting_in_each_part() {
    let src = "\
一、总体要求

（一）指导思想。坚持发展。

（二）基本原则。坚持改革。

二、重点任务

（一）加强基础设施。修路架桥。

（二）扩大开放。建设通道。
";
    let p = parse(src, "restart.txt");
    assert_eq!(
        ids(&p),
        [
            "p1", "p1-c1", "p1-c1-1", "p1-c2", "p1-c2-1", "p2", "p2-c1", "p2-c1-1", "p2-c2",
            "p2-c2-1"
        ]
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn numbering_gaps_and_repeats_warn_and_ids_stay_unique() {
    let src = "\
一、甲

（一）子一。文。

（二）子二。文。

（二）子二又。文。

三、丙

（四）子四。文。
";
    let p = parse(src, "gaps.txt");
    let ids = ids(&p);
    assert!(ids.contains(&"c2".to_string()) && ids.contains(&"c2-b".to_string()));
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
    let lines: Vec<(usize, &str)> = p
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0].0, 7, "repeated clause (二)");
    assert_eq!(lines[1].0, 9, "part 二 missing");
    assert!(lines[1].1.contains("part 2 is missing"));
    assert_eq!(lines[2].0, 11, "clause 3 missing");
    assert!(
        p.warnings
            .iter()
            .all(|w| w.file == "gaps.txt" && w.hint.is_some())
    );
}

#[test]
fn clauses_without_parts_and_closing() {
    let src = "\
为做好有关工作，现通知如下。

（一）提高认识。各地要高度重视。

（二）加强领导。各地要加强领导，
①明确责任；
②细化措施。

（三）狠抓落实。各地要狠抓落实。

本通知自印发之日起施行。

（新华社北京1月2日电）
";
    let p = parse(src, "notice.txt");
    let top: Vec<&str> = p.blocks.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(top, ["pre", "c1", "c2", "c3", "end"]);
    let list = find(&p, "c2-2");
    assert_eq!(list.kind, BlockKind::List);
    assert_eq!(list.children[1].label.as_deref(), Some("②"));
    assert_eq!(list.children[1].number, Some(2));
    let end = find(&p, "end");
    assert_eq!(
        end.children.iter().map(|b| b.kind).collect::<Vec<_>>(),
        [BlockKind::Paragraph, BlockKind::Dateline]
    );
}

#[test]
fn markdown_and_inline_bold() {
    let src = "\
# 某省关于推进某项工作的意见

各地要**高度重视**，认真落实。

## 一、总体要求

**（一）指导思想。**坚持**稳中求进**工作总基调。

**（新华社杭州3月4日电）**
";
    let p = parse(src, "md.txt");
    assert_eq!(p.title.as_deref(), Some("某省关于推进某项工作的意见"));
    let pre = find(&p, "pre-1");
    let text = pre.text.as_deref().unwrap();
    assert_eq!(text, "各地要高度重视，认真落实。");
    let (a, b) = pre.strong[0];
    assert_eq!(&text[a..b], "高度重视");
    let c1 = find(&p, "c1");
    assert_eq!(c1.label.as_deref(), Some("（一）"));
    assert_eq!(c1.title.as_deref(), Some("指导思想。"));
    let body = find(&p, "c1-1");
    let t = body.text.as_deref().unwrap();
    assert_eq!(t, "坚持稳中求进工作总基调。");
    let (a, b) = body.strong[0];
    assert_eq!(&t[a..b], "稳中求进");
    assert_eq!(find(&p, "end-1").kind, BlockKind::Dateline);
}

#[test]
fn english_news_with_split_paragraph_and_list() {
    let src = "\
Leaders meet to plan western development

The meeting was held on Tuesday in the city of

Chongqing, officials said.

Key points

- Protect the environment.
- Open up further.

By Xinhua
";
    let p = parse(src, "news.txt");
    assert_eq!(
        p.title.as_deref(),
        Some("Leaders meet to plan western development")
    );
    let kinds: Vec<(String, BlockKind)> = walk_blocks(&p.blocks)
        .iter()
        .map(|b| (b.id.clone(), b.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("title".to_string(), BlockKind::Title),
            ("n1".into(), BlockKind::Paragraph),
            ("n2".into(), BlockKind::Heading),
            ("n3".into(), BlockKind::List),
            ("n4".into(), BlockKind::Item),
            ("n5".into(), BlockKind::Item),
            ("n6".into(), BlockKind::Byline),
        ]
    );
    assert_eq!(
        find(&p, "n1").text.as_deref(),
        Some("The meeting was held on Tuesday in the city of Chongqing, officials said.")
    );
    assert_eq!(p.repairs.len(), 1);
}

#[test]
fn layout_and_inner_spaces() {
    let src = "\u{3000}\u{3000}为落实意见，提出如下措施。\n\n\u{3000}\u{3000}一、 总体要求\n\n \u{3000}(一) 完善公共租赁住房 and 补贴\n\n \u{3000}给予公共租赁住房 and 补贴保障。\n";
    let p = parse(src, "sp.txt");
    let p1 = find(&p, "p1");
    assert_eq!(p1.title.as_deref(), Some("总体要求"));
    let c1 = find(&p, "c1");
    assert_eq!(c1.label.as_deref(), Some("(一)"));
    assert_eq!(c1.title.as_deref(), Some("完善公共租赁住房 and 补贴"));
    assert_eq!(
        find(&p, "c1-1").text.as_deref(),
        Some("给予公共租赁住房 and 补贴保障。")
    );
}
