//! Tree assembly (events ─► blocks), the closing block, numbering checks and ids.

use super::classify::{ClauseStyle, Event, EventKind};
use super::text::{self, has_inner_sentence_break, heading_like, trim_layout};
use crate::model::{Block, BlockKind, Warning, walk_blocks};
use std::collections::{HashMap, HashSet};

/// Byte offset just after the first sentence of `s` (its mark and any closing quotes
/// included): `。！？` anywhere, or `.!?` followed by a space or the end in English
/// (not after a common abbreviation such as `No.` or `e.g.`). `None` if there is none.
pub(crate) fn first_sentence_end(s: &str) -> Option<usize> {
    const ABBR: &[&str] = &[
        "No", "Mr", "Ms", "Dr", "St", "e.g", "i.e", "etc", "vs", "Art",
    ];
    let mut found = None;
    for (i, c) in s.char_indices() {
        let end = i + c.len_utf8();
        let hit = match c {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' => {
                let next = s[end..].chars().next();
                // The word before the mark, looked up only where the mark can end a
                // sentence, so a long run of dots inside a word is scanned once.
                let word = || {
                    s[..i]
                        .rsplit(|ch: char| ch.is_whitespace() || ch == '(')
                        .next()
                        .unwrap_or("")
                };
                (next.is_none() || next == Some(' ') || next.is_some_and(|n| "”’\")".contains(n)))
                    && !ABBR.contains(&word())
                    && !(word().len() == 1 && word().chars().all(|ch| ch.is_ascii_uppercase()))
            }
            _ => false,
        };
        if hit {
            found = Some(end);
            break;
        }
    }
    let mut stop = found?;
    for c in s[stop..].chars() {
        if "”’」』）)\"".contains(c) {
            stop += c.len_utf8();
        } else {
            break;
        }
    }
    Some(stop)
}

/// The title and body of a clause line's rest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct TitleSplit {
    /// The clause title as printed, if any.
    pub title: Option<String>,
    /// The text after the title on the same line, with its bold ranges.
    pub body: Option<(String, Vec<(usize, usize)>)>,
}

fn body_from(
    rest: &str,
    strong: &[(usize, usize)],
    at: usize,
) -> Option<(String, Vec<(usize, usize)>)> {
    let tail = &rest[at..];
    let lead = tail.len() - tail.trim_start_matches(text::is_layout).len();
    let start = at + lead;
    let body = trim_layout(&rest[start..]).to_string();
    if body.is_empty() {
        return None;
    }
    let strong = text::shift_ranges(strong, start, start + body.len(), -(start as isize));
    Some((body, strong))
}

/// Splits the rest of a clause line into title and body:
///
/// * a bold run at the start is the title (`**(一)打好三大攻坚战。**把打好…`);
/// * a rest that reads as a heading is the title alone (`(一) 不断提升创新发展能力`);
/// * otherwise the first sentence is the title, the remainder the first paragraph.
///
/// Statute articles (`第一条`) have no sentence title: only a `【…】` head or a line
/// standing alone is a title; their text is a paragraph.
pub(crate) fn split_clause_title(
    rest: &str,
    strong: &[(usize, usize)],
    style: ClauseStyle,
) -> TitleSplit {
    let rest_t = trim_layout(rest);
    if rest_t.is_empty() {
        return TitleSplit::default();
    }
    if let Some(&(0, e)) = strong.first() {
        let title = trim_layout(&rest[..e]).to_string();
        return TitleSplit {
            title: Some(title),
            body: body_from(rest, strong, e),
        };
    }
    if heading_like(rest_t) {
        return TitleSplit {
            title: Some(rest_t.to_string()),
            body: None,
        };
    }
    if style == ClauseStyle::Article {
        if rest.starts_with('【')
            && let Some(close) = rest.find('】')
        {
            let e = close + '】'.len_utf8();
            return TitleSplit {
                title: Some(rest[..e].to_string()),
                body: body_from(rest, strong, e),
            };
        }
        return TitleSplit {
            title: None,
            body: body_from(rest, strong, 0),
        };
    }
    match first_sentence_end(rest) {
        Some(e) if text::units(&rest[..e]) <= 60 => TitleSplit {
            title: Some(trim_layout(&rest[..e]).to_string()),
            body: body_from(rest, strong, e),
        },
        _ => TitleSplit {
            title: None,
            body: body_from(rest, strong, 0),
        },
    }
}

