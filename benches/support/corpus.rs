//! A deterministic synthetic corpus of policy documents, built from the seeds' own
//! sentences, for benchmarks at scale.
//!
//! [`generate`] returns the files of a seeds folder (`manifest.yaml` and one `.txt` per
//! language version) for `n` documents; the same `n` gives the same bytes, and document
//! `i` does not depend on `n`, so a smaller corpus is a prefix of a larger one. [`write`]
//! puts them into a folder. Other benches include this file with
//! `#[path = "support/corpus.rs"] mod corpus;`.
//!
//! The documents, in a repeating pattern of ten:
//!
//! - 1 in 10 a central guideline (`国务院关于…的指导意见`): a preamble, parts `一、` and
//!   clauses `（一）` numbered through the document, each clause a heading sentence and one
//!   or two paragraphs; every other one has an English translation (parts `1.`, clauses
//!   `(1)`, sentences of the seeds' translation chosen to fit the Chinese lengths);
//! - 6 in 10 an implementing opinion (`<province>关于…的实施意见`) of one of the last
//!   eight guidelines: the manifest says `implements`, the preamble cites the guideline's
//!   《title》, the parts take the guideline's part titles, and about half the clauses take
//!   a guideline clause's heading and some of its sentences (shared wording); clause
//!   numbers run through the document or restart in each part; one in six is translated;
//! - 2 in 10 a regulation of chapters `第一章` and articles `第一条`;
//! - 1 in 10 a news report on a guideline (`reports-on`), unnumbered paragraphs citing it.
//!
//! About 30 MB for 1,000 documents.
#![allow(dead_code)]

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const ZH_SEEDS: [&str; 4] = [
    include_str!("../../seeds/000_7eec8cb570da91da.txt"),
    include_str!("../../seeds/002_be8482c41ddce61b.txt"),
    include_str!("../../seeds/003_fa0912c064ef62b7.txt"),
    include_str!("../../seeds/004_236636c766a7cbd7.txt"),
];
const EN_SEED: &str = include_str!("../../seeds/001_00d2dfaf8ea1c481.txt");

/// The file that marks a folder as written by [`write`].
pub const MARKER: &str = ".clausebook-corpus";

const PROVINCES: [&str; 31] = [
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
];
const ISSUERS: [&str; 6] = [
    "国务院",
    "中共中央国务院",
    "国务院办公厅",
    "国家发展改革委",
    "财政部",
    "生态环境部",
];
const EN_ISSUERS: [&str; 6] = [
    "the State Council",
    "the CPC Central Committee and the State Council",
    "the General Office of the State Council",
    "the National Development and Reform Commission",
    "the Ministry of Finance",
    "the Ministry of Ecology and Environment",
];
const CN_NUM: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// A Chinese numeral for 1..=99: `一`, `十`, `十二`, `二十`, `三十五`.
pub fn cn_numeral(n: usize) -> String {
    assert!((1..100).contains(&n));
    let (t, o) = (n / 10, n % 10);
    match t {
        0 => CN_NUM[o].to_string(),
        1 => format!("十{}", CN_NUM[o]),
        _ => format!("{}十{}", CN_NUM[t], CN_NUM[o]),
    }
}

/// splitmix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
}

/// The material taken from the seeds.
struct Pools {
    /// Chinese sentences of running text, each ending in `。` or `；`.
    zh: Vec<String>,
    /// Clause headings (`打好三大攻坚战`), without the final `。`.
    zh_heads: Vec<String>,
    /// Part titles (`贯彻新发展理念，推动高质量发展`).
    zh_parts: Vec<String>,
    /// English sentences of running text, sorted by length.
    en: Vec<String>,
    /// English clause headings, without the final period.
    en_heads: Vec<String>,
    /// English part titles.
    en_parts: Vec<String>,
}

fn trim_line(l: &str) -> &str {
    l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '#' || c == '*')
}

fn is_cn_digit(c: char) -> bool {
    "〇零一二三四五六七八九十百".contains(c)
}

/// Splits Chinese text after `。；！？`, keeping the marks.
fn zh_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '；' | '！' | '？') {
            let end = i + c.len_utf8();
            out.push(text[start..end].trim());
            start = end;
        }
    }
    out
}

