//! Evidence beyond length that two passages translate each other: the numbers and the
//! quoted names both contain.
//!
//! **Numbers** are normalized across scripts to ASCII digits: `2035年` and `2035` are
//! `2035`; `20.5%`, `２０.５％`, `百分之二十点五`, `20.5 percent` are `20.5%`; Chinese
//! numerals are read where they are certainly numbers, that is as a run of two or more
//! numeral characters holding `十`, `百`, `千`, `万` or `亿` (`十九` 19, `二十五` 25, `三千`
//! 3000; `十四五` gives 14, as `14th Five-Year` does), a year written digit by digit
//! before `年` (`二〇三五年` 2035), or after `百分之`. A lone numeral character is not
//! read: `一` is in 统一 and 一流, `四` in 四川, `三` in 三江源. Digits before `万`, `亿`
//! and `万亿`, and before `thousand`, `million`, `billion`, `trillion`, are multiplied
//! out (`1.5万` and `15,000` are `15000`).
//!
//! **Quoted names** are the quotations of a passage: `“…”`, `「…」`, `《…》` in Chinese,
//! `"…"` and `“…”` in English. Two names are the same unit of translation when they hold
//! the same place among the quoted names of a pair of passages (paragraphs paired with
//! each other, or the text blocks of a pair of units) that quote equally many names, and
//! the numbers inside them do not disagree; where the counts differ, only names whose
//! inner numbers agree and are not empty are linked, in order. See [`link_names`].

/// Whether `c` is a Chinese numeral character (digit or multiplier).
fn is_zh_numeral(c: char) -> bool {
    zh_digit(c).is_some() || zh_multiplier(c).is_some()
}

fn zh_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn zh_multiplier(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        '万' => 10_000,
        '亿' => 100_000_000,
        _ => return None,
    })
}

/// The values of a run of Chinese numerals: one value per well-formed number in it
/// (`十四五` is 14 and then 5). With `digit_by_digit`, a run of digits without
/// multipliers is one number read digit by digit (`二〇三五`); otherwise each such
/// digit stands alone.
fn zh_values(run: &[char], digit_by_digit: bool) -> Vec<(u64, usize)> {
    if digit_by_digit && run.iter().all(|c| zh_digit(*c).is_some()) {
        let v = run.iter().fold(0u64, |v, c| {
            v.saturating_mul(10) + zh_digit(*c).unwrap_or(0)
        });
        return vec![(v, run.len())];
    }
    // (value, characters it spans)
    let mut out = Vec::new();
    let mut i = 0;
    while i < run.len() {
        let start = i;
        // Below 万, the section being read, and the digit before a multiplier.
        let (mut total, mut section, mut digit) = (0u64, 0u64, None::<u64>);
        while i < run.len() {
            let c = run[i];
            if let Some(d) = zh_digit(c) {
                match digit {
                    // 零 holds a place: 一百零五.
                    Some(0) | None => digit = Some(d),
                    Some(_) => break, // two digits in a row: a new number begins
                }
            } else if let Some(m) = zh_multiplier(c) {
                let n = digit.take();
                if m < 10_000 {
                    section += n.unwrap_or(1) * m;
                } else {
                    let part = section + n.unwrap_or(0);
                    let part = if part == 0 && total == 0 { 1 } else { part };
                    if m == 10_000 {
                        total += part * m;
                    } else {
                        total = (total + part) * m;
                    }
                    section = 0;
                }
            }
            i += 1;
        }
        out.push((total + section + digit.unwrap_or(0), i - start));
    }
    out
}

