//! Integrity: what is damaged or uncertain in the source texts.
//!
//! Runs after the align stage and before rendering: [`analyse`] looks over the parsed and
//! aligned library and returns [`Finding`]s, each with its document, seed file and line,
//! anchor and evidence: the repairs the build made, passages standing twice in a document
//! (pasted from another clause, or doubled back to back), sentences with no counterpart in
//! the translation, numbering faults and stray page headers or numbers. The render stage
//! shows them (`integrity.html`, markers on the affected units, the `findings` of
//! `data/<slug>.json`).

use crate::align::gale_church::{Params, length_fit};
use crate::base::text::is_han;
use crate::model::{Block, BlockKind, Document, Library, Version, Warning, walk_blocks};
use crate::parse::tree::numbering_warnings;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Fewest Han characters a passage must have to count as standing twice.
pub(crate) const MIN_PASSAGE: usize = 12;
/// Most places a finding's evidence names one by one; the rest are counted (`lines 3,
/// 9, …, 57 and 3,990 more`), so a finding stays the same size however often a line
/// repeats, and the findings grow no faster than the input.
pub(crate) const MAX_PLACES: usize = 10;
/// A paragraph whose length differs from its translation's by this many standard
/// deviations of the length model, with no other explanation, is reported.
pub(crate) const LENGTH_SIGMAS: f64 = 3.0;

/// What sort of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// A repair the build made: a rejoined paragraph, a moved box, a recovered heading.
    Repair,
    /// A passage pasted into a unit from another: it stands twice in the document and the
    /// translation renders it in the other place only.
    Pasted,
    /// Sentences with no counterpart in the other language.
    Unmatched,
    /// The same passage in two places, or repeated back to back.
    Repeat,
    /// A gap, repeat or order fault in the numbering of parts or clauses.
    Numbering,
    /// A line that looks like a page header, footer or page number.
    Stray,
}

impl FindingKind {
    /// Every kind, in report order.
    pub const ALL: [FindingKind; 6] = [
        FindingKind::Repair,
        FindingKind::Pasted,
        FindingKind::Unmatched,
        FindingKind::Repeat,
        FindingKind::Numbering,
        FindingKind::Stray,
    ];

    /// The kind's name as written in reports and data files.
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::Repair => "repair",
            FindingKind::Pasted => "pasted",
            FindingKind::Unmatched => "unmatched",
            FindingKind::Repeat => "repeat",
            FindingKind::Numbering => "numbering",
            FindingKind::Stray => "stray",
        }
    }
}

/// One thing a publisher should know about a source text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// What sort of finding.
    pub kind: FindingKind,
    /// The document's slug.
    pub slug: String,
    /// The seed file, relative to the seeds folder.
    pub file: String,
    /// The language of the version concerned.
    pub lang: String,
    /// The anchor of the affected unit, paragraph or sentence in that version.
    pub anchor: String,
    /// The 1-based line of the seed.
    pub line: usize,
    /// What was found, in one line.
    pub message: String,
    /// Why: the text, lengths and places that show it.
    pub evidence: String,
    /// The other place concerned (where a pasted passage belongs, the first of two
    /// copies), as an anchor of the same version, or of the original where the finding
    /// is about a translation's sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<String>,
}

impl Finding {
    /// The finding as a compiler-style warning: file, line, message, evidence as hint.
    pub fn to_warning(&self) -> Warning {
        Warning {
            file: self.file.clone(),
            line: self.line,
            message: format!("[{}] #{}: {}", self.kind.name(), self.anchor, self.message),
            hint: Some(self.evidence.clone()),
            quote: None,
        }
    }
}

/// All findings for the library, ordered by document, seed file, line and kind.
/// `repairs` are the parser's repair records of every seed.
pub fn analyse(lib: &Library, repairs: &[Warning]) -> Vec<Finding> {
    use rayon::prelude::*;
    // Documents in parallel; the findings are sorted below, so the order is the same.
    let per_doc: Vec<Vec<Finding>> = lib
        .documents
        .par_iter()
        .map(|doc| document_findings(doc, repairs))
        .collect();
    let mut out: Vec<Finding> = per_doc.into_iter().flatten().collect();
    let order: HashMap<&str, usize> = lib
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.slug.as_str(), i))
        .collect();
    out.sort_by(|a, b| {
        (order[a.slug.as_str()], &a.file, a.line, a.kind, &a.anchor).cmp(&(
            order[b.slug.as_str()],
            &b.file,
            b.line,
            b.kind,
            &b.anchor,
        ))
    });
    out.dedup();
    out
}

