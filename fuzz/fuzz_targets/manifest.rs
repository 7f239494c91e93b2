//! Fuzzes the manifest reader: any text is accepted or rejected with an error, never a
//! panic, and a rejection that names a line names one inside the text.

#![no_main]

use clausebook::corpus::{CorpusErrorKind, check_manifest_text};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = check_manifest_text(text, Path::new("manifest.yaml")) {
        let CorpusErrorKind::Manifest = e.kind else {
            panic!("unexpected error kind: {e}");
        };
        let line = &e.problem.line;
        // Lines as an editor counts them: LF, CRLF and CR end a line.
        let lines = clausebook::corpus::normalize_newlines(text).split('\n').count();
        assert!(*line <= lines + 1, "line {line} out of range: {e}");
        let _ = e.to_string();
    }
});
