//! The document tree that every stage shares.
//!
//! A [`Library`] holds [`Document`]s; a document holds one [`Version`] per language (the
//! original first); a version holds a tree of [`Block`]s. The tree serializes to the
//! `data/<slug>.json` format of the public contract, so the field names here are a promise
//! to readers of those files: add fields freely, rename none.

use serde::Serialize;

/// Everything one build works on: the site settings and the documents in manifest order.
#[derive(Debug, Clone, Serialize)]
pub struct Library {
    /// Site-wide settings from the manifest's `site:` section.
    pub site: SiteMeta,
    /// The documents, in the order the manifest lists them (unlisted files last, by name).
    pub documents: Vec<Document>,
}

/// Site-wide settings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteMeta {
    /// The site title shown on every page.
    pub title: String,
    /// A short description for the library page and `<meta name="description">`.
    pub description: Option<String>,
    /// The absolute URL the site is published under, used only where a format demands
    /// absolute URLs (`sitemap.xml`); pages themselves link relatively.
    pub url: Option<String>,
}

/// One policy document with all its language versions.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The folder name of the document in the site: `site/<slug>/index.html`.
    pub slug: String,
    /// What sort of text this is: `guideline`, `implementation`, `news`, …
    pub kind: String,
    /// Date of issue or publication, `YYYY-MM-DD`, where the text or the manifest gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Typed links to other documents of the library.
    pub relations: Vec<Relation>,
    /// The language versions; the original comes first.
    pub versions: Vec<Version>,
    /// Clauses of this document matched to the clauses of a document it implements,
    /// found by the link stage: one entry per (clause, counterpart) pair, best first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<ClauseLink>,
}

/// A clause of one document matched to its counterpart in another (a provincial clause to
/// the central clause it implements), with the similarity of their texts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseLink {
    /// The clause's id in this document (`c17`).
    pub from: String,
    /// The counterpart.
    pub to: ClauseRef,
    /// Cosine similarity of the two clauses' character n-gram TF-IDF vectors, 0–1.
    pub score: f64,
    /// Passages of at least four Han characters that both clauses contain, longest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shared: Vec<String>,
}

/// A unit of another document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseRef {
    /// The document's slug.
    pub doc: String,
    /// The unit's id.
    pub id: String,
}

/// A 《title》 in a block's text that names a document of the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// Start of the title (inside the brackets), a UTF-8 byte offset into `text`.
    pub start: usize,
    /// End of the title (exclusive), a byte offset into `text`.
    pub end: usize,
    /// The slug of the document it names.
    pub target: String,
}

impl Document {
    /// The version in the document's original language.
    pub fn original(&self) -> &Version {
        self.versions
            .iter()
            .find(|v| v.original)
            .unwrap_or(&self.versions[0])
    }
}

/// A typed link from one document to another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Relation {
    /// `implements`, `reports-on`, `cites`, …
    pub kind: String,
    /// The slug of the other document.
    pub target: String,
}

/// One language version of a document, read from one seed file.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    /// BCP 47 language tag, e.g. `zh-Hans` or `en`.
    pub lang: String,
    /// Whether this is the document's original language.
    pub original: bool,
    /// The seed's file name, relative to the seeds folder, so a version traces to its file.
    pub source: String,
    /// The display title: the seed's own title line where it has one, else the manifest's.
    pub title: String,
    /// Where [`Version::title`] comes from.
    pub title_from: TitleSource,
    /// The document tree, in reading order.
    pub blocks: Vec<Block>,
    /// For a translation: how its units, paragraphs and sentences pair with the
    /// original's (set by the align stage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<Alignment>,
}

/// How a translation pairs with the original, group by group, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    /// The language of the original the groups pair with.
    pub original_lang: String,
    /// The length model used: characters of the translation per character of the
    /// original, estimated from this document's paired clauses.
    pub ratio: f64,
    /// Its variance per character of the original.
    pub variance: f64,
    /// The groups, in the original's reading order.
    pub groups: Vec<AlignedGroup>,
    /// How the text blocks (paragraphs, items, …) pair inside each pair of units, in the
    /// original's reading order: every text block of a paired unit is in exactly one
    /// group (`level` `paragraph`; one or two blocks a side, or none on one side).
    pub paragraphs: Vec<AlignedGroup>,
}

/// Units of the original and of a translation that render the same text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlignedGroup {
    /// Ids in the original: sentences (`c8-1.3`), or paragraphs or units.
    pub original: Vec<String>,
    /// Ids in the translation; empty where the original's text has no counterpart.
    pub translation: Vec<String>,
    /// Confidence in `[0, 1]`.
    pub score: f64,
    /// What the ids name: `sentence`, `paragraph` (a paragraph whose sentences could not
    /// be paired with confidence, or one on one side only) or `unit` (a part or clause
    /// on one side only).
    pub level: AlignLevel,
}

