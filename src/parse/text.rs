//! Character-level helpers: layout and Markdown removal, punctuation tests, joining.
//!
//! Everything here is a small pure function over `&str`, so that the line classifier
//! and the repairs can be read as plain rules.

use crate::base::text::{is_cjk, is_han};

/// One seed line with its layout and Markdown markup removed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Clean {
    /// The text of the line: no leading/trailing layout, no `#`, `- `, `**`.
    pub text: String,
    /// Bold runs of `text` (from `**…**`), as byte ranges `[start, end)`.
    pub strong: Vec<(usize, usize)>,
    /// The level of a Markdown ATX heading (`#` = 1, `##` = 2), 0 for none.
    pub md_level: u8,
    /// Whether the line was a Markdown bullet (`- `, `* `, `+ `, `• `).
    pub bullet: bool,
}

/// A text with its control characters removed; see [`remove_controls`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct WithoutControls {
    /// The cleaned text, `None` where there was nothing to remove.
    pub text: Option<String>,
    /// How many were removed, the 1-based line of the first and the first itself.
    pub removed: Option<(usize, usize, u32)>,
}

/// Whether `c` may not stand in a web page's text: C0 controls other than tab, line
/// feed and form feed, DEL, C1 controls, and Unicode noncharacters. Bidi and other
/// format characters are text and stay.
pub(crate) fn is_forbidden_control(c: char) -> bool {
    let n = u32::from(c);
    (c.is_control() && !matches!(c, '\t' | '\n' | '\u{c}'))
        || (0xFDD0..=0xFDEF).contains(&n)
        || n & 0xFFFE == 0xFFFE
}

/// Removes the characters of [`is_forbidden_control`] from `text`.
pub(crate) fn remove_controls(text: &str) -> WithoutControls {
    let Some(at) = text.find(is_forbidden_control) else {
        return WithoutControls::default();
    };
    let first = text[at..].chars().next().map_or(0, u32::from);
    let line = 1 + text[..at].bytes().filter(|&b| b == b'\n').count();
    let mut count = 0;
    let cleaned: String = text
        .chars()
        .filter(|&c| {
            let bad = is_forbidden_control(c);
            count += usize::from(bad);
            !bad
        })
        .collect();
    WithoutControls {
        text: Some(cleaned),
        removed: Some((count, line, first)),
    }
}

/// Whether `c` is layout: any Unicode white space, which includes the ideographic
/// space U+3000 used for indentation in Chinese documents.
pub(crate) fn is_layout(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Removes leading and trailing layout (spaces, tabs, U+3000). Inner spaces stay: they
/// are text (`06 版`, `公共租赁住房 and 补贴`).
pub(crate) fn trim_layout(s: &str) -> &str {
    s.trim_matches(is_layout)
}

/// Cleans one raw seed line: trims layout, strips a Markdown heading marker or bullet,
/// and turns `**bold**` runs into [`Clean::strong`] ranges of the remaining text.
pub(crate) fn clean_line(raw: &str) -> Clean {
    let mut s = trim_layout(raw);
    let mut md_level = 0u8;
    let hashes = s.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) {
        let after = &s[hashes..];
        if after.is_empty() || after.starts_with(is_layout) {
            md_level = hashes as u8;
            // A closing sequence of `#` is markup too.
            s = trim_layout(trim_layout(after).trim_end_matches('#'));
        }
    }
    let mut bullet = false;
    if md_level == 0 {
        for marker in ["- ", "* ", "+ ", "• ", "-\u{3000}", "•"] {
            if let Some(rest) = s.strip_prefix(marker) {
                // `•` without a space still is a bullet; `*`/`-` need one (`**bold**`, `-5`).
                bullet = true;
                s = trim_layout(rest);
                break;
            }
        }
    }
    let (text, strong) = strip_bold(s);
    // Bold markers around layout (`** text **`) leave layout at the edges: trim again and
    // shift the ranges.
    let lead = text.len() - text.trim_start_matches(is_layout).len();
    let trimmed = trim_layout(&text).to_string();
    let strong = strong
        .into_iter()
        .filter_map(|(a, b)| {
            let a = a.saturating_sub(lead).min(trimmed.len());
            let b = b.saturating_sub(lead).min(trimmed.len());
            (a < b).then_some((a, b))
        })
        .collect();
    Clean {
        text: trimmed,
        strong,
        md_level,
        bullet,
    }
}

