//! Bidirectional-text controls in titles: a seed's title may open an embedding, override
//! or isolate (U+202A–U+202E, U+2066–U+2068) and never close it. In the page body the
//! stylesheet isolates user text (`unicode-bidi: isolate`); in plain-text places that
//! join user text and the site's own words (`<title>`, OpenGraph titles) the open
//! controls are closed before the site's words follow, so they cannot reverse them.

/// The separators between parts of a composed title (`clause · document · site`).
const SEPARATORS: [&str; 2] = [" · ", " ↔ "];

/// What is open after a run of text, innermost last.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    /// LRE, RLE, LRO, RLO: closed by PDF (U+202C).
    Embedding,
    /// LRI, RLI, FSI: closed by PDI (U+2069).
    Isolate,
}

/// The characters that close every embedding, override and isolate `text` leaves open,
/// following the Unicode Bidirectional Algorithm's matching (a PDI closes its isolate and
/// whatever opened inside it; a PDF closes the innermost embedding, not an isolate;
/// unmatched closers do nothing). Empty when nothing is left open.
pub(crate) fn closers(text: &str) -> String {
    let mut stack: Vec<Open> = Vec::new();
    for c in text.chars() {
        match c {
            '\u{202a}'..='\u{202e}' if c != '\u{202c}' => stack.push(Open::Embedding),
            '\u{2066}'..='\u{2068}' => stack.push(Open::Isolate),
            '\u{202c}' if stack.last() == Some(&Open::Embedding) => {
                stack.pop();
            }
            '\u{2069}' => {
                if let Some(i) = stack.iter().rposition(|o| *o == Open::Isolate) {
                    stack.truncate(i);
                }
            }
            // A paragraph separator ends everything.
            '\n' | '\r' | '\u{2029}' => stack.clear(),
            _ => {}
        }
    }
    stack
        .iter()
        .rev()
        .map(|o| match o {
            Open::Embedding => '\u{202c}',
            Open::Isolate => '\u{2069}',
        })
        .collect()
}

/// `text` with the controls left open closed at its end.
pub(crate) fn closed(text: &str) -> String {
    format!("{text}{}", closers(text))
}

/// A composed title (`part · part · site`) with what each part leaves open closed before
/// the separator that follows it, and at the end. Text without bidi controls is returned
/// unchanged.
pub(crate) fn closed_title(title: &str) -> String {
    if !title.contains(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')) {
        return title.to_string();
    }
    let mut out = String::with_capacity(title.len() + 8);
    let mut rest = title;
    loop {
        let next = SEPARATORS
            .iter()
            .filter_map(|s| rest.find(s).map(|i| (i, s.len())))
            .min();
        match next {
            Some((i, len)) => {
                let part = &rest[..i];
                out.push_str(&closed(part));
                out.push_str(&rest[i..i + len]);
                rest = &rest[i + len..];
            }
            None => {
                out.push_str(&closed(rest));
                return out;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closes_what_is_left_open_innermost_first() {
        assert_eq!(closers("plain"), "");
        assert_eq!(closers("a\u{202e}b"), "\u{202c}");
        assert_eq!(closers("\u{2067}a\u{202b}b"), "\u{202c}\u{2069}");
        // A PDI closes its isolate and the embedding opened inside it.
        assert_eq!(closers("\u{2066}a\u{202e}b\u{2069}"), "");
        // Unmatched closers do nothing; a PDF does not close an isolate.
        assert_eq!(closers("\u{2069}\u{202c}\u{2068}x\u{202c}"), "\u{2069}");
        assert_eq!(closers("\u{202e}x\u{2029}y"), "");
    }

    #[test]
    fn titles_close_each_part_before_the_site_words() {
        assert_eq!(closed_title("A · Site"), "A · Site");
        assert_eq!(
            closed_title("(一)\u{202e}evil · Doc\u{2066} · Site"),
            "(一)\u{202e}evil\u{202c} · Doc\u{2066}\u{2069} · Site"
        );
        assert_eq!(closed_title("x\u{202e} ↔ y"), "x\u{202e}\u{202c} ↔ y");
    }
}
