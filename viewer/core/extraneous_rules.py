"""Page-level rules applied after the models: what a per-block score cannot see.

* ``keep_prose``: a long, sentence-like block that the local model finds clearly
  body-like is kept even when its context leans away (the first paragraph after a
  header, a paragraph after an embedded widget). Hiding body is worse than missing junk.
* ``spread_repeats``: a short line repeated on the page (a menu item shown in the
  header and the footer) is hidden everywhere once most of its copies are hidden.
* ``phrase_spans``: the paragraphs between two blocks with the same strong phrase
  evidence (an appeal's "Dear readers," ... "Not ready to support today?") belong to
  that box, if part of it is already hidden; a short heading ending in ':' just before it too.
"""

from __future__ import annotations

from collections.abc import Sequence

from viewer.core.extraneous_features import CONTEXT_NAMES, LOCAL_NAMES, normalise

SPAN_CATEGORIES = ("appeal",)
# Phrase evidence that outweighs prose shape; a credit ("(dpa)") in a dateline does not.
STRONG = frozenset({"appeal", "consent", "newsletter", "comments", "advertising"})
MAX_SPAN_GAP = 4
KEEP_PROSE_WORDS = 12
KEEP_PROSE_LOGIT = 0.0
_WORDS = LOCAL_NAMES.index("words")
_END = LOCAL_NAMES.index("end_class")
_SENT = LOCAL_NAMES.index("sentences")
_Z1 = CONTEXT_NAMES.index("z")


def is_prose(row: Sequence[float]) -> bool:
    """A long block ending like a sentence (local features row)."""
    return row[_WORDS] >= KEEP_PROSE_WORDS and row[_END] in (1.0, 2.0)


def keep_prose(
    flags: list[bool],
    local: Sequence[Sequence[float]],
    ctx: Sequence[Sequence[float]],
    hits: Sequence[dict[str, str]],
) -> None:
    """Unflag long prose paragraphs the local model is sure about (in place)."""
    for i, flagged in enumerate(flags):
        if not flagged or not STRONG.isdisjoint(hits[i]):
            continue
        if is_prose(local[i]) and ctx[i][_Z1] >= KEEP_PROSE_LOGIT:
            flags[i] = False


def spread_repeats(
    flags: list[bool], texts: Sequence[str], local: Sequence[Sequence[float]]
) -> None:
    """Hide every copy of a short repeated line once most copies are hidden (in place)."""
    groups: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        if local[i][_WORDS] <= 8:
            groups.setdefault(normalise(text), []).append(i)
    for idx in groups.values():
        if len(idx) > 1 and 2 * sum(flags[i] for i in idx) >= len(idx):
            for i in idx:
                flags[i] = True


def span_ranges(hits: Sequence[dict[str, str]]) -> list[tuple[int, int, str]]:
    """Where ``phrase_spans`` may hide a run: first and last block (inclusive) of each
    group of same-category evidence no more than MAX_SPAN_GAP blocks apart."""
    ranges = []
    for cat in SPAN_CATEGORIES:
        idx = [i for i, h in enumerate(hits) if cat in h]
        start = 0
        while start < len(idx):
            end = start
            while end + 1 < len(idx) and idx[end + 1] - idx[end] <= MAX_SPAN_GAP:
                end += 1
            if idx[end] > idx[start]:
                ranges.append((idx[start], idx[end], cat))
            start = end + 1
    return ranges


def phrase_spans(
    flags: list[bool],
    texts: Sequence[str],
    hits: Sequence[dict[str, str]],
    keep: Sequence[bool] | None = None,
) -> list[tuple[int, int, str]]:
    """Hide runs framed by same-category phrase evidence; returns the spans (in place).

    ``keep`` marks blocks that must stay (shared with the other version): a span
    containing one is left alone.
    """
    keep = keep if keep is not None else [False] * len(flags)
    spans = []
    for a, b, cat in span_ranges(hits):
        if any(flags[a : b + 1]) and not any(keep[a : b + 1]):
            if a > 0 and texts[a - 1].rstrip().endswith(":") and len(texts[a - 1]) <= 80:
                a -= 1
            for i in range(a, b + 1):
                flags[i] = True
            spans.append((a, b + 1, cat))
    return spans
