#!/usr/bin/env python3
"""Live-preview latency of `signpost serve`: from saving a page to the rebuilt
page being served.

For each site it starts `signpost serve --port 0` on a temporary copy, then
20 times (--runs): rewrites one page with a new sentence in its body (a
body-only edit, the common case while writing), and polls the page's URL
until the new sentence is served. It prints each run, the median, the
fastest and the slowest, and the rebuild times serve itself reported.

Each edit is made a pause after the previous one was served (--pauses,
seconds, comma-separated: --runs edits for each, in one serve process).
The default 0.25 s is quicker than serve's one second of quiet before it
refreshes the search index; a pause of 1.5 or 2 s makes edits land while
that refresh is running on a large site.

Sites:
  example  a copy of the example site (the repository root)
  large    a generated site of 10,000 pages (--pages) in 100 sections

Targets: median under 50 ms on the example site, under 300 ms on the
10,000-page one. Uses the release binary (built with `cargo build --release`
when missing; --binary to choose another). Python standard library only.

  python3 bench/serve_latency.py [--sites example,large] [--runs 20]
                                 [--pages 10000] [--binary PATH]
                                 [--edit body|title|new|delete] [--pauses 0.25,1.5]

--edit title changes the page's title instead, and waits until both the page
and its section's page (which lists it) show the new title. --edit new adds a
page to the section and waits until the page and the section's list of pages
serve it; --edit delete adds a page, waits for it, then deletes it and times
until the page is gone (404) and the section no longer lists it. The targets
are the same for every kind of edit.
"""

import argparse
import http.client
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

WORDS = (
    "care support carers home help advice money benefits housing health "
    "assessment council services family friends transport equipment day "
    "centre breaks respite planning payments review safeguarding community "
    "groups volunteers hospital discharge mental wellbeing advocacy rights"
).split()