/// Splits a part line's rest: the whole rest is the title, unless a sentence ends inside
/// it, in which case the first sentence is the title and the remainder a paragraph.
pub(crate) fn split_part_title(rest: &str, strong: &[(usize, usize)]) -> TitleSplit {
    let t = trim_layout(rest);
    if t.is_empty() {
        return TitleSplit::default();
    }
    if has_inner_sentence_break(t)
        && let Some(e) = first_sentence_end(rest)
        && e < rest.len()
    {
        return TitleSplit {
            title: Some(trim_layout(&rest[..e]).to_string()),
            body: body_from(rest, strong, e),
        };
    }
    TitleSplit {
        title: Some(t.to_string()),
        body: None,
    }
}

fn leaf(kind: BlockKind, line: usize, text: String, strong: Vec<(usize, usize)>) -> Block {
    let mut b = Block::new(kind, "", line);
    b.text = Some(text);
    b.strong = strong;
    b
}

/// A part or clause opened by its number line: number, label, the title printed on that
/// line, and the text after the title as its first paragraph.
fn numbered(kind: BlockKind, line: usize, number: u32, label: String, split: TitleSplit) -> Block {
    let mut b = Block::new(kind, "", line);
    b.number = Some(number);
    b.label = Some(label);
    b.title = split.title;
    if let Some((body, strong)) = split.body {
        b.children
            .push(leaf(BlockKind::Paragraph, line, body, strong));
    }
    b
}

#[derive(Default)]
struct Asm {
    out: Vec<Block>,
    preamble: Option<Block>,
    part: Option<Block>,
    clause: Option<Block>,
    article: Option<Block>,
    numbered: bool,
    /// Items go to the last child (a list or an aside) while this is set.
    open_list: bool,
    open_aside: bool,
}

impl Asm {
    fn target(&mut self, line: usize) -> &mut Vec<Block> {
        if let Some(c) = self.clause.as_mut() {
            return &mut c.children;
        }
        if let Some(p) = self.part.as_mut() {
            return &mut p.children;
        }
        if let Some(a) = self.article.as_mut() {
            return &mut a.children;
        }
        if self.numbered {
            return &mut self
                .preamble
                .get_or_insert_with(|| Block::new(BlockKind::Preamble, "pre", line))
                .children;
        }
        &mut self.out
    }

    fn push(&mut self, b: Block) {
        self.open_list = false;
        self.open_aside = false;
        let line = b.line;
        self.target(line).push(b);
    }

    fn flush_preamble(&mut self) {
        if let Some(p) = self.preamble.take() {
            self.out.push(p);
        }
    }

    fn close_clause(&mut self) {
        if let Some(c) = self.clause.take() {
            match self.part.as_mut() {
                Some(p) => p.children.push(c),
                None => match self.article.as_mut() {
                    Some(a) => a.children.push(c),
                    None => self.out.push(c),
                },
            }
        }
        self.open_list = false;
        self.open_aside = false;
    }

    fn close_part(&mut self) {
        self.close_clause();
        if let Some(p) = self.part.take() {
            match self.article.as_mut() {
                Some(a) => a.children.push(p),
                None => self.out.push(p),
            }
        }
    }

    fn close_all(&mut self) {
        self.close_part();
        self.flush_preamble();
        if let Some(a) = self.article.take() {
            self.out.push(a);
        }
    }
}

