//! What an error tells the user, as fields: the file and the place in it, what is wrong
//! and what to do. The stages' error types carry a [`Problem`]; `diagnostic` formats it
//! for the terminal and the error overlay, and `Display` writes it as one plain text.

use std::fmt;
use std::path::PathBuf;

/// One failure as the user reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problem {
    /// The file or folder concerned, as the user reaches it, if there is one.
    pub file: Option<PathBuf>,
    /// 1-based line in `file`, 0 if unknown.
    pub line: usize,
    /// 1-based column in characters, 0 if unknown.
    pub column: usize,
    /// What is wrong, without the location (which is printed in a place of its own).
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Problem {
    /// A problem with `file`, no place in it known yet.
    pub(crate) fn in_file(file: impl Into<PathBuf>, message: impl Into<String>) -> Problem {
        Problem {
            file: Some(file.into()),
            message: message.into(),
            ..Problem::default()
        }
    }

    /// The same problem at `line` and `column` (1-based, 0 for unknown).
    pub(crate) fn at(mut self, line: usize, column: usize) -> Problem {
        self.line = line;
        self.column = column;
        self
    }

    /// The same problem with a hint.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

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

/// `location: message`, then `  hint: …` on a line of its own.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = self.location() {
            write!(f, "{loc}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_puts_the_place_first_and_the_hint_last() {
        let p = Problem::in_file("seeds/manifest.yaml", "invalid slug")
            .at(3, 11)
            .hint("use a-z");
        assert_eq!(
            p.to_string(),
            "seeds/manifest.yaml:3:11: invalid slug\n  hint: use a-z"
        );
        let p = Problem::in_file("seeds/a.txt", "has no text").at(0, 7);
        assert_eq!(p.to_string(), "seeds/a.txt: has no text");
        let p = Problem::in_file("a.txt", "x").at(4, 0);
        assert_eq!(p.location().as_deref(), Some("a.txt:4"));
        let p = Problem {
            message: "no file".into(),
            ..Problem::default()
        };
        assert_eq!((p.location(), p.to_string()), (None, "no file".into()));
    }
}
