"""Phrase evidence for extraneous blocks: which category's patterns a block matches.

Patterns live in resources/extraneous/phrases.json (regular expressions per category,
several languages). Running ~200 regular expressions over every line of a page is too
slow for the command line, so each pattern is indexed by the word prefixes it needs:
a category's expression only runs on a block that has one of its trigger words.
Patterns anchored with ``^`` run as ``re.match`` (one position) on every block.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from viewer.resources import read_text

PREFIX = 4
_LITERAL = re.compile(r"(?<![\\])[^\W\d_]{3,}")
_ESCAPE = re.compile(r"\\[bBdDwWsS]")


@dataclass(frozen=True, slots=True)
class _Category:
    name: str
    triggers: frozenset[str]
    triggered: re.Pattern[str] | None
    anchored: re.Pattern[str] | None
    always: re.Pattern[str] | None


def _triggers(pattern: str) -> set[str]:
    """Word prefixes one of which every match of ``pattern`` contains (empty: none found).

    Common function words are left out so that "the" or "your" do not wake every
    expression; every pattern in the file has a content word besides them.
    """
    common = {"the", "and", "our", "your", "you", "all", "not", "this", "are", "will", "use"}
    common |= {"los", "aux", "nous", "sie", "uns", "ons", "alle", "mais", "plus", "the"}
    return {w[:PREFIX] for w in _LITERAL.findall(_ESCAPE.sub(" ", pattern)) if w not in common}


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
    return _Category(name, frozenset(triggers), _join(triggered), _join(anchored), _join(always))


@lru_cache(maxsize=1)
def categories() -> tuple[_Category, ...]:
    """The compiled phrase categories (read once from resources)."""
    data = json.loads(read_text("extraneous", "phrases.json"))
    return tuple(_category(name, pats) for name, pats in data["patterns"].items())


@lru_cache(maxsize=1)
def _by_trigger() -> dict[str, tuple[int, ...]]:
    """Trigger prefix -> indexes of the categories it wakes."""
    out: dict[str, list[int]] = {}
    for i, cat in enumerate(categories()):
        for t in cat.triggers:
            out.setdefault(t, []).append(i)
    return {t: tuple(v) for t, v in out.items()}


@lru_cache(maxsize=1)
def _unconditional() -> tuple[int, ...]:
    """Indexes of categories with anchored or always-run expressions."""
    return tuple(
        i for i, c in enumerate(categories()) if c.anchored is not None or c.always is not None
    )


def phrase_hits(text: str, words: Iterable[str]) -> dict[str, str]:
    """Categories whose patterns occur in ``text`` (lower-cased), with the matched phrase.

    ``words`` are the block's word tokens; they select which expressions to run.
    """
    low = text.strip().lower()
    by_trigger = _by_trigger()
    woken: set[int] = set()
    for w in words:
        idx = by_trigger.get(w[:PREFIX].lower())
        if idx:
            woken.update(idx)
    cats = categories()
    hits: dict[str, str] = {}
    for i in sorted(woken.union(_unconditional())):
        cat = cats[i]
        m = None
        if cat.anchored is not None:
            m = cat.anchored.match(low)
        if m is None and cat.always is not None:
            m = cat.always.search(low)
        if m is None and i in woken and cat.triggered is not None:
            m = cat.triggered.search(low)
        if m is not None:
            hits[cat.name] = m.group(0).strip() or low[:20]
    return hits
