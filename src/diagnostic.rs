//! Diagnostics: every warning and error of a build as one shape, printed like a
//! compiler's (file, line, column, the offending text underlined, a hint) with
//! `annotate-snippets`, or as HTML for the error overlay of `clausebook serve`.
//!
//! The stages keep their own error types; [`from_warning`] and [`from_build_error`]
//! turn them into [`Diagnostic`]s, finding the column where the stage gives none: a
//! warning that quotes the text it is about (`“…”`, `` `…` ``) underlines that text.

use crate::build::BuildError;
use crate::corpus::{self, CorpusError};
use crate::model::Warning;
use crate::output::OutputError;
use crate::render::escape;
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The build stopped.
    Error,
    /// The build went on; the output may not be what the user wants.
    Warning,
}

/// One problem, located as precisely as the stage that found it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as the user reaches it (the seeds folder joined in), if there is one.
    pub file: Option<PathBuf>,
    /// 1-based line, 0 if unknown.
    pub line: usize,
    /// 1-based column in characters, 0 if unknown.
    pub column: usize,
    /// The offending line of the file, when it could be read.
    pub source_line: Option<String>,
    /// Byte range within `source_line` to underline.
    pub span: Option<Range<usize>>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// `file:line:column` as far as known, or `None` without a file.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?.display().to_string();
        Some(match (self.line, self.column) {
            (0, _) => file,
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        })
    }
}

/// A warning of the build, its file named from the seeds folder.
pub fn from_warning(w: &Warning, seeds: &Path) -> Diagnostic {
    let file = seeds.join(&w.file);
    let text = if w.line > 0 {
        seed_line(&file, w.line)
    } else {
        None
    };
    with_source_line(w, file, text)
}

/// The warnings of a build as diagnostics, in order, each seed read once: a seed with
/// many warnings costs one reading, not one per warning.
pub fn from_warnings(ws: &[Warning], seeds: &Path) -> Vec<Diagnostic> {
    let mut lines: std::collections::HashMap<&str, Option<Vec<String>>> = Default::default();
    ws.iter()
        .map(|w| {
            let file = seeds.join(&w.file);
            let text = w.line.checked_sub(1).and_then(|i| {
                lines
                    .entry(w.file.as_str())
                    .or_insert_with(|| {
                        let (text, _) = corpus::read_seed(&file).ok()?;
                        Some(text.lines().map(str::to_string).collect())
                    })
                    .as_ref()?
                    .get(i)
                    .cloned()
            });
            with_source_line(w, file, text)
        })
        .collect()
}

/// The diagnostic of warning `w` about `file`, whose line `w.line` reads `text`.
fn with_source_line(w: &Warning, file: PathBuf, text: Option<String>) -> Diagnostic {
    let mut d = Diagnostic {
        severity: Severity::Warning,
        file: Some(file),
        line: w.line,
        column: 0,
        source_line: None,
        span: None,
        message: w.message.clone(),
        hint: w.hint.clone(),
    };
    if let Some(text) = text {
        let span = quoted(&w.message)
            .into_iter()
            .find_map(|q| text.find(q.as_str()).map(|at| at..at + q.len()))
            .unwrap_or_else(|| whole_line(&text));
        d.column = text[..span.start].chars().count() + 1;
        d.span = Some(span);
        d.source_line = Some(text);
    }
    d
}

