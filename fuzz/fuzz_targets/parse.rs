//! Fuzzes decoding and parsing a seed: any bytes either fail to decode with a message or
//! parse without panicking into a tree whose ids are unique and which keeps every Han
//! character, letter and digit of the text.

#![no_main]

use clausebook::model::walk_blocks;
use libfuzzer_sys::fuzz_target;
use std::collections::{BTreeMap, HashSet};

fn counts<'a>(texts: impl Iterator<Item = &'a str>) -> BTreeMap<char, usize> {
    let mut m = BTreeMap::new();
    for c in texts.flat_map(str::chars) {
        if clausebook::base::text::is_han(c) || c.is_alphanumeric() {
            *m.entry(c).or_default() += 1;
        }
    }
    m
}

fuzz_target!(|data: &[u8]| {
    let Ok((text, _)) = clausebook::corpus::decode(data) else {
        return;
    };
    let parsed = clausebook::parse::parse(&text, "fuzz.txt");
    let blocks = walk_blocks(&parsed.blocks);
    let mut ids = HashSet::new();
    for b in &blocks {
        assert!(!b.id.is_empty(), "empty id");
        assert!(ids.insert(b.id.as_str()), "duplicate id {}", b.id);
    }
    let kept = counts(
        blocks
            .iter()
            .flat_map(|b| [&b.label, &b.title, &b.text])
            .filter_map(|t| t.as_deref()),
    );
    assert_eq!(counts(std::iter::once(text.as_str())), kept, "text not conserved");
});