def copy_example(dest: Path) -> tuple[str, str]:
    for name in ("site.yaml", "content", "themes", "translations", "symbols"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    return "content/carers/breaks-for-carers.md", "/carers/breaks-for-carers/"


def generate_large(dest: Path, pages: int) -> tuple[str, str]:
    """`pages` pages: 100 sections, each with its pages, a few paragraphs each."""
    (dest / "content").mkdir(parents=True)
    (dest / "site.yaml").write_text(
        "title: Benchmark council\nlanguages:\n  - { code: en, name: English }\n"
        "organisation:\n  name: Benchmark council\n  email: info@example.org\n",
        encoding="utf-8",
    )
    (dest / "content/_index.md").write_text(
        "---\ntitle: Benchmark home\nsummary: A generated site for measuring live preview.\n---\n\nWelcome.\n",
        encoding="utf-8",
    )
    sections = 100
    per = max(1, -(-(pages - 1 - sections) // sections))
    made = 1
    for s in range(sections):
        sec = dest / "content" / f"s{s:03d}"
        sec.mkdir()
        (sec / "_index.md").write_text(
            f"---\ntitle: Section {s}\nsummary: Pages of section {s}.\n---\n\nThe pages of section {s}.\n",
            encoding="utf-8",
        )
        made += 1
        for p in range(per):
            if made >= pages:
                break
            body = []
            for para in range(4):
                words = [WORDS[(s * 7 + p * 13 + para * 5 + i) % len(WORDS)] for i in range(12)]
                body.append(f"This page tells you about {' '.join(words)}. Call us if you need help.")
                if para == 1:
                    body.append(f"## Part {para} of page {p}")
            (sec / f"p{p:03d}.md").write_text(
                f"---\ntitle: Page {p} of section {s}\nsummary: What page {p} of section {s} is about.\n---\n\n"
                + "\n\n".join(body)
                + "\n",
                encoding="utf-8",
            )
            made += 1
    mid = sections // 2
    return f"content/s{mid:03d}/p{per // 2:03d}.md", f"/s{mid:03d}/p{per // 2:03d}/"


def fetch(port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().read()
    finally:
        conn.close()


def section_url(url: str) -> str:
    """The address of the section page that lists the page at `url`."""
    return url.rstrip("/").rsplit("/", 1)[0] + "/"


def status(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def new_page(marker: str) -> str:
    return f"---\ntitle: New page {marker}\nsummary: A page added while serving.\n---\n\nA new page.\n"


def edited(original: str, marker: str, kind: str) -> str:
    """The page with `marker` in its body, or in its title (a full rebuild)."""
    if kind == "title":
        return re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1).strip(chr(34))} {marker}", original, count=1, flags=re.M)
    return original.rstrip("\n") + f"\n\n{marker}\n"


def measure(
    binary: Path, site: Path, page_file: str, url: str, runs: int, label: str, kind: str, pauses: list[float]
) -> dict[float, list[float]]:
    proc = subprocess.Popen(
        [str(binary), "serve", "--port", "0", "--root", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: "queue.Queue[str]" = queue.Queue()
    rebuilt: list[str] = []

    def read_out():
        for line in proc.stdout:
            lines.put(line)

    def read_err():
        for line in proc.stderr:
            if line.startswith(("Rebuilt", "Rendered")):
                rebuilt.append(line.strip())

    threading.Thread(target=read_out, daemon=True).start()
    threading.Thread(target=read_err, daemon=True).start()
    try:
        started = time.perf_counter()
        port = None
        while port is None:
            try:
                line = lines.get(timeout=1800)
            except queue.Empty:
                sys.exit(f"{label}: serve printed no address")
            m = re.match(r"Serving on http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
        first = time.perf_counter() - started
        time.sleep(0.2)  # let serve's own report of the first render arrive
        print(f"{label}: serving after {first:.1f} s ({rebuilt[0] if rebuilt else 'first render'})")
        path = site / page_file
        original = path.read_text(encoding="utf-8")
        if b"<html" not in fetch(port, url):
            sys.exit(f"{label}: {url} is not served")
        times: dict[float, list[float]] = {p: [] for p in pauses}
        for n, (pause, i) in enumerate((p, i) for p in pauses for i in range(runs)):
            if n > 0:
                time.sleep(pause)  # time since the previous edit was served
            marker = f"Benchmark sentence {n} {time.time_ns()}"
            needle = marker.encode()
            section = section_url(url)
            extra = path.parent / f"bench-new-{n}.md"
            extra_url = section + f"bench-new-{n}/"
            if kind == "delete":
                # The page to delete: added first, and served, untimed.
                extra.write_text(new_page(marker), encoding="utf-8")
                deadline = time.perf_counter() + 120
                while needle not in fetch(port, section):
                    if time.perf_counter() > deadline:
                        sys.exit(f"{label}: run {i}: the page to delete never appeared")
                time.sleep(pause)
            if kind == "new":
                with open(extra, "w", encoding="utf-8") as f:
                    f.write(new_page(marker))
            elif kind == "delete":
                extra.unlink()
            else:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(edited(original, marker, kind))
            t0 = time.perf_counter()
            deadline = t0 + 120

            def done() -> bool:
                if kind == "body":
                    return needle in fetch(port, url)
                if kind == "title":
                    return needle in fetch(port, url) and needle in fetch(port, section)
                code, _ = status(port, extra_url)
                listed = needle in fetch(port, section)
                if kind == "new":
                    return code == 200 and listed
                return code == 404 and not listed

            while not done():
                if time.perf_counter() > deadline:
                    sys.exit(f"{label}: run {i}: the edit never appeared")
            ms = (time.perf_counter() - t0) * 1000
            times[pause].append(ms)
            print(f"  run {i + 1:2d}, {pause:g} s after the last: {ms:7.1f} ms")
        path.write_text(original, encoding="utf-8")
        for leftover in path.parent.glob("bench-new-*.md"):
            leftover.unlink()
        own = [float(m.group(1)) for r in rebuilt[1:] if (m := re.search(r"in (\d+) ms", r))]
        if own:
            print(f"  serve's own rebuild times: median {statistics.median(own):.0f} ms ({len(own)} rebuilds)")
        return times
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sites", default="example,large")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--binary", type=Path, default=REPO / "target/release/signpost")
    ap.add_argument(
        "--pauses",
        default="0.25",
        help="seconds between one edit being served and the next edit, comma-separated; "
        "each gets --runs edits (default 0.25)",
    )
    ap.add_argument(
        "--edit",
        choices=["body", "title", "new", "delete"],
        default="body",
        help="body: a sentence added to the text; title: the title changed (its section "
        "lists it); new: a page added to the section; delete: a page deleted from it",
    )
    args = ap.parse_args()
    pauses = [float(p) for p in args.pauses.split(",") if p.strip()]
    if not args.binary.exists():
        print("building the release binary (cargo build --release)...", flush=True)
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    targets = {"example": 50.0, "large": 300.0}
    summary = []
    for name in [s.strip() for s in args.sites.split(",") if s.strip()]:
        with tempfile.TemporaryDirectory(prefix=f"signpost-bench-{name}-") as tmp:
            site = Path(tmp)
            if name == "example":
                page_file, url = copy_example(site)
                label = "example site"
            elif name == "large":
                page_file, url = generate_large(site, args.pages)
                label = f"{args.pages}-page site"
            else:
                sys.exit(f"unknown site {name!r}: use example or large")
            label = f"{label}, {args.edit} edit"
            times = measure(args.binary, site, page_file, url, args.runs, label, args.edit, pauses)
            for pause, t in times.items():
                summary.append((f"{label}, {pause:g} s apart", statistics.median(t), min(t), max(t), targets[name]))
    print()
    for label, med, lo, hi, target in summary:
        verdict = "meets" if med < target else "MISSES"
        print(f"{label}: median {med:.1f} ms (fastest {lo:.1f}, slowest {hi:.1f}); {verdict} the {target:.0f} ms target")
    return 0 if all(med < t for _, med, _, _, t in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
