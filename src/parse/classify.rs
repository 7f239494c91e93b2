//! Line events: the classifier (cleaned lines ─► events) and the repairs on the event
//! stream (rejoining split paragraphs, pulling a box out of a split paragraph).

use super::recognize::{self, Numbered};
use super::text::{
    self, Clean, ends_sentence, heading_like, heading_like_strict, join_separator,
    starts_as_continuation, title_like,
};
use crate::base::text::is_han;
use crate::model::Warning;

/// A non-blank seed line after cleaning, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// 1-based line number in the seed.
    pub no: usize,
    /// The cleaned line.
    pub clean: Clean,
}

/// Splits a seed into its non-blank cleaned lines.
pub(crate) fn lines(text: &str) -> Vec<Line> {
    text.split('\n')
        .enumerate()
        .map(|(i, raw)| Line {
            no: i + 1,
            clean: text::clean_line(raw),
        })
        .filter(|l| !l.clean.text.is_empty())
        .collect()
}

/// The numbering style of clauses; the first clause of a document fixes it, and other
/// styles inside clauses are list items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClauseStyle {
    /// `(一)`, `（一）`.
    CnParen,
    /// `(1)`, `（1）`.
    ArabicParen,
    /// `第一条`, `Article 1`.
    Article,
}

/// The numbering style of parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartStyle {
    /// `一、`, `第一章`, `Chapter 1`, or a part behind a Markdown heading: unambiguous.
    Strong,
    /// `1.` headings.
    ArabicDot,
    /// `First,` headings.
    Ordinal,
}

/// What a line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EventKind {
    /// The document's title line.
    Title,
    /// A part label; the event's text is the rest of the line (title, maybe more).
    Part { number: u32, label: String },
    /// A clause label; the event's text is the rest of the line (title and first text).
    Clause {
        number: u32,
        label: String,
        style: ClauseStyle,
    },
    /// A list item (numbered, or a bullet with `label: None`).
    Item {
        number: Option<u32>,
        label: Option<String>,
        bullet: bool,
    },
    /// An unnumbered subheading.
    Heading,
    /// A dateline `(新华社北京5月17日电)`.
    Dateline,
    /// A source line `来源：…`.
    Source,
    /// A byline `据新华社`.
    Byline,
    /// The intro line of a box (`习近平强调——`); bullets follow.
    AsideIntro,
    /// `延伸阅读`: a further article starts.
    ArticleMarker,
    /// The title line of a further article.
    ArticleTitle,
    /// Running text.
    Text,
}

/// One classified line (or, after joins, several lines of one paragraph).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event {
    /// 1-based seed line where the event starts.
    pub line: usize,
    /// What it is.
    pub kind: EventKind,
    /// Text after the label (for parts and clauses) or the whole cleaned line.
    pub text: String,
    /// Bold byte ranges of `text`.
    pub strong: Vec<(usize, usize)>,
}

#[derive(Debug, Default)]
struct State {
    last_part: Option<u32>,
    part_style: Option<PartStyle>,
    clause_style: Option<ClauseStyle>,
    in_clause: bool,
    seen_clause: bool,
    has_title: bool,
}

fn after_label(c: &Clean, n: &Numbered) -> (String, Vec<(usize, usize)>) {
    let rest = n.rest(&c.text).to_string();
    let strong = text::shift_ranges(
        &c.strong,
        n.rest_start,
        c.text.len(),
        -(n.rest_start as isize),
    );
    (rest, strong)
}

/// Whether the previous event leaves a sentence open (so that the next line may be its
/// continuation rather than a heading).
fn leaves_open(prev: Option<&Event>) -> bool {
    match prev {
        Some(e) => match e.kind {
            EventKind::Text => !ends_sentence(&e.text),
            EventKind::Clause { .. } => !e.text.is_empty() && !heading_like(&e.text),
            _ => false,
        },
        None => false,
    }
}

/// Decides whether a weak part candidate (`1.` or `Sixth,`) is a part: it must look
/// like a heading and continue the part numbering, or continue an established `1.`
/// numbering outside a clause. Never where the document's parts use an unambiguous
/// style (`一、`), where clauses already stand at top level, or inside a running list.
fn weak_part(n: u32, rest: &str, style: PartStyle, st: &State, prev: Option<&Event>) -> bool {
    if st.part_style == Some(PartStyle::Strong) || (st.seen_clause && st.last_part.is_none()) {
        return false;
    }
    if matches!(prev.map(|e| &e.kind), Some(EventKind::Item { .. })) {
        return false;
    }
    let next = st.last_part.map_or(1, |p| p.saturating_add(1));
    let same_style = st.part_style == Some(style);
    let fits = n == next || (same_style && n > next && n <= next.saturating_add(2));
    (heading_like(rest) && fits) || (same_style && n == next && !st.in_clause)
}

