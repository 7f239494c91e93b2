//! Alignment between a document's original and its translations.
//!
//! For now: where the original lacks a part heading that a translation has, place the
//! part boundary by the translation and supply its heading.

use crate::model::{Document, Warning};

/// Repairs parts missing from the original by the translation; returns warnings.
pub fn supply_missing_parts(_doc: &mut Document) -> Vec<Warning> {
    Vec::new()
}
