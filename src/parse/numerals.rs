//! Numbers as documents print them: Chinese numerals, English ordinals, circled digits.

/// Parses a Chinese numeral such as `三`, `十六`, `二十一`, `九十九`, `一百零一`,
/// `一百二十`, `两千` (also with `〇`/`零` and the financial `壹贰叁`).
/// Returns `None` for an empty string or any other character.
pub(crate) fn chinese_numeral(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '〇' | '零' => 0,
            '一' | '壹' => 1,
            '二' | '两' | '贰' => 2,
            '三' | '叁' => 3,
            '四' | '肆' => 4,
            '五' | '伍' => 5,
            '六' | '陆' => 6,
            '七' | '柒' => 7,
            '八' | '捌' => 8,
            '九' | '玖' => 9,
            _ => return None,
        })
    };
    let unit = |c: char| -> Option<u32> {
        Some(match c {
            '十' | '拾' => 10,
            '百' | '佰' => 100,
            '千' | '仟' => 1000,
            '万' => 10000,
            _ => return None,
        })
    };
    let mut total = 0u32;
    let mut section = 0u32;
    let mut pending: Option<u32> = None;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            pending = Some(d);
        } else if let Some(u) = unit(c) {
            // A number beyond u32 is no label anyone prints: not a numeral.
            if u == 10000 {
                section = section
                    .checked_add(pending.take().unwrap_or(0))?
                    .checked_mul(u)?;
                total = total.checked_add(section)?;
                section = 0;
            } else {
                // `十六` = 16: a unit without a digit before it counts once.
                section = section.checked_add(pending.take().unwrap_or(1) * u)?;
            }
        } else {
            return None;
        }
    }
    total
        .checked_add(section)?
        .checked_add(pending.unwrap_or(0))
}

/// The number of an English ordinal word at the start of a heading: `First` … `Twentieth`,
/// `Twenty-first` … `Ninety-ninth`, case-insensitive. Returns `None` for other words.
pub(crate) fn english_ordinal(word: &str) -> Option<u32> {
    const ONES: [&str; 19] = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
    ];
    const TENS: [(&str, &str, u32); 8] = [
        ("twentieth", "twenty", 20),
        ("thirtieth", "thirty", 30),
        ("fortieth", "forty", 40),
        ("fiftieth", "fifty", 50),
        ("sixtieth", "sixty", 60),
        ("seventieth", "seventy", 70),
        ("eightieth", "eighty", 80),
        ("ninetieth", "ninety", 90),
    ];
    let w = word.to_ascii_lowercase();
    if let Some(i) = ONES.iter().position(|o| *o == w) {
        return Some(i as u32 + 1);
    }
    for (ord, card, n) in TENS {
        if w == ord {
            return Some(n);
        }
        if let Some(rest) = w.strip_prefix(card).and_then(|r| r.strip_prefix('-')) {
            let i = ONES[..9].iter().position(|o| *o == rest)?;
            return Some(n + i as u32 + 1);
        }
    }
    None
}

/// The number of an English cardinal word (`One` … `Twenty`), for `Chapter One`.
pub(crate) fn english_cardinal(word: &str) -> Option<u32> {
    const W: [&str; 20] = [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    let w = word.to_ascii_lowercase();
    W.iter().position(|x| *x == w).map(|i| i as u32 + 1)
}

/// The value of a Roman numeral (`I`, `IV`, `XII`), up to 399; `None` otherwise.
pub(crate) fn roman_numeral(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 12 {
        return None;
    }
    let val = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        _ => None,
    };
    let vals: Option<Vec<u32>> = s.chars().map(val).collect();
    let vals = vals?;
    let mut total = 0i64;
    for (i, &v) in vals.iter().enumerate() {
        if vals.get(i + 1).is_some_and(|&n| n > v) {
            total -= v as i64;
        } else {
            total += v as i64;
        }
    }
    (total > 0).then_some(total as u32)
}

/// The number of a circled digit `①`…`⑳` (and `㉑`…`㉟`).
pub(crate) fn circled(c: char) -> Option<u32> {
    match c {
        '①'..='⑳' => Some(c as u32 - '①' as u32 + 1),
        '㉑'..='㉟' => Some(c as u32 - '㉑' as u32 + 21),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        let cases = [
            ("一", 1),
            ("十", 10),
            ("十六", 16),
            ("二十", 20),
            ("二十一", 21),
            ("三十六", 36),
            ("九十九", 99),
            ("一百", 100),
            ("一百零一", 101),
            ("一百二十", 120),
            ("一百二十三", 123),
            ("两千零五", 2005),
            ("壹拾贰", 12),
        ];
        for (s, n) in cases {
            assert_eq!(chinese_numeral(s), Some(n), "{s}");
        }
        assert_eq!(chinese_numeral(""), None);
        assert_eq!(chinese_numeral("十a"), None);
        assert_eq!(chinese_numeral("总体"), None);
        // Beyond u32: not a numeral (no panic, no wrapped number).
        assert_eq!(chinese_numeral(&"九千万".repeat(50)), None);
        assert_eq!(chinese_numeral("四十二亿"), None);
    }

    #[test]
    fn ordinals_and_others() {
        assert_eq!(english_ordinal("Sixth"), Some(6));
        assert_eq!(english_ordinal("first"), Some(1));
        assert_eq!(english_ordinal("Twentieth"), Some(20));
        assert_eq!(english_ordinal("Twenty-first"), Some(21));
        assert_eq!(english_ordinal("Ninety-ninth"), Some(99));
        assert_eq!(english_ordinal("Further"), None);
        assert_eq!(english_cardinal("Three"), Some(3));
        assert_eq!(roman_numeral("XIV"), Some(14));
        assert_eq!(roman_numeral("Z"), None);
        assert_eq!(circled('①'), Some(1));
        assert_eq!(circled('⑳'), Some(20));
        assert_eq!(circled('㉑'), Some(21));
        assert_eq!(circled('a'), None);
    }
}
