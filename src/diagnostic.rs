//! Diagnostics: every warning and error of a build as one shape, printed like a
//! compiler's (file, line, column, the offending text underlined, a hint) with
//! `annotate-snippets`, or as HTML for the error overlay of `clausebook serve`.
//!
//! The stages' errors carry their [`Problem`] (file, line, column, message, hint) as
//! fields; [`from_build_error`] takes it as it is and adds the offending line of the file.
//! A warning names its line and, where it is about a piece of that line, the piece
//! (`Warning::quote`): [`from_warning`] underlines it, or the whole line. Nothing is read
//! back out of a message's text.

use crate::base::Problem;
use crate::build::BuildError;
use crate::corpus;
use crate::model::Warning;
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

/// One problem, located as precisely as the stage that found it knows, with the line of
/// the file it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file (the seeds folder joined in), line, column, message and hint.
    pub problem: Problem,
    /// The offending line of the file, when it could be read.
    pub source_line: Option<String>,
    /// Byte range within `source_line` to underline.
    pub span: Option<Range<usize>>,
}

impl Diagnostic {
    /// A diagnostic of `problem`, with the line of its file it points at (when it names
    /// a line and the file can be read) underlined from its column to the end of the
    /// token there, or as a whole where the column is unknown.
    pub fn new(severity: Severity, problem: Problem) -> Diagnostic {
        let text = match &problem.file {
            Some(file) if problem.line > 0 => seed_line(file, problem.line),
            _ => None,
        };
        Diagnostic::with_line(severity, problem, text)
    }

    /// [`Diagnostic::new`] with the line of the file its problem names already read
    /// (`None` where there is none).
    fn with_line(severity: Severity, problem: Problem, text: Option<String>) -> Diagnostic {
        let mut d = Diagnostic {
            severity,
            problem,
            source_line: None,
            span: None,
        };
        if let Some(text) = text {
            let p = &mut d.problem;
            let span = if p.column > 0 {
                span_at_column(&text, p.column)
            } else {
                let span = whole_line(&text);
                p.column = text[..span.start].chars().count() + 1;
                span
            };
            d.span = Some(span);
            d.source_line = Some(text);
        }
        d
    }

    /// `file:line:column` as far as known, or `None` without a file.
    pub fn location(&self) -> Option<String> {
        self.problem.location()
    }
}

/// A warning of the build, its file named from the seeds folder. The text the warning
/// quotes is underlined where the line holds it, else the whole line.
pub fn from_warning(w: &Warning, seeds: &Path) -> Diagnostic {
    let file = seeds.join(&w.file);
    let text = if w.line > 0 {
        seed_line(&file, w.line)
    } else {
        None
    };
    warning_with_line(w, file, text)
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
            warning_with_line(w, file, text)
        })
        .collect()
}

/// The diagnostic of warning `w` about `file`, whose line `w.line` reads `text`.
fn warning_with_line(w: &Warning, file: PathBuf, text: Option<String>) -> Diagnostic {
    let mut d = Diagnostic::with_line(
        Severity::Warning,
        Problem {
            file: Some(file),
            line: w.line,
            column: 0,
            message: w.message.clone(),
            hint: w.hint.clone(),
        },
        text,
    );
    if let Some(text) = &d.source_line
        && let Some(q) = w.quote.as_deref().filter(|q| !q.is_empty())
        && let Some(at) = text.find(q)
    {
        let span = at..at + q.len();
        d.problem.column = text[..span.start].chars().count() + 1;
        d.span = Some(span);
    }
    d
}