/// The findings about one document (see [`analyse`]), in no particular order.
fn document_findings(doc: &Document, repairs: &[Warning]) -> Vec<Finding> {
    let mut out = Vec::new();
    for v in &doc.versions {
        let idx = Index::new(v);
        for r in repairs.iter().filter(|r| r.file == v.source) {
            out.push(idx.finding(
                doc,
                v,
                FindingKind::Repair,
                r.line,
                None,
                r.message.clone(),
                r.hint.clone().unwrap_or_default(),
            ));
        }
        supplied_headings(doc, v, &mut out);
        for w in numbering_warnings(&v.blocks, &v.source) {
            out.push(idx.finding(
                doc,
                v,
                FindingKind::Numbering,
                w.line,
                None,
                w.message,
                w.hint.unwrap_or_default(),
            ));
        }
        stray_lines(doc, v, &mut out);
        doubled_fragments(doc, v, &mut out);
        repeats(doc, v, &mut out);
    }
    length_mismatches(doc, &mut out);
    out
}

/// Blocks of a version by line, to name the anchor of a seed line.
struct Index<'a> {
    blocks: Vec<&'a Block>,
    /// The lines of the blocks that have one, in ascending order, each with the last
    /// position in reading order of a block starting on that line or before it.
    by_line: Vec<(usize, usize)>,
}

impl<'a> Index<'a> {
    fn new(v: &'a Version) -> Index<'a> {
        let blocks = walk_blocks(&v.blocks);
        let mut by_line: Vec<(usize, usize)> = blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.line > 0)
            .map(|(i, b)| (b.line, i))
            .collect();
        by_line.sort_unstable();
        let mut last = 0;
        for e in &mut by_line {
            last = last.max(e.1);
            e.1 = last;
        }
        Index { blocks, by_line }
    }

    /// The innermost block starting at or before `line` (the last in reading order):
    /// a binary search, so that naming the anchors of many findings stays linear.
    fn anchor_at(&self, line: usize) -> String {
        let n = self.by_line.partition_point(|&(l, _)| l <= line);
        n.checked_sub(1)
            .map(|k| self.blocks[self.by_line[k].1])
            .or(self.blocks.first().copied())
            .map_or_else(String::new, |b| b.id.clone())
    }

    #[allow(clippy::too_many_arguments)]
    fn finding(
        &self,
        doc: &Document,
        v: &Version,
        kind: FindingKind,
        line: usize,
        related: Option<String>,
        message: String,
        evidence: String,
    ) -> Finding {
        Finding {
            kind,
            slug: doc.slug.clone(),
            file: v.source.clone(),
            lang: v.lang.clone(),
            anchor: self.anchor_at(line),
            line,
            message,
            evidence,
            related,
        }
    }
}

fn unit_label(b: &Block) -> String {
    match (&b.label, b.number) {
        (Some(l), _) => l.trim().to_string(),
        (None, Some(n)) => n.to_string(),
        (None, None) => format!("#{}", b.id),
    }
}

/// Part headings the build supplied from another version.
fn supplied_headings(doc: &Document, v: &Version, out: &mut Vec<Finding>) {
    for b in walk_blocks(&v.blocks) {
        if let Some(s) = &b.supplied_title {
            let first = b.children.iter().find(|c| c.kind == BlockKind::Clause);
            out.push(Finding {
                kind: FindingKind::Repair,
                slug: doc.slug.clone(),
                file: v.source.clone(),
                lang: v.lang.clone(),
                anchor: b.id.clone(),
                line: b.line,
                message: format!(
                    "the heading of part {} is missing from the source; recovered from {}",
                    b.number.map_or_else(|| b.id.clone(), |n| n.to_string()),
                    s.from
                ),
                evidence: format!(
                    "the part numbers of {} jump over {}; {} begins that part {} with the heading “{}” ({}), which the pages show marked as supplied",
                    v.source,
                    b.number.map_or_else(|| b.id.clone(), |n| n.to_string()),
                    s.from,
                    first.map_or_else(String::new, |c| format!(
                        "at clause {} (line {})",
                        unit_label(c),
                        c.line
                    )),
                    s.text,
                    s.lang
                ),
                related: None,
            });
        }
    }
}

