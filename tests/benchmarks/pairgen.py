"""Build large article pairs from real paragraphs, with the truth of how they correspond.

The right side is what a republisher makes of the left: about a third of the paragraphs
rewritten (a third of their words replaced, as a spinner does), some moved, some merged
or split, and boilerplate inserted. Used by the benchmarks (with the corpus in
../shared) and by the alignment-quality tests (with any paragraphs).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

BOILERPLATE = [
    "Sign up for our newsletter",
    "Share this article",
    "Continue",
    "Remind me later.",
    "Read more: the latest headlines from around the world…",
    "Dear readers, please support independent journalism with a donation today.",
    "© 2025 All rights reserved.",
    "Photo: AFP",
    "bur-jj/gv",
]


@dataclass
class Pair:
    left: list[str]
    right: list[str]
    # truth: left index -> set of right indices it became (empty when dropped)
    truth: dict[int, set[int]] = field(default_factory=dict)
    moved: set[int] = field(default_factory=set)


def corpus_paragraphs(corpus: Path, limit_bytes: int) -> list[str]:
    """Distinct long paragraphs from the plain-text corpus, in file order."""
    seen: set[str] = set()
    out: list[str] = []
    size = 0
    for path in sorted(corpus.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) >= 200 and line not in seen and line.count(". ") >= 1:
                seen.add(line)
                out.append(line)
                size += len(line.encode("utf-8")) + 1
                if size >= limit_bytes:
                    return out
    return out


def _rewrite(text: str, rng: random.Random, vocab: list[str]) -> str:
    words = text.split(" ")
    for i in range(len(words)):
        if rng.random() < 0.33 and re.fullmatch(r"[A-Za-z]{3,}", words[i]):
            words[i] = rng.choice(vocab)
    return " ".join(words)


def make_pair(paragraphs: list[str], seed: int = 7) -> Pair:
    """Left = paragraphs; right = their republished, spun, reshuffled version."""
    rng = random.Random(seed)
    vocab = sorted({w for p in paragraphs[:200] for w in p.split() if w.isalpha() and len(w) > 3})
    left = list(paragraphs)
    right: list[str] = []
    truth: dict[int, set[int]] = {i: set() for i in range(len(left))}
    moved_out: list[int] = []
    i = 0
    while i < len(left):
        r = rng.random()
        if r < 0.02:  # moved: placed later
            moved_out.append(i)
        elif r < 0.03 and i + 1 < len(left):  # merged with the next one
            right.append(left[i] + " " + _rewrite(left[i + 1], rng, vocab))
            truth[i].add(len(right) - 1)
            truth[i + 1].add(len(right) - 1)
            i += 1
        elif r < 0.04:  # split in two
            words = left[i].split(" ")
            cut = len(words) // 2
            right.append(" ".join(words[:cut]))
            right.append(" ".join(words[cut:]))
            truth[i] |= {len(right) - 2, len(right) - 1}
        elif r < 0.05:  # dropped
            pass
        else:
            text = _rewrite(left[i], rng, vocab) if r < 0.38 else left[i]
            right.append(text)
            truth[i].add(len(right) - 1)
        if rng.random() < 0.02:
            right.append(rng.choice(BOILERPLATE))
        i += 1
    for k in moved_out:  # re-insert moved paragraphs at random later places
        pos = rng.randrange(len(right) + 1)
        for key, idx in truth.items():
            truth[key] = {j + 1 if j >= pos else j for j in idx}
        right.insert(pos, left[k])
        truth[k] = {pos}
    return Pair(left, right, truth, set(moved_out))


def write_pair(pair: Pair, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    a, b = folder / "left.txt", folder / "right.txt"
    a.write_text("\n".join(pair.left) + "\n", encoding="utf-8")
    b.write_text("\n".join(pair.right) + "\n", encoding="utf-8")
    return a, b


def alignment_accuracy(pair: Pair, groups: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> float:
    """Share of left paragraphs whose group's right side equals the truth exactly."""
    found: dict[int, set[int]] = {}
    for lg, rg in groups:
        for i in lg:
            found[i] = set(rg)
    ok = sum(1 for i, want in pair.truth.items() if found.get(i, set()) == want)
    return ok / max(1, len(pair.truth))