/// Builds the block tree from the (repaired) events. Ids are left empty; see
/// [`assign_ids`]. Returns the blocks and the document's title line, if any.
pub(crate) fn assemble(events: Vec<Event>) -> (Vec<Block>, Option<String>) {
    let mut a = Asm {
        numbered: events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Part { .. } | EventKind::Clause { .. })),
        ..Asm::default()
    };
    let mut title = None;
    for e in events {
        match e.kind {
            EventKind::Title if title.is_none() => {
                title = Some(e.text.clone());
                a.out
                    .push(leaf(BlockKind::Title, e.line, e.text, Vec::new()));
            }
            EventKind::Title | EventKind::Heading => {
                a.push(leaf(BlockKind::Heading, e.line, e.text, Vec::new()))
            }
            EventKind::Part { number, label } => {
                a.close_part();
                a.flush_preamble();
                let split = split_part_title(&e.text, &e.strong);
                a.part = Some(numbered(BlockKind::Part, e.line, number, label, split));
            }
            EventKind::Clause {
                number,
                label,
                style,
            } => {
                a.close_clause();
                a.flush_preamble();
                let split = split_clause_title(&e.text, &e.strong, style);
                a.clause = Some(numbered(BlockKind::Clause, e.line, number, label, split));
            }
            EventKind::Item {
                number,
                label,
                bullet,
            } => {
                let mut item = leaf(BlockKind::Item, e.line, e.text, e.strong);
                item.number = number;
                item.label = label;
                let (open_list, open_aside) = (a.open_list, a.open_aside);
                let t = a.target(e.line);
                match t.last_mut() {
                    Some(last) if open_aside && bullet => last.children.push(item),
                    Some(last) if open_list => last.children.push(item),
                    _ => {
                        let mut list = Block::new(BlockKind::List, "", e.line);
                        list.children.push(item);
                        t.push(list);
                        a.open_list = true;
                        a.open_aside = false;
                    }
                }
            }
            EventKind::AsideIntro => {
                let mut aside = Block::new(BlockKind::Aside, "", e.line);
                aside.title = Some(e.text);
                a.push(aside);
                a.open_aside = true;
            }
            EventKind::ArticleMarker => {
                a.close_all();
                let mut art = Block::new(BlockKind::Article, "", e.line);
                art.label = Some(e.text);
                a.article = Some(art);
            }
            EventKind::ArticleTitle => match a.article.as_mut() {
                Some(art) if art.title.is_none() && art.children.is_empty() => {
                    art.title = Some(e.text)
                }
                _ => a.push(leaf(BlockKind::Heading, e.line, e.text, Vec::new())),
            },
            EventKind::Dateline => a.push(leaf(BlockKind::Dateline, e.line, e.text, Vec::new())),
            EventKind::Source => a.push(leaf(BlockKind::Source, e.line, e.text, Vec::new())),
            EventKind::Byline => a.push(leaf(BlockKind::Byline, e.line, e.text, Vec::new())),
            EventKind::Text => a.push(leaf(BlockKind::Paragraph, e.line, e.text, e.strong)),
        }
    }
    a.close_all();
    (a.out, title)
}

