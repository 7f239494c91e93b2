//! [`RenderError`]: what failed while the site was rendered, as fields: the kind (a
//! template, a file, a page name) and the [`Problem`] the user reads.

use crate::base::Problem;
use std::fmt;
use std::path::{Path, PathBuf};

/// A rendering failure: a template that does not load or render, a file of the seeds
/// folder that cannot be read, a Markdown page whose name another page has.
#[derive(Debug)]
pub struct RenderError {
    /// What failed.
    pub kind: RenderErrorKind,
    /// Where, what is wrong, what to do (boxed, since errors travel up every stage's
    /// `Result`).
    pub problem: Box<Problem>,
}

/// The kinds of [`RenderError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderErrorKind {
    /// A template failed to load or to render.
    Template {
        /// The template's name (`page.html`); empty if MiniJinja did not tell.
        name: String,
        /// The 1-based line in it, 0 if unknown.
        line: usize,
        /// The template's file in the seeds folder, if the template is the user's.
        file: Option<PathBuf>,
    },
    /// A file or folder could not be read.
    Io {
        /// The file or folder.
        path: PathBuf,
    },
    /// A Markdown page's name is taken by another page of the site.
    PageName {
        /// The page's name (`index` for `pages/index.md`).
        name: String,
    },
    /// The build's own resources failed (the highlight stylesheet's theme).
    Internal,
}

impl RenderError {
    fn new(kind: RenderErrorKind, problem: Problem) -> RenderError {
        RenderError {
            kind,
            problem: Box::new(problem),
        }
    }

    /// The template error `e`. `templates` is the seeds folder's `templates/`: a template
    /// found there is the user's, named as its file with the line; a built-in one is
    /// named in the message.
    pub fn template(e: &minijinja::Error, templates: &Path) -> RenderError {
        let name = e.name().unwrap_or_default().to_string();
        RenderError::template_at(&name, e.line(), e, templates)
    }

    /// The error `e` of template `name` at `line` (when known); see [`Self::template`].
    pub fn template_at(
        name: &str,
        line: Option<usize>,
        e: &minijinja::Error,
        templates: &Path,
    ) -> RenderError {
        let mut what = e.to_string();
        let mut src = std::error::Error::source(e);
        while let Some(s) = src {
            what.push_str(&format!("\n  caused by: {s}"));
            src = s.source();
        }
        let user = (!name.is_empty())
            .then(|| templates.join(name))
            .filter(|p| p.is_file());
        let problem = match (line, &user) {
            (Some(line), Some(file)) => Problem::in_file(file, what).at(line, 0).hint(format!(
                "fix the template; delete {} to use the built-in one",
                file.display()
            )),
            (Some(line), None) => Problem {
                message: format!("built-in template {name}:{line}: {what}"),
                ..Problem::default()
            }
            .hint("a template of the seeds folder's templates/ that this one uses may be at fault"),
            (None, _) if name.is_empty() => Problem {
                message: format!("template: {what}"),
                ..Problem::default()
            },
            (None, _) => Problem {
                message: format!("template {name}: {what}"),
                ..Problem::default()
            },
        };
        RenderError::new(
            RenderErrorKind::Template {
                name: name.to_string(),
                line: line.unwrap_or(0),
                file: user,
            },
            problem,
        )
    }

    /// The file or folder `path` cannot be read.
    pub fn io(path: &Path, source: &dyn std::error::Error) -> RenderError {
        RenderError::new(
            RenderErrorKind::Io {
                path: path.to_path_buf(),
            },
            Problem::in_file(path, format!("cannot read it: {source}"))
                .hint("check that it exists and that you may read it"),
        )
    }

    /// The Markdown page `file` is named `name`, which another page of the site has.
    pub fn page_name(file: &Path, name: &str) -> RenderError {
        RenderError::new(
            RenderErrorKind::PageName {
                name: name.to_string(),
            },
            Problem::in_file(
                file,
                format!("the name `{name}` is taken by another page of the site"),
            )
            .hint("rename the file"),
        )
    }

    /// The build's own resources failed: `message` says what.
    pub fn internal(message: impl Into<String>) -> RenderError {
        RenderError::new(
            RenderErrorKind::Internal,
            Problem {
                message: message.into(),
                ..Problem::default()
            }
            .hint("this is a fault of clausebook; please report it"),
        )
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem.fmt(f)
    }
}

impl std::error::Error for RenderError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax_error() -> minijinja::Error {
        let mut env = minijinja::Environment::new();
        env.add_template_owned("page.html", "a\n{% if %}\n")
            .unwrap_err()
    }

    #[test]
    fn a_user_template_is_named_as_its_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("page.html"), "a\n{% if %}\n").unwrap();
        let e = RenderError::template_at("page.html", Some(2), &syntax_error(), dir.path());
        let file = dir.path().join("page.html");
        assert_eq!(
            e.kind,
            RenderErrorKind::Template {
                name: "page.html".into(),
                line: 2,
                file: Some(file.clone()),
            }
        );
        assert_eq!((e.problem.file.as_ref(), e.problem.line), (Some(&file), 2));
        assert!(
            e.problem.message.starts_with("syntax error"),
            "{}",
            e.problem.message
        );
        assert!(
            e.problem
                .hint
                .as_deref()
                .unwrap()
                .starts_with("fix the template")
        );
    }

    #[test]
    fn a_built_in_template_is_named_in_the_message() {
        let dir = tempfile::tempdir().unwrap();
        let e = RenderError::template_at("base.html", Some(9), &syntax_error(), dir.path());
        assert_eq!(e.problem.file, None);
        assert!(
            e.problem
                .message
                .starts_with("built-in template base.html:9: ")
        );
        assert!(e.problem.hint.is_some());
    }

    #[test]
    fn io_and_page_name_errors_name_the_file() {
        let e = RenderError::io(Path::new("seeds/pages"), &std::io::Error::other("denied"));
        assert_eq!(
            e.to_string(),
            "seeds/pages: cannot read it: denied\n  hint: check that it exists and that you may read it"
        );
        let e = RenderError::page_name(Path::new("seeds/pages/index.md"), "index");
        assert_eq!(
            e.kind,
            RenderErrorKind::PageName {
                name: "index".into()
            }
        );
        assert!(
            e.to_string()
                .starts_with("seeds/pages/index.md: the name `index` is taken")
        );
    }
}
