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

