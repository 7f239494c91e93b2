//! `clausebook anchors`: what a build would lose of the published anchors, and the two
//! ways through.
//!
//! - [`explain`] builds in memory (every stage up to the anchor registry; nothing is
//!   written) and lists each registered anchor the build lacks: its page and id, where
//!   the same text is now, and the alias lines that would keep its links landing
//!   (see `anchors::explain` for how a new place is found).
//! - [`write_aliases`] adds those lines to `manifest.yaml`, under each document's
//!   `aliases:` (made where there is none), keeping every other byte of the file; where
//!   the file's shape is not one it edits safely, it changes nothing and returns the lines
//!   to paste.
//! - [`retire`] records in `anchors.lock` that an anchor is dropped on purpose, with the
//!   date and a reason: the build then no longer requires it.

use crate::anchors::{self, LOCK, explain as ex};
use crate::base::Problem;
use crate::build::{self, BuildError};
use crate::corpus;
use crate::render;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::anchors::explain::{Explanation, LostAnchor, Match, Suggestion};
pub use crate::anchors::{Entry, Retired};

/// Why an `anchors` command failed.
#[derive(Debug)]
pub enum AnchorsError {
    /// The seeds could not be read or the registry is unreadable (as a build reports it).
    Build(BuildError),
    /// Anything else: an anchor to retire that is not registered or still on its page, a
    /// file that cannot be written.
    Refused(Box<Problem>),
}

impl fmt::Display for AnchorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnchorsError::Build(e) => e.fmt(f),
            AnchorsError::Refused(p) => p.fmt(f),
        }
    }
}

impl std::error::Error for AnchorsError {}

impl From<BuildError> for AnchorsError {
    fn from(e: BuildError) -> Self {
        AnchorsError::Build(e)
    }
}

impl From<anchors::AnchorError> for AnchorsError {
    fn from(e: anchors::AnchorError) -> Self {
        AnchorsError::Build(BuildError::Anchors(e))
    }
}

impl From<crate::output::OutputError> for AnchorsError {
    fn from(e: crate::output::OutputError) -> Self {
        AnchorsError::Build(BuildError::Output(e))
    }
}

fn refused(problem: Problem) -> AnchorsError {
    AnchorsError::Refused(Box::new(problem))
}

/// The library, its anchors and the manifest's aliases, built in memory.
struct InMemory {
    library: crate::model::Library,
    registry: anchors::Registry,
    aliases: BTreeMap<String, BTreeMap<String, String>>,
}

fn in_memory(seeds: &Path) -> Result<InMemory, BuildError> {
    let a = build::load(seeds)?;
    let registry = render::registry(&a.library);
    Ok(InMemory {
        library: a.library,
        registry,
        aliases: a.aliases,
    })
}

/// Builds the seeds folder in memory and explains every registered anchor the build
/// would lose (nothing is written).
pub fn explain(seeds: &Path) -> Result<Explanation, AnchorsError> {
    let m = in_memory(seeds)?;
    let old = anchors::read_lock(seeds)?;
    Ok(ex::explain(
        &m.registry,
        old,
        &m.library,
        &m.aliases,
        &anchors::today(),
    ))
}

/// The suggestions of one document as the lines of its `aliases:` map, indented by
/// `indent` spaces.
pub fn alias_lines(suggestions: &[&Suggestion], indent: usize) -> String {
    let pad = " ".repeat(indent);
    suggestions
        .iter()
        .map(|s| format!("{pad}{}: {}\n", s.old, s.new))
        .collect()
}

/// What [`write_aliases`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AliasEdit {
    /// No suggestion to write.
    Nothing,
    /// The manifest now holds these aliases (document, old id, new id).
    Written(PathBuf, Vec<(String, String, String)>),
    /// The manifest was left as it was: why, and the lines to paste under each
    /// document (slug ─► lines).
    Paste(String, BTreeMap<String, String>),
}