/// A failed build as a diagnostic.
pub fn from_build_error(e: &BuildError) -> Diagnostic {
    let problem = match e {
        BuildError::Corpus(e) => (*e.problem).clone(),
        BuildError::Output(e) => (*e.problem).clone(),
        BuildError::Search(e) => (*e.problem).clone(),
        BuildError::Anchors(e) => (*e.problem).clone(),
        BuildError::Render(e) => (*e.problem).clone(),
    };
    Diagnostic::new(Severity::Error, problem)
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
    let mut group = Group::with_title(level.primary_title(d.problem.message.as_str()));
    match (&d.source_line, &d.span, &d.problem.file) {
        (Some(text), Some(span), Some(file)) => {
            let path = file.display().to_string();
            group = group.element(
                Snippet::source(text.as_str())
                    .line_start(d.problem.line)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(span.clone())),
            );
        }
        (_, _, Some(file)) => {
            let mut origin = annotate_snippets::Origin::path(file.display().to_string());
            if d.problem.line > 0 {
                origin = origin.line(d.problem.line);
                if d.problem.column > 0 {
                    origin = origin.char_column(d.problem.column);
                }
            }
            group = group.element(origin);
        }
        _ => {}
    }
    if let Some(h) = &d.problem.hint {
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
pub(crate) fn render_html(d: &Diagnostic) -> String {
    let mut h = String::new();
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    h.push_str(&format!("<section class=\"cb-diag cb-{kind}\">"));
    h.push_str(&format!(
        "<p class=\"cb-title\"><strong>{kind}</strong>: {}</p>",
        escape(&d.problem.message)
    ));
    if let Some(loc) = d.location() {
        h.push_str(&format!("<p class=\"cb-loc\">{}</p>", escape(&loc)));
    }
    if let (Some(text), Some(span)) = (&d.source_line, &d.span) {
        h.push_str(&format!(
            "<pre class=\"cb-src\"><span class=\"cb-ln\">{:>4} │ </span>{}<mark>{}</mark>{}</pre>",
            d.problem.line,
            escape(&text[..span.start]),
            escape(&text[span.clone()]),
            escape(&text[span.end..])
        ));
    }
    if let Some(hint) = &d.problem.hint {
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
    use crate::corpus::CorpusError;
    use crate::output::OutputError;

    #[test]
    fn warning_underlines_the_quoted_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "标题\n  一路向西，一路高歌  \n").unwrap();
        let w = Warning {
            file: "a.txt".into(),
            line: 2,
            message: "paragraph begins with “一路高歌”, which repeats".into(),
            hint: Some("check the source".into()),
            quote: Some("一路高歌".into()),
        };
        let d = from_warning(&w, dir.path());
        assert_eq!(d.problem.column, 8);
        let text = d.source_line.as_deref().unwrap();
        assert_eq!(&text[d.span.clone().unwrap()], "一路高歌");
        // The message alone underlines nothing: the quote is a field, not read from it.
        let plain = Warning {
            quote: None,
            ..w.clone()
        };
        assert_eq!(from_warning(&plain, dir.path()).problem.column, 3);
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
            quote: Some("甲".into()),
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
        assert_eq!(together[1].problem.column, 2);
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
            quote: None,
        };
        let d = from_warning(&w, dir.path());
        assert_eq!(d.problem.column, 3);
        assert_eq!(d.span, Some(2..11));
    }

    #[test]
    fn manifest_error_underlines_the_value() {
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("manifest.yaml");
        std::fs::write(&m, "documents:\n  - slug: ../x # bad\n").unwrap();
        let e = BuildError::Corpus(CorpusError::manifest(&m, 2, 11, "unsafe slug", "use a-z"));
        let d = from_build_error(&e);
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
        let Err(e) = crate::render::environment(dir.path()) else {
            panic!("the template loaded");
        };
        let d = from_build_error(&BuildError::Render(e));
        assert_eq!(d.problem.file, Some(dir.path().join("templates/page.html")));
        assert_eq!((d.problem.line, d.problem.column), (2, 1));
        assert!(
            d.problem
                .message
                .starts_with("syntax error: unexpected end of block"),
            "{}",
            d.problem.message
        );
        assert!(d.problem.hint.is_some());
    }

    #[test]
    fn errors_are_rendered_from_their_fields() {
        let dir = tempfile::tempdir().unwrap();
        let seed = dir.path().join("a.txt");
        let e = BuildError::Corpus(CorpusError::empty(&seed));
        let d = from_build_error(&e);
        assert_eq!(d.problem.file.as_deref(), Some(seed.as_path()));
        assert_eq!(
            d.problem.message,
            "has no text (the file is empty or only white space)"
        );
        assert!(
            d.problem
                .hint
                .as_deref()
                .unwrap()
                .starts_with("put the document's text")
        );
        let out = render_terminal(&d, Style { color: false });
        assert!(out.contains("error: has no text"), "{out}");
        assert!(out.contains(&seed.display().to_string()), "{out}");

        let e = BuildError::Output(OutputError::io(
            dir.path(),
            std::io::Error::other("No space left on device"),
        ));
        let d = from_build_error(&e);
        assert_eq!(
            d.problem.message,
            "cannot write it: No space left on device"
        );
        assert!(
            d.problem
                .hint
                .as_deref()
                .unwrap()
                .contains("free disk space")
        );

        let e = BuildError::Search(crate::search::SearchError::bad_language("d", "x y"));
        let d = from_build_error(&e);
        assert_eq!((d.problem.file.as_ref(), d.problem.line), (None, 0));
        assert!(d.problem.message.contains("`x y`"), "{:?}", d.problem);
        assert!(d.problem.hint.as_deref().unwrap().contains("BCP 47"));
    }

    #[test]
    fn a_bad_line_of_the_anchor_registry_is_shown() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("anchors.lock");
        std::fs::write(&lock, "a.html#c1 0123 2024-01-01\nnonsense\n").unwrap();
        let e =
            crate::anchors::parse_lock("a.html#c1 0123 2024-01-01\nnonsense\n", &lock).unwrap_err();
        let d = from_build_error(&BuildError::Anchors(e));
        assert_eq!(d.problem.file.as_deref(), Some(lock.as_path()));
        assert_eq!((d.problem.line, d.problem.column), (2, 1));
        assert_eq!(d.source_line.as_deref(), Some("nonsense"));
        assert!(d.problem.hint.as_deref().unwrap().contains("page#id hash"));
    }

    #[test]
    fn html_is_escaped() {
        let d = Diagnostic::new(
            Severity::Error,
            Problem {
                message: "<script>".into(),
                ..Problem::default()
            },
        );
        assert!(render_html(&d).contains("&lt;script&gt;"));
    }
}
