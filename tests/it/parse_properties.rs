//! Property tests of the parser on generated text: labels of every style, Markdown marks,
//! blank lines, ideographic spaces, CR/LF mixes, bidi controls and NUL. Whatever the text,
//! decoding and parsing do not panic, block ids are unique and of the anchor scheme's
//! shapes, and every Han character, letter and digit is kept exactly as often as it
//! stands in the text.

use clausebook::base::text::is_han;
use clausebook::corpus::decode;
use clausebook::model::walk_blocks;
use proptest::prelude::*;
use std::collections::{BTreeMap, HashSet};

/// Pieces that start lines: labels of parts, clauses and items in every style the parser
/// knows, Markdown markers, and text that only resembles a label.
const STARTS: &[&str] = &[
    "",
    "",
    "一、",
    "十二、",
    "（一）",
    "(二)",
    "（三十六)",
    "(1)",
    "（12）",
    "1.",
    "2．",
    "3、",
    "1) ",
    "第一条 ",
    "第二十三条【目的】",
    "第一章 ",
    "第三部分",
    "Article 5 ",
    "Chapter II ",
    "Part One: ",
    "Sixth, ",
    "First: ",
    "①",
    "# ",
    "## ",
    "- ",
    "* ",
    "• ",
    "**",
    "延伸阅读",
    "来源：",
    "据新华社",
    "(新华社北京5月17日电)",
    "第九千九百万万万万条",
    "九十九万万万万、",
    "(4294967295)",
    "第4294967295条",
    "4294967296.",
];

/// Pieces of running text.
const PIECES: &[&str] = &[
    "发展",
    "一带一路",
    "加快建设",
    "西部",
    "。",
    "，",
    "、",
    "；",
    "：",
    "——",
    "“",
    "”",
    "（",
    "）",
    "(",
    ")",
    "【",
    "】",
    "Text",
    "of the",
    "No.",
    " ",
    "\u{3000}",
    "\t",
    "**",
    "#",
    "-",
    "<script>",
    "&amp;",
    "{{ x }}",
    "7",
    "2020-06-23",
    "\u{202e}",
    "\u{200f}",
    "\u{2066}",
    "\0",
    "\u{feff}",
    "ｆｕｌｌ１",
    "é",
    ".",
    "?",
];

const LINE_ENDS: &[&str] = &["\n", "\n", "\n\n", "\r\n", "\r", "\r\n\r\n", "\n\u{3000}\n"];

fn line() -> impl Strategy<Value = String> {
    (
        prop::sample::select(STARTS),
        prop::collection::vec(prop::sample::select(PIECES), 0..12),
        prop::sample::select(LINE_ENDS),
    )
        .prop_map(|(start, body, end)| format!("{start}{}{end}", body.concat()))
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..40).prop_map(|lines| lines.concat())
}

fn counts<'a>(texts: impl Iterator<Item = &'a str>) -> BTreeMap<char, usize> {
    let mut m = BTreeMap::new();
    for c in texts.flat_map(str::chars) {
        if is_han(c) || c.is_alphanumeric() {
            *m.entry(c).or_default() += 1;
        }
    }
    m
}

/// Whether `id` has one of the anchor scheme's shapes: a head (`title`, `pre`, `end`,
/// `p3`, `c8`, `n12`, `x1`, or `p` for an unnumbered part) followed by `-`-separated
/// segments (`2`, `c1`, a suffix letter `b`…`z`, `2x`, or `c` for an unnumbered clause).
fn anchor_shaped(id: &str) -> bool {
    let mut segs = id.split('-');
    let head = segs.next().unwrap_or("");
    let num = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let head_ok = matches!(head, "title" | "pre" | "end" | "p")
        || head.len() > 1 && head.starts_with(['p', 'c', 'n', 'x']) && num(&head[1..]);
    head_ok
        && segs.all(|s| {
            num(s)
                || s == "c"
                || s.len() > 1 && s.starts_with('c') && num(&s[1..])
                || s.len() == 1 && ('b'..='z').contains(&s.chars().next().unwrap())
                || s.len() > 1 && s.ends_with('x') && num(&s[..s.len() - 1])
        })
}

fn check(raw: &str) -> Result<(), TestCaseError> {
    let (text, _) = decode(raw.as_bytes()).map_err(TestCaseError::fail)?;
    prop_assert!(!text.contains('\r'), "line ends not normalized");
    let parsed = clausebook::parse::parse(&text, "gen.txt");
    let blocks = walk_blocks(&parsed.blocks);
    let mut ids = HashSet::new();
    for b in &blocks {
        prop_assert!(anchor_shaped(&b.id), "id {:?} has no anchor shape", b.id);
        prop_assert!(ids.insert(b.id.as_str()), "id {:?} used twice", b.id);
    }
    let kept = counts(
        blocks
            .iter()
            .flat_map(|b| [&b.label, &b.title, &b.text])
            .filter_map(|t| t.as_deref()),
    );
    prop_assert_eq!(counts(std::iter::once(text.as_str())), kept);
    for w in &parsed.warnings {
        let lines = text.split('\n').count();
        prop_assert!(w.line <= lines, "warning on line {} of {lines}", w.line);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_documents_parse_with_unique_ids_and_all_text(doc in document()) {
        check(&doc)?;
    }

    #[test]
    fn arbitrary_text_parses_with_unique_ids_and_all_text(doc in "\\PC{0,200}") {
        check(&doc)?;
    }
}

#[test]
fn anchor_shapes() {
    for ok in [
        "title", "pre", "pre-1", "end-2", "p3", "p3-1", "c8", "c8-2", "p2-c1", "p2-c1-3", "n12",
        "x1", "c5-b", "c5-b-1", "p-2", "p1-c", "c5-3x",
    ] {
        assert!(anchor_shaped(ok), "{ok}");
    }
    for bad in ["", "c", "c8-", "c8--1", "q1", "c-a", "P1", "c８"] {
        assert!(!anchor_shaped(bad), "{bad}");
    }
}

/// Inputs that once broke the parser (found by the property tests and the fuzzers).
#[test]
fn regressions() {
    let huge = format!("{}、标题\n（一）甲。\n", "九千万".repeat(50));
    for raw in [
        huge.as_str(),
        "第九千九百万万万万条 文本\n",
        "九十九万万万万、标题\n",
        "(4294967295)甲。\n(4294967295)乙。\n",
        "第4294967295条 甲\n第4294967295条 乙\n",
        "第4294967295条\u{feff}\n第一条 \n",
        "第4294967295章 总则\n1. 标题\n",
        "Part 4294967295\nSixth, do more\n",
    ] {
        check(raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
    }
}
