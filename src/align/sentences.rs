//! Sentence splitting for Chinese and English running text.
//!
//! Chinese: a sentence ends after `。！？；` (and `!?`), together with any closing
//! quotes and brackets that follow (`”’」』）》)`). English: a sentence ends after `.`, `!`
//! or `?` (with closing quotes and brackets) when whitespace and then a capital letter, a
//! digit, an opening quote or bracket follow, or the text ends; not after a common
//! abbreviation (`e.g.`, `No.`, `Mr.`, …) or a single initial, and never inside a number
//! (`20.5`), since no whitespace follows that point.
//!
//! The sentences partition the text: whitespace between two sentences belongs to the one
//! before, so that concatenating them gives the text back unchanged.

use crate::base::text::is_han;

/// Closing quotes and brackets that stay with the sentence they close.
const CLOSERS: &[char] = &[
    '”', '’', '」', '』', '）', '》', '〉', ')', ']', '"', '\'', '】',
];

/// Words that end in a full stop without ending a sentence (compared lowercased).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "prof", "no", "nos", "art", "arts", "vs", "cf",
    "st", "co", "ltd", "inc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "fig", "vol", "para", "paras", "sec", "p", "pp", "u.s", "u.k", "approx",
    "dept", "gov", "govt", "jr", "sr", "rev",
];

fn is_cjk_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；')
}

/// Whether the `.` at byte `dot` of `text` follows an abbreviation or an initial.
fn after_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '\''))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    let mut chars = word.chars();
    // A single capital letter: an initial (`J. Smith`, `U.`).
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_ascii_uppercase()
    {
        return true;
    }
    let lower = word.to_ascii_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Whether an English sentence may start at byte `i` of `text` (after whitespace).
fn starts_sentence(text: &str, i: usize) -> bool {
    match text[i..].chars().next() {
        None => true,
        Some(c) => {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[' | '（' | '《')
                || is_han(c)
        }
    }
}

/// The sentences of `text`, as byte ranges `[start, end)` that partition it in order.
/// Text without any sentence end is one sentence; empty text has none.
pub(crate) fn split(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let cjk = is_cjk_end(c);
        let latin = matches!(c, '.' | '!' | '?');
        if !cjk && !latin {
            k += 1;
            continue;
        }
        // Take repeated marks (`……`, `?!`) and closing quotes along.
        let mut j = k + 1;
        while j < chars.len()
            && (is_cjk_end(chars[j].1)
                || matches!(chars[j].1, '.' | '!' | '?' | '…')
                || CLOSERS.contains(&chars[j].1))
        {
            j += 1;
        }
        let mark_end = chars.get(j).map_or(text.len(), |(b, _)| *b);
        let ws_end = chars[j..]
            .iter()
            .find(|(_, c)| !c.is_whitespace())
            .map_or(text.len(), |(b, _)| *b);
        let ends = if cjk {
            true
        } else {
            let followed_by_space = ws_end > mark_end || mark_end == text.len();
            followed_by_space
                && starts_sentence(text, ws_end)
                && !(c == '.' && after_abbreviation(text, i))
        };
        if ends && ws_end > start {
            out.push((start, ws_end));
            start = ws_end;
        }
        // Continue after the marks (and the whitespace, if it was consumed).
        // Searched from `k` on (the target lies ahead), so a long text is split in
        // linear time.
        let target = if ends { ws_end } else { mark_end };
        k += chars[k..]
            .iter()
            .position(|(b, _)| *b >= target)
            .unwrap_or(chars.len() - k);
    }
    if start < text.len() {
        if text[start..].trim().is_empty() && !out.is_empty() {
            // Trailing whitespace joins the last sentence.
            let last = out.len() - 1;
            out[last].1 = text.len();
        } else {
            out.push((start, text.len()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(t: &str) -> Vec<&str> {
        split(t).into_iter().map(|(s, e)| &t[s..e]).collect()
    }

    #[test]
    fn chinese() {
        assert_eq!(
            parts("加快发展。支持“双一流”高校；鼓励创新！他说：“好。”然后走了"),
            vec![
                "加快发展。",
                "支持“双一流”高校；",
                "鼓励创新！",
                "他说：“好。”",
                "然后走了"
            ]
        );
        assert_eq!(
            parts("（新华社北京5月17日电）"),
            vec!["（新华社北京5月17日电）"]
        );
    }

    #[test]
    fn english() {
        assert_eq!(
            parts("Growth was 20.5 percent. See e.g. Xinjiang and No. 3 below! Done? yes. Ok"),
            vec![
                "Growth was 20.5 percent. ",
                "See e.g. Xinjiang and No. 3 below! ",
                "Done? yes. ",
                "Ok"
            ]
        );
        assert_eq!(
            parts("He said \"go.\" Then J. Smith left. "),
            vec!["He said \"go.\" ", "Then J. Smith left. "]
        );
        assert_eq!(parts("etc. and more."), vec!["etc. and more."]);
    }

    #[test]
    fn partitions_any_text() {
        for t in [
            "",
            " ",
            "。。",
            "a. B. c",
            "…… 。” ”",
            "末尾。 ",
            "x.\u{3000}Y",
        ] {
            let s = split(t);
            let joined: String = s.iter().map(|(a, b)| &t[*a..*b]).collect();
            assert_eq!(joined, t);
            assert!(s.windows(2).all(|w| w[0].1 == w[1].0));
        }
    }
}