/// Classifies the cleaned lines of a seed into events, in order.
pub(crate) fn classify(lines: &[Line]) -> Vec<Event> {
    let mut st = State::default();
    let mut out: Vec<Event> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let c = &line.clean;
        let s = c.text.as_str();
        let prev = out.last();
        let mk = |kind: EventKind, text: String, strong: Vec<(usize, usize)>| Event {
            line: line.no,
            kind,
            text,
            strong,
        };
        let whole = |kind: EventKind| mk(kind, s.to_string(), c.strong.clone());
        let is_last = i + 1 == lines.len();

        // The title: a `#` heading, or a first line that reads as a title.
        if !st.has_title && out.is_empty() && !c.bullet && !is_last {
            let numbered = recognize::cn_part(s).is_some()
                || recognize::chapter_part(s).is_some()
                || recognize::paren_cn(s).is_some()
                || recognize::paren_arabic(s).is_some()
                || recognize::article_clause(s).is_some()
                || recognize::arabic_dot(s).is_some();
            let next_continues = lines
                .get(i + 1)
                .is_some_and(|n| starts_as_continuation(&n.clean.text));
            if c.md_level == 1 || (!numbered && title_like(s) && !next_continues) {
                st.has_title = true;
                out.push(mk(EventKind::Title, s.to_string(), Vec::new()));
                continue;
            }
        }
        if c.bullet {
            out.push(whole(EventKind::Item {
                number: None,
                label: None,
                bullet: true,
            }));
            continue;
        }
        if recognize::dateline(s) {
            out.push(mk(EventKind::Dateline, s.to_string(), Vec::new()));
            continue;
        }
        if recognize::source_line(s) {
            out.push(mk(EventKind::Source, s.to_string(), Vec::new()));
            continue;
        }
        if recognize::byline(s) {
            out.push(mk(EventKind::Byline, s.to_string(), Vec::new()));
            continue;
        }
        // Parts in an unambiguous style.
        if let Some(n) = recognize::chapter_part(s).or_else(|| recognize::cn_part(s)) {
            st.last_part = Some(n.number);
            st.part_style = Some(PartStyle::Strong);
            st.in_clause = false;
            let (rest, strong) = after_label(c, &n);
            out.push(mk(
                EventKind::Part {
                    number: n.number,
                    label: n.label,
                },
                rest,
                strong,
            ));
            continue;
        }
        // Clauses, or items where the document's clauses use another style.
        let clause_like = [
            (recognize::article_clause(s), ClauseStyle::Article),
            (recognize::paren_cn(s), ClauseStyle::CnParen),
            (recognize::paren_arabic(s), ClauseStyle::ArabicParen),
        ];
        if let Some((n, style)) = clause_like
            .into_iter()
            .find_map(|(n, style)| n.map(|n| (n, style)))
        {
            let (rest, strong) = after_label(c, &n);
            if st.clause_style.is_none() || st.clause_style == Some(style) {
                st.clause_style = Some(style);
                st.in_clause = true;
                st.seen_clause = true;
                out.push(mk(
                    EventKind::Clause {
                        number: n.number,
                        label: n.label,
                        style,
                    },
                    rest,
                    strong,
                ));
            } else if style == ClauseStyle::Article {
                // `第三条 …` in a document with other clauses: a cross-reference sentence.
                out.push(whole(EventKind::Text));
            } else {
                out.push(mk(
                    EventKind::Item {
                        number: Some(n.number),
                        label: Some(n.label),
                        bullet: false,
                    },
                    rest,
                    strong,
                ));
            }
            continue;
        }
        // `1.` and `Sixth,`: a part where it looks like one, else an item or text.
        let weak = [
            (recognize::arabic_dot(s), PartStyle::ArabicDot),
            (recognize::ordinal(s), PartStyle::Ordinal),
        ];
        if let Some((n, style)) = weak
            .into_iter()
            .find_map(|(n, style)| n.map(|n| (n, style)))
        {
            let (rest, strong) = after_label(c, &n);
            if c.md_level > 0 || weak_part(n.number, &rest, style, &st, prev) {
                st.last_part = Some(n.number);
                if st.part_style.is_none() {
                    st.part_style = Some(style);
                }
                st.in_clause = false;
                out.push(mk(
                    EventKind::Part {
                        number: n.number,
                        label: n.label,
                    },
                    rest,
                    strong,
                ));
            } else if style == PartStyle::ArabicDot {
                out.push(mk(
                    EventKind::Item {
                        number: Some(n.number),
                        label: Some(n.label),
                        bullet: false,
                    },
                    rest,
                    strong,
                ));
            } else {
                out.push(whole(EventKind::Text));
            }
            continue;
        }
        if let Some(n) = recognize::circled_item(s) {
            let (rest, strong) = after_label(c, &n);
            out.push(mk(
                EventKind::Item {
                    number: Some(n.number),
                    label: Some(n.label),
                    bullet: false,
                },
                rest,
                strong,
            ));
            continue;
        }
        if c.md_level > 0 {
            out.push(mk(EventKind::Heading, s.to_string(), Vec::new()));
            continue;
        }
        // An unnumbered heading: short, no clause punctuation, after a finished
        // sentence (not right after a part or clause heading, where the body starts),
        // and not followed by what reads as the rest of a split sentence.
        let next_continues = lines
            .get(i + 1)
            .is_some_and(|n| starts_as_continuation(&n.clean.text));
        let after_title = matches!(
            prev.map(|e| &e.kind),
            Some(EventKind::Part { .. } | EventKind::Clause { .. })
        );
        if !is_last
            && heading_like_strict(s)
            && !after_title
            && !leaves_open(prev)
            && !next_continues
            && !recognize::aside_intro(s)
        {
            out.push(mk(EventKind::Heading, s.to_string(), Vec::new()));
            continue;
        }
        out.push(whole(EventKind::Text));
    }
    mark_boxes_and_articles(&mut out);
    out
}

