//! Recognizers: one small pure function per kind of line start.
//!
//! Each takes the cleaned text of a line (see [`super::text::clean_line`]) and says whether
//! the line starts with a given kind of label, returning the number, the label as printed
//! and where the rest of the line begins. They know nothing about context; the classifier
//! ([`super::classify`]) decides what a label means where it stands.

use super::numerals::{chinese_numeral, circled, english_cardinal, english_ordinal, roman_numeral};
use super::text::{is_layout, trim_layout};

/// A label found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Numbered {
    /// The number as an Arabic integer.
    pub number: u32,
    /// The label as printed, without surrounding layout: `二、`, `(一)`, `（1）`, `Sixth,`.
    pub label: String,
    /// Byte offset in the line where the rest (title or text) begins, layout skipped.
    pub rest_start: usize,
}

impl Numbered {
    /// The rest of `line` after the label.
    pub(crate) fn rest<'a>(&self, line: &'a str) -> &'a str {
        &line[self.rest_start..]
    }
}

const CN_DIGITS: &str = "〇零一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾佰仟";

fn is_cn_digit(c: char) -> bool {
    CN_DIGITS.contains(c)
}

/// Byte offset after the layout following `at`.
fn skip_layout(s: &str, at: usize) -> usize {
    at + (s[at..].len() - s[at..].trim_start_matches(is_layout).len())
}

fn numbered(s: &str, number: u32, label_end: usize) -> Numbered {
    Numbered {
        number,
        label: trim_layout(&s[..label_end]).to_string(),
        rest_start: skip_layout(s, label_end),
    }
}

/// The longest prefix of `s` made of characters satisfying `f`, as a byte length.
fn prefix_len(s: &str, f: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .find(|&(_, c)| !f(c))
        .map_or(s.len(), |(i, _)| i)
}

/// A Chinese part label: `一、`, `十二、` (also `一．`). The usual part of a Chinese policy
/// document.
pub(crate) fn cn_part(s: &str) -> Option<Numbered> {
    let n = prefix_len(s, is_cn_digit);
    let number = chinese_numeral(&s[..n])?;
    let sep = s[n..].chars().next()?;
    if !matches!(sep, '、' | '．') {
        return None;
    }
    let end = n + sep.len_utf8();
    Some(numbered(s, number, end))
}

/// A chapter-like part label: `第一章`, `第二编`, `第三部分`, `第4章`, and English
/// `Chapter 1`, `Chapter One`, `Part II`.
pub(crate) fn chapter_part(s: &str) -> Option<Numbered> {
    if let Some(rest) = s.strip_prefix('第') {
        let n = prefix_len(rest, |c| is_cn_digit(c) || c.is_ascii_digit());
        let digits = &rest[..n];
        let number = chinese_numeral(digits).or_else(|| digits.parse().ok())?;
        let after = &rest[n..];
        let unit = ["章", "编", "部分"]
            .into_iter()
            .find(|u| after.starts_with(u))?;
        let end = '第'.len_utf8() + n + unit.len();
        return Some(numbered(s, number, end));
    }
    english_labelled(s, &["Chapter", "CHAPTER", "Part", "PART"])
}

/// `Word N` at the start of `s` for one of `words`; N Arabic, Roman or a cardinal word,
/// optionally followed by `.` or `:` (part of the label).
fn english_labelled(s: &str, words: &[&str]) -> Option<Numbered> {
    let word = words.iter().find(|w| s.starts_with(**w))?;
    let after = &s[word.len()..];
    let sp = after.len() - after.trim_start_matches(' ').len();
    if sp == 0 {
        return None;
    }
    let num_start = word.len() + sp;
    let tok_len = prefix_len(&s[num_start..], |c| c.is_ascii_alphanumeric());
    let tok = &s[num_start..num_start + tok_len];
    let number = tok
        .parse()
        .ok()
        .or_else(|| roman_numeral(tok))
        .or_else(|| english_cardinal(tok))?;
    let mut end = num_start + tok_len;
    if s[end..].starts_with(['.', ':']) {
        end += 1;
    }
    if s[end..].chars().next().is_some_and(|c| !is_layout(c)) {
        return None;
    }
    Some(numbered(s, number, end))
}