/// A failed build as a diagnostic.
pub fn from_build_error(e: &BuildError, seeds: &Path) -> Diagnostic {
    let mut d = Diagnostic {
        severity: Severity::Error,
        file: None,
        line: 0,
        column: 0,
        source_line: None,
        span: None,
        message: String::new(),
        hint: None,
    };
    match e {
        BuildError::Corpus(CorpusError::Manifest {
            path,
            line,
            column,
            message,
            hint,
        }) => {
            d.file = Some(path.clone());
            d.line = *line;
            d.column = *column;
            d.message = strip_position(message).to_string();
            d.hint = Some(hint.clone());
            if let Some(text) = seed_line(path, *line) {
                d.span = Some(span_at_column(&text, *column));
                d.source_line = Some(text);
            }
        }
        BuildError::Corpus(CorpusError::Decode { path, message }) => {
            d.file = Some(path.clone());
            d.message = message.clone();
            d.hint =
                Some("save the file as UTF-8 (or UTF-16 with a BOM, or GB18030/GBK) text".into());
        }
        BuildError::Corpus(CorpusError::Io { path, source })
        | BuildError::Corpus(CorpusError::NoSeeds { path, source })
        | BuildError::Output(OutputError::Io { path, source }) => {
            d.file = Some(path.clone());
            // The cause may carry the hint itself (a seed over the size limit).
            d.message = split_hint(&source.to_string()).0;
            d.hint = split_hint(&e.to_string()).1;
        }
        BuildError::Corpus(CorpusError::Empty { path })
        | BuildError::Output(OutputError::Refused { path, .. }) => {
            d.file = Some(path.clone());
            let (message, hint) = split_hint(&e.to_string());
            d.message = message;
            d.hint = hint;
        }
        BuildError::Search(_) | BuildError::Anchors(_) => {
            let (message, hint) = split_hint(&e.to_string());
            d.message = message;
            d.hint = hint;
        }
        BuildError::Render(r) => {
            let (message, hint) = split_hint(&r.to_string());
            d.message = message;
            d.hint = hint;
            if let Some((name, line, rest)) = template_location(&d.message) {
                d.message = rest;
                let user = seeds.join("templates").join(&name);
                if user.is_file() {
                    d.file = Some(user.clone());
                    d.line = line;
                    if let Some(text) = seed_line(&user, line) {
                        let span = whole_line(&text);
                        d.column = text[..span.start].chars().count() + 1;
                        d.span = Some(span);
                        d.source_line = Some(text);
                    }
                    d.hint.get_or_insert_with(|| {
                        format!(
                            "fix the template; delete {} to use the built-in one",
                            user.display()
                        )
                    });
                } else {
                    d.message = format!("built-in template {name}:{line}: {}", d.message);
                    d.hint.get_or_insert_with(|| {
                        "a template of the seeds folder's templates/ that this one uses may be at fault"
                            .into()
                    });
                }
            }
        }
    }
    d
}

/// A YAML parser message without its own `error: line L column C: ` prefix, which the
/// diagnostic shows in its own place.
fn strip_position(msg: &str) -> &str {
    let m = msg.strip_prefix("error: ").unwrap_or(msg);
    if let Some(rest) = m.strip_prefix("line ")
        && let Some((pos, tail)) = rest.split_once(": ")
        && pos
            .split(" column ")
            .all(|n| n.chars().all(|c| c.is_ascii_digit()))
    {
        return tail;
    }
    m
}

/// Splits `message\n  hint: …` (the stages' Display form) into its two parts.
fn split_hint(s: &str) -> (String, Option<String>) {
    match s.split_once("\n  hint: ") {
        Some((m, h)) => (m.to_string(), Some(h.trim().to_string())),
        None => (s.to_string(), None),
    }
}

/// `template NAME:LINE: rest` ─► (NAME, LINE, rest).
fn template_location(msg: &str) -> Option<(String, usize, String)> {
    let rest = msg.strip_prefix("template ")?;
    let (loc, rest) = rest.split_once(": ")?;
    let (name, line) = loc.rsplit_once(':')?;
    let line = line.parse().ok()?;
    Some((name.to_string(), line, rest.to_string()))
}

/// The texts a message quotes: `“…”`, `` `…` `` and `"…"`, longest first.
fn quoted(message: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [('“', '”'), ('`', '`'), ('"', '"'), ('「', '」')] {
        let mut rest = message;
        while let Some(a) = rest.find(open) {
            let after = &rest[a + open.len_utf8()..];
            let Some(b) = after.find(close) else { break };
            if b > 0 {
                out.push(after[..b].to_string());
            }
            rest = &after[b + close.len_utf8()..];
        }
    }
    out.sort_by_key(|q| std::cmp::Reverse(q.len()));
    out
}

