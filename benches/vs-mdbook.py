#!/usr/bin/env python3
"""Whole builds of the five seeds: clausebook against mdBook, and Pagefind's indexing.

    cargo install mdbook --root target/mdbook        # once; mdBook from crates.io
    npm install --prefix target/pagefind pagefind    # once; Pagefind from npm
    python3 benches/vs-mdbook.py [--runs 21] [--dir /dev/shm]

1. mdBook: the five seed texts become a book (`src/SUMMARY.md` and one chapter per seed,
   the text as it stands, in the manifest's order) with its search on (the default:
   `[output.html.search] enable = true`). `mdbook build` and `clausebook build` of the
   same texts run alternately, the order swapped every round, each a fresh process
   writing into a folder it wrote before; the script prints the medians, their ratio and
   the median CPU time (user + system, all threads) of each.
2. Pagefind: indexes the site clausebook built (every HTML page, `--root-selector main`),
   against clausebook's whole build of the same site, alternately as above; clausebook's
   own index stage alone is `cargo bench --bench stages -- index`.

Finds the tools in `target/mdbook/bin/mdbook` and `target/pagefind/node_modules/.bin/pagefind`
or through `MDBOOK` and `PAGEFIND`; a part whose tool is missing is skipped with a note.
The seeds are copied, so the repository is not touched. Asserts nothing.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def tool(env, default):
    p = Path(os.environ.get(env, REPO / default))
    return p if p.exists() else None


def timed(args):
    """Wall time and CPU time (user + system, every thread) of one run, in seconds."""
    t = time.perf_counter()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(map(str, args))}")
    return wall, usage.ru_utime + usage.ru_stime


def manifest_files(seeds):
    """The seed files in the manifest's order, each with a title."""
    text = (seeds / "manifest.yaml").read_text(encoding="utf-8")
    files = re.findall(r"file:\s*([\w.-]+\.txt)", text)
    out = []
    for f in files:
        first = next((l.strip().lstrip("#").strip()
                      for l in (seeds / f).read_text(encoding="utf-8").splitlines()
                      if l.strip()), f)
        out.append((f, first[:60]))
    return out


def make_book(seeds, book):
    src = book / "src"
    src.mkdir(parents=True)
    (book / "book.toml").write_text(
        '[book]\ntitle = "西部大开发政策文库"\nlanguage = "zh"\n\n'
        "[output.html.search]\nenable = true\n", encoding="utf-8")
    summary = ["# Summary\n"]
    for f, title in manifest_files(seeds):
        name = f.replace(".txt", ".md")
        shutil.copyfile(seeds / f, src / name)
        summary.append(f"- [{title}](./{name})")
    (src / "SUMMARY.md").write_text("\n".join(summary) + "\n", encoding="utf-8")


def compare(name_a, run_a, name_b, run_b, runs):
    a, b = [], []
    run_a(), run_b()  # warm the file cache and both output folders
    for i in range(runs):
        if i % 2 == 0:
            a.append(run_a())
            b.append(run_b())
        else:
            b.append(run_b())
            a.append(run_a())

    def row(name, runs):
        wall = [w for w, _ in runs]
        cpu = statistics.median(c for _, c in runs)
        print(f"| {name} | {statistics.median(wall) * 1e3:.0f} ms | "
              f"{min(wall) * 1e3:.0f}–{max(wall) * 1e3:.0f} ms | {cpu * 1e3:.0f} ms |")
        return statistics.median(wall)

    ma, mb = row(name_a, a), row(name_b, b)
    print(f"| ratio {name_a} / {name_b} | **{ma / mb:.2f}** | | |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--dir", help="work in this folder (e.g. /dev/shm, to leave the disk out)")
    a = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    exe = REPO / "target" / "release" / "clausebook"
    work = Path(tempfile.mkdtemp(prefix="clausebook-vs-", dir=a.dir))
    seeds = work / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    site = work / "site"

    def clausebook():
        return timed([str(exe), "build", "--quiet", "--seeds", str(seeds), "--out", str(site)])

    print(f"cores: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} (1 min), "
          f"{a.runs} runs each, interleaved, in {work.parent}\n")
    mdbook = tool("MDBOOK", "target/mdbook/bin/mdbook")
    if mdbook:
        version = subprocess.run([str(mdbook), "--version"], capture_output=True,
                                 text=True).stdout.strip()
        book = work / "book"
        make_book(seeds, book)
        print(f"clausebook against {version} (search on), five seeds:\n")
        print("| build | median | range | CPU, median |\n|---|---:|---:|---:|")
        compare("clausebook build", clausebook,
                "mdbook build", lambda: timed([str(mdbook), "build", str(book)]), a.runs)
        print()
    else:
        print("mdBook not found: cargo install mdbook --root target/mdbook\n")

    pagefind = tool("PAGEFIND", "target/pagefind/node_modules/.bin/pagefind")
    if pagefind:
        clausebook()
        version = subprocess.run([str(pagefind), "--version"], capture_output=True,
                                 text=True).stdout.strip()
        pages = sum(1 for _, _, fs in os.walk(site) for f in fs if f.endswith(".html"))
        print(f"{version} indexing clausebook's site of the five seeds ({pages} pages, "
              "`--root-selector main`), against clausebook's whole build:\n")
        print("| run | median | range | CPU, median |\n|---|---:|---:|---:|")

        def index():
            shutil.rmtree(site / "pagefind", ignore_errors=True)
            return timed([str(pagefind), "--site", str(site), "--root-selector", "main"])

        compare("clausebook build (all stages)", clausebook, "pagefind (index only)", index,
                a.runs)
    else:
        print("Pagefind not found: npm install --prefix target/pagefind pagefind")
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