/// What the ids of an [`AlignedGroup`] name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlignLevel {
    /// Sentences, `{paragraph id}.{n}`.
    Sentence,
    /// Paragraphs (or other text blocks).
    Paragraph,
    /// Parts, clauses and other units.
    Unit,
}

/// Where a version's display title comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TitleSource {
    /// The seed's own title line (also kept as a block of kind `title`).
    Seed,
    /// The manifest, because the seed has no title line.
    Manifest,
    /// Neither: derived from the file name.
    File,
}

/// What a block is. Serialized in lowercase, as the contract names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// The document's own title line.
    Title,
    /// Text before the first part or clause; holds paragraphs.
    Preamble,
    /// A numbered part (`一、`, `1.`, `Sixth,`, `第一章`); holds paragraphs and clauses.
    Part,
    /// A numbered clause (`(八)`, `（八）`, `(8)`, `第八条`); holds paragraphs, lists.
    Clause,
    /// A paragraph of running text.
    Paragraph,
    /// An unnumbered subheading (news reports).
    Heading,
    /// A list; holds items.
    List,
    /// One item of a list or box.
    Item,
    /// A boxed passage set apart from the running text, such as `习近平强调——` with its points.
    Aside,
    /// Text after the last part; holds paragraphs, dateline, source.
    Closing,
    /// A dateline such as `(新华社北京5月17日电)`.
    Dateline,
    /// A source line such as `来源：2020-06-23 内蒙古日报 06 版`.
    Source,
    /// A byline or credit such as `据新华社`.
    Byline,
    /// A further article inside the same file (e.g. under `延伸阅读`), with its own title.
    Article,
}

/// One unit of the document tree.
///
/// `label`, `title` and `text` hold only text that stands in the seed, in its order, with
/// layout (indentation, Markdown markup) removed. What the build adds goes in fields of its
/// own (`supplied_title`).
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// The anchor of this unit, unique in the version and the same in every language
    /// version of the document (see the anchor scheme in docs/guide.md).
    pub id: String,
    /// What the block is.
    pub kind: BlockKind,
    /// The unit's own number as an Arabic integer (parts, clauses, items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// The number as printed: `二、`, `(一)`, `（一）`, `(8)`, `Sixth,`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The heading of a part, clause or article, as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The running text of a leaf block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Inline bold runs of `text`, as UTF-8 byte ranges `[start, end)`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub strong: Vec<(usize, usize)>,
    /// 《titles》 in `text` that name documents of the library, in text order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation>,
    /// A heading the seed lacks, recovered by the build (e.g. from the translation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplied_title: Option<Supplied>,
    /// The sentences of `text`, as UTF-8 byte ranges `[start, end)` that partition it; the
    /// n-th (from 1) has the anchor `{id}.{n}`. Set by the align stage for paragraphs and
    /// items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<(usize, usize)>,
    /// The 1-based line of the seed where this block starts.
    pub line: usize,
    /// Nested blocks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Block>,
}

/// Text the build supplies for a unit whose own text is missing from the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Supplied {
    /// The supplied text.
    pub text: String,
    /// The language of the supplied text.
    pub lang: String,
    /// Where it comes from, e.g. the seed file of the translation.
    pub from: String,
}

impl Block {
    /// A block of `kind` with `id` starting at `line`, all else empty.
    pub fn new(kind: BlockKind, id: impl Into<String>, line: usize) -> Block {
        Block {
            id: id.into(),
            kind,
            number: None,
            label: None,
            title: None,
            text: None,
            strong: Vec::new(),
            citations: Vec::new(),
            supplied_title: None,
            sentences: Vec::new(),
            line,
            children: Vec::new(),
        }
    }

    /// This block and all its descendants, in reading (pre-)order.
    pub fn walk(&self) -> Vec<&Block> {
        let mut out = Vec::new();
        fn go<'a>(b: &'a Block, out: &mut Vec<&'a Block>) {
            out.push(b);
            for c in &b.children {
                go(c, out);
            }
        }
        go(self, &mut out);
        out
    }
}

/// Every block of a tree in reading (pre-)order.
pub fn walk_blocks(blocks: &[Block]) -> Vec<&Block> {
    blocks.iter().flat_map(Block::walk).collect()
}

/// A warning about the input that did not stop the build: file, line and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The file the warning is about, relative to the seeds folder.
    pub file: String,
    /// The 1-based line, or 0 where the warning concerns the whole file.
    pub line: usize,
    /// What was found.
    pub message: String,
    /// What the user can do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The text on the line the warning is about, where it names one (a repeated
    /// fragment): a diagnostic underlines it. Not part of the data files.
    #[serde(skip)]
    pub quote: Option<String>,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)?;
        } else {
            write!(f, "{}: {}", self.file, self.message)?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}