/// A sentence that may stand anywhere in a generated paragraph: of a fair length, ending
/// a sentence, with balanced quotes, no 《title》 (it would cite an unknown document) and
/// no start the parser would read as a label.
fn usable_zh(s: &str) -> bool {
    let n = s.chars().count();
    let first = s.chars().next().unwrap_or(' ');
    (12..=160).contains(&n)
        && s.ends_with('。')
        && s.matches('“').count() == s.matches('”').count()
        && !s.contains(['《', '》', '*', '#', '(', '（', '—'])
        && !is_cn_digit(first)
        && !first.is_ascii_digit()
        && !matches!(first, '第' | '【' | '“' | '，' | '、')
}

/// Splits English text after `. ` followed by a capital or a quote.
fn en_sentences(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..b.len().saturating_sub(2) {
        if b[i] == b'.' && b[i + 1] == b' ' && (b[i + 2].is_ascii_uppercase() || b[i + 2] == b'"') {
            out.push(text[start..=i].trim());
            start = i + 2;
        }
    }
    out.push(text[start..].trim());
    out
}

const EN_LABEL_WORDS: [&str; 16] = [
    "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
    "Chapter", "Part", "Article", "Section", "One", "Two",
];

fn usable_en(s: &str) -> bool {
    let first_word = s.split([' ', ',']).next().unwrap_or("");
    (40..=600).contains(&s.len())
        && s.ends_with('.')
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.matches('"').count().is_multiple_of(2)
        && s.matches('“').count() == s.matches('”').count()
        && !s.contains(['(', ')', '*', '#'])
        && !EN_LABEL_WORDS.contains(&first_word)
        && !s.contains("e.g.")
        && !s.contains("No.")
}

fn dedup(v: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    v.into_iter().filter(|s| seen.insert(s.clone())).collect()
}

impl Pools {
    fn from_seeds() -> Self {
        let mut zh = Vec::new();
        let mut zh_heads = Vec::new();
        let mut zh_parts = Vec::new();
        for text in ZH_SEEDS {
            for line in text.lines().map(trim_line).filter(|l| !l.is_empty()) {
                let first = line.chars().next().unwrap();
                let digits: String = line.chars().take_while(|&c| is_cn_digit(c)).collect();
                if !digits.is_empty() && line[digits.len()..].starts_with('、') {
                    let rest = &line[digits.len() + '、'.len_utf8()..];
                    if rest.chars().count() <= 40 && !rest.contains('。') {
                        zh_parts.push(rest.to_string());
                        continue;
                    }
                }
                let mut body = line;
                if matches!(first, '(' | '（')
                    && let Some(close) = line.find([')', '）'])
                {
                    let close_len = line[close..].chars().next().map_or(1, char::len_utf8);
                    let rest = &line[close + close_len..];
                    if let Some(dot) = rest.find('。') {
                        let head = rest[..dot].trim_matches('*');
                        if (3..=30).contains(&head.chars().count()) && !head.contains('，') {
                            zh_heads.push(head.to_string());
                        }
                        body = &rest[dot + '。'.len_utf8()..];
                    }
                }
                zh.extend(
                    zh_sentences(body.trim_matches('*'))
                        .into_iter()
                        .filter(|s| usable_zh(s))
                        .map(String::from),
                );
            }
        }
        let mut en = Vec::new();
        let mut en_heads = Vec::new();
        let mut en_parts = Vec::new();
        for line in EN_SEED.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && line[digits..].starts_with(". ") && line.len() < 160 {
                en_parts.push(line[digits + 2..].trim_end_matches('.').to_string());
                continue;
            }
            let mut body = line;
            if line.starts_with('(')
                && let Some(close) = line.find(") ")
            {
                let rest = &line[close + 2..];
                let ss = en_sentences(rest);
                if let Some(h) = ss.first() {
                    if h.len() <= 100 && !h.contains(['(', ')']) {
                        en_heads.push(h.trim_end_matches('.').to_string());
                    }
                    body = &rest[h.len().min(rest.len())..];
                }
            }
            en.extend(
                en_sentences(body)
                    .into_iter()
                    .filter(|s| usable_en(s))
                    .map(String::from),
            );
        }
        let mut en = dedup(en);
        en.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        Pools {
            zh: dedup(zh),
            zh_heads: dedup(zh_heads),
            zh_parts: dedup(zh_parts),
            en,
            en_heads: dedup(en_heads),
            en_parts: dedup(en_parts),
        }
    }

    /// An English sentence whose length fits a Chinese one of `zh_chars` characters
    /// (the seeds' translation runs about 4.1 letters per Han character).
    fn en_for(&self, zh_chars: usize, rng: &mut Rng) -> &str {
        let want = zh_chars * 41 / 10;
        let at = self.en.partition_point(|s| s.len() < want);
        let lo = at.saturating_sub(3);
        let hi = (at + 3).min(self.en.len() - 1);
        &self.en[rng.range(lo, hi)]
    }
}