/// Moves what follows the body of the last clause into a `Closing` block after the last
/// part (or clause): datelines, source lines and bylines at the end always; paragraphs
/// where the last clause has more paragraphs than any other clause of the document (the
/// last clause keeps as many paragraphs as the longest other clause, at least one). A document whose last part
/// has no clauses only gives up its trailing dateline, source and byline blocks.
pub(crate) fn split_closing(blocks: &mut Vec<Block>) {
    let Some(last) = blocks
        .iter()
        .rposition(|b| matches!(b.kind, BlockKind::Part | BlockKind::Clause))
    else {
        return;
    };
    let paragraphs = |b: &Block| {
        b.children
            .iter()
            .filter(|c| c.kind == BlockKind::Paragraph)
            .count()
    };
    let max_other = {
        let clauses: Vec<usize> = walk_blocks(blocks)
            .into_iter()
            .filter(|b| b.kind == BlockKind::Clause)
            .map(paragraphs)
            .collect();
        if clauses.len() >= 2 {
            Some(
                clauses[..clauses.len() - 1]
                    .iter()
                    .copied()
                    .max()
                    .unwrap_or(0)
                    .max(1),
            )
        } else {
            None
        }
    };
    let container = {
        let b = &mut blocks[last];
        if b.kind == BlockKind::Part
            && b.children
                .last()
                .is_some_and(|c| c.kind == BlockKind::Clause)
        {
            b.children.last_mut().expect("checked")
        } else {
            b
        }
    };
    let is_clause = container.kind == BlockKind::Clause;
    let trailer = |b: &Block| {
        matches!(
            b.kind,
            BlockKind::Dateline | BlockKind::Source | BlockKind::Byline
        )
    };
    let first_trailer = container.children.iter().position(trailer);
    let cut = match (is_clause, max_other) {
        (true, Some(m)) => {
            // The index of the (m+1)-th paragraph: the last clause keeps m paragraphs
            // (and the lists among them).
            let over = container
                .children
                .iter()
                .enumerate()
                .filter(|(_, c)| c.kind == BlockKind::Paragraph)
                .nth(m)
                .map_or(usize::MAX, |(i, _)| i);
            over.min(first_trailer.unwrap_or(usize::MAX))
        }
        _ => {
            let mut cut = container.children.len();
            while cut > 0 && trailer(&container.children[cut - 1]) {
                cut -= 1;
            }
            cut
        }
    };
    if cut >= container.children.len() {
        return;
    }
    let moved: Vec<Block> = container.children.drain(cut..).collect();
    let mut closing = Block::new(BlockKind::Closing, "end", moved[0].line);
    closing.children = moved;
    blocks.insert(last + 1, closing);
}

/// Whether clause numbers restart in each part (`p2-c1`): some part other than the
/// first with clauses starts again at clause 1.
pub(crate) fn clauses_restart(blocks: &[Block]) -> bool {
    let mut seen = false;
    for p in blocks.iter().filter(|b| b.kind == BlockKind::Part) {
        let first = p.children.iter().find(|c| c.kind == BlockKind::Clause);
        if let Some(c) = first {
            if seen && c.number == Some(1) {
                return true;
            }
            seen = true;
        }
    }
    false
}

/// Ids handed out so far, and for each base the next suffix to try, so that a number
/// used many times costs no rescan of the suffixes already taken.
#[derive(Default)]
struct Used {
    ids: HashSet<String>,
    next: HashMap<String, u32>,
}

/// `base` if free, else its `k`-th suffixed form: `-b` … `-z`, then `-2x`, `-3x`, ….
fn suffixed(base: &str, k: u32) -> String {
    match k {
        0 => base.to_string(),
        1..=25 => format!("{base}-{}", char::from(b'a' + k as u8)),
        _ => format!("{base}-{}x", k - 24),
    }
}

fn unique(base: String, used: &mut Used) -> String {
    let mut k = used.next.get(&base).copied().unwrap_or(0);
    loop {
        let cand = suffixed(&base, k);
        k += 1;
        if used.ids.insert(cand.clone()) {
            used.next.insert(base, k);
            return cand;
        }
    }
}

fn number_children(b: &mut Block) {
    let id = b.id.clone();
    for (k, c) in b.children.iter_mut().enumerate() {
        c.id = format!("{id}-{}", k + 1);
        number_children(c);
    }
}