/// Adds `suggestions` to the `aliases:` of their documents in `seeds/manifest.yaml`,
/// keeping every other byte of the file; an alias the manifest has already is never
/// replaced. Where the manifest is not shaped so that the lines can be added safely
/// (a document written as a one-line map, an `aliases:` spread over lines in braces,
/// ids YAML would read otherwise), nothing is written and the lines to paste are
/// returned. The edited text is read back and must give exactly the old aliases and
/// the new ones before it replaces the file.
pub fn write_aliases(seeds: &Path, suggestions: &[Suggestion]) -> Result<AliasEdit, AnchorsError> {
    let path = seeds.join(crate::base::paths::MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        refused(
            Problem::in_file(&path, format!("cannot read the manifest: {e}"))
                .hint("`--write-aliases` edits seeds/manifest.yaml; without one, add it first"),
        )
    })?;
    let before = corpus::manifest_aliases(&text, &path)
        .map_err(|e| AnchorsError::Build(BuildError::Corpus(e)))?;
    let mut by_doc: BTreeMap<&str, Vec<&Suggestion>> = BTreeMap::new();
    for s in suggestions {
        if before.get(&s.slug).is_some_and(|a| a.contains_key(&s.old)) {
            continue;
        }
        by_doc.entry(&s.slug).or_default().push(s);
    }
    if by_doc.is_empty() {
        return Ok(AliasEdit::Nothing);
    }
    let paste = |why: String| {
        let lines = by_doc
            .iter()
            .map(|(slug, s)| (slug.to_string(), alias_lines(s, 6)))
            .collect();
        Ok(AliasEdit::Paste(why, lines))
    };
    if let Some(bad) = by_doc
        .values()
        .flatten()
        .flat_map(|s| [&s.old, &s.new])
        .find(|id| !plain_id(id))
    {
        return paste(format!("the id `{bad}` would need quoting in YAML"));
    }
    let mut edited = text.clone();
    for (slug, s) in &by_doc {
        match add_aliases(&edited, slug, s) {
            Ok(t) => edited = t,
            Err(why) => return paste(format!("document `{slug}`: {why}")),
        }
    }
    // Read back: the other documents' aliases as they were, these with the new lines.
    let mut want = before.clone();
    for (slug, s) in &by_doc {
        let a = want.entry(slug.to_string()).or_default();
        for x in s {
            a.insert(x.old.clone(), x.new.clone());
        }
    }
    match corpus::manifest_aliases(&edited, &path) {
        Ok(got) if got == want => {}
        _ => {
            return paste(
                "the edited manifest did not read back with exactly the aliases added".into(),
            );
        }
    }
    if let Some(p) = crate::output::PendingFile::prepare(&path, edited.as_bytes())? {
        p.replace()?;
    }
    let written = by_doc
        .values()
        .flatten()
        .map(|s| (s.slug.clone(), s.old.clone(), s.new.clone()))
        .collect();
    Ok(AliasEdit::Written(path, written))
}

/// Whether `id` is a YAML plain scalar read as the same string: letters, digits and
/// `-` `.` `_`, starting with a letter.
fn plain_id(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        && !matches!(
            id.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "nan" | "inf"
        )
}

/// The indentation of a line and whether it holds content (not blank, not a comment).
fn shape(line: &str) -> (usize, bool) {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = line[indent..].trim();
    (indent, !rest.is_empty() && !rest.starts_with('#'))
}

/// `value` of a line `key: value  # comment` (the comment left out, spaces trimmed).
fn value_of<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line
        .trim_start()
        .strip_prefix("- ")
        .unwrap_or(line.trim_start());
    let v = rest.strip_prefix(key)?.strip_prefix(':')?;
    if !(v.is_empty() || v.starts_with([' ', '\t', '\r', '\n'])) {
        return None;
    }
    let v = match v.find(" #") {
        Some(i) => &v[..i],
        None => v,
    };
    Some(v.trim())
}

