//! The units a search finds: a whole clause; outside clauses, each paragraph, heading,
//! list, box, dateline or source line; the heading (and lead text) of a part, preamble,
//! closing or article; the document title.

use crate::model::{Block, BlockKind, Document, Library, Version};

/// One searchable unit of one language version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The document's slug.
    pub slug: String,
    /// The language of the version.
    pub lang: String,
    /// The page of the version, from the site root: `guideline/en.html`.
    pub page: String,
    /// The anchor on that page: `c8`, `p2-1`, `n12`, `title`; empty for a title the
    /// seed lacks (the result opens the top of the page).
    pub anchor: String,
    /// The block kind of the unit (`clause`, `paragraph`, …).
    pub kind: BlockKind,
    /// The label to show with the result: the unit's own (`(八)`) or that of the part
    /// or clause it belongs to.
    pub label: String,
    /// The label's number in Arabic form, `(8)`, where the printed label differs: a
    /// clause (八) is found by `(8)` too.
    pub alias: String,
    /// The unit's text as printed: its label, title and text, then those of every block
    /// inside it in reading order, one field per line, white space collapsed.
    pub text: String,
    /// How many characters (UTF-16 code units, as JavaScript counts) at the start of
    /// `text` are the unit's heading: label and title. Matches there rank higher.
    pub head_len: usize,
}

impl Unit {
    /// The text a search looks in: the alias line (if any), then the text. A query
    /// word matches a unit exactly when it is a substring of this, normalized.
    pub fn searchable(&self) -> String {
        if self.alias.is_empty() {
            self.text.clone()
        } else {
            format!("{}\n{}", self.alias, self.text)
        }
    }
}

/// The page file of version `i` of a document, as the renderer names it.
pub(crate) fn page_of(doc: &Document, i: usize) -> String {
    let original = doc.versions.iter().position(|v| v.original).unwrap_or(0);
    if i == original {
        format!("{}/index.html", doc.slug)
    } else {
        format!("{}/{}.html", doc.slug, doc.versions[i].lang)
    }
}

/// Every unit of the library, document by document, version by version, in reading order.
pub fn units(lib: &Library) -> Vec<Unit> {
    let mut out = Vec::new();
    for doc in &lib.documents {
        for (i, v) in doc.versions.iter().enumerate() {
            let page = page_of(doc, i);
            let mut ctx = Ctx {
                doc,
                version: v,
                page: &page,
                out: &mut out,
            };
            if !v.blocks.iter().any(|b| b.kind == BlockKind::Title) {
                ctx.title_without_block();
            }
            for b in &v.blocks {
                ctx.collect(b, "");
            }
        }
    }
    out
}

struct Ctx<'a> {
    doc: &'a Document,
    version: &'a Version,
    page: &'a str,
    out: &'a mut Vec<Unit>,
}

impl Ctx<'_> {
    /// Adds the units of `b`; `outer` is the label of the part around it.
    fn collect(&mut self, b: &Block, outer: &str) {
        match b.kind {
            BlockKind::Part | BlockKind::Preamble | BlockKind::Closing | BlockKind::Article => {
                // The heading and lead text are a unit; the children are units of their own.
                let mut fields = Vec::new();
                push_fields(b, &mut fields);
                let label = b.label.as_deref().unwrap_or(outer).to_string();
                if !fields.is_empty() {
                    self.push(b, &label, &fields);
                }
                for c in &b.children {
                    self.collect(c, &label);
                }
            }
            _ => {
                // A clause with everything in it, or a leaf-level block.
                let mut fields = Vec::new();
                for d in b.walk() {
                    push_fields(d, &mut fields);
                }
                let label = b.label.as_deref().unwrap_or(outer).to_string();
                if !fields.is_empty() {
                    self.push(b, &label, &fields);
                }
            }
        }
    }

    /// The display title of a version whose seed has no title line (taken from the
    /// manifest or the file name): a unit too, so every title the page shows is found.
    /// It has no anchor of its own; its result opens the top of the page.
    fn title_without_block(&mut self) {
        let text = collapse(&self.version.title);
        if text.is_empty() {
            return;
        }
        self.out.push(Unit {
            slug: self.doc.slug.clone(),
            lang: self.version.lang.clone(),
            page: self.page.to_string(),
            anchor: String::new(),
            kind: BlockKind::Title,
            label: String::new(),
            alias: String::new(),
            head_len: utf16_len(&text),
            text,
        });
    }

    fn push(&mut self, b: &Block, label: &str, fields: &[String]) {
        let head: Vec<&str> = [&b.label, &b.title]
            .into_iter()
            .filter_map(|f| f.as_deref().map(str::trim).filter(|s| !s.is_empty()))
            .collect();
        let head_len = if head.is_empty() {
            0
        } else {
            // The label and title lines (and the line break between them).
            head.iter().map(|s| utf16_len(&collapse(s))).sum::<usize>() + head.len() - 1
        };
        let alias = match (b.kind, b.number, b.label.as_deref()) {
            (BlockKind::Clause, Some(n), Some(l)) if !l.contains(&n.to_string()) => {
                format!("({n})")
            }
            _ => String::new(),
        };
        self.out.push(Unit {
            slug: self.doc.slug.clone(),
            lang: self.version.lang.clone(),
            page: self.page.to_string(),
            anchor: b.id.clone(),
            kind: b.kind,
            label: label.to_string(),
            alias,
            text: fields.join("\n"),
            head_len,
        });
    }
}