/// Draws items of a pool without repeating one inside a document (until the pool runs
/// out, when it starts again).
struct Draw {
    used: HashSet<usize>,
}

impl Draw {
    fn new() -> Self {
        Draw {
            used: HashSet::new(),
        }
    }
    fn take(&mut self, len: usize, rng: &mut Rng) -> usize {
        if self.used.len() >= len {
            self.used.clear();
        }
        loop {
            let i = rng.range(0, len - 1);
            if self.used.insert(i) {
                return i;
            }
        }
    }
}

/// A clause: its heading and its paragraphs, each a list of sentences.
#[derive(Clone)]
struct Clause {
    head: String,
    en_head: String,
    paragraphs: Vec<Vec<String>>,
}

/// A part: its title and clauses.
#[derive(Clone)]
struct Part {
    title: String,
    en_title: String,
    clauses: Vec<Clause>,
}

/// What an implementing document takes from its guideline.
struct Guideline {
    slug: String,
    title: String,
    topic: String,
    parts: Vec<Part>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Guideline,
    Implementation,
    Regulation,
    News,
}

fn kind_of(i: usize) -> Kind {
    match i % 10 {
        0 => Kind::Guideline,
        1..=6 => Kind::Implementation,
        7 | 8 => Kind::Regulation,
        _ => Kind::News,
    }
}

struct Doc {
    slug: String,
    kind: Kind,
    date: String,
    title: String,
    en_title: Option<String>,
    relation: Option<(&'static str, String)>,
    zh: String,
    en: Option<String>,
}

fn sentences(pools: &Pools, draw: &mut Draw, rng: &mut Rng, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| pools.zh[draw.take(pools.zh.len(), rng)].clone())
        .collect()
}

fn new_clause(pools: &Pools, draw: &mut Draw, heads: &mut Draw, rng: &mut Rng) -> Clause {
    let h = heads.take(pools.zh_heads.len(), rng);
    let paragraphs = (0..rng.range(1, 2))
        .map(|_| {
            let n = rng.range(3, 6);
            sentences(pools, draw, rng, n)
        })
        .collect();
    Clause {
        head: pools.zh_heads[h].clone(),
        en_head: pools.en_heads[h % pools.en_heads.len()].clone(),
        paragraphs,
    }
}

fn parts(
    pools: &Pools,
    draw: &mut Draw,
    rng: &mut Rng,
    n_parts: usize,
    clauses: (usize, usize),
) -> Vec<Part> {
    let mut heads = Draw::new();
    let mut titles = Draw::new();
    (0..n_parts)
        .map(|_| {
            let t = titles.take(pools.zh_parts.len(), rng);
            Part {
                title: pools.zh_parts[t].clone(),
                en_title: pools.en_parts[t % pools.en_parts.len()].clone(),
                clauses: (0..rng.range(clauses.0, clauses.1))
                    .map(|_| new_clause(pools, draw, &mut heads, rng))
                    .collect(),
            }
        })
        .collect()
}

fn date(rng: &mut Rng, i: usize) -> String {
    format!(
        "{}-{:02}-{:02}",
        2015 + i % 10,
        rng.range(1, 12),
        rng.range(1, 28)
    )
}

fn paragraph_line(out: &mut String, sentences: &[String]) {
    out.push_str("　　");
    for s in sentences {
        out.push_str(s);
    }
    out.push_str("\n\n");
}

/// Chinese text with parts `一、` and clauses `（一）`, through the document or restarting
/// in each part.
fn zh_text(title: &str, preamble: &[Vec<String>], parts: &[Part], restart: bool) -> String {
    let mut s = format!("{title}\n\n");
    for p in preamble {
        paragraph_line(&mut s, p);
    }
    let mut c = 0;
    for (pi, part) in parts.iter().enumerate() {
        writeln!(s, "　　{}、{}\n", cn_numeral(pi + 1), part.title).unwrap();
        if restart {
            c = 0;
        }
        for clause in &part.clauses {
            c += 1;
            for (k, para) in clause.paragraphs.iter().enumerate() {
                if k == 0 {
                    write!(s, "　　（{}）{}。", cn_numeral(c), clause.head).unwrap();
                    s.push_str(&para.concat());
                    s.push_str("\n\n");
                } else {
                    paragraph_line(&mut s, para);
                }
            }
        }
    }
    s
}

