/* clausebook: small progressive enhancements. The pages work without this script;
   it adds the copy-link buttons and keeps the #fragment when switching language. */
(function () {
  "use strict";

  var status = document.querySelector(".copy-status");
  var strings = document.querySelector("[data-copied]");
  var copiedText = strings ? strings.getAttribute("data-copied") : "Copied";
  var failedText = strings ? strings.getAttribute("data-copy-failed") : "Copy this link:";

  /* The address of this page with #id, whatever fragment it has now. */
  function linkTo(id) {
    var href = location.href;
    var hash = href.indexOf("#");
    if (hash >= 0) href = href.slice(0, hash);
    return href + "#" + id;
  }

  /* Copy through a selected textarea: works from file:// where the Clipboard API may not. */
  function copyWithTextarea(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.top = "0";
    ta.style.left = "0";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.focus();
    ta.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(ta);
    return ok;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyWithTextarea(text); }
      );
    }
    return Promise.resolve(copyWithTextarea(text));
  }

  function announce(msg) {
    if (status) {
      status.textContent = "";
      status.textContent = msg;
    }
  }

  document.querySelectorAll("button.copy-link[data-target]").forEach(function (button) {
    var label = button.textContent;
    var timer = null;
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = linkTo(button.getAttribute("data-target"));
      copy(url).then(function (ok) {
        if (ok) {
          button.textContent = copiedText;
          button.classList.add("copied");
          announce(copiedText);
          clearTimeout(timer);
          timer = setTimeout(function () {
            button.textContent = label;
            button.classList.remove("copied");
          }, 2000);
        } else {
          window.prompt(failedText, url);
        }
      });
    });
  });

  /* Each clause's Cite menu copies a citation or a Markdown link to the clause. The page
     gives the text; the link is made absolute here, so it works from file:// as well. */
  function absolute(u) {
    try {
      return new URL(u, location.href).href;
    } catch (e) {
      return u;
    }
  }
  document.querySelectorAll("details.cite-menu[data-url]").forEach(function (menu) {
    menu.hidden = false;
    menu.querySelectorAll("button[data-copy]").forEach(function (button) {
      var label = button.textContent;
      button.addEventListener("click", function () {
        var url = absolute(menu.getAttribute("data-url"));
        var text = button.getAttribute("data-copy") === "markdown"
          ? "[" + menu.getAttribute("data-md-label") + "](" +
            url.replace(/ /g, "%20").replace(/\(/g, "%28").replace(/\)/g, "%29") + ")"
          : menu.getAttribute("data-cite") + url;
        copy(text).then(function (ok) {
          if (ok) {
            button.textContent = copiedText;
            announce(copiedText);
            setTimeout(function () { button.textContent = label; }, 2000);
          } else {
            window.prompt(failedText, text);
          }
        });
      });
    });
  });

  /* Links to the other language versions keep the current fragment: the anchors are the
     same in every language. */
  function updateLanguageLinks() {
    document.querySelectorAll("a[data-keep-hash]").forEach(function (a) {
      var href = a.getAttribute("href");
      var i = href.indexOf("#");
      if (i >= 0) href = href.slice(0, i);
      a.setAttribute("href", href + location.hash);
    });
  }
  updateLanguageLinks();
  window.addEventListener("hashchange", updateLanguageLinks);
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-keep-hash]");
    if (a) updateLanguageLinks();
  }, true);

  /* On a narrow screen the table of contents starts closed. */
  var toc = document.querySelector("details.toc");
  if (toc && window.matchMedia && matchMedia("(max-width: 62rem)").matches) {
    toc.removeAttribute("open");
  }
})();
