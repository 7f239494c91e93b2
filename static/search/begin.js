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