/// A statute-style clause label: `第一条`, `第十二条`, `第3条`, English `Article 1`.
/// The label must be followed by layout, `【` or the end of the line, so that a sentence
/// such as `第三条规定…` is not taken for a clause.
pub(crate) fn article_clause(s: &str) -> Option<Numbered> {
    if let Some(rest) = s.strip_prefix('第') {
        let n = prefix_len(rest, |c| is_cn_digit(c) || c.is_ascii_digit());
        let digits = &rest[..n];
        let number = chinese_numeral(digits).or_else(|| digits.parse().ok())?;
        let after = rest[n..].strip_prefix('条')?;
        if !(after.is_empty() || after.starts_with(is_layout) || after.starts_with('【')) {
            return None;
        }
        let end = '第'.len_utf8() + n + '条'.len_utf8();
        return Some(numbered(s, number, end));
    }
    english_labelled(s, &["Article", "ARTICLE"])
}

/// A bracketed label `(x)`/`（x）` (mixed brackets too) whose inside satisfies `f`.
fn bracketed(s: &str, f: impl Fn(&str) -> Option<u32>) -> Option<Numbered> {
    let open = s.chars().next().filter(|c| matches!(c, '(' | '（'))?;
    let inner_start = open.len_utf8();
    let close = s[inner_start..].find([')', '）'])?;
    let inner = &s[inner_start..inner_start + close];
    if inner.is_empty() || inner.chars().count() > 6 {
        return None;
    }
    let number = f(inner)?;
    let close_ch = s[inner_start + close..].chars().next()?;
    let end = inner_start + close + close_ch.len_utf8();
    Some(numbered(s, number, end))
}

/// A clause label with a Chinese numeral in brackets: `(一)`, `（二十一）`, `(三十六)`.
pub(crate) fn paren_cn(s: &str) -> Option<Numbered> {
    bracketed(s, |inner| {
        if inner.chars().all(is_cn_digit) {
            chinese_numeral(inner)
        } else {
            None
        }
    })
}

/// A label with an Arabic number in brackets: `(1)`, `（12）`.
pub(crate) fn paren_arabic(s: &str) -> Option<Numbered> {
    bracketed(s, |inner| {
        if inner.len() <= 3 && inner.chars().all(|c| c.is_ascii_digit()) {
            inner.parse().ok()
        } else {
            None
        }
    })
}

/// An Arabic number with a dot or enumeration comma: `1.`, `1．`, `1、`, `12.`; also
/// `1)`. Not a decimal (`1.5`), not a year (at most three digits), and text must follow.
pub(crate) fn arabic_dot(s: &str) -> Option<Numbered> {
    let n = prefix_len(s, |c| c.is_ascii_digit());
    if n == 0 || n > 3 {
        return None;
    }
    let sep = s[n..].chars().next()?;
    if !matches!(sep, '.' | '．' | '、' | ')') {
        return None;
    }
    let end = n + sep.len_utf8();
    let next = s[end..].chars().next()?;
    if next.is_ascii_digit() || (sep == '.' && !is_layout(next) && next.is_ascii_alphanumeric()) {
        return None;
    }
    let found = numbered(s, s[..n].parse().ok()?, end);
    (found.rest_start < s.len()).then_some(found)
}

/// An English ordinal opening a heading or paragraph: `Sixth, insist on …`,
/// `First: …`. The label includes the comma or colon.
pub(crate) fn ordinal(s: &str) -> Option<Numbered> {
    let w = prefix_len(s, |c| c.is_ascii_alphabetic() || c == '-');
    if w == 0 {
        return None;
    }
    let number = english_ordinal(&s[..w])?;
    let sep = s[w..].chars().next().filter(|c| matches!(c, ',' | ':'))?;
    Some(numbered(s, number, w + sep.len_utf8()))
}

/// A circled-number item label: `①`, `⑫`.
pub(crate) fn circled_item(s: &str) -> Option<Numbered> {
    let c = s.chars().next()?;
    let number = circled(c)?;
    Some(numbered(s, number, c.len_utf8()))
}

