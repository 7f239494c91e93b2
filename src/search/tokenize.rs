//! Text normalization and tokenization, identical here and in `static/search/tokenize.js`.
//!
//! - [`normalize`]: Unicode NFKC, then lowercase (`（八）` ─► `(八)`, `Ｒｏａｄ` ─► `road`).
//! - [`tokens`]: Han characters as single characters plus overlapping bigrams (no
//!   dictionary, so the index and the query always cut the same way); runs of letters,
//!   digits and marks of other scripts as one word each; everything else separates.
//! - [`query_words`]: a query splits at white space into words, each of which must occur
//!   in a unit; text in double quotes is one word, spaces and all.
//!
//! The shared cases in `tests/fixtures/tokenizer-cases.json` are checked against this
//! module by `cargo test` and against the JavaScript tokenizer in headless Chromium.

use crate::base::text::is_han;
use unicode_normalization::UnicodeNormalization;

/// The normalized form in which both the index and the query are compared: NFKC, then
/// lowercase.
pub fn normalize(s: &str) -> String {
    // Most text is ASCII, Han and the punctuation of Chinese text, each of which stands
    // for itself (or one ASCII character) whatever its neighbours: such text is folded
    // character by character. Anything else goes through the full algorithm.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match simple_fold(c) {
            Some(f) => out.push(f),
            None => return full_normalize(s),
        }
    }
    out
}

/// NFKC, then lowercase, by the book.
fn full_normalize(s: &str) -> String {
    use unicode_normalization::{IsNormalized, is_nfkc_quick};
    // Most text is already in NFKC; the quick check spares it the decomposition.
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        s.to_lowercase()
    } else {
        s.nfkc().collect::<String>().to_lowercase()
    }
}

/// The normalized form of `c` where it is one character that neither changes nor is
/// changed by the characters around it: ASCII, the Han characters of the main block,
/// full-width ASCII (`（` ─► `(`), the ideographic space and the punctuation marks of
/// Chinese text that NFKC leaves alone. `None` for any other character. All of these are
/// starters that compose with nothing, so text made only of them normalizes one
/// character at a time (checked against [`full_normalize`] for each of them).
fn simple_fold(c: char) -> Option<char> {
    match c as u32 {
        0..=0x7F => Some(c.to_ascii_lowercase()),
        0x4E00..=0x9FFF => Some(c),
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).map(|a| a.to_ascii_lowercase()),
        0x3000 => Some(' '),
        _ => matches!(
            c,
            '、' | '。'
                | '〈'
                | '〉'
                | '《'
                | '》'
                | '「'
                | '」'
                | '『'
                | '』'
                | '【'
                | '】'
                | '〔'
                | '〕'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '—'
                | '·'
                | '×'
        )
        .then_some(c),
    }
}

/// Whether `c` belongs to a word (letters, digits and marks of any script but Han):
/// Unicode `Alphabetic` or `Numeric`, as JavaScript's `[\p{Alphabetic}\p{N}]`.
pub(crate) fn is_word_char(c: char) -> bool {
    !is_han(c) && c.is_alphanumeric()
}

/// White space that separates query words: Unicode `White_Space`, as Rust's
/// `char::is_whitespace` and the explicit class in `static/search/tokenize.js`.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// The index tokens of already normalized text, in order of occurrence (with repeats):
/// every Han character, every pair of adjacent Han characters, every word.
pub fn tokens(norm: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_token(norm, |t| out.push(t.to_string()));
    out
}

/// [`tokens`] without copies: each token is handed to `f` as the slice of `norm` it is
/// (a character, two adjacent characters or a word are all contiguous in the text).
pub(crate) fn each_token<'a>(norm: &'a str, mut f: impl FnMut(&'a str)) {
    // Where the current word starts, and where the previous character started if it
    // was Han.
    let mut word: Option<usize> = None;
    let mut prev_han: Option<usize> = None;
    for (i, c) in norm.char_indices() {
        if is_han(c) {
            if let Some(w) = word.take() {
                f(&norm[w..i]);
            }
            let end = i + c.len_utf8();
            f(&norm[i..end]);
            if let Some(p) = prev_han {
                f(&norm[p..end]);
            }
            prev_han = Some(i);
        } else {
            prev_han = None;
            if is_word_char(c) {
                word.get_or_insert(i);
            } else if let Some(w) = word.take() {
                f(&norm[w..i]);
            }
        }
    }
    if let Some(w) = word {
        f(&norm[w..]);
    }
}

/// The words of a query, normalized: split at white space, except inside double quotes
/// (`"belt and road"` is one word, its inner white space collapsed to one space). Empty
/// words are dropped; a word is kept even if it has no token (`(` alone), so that it
/// still has to occur in the unit.
pub fn query_words(query: &str) -> Vec<String> {
    let norm = normalize(query);
    let mut words = Vec::new();
    for (i, part) in norm.split('"').enumerate() {
        if i % 2 == 1 {
            let phrase: Vec<&str> = part.split(is_space).filter(|w| !w.is_empty()).collect();
            if !phrase.is_empty() {
                words.push(phrase.join(" "));
            }
        } else {
            words.extend(
                part.split(is_space)
                    .filter(|w| !w.is_empty())
                    .map(str::to_string),
            );
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_width_and_case() {
        assert_eq!(normalize("（八）"), "(八)");
        assert_eq!(normalize("Ｂｅｌｔ　and ROAD"), "belt and road");
        assert_eq!(normalize("①"), "1");
    }

    #[test]
    fn simple_folds_agree_with_the_full_algorithm() {
        let mut simple = 0;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if let Some(f) = simple_fold(c) {
                simple += 1;
                let full = full_normalize(&c.to_string());
                assert_eq!(full, f.to_string(), "U+{:04X}", c as u32);
                // A simple character stays itself beside a combining mark or another
                // simple character.
                assert_eq!(
                    full_normalize(&format!("{c}a\u{301}")),
                    format!("{f}\u{e1}"),
                    "U+{:04X}",
                    c as u32
                );
                assert_eq!(full_normalize(&format!("{c}{c}")), format!("{f}{f}"));
            }
        }
        assert!(simple > 21_000, "{simple}");
        // Text with other characters goes through the full algorithm.
        assert_eq!(normalize("Ａ①ﬁ Ǆ é"), full_normalize("Ａ①ﬁ Ǆ é"));
        assert_eq!(normalize("ΣΑΣ."), "σας.");
    }

    #[test]
    fn han_unigrams_and_bigrams_words_and_numbers() {
        assert_eq!(
            tokens(&normalize("一带一路 Belt-and-Road 2020年")),
            [
                "一", "带", "一带", "一", "带一", "路", "一路", "belt", "and", "road", "2020", "年"
            ]
        );
    }

    #[test]
    fn query_words_keep_quoted_phrases() {
        assert_eq!(
            query_words(r#"  "Belt  and Road"  西部 (8)"#),
            ["belt and road", "西部", "(8)"]
        );
        assert!(query_words("   ").is_empty());
        assert_eq!(query_words("\"unclosed phrase"), ["unclosed phrase"]);
    }
}
