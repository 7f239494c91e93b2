//! Character classes and the language of a text.
//!
//! One notion of a Han character serves every stage: [`is_han`], the CJK ideographs of
//! every block with the radicals and the ideographic marks `〇` and `々`. Search
//! tokenizes by it, and `static/search.js` tokenizes queries by the same ranges, so the
//! two agree character for character.

/// Whether `c` is a Han character: the CJK unified ideographs of the basic block
/// (U+4E00–U+9FFF), extension A (U+3400–U+4DBF) and the supplementary ideographic planes
/// (extension B and later, U+20000–U+3FFFF), the compatibility ideographs
/// (U+F900–U+FAFF), the CJK and Kangxi radicals (U+2E80–U+2FDF), `々` (U+3005), `〇`
/// (U+3007) and the Hangzhou numerals (U+3021–U+3029, U+3038–U+303B). The same ranges
/// stand in `static/search/tokenize.js`.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF
        | 0x3005
        | 0x3007
        | 0x3021..=0x3029
        | 0x3038..=0x303B
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// Whether `c` belongs to CJK writing: a Han character ([`is_han`]), CJK or full-width
/// punctuation (U+3000–U+303F, U+FF00–U+FFEF), or a dash, ellipsis or curly quote as
/// Chinese text uses them (`—`, `…`, `“”‘’`).
pub(crate) fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '\u{2014}' | '\u{2026}' | '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}')
}

/// Whether `text` holds any Han character ([`is_han`]).
pub(crate) fn has_han(text: &str) -> bool {
    text.chars().any(is_han)
}

/// The language of a document's text: `zh-Hans` where its Han characters weigh at least
/// as much as its Latin letters (one Han character against three letters, about a short
/// word), else `en`. Only the first 20,000 characters are counted.
pub(crate) fn detect_lang(text: &str) -> &'static str {
    let (mut han, mut latin) = (0usize, 0usize);
    for c in text.chars().take(20_000) {
        if is_han(c) {
            han += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    if han * 3 >= latin { "zh-Hans" } else { "en" }
}

/// The language of a short label such as the site's title: `zh-Hans` if it holds any
/// Han character, else `en`. Unlike [`detect_lang`], one Han character in an English
/// label makes it Chinese: marked `zh-Hans`, its Han characters get Chinese glyphs, and
/// its Latin letters look the same under either tag.
pub(crate) fn label_lang(text: &str) -> &'static str {
    if has_han(text) { "zh-Hans" } else { "en" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_is_the_ideographs_radicals_and_marks() {
        for c in [
            '一',
            '龥',
            '㐀',
            '䶿',
            '豈',
            '〇',
            '々',
            '〡',
            '〸',
            '⺀',
            '⿕',
            '𠀀',
            '𠮷',
            '\u{3FFFF}',
        ] {
            assert!(is_han(c), "{c} is Han");
        }
        for c in ['A', '1', '，', '。', '〄', 'あ', '한', '\u{40000}'] {
            assert!(!is_han(c), "{c} is not Han");
        }
    }

    #[test]
    fn cjk_is_han_and_its_punctuation() {
        for c in [
            '一', '𠮷', '，', '。', '、', '（', '“', '—', '…', '\u{3000}',
        ] {
            assert!(is_cjk(c), "{c:?} is CJK");
        }
        for c in ['a', ',', '.', '(', '"', ' ', '-'] {
            assert!(!is_cjk(c), "{c:?} is not CJK");
        }
    }

    #[test]
    fn document_language_weighs_han_against_letters() {
        assert_eq!(
            detect_lang("为贯彻落实《意见》精神，提出如下实施意见。"),
            "zh-Hans"
        );
        assert_eq!(
            detect_lang("Strengthening measures to promote the west."),
            "en"
        );
        // Three letters weigh as much as one Han character.
        assert_eq!(detect_lang("abc 中"), "zh-Hans");
        assert_eq!(detect_lang("abcd 中"), "en");
        assert_eq!(detect_lang(""), "zh-Hans");
    }

    #[test]
    fn a_label_with_any_han_is_chinese() {
        assert_eq!(label_lang("Policy Library 政策"), "zh-Hans");
        assert_eq!(detect_lang("Policy Library 政策"), "en");
        assert_eq!(label_lang("Policy Library"), "en");
        assert_eq!(label_lang("2024"), "en");
        assert!(has_han("第1条") && !has_han("No. 1"));
    }
}
