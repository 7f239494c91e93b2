/* The tokenizer and the query words (static/search/tokenize.js): the same as the Rust
   tokenizer (src/search/tokenize.rs), which wrote rust.json for the same texts. */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { parts, site, readJson } = require("./harness.js");

const rust = readJson("rust.json");
const shipped = site("single").api; // the joined script, as the site has it
const part = parts(["tokenize"], ["normalize", "tokens", "queryWords", "HAN", "WORD", "SPACE"]);

test("一带一路 is cut into its characters and bigrams, as Rust cuts it", function () {
  const want = ["一", "带", "一带", "一", "带一", "路", "一路"];
  assert.deepEqual(shipped.tokens(shipped.normalize("一带一路")), want);
  const fromRust = rust.texts.find(function (t) { return t.text === "一带一路"; });
  assert.deepEqual(fromRust.tokens, want);
});

test("normalized text and tokens match the Rust tokenizer's, text by text", function () {
  assert.ok(rust.texts.length > 30);
  rust.texts.forEach(function (t) {
    const norm = shipped.normalize(t.text);
    assert.equal(norm, t.normalized, "normalize(" + JSON.stringify(t.text) + ")");
    assert.deepEqual(shipped.tokens(norm), t.tokens, "tokens(" + JSON.stringify(norm) + ")");
  });
});

test("query words match the Rust query_words, query by query", function () {
  rust.queries.forEach(function (q) {
    assert.deepEqual(shipped.queryWords(q.query), q.words, "queryWords(" + JSON.stringify(q.query) + ")");
  });
});

test("query words: quoted text is one word, white space of every kind splits", function () {
  assert.deepEqual(shipped.queryWords('  "Belt   and Road"  西部 (8)'), ["belt and road", "西部", "(8)"]);
  assert.deepEqual(shipped.queryWords("西部\u3000大开发"), ["西部", "大开发"]);
  assert.deepEqual(shipped.queryWords('"unclosed phrase'), ["unclosed phrase"]);
  assert.deepEqual(shipped.queryWords('"" "  "   '), []);
  assert.deepEqual(shipped.queryWords("（八）"), ["(八)"]);
});

test("the part alone is the code the site ships", function () {
  ["一带一路 Belt-and-Road 2020年", "（八）", "𠀀𠀁"].forEach(function (s) {
    assert.deepEqual(part.tokens(part.normalize(s)), shipped.tokens(shipped.normalize(s)));
  });
  assert.ok(part.HAN.test("路") && !part.HAN.test("a") && part.WORD.test("é") && part.SPACE.test("\u3000"));
});
