#!/usr/bin/env python3
"""clausebook's search and Pagefind side by side, on the same built site and query set.

    python3 benches/search-vs-pagefind.py [--chromium /usr/bin/chromium] [--keep DIR]

What it does:
  1. builds seeds/ with `cargo run --release -- build` into a temporary folder;
  2. installs the npm package `pagefind` into a temporary folder (`npm install`, needs the
     npm registry) and indexes the document pages of the site with it
     (`--root-selector main`, so both engines see the text, not the page chrome; the
     side-by-side, clause and compare pages, which repeat the text, are left out of both);
  3. serves the site on 127.0.0.1 (a random port, under /repo/, as GitHub Pages does)
     and drives headless Chromium over --remote-debugging-pipe;
  4. runs every query of tests/fixtures/search-queries.txt through both engines, in a
     Chinese page and an English page (Pagefind searches the language of its page;
     clausebook's field does too), and compares the pages each finds with a plain
     substring scan of the normalized unit texts (NFKC + lowercase, every query word);
  5. reports recall and false hits per page (and per clause for clausebook, whose
     results are clause links), bytes served for the search, query times, and whether
     each engine works when the site is opened from file://.

Prints a report; asserts nothing. Needs cargo, npm, python3 and Chromium.
"""

import argparse
import fcntl
import gzip
import html.parser
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PREFIX = "/repo/"


# ───────────────────────────── Chromium over a pipe ─────────────────────────────