/// The line's text without its leading and trailing white space, as a byte range.
fn whole_line(text: &str) -> Range<usize> {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len().max(start);
    start..end
}

/// From a 1-based character column to the end of the token there (a YAML scalar or key).
fn span_at_column(text: &str, column: usize) -> Range<usize> {
    let start = text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let tail = &text[start..];
    let cut = tail.find([',', '}', ']', '#']).unwrap_or(tail.len());
    let len = tail[..cut].trim_end().len();
    let len = if len == 0 {
        tail.chars().next().map(char::len_utf8).unwrap_or(0)
    } else {
        len
    };
    start..start + len
}

/// Line `line` (1-based) of a file, decoded as the seeds are, if it can be read.
fn seed_line(path: &Path, line: usize) -> Option<String> {
    let (text, _) = corpus::read_seed(path).ok()?;
    text.lines().nth(line.checked_sub(1)?).map(str::to_string)
}

/// How to print diagnostics on a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Colours (ANSI escapes).
    pub color: bool,
}

/// The diagnostic as a compiler prints it: a title, the location, the line with the
/// offending text underlined, and the hint.
pub fn render_terminal(d: &Diagnostic, style: Style) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = Group::with_title(level.primary_title(d.message.as_str()));
    match (&d.source_line, &d.span, &d.file) {
        (Some(text), Some(span), Some(file)) => {
            let path = file.display().to_string();
            group = group.element(
                Snippet::source(text.as_str())
                    .line_start(d.line)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(span.clone())),
            );
        }
        (_, _, Some(file)) => {
            let mut origin = annotate_snippets::Origin::path(file.display().to_string());
            if d.line > 0 {
                origin = origin.line(d.line);
                if d.column > 0 {
                    origin = origin.char_column(d.column);
                }
            }
            group = group.element(origin);
        }
        _ => {}
    }
    if let Some(h) = &d.hint {
        group = group.element(Level::HELP.with_name(Some("hint")).message(h.as_str()));
    }
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Unicode);
    let report: Vec<Group<'_>> = vec![group];
    renderer.render(&report)
}

