//! The parse of one seed: the four steps of the stage (see the parent module) run on
//! its text, with the warnings and repairs they report.

use super::tree::assign_ids;
use super::{classify, text, tree};
use crate::model::{Block, Warning};

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
            quote: None,
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