/// Second look at the stream: a dash-ended intro line followed by bullets is a box
/// (`AsideIntro`); a marker like `延伸阅读` followed by a title-like line opens an article.
fn mark_boxes_and_articles(ev: &mut [Event]) {
    for i in 0..ev.len() {
        let next_bullet = ev
            .get(i + 1)
            .is_some_and(|e| matches!(e.kind, EventKind::Item { bullet: true, .. }));
        let plain = matches!(ev[i].kind, EventKind::Text | EventKind::Heading);
        if plain && next_bullet && recognize::aside_intro(&ev[i].text) {
            ev[i].kind = EventKind::AsideIntro;
            continue;
        }
        let next_title = ev.get(i + 1).is_some_and(|e| {
            matches!(e.kind, EventKind::Text | EventKind::Heading) && title_like(&e.text)
        });
        if plain && next_title && recognize::article_marker(&ev[i].text) {
            ev[i].kind = EventKind::ArticleMarker;
            ev[i + 1].kind = EventKind::ArticleTitle;
            ev[i + 1].strong.clear();
        }
    }
}

/// Whether an event can be the first half of a split paragraph: running text, or a
/// clause line that carries text (not a clause title standing alone).
fn joinable_head(e: &Event) -> bool {
    match e.kind {
        EventKind::Text => true,
        EventKind::Clause { .. } => !e.text.is_empty() && !heading_like(&e.text),
        _ => false,
    }
}

/// The paragraph's first segment, up to and including its first sentence-final mark
/// (and closing quotes), if short: `“一路”。`.
fn short_first_sentence(s: &str) -> Option<&str> {
    let end = s.find(['。', '！', '？'])?;
    let mut stop = end + '。'.len_utf8();
    for c in s[stop..].chars() {
        if "”’」』）".contains(c) {
            stop += c.len_utf8();
        } else {
            break;
        }
    }
    let seg = &s[..stop];
    (seg.chars().filter(|&c| is_han(c)).count() <= 6).then_some(seg)
}

fn core(s: &str) -> String {
    s.chars()
        .filter(|&c| is_han(c) || c.is_alphanumeric())
        .collect()
}

