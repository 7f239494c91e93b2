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
