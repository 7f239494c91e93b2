#!/usr/bin/env python3
"""Makes seeds folders of small inputs that once took memory or time out of all
proportion to their size, and measures a build of each.

    python3 benches/hostile-seeds.py --out /tmp/hostile            # make the folders
    python3 benches/hostile-seeds.py --out /tmp/hostile --measure \\
        --bin target/debug/clausebook                              # and build each

Each folder holds one seed `doc.txt` and a manifest. `--measure` runs
`/usr/bin/time -v BIN build` on each and prints the seed size, wall time, peak memory
(maximum resident set size), peak memory per MB of seed and the size of the site.
"""

import argparse
import os
import resource
import re
import shutil
import subprocess
import sys
import time

MANIFEST = """site:
  title: Hostile
documents:
  - slug: doc
    kind: law
    versions:
      - {file: doc.txt, lang: zh-Hans}
"""


def cases(scale):
    """name -> seed text."""
    plain = "这是一个普通的段落，没有编号，也没有标题，只是正文而已。" * 4 + "\n\n"
    return {
        # A one-character line repeated: each a running-header candidate.
        "stray-4000": "甲\n" * 4000,
        "stray-10000": "甲\n" * 10000,
        # A huge part number: every part before it missing.
        "part-4e9": "第4000000000章 总则\n\n第一条 文。\n",
        "part-1e6": "第1000000部分 总则\n\n第一条 文。\n",
        # The same clause number over and over.
        "paren-10000": "（一）文。\n\n" * 10000,
        "paren-100000": "（一）文。\n\n" * 100000,
        # Plain paragraphs, `scale` MB of them.
        "paragraphs": plain * int(scale * 1024 * 1024 / len(plain.encode())),
    }


def rss_and_wall(stderr):
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr).group(1))
    return rss


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="folder to write the seeds folders into")
    ap.add_argument("--measure", action="store_true", help="build each and report")
    ap.add_argument("--bin", default="target/debug/clausebook")
    ap.add_argument("--only", help="comma-separated case names")
    ap.add_argument("--scale", type=float, default=5.0, help="MB of plain paragraphs")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--limit-mb", type=int, default=6144, help="address space limit of a build")
    a = ap.parse_args()
    only = set(a.only.split(",")) if a.only else None
    os.makedirs(a.out, exist_ok=True)
    rows = []
    for name, text in cases(a.scale).items():
        if only and name not in only:
            continue
        d = os.path.join(a.out, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        with open(os.path.join(d, "manifest.yaml"), "w") as f:
            f.write(MANIFEST)
        with open(os.path.join(d, "doc.txt"), "w") as f:
            f.write(text)
        if not a.measure:
            continue
        size = os.path.getsize(os.path.join(d, "doc.txt"))
        site = d + ".site"
        shutil.rmtree(site, ignore_errors=True)
        t0 = time.monotonic()
        try:
            p = subprocess.run(
                ["/usr/bin/time", "-v", a.bin, "build", "--seeds", d, "--out", site],
                capture_output=True,
                text=True,
                timeout=a.timeout,
                preexec_fn=lambda: resource.setrlimit(
                    resource.RLIMIT_AS, (a.limit_mb << 20, a.limit_mb << 20)
                ),
            )
        except subprocess.TimeoutExpired:
            rows.append((name, size, None, None, None, "timeout", 0, 0))
            continue
        wall = time.monotonic() - t0
        rss = rss_and_wall(p.stderr)
        warnings = p.stderr.count("\nwarning") + p.stderr.startswith("warning")
        status = "ok" if p.returncode == 0 else f"exit {p.returncode}"
        rows.append((name, size, wall, rss, du(site) if os.path.isdir(site) else 0, status))
        rows[-1] = rows[-1] + (warnings, len(p.stderr))
        print(f"{name}: {status}, {warnings} warning lines", file=sys.stderr)
    if a.measure:
        print("| input | seed | time | peak memory | per MB of seed | site | warnings (stderr) |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, size, wall, rss, site, status, warnings, stderr in rows:
            if wall is None:
                print(f"| {name} | {size/1024:,.0f} KB | > {a.timeout:.0f} s | | | | {status} |")
                continue
            mb = size / 1024 / 1024
            # Per MB only where the seed is large enough for the figure to mean something.
            per = f"{rss/1024/mb:,.0f} ×" if size >= 100 * 1024 else "–"
            print(
                f"| {name} | {size/1024:,.0f} KB | {wall:.2f} s | {rss/1024:,.0f} MiB | "
                f"{per} | {site/1024/1024:,.1f} MiB | {warnings:,} ({stderr/1024/1024:,.1f} MiB) |"
            )


if __name__ == "__main__":
    main()