/// Assigns the anchor ids of the contract to a tree (after parsing, or again after a
/// restructure such as [`crate::align::supply_missing_parts`]).
///
/// * Numbered documents (any part or clause): `title`; `pre`, `pre-{k}`; parts `p{n}`,
///   their own units `p{n}-{k}` (clauses not counted); clauses `c{n}`, or `p{n}-c{m}`
///   where clause numbers restart in each part; a clause's units `c{n}-{k}`; list items
///   `{list}-{i}`; `end`, `end-{k}`. A number used twice gets a letter suffix on its second
///   use (`c5`, `c5-b`, `c5-c`…), so ids stay unique; children follow their parent's id.
///   Other top-level blocks (rare) get `x{k}`.
/// * Unnumbered documents: `title`, and `n{k}` for every other block in reading
///   (pre-)order, nested blocks included.
pub(crate) fn assign_ids(blocks: &mut [Block]) {
    let numbered = walk_blocks(blocks)
        .iter()
        .any(|b| matches!(b.kind, BlockKind::Part | BlockKind::Clause));
    if !numbered {
        fn go(bs: &mut [Block], k: &mut usize) {
            for b in bs {
                if b.kind == BlockKind::Title {
                    b.id = "title".into();
                } else {
                    *k += 1;
                    b.id = format!("n{k}");
                }
                go(&mut b.children, k);
            }
        }
        go(blocks, &mut 0);
        return;
    }
    let restart = clauses_restart(blocks);
    let mut used = Used::default();
    let mut other = 0;
    let mut part_seq = 0;
    for b in blocks.iter_mut() {
        match b.kind {
            BlockKind::Title => b.id = unique("title".into(), &mut used),
            BlockKind::Preamble => {
                b.id = unique("pre".into(), &mut used);
                number_children(b);
            }
            BlockKind::Closing => {
                b.id = unique("end".into(), &mut used);
                number_children(b);
            }
            BlockKind::Part => {
                part_seq += 1;
                let base = match b.number {
                    Some(n) => format!("p{n}"),
                    None => format!("p-{part_seq}"),
                };
                b.id = unique(base, &mut used);
                let pid = b.id.clone();
                let mut k = 0;
                for c in b.children.iter_mut() {
                    if c.kind == BlockKind::Clause {
                        let base = match (c.number, restart) {
                            (Some(m), true) => format!("{pid}-c{m}"),
                            (Some(m), false) => format!("c{m}"),
                            (None, _) => format!("{pid}-c"),
                        };
                        c.id = unique(base, &mut used);
                    } else {
                        k += 1;
                        c.id = format!("{pid}-{k}");
                    }
                    number_children(c);
                }
            }
            BlockKind::Clause => {
                let base = b
                    .number
                    .map_or_else(|| "c".to_string(), |m| format!("c{m}"));
                b.id = unique(base, &mut used);
                number_children(b);
            }
            _ => {
                other += 1;
                b.id = unique(format!("x{other}"), &mut used);
                number_children(b);
            }
        }
    }
}

fn seq_warning(file: &str, what: &str, prev: Option<u32>, n: u32, line: usize) -> Option<Warning> {
    // u64: the number after u32::MAX still compares.
    let n = u64::from(n);
    let expected = prev.map_or(1, |p| u64::from(p) + 1);
    if n == expected {
        return None;
    }
    let (message, hint) = if n > expected {
        let missing = if n - expected == 1 {
            format!("{what} {expected} is missing")
        } else {
            format!("{what}s {expected}–{} are missing", n - 1)
        };
        (
            format!(
                "{what} numbers jump from {} to {n}: {missing}",
                prev.unwrap_or(0)
            ),
            format!(
                "the heading of {what} {expected} may have been lost in the extraction, so its text sits in the {what} before; check the source text (a translation that has it can place it)"
            ),
        )
    } else {
        (
            format!(
                "{what} number {n} repeats or goes back after {}",
                prev.unwrap_or(0)
            ),
            format!(
                "check the numbering in the source; the {what} keeps a suffixed anchor so links stay unique"
            ),
        )
    };
    Some(Warning {
        file: file.to_string(),
        line,
        message,
        hint: Some(hint),
        quote: None,
    })
}

