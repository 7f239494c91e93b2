/* Snippets (static/search/snippet.js): the text around the first hit, every occurrence of
   every query word marked in the text as printed. */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { parts } = require("./harness.js");

const js = parts(["tokenize", "load", "snippet"], ["prepareUnit", "queryWords", "snippet"]);

/* A unit as an index lists it: [doc, anchor, kind, label, head_len, alias, text]. */
function unit(text, alias, headLen) {
  return js.prepareUnit([0, "c1", "clause", "", headLen || 0, alias || "", text], 0);
}

function snip(text, query, width, alias) {
  return js.snippet(unit(text, alias), js.queryWords(query), width || 60);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

test("the hit is marked in the text around it", function () {
  assert.deepEqual(snip("（一）推进一带一路建设，共商共建共享。", "一带一路", 60, "(1)"), [
    ["（一）推进", false], ["一带一路", true], ["建设，共商共建共享。", false],
  ]);
});

test("the text as printed is marked where its normalized form matches", function () {
  assert.deepEqual(snip("（一）推进建设。", "(一)"), [["（一）", true], ["推进建设。", false]]);
  assert.deepEqual(snip("ＣＡＦÉ society", "café"), [["ＣＡＦÉ", true], [" society", false]]);
  assert.deepEqual(snip("ﬁnal ﬁle", "file"), [["ﬁnal ", false], ["ﬁle", true]]);
});

test("every occurrence of every word is marked", function () {
  assert.deepEqual(snip("Belt and road; the belt.", "belt road"), [
    ["Belt", true], [" and ", false], ["road", true], ["; the ", false], ["belt", true], [".", false],
  ]);
  assert.deepEqual(snip("Belt and road; road and belt.", '"belt and road"'), [
    ["Belt and road", true], ["; road and belt.", false],
  ]);
});

test("a long text is cut around the first hit, with ellipses", function () {
  const text = "前".repeat(300) + "一带一路" + "后".repeat(300);
  const parts = snip(text, "一带一路", 60);
  assert.deepEqual(parts, [
    ["…", false], ["前".repeat(20), false], ["一带一路", true], ["后".repeat(36), false], ["…", false],
  ]);
  // A hit at the very start: no ellipsis before.
  const head = snip("一带一路" + "后".repeat(300), "一带一路", 60);
  assert.deepEqual(head[0], ["一带一路", true]);
  assert.deepEqual(head[head.length - 1], ["…", false]);
});

test("a surrogate pair is never cut", function () {
  const text = "𠀀".repeat(100) + "路" + "𠀀".repeat(100);
  for (const width of [59, 60, 61, 120]) {
    const parts = snip(text, "路", width);
    assert.ok(parts.some(function (p) { return p[0] === "路" && p[1]; }), "width " + width);
    parts.forEach(function (p) { assert.doesNotMatch(p[0], LONE_SURROGATE, "width " + width); });
  }
});

test("lines show as one, joined by a dot", function () {
  assert.deepEqual(snip("(1) Customs\nGoods pass.", "goods"), [
    ["(1) Customs · ", false], ["Goods", true], [" pass.", false],
  ]);
});

test("a unit found by its alias alone shows its text unmarked", function () {
  assert.deepEqual(snip("（一）推进建设。", "(1)", 60, "(1)"), [["（一）推进建设。", false]]);
});
