//! Markdown pages (`<seeds>/pages/*.md`) and code highlighting.
//!
//! Nothing in a page's Markdown becomes script, whatever template the page goes into
//! (a user's own `base.html` may have no Content Security Policy):
//!
//! - raw HTML is shown as text, never passed through: a page author's `<script>` appears
//!   on the page as `<script>`;
//! - a heading's attribute block (`# Title {#id .class key=value}`) keeps its `id` and
//!   classes only: `onclick=…`, `style=…` and every other attribute are dropped;
//! - links and images keep their address only where it is `http:`, `https:`, `mailto:`,
//!   relative or a fragment ([`safe_url`]); any other (`javascript:`, `data:`,
//!   `vbscript:`, `file:` …) makes the link its text alone, the image its alt text.
//!
//! Fenced code blocks are highlighted by syntect into CSS classes prefixed `hl-`, styled
//! by the generated `static/highlight.css`.

use super::error::RenderError;
use crate::base::text::detect_lang;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The prefix of every highlighting class.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A Markdown page, converted.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// The file stem: `about` for `pages/about.md`, written to `about.html`.
    pub name: String,
    /// The text of the first level-1 heading, else the name.
    pub title: String,
    /// The page's language, judged as a seed's is ([`detect_lang`]).
    pub lang: String,
    /// The HTML of the body.
    pub html: String,
}

/// Reads every `*.md` file of `dir` (not its subfolders), sorted by name.
pub(super) fn read_pages(dir: &Path) -> Result<Vec<Page>, RenderError> {
    let mut pages = Vec::new();
    if !crate::base::fs::is_real_dir(dir) {
        return Ok(pages);
    }
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| RenderError::io(dir, &e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| crate::base::fs::is_regular_file(p) && p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        let src = crate::base::fs::read_text_file(&path, dir, crate::base::fs::TEXT_CAP)
            .map_err(|e| RenderError::io(&path, &e))?;
        let title = first_heading(&src).unwrap_or_else(|| name.clone());
        let lang = detect_lang(&src);
        pages.push(Page {
            name,
            title,
            lang: lang.into(),
            html: markdown_to_html(&src),
        });
    }
    Ok(pages)
}

fn first_heading(src: &str) -> Option<String> {
    let mut in_h1 = false;
    let mut title = String::new();
    for ev in Parser::new_ext(src, options()) {
        match ev {
            Event::Start(Tag::Heading {
                level: pulldown_cmark::HeadingLevel::H1,
                ..
            }) => in_h1 = true,
            Event::End(TagEnd::Heading(_)) if in_h1 => return Some(title),
            Event::Text(t) | Event::Code(t) if in_h1 => title.push_str(&t),
            _ => {}
        }
    }
    None
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Whether a link or image address may stay in a page: `http:`, `https:` and `mailto:`
/// addresses, and those with no scheme (relative paths, `//host/…`, `?query`,
/// `#fragment`). The scheme is read as a browser reads it: after dropping leading and
/// trailing control characters and spaces, and tabs and line breaks anywhere
/// (`java\tscript:` is `javascript:`), in any case.
pub(super) fn safe_url(url: &str) -> bool {
    let url = url.trim_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    for c in url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        match c {
            ':' => {
                return matches!(
                    scheme.to_ascii_lowercase().as_str(),
                    "http" | "https" | "mailto"
                );
            }
            '/' | '?' | '#' => return true,
            _ => scheme.push(c),
        }
    }
    true
}

