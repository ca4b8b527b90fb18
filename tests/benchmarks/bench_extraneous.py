#!/usr/bin/env python3
"""Benchmark the extraneous-block detector on the WCXB development corpus (run by hand).

    python tests/benchmarks/bench_extraneous.py [--corpus DIR] [--worst N]

Prints the official scorer's figures for ``article-diff --blocks`` (all pages in ONE
call), its wall time, the keep_all baseline from the same run, and the held-out figures
recorded by scripts/train_extraneous.py in the shipped model.

Pages the loader refuses (the corpus has one empty file, 0662.txt, with no gold
snippets) are left out of a temporary copy of the corpus made of symbolic links;
since they carry no snippets the metric is unchanged.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def usable_corpus(corpus: Path, tmp: Path) -> int:
    """Link the non-empty pages and their gold lines into tmp; returns the page count."""
    lines = []
    for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        page = corpus / gold["file"]
        if page.read_text(encoding="utf-8").strip():
            os.symlink(page.resolve(), tmp / gold["file"])
            lines.append(line)
    (tmp / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def scorer(corpus: Path, *extra: str) -> str:
    tool = SHARED / "tools" / "score_extraneous.py"
    cmd = [sys.executable, str(tool), str(corpus), "--batch", "100000", *extra]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode:
        sys.exit(out.stdout + out.stderr)
    return out.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "wcxb-dev")
    ap.add_argument("--worst", type=int, default=0)
    a = ap.parse_args()
    if not (a.corpus / "gold.jsonl").exists():
        sys.exit(f"no corpus at {a.corpus}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        pages = usable_corpus(a.corpus, tmp)
        start = time.perf_counter()
        figures = scorer(tmp, *(["--worst", str(a.worst)] if a.worst else []))
        elapsed = time.perf_counter() - start
        baseline = scorer(tmp, "--baseline", "keep_all")
    model = json.loads((ROOT / "resources" / "extraneous" / "model.json").read_text())
    held = model.get("heldout", {})
    print(f"pages scored: {pages} (one article-diff --blocks call, {elapsed:.2f} s incl. scoring)")
    print(f"detector:  {figures}")
    print(f"keep_all:  {baseline.splitlines()[-1]}")
    print(
        "held out (train on even pages, score odd; from model.json): "
        + " ".join(f"{k} {v}" for k, v in held.items() if k != "split")
    )


if __name__ == "__main__":
    main()