/// A dateline: a whole line such as `(新华社北京5月17日电)` or `新华社北京5月17日电`,
/// bracketed or not, at most 40 characters, ending in `电`.
pub(crate) fn dateline(s: &str) -> bool {
    let inner = s
        .strip_prefix(['(', '（'])
        .and_then(|r| r.strip_suffix([')', '）']))
        .unwrap_or(s);
    let inner = trim_layout(inner);
    inner.chars().count() <= 40
        && inner.ends_with('电')
        && (inner.contains("社")
            || inner.contains("报")
            || inner.contains("台")
            || inner.contains("网"))
        && inner
            .chars()
            .any(|c| c.is_ascii_digit() || "月日".contains(c))
}

/// A source line: `来源：…`, `来源:…`, `出处：…`, `Source: …`.
pub(crate) fn source_line(s: &str) -> bool {
    [
        "来源：",
        "来源:",
        "来源 ：",
        "出处：",
        "稿件来源：",
        "Source:",
        "Source：",
    ]
    .iter()
    .any(|p| s.starts_with(p))
}

/// A byline or credit line: short, no sentence punctuation, such as `据新华社`,
/// `据人民日报`, `（记者 张三）`, `责任编辑：李四`, `By Xinhua`.
pub(crate) fn byline(s: &str) -> bool {
    let n = s.chars().count();
    if n == 0 || n > 24 || s.contains(['。', '，', '；', '！', '？']) {
        return false;
    }
    if ["责任编辑：", "责任编辑:", "编辑：", "记者：", "作者："]
        .iter()
        .any(|p| s.starts_with(p))
    {
        return true;
    }
    if let Some(rest) = s.strip_prefix('据') {
        let k = rest.chars().count();
        return (2..=12).contains(&k)
            && (rest.ends_with("社")
                || rest.ends_with("报")
                || rest.ends_with("台")
                || rest.ends_with("网")
                || rest.ends_with("报道")
                || rest.ends_with("消息"));
    }
    if let Some(inner) = s
        .strip_prefix(['(', '（'])
        .and_then(|r| r.strip_suffix([')', '）']))
    {
        return inner.starts_with("记者") || inner.starts_with("通讯员");
    }
    s.strip_prefix("By ")
        .is_some_and(|r| !r.contains(['.', ',']) && r.split(' ').count() <= 5)
}

/// A marker that opens a further article in the same file: `延伸阅读`, `相关阅读`,
/// `相关链接`, `背景链接`, `链接`, `Further reading`, `Related`.
pub(crate) fn article_marker(s: &str) -> bool {
    let t = s.trim_end_matches([':', '：']);
    [
        "延伸阅读",
        "相关阅读",
        "相关链接",
        "背景链接",
        "链接",
        "相关新闻",
        "Further reading",
        "Related",
        "Related reading",
    ]
    .contains(&t)
}

