//! The parse stage for one document of the manifest: every version parsed into its tree,
//! the title settled (seed, manifest or file name) and the date found.

use crate::corpus::{self, SourceDocument};
use crate::model::{BlockKind, Document, TitleSource, Version, Warning, walk_blocks};
use std::path::Path;

/// Every version of `src` parsed into its tree, the title settled (the seed's title line,
/// else the manifest's, else the file name) and the date taken from the manifest or the
/// source line; with the parser's warnings and its repairs.
pub fn document(src: SourceDocument) -> (Document, Vec<Warning>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut repairs = Vec::new();
    let mut versions = Vec::new();
    for v in src.versions {
        let parsed = super::seed::parse(&v.text, &v.file);
        warnings.extend(parsed.warnings);
        repairs.extend(parsed.repairs);
        // The document's manifest title names the original; a translation needs its own.
        let manifest_title = v.title.or_else(|| src.title.clone().filter(|_| v.original));
        let (title, title_from) = match (parsed.title, manifest_title) {
            (Some(t), _) => (t, TitleSource::Seed),
            (None, Some(t)) => (t, TitleSource::Manifest),
            (None, None) => {
                warnings.push(Warning {
                    file: v.file.clone(),
                    line: 0,
                    message: "no title line and no title in the manifest; the file name is shown"
                        .into(),
                    hint: Some(format!(
                        "add `title: …` to this version's entry in {}",
                        corpus::MANIFEST
                    )),
                    quote: None,
                });
                (file_stem(&v.file), TitleSource::File)
            }
        };
        versions.push(Version {
            lang: v.lang,
            original: v.original,
            source: v.file,
            title,
            title_from,
            blocks: parsed.blocks,
            alignment: None,
        });
    }
    let date = src.date.or_else(|| date_from_source_line(&versions));
    (
        Document {
            slug: src.slug,
            kind: src.kind,
            date,
            relations: src.relations,
            links: Vec::new(),
            versions,
        },
        warnings,
        repairs,
    )
}

/// A date `YYYY-MM-DD` stated in a version's source line (`来源：2020-06-23 …`).
fn date_from_source_line(versions: &[Version]) -> Option<String> {
    versions
        .iter()
        .flat_map(|v| walk_blocks(&v.blocks))
        .filter(|b| b.kind == BlockKind::Source)
        .filter_map(|b| b.text.as_deref())
        .find_map(find_iso_date)
}

/// The first `YYYY-MM-DD` in `s` not preceded by a digit.
fn find_iso_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let shape = w.iter().enumerate().all(|(j, c)| match j {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        let bounded = i == 0 || !b[i - 1].is_ascii_digit();
        (shape && bounded).then(|| s[i..i + 10].to_string())
    })
}

/// The name of a seed file without its extension.
fn file_stem(file: &str) -> String {
    Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_iso_dates() {
        assert_eq!(
            find_iso_date("来源：2020-06-23 内蒙古日报 06 版").as_deref(),
            Some("2020-06-23")
        );
        assert_eq!(find_iso_date("12020-06-23"), None);
        assert_eq!(find_iso_date("no date"), None);
    }
}
