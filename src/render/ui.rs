//! The strings of the page chrome, in the page's language (Chinese or English).

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Whether a language tag is Chinese.
pub fn is_zh(lang: &str) -> bool {
    lang == "zh" || lang.starts_with("zh-")
}

/// The UI strings for a page in `lang`: Chinese for `zh*`, English otherwise.
/// Templates read them as `ui.<key>`. Made once per process.
pub fn strings(lang: &str) -> &'static BTreeMap<&'static str, &'static str> {
    static TABLES: OnceLock<[BTreeMap<&'static str, &'static str>; 2]> = OnceLock::new();
    &TABLES.get_or_init(|| [table(true), table(false)])[usize::from(!is_zh(lang))]
}

/// [`strings`] as a template value, made once per process.
pub fn value(lang: &str) -> minijinja::Value {
    static VALUES: OnceLock<[minijinja::Value; 2]> = OnceLock::new();
    VALUES.get_or_init(|| {
        [
            minijinja::Value::from(minijinja::value::Serde(strings("zh"))),
            minijinja::Value::from(minijinja::value::Serde(strings("en"))),
        ]
    })[usize::from(!is_zh(lang))]
    .clone()
}

/// The UI strings in Chinese (`zh`) or English.
fn table(zh: bool) -> BTreeMap<&'static str, &'static str> {
    let pairs: &[(&str, &str, &str)] = &[
        ("lang", "zh-Hans", "en"),
        (
            "integrity",
            "源文本完整性报告",
            "Integrity of the source texts",
        ),
        ("contents", "目录", "Contents"),
        ("copy_link", "复制链接", "Copy link"),
        ("copied", "已复制", "Copied"),
        (
            "copy_failed",
            "无法自动复制，请手动复制此链接：",
            "Could not copy automatically; copy this link:",
        ),
        ("back_to_library", "返回文库", "Back to the library"),
        ("library", "文库", "Library"),
        ("skip_to_text", "跳到正文", "Skip to the text"),
        ("permalink_clause", "本条链接", "Link to this clause"),
        ("permalink_part", "本部分链接", "Link to this part"),
        ("permalink_para", "本段链接", "Link to this paragraph"),
        ("permalink", "链接", "Link"),
        ("languages", "语言版本", "Languages"),
        ("parallel", "对照阅读", "Side by side"),
        ("this_version", "当前版本", "this version"),
        ("original", "原文", "original"),
        ("translation", "译文", "translation"),
        ("date", "日期", "Date"),
        ("source_file", "来源文件", "Source file"),
        ("relations", "相关文献", "Related documents"),
        ("documents", "文献", "Documents"),
        (
            "title_from_manifest",
            "标题据文库目录补",
            "title supplied by the library's catalogue",
        ),
        (
            "title_from_file",
            "标题据文件名补",
            "title derived from the file name",
        ),
        (
            "supplied_heading",
            "原文缺此标题",
            "heading missing from the source text",
        ),
        (
            "supplied_label",
            "编号为补充，原文无",
            "number supplied; not in the source text",
        ),
        ("about", "关于本文库", "About this library"),
        ("gap_note", "此版本无对应内容", "not in this version"),
        ("show_columns", "显示", "Show"),
        ("show_both", "双语", "Both"),
        ("show_only", "仅", "only"),
        (
            "paragraph_pairing",
            "本段句子未能可靠对应，按整段对照",
            "sentences not paired with confidence; the paragraph is paired as a whole",
        ),
        ("not_found_title", "页面不存在", "Page not found"),
        (
            "not_found_text",
            "此地址没有页面。链接可能有误，或页面已移动。",
            "There is no page at this address. The link may be mistyped, or the page has moved.",
        ),
        ("go_back", "返回上一页", "Go back"),
        (
            "to_library",
            "前往文库首页",
            "Go to the library's front page",
        ),
        ("kind_guideline", "指导意见", "Guidelines"),
        ("kind_implementation", "实施意见", "Implementing opinions"),
        ("kind_news", "新闻报道", "News reports"),
        ("rel_implements", "实施依据", "implements"),
        ("rel_implements_inv", "实施文件", "implemented by"),
        ("rel_reports-on", "报道对象", "reports on"),
        ("rel_reports-on_inv", "相关报道", "reported on by"),
        ("rel_cites", "引用", "cites"),
        ("rel_cites_inv", "被引用", "cited by"),
        ("rel_translates", "翻译自", "translates"),
        ("rel_translates_inv", "译本", "translated by"),
        ("lang_zh", "中文", "Chinese"),
        ("lang_en", "英文", "English"),
        (
            "footer_note",
            "本站由 clausebook 生成，可离线阅读。",
            "Built with clausebook; readable offline.",
        ),
    ];
    pairs
        .iter()
        .map(|(k, z, e)| (*k, if zh { *z } else { *e }))
        .collect()
}

/// The name of language `tag`, in the language `ui_lang` (`中文`, `English`, …).
pub fn lang_name(tag: &str, ui_lang: &str) -> String {
    let zh = is_zh(ui_lang);
    let base = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let name = match (base.as_str(), zh) {
        ("zh", true) => "中文",
        ("zh", false) => "Chinese",
        ("en", true) => "英文",
        ("en", false) => "English",
        ("fr", true) => "法文",
        ("fr", false) => "French",
        ("de", true) => "德文",
        ("de", false) => "German",
        ("ja", true) => "日文",
        ("ja", false) => "Japanese",
        ("ru", true) => "俄文",
        ("ru", false) => "Russian",
        _ => return tag.to_string(),
    };
    name.to_string()
}

/// The name of language `tag` in that language itself (`中文`, `English`): the text of a
/// link to a version in that language.
pub fn autonym(tag: &str) -> String {
    lang_name(tag, tag)
}

/// A Chinese numeral for `n` (1–999), as printed in part labels: `四`, `十二`, `二十`.
pub fn zh_numeral(n: u32) -> String {
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
pub fn supplied_part_label(n: u32, lang: &str) -> String {
    if is_zh(lang) {
        format!("{}、", zh_numeral(n))
    } else {
        format!("{n}.")
    }
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
    fn both_languages_have_the_same_keys() {
        let zh: Vec<_> = strings("zh-Hans").keys().collect();
        let en: Vec<_> = strings("en").keys().collect();
        assert_eq!(zh, en);
        assert_eq!(strings("zh-Hans")["contents"], "目录");
        assert_eq!(strings("en")["contents"], "Contents");
    }
}