/// The manifest text with `s` added to the `aliases:` of document `slug`, or why not.
fn add_aliases(text: &str, slug: &str, s: &[&Suggestion]) -> Result<String, String> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let bare = |l: &str| l.trim_end_matches(['\n', '\r']).to_string();
    // The line `slug: <slug>` (quoted or not) of a document in block style.
    let is_slug = |l: &str| {
        value_of(&bare(l), "slug")
            .is_some_and(|v| v == slug || v == format!("'{slug}'") || v == format!("\"{slug}\""))
    };
    let found: Vec<usize> = (0..lines.len()).filter(|&i| is_slug(lines[i])).collect();
    let [at] = found[..] else {
        return Err(if found.is_empty() {
            "no line `slug: …` of it in block style (a document written as `{slug: …}`?)".into()
        } else {
            "its slug line appears more than once".into()
        });
    };
    // The column of the entry's keys.
    let line = bare(lines[at]);
    let key_col = line.find("slug").unwrap_or(0);
    // The entry: back to its `- ` line, on to the last line indented at least as far.
    let mut start = at;
    if !line[..key_col].trim_end().ends_with('-') {
        for i in (0..at).rev() {
            let l = bare(lines[i]);
            let (ind, content) = shape(&l);
            if !content || ind >= key_col {
                continue;
            }
            if ind + 2 == key_col && l[ind..].starts_with("- ") {
                start = i;
            }
            break;
        }
    }
    let mut end = at + 1;
    let mut last = at;
    while end < lines.len() {
        let l = bare(lines[end]);
        let (ind, content) = shape(&l);
        if content {
            if ind < key_col {
                break;
            }
            last = end;
        }
        end += 1;
    }
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let key = (start..=last).find(|&i| {
        let l = bare(lines[i]);
        let (ind, _) = shape(&l);
        let col = if l[ind..].starts_with("- ") {
            ind + 2
        } else {
            ind
        };
        col == key_col && value_of(&l, "aliases").is_some()
    });
    let Some(k) = key else {
        // No `aliases:` yet: one after the entry's last line.
        let mut add = format!("{}aliases:{nl}", " ".repeat(key_col));
        add.push_str(&alias_lines(s, key_col + 2).replace('\n', nl));
        ensure_line_end(&mut out[last], nl);
        out.insert(last + 1, add);
        return Ok(out.concat());
    };
    let l = bare(lines[k]);
    let v = value_of(&l, "aliases").unwrap_or("");
    if v.starts_with('{') {
        if !v.ends_with('}') {
            return Err("its `aliases:` map in braces spans several lines".into());
        }
        let close = l.rfind('}').ok_or("no closing brace")?;
        let inner = v[1..v.len() - 1].trim();
        let items: Vec<String> = s.iter().map(|x| format!("{}: {}", x.old, x.new)).collect();
        let insert = if inner.is_empty() {
            items.join(", ")
        } else {
            format!(", {}", items.join(", "))
        };
        let ending = &lines[k][l.len()..];
        let head = l[..close].trim_end_matches(' ');
        let head = if inner.is_empty() { &l[..close] } else { head };
        out[k] = format!("{head}{insert}{}{ending}", &l[close..]);
        return Ok(out.concat());
    }
    if !v.is_empty() {
        return Err(format!(
            "its `aliases:` is `{v}`, not a map this command edits"
        ));
    }
    // A map in block style: the new lines after its last line, indented as its first.
    let mut child = None;
    let mut last_child = k;
    for (i, line) in lines.iter().enumerate().take(last + 1).skip(k + 1) {
        let (ind, content) = shape(&bare(line));
        if !content {
            continue;
        }
        if ind <= key_col {
            break;
        }
        child.get_or_insert(ind);
        last_child = i;
    }
    let indent = child.unwrap_or(key_col + 2);
    ensure_line_end(&mut out[last_child], nl);
    out.insert(last_child + 1, alias_lines(s, indent).replace('\n', nl));
    Ok(out.concat())
}

/// Ends `line` with a line break where it has none (the file's last line).
fn ensure_line_end(line: &mut String, nl: &str) {
    if !line.ends_with('\n') {
        line.push_str(nl);
    }
}