/// Warnings for gaps, repeats and out-of-order numbers of parts and clauses (clause
/// numbers are checked through the document, or per part where they restart).
pub(crate) fn numbering_warnings(blocks: &[Block], file: &str) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut prev_part = None;
    for p in blocks.iter().filter(|b| b.kind == BlockKind::Part) {
        if let Some(n) = p.number {
            out.extend(seq_warning(file, "part", prev_part, n, p.line));
            prev_part = Some(n);
        }
    }
    let restart = clauses_restart(blocks);
    let mut prev = None;
    for top in blocks {
        if restart && top.kind == BlockKind::Part {
            prev = None;
        }
        let clauses: Vec<&Block> = if top.kind == BlockKind::Clause {
            vec![top]
        } else if top.kind == BlockKind::Part {
            top.children
                .iter()
                .filter(|c| c.kind == BlockKind::Clause)
                .collect()
        } else {
            Vec::new()
        };
        for c in clauses {
            if let Some(n) = c.number {
                out.extend(seq_warning(file, "clause", prev, n, c.line));
                prev = Some(n);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_titles() {
        let rest = "打好三大攻坚战。把打好";
        let s = split_clause_title(rest, &[(0, "打好三大攻坚战。".len())], ClauseStyle::CnParen);
        assert_eq!(s.title.as_deref(), Some("打好三大攻坚战。"));
        assert_eq!(s.body.unwrap().0, "把打好");
        let s = split_clause_title("不断提升创新发展能力", &[], ClauseStyle::CnParen);
        assert_eq!(s.title.as_deref(), Some("不断提升创新发展能力"));
        assert!(s.body.is_none());
        let s = split_clause_title(
            "Fight three major battles. Take the battles well.",
            &[],
            ClauseStyle::ArabicParen,
        );
        assert_eq!(s.title.as_deref(), Some("Fight three major battles."));
        assert_eq!(s.body.unwrap().0, "Take the battles well.");
        let s = split_clause_title("为了规范管理，制定本办法。", &[], ClauseStyle::Article);
        assert_eq!(s.title, None);
        assert_eq!(s.body.unwrap().0, "为了规范管理，制定本办法。");
        let s = split_clause_title(
            "【目的】为了规范管理，制定本办法。",
            &[],
            ClauseStyle::Article,
        );
        assert_eq!(s.title.as_deref(), Some("【目的】"));
    }

    #[test]
    fn sentence_ends_skip_abbreviations() {
        assert_eq!(
            first_sentence_end("See No. 5 here. Next"),
            Some("See No. 5 here.".len())
        );
        assert_eq!(first_sentence_end("“好。”他说"), Some("“好。”".len()));
        assert_eq!(first_sentence_end("no end"), None);
    }

    #[test]
    fn part_titles() {
        let s = split_part_title("总体要求", &[]);
        assert_eq!(s.title.as_deref(), Some("总体要求"));
        let s = split_part_title("总体要求。以习近平新时代…为指导。", &[]);
        assert_eq!(s.title.as_deref(), Some("总体要求。"));
        assert_eq!(s.body.unwrap().0, "以习近平新时代…为指导。");
    }

    #[test]
    fn unique_ids_get_suffixes() {
        let mut used = Used::default();
        assert_eq!(unique("c5".into(), &mut used), "c5");
        assert_eq!(unique("c5".into(), &mut used), "c5-b");
        assert_eq!(unique("c5".into(), &mut used), "c5-c");
        let more: Vec<String> = (0..30).map(|_| unique("c5".into(), &mut used)).collect();
        assert_eq!(more[22], "c5-z");
        assert_eq!(more[23], "c5-2x");
        assert_eq!(more[29], "c5-8x");
        // A suffixed form taken by another base is skipped.
        let mut used = Used::default();
        used.ids.insert("p1-c2-b".into());
        assert_eq!(unique("p1-c2".into(), &mut used), "p1-c2");
        assert_eq!(unique("p1-c2".into(), &mut used), "p1-c2-c");
    }
}