/// A text block that is only a page number or running header/footer.
fn looks_like_page_number(t: &str) -> bool {
    let t = t.trim();
    let inner = t.trim_matches(|c: char| "-–—_ ·".contains(c)).trim();
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    if digits(inner) {
        return true;
    }
    if let Some(r) = inner.strip_prefix('第')
        && let Some(n) = r.trim().strip_suffix('页')
    {
        return digits(n.trim());
    }
    // No character but the ASCII ones lowercases to `page `, so only text that begins
    // so in any case is lowercased (its first five bytes stay those five letters).
    if inner.len() >= 5 && inner.as_bytes()[..5].eq_ignore_ascii_case(b"page ") {
        let lower = inner.to_lowercase();
        return lower[5..].split(" of ").all(|p| digits(p.trim()));
    }
    if let Some((a, b)) = inner.split_once('/') {
        return digits(a.trim()) && digits(b.trim());
    }
    false
}

fn is_text_block(k: BlockKind) -> bool {
    matches!(
        k,
        BlockKind::Paragraph | BlockKind::Heading | BlockKind::Item | BlockKind::Byline
    )
}

/// Lines that look like page numbers, or a short line standing three times or more.
fn stray_lines(doc: &Document, v: &Version, out: &mut Vec<Finding>) {
    let blocks: Vec<&Block> = walk_blocks(&v.blocks)
        .into_iter()
        .filter(|b| is_text_block(b.kind))
        .collect();
    let mut seen: BTreeMap<&str, Vec<&Block>> = BTreeMap::new();
    for b in &blocks {
        let t = b
            .text
            .as_deref()
            .or(b.title.as_deref())
            .unwrap_or("")
            .trim();
        if looks_like_page_number(t) {
            out.push(Finding {
                kind: FindingKind::Stray,
                slug: doc.slug.clone(),
                file: v.source.clone(),
                lang: v.lang.clone(),
                anchor: b.id.clone(),
                line: b.line,
                message: format!("“{t}” looks like a page number left by the extraction"),
                evidence: format!(
                    "the line holds nothing but “{t}”; remove it from {} if it is not part of the text",
                    v.source
                ),
                related: None,
            });
        } else if !t.is_empty()
            && t.chars().count() <= 40
            && !t.ends_with(['。', '！', '？', '.', '!', '?', '；', ';'])
        {
            seen.entry(t).or_default().push(b);
        }
    }
    for (t, bs) in seen {
        if bs.len() >= 3 {
            let lines = places(bs.iter().map(|b| b.line), bs.len());
            for b in bs {
                out.push(Finding {
                    kind: FindingKind::Stray,
                    slug: doc.slug.clone(),
                    file: v.source.clone(),
                    lang: v.lang.clone(),
                    anchor: b.id.clone(),
                    line: b.line,
                    message: format!("“{t}” looks like a running header or footer"),
                    evidence: format!(
                        "the same short line stands alone on lines {lines} of {}",
                        v.source
                    ),
                    related: None,
                });
            }
        }
    }
}

/// The first [`MAX_PLACES`] of `count` places, joined by commas, and how many more there
/// are: `3, 9, 14` or `3, 9, …, 57 and 3,990 more`.
fn places(items: impl Iterator<Item = usize>, count: usize) -> String {
    let shown: Vec<String> = items.take(MAX_PLACES).map(|n| n.to_string()).collect();
    let mut out = shown.join(", ");
    if count > shown.len() {
        out.push_str(&format!(" and {} more", thousands(count - shown.len())));
    }
    out
}

/// A count with thousands separated by commas: `3,990`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn han(s: &str) -> String {
    s.chars().filter(|&c| is_han(c)).collect()
}

/// The leaf text blocks whose text is compared for repeats: running text, not titles,
/// headings or boxed summaries (a box restates the text by design).
fn text_leaves(v: &Version) -> Vec<&Block> {
    fn go<'a>(bs: &'a [Block], out: &mut Vec<&'a Block>) {
        for b in bs {
            match b.kind {
                BlockKind::Aside | BlockKind::Title | BlockKind::Heading => {}
                _ if b.text.is_some() && !b.sentences.is_empty() => out.push(b),
                _ => go(&b.children, out),
            }
        }
    }
    let mut out = Vec::new();
    go(&v.blocks, &mut out);
    out
}