/// Converts Markdown to HTML: raw HTML is escaped, fenced code is highlighted, headings
/// get an `id` (their own `{#id}` or one made from their text) so they can be linked and
/// keep no attribute but it and their classes, and links and images whose address is
/// not [`safe_url`] become their text.
pub(super) fn markdown_to_html(src: &str) -> String {
    let mut events: Vec<Event> = Vec::new();
    let mut code: Option<(String, String)> = None; // (language, text)
    let mut heading: Option<(usize, String)> = None; // (index of start event, text)
    let mut used_ids: HashSet<String> = HashSet::new();
    // For each open link or image, whether its tags are dropped (an unsafe address).
    let mut dropped: Vec<bool> = Vec::new();
    for ev in Parser::new_ext(src, options()) {
        if let Some((_, text)) = code.as_mut() {
            match ev {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().unwrap_or_default();
                    events.push(Event::Html(CowStr::from(highlight(&lang, &text))));
                }
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            // Raw HTML is shown as text.
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h)),
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
                let drop = !safe_url(dest_url);
                dropped.push(drop);
                if !drop {
                    events.push(ev);
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if !dropped.pop().unwrap_or(false) {
                    events.push(ev);
                }
            }
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((events.len(), String::new()));
                events.push(ev);
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(t);
                }
                events.push(ev);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((i, text)) = heading.take()
                    && let Event::Start(Tag::Heading {
                        level, id, classes, ..
                    }) = events[i].clone()
                {
                    let id = match id {
                        Some(id) => id.to_string(),
                        None => unique_id(&slugify(&text), &used_ids),
                    };
                    used_ids.insert(id.clone());
                    // `id` and classes only: no `onclick`, `style` or other attribute.
                    events[i] = Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(id)),
                        classes,
                        attrs: Vec::new(),
                    });
                }
                events.push(ev);
            }
            other => events.push(other),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// An id made of a heading's letters and digits (Han characters kept), words joined by `-`.
fn slugify(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() { "section".into() } else { s }
}

fn unique_id(base: &str, used: &HashSet<String>) -> String {
    if !used.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !used.contains(c))
        .unwrap_or_default()
}

/// Escapes `& < > " '` for HTML text and attribute values: the one escaping of the
/// site, of template values as of the pages and notes the build writes itself.
pub(crate) fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    escape_into(&mut s, text).expect("writing to a String does not fail");
    s
}

/// [`escape`], written to `out` in runs: the text between two characters to escape goes
/// out in one piece, without a copy.
pub(super) fn escape_into(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    // Most values hold nothing to escape, which two vectorized scans tell.
    let bytes = text.as_bytes();
    if memchr::memchr3(b'<', b'>', b'&', bytes).is_none()
        && memchr::memchr2(b'"', b'\'', bytes).is_none()
    {
        return out.write_str(text);
    }
    let mut from = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[from..i])?;
        out.write_str(entity)?;
        from = i + 1;
    }
    out.write_str(&text[from..])
}

/// Highlights `code` written in `lang` (a fence's info word: `yaml`, `rust`, `sh`) as
/// `<pre class="hl"><code>` with `hl-` classes; unknown languages come out escaped, plain.
pub(super) fn highlight(lang: &str, code: &str) -> String {
    let ss = syntaxes();
    let syntax = if lang.is_empty() {
        None
    } else {
        ss.find_syntax_by_token(lang)
    };
    let lang_class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(lang))
    };
    let body = match syntax {
        Some(syntax) => {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, ss, CLASS_STYLE);
            let mut ok = true;
            for line in LinesWithEndings::from(code) {
                if generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_err()
                {
                    ok = false;
                    break;
                }
            }
            if ok {
                generator.finalize()
            } else {
                escape(code)
            }
        }
        None => escape(code),
    };
    format!("<pre class=\"hl\"><code{lang_class}>{body}</code></pre>\n")
}

/// The highlight stylesheet: a light theme, and a dark one under
/// `@media (prefers-color-scheme: dark)`.
pub(super) fn highlight_css() -> &'static str {
    // Made from the themes once and kept in `static/` (the test below checks that it is
    // what the themes give), so a build does not load every theme to write it.
    include_str!("../../static/highlight.css")
}