/// `x` written without a needless fraction: `15000`, `20.5`.
fn plain(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e18 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The English word at the start of `rest` (after spaces), lowercased.
fn next_word(rest: &[char]) -> String {
    rest.iter()
        .skip_while(|c| **c == ' ')
        .take_while(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The numbers of `text`, normalized to ASCII digits (see the module documentation):
/// thousands separators dropped, a percentage ending in `%`, multiplier words and
/// characters multiplied out.
pub(crate) fn numbers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '％' => '%',
            c => c,
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            let mut s = String::new();
            while i < chars.len() {
                let c = chars[i];
                if c.is_ascii_digit() {
                    s.push(c);
                } else if (c == '.' || c == ',')
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
                {
                    if c == '.' {
                        s.push('.');
                    }
                } else {
                    break;
                }
                i += 1;
            }
            let rest = &chars[i..];
            let after_baifenzhi = start >= 3 && chars[start - 3..start] == ['百', '分', '之'];
            if rest.first() == Some(&'%') || after_baifenzhi {
                out.push(format!("{s}%"));
                continue;
            }
            let word = next_word(rest);
            let spaces = rest.iter().take_while(|c| **c == ' ').count();
            let after_word = &rest[(spaces + word.len()).min(rest.len())..];
            if word == "percent" || (word == "per" && next_word(after_word) == "cent") {
                out.push(format!("{s}%"));
                continue;
            }
            let factor = match (rest.first(), rest.get(1), word.as_str()) {
                (Some('万'), Some('亿'), _) => Some(1e12),
                (Some('万'), _, _) => Some(1e4),
                (Some('亿'), _, _) => Some(1e8),
                (_, _, "thousand") => Some(1e3),
                (_, _, "million") => Some(1e6),
                (_, _, "billion") => Some(1e9),
                (_, _, "trillion") => Some(1e12),
                _ => None,
            };
            match (factor, s.parse::<f64>()) {
                (Some(f), Ok(v)) => out.push(plain(v * f)),
                _ => out.push(s),
            }
            continue;
        }
        if is_zh_numeral(c) {
            let start = i;
            while i < chars.len() && is_zh_numeral(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            let percent = start >= 3 && chars[start - 3..start] == ['百', '分', '之'];
            let year = chars.get(i) == Some(&'年') && run.len() == 4;
            // 百分之二十点五
            let mut fraction = String::new();
            if percent && chars.get(i) == Some(&'点') {
                let mut j = i + 1;
                while j < chars.len() && zh_digit(chars[j]).is_some() {
                    fraction.push(char::from(b'0' + zh_digit(chars[j]).unwrap_or(0) as u8));
                    j += 1;
                }
                if !fraction.is_empty() {
                    i = j;
                }
            }
            let values = zh_values(run, year);
            for (k, (v, span)) in values.iter().enumerate() {
                let certain = percent
                    || year
                    || (*span >= 2 && run.iter().any(|c| zh_multiplier(*c).is_some()));
                if !certain {
                    continue;
                }
                if percent && k == 0 {
                    if fraction.is_empty() {
                        out.push(format!("{v}%"));
                    } else {
                        out.push(format!("{v}.{fraction}%"));
                    }
                } else if *span >= 2 || year {
                    out.push(v.to_string());
                }
            }
            continue;
        }
        i += 1;
    }
    out
}

/// Opening and closing marks of quotations.
const QUOTE_MARKS: &[(char, char)] = &[('“', '”'), ('「', '」'), ('《', '》'), ('"', '"')];

/// The quoted names of `text`, in order, without their marks. A quotation left open
/// counts as a name up to the end of the text.
pub(crate) fn quoted_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        let Some(&(_, close)) = QUOTE_MARKS.iter().find(|(o, _)| *o == c) else {
            continue;
        };
        let name: String = chars.by_ref().take_while(|x| *x != close).collect();
        out.push(name.trim().to_string());
    }
    out
}

/// The numbers inside a quoted name other than 1 (`一` is mostly no number in a name:
/// 一流 first-class, 一路 road), sorted: 两不愁三保障 and "two worry-free and three
/// guarantees" both give `[2, 3]`. Lone Chinese numerals and English number words
/// count here, since a name is short and its numbers are its substance.
pub(crate) fn name_numbers(name: &str) -> Vec<u64> {
    const WORDS: &[(&str, u64)] = &[
        ("two", 2),
        ("double", 2),
        ("dual", 2),
        ("twin", 2),
        ("three", 3),
        ("triple", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("ten", 10),
        ("second", 2),
        ("third", 3),
        ("fourth", 4),
        ("fifth", 5),
    ];
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let s: String = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            i += s.len();
            out.extend(s.parse::<u64>().ok());
        } else if is_zh_numeral(c) || c == '双' {
            let start = i;
            while i < chars.len() && (is_zh_numeral(chars[i]) || chars[i] == '双') {
                i += 1;
            }
            let run: Vec<char> = chars[start..i]
                .iter()
                .map(|c| if *c == '双' { '二' } else { *c })
                .collect();
            out.extend(zh_values(&run, false).into_iter().map(|(v, _)| v));
        } else if c.is_ascii_alphabetic() {
            let w = next_word(&chars[i..]);
            i += w.len();
            out.extend(WORDS.iter().find(|(x, _)| *x == w).map(|(_, v)| *v));
        } else {
            i += 1;
        }
    }
    out.retain(|v| *v != 1);
    out.sort_unstable();
    out
}

