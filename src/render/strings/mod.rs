//! Every interface string of the site, one table per language: [`zh`] and [`en`], keyed
//! identically. Code looks a string up by key ([`get`], [`fill`] for one with `{name}`
//! placeholders); templates read the table of the page's language as `ui.<key>`.
//!
//! The tables are Rust constants rather than data files (TOML, YAML) read at run time:
//! they are checked when the crate compiles, need no parser and no error path at run
//! time, and a missing key fails the unit tests below (both tables have the same keys,
//! none with an empty text) instead of a page. Chinese is used for language tags `zh*`,
//! English for every other.

mod en;
mod zh;

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// One language's strings: key ─► text.
pub(crate) type Table = BTreeMap<&'static str, &'static str>;

/// Whether a language tag is Chinese.
pub(crate) fn is_zh(lang: &str) -> bool {
    lang == "zh" || lang.starts_with("zh-")
}

/// The table of a page in `lang`: Chinese for `zh*`, English otherwise. Made once per
/// process.
pub(crate) fn strings(lang: &str) -> &'static Table {
    static TABLES: OnceLock<[Table; 2]> = OnceLock::new();
    &TABLES.get_or_init(|| {
        [
            zh::STRINGS.iter().copied().collect(),
            en::STRINGS.iter().copied().collect(),
        ]
    })[usize::from(!is_zh(lang))]
}

/// The string `key` in `lang`.
///
/// # Panics
///
/// If no table has `key`: a fault of the code, which the tests catch.
pub(crate) fn get(lang: &str, key: &str) -> &'static str {
    match strings(lang).get(key) {
        Some(s) => s,
        None => panic!("no interface string `{key}`"),
    }
}

/// The string `key` in `lang`, an owned copy.
pub(crate) fn tr(lang: &str, key: &str) -> String {
    get(lang, key).to_string()
}

/// The string `key` in `lang` with each `{name}` replaced by its value in `args`; the
/// values are not searched for placeholders again.
pub(crate) fn fill(lang: &str, key: &str, args: &[(&str, &str)]) -> String {
    substitute(get(lang, key), args)
}

/// `text` with each `{name}` of `args` replaced; other braces stay.
fn substitute(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// [`strings`] as a template value (`ui`), made once per process.
pub(crate) fn value(lang: &str) -> minijinja::Value {
    static VALUES: OnceLock<[minijinja::Value; 2]> = OnceLock::new();
    VALUES.get_or_init(|| {
        [
            minijinja::Value::from(minijinja::value::Serde(strings("zh"))),
            minijinja::Value::from(minijinja::value::Serde(strings("en"))),
        ]
    })[usize::from(!is_zh(lang))]
    .clone()
}

/// Whether two language tags name the same language for the `lang` attribute's purpose.
pub(crate) fn same_lang(a: &str, b: &str) -> bool {
    let base = |s: &str| s.split('-').next().unwrap_or(s).to_ascii_lowercase();
    base(a) == base(b)
}

/// The `lang` to set on an element in `lang` inside a page in `page_lang`, if any.
pub(crate) fn lang_if_other(lang: &str, page_lang: &str) -> Option<String> {
    (!same_lang(lang, page_lang)).then(|| lang.to_string())
}

/// The display name of a document kind (`guideline`) in `lang`; the kind itself where
/// the tables do not name it.
pub(crate) fn kind_label(kind: &str, lang: &str) -> String {
    match strings(lang).get(format!("kind_{kind}").as_str()) {
        Some(s) => s.to_string(),
        None => kind.to_string(),
    }
}

/// The name of language `tag`, in the language `ui_lang` (`中文`, `English`, …); the tag
/// itself for a language the tables do not name.
pub(crate) fn lang_name(tag: &str, ui_lang: &str) -> String {
    let base = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    match strings(ui_lang).get(format!("lang_{base}").as_str()) {
        Some(name) => name.to_string(),
        None => tag.to_string(),
    }
}

/// The name of language `tag` in that language itself (`中文`, `English`): the text of a
/// link to a version in that language.
pub(crate) fn autonym(tag: &str) -> String {
    lang_name(tag, tag)
}

/// A Chinese numeral for `n` (1–999), as printed in part labels: `四`, `十二`, `二十`.
pub(crate) fn zh_numeral(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 || n > 999 {
        return n.to_string();
    }
    let (h, t, u) = (n / 100, (n / 10) % 10, n % 10);
    let mut s = String::new();
    if h > 0 {
        s.push_str(D[h as usize]);
        s.push('百');
    }
    if t > 0 {
        if !(h == 0 && t == 1) {
            s.push_str(D[t as usize]);
        }
        s.push('十');
    } else if h > 0 && u > 0 {
        s.push('零');
    }
    if u > 0 {
        s.push_str(D[u as usize]);
    }
    s
}

/// The label of part `n` as the build supplies it when the source lacks it, in the style
/// of the version's language: `四、` in Chinese, `4.` otherwise.
pub(crate) fn supplied_part_label(n: u32, lang: &str) -> String {
    let n = if is_zh(lang) {
        zh_numeral(n)
    } else {
        n.to_string()
    };
    fill(lang, "part_label", &[("n", &n)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        let got: Vec<String> = [1, 4, 10, 11, 20, 36, 100, 105, 110]
            .iter()
            .map(|n| zh_numeral(*n))
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "四",
                "十",
                "十一",
                "二十",
                "三十六",
                "一百",
                "一百零五",
                "一百一十"
            ]
        );
        assert_eq!(supplied_part_label(4, "zh-Hans"), "四、");
        assert_eq!(supplied_part_label(4, "en"), "4.");
    }

    #[test]
    fn both_tables_have_the_same_keys_each_once_and_no_empty_text() {
        for table in [zh::STRINGS, en::STRINGS] {
            let keys: std::collections::BTreeSet<_> = table.iter().map(|(k, _)| k).collect();
            assert_eq!(keys.len(), table.len(), "a key stands twice");
            let empty: Vec<_> = table.iter().filter(|(_, v)| v.trim().is_empty()).collect();
            assert!(empty.is_empty(), "empty strings: {empty:?}");
        }
        let zh: Vec<_> = strings("zh-Hans").keys().collect();
        let en: Vec<_> = strings("en").keys().collect();
        assert_eq!(zh, en);
        assert_eq!(get("zh-Hans", "contents"), "目录");
        assert_eq!(get("en", "contents"), "Contents");
    }

    #[test]
    fn both_tables_have_the_same_placeholders() {
        let names = |s: &str| {
            let mut out: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            out.sort();
            out
        };
        for (key, z) in zh::STRINGS {
            assert_eq!(names(z), names(get("en", key)), "{key}");
        }
    }

    #[test]
    fn placeholders_are_filled_once() {
        assert_eq!(
            fill("en", "text_changed", &[("date", "2020-01-02")]),
            "Text changed since 2020-01-02"
        );
        assert_eq!(
            substitute("{a} {b} {c", &[("a", "{b}"), ("b", "x")]),
            "{b} x {c"
        );
        assert_eq!(lang_name("zh-Hans", "en"), "Chinese");
        assert_eq!(lang_name("en", "zh"), "英文");
        assert_eq!(lang_name("ko", "en"), "ko");
        assert_eq!(autonym("fr"), "French");
    }
}