#[cfg(test)]
mod tests {
    use super::*;
    use syntect::highlighting::ThemeSet;
    use syntect::html::css_for_theme_with_class_style;

    #[test]
    fn a_page_s_language_is_judged_as_a_seed_s() {
        let dir = tempfile::tempdir().unwrap();
        // Chinese prose with a link and a code block: more Latin letters than Han
        // characters, yet Chinese.
        std::fs::write(
            dir.path().join("zh.md"),
            "# 关于本站\n\n本站收录政策文件及其译文，详见 <https://example.org/clausebook/about>。\n\n```yaml\nslug: guideline\n```\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("en.md"), "# About\n\nThe 政策 pages.\n").unwrap();
        let pages = read_pages(dir.path()).unwrap();
        let langs: Vec<(&str, &str)> = pages
            .iter()
            .map(|p| (p.name.as_str(), p.lang.as_str()))
            .collect();
        assert_eq!(langs, [("en", "en"), ("zh", "zh-Hans")]);
    }

    #[test]
    fn fenced_yaml_is_highlighted_with_classes() {
        let html = markdown_to_html("```yaml\nslug: guideline\nkind: guideline\n```\n");
        assert!(
            html.contains("<pre class=\"hl\"><code class=\"language-yaml\">"),
            "{html}"
        );
        assert!(html.contains("class=\"hl-"), "{html}");
    }

    #[test]
    fn escape_writes_entities_for_the_five_characters_only() {
        assert_eq!(escape("西部 / plain"), "西部 / plain");
        assert_eq!(
            escape("<a href=\"x\">Tom's & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;"
        );
        for c in ["<", ">", "&", "\"", "'"] {
            assert_ne!(escape(&format!("一{c}二")), format!("一{c}二"), "{c}");
        }
        assert_eq!(escape(""), "");
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = markdown_to_html("Hi <script>alert(1)</script>\n\n<div onclick=x>y</div>\n");
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<div"), "{html}");
    }

    #[test]
    fn heading_attributes_keep_id_and_classes_only() {
        let html = markdown_to_html(
            "# Title {#top .lead onclick=alert(1) style=color:red onmouseover=\"x()\"}\n\n## Next {data-x=1 .a .b}\n",
        );
        assert!(
            html.contains("<h1 id=\"top\" class=\"lead\">Title</h1>"),
            "{html}"
        );
        assert!(
            html.contains("<h2 id=\"next\" class=\"a b\">Next</h2>"),
            "{html}"
        );
        for bad in ["onclick", "style", "onmouseover", "data-x", "alert"] {
            assert!(!html.contains(bad), "{bad}: {html}");
        }
        // An id or class cannot leave its attribute.
        let html = markdown_to_html("# T {#a\"onclick=x .b\"onload=y}\n");
        assert!(
            !html.contains("\"onclick") && !html.contains("\"onload"),
            "{html}"
        );
    }

    #[test]
    fn unsafe_links_and_images_become_text() {
        let src = "[one](javascript:alert(1)) [two](JAVASCRIPT:alert(2)) \
                   [three](java&#x09;script:alert(3)) [four](data:text/html,<script>x</script>) \
                   [five]( vbscript:msgbox ) <javascript:alert(6)> \
                   ![seven](javascript:alert(7)) ![eight](data:image/svg+xml,<svg/onload=x>) \
                   [nine][r]\n\n[r]: javascript:alert(9)\n";
        let html = markdown_to_html(src);
        assert!(!html.contains("<a"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.to_lowercase().contains("href"), "{html}");
        for text in [
            "one", "two", "three", "four", "five", "seven", "eight", "nine",
        ] {
            assert!(html.contains(text), "{text}: {html}");
        }
    }

    #[test]
    fn safe_links_and_images_stay() {
        let html = markdown_to_html(
            "[a](https://example.org/x) [b](http://e.org) [c](mailto:x@e.org) [d](guide.html#y) \
             [e](#z) [f](../up) [g](?q=1) <https://e.org/auto> <x@e.org> ![h](img/a.png)\n",
        );
        for href in [
            "href=\"https://example.org/x\"",
            "href=\"http://e.org\"",
            "href=\"mailto:x@e.org\"",
            "href=\"guide.html#y\"",
            "href=\"#z\"",
            "href=\"../up\"",
            "href=\"?q=1\"",
            "href=\"https://e.org/auto\"",
            "src=\"img/a.png\"",
        ] {
            assert!(html.contains(href), "{href}: {html}");
        }
        assert_eq!(html.matches("<a ").count(), 9, "{html}");
    }

    #[test]
    fn url_schemes() {
        for ok in [
            "https://a",
            "HTTP://a",
            "mailto:a@b",
            "a.html",
            "#x",
            "/x:y",
            "a/b:c",
            "?a:b",
            "",
        ] {
            assert!(safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:x",
            " javascript:x",
            "\u{1}javascript:x",
            "java\tscript:x",
            "jav\nascript:x",
            "JaVaScRiPt:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(!safe_url(bad), "{bad:?}");
        }
    }

    #[test]
    fn raw_html_with_handlers_is_text() {
        let html = markdown_to_html(
            "<img src=x onerror=alert(1)>\n\ntext <svg onload=alert(2)> and <a href=\"javascript:x\">y</a>\n\n<!-- c --><style>*{}</style>\n",
        );
        for bad in ["<img", "<svg", "<a", "<style", "<!--"] {
            assert!(!html.contains(bad), "{bad}: {html}");
        }
        assert!(html.contains("&lt;svg onload=alert(2)&gt;"), "{html}");
    }

    #[test]
    fn headings_get_ids() {
        let html = markdown_to_html("# About\n\n## How anchors work\n\n## How anchors work\n");
        assert!(html.contains("<h2 id=\"how-anchors-work\">"), "{html}");
        assert!(html.contains("<h2 id=\"how-anchors-work-2\">"), "{html}");
    }

    #[test]
    fn highlight_css_has_both_themes() {
        let css = highlight_css();
        assert!(css.contains(".hl-"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
    }

    /// The syntect themes of the highlight stylesheet.
    const LIGHT_THEME: &str = "InspiredGitHub";
    const DARK_THEME: &str = "base16-ocean.dark";

    /// The highlight stylesheet made from the syntect themes, as `static/highlight.css` holds it.
    fn build_highlight_css() -> Result<String, RenderError> {
        let themes = ThemeSet::load_defaults();
        let theme = |name: &str| {
            themes
                .themes
                .get(name)
                .ok_or_else(|| RenderError::internal(format!("syntect theme {name} missing")))
        };
        let css_err =
            |e: syntect::Error| RenderError::internal(format!("highlight stylesheet: {e}"));
        let light =
            css_for_theme_with_class_style(theme(LIGHT_THEME)?, CLASS_STYLE).map_err(css_err)?;
        let dark =
            css_for_theme_with_class_style(theme(DARK_THEME)?, CLASS_STYLE).map_err(css_err)?;
        let mut out = String::new();
        out.push_str("/* Code highlighting, generated by clausebook from the syntect themes ");
        out.push_str(LIGHT_THEME);
        out.push_str(" (light) and ");
        out.push_str(DARK_THEME);
        out.push_str(" (dark). */\n");
        out.push_str(&light);
        out.push_str("\n@media (prefers-color-scheme: dark) {\n");
        for line in dark.lines() {
            if !line.is_empty() {
                out.push_str("  ");
            }
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("}\n");
        Ok(out)
    }

    #[test]
    fn highlight_css_is_what_the_themes_give() {
        let made = build_highlight_css().unwrap();
        assert!(
            made == highlight_css(),
            "static/highlight.css differs from the syntect themes' stylesheet: write the \
             output of build_highlight_css() to it"
        );
    }
}
