/* clausebook search: the field in the page header (and the search.html page).

   The build writes one index per language, search/index-<lang>.js, a classic script that
   calls clausebookSearch.register({...}). This file loads an index on the first focus of
   the field by adding a <script> element: no fetch, no modules, no workers, so it works
   from file:// as well as over HTTP. Everything it puts into the page is set as text.

   Matching is exact: a unit is a hit when every query word, normalized (NFKC, lowercase),
   is a substring of the unit's normalized text. The index only narrows the candidates.
   The tokenizer below must cut exactly as src/search/tokenize.rs does. */
(function () {
  "use strict";
  if (window.clausebookSearch) return; // loaded twice (the 404 page may add it again)

  /* ───── tokenizer: the same rules as src/search/tokenize.rs ───── */

  var HAN = /[\u2E80-\u2FDF\u3005\u3007\u3021-\u3029\u3038-\u303B\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{3FFFF}]/u;
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var SPACE = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/;

  function normalize(s) {
    return s.normalize("NFKC").toLowerCase();
  }

  /* Index tokens of normalized text: Han characters and Han bigrams, and words. */
  function tokens(norm) {
    var out = [];
    var word = "";
    var prev = null;
    for (var ch of norm) {
      if (HAN.test(ch)) {
        if (word) { out.push(word); word = ""; }
        out.push(ch);
        if (prev !== null) out.push(prev + ch);
        prev = ch;
      } else {
        prev = null;
        if (WORD.test(ch)) word += ch;
        else if (word) { out.push(word); word = ""; }
      }
    }
    if (word) out.push(word);
    return out;
  }

  /* The words of a query: split at white space, "quoted text" kept as one word. */
  function queryWords(query) {
    var words = [];
    normalize(query).split('"').forEach(function (part, i) {
      var ws = part.split(SPACE).filter(function (w) { return w !== ""; });
      if (i % 2 === 1) {
        if (ws.length) words.push(ws.join(" "));
      } else {
        words.push.apply(words, ws);
      }
    });
    return words;
  }

  /* ───── indexes ───── */

  var indexes = {};   // lang -> prepared index
  var failed = {};    // lang -> true when its script could not load

  function decodeList(s) {
    var out = [];
    if (!s) return out;
    var n = 0;
    var parts = s.split(",");
    for (var i = 0; i < parts.length; i++) {
      n += parseInt(parts[i], 36);
      out.push(n);
    }
    return out;
  }

  function prepare(data) {
    var units = data.units.map(prepareUnit);
    var total = 0;
    units.forEach(function (u) { total += u.norm.length; });
    var toks = data.tokens ? data.tokens.split(" ") : [];
    var lists = data.postings ? data.postings.split(" ") : [];
    var pos = new Map();
    var words = [];
    toks.forEach(function (t, i) {
      pos.set(t, i);
      if (!HAN.test(t)) words.push(t);
    });
    return {
      lang: data.lang, langs: data.langs, bigrams: !!data.bigrams,
      docs: data.docs.map(function (d) { return { slug: d[0], title: d[1], page: d[2] }; }),
      units: units, avgLen: units.length ? total / units.length : 1,
      pos: pos, lists: lists, decoded: new Map(), words: words,
    };
  }

  function postings(ix, token) {
    var i = ix.pos.get(token);
    if (i === undefined) return [];
    var list = ix.decoded.get(i);
    if (!list) { list = decodeList(ix.lists[i]); ix.decoded.set(i, list); }
    return list;
  }

  /* Prepares the directory of a sharded index: its pieces load as queries need them. */
  function prepareSharded(data) {
    return {
      lang: data.lang, langs: data.langs, bigrams: !!data.bigrams, sharded: true,
      count: data.count, avgLen: data.avgLen || 1,
      docStarts: decodeList(data.docStarts), chunkStarts: decodeList(data.chunkStarts),
      shardFirst: data.shardFirst ? data.shardFirst.split(" ") : [],
      words: data.words ? data.words.split(" ") : [],
      marks: data.marks || "",
      docs: [], units: new Array(data.count).fill(null), docList: null, // dense: fast lookups
      pos: new Map(), lists: [], decoded: new Map(),
    };
  }

  function prepareUnit(u, i) {
    var alias = u[5];
    var text = u[6];
    var norm = normalize(alias ? alias + "\n" + text : text);
    var start = alias ? normalize(alias + "\n").length : 0;
    return {
      i: i, doc: u[0], anchor: u[1], kind: u[2], label: u[3],
      text: text, norm: norm, textStart: start,
      headEnd: start + normalize(text.slice(0, u[4])).length,
    };
  }

  var loaded = {};    // script path -> true once it registered (or failed)
  var pending = {};   // script path -> callbacks waiting for it

  function register(data) {
    indexes[data.lang] = data.sharded ? prepareSharded(data) : prepare(data);
    settle("search/index-" + data.lang + ".js");
  }

  /* A piece of a sharded index: a term shard, a unit chunk or the document list. */
  function registerPart(data) {
    var ix = indexes[data.lang];
    if (!ix) return;
    var path;
    if (data.shard !== undefined) {
      var toks = data.tokens ? data.tokens.split(" ") : [];
      var lists = data.postings ? data.postings.split(" ") : [];
      toks.forEach(function (t, k) { ix.pos.set(t, ix.lists.length); ix.lists.push(lists[k]); });
      path = "search/" + data.lang + "/t" + data.shard + ".js";
    } else if (data.chunk !== undefined) {
      data.docs.forEach(function (d) { ix.docs[d[0]] = { slug: d[1], title: d[2], page: d[3] }; });
      data.units.forEach(function (u, k) { ix.units[data.first + k] = prepareUnit(u, data.first + k); });
      path = "search/" + data.lang + "/u" + data.chunk + ".js";
    } else {
      ix.docList = data.docList.map(function (d) { return { slug: d[0], title: d[1], page: d[2] }; });
      path = "search/" + data.lang + "/docs.js";
    }
    settle(path);
  }

  function settle(path) {
    loaded[path] = true;
    var cbs = pending[path] || [];
    delete pending[path];
    cbs.forEach(function (cb) { cb(); });
  }

  /* Loads the script at `path` (from the site root `root`) once, then calls done(). */
  function loadScript(root, path, done) {
    if (loaded[path]) { done(); return; }
    if (pending[path]) { pending[path].push(done); return; }
    pending[path] = [done];
    var s = document.createElement("script");
    s.src = root + path;
    s.charset = "utf-8";
    s.onerror = function () { failedPaths[path] = true; failedAny = true; settle(path); };
    document.head.appendChild(s);
  }

  var failedPaths = {};
  var failedAny = false; // whether any piece failed to load

  /* Loads every script of `paths`, then calls done(); each(), if given, after each of
     them but the last. */
  function loadAll(root, paths, done, each) {
    var left = paths.length;
    if (!left) { done(); return; }
    paths.forEach(function (p) {
      loadScript(root, p, function () {
        if (--left === 0) done();
        else if (each) each();
      });
    });
  }

  /* Loads the index (or the directory of the sharded index) of `lang`, then calls done(). */
  function load(root, lang, done) {
    var path = "search/index-" + lang + ".js";
    loadScript(root, path, function () {
      if (!indexes[lang]) failed[lang] = true;
      done();
    });
  }

  /* ───── querying ───── */

  function intersect(a, b) {
    if (a === null) return b;
    if (b === null) return a;
    var out = [];
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; }
      else if (a[i] < b[j]) i++;
      else j++;
    }
    return out;
  }

  /* The index tokens whose postings narrow the units that may hold `word`, and whether
     those postings alone decide it (every unit they give holds the word, no text check
     needed); `tokens` null when nothing narrows it. */
  function plan(ix, word) {
    var all = tokens(word);
    var toks = Array.from(new Set(all));
    var use = [];
    var latin = null;
    var exact = toks.length === 1 && toks[0] === word;
    // A sharded index looks up every other bigram of a Han word of more than four
    // characters (and the last): they narrow nearly as well and load half the shards; the
    // text check does the rest.
    var skip = new Set();
    if (ix.sharded) {
      var bis = all.filter(function (t) { return HAN.test(t) && Array.from(t).length === 2; });
      if (bis.length > 3) bis.forEach(function (t, k) { if (k % 2 === 1 && k !== bis.length - 1) skip.add(t); });
      bis.forEach(function (t, k) { if (k % 2 === 0 || k === bis.length - 1) skip.delete(t); });
    }
    for (var k = 0; k < toks.length; k++) {
      var t = toks[k];
      if (HAN.test(t)) {
        var bigram = Array.from(t).length === 2;
        if (bigram && !ix.bigrams) { exact = false; continue; } // the single characters narrow instead
        if (skip.has(t)) continue;
        if (!bigram && ix.bigrams && toks.some(function (b) { return b.length > t.length && b.indexOf(t) >= 0; })) {
          continue; // a bigram of the word covers this character
        }
        use.push([t]);
      } else {
        // A word of the query may stand anywhere inside a word of the text.
        latin = [];
        for (var w = 0; w < ix.words.length; w++) {
          if (ix.words[w].indexOf(t) < 0) continue;
          if (latin.length >= 300) { latin = null; break; }
          latin.push(ix.words[w]);
        }
        if (latin === null) { exact = false; continue; } // too common to narrow anything
        use.push(latin);
      }
    }
    if (ix.marks) {
      // Pairs around label marks, `(八` and `八)`: listed by a sharded index. They narrow
      // better than the words inside them (`8` is inside a great many words).
      var cps = Array.from(word);
      var pairs = [];
      for (var m = 0; m + 1 < cps.length; m++) {
        if ((ix.marks.indexOf(cps[m]) >= 0 || ix.marks.indexOf(cps[m + 1]) >= 0) &&
            !SPACE.test(cps[m]) && !SPACE.test(cps[m + 1])) {
          pairs.push([cps[m] + cps[m + 1]]);
        }
      }
      if (pairs.length) {
        // A word that no word of the index contains still decides: no unit holds it.
        use = use.filter(function (g) { return g.length === 0 || (g.length === 1 && HAN.test(g[0])); }).concat(pairs);
      }
    }
    // A group that holds no token means no unit holds the word: nothing else to look up.
    if (use.some(function (g) { return g.length === 0; })) use = [[]];
    var chars = Array.from(word);
    if (chars.length === 2 && ix.bigrams && chars.every(function (c) { return HAN.test(c); })) exact = true;
    return { groups: use, exact: exact && use.length > 0 };
  }

  /* Units that may hold `word` (a superset of those that do), ascending; null for
     "any unit". */
  function candidates(ix, word) {
    var groups = plan(ix, word).groups;
    var set = null;
    for (var k = 0; k < groups.length; k++) {
      var list;
      if (groups[k].length === 1 && HAN.test(groups[k][0])) {
        list = postings(ix, groups[k][0]);
      } else {
        var seen = new Set();
        groups[k].forEach(function (w) { postings(ix, w).forEach(function (u) { seen.add(u); }); });
        list = Array.from(seen).sort(function (a, b) { return a - b; });
      }
      set = intersect(set, list);
      if (set.length === 0) return set;
    }
    return set;
  }

  function count(hay, needle) {
    var n = 0;
    var i = hay.indexOf(needle);
    while (i >= 0 && n < 20) { n++; i = hay.indexOf(needle, i + needle.length); }
    return n;
  }

  /* The score of unit `u` for the query, or -1 if it lacks a word. */
  function score(ix, u, words, phrase, df, N) {
    var sc = 0;
    for (var j = 0; j < words.length; j++) {
      var first = u.norm.indexOf(words[j]);
      if (first < 0) return -1;
      var tf = count(u.norm, words[j]);
      var idf = Math.log(1 + (N - df[j] + 0.5) / (df[j] + 0.5));
      var s = idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * u.norm.length / ix.avgLen));
      if (first < u.headEnd) s *= 2; // in the heading
      if (first === 0 || !WORD.test(u.norm.charAt(first - 1))) s *= 1.2; // starts a word
      sc += s;
    }
    if (phrase && u.norm.indexOf(phrase) >= 0) sc *= 1.5;
    if (u.kind === "title") sc *= 1.5;
    return sc;
  }

  /* The candidate units of `ix` for the words (ascending ids, all units if nothing
     narrows) and each word's candidate count. */
  function narrow(ix, words, N) {
    var cands = null;
    var df = [];
    for (var w = 0; w < words.length; w++) {
      var c = candidates(ix, words[w]);
      df.push(c === null ? N : c.length);
      cands = intersect(cands, c);
      if (cands !== null && cands.length === 0) break;
    }
    if (cands === null) {
      cands = [];
      for (var i = 0; i < N; i++) cands.push(i);
    }
    return { ids: cands, df: df };
  }

  /* Every unit of `ix` holding every word, best first: [{ix, unit, score}]. */
  function searchIndex(ix, words, phrase, doc) {
    var N = ix.units.length;
    var nr = narrow(ix, words, N);
    var hits = [];
    for (var k = 0; k < nr.ids.length; k++) {
      var u = ix.units[nr.ids[k]];
      if (doc && ix.docs[u.doc].slug !== doc) continue;
      var sc = score(ix, u, words, phrase, nr.df, N);
      if (sc >= 0) hits.push({ ix: ix, unit: u, score: sc });
    }
    return hits;
  }

  function byScore(a, b) {
    return b.score - a.score || (a.ix.lang < b.ix.lang ? -1 : a.ix.lang > b.ix.lang ? 1 : 0) || a.unit.i - b.unit.i;
  }

  /* Searches the loaded single-file indexes of `langs` (all loaded ones if null),
     optionally only document `doc`; returns every hit, best first. */
  function query(q, langs, doc) {
    var words = queryWords(q);
    if (!words.length) return [];
    var phrase = words.length > 1 ? words.join(" ") : "";
    var hits = [];
    Object.keys(indexes).sort().forEach(function (lang) {
      if (langs && langs.indexOf(lang) < 0) return;
      if (indexes[lang].sharded) return;
      hits = hits.concat(searchIndex(indexes[lang], words, phrase, doc));
    });
    hits.sort(byScore);
    return hits;
  }

  /* ───── sharded indexes ───── */

  /* Code point order, as the build sorts tokens. */
  function cmp(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xFFFF ? 2 : 1;
      j += y > 0xFFFF ? 2 : 1;
    }
    return (a.length - i) - (b.length - j);
  }

  /* The last k with first[k] <= key (0 if none). */
  function lastAtMost(first, key, order) {
    var lo = 0, hi = first.length - 1, at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (order(first[mid], key) <= 0) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at;
  }

  function numOrder(a, b) { return a - b; }

  /* The term shards (paths) that the words' tokens are in. */
  function shardPaths(ix, words) {
    var shards = {};
    words.forEach(function (w) {
      plan(ix, w).groups.forEach(function (g) {
        g.forEach(function (t) { shards[lastAtMost(ix.shardFirst, t, cmp)] = true; });
      });
    });
    return Object.keys(shards).map(function (k) { return "search/" + ix.lang + "/t" + k + ".js"; });
  }

  /* Whether every unit holding all of `now` holds all of `before`: each earlier word is
     inside a word of the query now (as when typing on). */
  function narrows(before, now) {
    return before.every(function (b) { return now.some(function (w) { return w.indexOf(b) >= 0; }); });
  }

  function holds(u, words) {
    for (var j = 0; j < words.length; j++) if (u.norm.indexOf(words[j]) < 0) return false;
    return true;
  }

  function chunkOf(ix, i) {
    return lastAtMost(ix.chunkStarts, i, numOrder);
  }

  function chunkPath(ix, c) {
    return "search/" + ix.lang + "/u" + c + ".js";
  }

  /* At most this many unit chunks are loaded to check the candidates of a query whose
     count the postings do not decide: a query that the index narrows badly must not load
     the whole library. */
  var CHUNK_BUDGET = 20;

  /* When the candidates left unchecked by the last query lie in at most this many chunks
     not loaded, a query typed on from it checks them by text instead of loading the term
     shards of its new tokens. */
  var FEW_CHUNKS = 3;

  /* Candidates of `ix` for the words from its loaded term shards, ascending, within
     document `doc`; with each word's candidate count. */
  function shardedCandidates(ix, words, doc) {
    var N = ix.count;
    var nr = narrow(ix, words, N);
    if (doc) {
      var d = ix.docList ? ix.docList.findIndex(function (x) { return x.slug === doc; }) : -1;
      var lo = d >= 0 ? ix.docStarts[d] : 0;
      var hi = d >= 0 ? (d + 1 < ix.docStarts.length ? ix.docStarts[d + 1] : N) : 0;
      nr.ids = nr.ids.filter(function (i) { return i >= lo && i < hi; });
    }
    return nr;
  }

  /* Every unit of `ix` (of document `doc` if given), ascending. */
  function allIds(ix, doc) {
    var key = doc || "";
    if (ix.all && ix.all.key === key) return ix.all.ids;
    var lo = 0, hi = ix.count;
    if (doc) {
      var d = ix.docList ? ix.docList.findIndex(function (x) { return x.slug === doc; }) : -1;
      lo = d >= 0 ? ix.docStarts[d] : 0;
      hi = d >= 0 ? (d + 1 < ix.docStarts.length ? ix.docStarts[d + 1] : ix.count) : 0;
    }
    var ids = [];
    for (var i = lo; i < hi; i++) ids.push(i);
    ix.all = { key: key, ids: ids };
    return ids;
  }

  /* Searches sharded index `ix`.

     A candidate is checked against its text as soon as its unit chunk is loaded. The hits
     listed are the first `limit` hits in library order among the candidates whose chunks
     are loaded; while there are fewer, the search loads chunks, those holding the most
     unchecked candidates first (so the hits of a word frequent in a few documents come in
     few pieces), as many as make up the hits still wanted, then checks again.

     The candidates start as those of the last query when this one types on from it (each
     word of the last query is inside a word of this one, so every hit of this one was a
     candidate of the last), else as every unit. If the term shards of the words are
     loaded, they narrow the candidates at once. If not, the query loads them only when the
     loaded chunks hold fewer than `limit` hits and the unchecked candidates lie in more
     than FEW_CHUNKS chunks not loaded: a query that extends the last, or a frequent word
     whose hits the loaded chunks already show, loads nothing.

     Calls done(hits, total, exact): `total` is the number of hits, exact unless `exact` is
     false (then at least that many): exact when every candidate is checked, or when the
     postings decide every word and narrowed the candidates. While chunks load, calls
     early(hits) once, if given, as soon as the chunks loaded hold a hit: the reader sees
     the first results while the rest of the pieces arrive. */
  function searchSharded(root, ix, words, phrase, doc, limit, done, early) {
    if (doc && !ix.docList) {
      // The document's units are found from the document list.
      loadScript(root, "search/" + ix.lang + "/docs.js", function () {
        if (ix.docList) searchSharded(root, ix, words, phrase, doc, limit, done, early);
        else done([], 0, true);
      });
      return;
    }
    var paths = shardPaths(ix, words);
    var decided = words.every(function (w) { return plan(ix, w).exact; });
    var shardsIn = paths.every(function (p) { return loaded[p]; });
    // The last query's candidates if this one types on from it, else every unit.
    var m = ix.memo && ix.memo.doc === doc && narrows(ix.memo.words, words) ? ix.memo : null;
    if (!m) m = { words: [], ids: allIds(ix, doc), df: null };
    // {ids: candidates ascending, df, narrowed: ids are those the index gives the words}
    var st = { ids: m.ids, df: m.df, narrowed: false };
    if (shardsIn) { narrowBy(st); go(); return; }
    var left = unloadedChunks(st.ids, FEW_CHUNKS);
    var known = 0;
    if (left.length) {
      for (var k = 0; k < st.ids.length && known < limit; k++) {
        var u = ix.units[st.ids[k]];
        if (u && holds(u, words)) known++;
      }
    }
    if (left.length <= FEW_CHUNKS || known >= limit) { go(); return; }
    loadAll(root, paths, function () { narrowBy(st); go(); });

    /* Narrows the candidates by the (loaded) term shards of the words. */
    function narrowBy(s) {
      var nr = shardedCandidates(ix, words, doc);
      s.ids = intersect(s.ids, nr.ids);
      s.df = nr.df;
      s.narrowed = true;
    }

    /* The chunks not loaded that hold candidates of `ids`, by the number they hold
       (most first), at most `max` of them when max is finite: [[chunk, count]]. */
    function unloadedChunks(ids, max) {
      var counts = new Map();
      var starts = ix.chunkStarts;
      var c = 0;
      for (var k = 0; k < ids.length; k++) {
        if (ix.units[ids[k]]) continue;
        while (c + 1 < starts.length && starts[c + 1] <= ids[k]) c++; // ids ascend
        if (loaded[chunkPath(ix, c)]) continue; // it failed to load
        counts.set(c, (counts.get(c) || 0) + 1);
        if (counts.size > max) break;
      }
      return Array.from(counts).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    }

    /* The hits among the loaded candidates, the first `limit` in library order, and
       how many candidates are not checked yet. */
    function loadedHits() {
      var hits = [];
      var unchecked = 0;
      for (var k = 0; k < st.ids.length; k++) {
        var u = ix.units[st.ids[k]];
        if (!u) { if (!failedAny || !loaded[chunkPath(ix, chunkOf(ix, st.ids[k]))]) unchecked++; continue; }
        if (hits.length < limit && holds(u, words)) hits.push(u);
      }
      return { hits: hits, unchecked: unchecked };
    }

    /* Scored hits for the list. */
    function scored(hits) {
      var df = st.narrowed ? st.df : words.map(function () { return st.ids.length; });
      return hits.map(function (u) {
        return { ix: ix, unit: u, score: score(ix, u, words, phrase, df, ix.count) };
      });
    }

    /* Shows the first hits early, once, when a chunk brings some: `hits` if given, else
       the hits of the chunks loaded now. */
    function showEarly(hits) {
      if (!early) return;
      var h = hits || loadedHits().hits;
      if (!h.length) return;
      var f = early;
      early = null;
      f(scored(h));
    }

    function go() {
      var budget = decided || limit === Infinity ? Infinity : CHUNK_BUDGET;
      var used = 0;
      (function more() {
        var lh = loadedHits();
        var hits = lh.hits;
        var complete = lh.unchecked === 0;
        if (hits.length < limit && !complete && used < budget) {
          var want = limit - hits.length;
          var next = [];
          unloadedChunks(st.ids, Infinity).some(function (cc) {
            if (used >= budget) return true;
            next.push(chunkPath(ix, cc[0]));
            used++;
            want -= cc[1];
            return want <= 0;
          });
          if (next.length) {
            showEarly(hits);
            loadAll(root, next, more, showEarly);
            return;
          }
        }
        var total = hits.length;
        if (complete && hits.length >= limit) {
          // Every candidate is checked: the candidates kept are the hits (and the units of
          // chunks that failed to load).
          st.ids = st.ids.filter(function (i) { return !ix.units[i] || holds(ix.units[i], words); });
          total = 0;
          st.ids.forEach(function (i) { if (ix.units[i]) total++; });
        } else if (complete) {
          st.ids = hits.map(function (u) { return u.i; }).concat(
            st.ids.filter(function (i) { return !ix.units[i]; })).sort(numOrder);
        }
        ix.memo = { words: words, doc: doc, ids: st.ids, df: st.df };
        var shown = scored(hits);
        if (complete) done(shown, total, true);
        else if (decided && st.narrowed) done(shown, st.ids.length, true);
        else done(shown, total, false);
      })();
    }
  }

  /* Searches the indexes of `langs` (loading what they need from the site root `root`),
     optionally only document `doc`. Calls done(hits, total, exact, unavailable) with the
     hits best first: every hit of a single-file index; of a sharded index, those among
     its first `limit` hits in library order. Searching one sharded index, calls
     early(hits), if given, with the first hits found while pieces still load. */
  function search(root, q, langs, doc, limit, done, early) {
    var words = queryWords(q);
    var phrase = words.length > 1 ? words.join(" ") : "";
    var left = langs.length;
    var hits = [];
    var total = 0;
    var exact = true;
    var unavailable = true;
    function finish() {
      if (--left > 0) return;
      hits.sort(byScore);
      done(hits, total, exact, unavailable);
    }
    if (!left) { done([], 0, true, false); return; }
    langs.forEach(function (l) {
      load(root, l, function () {
        var ix = indexes[l];
        if (!ix) { finish(); return; }
        unavailable = false;
        if (!words.length) { finish(); return; }
        if (!ix.sharded) {
          var h = searchIndex(ix, words, phrase, doc);
          hits = hits.concat(h);
          total += h.length;
          finish();
          return;
        }
        var first = early && langs.length === 1 ? function (h) { h.sort(byScore); early(h); } : null;
        searchSharded(root, ix, words, phrase, doc, limit, function (h, t, ex) {
          hits = hits.concat(h);
          total += t;
          if (!ex) exact = false;
          finish();
        }, first);
      });
    });
  }

  /* ───── snippets ───── */

  /* text[lo, hi) normalized character by character, with the offset in `text` each
     normalized code unit came from. */
  function mapped(text, lo, hi) {
    var norm = "";
    var from = [];
    for (var i = lo; i < hi;) {
      var c = text.charCodeAt(i);
      if (c < 0x80 || (c >= 0x4E00 && c <= 0x9FFF)) {
        // ASCII and common Han: NFKC leaves them alone, lowercase is one for one.
        norm += c < 0x80 ? text.charAt(i).toLowerCase() : text.charAt(i);
        from.push(i);
        i++;
        continue;
      }
      var ch = String.fromCodePoint(text.codePointAt(i));
      var n = normalize(ch);
      for (var k = 0; k < n.length; k++) from.push(i);
      norm += n;
      i += ch.length;
    }
    from.push(hi);
    return { norm: norm, from: from };
  }

  /* Every occurrence of every word in a mapped stretch, as [start, end) in the text. */
  function occurrences(m, words) {
    var marks = [];
    words.forEach(function (w) {
      var at = w.length ? m.norm.indexOf(w) : -1;
      while (at >= 0) {
        var s = m.from[at];
        var e = m.from[at + w.length];
        marks.push([s, e > s ? e : s + 1]);
        at = m.norm.indexOf(w, at + w.length);
      }
    });
    return marks.sort(function (a, b) { return a[0] - b[0]; });
  }

  /* The unit's text around the first occurrence of a word, with every occurrence of
     every word in it marked: [[text, marked], …]. Only a stretch around the match is
     normalized character by character, so long units cost no more than short ones. */
  function snippet(u, words, width) {
    var text = u.text;
    var guess = -1; // where the first match is in the normalized text: about the same place
    words.forEach(function (w) {
      var at = u.norm.indexOf(w, u.textStart);
      if (at >= 0 && (guess < 0 || at - u.textStart < guess)) guess = at - u.textStart;
    });
    var lo = 0;
    var hi = text.length;
    if (hi > 3 * width) {
      lo = Math.max(0, Math.max(guess, 0) - width);
      hi = Math.min(text.length, Math.max(guess, 0) + 2 * width);
      if (lo > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(lo))) lo--;
      if (hi < text.length && /[\uDC00-\uDFFF]/.test(text.charAt(hi))) hi++;
    }
    var marks = occurrences(mapped(text, lo, hi), words);
    if (!marks.length && guess >= 0 && (lo > 0 || hi < text.length)) {
      marks = occurrences(mapped(text, 0, text.length), words); // the guess was far off
    }
    var firstAt = marks.length ? marks[0][0] : -1;
    var start = firstAt < 0 ? 0 : Math.max(0, firstAt - Math.floor(width / 3));
    var end = Math.min(text.length, start + width);
    // Don't cut a surrogate pair.
    if (start > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(start))) start--;
    if (end < text.length && /[\uDC00-\uDFFF]/.test(text.charAt(end))) end++;
    var parts = [];
    if (start > 0) parts.push(["…", false]);
    var at = start;
    marks.forEach(function (m) {
      var s = Math.max(m[0], at);
      var e = Math.min(m[1], end);
      if (e <= s) return;
      if (s > at) parts.push([text.slice(at, s), false]);
      parts.push([text.slice(s, e), true]);
      at = e;
    });
    if (at < end) parts.push([text.slice(at, end), false]);
    if (end < text.length) parts.push(["…", false]);
    return parts.map(function (p) { return [p[0].replace(/\n/g, " · "), p[1]]; });
  }

  /* ───── the page ───── */

  var ZH = {
    placeholder: "搜索", results: "条结果", none: "没有找到", tryOther: "在其他语言中搜索：",
    loading: "正在加载索引…", loadingMore: "正在加载更多结果…", unavailable: "搜索索引无法加载。", thisLang: "本语言",
    allLangs: "所有语言", allDocs: "所有文献", more: "查看全部结果", lang: "语言", doc: "文献",
    names: { "zh-Hans": "中文", "zh": "中文", "en": "English" },
  };
  var EN = {
    placeholder: "Search", results: "results", none: "Nothing found for", tryOther: "Search in another language:",
    loading: "Loading the index…", loadingMore: "Loading more results…", unavailable: "The search index could not be loaded.", thisLang: "This language",
    allLangs: "All languages", allDocs: "All documents", more: "See all results", lang: "Language", doc: "Document",
    names: { "zh-Hans": "中文", "zh": "中文", "en": "English" },
  };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function setup(form) {
    var input = form.querySelector("#search-input");
    var list = form.querySelector("#search-results");
    if (!input || !list) return;
    var root = form.getAttribute("data-root") || "";
    var pageLang = form.getAttribute("data-lang") || document.documentElement.lang || "en";
    var langs = (form.getAttribute("data-langs") || "").split(" ").filter(Boolean);
    var pageMode = form.getAttribute("data-mode") === "page";
    var ui = /^zh\b/.test(pageLang) ? ZH : EN;
    var limit = pageMode ? 200 : 20;
    var home = langs.indexOf(pageLang) >= 0 ? pageLang : (langs[0] || pageLang);
    var state = { lang: home, doc: "", active: -1, started: false };

    var panel = form.querySelector(".search-panel");
    var status = form.querySelector(".search-status");
    var langSel = form.querySelector("select.search-lang");
    var docSel = form.querySelector("select.search-doc");
    var links = [];

    function wanted() {
      return state.lang === "*" ? langs.slice() : [state.lang];
    }

    function open(show) {
      if (pageMode) { panel.hidden = false; return; }
      panel.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
    }

    function fillFilters() {
      if (!langSel || langSel.options.length) return;
      var opts = [[home, ui.thisLang + " · " + (ui.names[home] || home)]];
      langs.forEach(function (l) { if (l !== home) opts.push([l, ui.names[l] || l]); });
      if (langs.length > 1) opts.push(["*", ui.allLangs]);
      opts.forEach(function (o) {
        var op = el("option", "", o[1]);
        op.value = o[0];
        langSel.appendChild(op);
      });
      langSel.value = state.lang;
    }

    function fillDocs() {
      if (!docSel) return;
      var have = {};
      Array.prototype.forEach.call(docSel.options, function (o) { have[o.value] = true; });
      if (!docSel.options.length) {
        var all = el("option", "", ui.allDocs);
        all.value = "";
        docSel.appendChild(all);
      }
      wanted().concat(langs).forEach(function (l) {
        var ix = indexes[l];
        if (!ix) return;
        var list = ix.sharded ? ix.docList : ix.docs;
        if (!list) return;
        list.forEach(function (d) {
          if (have[d.slug]) return;
          have[d.slug] = true;
          var op = el("option", "", d.title);
          op.value = d.slug;
          docSel.appendChild(op);
        });
      });
      docSel.value = state.doc;
    }

    function setActive(k, scroll) {
      if (state.active >= 0 && links[state.active]) {
        links[state.active].setAttribute("aria-selected", "false");
        links[state.active].classList.remove("active");
      }
      state.active = k;
      if (k >= 0 && links[k]) {
        links[k].setAttribute("aria-selected", "true");
        links[k].classList.add("active");
        input.setAttribute("aria-activedescendant", links[k].id);
        if (scroll && links[k].scrollIntoView) links[k].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    /* Lists the hits of query `q`. `early`: the first hits while the search still loads
       pieces; the status says it is loading, and the field fires `clausebook:early`
       rather than `clausebook:results`. */
    function render(q, hits, total, exact, early) {
      if (total === undefined) total = hits.length;
      var counted = total + (exact === false ? "+" : "");
      list.textContent = "";
      links = [];
      state.active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = "";
      if (!q.trim()) { open(pageMode); return; }
      var shown = hits.slice(0, limit);
      var multi = state.lang === "*";
      var frag = document.createDocumentFragment();
      var words = queryWords(q);
      shown.forEach(function (h, k) {
        var u = h.unit;
        var d = h.ix.docs[u.doc];
        var a = el("a", "search-result");
        a.id = "search-opt-" + k;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.href = root + d.page + (u.anchor ? "#" + u.anchor : "");
        a.lang = h.ix.lang;
        var head = el("span", "search-result-head");
        head.appendChild(el("span", "search-result-doc", d.title));
        if (u.label) head.appendChild(el("span", "search-result-label", u.label));
        if (multi) head.appendChild(el("span", "search-result-lang", ui.names[h.ix.lang] || h.ix.lang));
        a.appendChild(head);
        var snip = el("span", "search-result-snippet");
        snippet(u, words, /^zh\b/.test(h.ix.lang) ? 60 : 120).forEach(function (p) {
          if (p[1]) snip.appendChild(el("mark", "", p[0]));
          else snip.appendChild(document.createTextNode(p[0]));
        });
        a.appendChild(snip);
        frag.appendChild(a);
        links.push(a);
      });
      list.appendChild(frag);
      if (early) {
        status.textContent = ui.loadingMore;
        if (!pageMode) setActive(0);
        open(true);
        input.dispatchEvent(new CustomEvent("clausebook:early", { detail: { count: shown.length } }));
        return;
      }
      if (hits.length) {
        status.textContent = counted + " " + ui.results;
        if (!pageMode && (total > limit || exact === false)) {
          var more = el("a", "search-more", ui.more + " (" + counted + ")");
          more.href = root + "search.html?q=" + encodeURIComponent(q);
          status.appendChild(document.createTextNode(" · "));
          status.appendChild(more);
        }
        if (!pageMode) setActive(0);
      } else {
        status.appendChild(document.createTextNode(ui.none + " “" + q.trim() + "”. "));
        var others = langs.filter(function (l) { return state.lang === "*" ? false : l !== state.lang; });
        if (others.length) {
          status.appendChild(document.createTextNode(ui.tryOther + " "));
          others.forEach(function (l) {
            var b = el("button", "search-other-lang", ui.names[l] || l);
            b.type = "button";
            b.addEventListener("click", function () {
              state.lang = l;
              if (langSel) langSel.value = l;
              run();
              input.focus();
            });
            status.appendChild(b);
          });
        }
        if (state.doc) {
          var all = el("button", "search-other-lang", ui.allDocs);
          all.type = "button";
          all.addEventListener("click", function () {
            state.doc = "";
            if (docSel) docSel.value = "";
            run();
            input.focus();
          });
          status.appendChild(all);
        }
      }
      open(true);
      input.dispatchEvent(new CustomEvent("clausebook:results", { detail: { count: total, exact: exact !== false } }));
    }

    /* Runs the query in the field, loading what it needs first. */
    var runs = 0;
    function run() {
      var q = input.value;
      var mine = ++runs;
      var settled = false;
      search(root, q, wanted(), state.doc, limit, function (hits, total, exact, unavailable) {
        settled = true;
        if (mine !== runs) return; // a newer query runs
        if (unavailable) {
          status.textContent = ui.unavailable;
          open(true);
          return;
        }
        fillDocs();
        render(q, hits, total, exact);
        if (pageMode) {
          try {
            history.replaceState(null, "", "?q=" + encodeURIComponent(q) + location.hash);
          } catch (e) { /* file:// may refuse; the page still works */ }
        }
      }, function (hits) {
        if (mine === runs && !settled) render(q, hits, hits.length, false, true);
      });
      if (!settled) {
        status.textContent = ui.loading;
        open(!!q.trim());
      }
    }

    /* The document list of a sharded index loads when the filter is first used. */
    function loadDocLists() {
      wanted().concat(langs).forEach(function (l) {
        var ix = indexes[l];
        if (ix && ix.sharded && !ix.docList) loadScript(root, "search/" + l + "/docs.js", fillDocs);
      });
    }

    function start() {
      if (state.started) return;
      state.started = true;
      fillFilters();
      fillDocs();
      if (docSel) {
        docSel.addEventListener("focus", loadDocLists);
        docSel.addEventListener("pointerdown", loadDocLists);
      }
      if (pageMode) search(root, "", wanted(), "", limit, loadDocLists);
    }

    input.placeholder = input.placeholder || ui.placeholder;
    input.addEventListener("focus", function () {
      start();
      run();
    });
    input.addEventListener("input", function () {
      start();
      run();
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!links.length) return;
        e.preventDefault();
        var k = state.active + (e.key === "ArrowDown" ? 1 : -1);
        setActive(Math.max(0, Math.min(links.length - 1, k)), true);
      } else if (e.key === "Enter") {
        var a = links[state.active >= 0 ? state.active : 0];
        if (a) {
          e.preventDefault();
          a.click();
        }
      } else if (e.key === "Escape") {
        if (!pageMode && !panel.hidden) {
          e.preventDefault();
          open(false);
        } else if (input.value) {
          input.value = "";
          run();
        }
      }
    });
    if (langSel) langSel.addEventListener("change", function () {
      state.lang = langSel.value;
      run();
    });
    if (docSel) docSel.addEventListener("change", function () {
      state.doc = docSel.value;
      run();
    });
    list.addEventListener("click", function () {
      if (!pageMode) open(false);
    });
    document.addEventListener("click", function (e) {
      if (!pageMode && !form.contains(e.target)) open(false);
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
    });
    if (pageMode) {
      var m = /[?&]q=([^&#]*)/.exec(location.search);
      if (m) {
        try { input.value = decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (err) { input.value = ""; }
      }
      start();
      run();
    }
  }

  /* "/" focuses the field, from anywhere but another text field. */
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    var input = document.getElementById("search-input");
    if (input) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });

  window.clausebookSearch = {
    register: register,
    registerPart: registerPart,
    search: search,
    normalize: normalize,
    tokens: tokens,
    queryWords: queryWords,
    query: query,
    load: load,
    indexes: indexes,
  };

  Array.prototype.forEach.call(document.querySelectorAll("form.site-search"), setup);
})();
