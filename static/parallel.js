/* clausebook: the side-by-side page. Pointing at, focusing or tapping a sentence marks
   the sentences it is aligned with; a toggle shows both languages or one, remembered in
   localStorage where the browser allows it. Without this script both columns show. */
(function () {
  "use strict";

  var grid = document.querySelector(".parallel-grid");
  if (!grid) return;
  /* The stylesheet sets the column count for up to 6 columns; more come from here. */
  grid.style.setProperty("--cols", grid.getAttribute("data-cols") || "2");

  /* ── partner highlight ── */
  var marked = [];
  function clear() {
    marked.forEach(function (e) { e.classList.remove("s-active", "s-partner"); });
    marked = [];
  }
  function mark(s) {
    clear();
    if (!s) return;
    s.classList.add("s-active");
    marked.push(s);
    (s.getAttribute("data-partners") || "").split(" ").forEach(function (id) {
      var p = id && document.getElementById(id);
      if (p) {
        p.classList.add("s-partner");
        marked.push(p);
      }
    });
  }
  function sentenceOf(node) {
    return node && node.closest ? node.closest(".s[data-partners]") : null;
  }
  grid.addEventListener("mouseover", function (e) {
    var s = sentenceOf(e.target);
    if (s) mark(s);
  });
  grid.addEventListener("mouseleave", function () {
    var f = sentenceOf(document.activeElement);
    if (f) mark(f); else clear();
  });
  grid.addEventListener("focusin", function (e) { mark(sentenceOf(e.target)); });
  grid.addEventListener("focusout", function (e) {
    if (!sentenceOf(e.relatedTarget)) clear();
  });
  grid.addEventListener("click", function (e) {
    var s = sentenceOf(e.target);
    if (s) mark(s);
  });

  /* ── which columns show ── */
  var KEY = "clausebook.parallel.show";
  function load() {
    try { return window.localStorage ? localStorage.getItem(KEY) : null; } catch (e) { return null; }
  }
  function save(v) {
    try { if (window.localStorage) localStorage.setItem(KEY, v); } catch (e) { /* file:// or private mode */ }
  }
  var toggle = document.querySelector(".pview-toggle");
  var buttons = toggle ? toggle.querySelectorAll("button[data-show]") : [];
  function show(v, remember) {
    var known = false;
    buttons.forEach(function (b) { if (b.getAttribute("data-show") === v) known = true; });
    if (!known) v = "all";
    grid.setAttribute("data-show", v);
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-show") === v ? "true" : "false");
    });
    if (remember) save(v);
  }
  if (toggle) {
    toggle.hidden = false;
    buttons.forEach(function (b) {
      b.addEventListener("click", function () { show(b.getAttribute("data-show"), true); });
    });
    show(load() || "all", false);
  }

  /* ── a translation's sentence anchor (`#c8-1.9` from en.html) that only the
     translation has lands on its sentence here, where its id is `en-c8-1.9` ── */
  function land() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id || document.getElementById(id)) return;
    var s = grid.querySelector('.s[data-sid="' + id.replace(/["\\]/g, "") + '"]');
    if (s) s.scrollIntoView();
  }
  land();
  window.addEventListener("hashchange", land);
})();