fn en_paragraph(pools: &Pools, rng: &mut Rng, para: &[String]) -> String {
    let v: Vec<&str> = para
        .iter()
        .map(|z| pools.en_for(z.chars().count(), rng))
        .collect();
    v.join(" ")
}

/// The translation of a [`zh_text`]: the same parts and clauses, `1.` and `(1)`, each
/// Chinese sentence matched by an English one of fitting length.
fn en_text(
    pools: &Pools,
    rng: &mut Rng,
    title: &str,
    preamble: &[Vec<String>],
    parts: &[Part],
    restart: bool,
) -> String {
    let mut s = format!("{title}\n\n");
    for p in preamble {
        writeln!(s, "{}\n", en_paragraph(pools, rng, p)).unwrap();
    }
    let mut c = 0;
    for (pi, part) in parts.iter().enumerate() {
        writeln!(s, "  {}. {}\n", pi + 1, part.en_title).unwrap();
        if restart {
            c = 0;
        }
        for clause in &part.clauses {
            c += 1;
            for (k, para) in clause.paragraphs.iter().enumerate() {
                let text = en_paragraph(pools, rng, para);
                if k == 0 {
                    writeln!(s, "  ({c}) {}. {text}\n", clause.en_head).unwrap();
                } else {
                    writeln!(s, "  {text}\n").unwrap();
                }
            }
        }
    }
    s
}

fn unique(titles: &mut HashSet<String>, mut candidates: impl Iterator<Item = String>) -> String {
    let t = candidates
        .find(|t| !titles.contains(t))
        .expect("a free title");
    titles.insert(t.clone());
    t
}