/// The label, title and text of one block (not its children), white space collapsed.
fn push_fields(b: &Block, fields: &mut Vec<String>) {
    for f in [&b.label, &b.title, &b.text].into_iter().flatten() {
        let f = collapse(f);
        if !f.is_empty() {
            fields.push(f);
        }
    }
}

/// `s` with every run of white space made one space, and none at either end.
fn collapse(s: &str) -> String {
    s.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The length of `s` in UTF-16 code units, as JavaScript strings count.
pub(crate) fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Relation, SiteMeta, TitleSource};

    fn block(kind: BlockKind, id: &str) -> Block {
        Block::new(kind, id, 1)
    }

    fn library() -> Library {
        let mut title = block(BlockKind::Title, "title");
        title.text = Some("关于  推进的意见".into());
        let mut part = block(BlockKind::Part, "p1");
        part.label = Some("一、".into());
        part.title = Some("总体要求".into());
        let mut intro = block(BlockKind::Paragraph, "p1-1");
        intro.text = Some("引言".into());
        let mut clause = block(BlockKind::Clause, "c8");
        clause.number = Some(8);
        clause.label = Some("（八）".into());
        clause.title = Some("标题。".into());
        let mut para = block(BlockKind::Paragraph, "c8-1");
        para.text = Some("第一段\n续".into());
        clause.children.push(para);
        part.children = vec![intro, clause];
        let version = Version {
            lang: "zh-Hans".into(),
            original: true,
            source: "a.txt".into(),
            title: "关于推进的意见".into(),
            title_from: TitleSource::Seed,
            blocks: vec![title, part],
            alignment: None,
        };
        let mut en = version.clone();
        en.lang = "en".into();
        en.original = false;
        Library {
            site: SiteMeta::default(),
            documents: vec![Document {
                slug: "guideline".into(),
                kind: "guideline".into(),
                date: None,
                relations: Vec::<Relation>::new(),
                versions: vec![version, en],
                links: Vec::new(),
            }],
        }
    }

    #[test]
    fn clauses_are_whole_and_parts_give_their_heading() {
        let units = units(&library());
        let zh: Vec<(&str, &str, &str)> = units
            .iter()
            .filter(|u| u.lang == "zh-Hans")
            .map(|u| (u.anchor.as_str(), u.label.as_str(), u.text.as_str()))
            .collect();
        assert_eq!(
            zh,
            [
                ("title", "", "关于 推进的意见"),
                ("p1", "一、", "一、\n总体要求"),
                ("p1-1", "一、", "引言"),
                ("c8", "（八）", "（八）\n标题。\n第一段 续"),
            ]
        );
        let c8 = units.iter().find(|u| u.anchor == "c8").unwrap();
        assert_eq!(c8.alias, "(8)");
        assert_eq!(c8.head_len, "（八）\n标题。".chars().count());
        assert_eq!(c8.searchable(), "(8)\n（八）\n标题。\n第一段 续");
        assert_eq!(c8.page, "guideline/index.html");
        let en = units
            .iter()
            .find(|u| u.lang == "en" && u.anchor == "c8")
            .unwrap();
        assert_eq!(en.page, "guideline/en.html");
    }

    #[test]
    fn a_title_without_a_title_line_is_a_unit() {
        let mut lib = library();
        let en = &mut lib.documents[0].versions[1];
        en.blocks.remove(0);
        en.title = "Opinions  on Advancing".into();
        en.title_from = TitleSource::Manifest;
        let units = units(&lib);
        let t: Vec<&Unit> = units
            .iter()
            .filter(|u| u.lang == "en" && u.kind == BlockKind::Title)
            .collect();
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].anchor.as_str(), t[0].text.as_str()),
            ("", "Opinions on Advancing")
        );
        assert_eq!(t[0].head_len, t[0].text.len());
        // A version with its title line has no second title unit.
        let zh = units
            .iter()
            .filter(|u| u.lang == "zh-Hans" && u.kind == BlockKind::Title)
            .count();
        assert_eq!(zh, 1);
    }
}