/// The intro line of a box: a short line ending in a dash (`习近平强调——`), which the
/// classifier accepts as an aside when bullets follow.
pub(crate) fn aside_intro(s: &str) -> bool {
    (s.ends_with("——") || s.ends_with('—') || s.ends_with("--")) && s.chars().count() <= 40
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(r: Option<Numbered>, s: &str) -> Option<(u32, String, String)> {
        r.map(|n| (n.number, n.label.clone(), n.rest(s).to_string()))
    }

    fn t(n: u32, l: &str, r: &str) -> Option<(u32, String, String)> {
        Some((n, l.to_string(), r.to_string()))
    }

    #[test]
    fn chinese_parts() {
        let s = "二、贯彻新发展理念，推动高质量发展";
        assert_eq!(
            lab(cn_part(s), s),
            t(2, "二、", "贯彻新发展理念，推动高质量发展")
        );
        let s = "二十一、其他";
        assert_eq!(lab(cn_part(s), s), t(21, "二十一、", "其他"));
        let s = "九十九、 附则";
        assert_eq!(lab(cn_part(s), s), t(99, "九十九、", "附则"));
        assert_eq!(cn_part("一是加强领导"), None);
        assert_eq!(cn_part("、一"), None);
    }

    #[test]
    fn chapter_parts() {
        let s = "第一章　总则";
        assert_eq!(lab(chapter_part(s), s), t(1, "第一章", "总则"));
        let s = "第十二章 附则";
        assert_eq!(lab(chapter_part(s), s), t(12, "第十二章", "附则"));
        let s = "第三部分 保障措施";
        assert_eq!(lab(chapter_part(s), s), t(3, "第三部分", "保障措施"));
        let s = "Chapter II General Provisions";
        assert_eq!(
            lab(chapter_part(s), s),
            t(2, "Chapter II", "General Provisions")
        );
        let s = "Part One: Aims";
        assert_eq!(lab(chapter_part(s), s), t(1, "Part One:", "Aims"));
        assert_eq!(chapter_part("第一条 为了"), None);
        assert_eq!(chapter_part("Partners are welcome."), None);
    }

    #[test]
    fn article_clauses() {
        let s = "第一条　为了规范管理，制定本办法。";
        assert_eq!(
            lab(article_clause(s), s),
            t(1, "第一条", "为了规范管理，制定本办法。")
        );
        let s = "第二十三条 【适用范围】本法适用于…";
        assert_eq!(lab(article_clause(s), s).unwrap().0, 23);
        assert_eq!(article_clause("第三条规定的情形"), None);
        let s = "Article 5 This law applies.";
        assert_eq!(
            lab(article_clause(s), s),
            t(5, "Article 5", "This law applies.")
        );
    }

    #[test]
    fn bracketed_clauses() {
        let s = "(一)打好三大攻坚战。把打好";
        assert_eq!(lab(paren_cn(s), s), t(1, "(一)", "打好三大攻坚战。把打好"));
        let s = "（二十一）健全养老服务体系。";
        assert_eq!(
            lab(paren_cn(s), s),
            t(21, "（二十一）", "健全养老服务体系。")
        );
        let s = "(一) 不断提升创新发展能力";
        assert_eq!(lab(paren_cn(s), s), t(1, "(一)", "不断提升创新发展能力"));
        let s = "（三十六)混合括号";
        assert_eq!(lab(paren_cn(s), s).unwrap().0, 36);
        assert_eq!(paren_cn("(重庆)战略"), None);
        let s = "(10) Build an inland platform.";
        assert_eq!(
            lab(paren_arabic(s), s),
            t(10, "(10)", "Build an inland platform.")
        );
        let s = "（1）加强领导";
        assert_eq!(lab(paren_arabic(s), s), t(1, "（1）", "加强领导"));
        assert_eq!(paren_arabic("(B型)"), None);
        assert_eq!(paren_arabic("(2020)年"), None);
    }

    #[test]
    fn arabic_and_ordinals() {
        let s = "1. General requirements";
        assert_eq!(lab(arabic_dot(s), s), t(1, "1.", "General requirements"));
        let s = "12．完善机制";
        assert_eq!(lab(arabic_dot(s), s), t(12, "12．", "完善机制"));
        let s = "3、加强领导";
        assert_eq!(lab(arabic_dot(s), s), t(3, "3、", "加强领导"));
        assert_eq!(arabic_dot("1.5万亿元"), None);
        assert_eq!(arabic_dot("2020.6"), None);
        assert_eq!(arabic_dot("5."), None);
        let s = "Sixth, insist on taking the people as the center";
        assert_eq!(
            lab(ordinal(s), s),
            t(6, "Sixth,", "insist on taking the people as the center")
        );
        assert_eq!(ordinal("Further, we"), None);
        assert_eq!(ordinal("First of all"), None);
        let s = "③加快建设";
        assert_eq!(lab(circled_item(s), s), t(3, "③", "加快建设"));
    }

    #[test]
    fn datelines_sources_bylines() {
        assert!(dateline("(新华社北京5月17日电)"));
        assert!(dateline("（新华社重庆4月23日电）"));
        assert!(!dateline("(新华社北京5月17日电)记者张三报道，今天……"));
        assert!(source_line("来源：2020-06-23 内蒙古日报 06 版"));
        assert!(!source_line("来源于群众"));
        assert!(byline("据新华社"));
        assert!(byline("据人民日报"));
        assert!(byline("（记者 张三）"));
        assert!(!byline("据统计，西部地区"));
        assert!(!byline("据了解"));
        assert!(article_marker("延伸阅读"));
        assert!(!article_marker("延伸阅读材料很多。"));
        assert!(aside_intro("习近平强调——"));
        assert!(!aside_intro("习近平强调，要坚持"));
    }
}