fn document(
    pools: &Pools,
    i: usize,
    guidelines: &mut Vec<Guideline>,
    titles: &mut HashSet<String>,
) -> Doc {
    let mut rng = Rng::new(i as u64);
    let mut draw = Draw::new();
    let kind = kind_of(i);
    let date = date(&mut rng, i);
    match kind {
        Kind::Guideline => {
            let slug = format!("guideline-{i:04}");
            let t0 = rng.range(0, pools.zh_heads.len() - 1);
            let iss = rng.range(0, ISSUERS.len() - 1);
            let (mut topic, mut issuer) = (String::new(), 0);
            let title = unique(
                titles,
                (0..pools.zh_heads.len() * ISSUERS.len()).map(|k| {
                    topic = pools.zh_heads[(t0 + k / ISSUERS.len()) % pools.zh_heads.len()].clone();
                    issuer = (iss + k) % ISSUERS.len();
                    format!("{}关于{topic}的指导意见", ISSUERS[issuer])
                }),
            );
            let n_parts = rng.range(5, 8);
            let parts = parts(pools, &mut draw, &mut rng, n_parts, (3, 7));
            let preamble = vec![sentences(pools, &mut draw, &mut rng, 4)];
            let mut zh = zh_text(&title, &preamble, &parts, false);
            zh.push_str("　　各地区各部门要结合实际认真贯彻落实。\n");
            let translated = i.is_multiple_of(20);
            let en_title = translated.then(|| {
                let h = &pools.en_heads[rng.range(0, pools.en_heads.len() - 1)];
                format!(
                    "Guiding Opinions of {} on {} ({})",
                    EN_ISSUERS[issuer],
                    h,
                    &date[..4]
                )
            });
            let en = en_title.as_ref().map(|t| {
                let mut e = en_text(pools, &mut rng, t, &preamble, &parts, false);
                e.push_str("All regions and departments shall implement these opinions in light of their actual conditions.\n");
                e
            });
            guidelines.push(Guideline {
                slug: slug.clone(),
                title: title.clone(),
                topic,
                parts,
            });
            Doc {
                slug,
                kind,
                date,
                title,
                en_title,
                relation: None,
                zh,
                en,
            }
        }
        Kind::Implementation => {
            let recent = guidelines.len().min(8);
            let g = &guidelines[guidelines.len() - 1 - rng.range(0, recent - 1)];
            let slug = format!("implementation-{i:04}");
            let p0 = rng.range(0, PROVINCES.len() - 1);
            let title = unique(
                titles,
                (0..PROVINCES.len() * 3).map(|k| {
                    let again = ["", "进一步", "深入"][k / PROVINCES.len()];
                    format!(
                        "{}关于{again}{}的实施意见",
                        PROVINCES[(p0 + k) % PROVINCES.len()],
                        g.topic
                    )
                }),
            );
            let restart = rng.range(0, 1) == 1;
            let mut heads = Draw::new();
            // Parts follow the guideline's; about half the clauses implement one of its
            // clauses, taking its heading and some of its sentences.
            let parts: Vec<Part> = g
                .parts
                .iter()
                .map(|gp| Part {
                    title: gp.title.clone(),
                    en_title: gp.en_title.clone(),
                    clauses: (0..rng.range(3, 6))
                        .map(|_| {
                            if rng.range(0, 1) == 0 && !gp.clauses.is_empty() {
                                let gc = &gp.clauses[rng.range(0, gp.clauses.len() - 1)];
                                let mut c = new_clause(pools, &mut draw, &mut heads, &mut rng);
                                c.head = gc.head.clone();
                                c.en_head = gc.en_head.clone();
                                let taken: Vec<String> = gc
                                    .paragraphs
                                    .concat()
                                    .into_iter()
                                    .filter(|_| rng.range(0, 2) > 0)
                                    .collect();
                                c.paragraphs[0].splice(0..0, taken);
                                c
                            } else {
                                new_clause(pools, &mut draw, &mut heads, &mut rng)
                            }
                        })
                        .collect(),
                })
                .collect();
            let mut preamble = vec![vec![format!(
                "为贯彻落实《{}》精神，结合实际，提出如下实施意见。",
                g.title
            )]];
            preamble[0].extend(sentences(pools, &mut draw, &mut rng, 2));
            let zh = zh_text(&title, &preamble, &parts, restart);
            let translated = i % 60 == 1;
            let en_title = translated.then(|| {
                format!(
                    "Implementing Opinions of Province No. {} on {}",
                    (p0 % 31) + 1,
                    g.parts[0].en_title
                )
            });
            let en = en_title
                .as_ref()
                .map(|t| en_text(pools, &mut rng, t, &preamble, &parts, restart));
            Doc {
                slug,
                kind,
                date,
                title,
                en_title,
                relation: Some(("implements", g.slug.clone())),
                zh,
                en,
            }
        }
        Kind::Regulation => {
            let slug = format!("regulation-{i:04}");
            let t0 = rng.range(0, pools.zh_parts.len() - 1);
            let p0 = rng.range(0, PROVINCES.len() - 1);
            let title = unique(
                titles,
                (0..pools.zh_parts.len() * PROVINCES.len()).map(|k| {
                    let t = &pools.zh_parts[(t0 + k / PROVINCES.len()) % pools.zh_parts.len()];
                    let t: String = t.chars().take_while(|&c| c != '，').collect();
                    format!("{}{t}条例", PROVINCES[(p0 + k) % PROVINCES.len()])
                }),
            );
            let mut s = format!("{title}\n\n");
            let mut article = 0;
            let mut titles_draw = Draw::new();
            for ch in 1..=rng.range(4, 7) {
                let t = &pools.zh_parts[titles_draw.take(pools.zh_parts.len(), &mut rng)];
                writeln!(s, "第{}章　{t}\n", cn_numeral(ch)).unwrap();
                for _ in 0..rng.range(6, 12) {
                    article += 1;
                    let n = rng.range(3, 5);
                    let body = sentences(pools, &mut draw, &mut rng, n).concat();
                    writeln!(s, "第{}条　{body}\n", cn_numeral(article)).unwrap();
                }
            }
            Doc {
                slug,
                kind,
                date,
                title,
                en_title: None,
                relation: None,
                zh: s,
                en: None,
            }
        }
        Kind::News => {
            let g = &guidelines[guidelines.len() - 1 - rng.range(0, guidelines.len().min(4) - 1)];
            let slug = format!("news-{i:04}");
            let p0 = rng.range(0, PROVINCES.len() - 1);
            let title = unique(
                titles,
                (0..PROVINCES.len() * 4).map(|k| {
                    let verb = ["部署", "推进", "落实", "研究"][k / PROVINCES.len()];
                    format!(
                        "{}{verb}{}工作",
                        PROVINCES[(p0 + k) % PROVINCES.len()],
                        g.topic
                    )
                }),
            );
            let mut s = format!("{title}\n\n");
            let lead = sentences(pools, &mut draw, &mut rng, 2).concat();
            writeln!(s, "　　会议强调，要认真贯彻落实《{}》。{lead}\n", g.title).unwrap();
            for _ in 0..rng.range(12, 22) {
                let n = rng.range(2, 4);
                paragraph_line(&mut s, &sentences(pools, &mut draw, &mut rng, n));
            }
            Doc {
                slug,
                kind,
                date,
                title,
                en_title: None,
                relation: Some(("reports-on", g.slug.clone())),
                zh: s,
                en: None,
            }
        }
    }
}

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// The files of a seeds folder of `n` documents: `(file name, contents)`, the manifest
/// first. The same `n` gives the same bytes.
pub fn generate(n: usize) -> Vec<(String, Vec<u8>)> {
    let pools = Pools::from_seeds();
    let mut guidelines = Vec::new();
    let mut titles = HashSet::new();
    let mut manifest = format!(
        "# A synthetic library of {n} documents built from the seeds' sentences.\nsite:\n  title: 合成政策文库 · Synthetic Policy Library ({n})\n  description: Generated for benchmarks by benches/gen_corpus.rs.\n\ndocuments:\n"
    );
    let mut files = Vec::new();
    for i in 0..n {
        let d = document(&pools, i, &mut guidelines, &mut titles);
        let kind = match d.kind {
            Kind::Guideline => "guideline",
            Kind::Implementation => "implementation",
            Kind::Regulation => "regulation",
            Kind::News => "news",
        };
        writeln!(
            manifest,
            "  - slug: {}\n    kind: {kind}\n    date: {}\n    title: {}\n    versions:\n      - {{file: {i:04}_zh.txt, lang: zh-Hans}}",
            d.slug,
            d.date,
            yaml_str(&d.title)
        )
        .unwrap();
        files.push((format!("{i:04}_zh.txt"), d.zh.into_bytes()));
        if let (Some(t), Some(en)) = (&d.en_title, d.en) {
            writeln!(
                manifest,
                "      - {{file: {i:04}_en.txt, lang: en, title: {}}}",
                yaml_str(t)
            )
            .unwrap();
            files.push((format!("{i:04}_en.txt"), en.into_bytes()));
        }
        if let Some((rel, target)) = &d.relation {
            writeln!(
                manifest,
                "    relations:\n      - {{kind: {rel}, target: {target}}}"
            )
            .unwrap();
        }
    }
    files.insert(0, ("manifest.yaml".to_string(), manifest.into_bytes()));
    files
}

