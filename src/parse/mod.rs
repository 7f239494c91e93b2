//! Parsing: plain text of one seed ─► document tree.
//!
//! The stage runs in four steps, each in its own module and each testable alone:
//!
//! 1. `text` and `recognize`: every line is cleaned (layout and Markdown markup
//!    removed, `**bold**` kept as ranges) and its start recognized by small pure
//!    functions (`一、`, `(一)`, `第一条`, `1.`, `Sixth,`, datelines, bylines…);
//! 2. `classify`: the lines become events (part, clause, item, heading, text…) in
//!    the context of the document (which clause style it uses, which part comes next);
//!    then the event stream is repaired: paragraphs split mid-sentence are rejoined, a
//!    box dropped into the middle of one is moved after it;
//! 3. `tree`: the events become the block tree (preamble, parts, clauses, lists,
//!    asides, articles, closing), with warnings for gaps in the numbering;
//! 4. `assign_ids`: the anchors of the public contract.
//!
//! [`parse`] (in `seed`) runs the four steps on the text of one seed.
//! [`document`] runs the stage for one document of the manifest: each version parsed, the
//! title and date settled.
//!
//! Nothing of the text is dropped or doubled: every letter, digit and Han character of
//! the seed ends up in exactly one `label`, `title` or `text` (see `tests/it/parse_seeds.rs`).

pub(crate) mod classify;
mod document;
pub(crate) mod numerals;
pub(crate) mod recognize;
mod seed;
pub(crate) mod text;
pub(crate) mod tree;

pub use document::document;
pub use seed::{Parsed, parse};
pub(crate) use tree::assign_ids;