class Chromium:
    """A headless Chromium driven through --remote-debugging-pipe (fds 3 and 4)."""

    def __init__(self, exe, profile):
        cmd_r, cmd_w = os.pipe()  # we write commands; Chromium reads fd 3
        out_r, out_w = os.pipe()  # Chromium writes fd 4; we read
        def onto_3_and_4():
            # In the child: Chromium expects the pipes on fds 3 and 4. Park them above
            # 10 first, so that neither is overwritten before it is moved.
            hi_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
            hi_w = fcntl.fcntl(out_w, fcntl.F_DUPFD, 10)
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)

        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-extensions", "--disable-sync", "--mute-audio",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            close_fds=False, preexec_fn=onto_3_and_4, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        os.close(cmd_r)
        os.close(out_w)
        self.w = os.fdopen(cmd_w, "wb", buffering=0)
        self.r = os.fdopen(out_r, "rb", buffering=0)
        self.buf = b""
        self.next_id = 0
        self.events = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        for d in ("Page.enable", "Runtime.enable"):
            self.call(d, {})

    def _read(self):
        while b"\0" not in self.buf:
            chunk = self.r.read(1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        self.w.write(json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def call(self, method, params):
        return self.send(method, params, self.session)

    def navigate(self, url):
        mark = len(self.events)
        self.call("Page.navigate", {"url": url})
        deadline = time.time() + 20
        while time.time() < deadline:
            if any(e.get("method") == "Page.loadEventFired" for e in self.events[mark:]):
                return
            m = self._read()
            if "method" in m:
                self.events.append(m)
        raise RuntimeError(f"timed out loading {url}")

    def eval(self, expr):
        r = self.call("Runtime.evaluate",
                      {"expression": expr, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError(f"JavaScript threw: {r['exceptionDetails']}")
        return r["result"].get("value")

    def close(self):
        try:
            self.w.write(b'{"id":0,"method":"Browser.close"}\0')
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)


# ───────────────────────────── the loopback server ─────────────────────────────

class Served:
    """Counts what the server sent, per path."""
    bytes = {}
    requests = 0


def make_handler(root):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(root), **kw)

        def translate_path(self, path):
            path = urllib.parse.urlsplit(path).path
            if not path.startswith(PREFIX):
                return str(root / "__nothing__")
            return super().translate_path("/" + path[len(PREFIX):])

        def copyfile(self, source, outputfile):
            data = source.read()
            outputfile.write(data)
            p = urllib.parse.urlsplit(self.path).path
            Served.bytes[p] = Served.bytes.get(p, 0) + len(data)

        def handle_one_request(self):
            Served.requests += 1
            if Served.requests > 100_000:  # bounded: a runaway page cannot loop forever
                self.close_connection = True
                return
            super().handle_one_request()

        def log_message(self, *args):
            pass

    return Handler


# ───────────────────────────── the reference ─────────────────────────────

def normalize(s):
    return unicodedata.normalize("NFKC", s).lower()


def query_words(q):
    """As src/search/tokenize.rs: split at white space, "quoted text" is one word."""
    words = []
    for i, part in enumerate(normalize(q).split('"')):
        ws = part.split()
        if i % 2 == 1:
            if ws:
                words.append(" ".join(ws))
        else:
            words.extend(ws)
    return words


def load_units(site):
    """Every unit of the built indexes: (lang, page, anchor, normalized searchable text)."""
    units = []
    for f in sorted((site / "search").glob("index-*.js")):
        text = f.read_text(encoding="utf-8")
        data = json.loads(text[text.index("register(") + 9:text.rindex(");")])
        for u in data["units"]:
            page = data["docs"][u[0]][2]
            search = (u[5] + "\n" + u[6]) if u[5] else u[6]
            units.append((data["lang"], page, u[1], normalize(search)))
    return units


class MainText(html.parser.HTMLParser):
    """The text inside a page's <main>, as Pagefind indexes it with --root-selector main."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "main" or self.depth:
            self.depth += 1 if tag not in ("br", "img", "meta", "link", "input", "hr") else 0

    def handle_endtag(self, tag):
        if self.depth and tag not in ("br", "img", "meta", "link", "input", "hr"):
            self.depth -= 1
            self.parts.append("\n")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def main_texts(site):
    """page (from the site root) ─► normalized text of its <main>."""
    out = {}
    for f in site.rglob("*.html"):
        p = MainText()
        p.feed(f.read_text(encoding="utf-8"))
        out[f.relative_to(site).as_posix()] = normalize("".join(p.parts))
    return out


def reference(units, q, lang):
    words = query_words(q)
    if not words:
        return set()
    return {f"{p}#{a}" for (l, p, a, n) in units if l == lang and all(w in n for w in words)}


# ───────────────────────────── the run ─────────────────────────────

CLAUSEBOOK_RUN = r"""
(async () => {
  const qs = %s;
  const lang = %s;
  await new Promise(r => requestIdleCallback(() => setTimeout(r, 100)));
  const t0 = performance.now();
  await new Promise(done => clausebookSearch.load(%s, lang, done));
  const load = performance.now() - t0;
  const out = [];
  for (const q of qs) {
    const t = performance.now();
    const hits = clausebookSearch.query(q, [lang], '');
    const ms = performance.now() - t;
    out.push({q, ms, hits: hits.map(h => h.ix.docs[h.unit.doc].page + '#' + h.unit.anchor)});
  }
  return {load, out};
})()
"""

PAGEFIND_RUN = r"""
(async () => {
  const qs = %s;
  await new Promise(r => requestIdleCallback(() => setTimeout(r, 100)));
  const t0 = performance.now();
  const pf = await import(%s);
  await pf.init();
  const load = performance.now() - t0;
  const out = [];
  for (const q of qs) {
    const t = performance.now();
    const s = await pf.search(q);
    const data = await Promise.all(s.results.map(r => r.data()));
    const ms = performance.now() - t;
    out.push({q, ms, hits: data.map(d => d.url)});
  }
  return {load, out};
})()
"""


def pct(v, p):
    v = sorted(v)
    return v[round((len(v) - 1) * p)] if v else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    ap.add_argument("--keep", help="work in this folder and keep it")
    args = ap.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="cb-vs-pf-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        run(work, args.chromium)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def run(work, chromium):
    site = work / "site"
    print("building the site …", file=sys.stderr)
    subprocess.run(["cargo", "run", "--release", "--quiet", "--", "build",
                    "--seeds", str(REPO / "seeds"), "--out", str(site)],
                   cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    npm = work / "npm"
    if not (npm / "node_modules" / ".bin" / "pagefind").exists():
        print("installing pagefind from npm …", file=sys.stderr)
        npm.mkdir(exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund",
                        "--prefix", str(npm), "pagefind"], check=True)
    version = json.loads((npm / "node_modules/pagefind/package.json").read_text())["version"]
    print(f"indexing with pagefind {version} …", file=sys.stderr)
    units = load_units(site)
    # The same pages for both: the document pages that clausebook's units live on (not
    # the side-by-side, clause or compare pages, which repeat their text).
    pages = sorted({p for (_, p, _, _) in units})
    subprocess.run([str(npm / "node_modules/.bin/pagefind"), "--site", str(site),
                    "--root-selector", "main", "--glob", "{" + ",".join(pages) + "}"],
                   check=True, stdout=subprocess.DEVNULL)

    queries = [l for l in (REPO / "tests/fixtures/search-queries.txt").read_text().splitlines()
               if l.strip() and not l.startswith("#")]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"

    profile = tempfile.mkdtemp(prefix="cb-vs-pf-chromium-")
    b = Chromium(chromium, profile)
    results = {}
    try:
        # A Chinese page and an English page; each engine searches its page's language.
        for lang, page in (("zh-Hans", "guideline/index.html"), ("en", "guideline/en.html")):
            for engine in ("clausebook", "pagefind"):
                Served.bytes = {}
                b.navigate(base + page)
                if engine == "clausebook":
                    r = b.eval(CLAUSEBOOK_RUN % (json.dumps(queries), json.dumps(lang),
                                                 json.dumps("../")))
                    served = sum(v for k, v in Served.bytes.items()
                                 if k.startswith(PREFIX + "search/") or k.endswith("/search.js"))
                else:
                    r = b.eval(PAGEFIND_RUN % (json.dumps(queries),
                                               json.dumps(PREFIX + "pagefind/pagefind.js")))
                    served = sum(v for k, v in Served.bytes.items()
                                 if k.startswith(PREFIX + "pagefind/"))
                results[(engine, lang)] = (r, served)

        # From file://: does typing into each engine give results?
        file_ok = {}
        b.navigate((site / "guideline/index.html").as_uri())
        file_ok["clausebook"] = b.eval(r"""new Promise(done => {
            const i = document.getElementById('search-input');
            i.addEventListener('clausebook:results', e => done('yes, ' + e.detail.count + ' results for 西部'), {once: true});
            i.value = '西部'; i.focus();
            setTimeout(() => done('no: no results after 5 s'), 5000);
        })""")
        file_ok["pagefind"] = b.eval(r"""(async () => {
            try {
                const pf = await import('../pagefind/pagefind.js');
                await pf.init();
                const s = await pf.search('西部');
                const d = await Promise.all(s.results.map(r => r.data()));
                return 'yes, ' + d.length + ' results for 西部';
            } catch (e) { return 'no: ' + String(e).slice(0, 120); }
        })()""")
    finally:
        b.close()
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)

    # ── report ──
    def page_of(h):
        h = h.split("#")[0]
        if h.startswith(PREFIX):
            h = h[len(PREFIX):]
        if h.endswith("/"):
            h += "index.html"
        return h

    print(f"\nquery set: {len(queries)} queries × 2 languages (Chinese and English pages); "
          f"Pagefind {version}\n")
    mains = main_texts(site)
    rows = []
    for engine in ("clausebook", "pagefind"):
        want_pages = got_pages = hit_pages = 0
        want_units = got_units = hit_units = 0
        times, loads, served = [], [], 0
        not_in_main = 0
        misses = []
        for lang in ("zh-Hans", "en"):
            r, s = results[(engine, lang)]
            served += s
            loads.append(r["load"])
            for item in r["out"]:
                want = reference(units, item["q"], lang)
                wp = {page_of(w) for w in want}
                gp = {page_of(h) for h in item["hits"]}
                want_pages += len(wp)
                got_pages += len(gp)
                hit_pages += len(wp & gp)
                words = query_words(item["q"])
                not_in_main += sum(1 for p in gp - wp
                                   if not all(w in mains.get(p, "") for w in words))
                if wp - gp:
                    misses.append(f"{item['q']} ({lang}): {len(wp - gp)} of {len(wp)} pages")
                if engine == "clausebook":
                    gu = set(item["hits"])
                    want_units += len(want)
                    got_units += len(gu)
                    hit_units += len(want & gu)
                times.append(item["ms"])
        rows.append((engine, want_pages, got_pages, hit_pages, want_units, got_units,
                     hit_units, times, loads, served, misses, not_in_main))

    for (engine, wp, gp, hp, wu, gu, hu, times, loads, served, misses, nim) in rows:
        print(f"{engine}")
        print(f"  recall, pages:    {hp}/{wp} = {100 * hp / max(wp, 1):.1f} %   "
              f"false hits: {gp - hp} of {gp} pages returned "
              f"({nim} of them lack a query word even in the page's whole <main>)")
        if engine == "clausebook":
            print(f"  recall, clauses:  {hu}/{wu} = {100 * hu / max(wu, 1):.1f} %   "
                  f"false hits: {gu - hu} of {gu} units returned")
        print(f"  bytes served for search (both pages): {served:,} B")
        print(f"  loading (first use), per page: {', '.join(f'{x:.1f} ms' for x in loads)}")
        print(f"  query time over HTTP: median {statistics.median(times):.2f} ms, "
              f"p95 {pct(times, 0.95):.2f} ms, max {max(times):.2f} ms")
        print(f"  works from file://: {file_ok[engine]}")
        if misses:
            print(f"  queries with pages missed: {len(misses)}, e.g. " + "; ".join(misses[:6]))
        print()

    idx = sum(f.stat().st_size for f in (site / "search").glob("*")) + \
        (site / "static/search.js").stat().st_size
    idx_gz = sum(len(gzip.compress(f.read_bytes(), 9)) for f in (site / "search").glob("*")) + \
        len(gzip.compress((site / "static/search.js").read_bytes(), 9))
    pf = sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file())
    print(f"on disk: clausebook index + search.js {idx:,} B ({idx_gz:,} B gzipped); "
          f"pagefind/ folder {pf:,} B (its index files are gzipped already)")


if __name__ == "__main__":
    main()