/// Removes paired `**` markers from `s`; returns the text and the bold byte ranges.
/// An unpaired `**` stays as it is (it is then not markup we understand).
pub(crate) fn strip_bold(s: &str) -> (String, Vec<(usize, usize)>) {
    let marks: Vec<usize> = s.match_indices("**").map(|(i, _)| i).collect();
    // `match_indices` does not overlap, so `***` yields one mark: fine for our purposes.
    let pairs = marks.len() / 2;
    if pairs == 0 {
        return (s.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(s.len());
    let mut ranges = Vec::new();
    let mut pos = 0;
    for p in 0..pairs {
        let (open, close) = (marks[2 * p], marks[2 * p + 1]);
        out.push_str(&s[pos..open]);
        let start = out.len();
        out.push_str(&s[open + 2..close]);
        if out.len() > start {
            ranges.push((start, out.len()));
        }
        pos = close + 2;
    }
    out.push_str(&s[pos..]);
    (out, ranges)
}

/// Closing quotes and brackets that may follow the sentence-final mark.
const CLOSERS: &[char] = &[
    '”', '’', '」', '』', '）', ')', '】', '》', '〉', '"', '\'', ']', '〕',
];

/// Marks that end a sentence (or, for `：`, hand over to what follows) in either script.
const FINAL: &[char] = &[
    '。', '！', '？', '；', '…', '：', '.', '!', '?', ';', ':', '．',
];

/// Whether `s` ends a sentence: its last character, after closing quotes and brackets,
/// is one of `。！？；…：` or `.!?;:`. A paragraph that does not is a candidate for a
/// split made by the extraction.
pub(crate) fn ends_sentence(s: &str) -> bool {
    let t = trim_layout(s).trim_end_matches(CLOSERS);
    t.chars().next_back().is_some_and(|c| FINAL.contains(&c))
}

/// Number of "reading units" of `s`: one per Han character, one per Latin word.
/// Used to tell a heading (short) from running text.
pub(crate) fn units(s: &str) -> usize {
    let han = s.chars().filter(|&c| is_han(c)).count();
    let words = s
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'' && c != '-')
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .count();
    han + words
}

/// Whether `s` contains a sentence break before its end: a `。！？；` anywhere, or an
/// English `.`/`!`/`?` followed by a space and more text.
pub(crate) fn has_inner_sentence_break(s: &str) -> bool {
    let t = trim_layout(s);
    let body = t.trim_end_matches(CLOSERS);
    let body = body
        .strip_suffix(['。', '！', '？', '；', '.', '!', '?'])
        .unwrap_or(body);
    if body.contains(['。', '！', '？', '；']) {
        return true;
    }
    let b = body.as_bytes();
    b.windows(2)
        .any(|w| matches!(w[0], b'.' | b'!' | b'?') && w[1] == b' ')
}

/// Whether `s` reads as a heading in the loose sense used for numbered parts: not empty,
/// no sentence-final mark at its end, no sentence break inside, and short (at most 60
/// Han characters or 40 words). Commas are allowed (`贯彻新发展理念，推动高质量发展`).
pub(crate) fn heading_like(s: &str) -> bool {
    let t = trim_layout(s);
    !t.is_empty() && !ends_sentence(t) && !has_inner_sentence_break(t) && units(t) <= 60
}

/// Whether `s` reads as an unnumbered heading or title line: [`heading_like`], and no
/// clause punctuation at all (`，、：；`, ASCII `;`), at most 40 units. A line like
/// `习近平最后强调，中央区域` is therefore a fragment, not a heading; `积极融入 全国统一大市场建设`
/// is a heading.
pub(crate) fn heading_like_strict(s: &str) -> bool {
    let t = trim_layout(s);
    heading_like(t)
        && !t.contains(['，', '、', '：', '；', ';'])
        && units(t) <= 40
        && !ends_with_function_word(t)
}

/// Whether English text ends with a word that cannot end a heading or sentence
/// (`of`, `the`, `and`, `in`…): a sure sign of a line broken mid-sentence.
pub(crate) fn ends_with_function_word(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "with", "by", "from", "and", "or",
        "but", "as", "that", "which", "into", "its", "their", "our", "is", "are", "be",
    ];
    let last = trim_layout(s)
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    WORDS.contains(&last.to_ascii_lowercase().as_str())
}

/// Whether `s` reads as a document title on the first line: like a heading, up to 100
/// units; full-width commas excluded, `、` allowed (`中共中央、国务院关于…`).
pub(crate) fn title_like(s: &str) -> bool {
    let t = trim_layout(s);
    heading_like(t)
        && !t.contains(['，', '；', '：'])
        && units(t) <= 100
        && !ends_with_function_word(t)
}

/// Whether `s` (a paragraph) starts as the continuation of a sentence rather than as a
/// sentence of its own: it starts with a closing or mid-sentence mark or a lowercase
/// Latin letter, or its first segment is a word fragment (`展。`, `作，`, `业态。`).
pub(crate) fn starts_as_continuation(s: &str) -> bool {
    let t = trim_layout(s);
    let Some(first) = t.chars().next() else {
        return false;
    };
    if "，。、；：）」』”’,.;:)".contains(first) || first.is_ascii_lowercase() {
        return true;
    }
    let seg_to = |stops: &[char]| {
        t.find(stops)
            .map(|i| t[..i].chars().filter(|&c| is_han(c)).count())
    };
    matches!(seg_to(&['。', '！', '？']), Some(1..=2)) && t.chars().take(3).all(is_han_or_final)
        || matches!(seg_to(&['，', '、']), Some(1)) && t.chars().take(1).all(is_han)
}

