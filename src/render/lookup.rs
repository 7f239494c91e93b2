//! Indexes over a library that rendering consults for every clause: documents by slug,
//! blocks by id, and the clause links that arrive at each clause. Built once per render,
//! they keep the work per clause constant where a search through the library would make
//! the site's rendering quadratic in its clauses.

use crate::model::{Block, ClauseLink, Document, Library, Version, walk_blocks};
use std::collections::HashMap;

/// The indexes of one library (see the module's documentation).
pub(super) struct Lookup<'a> {
    docs: HashMap<&'a str, &'a Document>,
    /// Blocks by (version, id); a version is known by its address in the library.
    blocks: HashMap<usize, HashMap<&'a str, &'a Block>>,
    /// Links by the clause they arrive at, (document slug, clause id): each with the
    /// document it comes from, in document order, and within a document best first.
    incoming: HashMap<&'a str, HashMap<&'a str, Vec<Incoming<'a>>>>,
}

/// A link arriving at a clause, with the document it comes from.
type Incoming<'a> = (&'a Document, &'a ClauseLink);

fn key(v: &Version) -> usize {
    v as *const Version as usize
}

impl<'a> Lookup<'a> {
    /// Indexes `lib`.
    pub(super) fn new(lib: &'a Library) -> Self {
        let mut docs = HashMap::new();
        let mut blocks: HashMap<usize, HashMap<&str, &Block>> = HashMap::new();
        let mut incoming: HashMap<&str, HashMap<&str, Vec<Incoming>>> = HashMap::new();
        for doc in &lib.documents {
            // The first of a slug or id wins, as with a search from the start.
            docs.entry(doc.slug.as_str()).or_insert(doc);
            for v in &doc.versions {
                for b in walk_blocks(&v.blocks) {
                    blocks
                        .entry(key(v))
                        .or_default()
                        .entry(b.id.as_str())
                        .or_insert(b);
                }
            }
        }
        for doc in &lib.documents {
            let mut mine: Vec<&ClauseLink> = doc.links.iter().collect();
            // Best first per arriving clause; a stable sort keeps ties in link order.
            mine.sort_by(|a, b| b.score.total_cmp(&a.score));
            for l in mine {
                incoming
                    .entry(l.to.doc.as_str())
                    .or_default()
                    .entry(l.to.id.as_str())
                    .or_default()
                    .push((doc, l));
            }
        }
        Lookup {
            docs,
            blocks,
            incoming,
        }
    }

    /// The document of a slug.
    pub(super) fn doc(&self, slug: &str) -> Option<&'a Document> {
        self.docs.get(slug).copied()
    }

    /// The block of `v` with the id `id`.
    pub(super) fn block(&self, v: &Version, id: &str) -> Option<&'a Block> {
        self.blocks.get(&key(v))?.get(id).copied()
    }

    /// The links that arrive at clause `id` of document `slug`, with the documents they
    /// come from: in document order, and within a document best first.
    pub(super) fn incoming(&self, slug: &str, id: &str) -> &[Incoming<'a>] {
        self.incoming
            .get(slug)
            .and_then(|m| m.get(id))
            .map_or(&[], Vec::as_slice)
    }
}
