//! A seeds folder with the repository's five seeds plus a document whose title and text
//! are made to break pages: markup, `</script>`, comment and CDATA ends, quotes,
//! template syntax, NUL, bidi controls (an unterminated U+202E in the title) and the JS
//! line terminators U+2028/U+2029.

use std::path::{Path, PathBuf};

/// The slug of the hostile document.
pub const SLUG: &str = "hostile";

/// A word only the hostile document has (search finds it there).
pub const WORD: &str = "蟠桃";

/// The Chinese version: title line, then a part with two clauses.
pub const ZH: &str = "<script>alert(1)</script>蟠桃标题 </script> <!-- c --> ]]> \"引号' \
{{ 7*7 }} {% if 1 %}x{% endif %} \u{202e}倒序\n\n\
为落实意见\0，提出\u{2066}如下\u{2067}意见\u{2068}。\u{2069}\u{200e}\u{200f}\
<img src=x onerror=alert(2)> [a](javascript:alert(3)) <a href=\"javascript:alert(4)\">链接</a>\n\n\
一、总体要求\n\n\
（一）蟠桃会<svg onload=alert(5)>\u{202e}倒转。要求</script><script>alert(6)</script>，行\u{2028}分\u{2029}段，\
<!-- 注释 --> ]]> {{ x }} \u{202e}未闭合。\n\n\
（二）第二条。正常的文字，蟠桃园。\n";

/// The English version.
pub const EN: &str = "<script>alert(1)</script>Peach title </script> \"quoted\" 'single' \
{{ 7*7 }} \u{202e}reversed\n\n\
To implement the opinions\0, <img src=x onerror=alert(2)> [a](javascript:alert(3)).\n\n\
I. General requirements\n\n\
(1) Peach <svg onload=alert(5)> </script><script>alert(6)</script> line\u{2028}para\u{2029} \
<!-- comment --> ]]> \u{202e}open.\n\n\
(2) The second clause. Plain words.\n";

/// Writes the seeds folder at `dir/seeds` and returns it.
pub fn seeds(dir: &Path) -> PathBuf {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let seeds = dir.join("seeds");
    super::copy_dir(&repo, &seeds);
    std::fs::write(seeds.join("hostile-zh.txt"), ZH).unwrap();
    std::fs::write(seeds.join("hostile-en.txt"), EN).unwrap();
    let mut manifest = std::fs::read_to_string(seeds.join("manifest.yaml")).unwrap();
    manifest.push_str(&format!(
        "\n  - slug: {SLUG}\n    kind: guideline\n    date: 2021-01-01\n    versions:\n      \
         - {{file: hostile-zh.txt, lang: zh-Hans}}\n      - {{file: hostile-en.txt, lang: en}}\n"
    ));
    std::fs::write(seeds.join("manifest.yaml"), manifest).unwrap();
    seeds
}