/// A paragraph that begins with a short fragment repeating the end of the paragraph
/// before (`…共建“一带一路”。` / `“一路”。完善…`).
fn doubled_fragments(doc: &Document, v: &Version, out: &mut Vec<Finding>) {
    let leaves = text_leaves(v);
    for w in leaves.windows(2) {
        let (p, q) = (w[0], w[1]);
        let (Some(pt), Some(qt)) = (&p.text, &q.text) else {
            continue;
        };
        let Some(&(s, e)) = q.sentences.first() else {
            continue;
        };
        let first = qt[s..e].trim();
        let fh = han(first);
        let n = fh.chars().count();
        if !(2..MIN_PASSAGE).contains(&n) || q.sentences.len() < 2 {
            continue;
        }
        let ends_sentence = pt.trim_end().ends_with(['。', '！', '？', '”', '」', '）']);
        if ends_sentence && han(pt).ends_with(&fh) {
            out.push(Finding {
                kind: FindingKind::Repeat,
                slug: doc.slug.clone(),
                file: v.source.clone(),
                lang: v.lang.clone(),
                anchor: format!("{}.1", q.id),
                line: q.line,
                message: format!(
                    "the paragraph begins with {first}, a fragment repeating the end of the paragraph before"
                ),
                evidence: format!(
                    "#{} (line {}) ends “…{}”; #{} (line {}) begins “{first}”, a fragment that is no sentence of its own: the extraction probably doubled it",
                    p.id,
                    p.line,
                    tail(pt, 12),
                    q.id,
                    q.line
                ),
                related: Some(p.id.clone()),
            });
        }
    }
}

fn tail(s: &str, n: usize) -> String {
    let c: Vec<char> = s.trim_end().chars().collect();
    c[c.len().saturating_sub(n)..].iter().collect()
}

fn excerpt(s: &str, n: usize) -> String {
    let c: Vec<char> = s.trim().chars().collect();
    if c.len() <= n {
        return c.iter().collect();
    }
    let half = n / 2;
    format!(
        "{}……{}",
        c[..half].iter().collect::<String>(),
        c[c.len() - half..].iter().collect::<String>()
    )
}

/// A passage of a leaf's text: byte range and Han count.
#[derive(Debug, Clone, Copy)]
struct Span {
    leaf: usize,
    start: usize,
    end: usize,
}

/// Sentences (1-based numbers) lying wholly inside `span`, and those it touches.
fn sentences_in(b: &Block, start: usize, end: usize) -> (Vec<usize>, Vec<usize>) {
    let text = b.text.as_deref().unwrap_or("");
    let mut whole = Vec::new();
    let mut touched = Vec::new();
    // Sentences are sorted and disjoint: look only at those overlapping the span.
    let first = b.sentences.partition_point(|&(_, e)| e <= start);
    let last = b.sentences.partition_point(|&(s, _)| s < end);
    for (i, &(s, e)) in b.sentences.iter().enumerate().take(last).skip(first) {
        // Trim the sentence to its Han characters, so punctuation at its edges is outside.
        let hs = text[s..e]
            .char_indices()
            .find(|(_, c)| is_han(*c))
            .map(|(i, _)| s + i);
        let he = text[s..e]
            .char_indices()
            .rev()
            .find(|(_, c)| is_han(*c))
            .map(|(i, c)| s + i + c.len_utf8());
        let (Some(hs), Some(he)) = (hs, he) else {
            continue;
        };
        if hs >= start && he <= end {
            whole.push(i + 1);
        }
        if hs < end && he > start {
            touched.push(i + 1);
        }
    }
    (whole, touched)
}

fn sentence_range(id: &str, ns: &[usize]) -> String {
    match (ns.first(), ns.last()) {
        (Some(a), Some(b)) if a == b => format!("#{id}.{a}"),
        (Some(a), Some(b)) => format!("#{id}.{a}–{id}.{b}"),
        _ => format!("#{id}"),
    }
}

