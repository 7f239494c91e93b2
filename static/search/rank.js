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

