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