/// Which quoted names of `a` and `b` (each a list of names in reading order, their inner
/// numbers from [`name_numbers`]) are the same unit of translation: pairs of indices,
/// in order. With equally many names on both sides, the k-th of one with the k-th of
/// the other, unless the numbers inside some pair disagree (both not empty and
/// different); otherwise, and when the counts differ, only names whose inner numbers
/// agree and are not empty, in order, each used once.
pub(crate) fn link_names(a: &[Vec<u64>], b: &[Vec<u64>]) -> Vec<(usize, usize)> {
    let disagree = |x: &Vec<u64>, y: &Vec<u64>| !x.is_empty() && !y.is_empty() && x != y;
    if a.len() == b.len() && !a.iter().zip(b).any(|(x, y)| disagree(x, y)) {
        return (0..a.len()).map(|k| (k, k)).collect();
    }
    let mut out = Vec::new();
    let mut from = 0;
    for (i, x) in a.iter().enumerate() {
        if x.is_empty() {
            continue;
        }
        if let Some(j) = (from..b.len()).find(|&j| b[j] == *x) {
            out.push((i, j));
            from = j + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_across_scripts() {
        assert_eq!(
            numbers("到2035年增长20.5%，共1,000人；第3"),
            vec!["2035", "20.5%", "1000", "3"]
        );
        // Percentages.
        for t in [
            "百分之二十",
            "20%",
            "２０％",
            "20 percent",
            "20 per cent",
            "百分之20",
        ] {
            assert_eq!(numbers(t), vec!["20%"], "{t}");
        }
        assert_eq!(numbers("百分之二十点五"), vec!["20.5%"]);
        // Years.
        assert_eq!(numbers("二〇三五年"), vec!["2035"]);
        assert_eq!(numbers("by 2035,"), vec!["2035"]);
        // Chinese numerals where they are certainly numbers.
        assert_eq!(numbers("党的十八大、十九大"), vec!["18", "19"]);
        assert_eq!(numbers("the 19th Central Committee"), vec!["19"]);
        assert_eq!(numbers("“十四五”时期"), vec!["14"]);
        assert_eq!(numbers("14th Five-Year Plan"), vec!["14"]);
        assert_eq!(
            numbers("三千人，二十五个，一百零五"),
            vec!["3000", "25", "105"]
        );
        assert_eq!(numbers("三万五千"), vec!["35000"]);
        // Multipliers.
        assert_eq!(numbers("1.5万人"), vec!["15000"]);
        assert_eq!(numbers("15,000 people"), vec!["15000"]);
        assert_eq!(numbers("3亿元"), vec!["300000000"]);
        assert_eq!(numbers("300 million yuan"), vec!["300000000"]);
        // Not numbers: lone numerals inside words, 十分 (very).
        assert!(numbers("统一大市场，四川、三江源，十分重要，千方百计").is_empty());
    }

    #[test]
    fn quoted_names_and_their_numbers() {
        assert_eq!(
            quoted_names("增强“四个意识”，落实《意见》和「三农」"),
            vec!["四个意识", "意见", "三农"]
        );
        assert_eq!(
            quoted_names("the \"four consciousnesses\" and “one-card”"),
            vec!["four consciousnesses", "one-card"]
        );
        assert_eq!(name_numbers("两不愁三保障"), vec![2, 3]);
        assert_eq!(
            name_numbers("two worry-free and three guarantees"),
            vec![2, 3]
        );
        assert_eq!(name_numbers("双一流"), vec![2]);
        assert_eq!(name_numbers("double first-class"), vec![2]);
        assert_eq!(name_numbers("五位一体"), name_numbers("five in one"));
        assert_eq!(name_numbers("中国制造2025"), vec![2025]);
        assert!(name_numbers("一带一路").is_empty());
    }

    #[test]
    fn names_link_by_place_and_numbers() {
        let n = |v: &[&str]| v.iter().map(|s| name_numbers(s)).collect::<Vec<_>>();
        // As many names on both sides: by place.
        let zh = n(&["四个意识", "四个自信", "两个维护"]);
        let en = n(&[
            "four consciousnesses",
            "four self-confidences",
            "two maintenances",
        ]);
        assert_eq!(link_names(&zh, &en), vec![(0, 0), (1, 1), (2, 2)]);
        // One name the translation does not quote: only names whose numbers agree.
        let en = n(&["four consciousnesses", "two maintenances"]);
        assert_eq!(link_names(&zh, &en), vec![(0, 0), (2, 1)]);
        // Equal counts whose numbers disagree are not paired by place.
        let en = n(&["two maintenances", "four consciousnesses", "x"]);
        assert_eq!(link_names(&zh, &en), vec![(0, 1)]);
        assert!(link_names(&[], &en).is_empty());
    }
}