/// Records the anchors `keys` as retired in `seeds/anchors.lock`, with today's date and
/// `reason`: the build then no longer requires them. A key is `page#id`
/// (`law06/c127.html#c127-3`) or `slug#id` (`law06#c127-3`: on every page of the
/// document), and covers the ids the unit holds (`c127-3.1`, `c127-3.2`). Only anchors
/// a build of the seeds as they are would lose are retired: a key naming an anchor still
/// on its page, or nothing registered, is refused. Returns the lines as the lock now
/// holds them.
pub fn retire(seeds: &Path, keys: &[String], reason: &str) -> Result<Vec<String>, AnchorsError> {
    let path = seeds.join(LOCK);
    let reason = anchors::one_line(reason);
    if reason.is_empty() {
        return Err(refused(
            Problem {
                message: "a retired anchor needs a reason".into(),
                ..Problem::default()
            }
            .hint("say why in `--reason \"…\"`; the lock keeps it with the date"),
        ));
    }
    let Some(mut lock) = anchors::read_lock(seeds)? else {
        return Err(refused(
            Problem::in_file(
                &path,
                "there is no anchor registry yet, so nothing to retire",
            )
            .hint("`clausebook build` writes it"),
        ));
    };
    let m = in_memory(seeds)?;
    let today = anchors::today();
    let mut done: Vec<String> = Vec::new();
    for key in keys {
        let Some((place, id)) = key
            .split_once('#')
            .filter(|(p, i)| !p.is_empty() && !i.is_empty())
        else {
            return Err(refused(
                Problem {
                    message: format!("`{key}` is not `page#id` or `slug#id`"),
                    ..Problem::default()
                }
                .hint("name the anchor as the build's error or `clausebook anchors` shows it, e.g. `law06/c127.html#c127-3`, or `law06#c127-3` for every page of the document"),
            ));
        };
        let whole_doc = !place.contains('/') && !place.ends_with(".html");
        let on = |page: &str| {
            if whole_doc {
                page.strip_prefix(place).is_some_and(|r| r.starts_with('/'))
            } else {
                page == place
            }
        };
        let covers = |i: &str| {
            i == id
                || i.strip_prefix(id)
                    .is_some_and(|r| r.starts_with('-') || r.starts_with('.'))
        };
        let present =
            |page: &str, i: &str| m.registry.get(page).is_some_and(|ids| ids.contains_key(i));
        let named: Vec<(String, String)> = lock
            .keys()
            .filter(|(p, i)| on(p) && covers(i))
            .cloned()
            .collect();
        if named.is_empty() {
            return Err(refused(
                Problem::in_file(&path, format!("`{key}` is not registered")).hint(
                    "run `clausebook anchors` to list the anchors the build would lose, as `page#id`",
                ),
            ));
        }
        if let Some((p, i)) = named.iter().find(|(p, i)| i == id && present(p, i)) {
            return Err(refused(
                Problem {
                    message: format!("`{p}#{i}` is still on its page: nothing to retire"),
                    ..Problem::default()
                }
                .hint("retire only anchors a build would lose (`clausebook anchors` lists them)"),
            ));
        }
        for (p, i) in named {
            if present(&p, &i) {
                continue;
            }
            if let Some(e) = lock.get_mut(&(p.clone(), i.clone()))
                && e.retired.is_none()
            {
                e.retired = Some(Retired {
                    date: today.clone(),
                    reason: reason.clone(),
                });
                done.push(format!("{p}#{i}"));
            }
        }
    }
    let text = anchors::render_lock(&lock);
    if let Some(p) = crate::output::PendingFile::prepare(&path, text.as_bytes())? {
        p.replace()?;
    }
    let lines = text
        .lines()
        .filter(|l| done.iter().any(|k| l.starts_with(&format!("{k} "))))
        .map(str::to_string)
        .collect();
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sug(old: &str, new: &str) -> Suggestion {
        Suggestion {
            slug: "g".into(),
            old: old.into(),
            new: new.into(),
            how: Match::SameText,
        }
    }

    #[test]
    fn aliases_are_added_to_a_block_map_a_flow_map_or_a_new_key() {
        let s = [sug("c127-3", "c128-1")];
        let s: Vec<&Suggestion> = s.iter().collect();
        // No aliases yet: a key after the entry's last line, before the next entry.
        let text = "documents:\n  - slug: g\n    kind: law\n    versions:\n      - {file: a.txt, lang: zh}\n\n  - slug: h\n    kind: law\n";
        let got = add_aliases(text, "g", &s).unwrap();
        assert_eq!(
            got,
            "documents:\n  - slug: g\n    kind: law\n    versions:\n      - {file: a.txt, lang: zh}\n    aliases:\n      c127-3: c128-1\n\n  - slug: h\n    kind: law\n"
        );
        // A flow map: the pair joins it.
        let text =
            "documents:\n  - kind: law\n    slug: g  # the law\n    aliases: {c36: c35}  # moved\n";
        let got = add_aliases(text, "g", &s).unwrap();
        assert_eq!(
            got,
            "documents:\n  - kind: law\n    slug: g  # the law\n    aliases: {c36: c35, c127-3: c128-1}  # moved\n"
        );
        let got = add_aliases("documents:\n  - slug: g\n    aliases: {}\n", "g", &s).unwrap();
        assert_eq!(
            got,
            "documents:\n  - slug: g\n    aliases: {c127-3: c128-1}\n"
        );
        // A block map: a line after its last, indented alike; the file's last line.
        let text = "documents:\n  - slug: g\n    aliases:\n        c36: c35\n  - slug: h\n    aliases:\n      c1: c2";
        let got = add_aliases(text, "g", &s).unwrap();
        assert!(
            got.contains("    aliases:\n        c36: c35\n        c127-3: c128-1\n  - slug: h\n"),
            "{got}"
        );
        let got = add_aliases(text, "h", &s).unwrap();
        assert!(
            got.ends_with("      c1: c2\n      c127-3: c128-1\n"),
            "{got}"
        );
        // CRLF files keep their line ends.
        let got = add_aliases("documents:\r\n  - slug: g\r\n    kind: law\r\n", "g", &s).unwrap();
        assert_eq!(
            got,
            "documents:\r\n  - slug: g\r\n    kind: law\r\n    aliases:\r\n      c127-3: c128-1\r\n"
        );
        // Shapes left alone.
        assert!(add_aliases("documents:\n  - {slug: g, kind: law}\n", "g", &s).is_err());
        assert!(
            add_aliases(
                "documents:\n  - slug: g\n    aliases: {c1: c2,\n      c3: c4}\n",
                "g",
                &s
            )
            .is_err()
        );
        assert!(plain_id("c127-3") && plain_id("en-c8-1.2") && !plain_id("no") && !plain_id("1"));
    }
}
