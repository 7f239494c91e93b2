//! Parsing: plain text of one seed ─► document tree.
//!
//! The stage runs in four steps, each in its own module and each testable alone:
//!
//! 1. [`text`] and [`recognize`]: every line is cleaned (layout and Markdown markup
//!    removed, `**bold**` kept as ranges) and its start recognized by small pure
//!    functions (`一、`, `(一)`, `第一条`, `1.`, `Sixth,`, datelines, bylines…);
//! 2. [`classify`]: the lines become events (part, clause, item, heading, text…) in
//!    the context of the document (which clause style it uses, which part comes next);
//!    then the event stream is repaired: paragraphs split mid-sentence are rejoined, a
//!    box dropped into the middle of one is moved after it;
//! 3. [`tree`]: the events become the block tree (preamble, parts, clauses, lists,
//!    asides, articles, closing), with warnings for gaps in the numbering;
//! 4. [`assign_ids`]: the anchors of the public contract.
//!
//! [`document`] runs the stage for one document of the manifest: each version parsed, the
//! title and date settled.
//!
//! Nothing of the text is dropped or doubled: every letter, digit and Han character of
//! the seed ends up in exactly one `label`, `title` or `text` (see `tests/it/parse_seeds.rs`).

pub(crate) mod classify;
mod document;
pub(crate) mod numerals;
pub(crate) mod recognize;
pub(crate) mod text;
pub(crate) mod tree;

use crate::model::{Block, Warning};

pub use document::document;
pub(crate) use tree::assign_ids;

/// The result of parsing one seed.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The seed's own title line, if it has one (also kept as a `title` block).
    pub title: Option<String>,
    /// The tree, in reading order, with ids assigned.
    pub blocks: Vec<Block>,
    /// Problems found in the text, with line numbers: gaps and repeats in the numbering,
    /// fragments that look duplicated by the extraction.
    pub warnings: Vec<Warning>,
    /// Repairs the parser made, for a report: one entry per rejoined paragraph.
    pub repairs: Vec<Warning>,
}

/// Parses the decoded, LF-normalized text of the seed `file` (`file` names the seed in
/// warnings). Never fails: text that fits no rule becomes paragraphs.
pub fn parse(text: &str, file: &str) -> Parsed {
    let mut warnings = Vec::new();
    let cleaned = text::remove_controls(text);
    if let Some((count, line, first)) = cleaned.removed {
        warnings.push(Warning {
            file: file.to_string(),
            line,
            message: format!(
                "{count} control character(s) removed, the first U+{first:04X} on this line: they are not text and web pages may not hold them"
            ),
            hint: Some(
                "they usually come from a broken conversion; check the source text".to_string(),
            ),
        });
    }
    let text = cleaned.text.as_deref().unwrap_or(text);
    let lines = classify::lines(text);
    let mut events = classify::classify(&lines);
    let mut repairs = Vec::new();
    classify::join_split_paragraphs(&mut events, file, &mut repairs, &mut warnings);
    let (mut blocks, title) = tree::assemble(events);
    tree::split_closing(&mut blocks);
    let mut numbering = tree::numbering_warnings(&blocks, file);
    numbering.append(&mut warnings);
    numbering.sort_by_key(|w| w.line);
    assign_ids(&mut blocks);
    Parsed {
        title,
        blocks,
        warnings: numbering,
        repairs,
    }
}