/// The maximal passages of at least [`MIN_PASSAGE`] Han characters that stand twice in
/// the leaves, as pairs of spans (the first earlier in reading order).
fn repeated_passages(leaves: &[&Block]) -> Vec<(Span, Span, usize)> {
    // Han characters of each leaf with their byte offsets.
    let seqs: Vec<Vec<(char, usize)>> = leaves
        .iter()
        .map(|b| {
            b.text
                .as_deref()
                .unwrap_or("")
                .char_indices()
                .filter(|(_, c)| is_han(*c))
                .map(|(i, c)| (c, i))
                .collect()
        })
        .collect();
    let chars: Vec<Vec<char>> = seqs
        .iter()
        .map(|s| s.iter().map(|x| x.0).collect())
        .collect();
    // Every window of MIN_PASSAGE characters, in reading order; for each, the next window
    // with the same characters (`NONE` if none follows): the occurrences of a passage
    // are a chain through `next`, without a list per passage.
    const NONE: usize = usize::MAX;
    let windows: Vec<(usize, usize)> = chars
        .iter()
        .enumerate()
        .flat_map(|(li, s)| (0..s.len().saturating_sub(MIN_PASSAGE - 1)).map(move |p| (li, p)))
        .collect();
    let mut next = vec![NONE; windows.len()];
    let mut is_first = vec![true; windows.len()];
    let mut last: rustc_hash::FxHashMap<&[char], usize> = Default::default();
    last.reserve(windows.len());
    for (w, &(li, p)) in windows.iter().enumerate() {
        if let Some(prev) = last.insert(&chars[li][p..p + MIN_PASSAGE], w) {
            next[prev] = w;
            is_first[w] = false;
        }
    }
    drop(last);
    let at = |l: usize, p: usize| seqs[l].get(p).map(|x| x.0);
    let mut out = Vec::new();
    for start in (0..windows.len()).filter(|&w| is_first[w] && next[w] != NONE) {
        // Each occurrence against the next: a passage in k places gives k - 1 pairs,
        // linear in the text even where a passage recurs very often.
        let mut w = start;
        while next[w] != NONE {
            let ((l1, p1), (l2, p2)) = (windows[w], windows[next[w]]);
            w = next[w];
            // Only at the start of a maximal run.
            if p1 > 0 && p2 > 0 && at(l1, p1 - 1) == at(l2, p2 - 1) {
                continue;
            }
            let mut n = MIN_PASSAGE;
            while at(l1, p1 + n).is_some() && at(l1, p1 + n) == at(l2, p2 + n) {
                n += 1;
            }
            // Overlapping copies inside one leaf (a run of one repeated character).
            if l1 == l2 && p1 + n > p2 {
                continue;
            }
            let span = |l: usize, p: usize| {
                let (c, last) = seqs[l][p + n - 1];
                Span {
                    leaf: l,
                    start: seqs[l][p].1,
                    end: last + c.len_utf8(),
                }
            };
            out.push((span(l1, p1), span(l2, p2), n));
        }
    }
    out.sort_by_key(|(a, b, _)| (a.leaf, a.start, b.leaf, b.start));
    out
}

/// The translation blocks paired with the original's block `id`, and their text length.
fn paired_translation<'a>(doc: &'a Document, id: &str) -> Option<(&'a Version, Vec<&'a Block>)> {
    let t = doc.versions.iter().find(|v| v.alignment.is_some())?;
    let al = t.alignment.as_ref()?;
    let own = |x: &str| x == id || x.strip_prefix(id).is_some_and(|r| r.starts_with('.'));
    let mut ids: Vec<String> = Vec::new();
    for g in &al.groups {
        if g.original.iter().any(|x| own(x)) {
            for x in &g.translation {
                let base = x.split('.').next().unwrap_or(x).to_string();
                if !ids.contains(&base) {
                    ids.push(base);
                }
            }
        }
    }
    let blocks = walk_blocks(&t.blocks);
    let found: Vec<&Block> = ids
        .iter()
        .filter_map(|i| blocks.iter().find(|b| &b.id == i).copied())
        .collect();
    (!found.is_empty()).then_some((t, found))
}

fn chars(s: &str) -> f64 {
    s.chars().filter(|c| !c.is_whitespace()).count() as f64
}

fn params(t: &Version) -> Params {
    let al = t.alignment.as_ref();
    Params {
        ratio: al.map_or(4.1, |a| a.ratio),
        variance: al.map_or(133.0, |a| a.variance),
    }
}

/// How one copy of a passage fits the translation: the fit of the paragraph's length
/// with the passage and without it.
struct Witness<'a> {
    trans: &'a Version,
    paras: Vec<&'a Block>,
    with: f64,
    without: f64,
    l_t: f64,
    expect_with: f64,
    expect_without: f64,
}

fn witness<'a>(doc: &'a Document, b: &Block, span: Span) -> Option<Witness<'a>> {
    let (trans, paras) = paired_translation(doc, &b.id)?;
    let p = params(trans);
    let text = b.text.as_deref().unwrap_or("");
    let l_o = chars(text);
    let l_p = chars(&text[span.start..span.end]);
    let l_t: f64 = paras
        .iter()
        .map(|x| chars(x.text.as_deref().unwrap_or("")))
        .sum();
    Some(Witness {
        trans,
        paras,
        with: length_fit(l_o, l_t, p),
        without: length_fit(l_o - l_p, l_t, p),
        l_t,
        expect_with: p.ratio * l_o,
        expect_without: p.ratio * (l_o - l_p),
    })
}

