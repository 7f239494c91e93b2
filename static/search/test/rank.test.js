/* Finding and ranking (static/search/rank.js, shard.js, load.js) on the indexes the build
   writes for a small library (src/search/script_tests.rs): two English documents, guide
   and notes, and the Chinese version of guide. */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { site, search, fixture } = require("./harness.js");

/* "doc#anchor" of each hit, in order. */
function found(hits) {
  return hits.map(function (h) { return h.ix.docs[h.unit.doc].slug + "#" + h.unit.anchor; });
}

function loaded(api, langs) {
  return Promise.all(langs.map(function (l) {
    return new Promise(function (resolve) { api.load("", l, resolve); });
  }));
}

test("the exact phrase ranks first; every word elsewhere still finds", async function () {
  const { api } = site("single");
  await loaded(api, ["en"]);
  const hits = api.query("belt and road", ["en"]);
  // c1 and c2 have the same words and length; only c1 has them as the phrase.
  assert.deepEqual(found(hits), ["guide#title", "guide#c1", "guide#c2"]);
  assert.equal(hits[1].unit.norm.length, hits[2].unit.norm.length);
  assert.ok(hits[1].score > hits[2].score * 1.4, hits[1].score + " vs " + hits[2].score);
});

test("a quoted phrase finds only the units holding it as written", async function () {
  const { api } = site("single");
  await loaded(api, ["en"]);
  assert.deepEqual(found(api.query('"belt and road"', ["en"])), ["guide#title", "guide#c1"]);
  assert.deepEqual(found(api.query('"road and belt"', ["en"])), ["guide#c2"]);
});

test("a word in the heading ranks above the same word in the text", async function () {
  const { api } = site("single");
  await loaded(api, ["en"]);
  const hits = api.query("customs", ["en"]);
  assert.deepEqual(found(hits), ["notes#c1", "notes#c2"]);
  assert.equal(hits[0].unit.norm.length, hits[1].unit.norm.length);
});

test("a Han word is found as a substring, not by its tokens alone", async function () {
  const { api } = site("single");
  await loaded(api, ["zh-Hans"]);
  // The index (of a small library) lists single characters, and guide#c2 holds every
  // character of 一带一路 (and 一带 and 一路) but not the word.
  const ix = api.indexes["zh-Hans"];
  assert.equal(ix.bigrams, false);
  const c2 = ix.units[2];
  api.tokens("一带一路").filter(function (t) { return t.length === 1; }).forEach(function (t) {
    assert.ok(c2.norm.indexOf(t) >= 0, t);
  });
  assert.deepEqual(found(api.query("一带一路", ["zh-Hans"])), ["guide#title", "guide#c1"]);
  assert.deepEqual(found(api.query("一路", ["zh-Hans"])).sort(), ["guide#c1", "guide#c2", "guide#title"]);
  assert.deepEqual(found(api.query("一带一路 共享", ["zh-Hans"])), ["guide#c1"]);
  assert.deepEqual(found(api.query("一带一路 丝绸", ["zh-Hans"])), []);
});

test("a clause is found by its label in either width and by its Arabic number", async function () {
  const { api } = site("single");
  await loaded(api, ["zh-Hans"]);
  assert.deepEqual(found(api.query("（一）", ["zh-Hans"])), ["guide#c1"]);
  assert.deepEqual(found(api.query("(一)", ["zh-Hans"])), ["guide#c1"]);
  assert.deepEqual(found(api.query("(1)", ["zh-Hans"])), ["guide#c1"]);
});

test("the document filter keeps the hits of one document", async function () {
  const { api } = site("single");
  await loaded(api, ["en"]);
  assert.deepEqual(found(api.query("the", ["en"], "notes")), ["notes#c1", "notes#c2"]);
  assert.deepEqual(found(api.query("belt", ["en"], "notes")), []);
  assert.equal(api.query("belt", ["en"], "guide").length, 3);
});

test("search loads the index, then finds as query does, across languages", async function () {
  const { api, requested } = site("single");
  const r = await search(api, "guide", ["en", "zh-Hans"]);
  assert.deepEqual(requested, ["search/index-en.js", "search/index-zh-Hans.js"]);
  assert.deepEqual(found(r.hits), ["guide#title"]);
  assert.equal(r.hits[0].ix.lang, "en");
  assert.deepEqual([r.total, r.exact, r.unavailable], [1, true, false]);
  const both = await search(api, "一带一路 belt", ["en", "zh-Hans"]);
  assert.deepEqual(found(both.hits), []);
});

test("an index that does not load is reported, not thrown", async function () {
  const { api } = site("single");
  const r = await search(api, "belt", ["fr"]);
  assert.deepEqual([r.hits.length, r.total, r.unavailable], [0, 0, true]);
});

test("a sharded index finds what the single file finds, loading only what it needs", async function () {
  const queries = [
    ["en", "belt and road"], ["en", '"belt and road"'], ["en", "customs"], ["en", "road"],
    ["zh-Hans", "一带一路"], ["zh-Hans", "一路"], ["zh-Hans", "(1)"], ["zh-Hans", "（一）"],
    ["zh-Hans", "一带一路 共享"], ["zh-Hans", "丝绸"],
  ];
  for (const [lang, q] of queries) {
    const single = await search(site("single").api, q, [lang]);
    const { api, requested } = site("sharded");
    const sharded = await search(api, q, [lang]);
    assert.deepEqual(found(sharded.hits), found(single.hits), lang + ": " + q);
    assert.deepEqual([sharded.total, sharded.exact], [single.total, true], lang + ": " + q);
    assert.equal(requested[0], "search/index-" + lang + ".js");
    requested.slice(1).forEach(function (p) {
      assert.match(p, new RegExp("^search/" + lang + "/[tu][0-9]+\\.js$"), q);
    });
  }
});

test("a sharded index loads its term shards, then only the chunks holding hits", async function () {
  // The units of `guide` and `notes` come first, in chunk 0; `annex` fills the others.
  const chunks = fs.readdirSync(path.join(fixture("sharded"), "search", "en"))
    .filter(function (f) { return /^u\d+\.js$/.test(f); });
  assert.ok(chunks.length >= 4, chunks.join(" "));
  const { api, requested } = site("sharded");
  const r = await search(api, "customs", ["en"]);
  assert.deepEqual(found(r.hits), ["notes#c1", "notes#c2"]);
  assert.equal(requested[0], "search/index-en.js");
  assert.ok(requested.length >= 3, requested.join(" "));
  assert.ok(requested.slice(1, -1).every(function (p) { return /^search\/en\/t\d+\.js$/.test(p); }), requested.join(" "));
  assert.equal(requested[requested.length - 1], "search/en/u0.js");
  // A word in every annex unit: the first hits in library order, from as few chunks as
  // hold them.
  const { api: api2, requested: requested2 } = site("sharded");
  const some = await search(api2, "amet", ["en"], "", 5);
  assert.equal(some.hits.length, 5);
  some.hits.forEach(function (h) { assert.equal(h.ix.docs[h.unit.doc].slug, "annex"); });
  const loadedChunks = requested2.filter(function (p) { return /\/u\d+\.js$/.test(p); });
  assert.ok(loadedChunks.length < chunks.length, loadedChunks.join(" "));
});
