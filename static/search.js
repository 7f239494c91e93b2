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
  var waiting = {};   // lang -> callbacks waiting for its index
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
    var units = data.units.map(function (u, i) {
      var alias = u[5];
      var text = u[6];
      var norm = normalize(alias ? alias + "\n" + text : text);
      var start = alias ? normalize(alias + "\n").length : 0;
      return {
        i: i, doc: u[0], anchor: u[1], kind: u[2], label: u[3],
        text: text, norm: norm, textStart: start,
        headEnd: start + normalize(text.slice(0, u[4])).length,
      };
    });
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

  function register(data) {
    indexes[data.lang] = prepare(data);
    var cbs = waiting[data.lang] || [];
    delete waiting[data.lang];
    cbs.forEach(function (cb) { cb(); });
  }

  /* Loads the index of `lang` from the site root `root`, then calls done(). */
  function load(root, lang, done) {
    if (indexes[lang] || failed[lang]) { done(); return; }
    if (waiting[lang]) { waiting[lang].push(done); return; }
    waiting[lang] = [done];
    var s = document.createElement("script");
    s.src = root + "search/index-" + lang + ".js";
    s.charset = "utf-8";
    s.onerror = function () {
      failed[lang] = true;
      var cbs = waiting[lang] || [];
      delete waiting[lang];
      cbs.forEach(function (cb) { cb(); });
    };
    document.head.appendChild(s);
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

  /* Units that may hold `word` (a superset of those that do), ascending; null for
     "any unit". */
  function candidates(ix, word) {
    var toks = Array.from(new Set(tokens(word)));
    var set = null;
    for (var k = 0; k < toks.length; k++) {
      var t = toks[k];
      var list;
      if (HAN.test(t)) {
        var bigram = Array.from(t).length === 2;
        if (bigram && !ix.bigrams) continue; // the single characters narrow instead
        if (!bigram && ix.bigrams && toks.some(function (b) { return b.length > t.length && b.indexOf(t) >= 0; })) {
          continue; // a bigram of the word covers this character
        }
        list = postings(ix, t);
      } else {
        // A word of the query may stand anywhere inside a word of the text.
        var seen = new Set();
        var many = 0;
        for (var w = 0; w < ix.words.length; w++) {
          if (ix.words[w].indexOf(t) < 0) continue;
          if (++many > 300) { seen = null; break; }
          postings(ix, ix.words[w]).forEach(function (u) { seen.add(u); });
        }
        if (seen === null) continue; // too common to narrow anything
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

  /* Every unit of `ix` holding every word, best first: [{ix, unit, score}]. */
  function searchIndex(ix, words, phrase, doc) {
    var N = ix.units.length;
    var cands = null;
    var df = [];
    for (var w = 0; w < words.length; w++) {
      var c = candidates(ix, words[w]);
      df.push(c === null ? N : c.length);
      cands = intersect(cands, c);
      if (cands !== null && cands.length === 0) return [];
    }
    var ids = cands === null ? ix.units.map(function (u) { return u.i; }) : cands;
    var hits = [];
    for (var k = 0; k < ids.length; k++) {
      var u = ix.units[ids[k]];
      if (doc && ix.docs[u.doc].slug !== doc) continue;
      var score = 0;
      var ok = true;
      for (var j = 0; j < words.length; j++) {
        var first = u.norm.indexOf(words[j]);
        if (first < 0) { ok = false; break; }
        var tf = count(u.norm, words[j]);
        var idf = Math.log(1 + (N - df[j] + 0.5) / (df[j] + 0.5));
        var s = idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * u.norm.length / ix.avgLen));
        if (first < u.headEnd) s *= 2; // in the heading
        if (first === 0 || !WORD.test(u.norm.charAt(first - 1))) s *= 1.2; // starts a word
        score += s;
      }
      if (!ok) continue;
      if (phrase && u.norm.indexOf(phrase) >= 0) score *= 1.5;
      if (u.kind === "title") score *= 1.5;
      hits.push({ ix: ix, unit: u, score: score });
    }
    return hits;
  }

  /* Searches the loaded indexes of `langs` (all loaded ones if null), optionally only
     document `doc`; returns every hit, best first. */
  function query(q, langs, doc) {
    var words = queryWords(q);
    if (!words.length) return [];
    var phrase = words.length > 1 ? words.join(" ") : "";
    var hits = [];
    Object.keys(indexes).sort().forEach(function (lang) {
      if (langs && langs.indexOf(lang) < 0) return;
      hits = hits.concat(searchIndex(indexes[lang], words, phrase, doc));
    });
    hits.sort(function (a, b) {
      return b.score - a.score || (a.ix.lang < b.ix.lang ? -1 : a.ix.lang > b.ix.lang ? 1 : 0) || a.unit.i - b.unit.i;
    });
    return hits;
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
    loading: "正在加载索引…", unavailable: "搜索索引无法加载。", thisLang: "本语言",
    allLangs: "所有语言", allDocs: "所有文献", more: "查看全部结果", lang: "语言", doc: "文献",
    names: { "zh-Hans": "中文", "zh": "中文", "en": "English" },
  };
  var EN = {
    placeholder: "Search", results: "results", none: "Nothing found for", tryOther: "Search in another language:",
    loading: "Loading the index…", unavailable: "The search index could not be loaded.", thisLang: "This language",
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
        ix.docs.forEach(function (d) {
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

    function render(q, hits) {
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
        a.href = root + d.page + "#" + u.anchor;
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
      if (hits.length) {
        status.textContent = hits.length + " " + ui.results;
        if (!pageMode && hits.length > limit) {
          var more = el("a", "search-more", ui.more + " (" + hits.length + ")");
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
      input.dispatchEvent(new CustomEvent("clausebook:results", { detail: { count: hits.length } }));
    }

    /* Runs the query in the field once the wanted indexes are loaded. */
    function run() {
      var q = input.value;
      var need = wanted();
      var missing = need.filter(function (l) { return !indexes[l] && !failed[l]; });
      if (missing.length) {
        status.textContent = ui.loading;
        open(!!q.trim());
        var left = missing.length;
        missing.forEach(function (l) {
          load(root, l, function () {
            if (--left === 0) { fillDocs(); run(); }
          });
        });
        return;
      }
      if (need.some(function (l) { return failed[l]; }) && !need.some(function (l) { return indexes[l]; })) {
        status.textContent = ui.unavailable;
        open(true);
        return;
      }
      render(q, query(q, need, state.doc));
      if (pageMode) {
        try {
          history.replaceState(null, "", "?q=" + encodeURIComponent(q) + location.hash);
        } catch (e) { /* file:// may refuse; the page still works */ }
      }
    }

    function start() {
      if (state.started) return;
      state.started = true;
      fillFilters();
      fillDocs();
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
    normalize: normalize,
    tokens: tokens,
    queryWords: queryWords,
    query: query,
    load: load,
    indexes: indexes,
  };

  Array.prototype.forEach.call(document.querySelectorAll("form.site-search"), setup);
})();