/// The diagnostic as an HTML fragment for the error overlay: location, the line with the
/// offending text marked, what is wrong and what to do. All text is escaped.
pub fn render_html(d: &Diagnostic) -> String {
    let mut h = String::new();
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    h.push_str(&format!("<section class=\"cb-diag cb-{kind}\">"));
    h.push_str(&format!(
        "<p class=\"cb-title\"><strong>{kind}</strong>: {}</p>",
        escape(&d.message)
    ));
    if let Some(loc) = d.location() {
        h.push_str(&format!("<p class=\"cb-loc\">{}</p>", escape(&loc)));
    }
    if let (Some(text), Some(span)) = (&d.source_line, &d.span) {
        h.push_str(&format!(
            "<pre class=\"cb-src\"><span class=\"cb-ln\">{:>4} │ </span>{}<mark>{}</mark>{}</pre>",
            d.line,
            escape(&text[..span.start]),
            escape(&text[span.clone()]),
            escape(&text[span.end..])
        ));
    }
    if let Some(hint) = &d.hint {
        h.push_str(&format!(
            "<p class=\"cb-hint\">what to do: {}</p>",
            escape(hint)
        ));
    }
    h.push_str("</section>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::RenderError;

    #[test]
    fn warning_underlines_the_quoted_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "标题\n  一路向西，一路高歌  \n").unwrap();
        let w = Warning {
            file: "a.txt".into(),
            line: 2,
            message: "paragraph begins with “一路高歌”, which repeats".into(),
            hint: Some("check the source".into()),
        };
        let d = from_warning(&w, dir.path());
        assert_eq!(d.column, 8);
        let text = d.source_line.as_deref().unwrap();
        assert_eq!(&text[d.span.clone().unwrap()], "一路高歌");
        let out = render_terminal(&d, Style { color: false });
        assert!(out.contains("warning: paragraph begins"), "{out}");
        assert!(out.contains("a.txt:2:8"), "{out}");
        assert!(out.contains("一路向西"), "{out}");
        assert!(out.contains("━━━━━━━━"), "the quote underlined: {out}");
        assert!(out.contains("hint: check the source"), "{out}");
    }

    #[test]
    fn warnings_read_together_match_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x\n  two words \n“甲”\n").unwrap();
        let w = |file: &str, line, message: &str| Warning {
            file: file.into(),
            line,
            message: message.into(),
            hint: None,
        };
        let ws = vec![
            w("a.txt", 2, "something"),
            w("a.txt", 3, "the quote “甲”"),
            w("a.txt", 0, "no line"),
            w("a.txt", 9, "past the end"),
            w("gone.txt", 1, "no such file"),
        ];
        let together = from_warnings(&ws, dir.path());
        let one_by_one: Vec<Diagnostic> = ws.iter().map(|w| from_warning(w, dir.path())).collect();
        assert_eq!(together, one_by_one);
        assert_eq!(together[1].column, 2);
    }

    #[test]
    fn warning_without_quote_underlines_the_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x\n  two words \n").unwrap();
        let w = Warning {
            file: "a.txt".into(),
            line: 2,
            message: "something".into(),
            hint: None,
        };
        let d = from_warning(&w, dir.path());
        assert_eq!(d.column, 3);
        assert_eq!(d.span, Some(2..11));
    }

    #[test]
    fn manifest_error_underlines_the_value() {
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("manifest.yaml");
        std::fs::write(&m, "documents:\n  - slug: ../x # bad\n").unwrap();
        let e = BuildError::Corpus(CorpusError::Manifest {
            path: m.clone(),
            line: 2,
            column: 11,
            message: "unsafe slug".into(),
            hint: "use a-z".into(),
        });
        let d = from_build_error(&e, dir.path());
        assert_eq!(d.severity, Severity::Error);
        let text = d.source_line.clone().unwrap();
        assert_eq!(&text[d.span.clone().unwrap()], "../x");
        let html = render_html(&d);
        assert!(html.contains("<mark>../x</mark>"), "{html}");
        assert!(html.contains("manifest.yaml:2:11"), "{html}");
        assert!(html.contains("what to do: use a-z"), "{html}");
    }

    #[test]
    fn template_error_names_the_user_template() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/page.html"), "a\n{% if %}\n").unwrap();
        let e = BuildError::Render(RenderError(
            "template page.html:2: syntax error: unexpected end of block".into(),
        ));
        let d = from_build_error(&e, dir.path());
        assert_eq!(d.file, Some(dir.path().join("templates/page.html")));
        assert_eq!((d.line, d.column), (2, 1));
        assert_eq!(d.message, "syntax error: unexpected end of block");
        assert!(d.hint.is_some());

        // A built-in template is named, with no file to show.
        let e = BuildError::Render(RenderError("template base.html:9: boom".into()));
        let d = from_build_error(&e, dir.path());
        assert_eq!(d.file, None);
        assert!(d.message.contains("base.html:9"));
    }

    #[test]
    fn yaml_position_prefix_is_dropped() {
        assert_eq!(
            strip_position("error: line 47 column 1: duplicate mapping key: documents"),
            "duplicate mapping key: documents"
        );
        assert_eq!(strip_position("unknown slug `x`"), "unknown slug `x`");
    }

    #[test]
    fn html_is_escaped() {
        let d = Diagnostic {
            severity: Severity::Error,
            file: None,
            line: 0,
            column: 0,
            source_line: None,
            span: None,
            message: "<script>".into(),
            hint: None,
        };
        assert!(render_html(&d).contains("&lt;script&gt;"));
    }
}
