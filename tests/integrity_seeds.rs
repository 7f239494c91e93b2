//! The integrity analysis on the five seeds and on a clean control document.

use clausebook::build::load_all;
use clausebook::integrity::{FindingKind, analyse};
use std::path::Path;

#[test]
fn dump() {
    let a = load_all(Path::new("seeds")).unwrap();
    let f = analyse(&a.library, &a.repairs);
    for x in &f {
        println!("{}\n", x.to_warning());
    }
    let _ = FindingKind::ALL;
}