/// Rejoins paragraphs split by the extraction: an event that can head a paragraph and
/// does not end a sentence, followed by running text, takes that text (no space between
/// Chinese, one space between English). A box (intro + bullets) standing between the two
/// halves is moved after the rejoined paragraph. Every join is recorded in `repairs`.
///
/// A paragraph that ends a sentence and is followed by a short fragment repeating its
/// end (`…“一带一路”。` / `“一路”。完善…`) is left alone and reported in `warnings`.
pub(crate) fn join_split_paragraphs(
    ev: &mut Vec<Event>,
    file: &str,
    repairs: &mut Vec<Warning>,
    warnings: &mut Vec<Warning>,
) {
    // One pass from `input` to `out`, so that a paragraph absorbing many lines costs
    // time linear in its length (no removal from the middle of a vector, no rescan).
    let mut input: std::collections::VecDeque<Event> = std::mem::take(ev).into();
    let mut out = Vec::with_capacity(input.len());
    while let Some(mut head) = input.pop_front() {
        // Once a head can take a continuation it still can after taking it: appending
        // text neither removes an inner sentence break nor makes a line shorter.
        if !joinable_head(&head) {
            out.push(head);
            continue;
        }
        // A box moved out of the paragraph; it follows the paragraph once it is complete.
        let mut held: Vec<Event> = Vec::new();
        loop {
            if ends_sentence(&head.text) {
                if held.is_empty() {
                    duplicate_fragment_warning(&head, input.front(), file, warnings);
                }
                break;
            }
            // The continuation, skipping over one box.
            if held.is_empty()
                && input
                    .front()
                    .is_some_and(|e| e.kind == EventKind::AsideIntro)
            {
                let box_len = 1 + input
                    .iter()
                    .skip(1)
                    .take_while(|e| matches!(e.kind, EventKind::Item { bullet: true, .. }))
                    .count();
                if input
                    .get(box_len)
                    .is_some_and(|e| e.kind == EventKind::Text)
                {
                    held.extend(input.drain(..box_len));
                }
            }
            if !input.front().is_some_and(|e| e.kind == EventKind::Text) {
                break;
            }
            let q = input.pop_front().expect("checked");
            join(&mut head, q, !held.is_empty(), file, repairs);
        }
        out.push(head);
        out.append(&mut held);
    }
    *ev = out;
}

/// Appends the continuation `q` to `p`, recording the repair.
fn join(p: &mut Event, q: Event, boxed: bool, file: &str, repairs: &mut Vec<Warning>) {
    let sep = join_separator(&p.text, &q.text);
    let tail: String = p
        .text
        .chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let head: String = q.text.chars().take(8).collect();
    let offset = p.text.len() + sep.len();
    p.text.push_str(sep);
    p.text.push_str(&q.text);
    p.strong
        .extend(q.strong.iter().map(|&(a, b)| (a + offset, b + offset)));
    repairs.push(Warning {
        file: file.to_string(),
        line: p.line,
        message: format!(
            "joined the paragraph split between line {} and line {} (…{tail}|{head}…){}",
            p.line,
            q.line,
            if boxed { "; the box between them now follows the paragraph" } else { "" }
        ),
        hint: Some("the extraction broke the paragraph; if the break is real, end the first line with punctuation".to_string()),
        quote: None,
    });
}