/// Writes [`generate`]`(n)` into `out`, which must be missing, empty, or a folder this
/// function wrote before (it carries [`MARKER`]; its generated files and any
/// `anchors.lock` a build left there are replaced). Anything else is refused.
pub fn write(n: usize, out: &Path) -> Result<usize, String> {
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("{} is not a folder", out.display()));
        }
        let entries: BTreeSet<String> = fs::read_dir(out)
            .map_err(|e| format!("cannot read {}: {e}", out.display()))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if !entries.is_empty() {
            if !entries.contains(MARKER) {
                return Err(format!(
                    "{} is not empty and was not made by gen_corpus; choose a new or empty folder",
                    out.display()
                ));
            }
            let ours = |e: &str| {
                e == MARKER || e == "manifest.yaml" || e == "anchors.lock" || e.ends_with(".txt")
            };
            if let Some(other) = entries.iter().find(|e| !ours(e)) {
                return Err(format!(
                    "{} holds {other}, which gen_corpus did not write; choose a new or empty folder",
                    out.display()
                ));
            }
            for e in &entries {
                fs::remove_file(out.join(e))
                    .map_err(|err| format!("cannot remove {}: {err}", out.join(e).display()))?;
            }
        }
    }
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    fs::write(out.join(MARKER), format!("gen_corpus --docs {n}\n"))
        .map_err(|e| format!("cannot write {}: {e}", out.join(MARKER).display()))?;
    let mut bytes = 0;
    for (name, data) in generate(n) {
        bytes += data.len();
        fs::write(out.join(&name), &data)
            .map_err(|e| format!("cannot write {}: {e}", out.join(&name).display()))?;
    }
    Ok(bytes)
}