/// The clause or part holding a block, for messages: `clause (十七)`.
fn holder_name(v: &Version, id: &str) -> String {
    let mut best: Option<&Block> = None;
    for b in walk_blocks(&v.blocks) {
        if matches!(b.kind, BlockKind::Clause | BlockKind::Part)
            && (id == b.id || id.starts_with(&format!("{}-", b.id)))
        {
            best = Some(b);
        }
    }
    match best {
        Some(b) if b.kind == BlockKind::Clause => format!("clause {}", unit_label(b)),
        Some(b) => format!("part {}", unit_label(b)),
        None => format!("#{id}"),
    }
}

/// Passages standing twice: pasted from another unit (when the translation shows where
/// the passage belongs), doubled back to back, or standing in two places.
fn repeats(doc: &Document, v: &Version, out: &mut Vec<Finding>) {
    let leaves = text_leaves(v);
    for (a, b, n) in repeated_passages(&leaves) {
        let (la, lb) = (leaves[a.leaf], leaves[b.leaf]);
        let ta = la.text.as_deref().unwrap_or("");
        let tb = lb.text.as_deref().unwrap_or("");
        let passage = &ta[a.start..a.end];
        let back_to_back = (a.leaf == b.leaf && han(&ta[a.end..b.start]).is_empty())
            || (b.leaf == a.leaf + 1
                && han(&ta[a.end..]).is_empty()
                && han(&tb[..b.start]).is_empty());
        if back_to_back {
            out.push(Finding {
                kind: FindingKind::Repeat,
                slug: doc.slug.clone(),
                file: v.source.clone(),
                lang: v.lang.clone(),
                anchor: lb.id.clone(),
                line: lb.line,
                message: format!("a passage of {n} Han characters is repeated back to back"),
                evidence: format!(
                    "“{}” stands twice in a row in #{}",
                    excerpt(passage, 40),
                    la.id
                ),
                related: (la.id != lb.id).then(|| la.id.clone()),
            });
            continue;
        }
        let (wa, _) = sentences_in(la, a.start, a.end);
        let (wb, _) = sentences_in(lb, b.start, b.end);
        if wa.is_empty() || wb.is_empty() {
            // A shared phrase inside sentences, as policy texts repeat their formulas.
            continue;
        }
        let verdict = if v.original {
            match (witness(doc, la, a), witness(doc, lb, b)) {
                (Some(x), Some(y)) if x.without > x.with && y.with > y.without => {
                    Some((la, a, lb, b, x))
                }
                (Some(x), Some(y)) if y.without > y.with && x.with > x.without => {
                    Some((lb, b, la, a, y))
                }
                _ => None,
            }
        } else {
            None
        };
        match verdict {
            Some((host, hs, home, homespan, w)) => {
                pasted(doc, v, host, hs, home, homespan, n, &w, out)
            }
            None => {
                let (_, ta_touched) = sentences_in(la, a.start, a.end);
                let (_, tb_touched) = sentences_in(lb, b.start, b.end);
                out.push(Finding {
                    kind: FindingKind::Repeat,
                    slug: doc.slug.clone(),
                    file: v.source.clone(),
                    lang: v.lang.clone(),
                    anchor: format!("{}.{}", lb.id, tb_touched[0]),
                    line: lb.line,
                    message: format!(
                        "a passage of {n} Han characters stands twice in the document: here and in {} (#{})",
                        holder_name(v, &la.id),
                        la.id
                    ),
                    evidence: format!(
                        "“{}” is {} (line {}) and {} (line {}); check which place it belongs to",
                        excerpt(passage, 40),
                        sentence_range(&la.id, &ta_touched),
                        la.line,
                        sentence_range(&lb.id, &tb_touched),
                        lb.line
                    ),
                    related: Some(format!("{}.{}", la.id, ta_touched[0])),
                });
            }
        }
    }
}

