/* Loads the search code for its tests, in Node.js, as the browser runs it.

   The tests run from `cargo test --lib search::script_tests`, which writes a fixture
   folder and names it in CLAUSEBOOK_SEARCH_FIXTURE:

   - search.js: the script as the build writes it (the parts joined);
   - parts.json: the part names in the order they are joined;
   - rust.json: what the Rust tokenizer makes of sample texts and queries;
   - single/ and sharded/: site roots holding the same small library's indexes, written
     by the build's own index code, one as single files and one sharded.

   `parts` loads some parts alone, to reach functions the script keeps to itself;
   `site` runs the joined script with a page whose <script> elements load files from a
   site root, as the browser would, one turn of the event loop later. */
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const PARTS_DIR = path.join(__dirname, "..");

function fixtureDir() {
  const dir = process.env.CLAUSEBOOK_SEARCH_FIXTURE;
  if (!dir) {
    throw new Error(
      "CLAUSEBOOK_SEARCH_FIXTURE is not set: run these tests with " +
        "`cargo test --lib search::script_tests`, which writes the fixture and sets it");
  }
  return dir;
}

function fixture(name) {
  return path.join(fixtureDir(), name);
}

function readJson(name) {
  return JSON.parse(fs.readFileSync(fixture(name), "utf8"));
}

/* Evaluates `source` as the body of a function with parameters `params`, in this realm
   (so its arrays and objects compare with assert's deep equality), and returns it. */
function compile(params, source, filename) {
  const code = "(function (" + params.join(", ") + ") {\n" + source + "\n})";
  return vm.runInThisContext(code, { filename: filename });
}

/* The parts `names` (the parts between `begin` and `end`, each a run of declarations),
   joined in build order inside one strict function, as they stand in the script; returns
   the declarations named in `exported`. A DOM is neither given nor needed: the parts
   only touch it when their functions run. */
function parts(names, exported) {
  const order = readJson("parts.json");
  names.forEach(function (n) {
    if (order.indexOf(n) < 0) throw new Error("no part `" + n + "` among " + order.join(", "));
    if (n === order[0] || n === order[order.length - 1]) {
      throw new Error("`" + n + "` opens or closes the script's function and cannot load alone");
    }
  });
  const body = order
    .filter(function (n) { return names.indexOf(n) >= 0; })
    .map(function (n) { return fs.readFileSync(path.join(PARTS_DIR, n + ".js"), "utf8"); })
    .join("");
  const ret = "return {" + exported.map(function (e) { return e + ": " + e; }).join(", ") + "};";
  return compile([], '"use strict";\n' + body + ret, "static/search/{" + names.join(",") + "}.js")();
}

/* A page that ran the joined script, with a site root of the fixture (`single` or
   `sharded`): {api: window.clausebookSearch, requested: script paths asked for, in order}.
   A script that is not in the folder fails to load, as a missing file does. */
function site(rootName) {
  const root = fixture(rootName);
  const requested = [];
  const window = {};
  const document = {
    head: {
      appendChild: function (el) {
        requested.push(el.src);
        setImmediate(function () {
          const file = path.join(root, el.src);
          if (!fs.existsSync(file)) { el.onerror(); return; }
          compile(["clausebookSearch"], fs.readFileSync(file, "utf8"), file)(window.clausebookSearch);
        });
      },
    },
    createElement: function (tag) { return { tagName: tag.toUpperCase() }; },
    querySelectorAll: function () { return []; },
    addEventListener: function () {},
    getElementById: function () { return null; },
  };
  compile(["window", "document"], fs.readFileSync(fixture("search.js"), "utf8"), fixture("search.js"))(
    window, document);
  return { api: window.clausebookSearch, requested: requested };
}

/* search() of the script as a promise of {hits, total, exact, unavailable}. */
function search(api, q, langs, doc, limit) {
  return new Promise(function (resolve) {
    api.search("", q, langs, doc || "", limit || 20, function (hits, total, exact, unavailable) {
      resolve({ hits: hits, total: total, exact: exact, unavailable: unavailable });
    });
  });
}

module.exports = { parts: parts, site: site, search: search, fixture: fixture, readJson: readJson };
