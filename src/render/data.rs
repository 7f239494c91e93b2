//! `data/<slug>.json`: a document's tree in the contract's format, with its integrity
//! findings.

use super::OutputFile;
use crate::integrity::Finding;
use crate::model::Document;
use serde::Serialize;

/// What `data/<slug>.json` holds: the document's fields in the contract's order, then
/// its findings.
#[derive(Serialize)]
struct DataFile<'a> {
    #[serde(flatten)]
    doc: &'a Document,
    findings: Vec<&'a Finding>,
}

/// `data/<slug>.json` for `doc`, with its findings among `findings`.
pub fn data_file(doc: &Document, findings: &[Finding]) -> OutputFile {
    let file = DataFile {
        doc,
        findings: findings.iter().filter(|f| f.slug == doc.slug).collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).expect("the model serializes");
    bytes.push(b'\n');
    OutputFile {
        path: format!("data/{}.json", doc.slug),
        bytes,
    }
}