/// Reports a passage pasted into `host` that belongs in `home`, and the translation's
/// sentences that stand in its place.
#[allow(clippy::too_many_arguments)]
fn pasted(
    doc: &Document,
    v: &Version,
    host: &Block,
    hs: Span,
    home: &Block,
    homespan: Span,
    n: usize,
    w: &Witness<'_>,
    out: &mut Vec<Finding>,
) {
    let text = host.text.as_deref().unwrap_or("");
    let (_, touched) = sentences_in(host, hs.start, hs.end);
    let (_, home_touched) = sentences_in(home, homespan.start, homespan.end);
    let tname = &w.trans.source;
    let home_name = holder_name(v, &home.id);
    out.push(Finding {
        kind: FindingKind::Pasted,
        slug: doc.slug.clone(),
        file: v.source.clone(),
        lang: v.lang.clone(),
        anchor: format!("{}.{}", host.id, touched[0]),
        line: host.line,
        message: format!(
            "{} ({} sentences, {n} Han characters) have no counterpart in {tname}: a passage of {home_name} (#{}) pasted into {}",
            sentence_range(&host.id, &touched),
            touched.len(),
            home.id,
            holder_name(v, &host.id),
        ),
        evidence: format!(
            "“{}” stands in {} and, the same, in {} (line {}). {tname} renders it in {home_name} only: its #{} is {} characters long, as the length model expects without the passage (≈ {:.0}) rather than with it (≈ {:.0})",
            excerpt(&text[hs.start..hs.end], 40),
            sentence_range(&host.id, &touched),
            sentence_range(&home.id, &home_touched),
            home.line,
            w.paras[0].id,
            w.l_t,
            w.expect_without,
            w.expect_with,
        ),
        related: Some(format!("{}.{}", home.id, home_touched[0])),
    });
    // The translation's sentences in the place of the passage: what the original
    // probably said before the paste.
    let p = params(w.trans);
    let para = w.paras[0];
    let ttext = para.text.as_deref().unwrap_or("");
    let lens: Vec<f64> = para
        .sentences
        .iter()
        .map(|&(s, e)| chars(&ttext[s..e]))
        .collect();
    let want_pre = p.ratio * chars(&text[..hs.start]);
    let want_suf = p.ratio * chars(&text[hs.end..]);
    let cut = |target: f64, lens: &mut dyn Iterator<Item = &f64>| {
        let mut acc = 0.0;
        let mut best = (target.abs(), 0usize);
        for (i, l) in lens.enumerate() {
            acc += l;
            if (acc - target).abs() < best.0 {
                best = ((acc - target).abs(), i + 1);
            }
        }
        best.1
    };
    let k = cut(want_pre, &mut lens.iter());
    let k2 = cut(want_suf, &mut lens.iter().rev());
    if k + k2 < lens.len() {
        let run: Vec<usize> = (k + 1..=lens.len() - k2).collect();
        let run_text = &ttext[para.sentences[k].0..para.sentences[lens.len() - k2 - 1].1];
        out.push(Finding {
            kind: FindingKind::Unmatched,
            slug: doc.slug.clone(),
            file: tname.clone(),
            lang: w.trans.lang.clone(),
            anchor: format!("{}.{}", para.id, run[0]),
            line: para.line,
            message: format!(
                "{} ({} sentence{}) {} no counterpart in {}: there the original carries the passage of {home_name} instead",
                sentence_range(&para.id, &run),
                run.len(),
                if run.len() == 1 { "" } else { "s" },
                if run.len() == 1 { "has" } else { "have" },
                v.source
            ),
            evidence: format!(
                "“{}” stands where {} has {}; it is probably the text of {} that the pasted passage displaced",
                excerpt(run_text, 80),
                v.source,
                sentence_range(&host.id, &touched),
                holder_name(w.trans, &para.id)
            ),
            related: Some(format!("{}.{}", host.id, touched[0])),
        });
    }
}