/// A paragraph ending a sentence, followed by a short fragment that repeats its end
/// (`…“一带一路”。` / `“一路”。完善…`): reported, left alone.
fn duplicate_fragment_warning(
    p: &Event,
    next: Option<&Event>,
    file: &str,
    warnings: &mut Vec<Warning>,
) {
    let Some(next) = next.filter(|e| e.kind == EventKind::Text) else {
        return;
    };
    let Some(seg) = short_first_sentence(&next.text) else {
        return;
    };
    let seg_core = core(seg);
    if !seg_core.is_empty() && core(&p.text).ends_with(&seg_core) {
        warnings.push(Warning {
            file: file.to_string(),
            line: next.line,
            message: format!(
                "paragraph begins with {seg}, which repeats the end of the paragraph on line {}",
                p.line
            ),
            hint: Some(
                "the extraction may have doubled a fragment; check the source and remove it there if so"
                    .to_string(),
            ),
            quote: Some(seg.to_string()),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<EventKind> {
        classify(&lines(src)).into_iter().map(|e| e.kind).collect()
    }

    #[test]
    fn title_then_preamble() {
        let k = kinds("# 标题\n\n前言。\n");
        assert_eq!(k, vec![EventKind::Title, EventKind::Text]);
        let k = kinds("为贯彻落实某意见，提出如下实施意见。\n\n一、总体要求\n");
        assert_eq!(k[0], EventKind::Text);
        assert!(matches!(k[1], EventKind::Part { number: 1, .. }));
    }

    #[test]
    fn first_clause_style_wins() {
        let k = kinds("一、总体要求\n（一）甲。乙\n（1）项目一\n1.项目二\n（二）丙。\n");
        assert!(matches!(
            k[1],
            EventKind::Clause {
                number: 1,
                style: ClauseStyle::CnParen,
                ..
            }
        ));
        assert!(matches!(
            k[2],
            EventKind::Item {
                number: Some(1),
                bullet: false,
                ..
            }
        ));
        assert!(matches!(
            k[3],
            EventKind::Item {
                number: Some(1),
                ..
            }
        ));
        assert!(matches!(k[4], EventKind::Clause { number: 2, .. }));
    }

    #[test]
    fn english_weak_parts() {
        let src = "Preamble text.\n\n  1. General requirements\n\n  Body.\n\n  (1) Fight. Text.\n\n  2. Second part\n\n  (2) Two. Text.\n\n  Third, do more things well\n\n  (3) Three. Text.\n";
        let k = kinds(src);
        let parts: Vec<u32> = k
            .iter()
            .filter_map(|k| match k {
                EventKind::Part { number, .. } => Some(*number),
                _ => None,
            })
            .collect();
        assert_eq!(parts, vec![1, 2, 3]);
    }

    #[test]
    fn items_inside_clause_are_not_parts() {
        let src = "一、总体要求\n（一）加强领导。要求如下：\n1. 加强领导\n2. 完善机制\n";
        let k = kinds(src);
        assert!(matches!(
            k[2],
            EventKind::Item {
                number: Some(1),
                ..
            }
        ));
        assert!(matches!(
            k[3],
            EventKind::Item {
                number: Some(2),
                ..
            }
        ));
    }

    #[test]
    fn heading_vs_split_fragment() {
        let src = "新闻标题 副题\n\n第一段完整。\n\n小标题 在这里\n\n座谈会上，大家发言。\n\n习近平最后强调，中央区域\n\n协调发展领导小组要加强统筹。\n";
        let k = kinds(src);
        assert_eq!(
            k,
            vec![
                EventKind::Title,
                EventKind::Text,
                EventKind::Heading,
                EventKind::Text,
                EventKind::Text,
                EventKind::Text
            ]
        );
        // A short line followed by an obvious continuation is not a heading.
        let k = kinds("标题\n\n完整。\n\n推动绿色产业加快发\n\n展。实施行动。\n");
        assert_eq!(k[2], EventKind::Text);
    }

    #[test]
    fn box_and_article() {
        let src = "标题\n\n甲。\n\n他强调——\n- 一。\n- 二。\n\n据新华社\n\n延伸阅读\n\n另一篇文章的标题\n\n正文。\n";
        let k = kinds(src);
        assert_eq!(k[2], EventKind::AsideIntro);
        assert_eq!(k[5], EventKind::Byline);
        assert_eq!(k[6], EventKind::ArticleMarker);
        assert_eq!(k[7], EventKind::ArticleTitle);
    }

    #[test]
    fn joins_and_box_move() {
        let src = "标题\n\n习近平强调，要深化科技创新合\n\n他强调——\n\n- 甲。\n- 乙。\n\n作，建好示范区。\n";
        let mut ev = classify(&lines(src));
        let (mut r, mut w) = (Vec::new(), Vec::new());
        join_split_paragraphs(&mut ev, "t.txt", &mut r, &mut w);
        assert_eq!(ev[1].text, "习近平强调，要深化科技创新合作，建好示范区。");
        assert_eq!(ev[2].kind, EventKind::AsideIntro);
        assert_eq!(ev.len(), 5);
        assert_eq!(r.len(), 1);
        assert!(w.is_empty());
    }

    #[test]
    fn english_join_with_space_and_duplicate_warning() {
        let src = "Text that was split in the\n\nmiddle of a sentence.\n";
        let mut ev = classify(&lines(src));
        let (mut r, mut w) = (Vec::new(), Vec::new());
        join_split_paragraphs(&mut ev, "t.txt", &mut r, &mut w);
        assert_eq!(ev.len(), 1);
        assert_eq!(
            ev[0].text,
            "Text that was split in the middle of a sentence."
        );

        let src = "标题\n\n深度融入共建“一带一路”。\n\n“一路”。完善布局。\n";
        let mut ev = classify(&lines(src));
        let (mut r, mut w) = (Vec::new(), Vec::new());
        join_split_paragraphs(&mut ev, "t.txt", &mut r, &mut w);
        assert_eq!(ev.len(), 3);
        assert!(r.is_empty());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 5);
    }
}
