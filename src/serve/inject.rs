//! What `serve` adds to the HTML pages it serves (never to `build` output): the
//! live-reload script and, after a failed build, the error overlay. Script and style are
//! files the server serves itself ([`SCRIPT_PATH`], [`STYLE_PATH`]), so the pages'
//! Content Security Policy (`script-src 'self'; style-src 'self'`) lets them run.

/// The marker of everything injected; `build` output never contains it.
pub const MARKER: &str = "clausebook-live";

/// The path of the live-reload event stream.
pub const EVENTS: &str = "/__clausebook/events";

/// Where the server answers with [`SCRIPT`].
pub const SCRIPT_PATH: &str = "/__clausebook/live.js";

/// Where the server answers with [`STYLE`].
pub const STYLE_PATH: &str = "/__clausebook/live.css";

/// The live-reload client. Listens on the event stream named by its tag's `data-events`;
/// on `reload` keeps the scroll position (the `#fragment` stays in the address) and
/// reloads; on `build-error` shows the overlay, which the next good build's reload clears.
pub const SCRIPT: &str = r#"(function () {
  var me = document.currentScript;
  var key = "clausebook-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = Number(saved);
    var restore = function () { window.scrollTo(0, y); };
    restore();
    window.addEventListener("load", restore);
  }
  function overlay(html) {
    var el = document.getElementById("clausebook-overlay");
    if (!el) {
      el = document.createElement("div");
      el.id = "clausebook-overlay";
      document.body.appendChild(el);
    }
    el.innerHTML = html;
  }
  var es = new EventSource(me.getAttribute("data-events"));
  es.addEventListener("reload", function () {
    sessionStorage.setItem(key, String(window.scrollY));
    es.close();
    location.reload();
  });
  es.addEventListener("build-error", function (e) { overlay(e.data); });
  document.addEventListener("click", function (e) {
    if (e.target && e.target.id === "clausebook-overlay-close") {
      var el = document.getElementById("clausebook-overlay");
      if (el) el.remove();
    }
  });
})();
"#;

/// The overlay's stylesheet.
pub const STYLE: &str = r#"#clausebook-overlay { position: fixed; inset: auto 0 0 0; max-height: 70vh; overflow: auto;
  z-index: 2147483647; margin: 0; padding: 1rem 1.25rem; background: #1e1e1e; color: #eee;
  font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  border-top: 4px solid #e5534b; box-shadow: 0 -4px 16px rgba(0,0,0,.4); }
#clausebook-overlay .cb-title { margin: 0 0 .25rem; }
#clausebook-overlay .cb-error strong { color: #ff7b72; }
#clausebook-overlay .cb-warning strong { color: #e3b341; }
#clausebook-overlay .cb-loc { margin: 0; color: #9ecbff; }
#clausebook-overlay pre { margin: .5rem 0; white-space: pre-wrap; }
#clausebook-overlay mark { background: none; color: #ff7b72; text-decoration: underline wavy; }
#clausebook-overlay .cb-ln { color: #888; }
#clausebook-overlay .cb-hint { margin: .25rem 0 0; color: #7ee787; }
#clausebook-overlay-close { float: right; background: none; border: 1px solid #888;
  color: #eee; cursor: pointer; font: inherit; }
"#;

/// The overlay's inner HTML: the diagnostics, a close button and a note that the last
/// good site is still served.
pub fn overlay_html(diagnostics_html: &str) -> String {
    format!(
        "<button type=\"button\" id=\"clausebook-overlay-close\" aria-label=\"close\">×</button>\
         <p class=\"cb-title\"><strong>clausebook: the build failed</strong> — this page is \
         from the last good build; it reloads once the error is fixed.</p>{diagnostics_html}"
    )
}

/// The tags for the end of `<body>`: style, overlay (if the last build failed), script.
fn tail(errors: Option<&str>, generation: u64) -> String {
    let mut s = format!("<link rel=\"stylesheet\" id=\"{MARKER}-style\" href=\"{STYLE_PATH}\">");
    if let Some(e) = errors {
        s.push_str("<div id=\"clausebook-overlay\">");
        s.push_str(e);
        s.push_str("</div>");
    }
    s.push_str(&format!(
        "<script id=\"{MARKER}\" src=\"{SCRIPT_PATH}\" data-events=\"{}?since={generation}\"></script>",
        EVENTS
    ));
    s
}

/// An HTML page with the live-reload tags before its last `</body>` (at the end if it
/// has none).
pub fn page(html: &[u8], errors: Option<&str>, generation: u64) -> Vec<u8> {
    let tail = tail(errors, generation);
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tail.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tail.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The page served for every path while no build has succeeded yet.
pub fn error_page(errors: &str, generation: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>clausebook: build failed</title></head><body>\
         <p>No build has succeeded yet; this page reloads once the error is fixed.</p>{}\
         </body></html>\n",
        tail(Some(errors), generation)
    )
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end() {
        let out = page(b"<html><body><p>x</p></body></html>", None, 7);
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("<html><body><p>x</p><link rel=\"stylesheet\""));
        assert!(s.ends_with("</script></body></html>"));
        assert!(s.contains("data-events=\"/__clausebook/events?since=7\""));
        assert!(
            !s.contains("<style") && !s.contains("<script>"),
            "nothing inline: {s}"
        );
        assert!(s.contains(MARKER));
        assert!(!s.contains("id=\"clausebook-overlay\">"));
    }

    #[test]
    fn injects_the_overlay_after_a_failure() {
        let s = String::from_utf8(page(b"<p>x</p>", Some("<b>boom</b>"), 1)).unwrap();
        assert!(s.starts_with("<p>x</p><link"));
        assert!(s.contains("<div id=\"clausebook-overlay\"><b>boom</b></div>"));
    }
}
