"""Hand-built comparisons for window tests, independent of the real aligner."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from viewer.core.model import (
    AlignmentGroup,
    Article,
    Block,
    Change,
    CompareOptions,
    Comparison,
    Extraneous,
    Segment,
    SideStats,
    Stats,
)

DEFAULT = CompareOptions()
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def article(path: str, paragraphs: list[str], extraneous: dict[int, str] | None = None) -> Article:
    extraneous = extraneous or {}
    blocks, start = [], 0
    for i, text in enumerate(paragraphs):
        kind, level = ("heading", 1) if text.startswith("# ") else ("paragraph", 0)
        extra = (
            Extraneous(extraneous[i], f"looks like {extraneous[i]}", 0.9)
            if i in extraneous
            else None
        )
        blocks.append(Block(i, start, start + len(text), text, kind, level, extra))
        start += len(text) + 1
    return Article(path, "\n".join(paragraphs), tuple(blocks))


def _span(a: Article, ids: tuple[int, ...]) -> tuple[int, int]:
    return (a.blocks[ids[0]].start, a.blocks[ids[-1]].end)


def _word_segments(gid, left: Article, lspan, right: Article, rspan) -> list[Segment]:
    lt = [
        (m.start() + lspan[0], m.end() + lspan[0], m.group())
        for m in _TOKEN.finditer(left.text[lspan[0] : lspan[1]])
    ]
    rt = [
        (m.start() + rspan[0], m.end() + rspan[0], m.group())
        for m in _TOKEN.finditer(right.text[rspan[0] : rspan[1]])
    ]
    matcher = difflib.SequenceMatcher(None, [t[2] for t in lt], [t[2] for t in rt], autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ls = (
            (lt[i1][0], lt[i2 - 1][1])
            if i2 > i1
            else ((lt[i1][0],) * 2 if i1 < len(lt) else (lspan[1],) * 2)
        )
        rs = (
            (rt[j1][0], rt[j2 - 1][1])
            if j2 > j1
            else ((rt[j1][0],) * 2 if j1 < len(rt) else (rspan[1],) * 2)
        )
        out.append(Segment(tag, gid, ls, rs))
    return out


def make_comparison(
    left: Article, right: Article, groups: list[tuple], options=DEFAULT
) -> Comparison:
    """``groups``: (left ids, right ids, relation[, moved]) in display order."""
    made, segments, changes = [], [], []
    last_l = last_r = 0
    for gid, spec in enumerate(groups):
        lids, rids, relation = tuple(spec[0]), tuple(spec[1]), spec[2]
        moved = len(spec) > 3 and spec[3]
        made.append(AlignmentGroup(gid, lids, rids, relation, 0.5, moved))
        if relation == "hidden":
            continue
        ls = _span(left, lids) if lids else (last_l, last_l)
        rs = _span(right, rids) if rids else (last_r, last_r)
        last_l, last_r = ls[1], rs[1]
        if lids and rids:
            segs = _word_segments(gid, left, ls, right, rs)
        else:
            segs = [Segment("delete" if lids else "insert", gid, ls, rs)]
        segments += segs
        if moved:
            changes.append(("move", gid, ls, rs))
        changes += [(s.kind, gid, s.left, s.right) for s in segs if s.kind != "equal"]
    numbered = tuple(
        Change(i, k, g, ls, rs, left.text[ls[0] : ls[1]], right.text[rs[0] : rs[1]])
        for i, (k, g, ls, rs) in enumerate(changes)
    )
    counts: dict[str, int] = {}
    for c in numbered:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    stats = Stats(
        0.5,
        0.25,
        SideStats(words=len(left.text.split())),
        SideStats(words=len(right.text.split())),
        {},
        counts,
    )
    return Comparison(left, right, options, tuple(made), tuple(segments), numbered, stats)


LEFT = [
    "# Zelensky offers prisoner swap",
    "Ukrainian President Volodymyr Zelensky stated Sunday he prepared to turn over soldiers 😀.",
    "Read more: subscribe to our newsletter",
    "The soldiers were captured in the Kursk region.",
    "This paragraph moved down in the other version.",
    "Kyiv did not give any proof of their citizenship.",
    "A paragraph only the left has.",
]
RIGHT = [
    "# Zelensky offers prisoner swap",
    "Ukrainian President Volodymyr Zelensky said Sunday he was ready to hand over soldiers 😀.",
    "The soldiers were captured in the Kursk region.",
    "Kyiv did not provide any proof of their nationality.",
    "This paragraph moved down in the other version.",
    "A paragraph only the right has.",
]
GROUPS = [
    ((0,), (0,), "equal"),
    ((1,), (1,), "changed"),
    ((2,), (), "unmatched"),
    ((3,), (2,), "equal"),
    ((5,), (3,), "changed"),
    ((4,), (4,), "moved", True),
    ((6,), (), "unmatched"),
    ((), (5,), "unmatched"),
]


def sample(
    left_path: str = "left.txt", right_path: str = "right.txt", options=DEFAULT
) -> Comparison:
    """A small comparison with a heading, replacements, an emoji, a move, an extraneous block."""
    left = article(left_path, LEFT, {2: "promo"})
    right = article(right_path, RIGHT)
    groups = list(GROUPS)
    if options.hide_extraneous:
        groups[2] = ((2,), (), "hidden")
    return make_comparison(left, right, groups, options)


def fake_compare(left_path: str, right_path: str, options: CompareOptions) -> Comparison:
    """Stand-in for compare_files: checks the files exist, returns ``sample``."""
    from viewer.core.errors import LoadError

    for path in (left_path, right_path):
        if not Path(path).is_file():
            raise LoadError("no such file", path)
        if Path(path).read_bytes().startswith(b"\0"):
            raise LoadError("this looks like a binary file, not an article", path)
    return sample(left_path, right_path, options)
