#!/usr/bin/env python3
"""Build time and peak memory of `clausebook build` against the number of documents.

    python3 benches/scale-docs.py [--docs 10,100,1000] [--runs 3]

For each N it writes the synthetic corpus of N documents
(`cargo bench --bench gen_corpus -- --docs N --out DIR`, byte-identical for the same N),
builds it with the release binary a few times, the sizes interleaved (10, 100, 1000,
10, 100, …), each under `/usr/bin/time`, and prints a Markdown table: input size,
the seed texts and manifest (not the anchor registry the build adds), pages and files written, the median wall time, the median CPU time (user + system), and
the highest peak resident memory (`Maximum resident set size`). Also prints the load
average before and after, since a machine shared with other work slows every number.
Asserts nothing. Needs cargo, python3 and GNU time (`/usr/bin/time`).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def sh(args, **kw):
    return subprocess.run(args, cwd=REPO, check=True, **kw)


def folder_bytes(d, only=None):
    total = 0
    for root, _, files in os.walk(d):
        for f in files:
            if only is None or f.endswith(only):
                total += os.path.getsize(os.path.join(root, f))
    return total


def build(exe, seeds, out):
    """One timed build: (wall s, cpu s, peak KiB, summary line)."""
    r = subprocess.run(
        ["/usr/bin/time", "-f", "TIME %e %U %S %M", str(exe), "build", "--quiet",
         "--seeds", str(seeds), "--out", str(out)],
        capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"build of {seeds} failed:\n{r.stderr[-2000:]}")
    m = re.search(r"TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", r.stderr)
    wall, user, system, rss = float(m[1]), float(m[2]), float(m[3]), int(m[4])
    return wall, user + system, rss


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", default="10,100,1000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", help="keep the corpora and sites in this folder")
    a = ap.parse_args()
    sizes = [int(x) for x in a.docs.split(",")]

    print("building clausebook (release) …", file=sys.stderr)
    sh(["cargo", "build", "--release", "--quiet"])
    exe = REPO / "target" / "release" / "clausebook"

    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="clausebook-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    corpora = {}
    for n in sizes:
        seeds = work / f"corpus-{n}"
        print(f"generating {n} documents …", file=sys.stderr)
        sh(["cargo", "bench", "--quiet", "--bench", "gen_corpus", "--",
            "--docs", str(n), "--out", str(seeds)], stdout=subprocess.DEVNULL)
        corpora[n] = seeds

    load_before = os.getloadavg()
    results = {n: [] for n in sizes}
    for run in range(a.runs + 1):  # the first round warms the caches and is not counted
        for n in sizes:
            out = work / f"site-{n}"
            # A fresh anchor registry each time, so every run does the same work.
            lock = corpora[n] / "anchors.lock"
            if lock.exists():
                lock.unlink()
            r = build(exe, corpora[n], out)
            print(f"  run {run}: {n} documents: {r[0]:.2f} s wall, {r[1]:.2f} s cpu, "
                  f"{r[2] / 1024:.0f} MiB", file=sys.stderr)
            if run > 0:
                results[n].append(r)
    load_after = os.getloadavg()

    print(f"\ncores: {os.cpu_count()}, load average before {load_before[0]:.1f}, "
          f"after {load_after[0]:.1f} (1 min)\n")
    print("| documents | input | pages | files | site | wall (median) | CPU user+sys (median) "
          "| peak memory | wall per MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        site = work / f"site-{n}"
        files = sum(len(f) for _, _, f in os.walk(site))
        pages = sum(1 for _, _, fs in os.walk(site) for f in fs if f.endswith(".html"))
        mb_in = folder_bytes(corpora[n], (".txt", ".yaml")) / 1e6
        wall = statistics.median(r[0] for r in results[n])
        cpu = statistics.median(r[1] for r in results[n])
        rss = max(r[2] for r in results[n])
        print(f"| {n:,} | {mb_in:.1f} MB | {pages:,} | {files:,} | "
              f"{folder_bytes(site) / 1e6:.0f} MB | {wall:.2f} s | {cpu:.2f} s | "
              f"{rss / 1024:.0f} MiB | {wall / mb_in:.2f} s |")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
