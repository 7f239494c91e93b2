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

