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

