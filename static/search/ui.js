  /* ───── the page ───── */

  /* The interface strings, by language: written in here by the build from its string
     tables (src/render/strings/, the `search_*` keys), where every string of the site is. */
  var ZH = {}, EN = {};

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