/// Paragraphs paired whole (their sentences could not be paired) whose length is far
/// from what the translation's length predicts, with no pasted passage to explain it.
fn length_mismatches<'a>(doc: &'a Document, out: &mut Vec<Finding>) {
    let Some(t) = doc.versions.iter().find(|v| v.alignment.is_some()) else {
        return;
    };
    let o = doc.original();
    let p = params(t);
    let oblocks = walk_blocks(&o.blocks);
    let tblocks = walk_blocks(&t.blocks);
    // Blocks by id (the first of an id, as a search in reading order finds it), and the
    // blocks a pasted passage was found in (every prefix of a finding's anchor before a
    // `.`), so that each group is looked at without a scan of the document.
    let by_id = |bs: &[&'a Block]| {
        let mut m: HashMap<&'a str, &'a Block> = HashMap::with_capacity(bs.len());
        for b in bs {
            m.entry(b.id.as_str()).or_insert(b);
        }
        m
    };
    let (omap, tmap) = (by_id(&oblocks), by_id(&tblocks));
    let pasted_in: std::collections::HashSet<String> = out
        .iter()
        .filter(|f| f.slug == doc.slug && f.kind == FindingKind::Pasted)
        .flat_map(|f| {
            f.anchor
                .match_indices('.')
                .map(|(i, _)| f.anchor[..i].to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let al = t.alignment.as_ref().expect("checked");
    for g in &al.groups {
        if g.level != crate::model::AlignLevel::Paragraph
            || g.original.is_empty()
            || g.translation.is_empty()
        {
            continue;
        }
        let len = |bs: &HashMap<&str, &Block>, ids: &[String]| -> f64 {
            ids.iter()
                .filter_map(|i| bs.get(i.as_str()))
                .map(|b| chars(b.text.as_deref().unwrap_or("")))
                .sum()
        };
        let l1 = len(&omap, &g.original);
        let l2 = len(&tmap, &g.translation);
        let m = ((l1 + l2 / p.ratio) / 2.0).max(1.0);
        let delta = (l2 - p.ratio * l1) / (p.variance * m).sqrt();
        let explained = g.original.iter().any(|i| pasted_in.contains(i));
        if delta.abs() < LENGTH_SIGMAS || explained {
            continue;
        }
        let Some(first) = omap.get(g.original[0].as_str()) else {
            continue;
        };
        let (short, long) = if delta < 0.0 {
            (&t.source, &o.source)
        } else {
            (&o.source, &t.source)
        };
        out.push(Finding {
            kind: FindingKind::Unmatched,
            slug: doc.slug.clone(),
            file: o.source.clone(),
            lang: o.lang.clone(),
            anchor: first.id.clone(),
            line: first.line,
            message: format!(
                "#{} is far longer in {long} than in {short}: sentences of one have no counterpart in the other",
                first.id
            ),
            evidence: format!(
                "{} characters in {}, {} in {}, where the length model expects ≈ {:.0} ({:.1} standard deviations off); its sentences could not be paired",
                l1, o.source, l2, t.source, p.ratio * l1, delta.abs()
            ),
            related: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_bounded() {
        assert_eq!(places([3, 9, 14].into_iter(), 3), "3, 9, 14");
        let many = places((1..=4000).map(|n| n * 2), 4000);
        assert_eq!(many, "2, 4, 6, 8, 10, 12, 14, 16, 18, 20 and 3,990 more");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }

    /// The seed text `text` parsed, as the original version of a document `doc.txt`.
    fn parsed_version(text: &str) -> Version {
        Version {
            lang: "zh-Hans".into(),
            original: true,
            source: "doc.txt".into(),
            title: String::new(),
            title_from: crate::model::TitleSource::File,
            blocks: crate::parse::parse(text, "doc.txt").blocks,
            alignment: None,
        }
    }

    #[test]
    fn running_headers_name_a_bounded_number_of_lines() {
        let text = "甲\n".repeat(4000);
        let v = parsed_version(&text);
        let doc = Document {
            slug: "doc".into(),
            kind: "law".into(),
            date: None,
            relations: Vec::new(),
            links: Vec::new(),
            versions: vec![v],
        };
        let mut out = Vec::new();
        stray_lines(&doc, &doc.versions[0], &mut out);
        assert!(out.len() >= 3990, "{}", out.len());
        let longest = out.iter().map(|f| f.evidence.len()).max().unwrap();
        assert!(longest < 200, "{longest}");
        assert!(
            out[0].evidence.contains(" more of doc.txt"),
            "{}",
            out[0].evidence
        );
    }

    #[test]
    fn anchors_by_line() {
        let text = "第一章 总则\n\n第一条 甲。\n\n第二条 乙。\n\n第二章 分则\n\n第三条 丙。\n";
        let v = parsed_version(text);
        let idx = Index::new(&v);
        // The same answer as a scan from the end of the reading order.
        for line in 0..12 {
            let slow = idx
                .blocks
                .iter()
                .rev()
                .find(|b| b.line <= line && b.line > 0)
                .or(idx.blocks.first())
                .map_or_else(String::new, |b| b.id.clone());
            assert_eq!(idx.anchor_at(line), slow, "line {line}");
        }
        assert_eq!(idx.anchor_at(5), "c2-1");
    }

    #[test]
    fn page_numbers() {
        for t in [
            "12",
            "- 3 -",
            "第 4 页",
            "Page 2 of 10",
            "PAGE 2 OF 10",
            "3/12",
            "— 7 —",
        ] {
            assert!(looks_like_page_number(t), "{t}");
        }
        for t in [
            "12345",
            "第四条",
            "Page two",
            "（一）",
            "20.5",
            "3 of us",
            "Pag 2",
            "页 2",
        ] {
            assert!(!looks_like_page_number(t), "{t}");
        }
    }
}