fn is_han_or_final(c: char) -> bool {
    is_han(c) || FINAL.contains(&c)
}

/// The separator to put between two halves of a split paragraph: nothing between
/// Chinese text, one space between two pieces of Latin-script text.
pub(crate) fn join_separator(left: &str, right: &str) -> &'static str {
    let l = trim_layout(left).chars().next_back();
    let r = trim_layout(right).chars().next();
    match (l, r) {
        (Some(a), Some(b)) if !is_cjk(a) && !is_cjk(b) => " ",
        _ => "",
    }
}

/// Shifts byte ranges by `delta` (positive), keeping only those that stay non-empty
/// after clipping to `[lo, hi)` first.
pub(crate) fn shift_ranges(
    ranges: &[(usize, usize)],
    lo: usize,
    hi: usize,
    delta: isize,
) -> Vec<(usize, usize)> {
    ranges
        .iter()
        .filter_map(|&(a, b)| {
            let (a, b) = (a.max(lo), b.min(hi));
            if a >= b {
                return None;
            }
            let a = (a as isize + delta) as usize;
            let b = (b as isize + delta) as usize;
            Some((a, b))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_trimmed_inner_spaces_stay() {
        let c = clean_line(" \u{3000}\u{3000}来源：2020-06-23 内蒙古日报 06 版  ");
        assert_eq!(c.text, "来源：2020-06-23 内蒙古日报 06 版");
        assert_eq!(c.md_level, 0);
        assert!(!c.bullet);
    }

    #[test]
    fn markdown_heading_and_bullet_are_markup() {
        let c = clean_line("## 一、总体要求");
        assert_eq!((c.text.as_str(), c.md_level), ("一、总体要求", 2));
        let c = clean_line("# 标题 #");
        assert_eq!((c.text.as_str(), c.md_level), ("标题", 1));
        let c = clean_line("- 要坚持统筹发展和安全。");
        assert!(c.bullet);
        assert_eq!(c.text, "要坚持统筹发展和安全。");
        // `#5` is text, `-5` is text, `**x**` is not a bullet.
        assert_eq!(clean_line("#5 号").md_level, 0);
        assert!(!clean_line("-5度").bullet);
        assert!(!clean_line("**粗**体").bullet);
    }

    #[test]
    fn bold_runs_become_ranges() {
        let c = clean_line("**(一)打好三大攻坚战。**把打好");
        assert_eq!(c.text, "(一)打好三大攻坚战。把打好");
        assert_eq!(c.strong, vec![(0, "(一)打好三大攻坚战。".len())]);
        let (t, r) = strip_bold("a **b** c **d");
        assert_eq!(t, "a b c **d");
        assert_eq!(r, vec![(2, 3)]);
        let c = clean_line("**(新华社北京5月17日电)**");
        assert_eq!(c.text, "(新华社北京5月17日电)");
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("一带一路”。"));
        assert!(ends_sentence("共同繁荣……"));
        assert!(ends_sentence("It ends."));
        assert!(ends_sentence("它说：“好。”"));
        assert!(!ends_sentence("绿色产业加快发"));
        assert!(!ends_sentence("and the"));
    }

    #[test]
    fn heading_vs_fragment() {
        assert!(heading_like_strict("积极融入 全国统一大市场建设"));
        assert!(heading_like_strict("布局建设未来产业 形成地区发展新动能"));
        assert!(!heading_like_strict("习近平最后强调，中央区域"));
        assert!(!heading_like_strict(
            "藏羚羊的保护成效是三江源生态向好的缩影。"
        ));
        assert!(heading_like("贯彻新发展理念，推动高质量发展"));
        assert!(heading_like("General requirements"));
        assert!(!heading_like(
            "Fight three major battles. Take the battles well"
        ));
        assert!(starts_as_continuation("展。实施国家节水行动"));
        assert!(starts_as_continuation("作，建好国家自主创新示范区"));
        assert!(starts_as_continuation("业态。推动现代制造业"));
        assert!(starts_as_continuation("of the region."));
        assert!(!starts_as_continuation("座谈会上，国家发展改革委"));
        assert!(!starts_as_continuation("习近平指出，要坚持"));
        assert!(!heading_like_strict("The meeting was held in the city of"));
        assert!(heading_like_strict("Key points"));
    }

    #[test]
    fn controls_are_removed_bidi_stays() {
        let r = remove_controls("甲\n乙\0丙\u{7f}\u{202e}丁\u{fffe}\t");
        assert_eq!(r.text.as_deref(), Some("甲\n乙丙\u{202e}丁\t"));
        assert_eq!(r.removed, Some((3, 2, 0)));
        assert_eq!(remove_controls("甲\t乙\n"), WithoutControls::default());
    }

    #[test]
    fn separators() {
        assert_eq!(join_separator("加快发", "展。"), "");
        assert_eq!(join_separator("of the", "western region."), " ");
        assert_eq!(join_separator("生产总值", "从2019年"), "");
        assert_eq!(join_separator("in 2019", "年"), "");
    }
}
