"""Phrase evidence for extraneous blocks: which category's patterns a block matches.

Patterns live in resources/extraneous/phrases.json (regular expressions per category,
several languages). Running ~200 regular expressions over every line of a page is too
slow for the command line, so each pattern is indexed by the word prefixes it needs:
a category's expression only runs on a block that has one of its trigger words.
Patterns anchored with ``^`` run as ``re.match`` (one position): first all of them at
once, as one alternation, and only on the few blocks where that matches, per category.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from viewer.resources import read_text

PREFIX = 4
_PREFIX_OF = itemgetter(slice(0, PREFIX))
_LITERAL = re.compile(r"(?<![\\])[^\W\d_]{3,}")
_ESCAPE = re.compile(r"\\[bBdDwWsS]")
_META = frozenset("\\.^$*+?{}[]()|")


@dataclass(frozen=True, slots=True)
class _Category:
    name: str
    triggers: frozenset[str]
    triggered: re.Pattern[str] | None
    anchored: re.Pattern[str] | None
    always: re.Pattern[str] | None
    # Texts one of which every match of ``triggered`` contains (None: not known).
    needs: tuple[str, ...] | None


def _triggers(pattern: str) -> set[str]:
    """Word prefixes one of which every match of ``pattern`` contains (empty: none found).

    Common function words are left out so that "the" or "your" do not wake every
    expression; every pattern in the file has a content word besides them.
    """
    common = {"the", "and", "our", "your", "you", "all", "not", "this", "are", "will", "use"}
    common |= {"los", "aux", "nous", "sie", "uns", "ons", "alle", "mais", "plus", "the"}
    return {w[:PREFIX] for w in _LITERAL.findall(_ESCAPE.sub(" ", pattern)) if w not in common}


def _required_literal(pattern: str) -> str | None:
    """Longest literal text every match of ``pattern`` contains (None if none of 3+ chars).

    Only literal runs outside groups and classes count, and none at all when the
    pattern has a top-level ``|``; a character followed by a quantifier is left out.
    """
    runs, run, depth, i = [], "", 0, 0
    while i < len(pattern):
        c = pattern[i]
        step = 2 if c == "\\" else 1
        if depth == 0 and c not in _META:
            run += c
        else:
            if c in "?*{+" and depth == 0:
                run = run[:-1]
            runs.append(run)
            run = ""
            if c == "|" and depth == 0:
                return None
            if c == "[":
                step = _class_end(pattern, i) - i
            elif c == "{":
                if "}" not in pattern[i:]:
                    return None  # a lone '{' is a literal: not worth the subtlety
                step = pattern.index("}", i) + 1 - i
            depth += {"(": 1, ")": -1}.get(c, 0)
        i += step
    best = max([*runs, run], key=len)
    return best if len(best) >= 3 else None


def _class_end(pattern: str, start: int) -> int:
    """Index just after the character class opening at ``pattern[start]``."""
    i = start + 1
    if pattern[i : i + 1] == "^":
        i += 1
    if pattern[i : i + 1] == "]":  # a leading ']' is a literal member
        i += 1
    while pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _needs(patterns: list[str]) -> tuple[str, ...] | None:
    """One required literal per pattern, or None when a pattern has none."""
    literals = [lit for p in patterns if (lit := _required_literal(p)) is not None]
    return tuple(literals) if patterns and len(literals) == len(patterns) else None


def _join(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _category(name: str, patterns: Iterable[str]) -> _Category:
    anchored, triggered, always = [], [], []
    triggers: set[str] = set()
    for p in patterns:
        if p.startswith("^"):
            anchored.append(p[1:])
            continue
        t = _triggers(p)
        if t:
            triggers |= t
            triggered.append(p)
        else:
            always.append(p)
    return _Category(
        name,
        frozenset(triggers),
        _join(triggered),
        _join(anchored),
        _join(always),
        _needs(triggered),
    )


@lru_cache(maxsize=1)
def categories() -> tuple[_Category, ...]:
    """The compiled phrase categories (read once from resources)."""
    data = json.loads(read_text("extraneous", "phrases.json"))
    return tuple(_category(name, pats) for name, pats in data["patterns"].items())


@dataclass(frozen=True, slots=True)
class _Index:
    """How the categories worth running on a block are found (bit i = category i)."""

    by_trigger: dict[str, int]  # trigger prefix -> categories it wakes
    any_anchored: re.Pattern[str] | None  # every anchored expression in one alternation
    anchored: int  # categories with anchored expressions
    always: int  # categories with expressions that run on every block


@lru_cache(maxsize=1)
def _index() -> _Index:
    """The trigger index of the compiled categories (built once)."""
    cats = categories()
    by_trigger: dict[str, int] = {}
    for i, cat in enumerate(cats):
        for t in cat.triggers:
            by_trigger[t] = by_trigger.get(t, 0) | 1 << i
    anchored = [c.anchored.pattern for c in cats if c.anchored is not None]
    return _Index(
        by_trigger=by_trigger,
        any_anchored=_join(anchored),
        anchored=sum(1 << i for i, c in enumerate(cats) if c.anchored is not None),
        always=sum(1 << i for i, c in enumerate(cats) if c.always is not None),
    )


@lru_cache(maxsize=4096)
def _bits(mask: int) -> tuple[int, ...]:
    """Indexes of the bits set in ``mask``, in increasing order."""
    return tuple(i for i in range(mask.bit_length()) if mask >> i & 1)


def trigger_mask(word: str) -> int:
    """Categories (bit i = category i) that the word token ``word`` wakes."""
    return _index().by_trigger.get(word[:PREFIX].lower(), 0)


def phrase_hits(text: str, words: Iterable[str]) -> dict[str, str]:
    """Categories whose patterns occur in ``text`` (lower-cased), with the matched phrase.

    ``words`` are the block's word tokens; they select which expressions to run.
    """
    by_trigger = _index().by_trigger
    woken = 0
    for prefix in set(map(str.lower, map(_PREFIX_OF, words))):
        woken |= by_trigger.get(prefix, 0)
    return woken_hits(text, woken)


def woken_hits(text: str, woken: int) -> dict[str, str]:
    """``phrase_hits`` given the categories its words woke (``trigger_mask`` of each, or-ed)."""
    low = text.strip().lower()
    index = _index()
    run = woken | index.always
    # An alternation matches where one of its branches does: when no anchored
    # expression matches, no category's does, so none of them need to run.
    if index.any_anchored is not None and index.any_anchored.match(low) is not None:
        run |= index.anchored
    cats = categories()
    hits: dict[str, str] = {}
    for i in _bits(run):
        cat = cats[i]
        m = None
        if cat.anchored is not None:
            m = cat.anchored.match(low)
        if m is None and cat.always is not None:
            m = cat.always.search(low)
        if m is None and woken >> i & 1 and cat.triggered is not None:
            if cat.needs is None or any(map(low.__contains__, cat.needs)):
                m = cat.triggered.search(low)
        if m is not None:
            hits[cat.name] = m.group(0).strip() or low[:20]
    return hits
