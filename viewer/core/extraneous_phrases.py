"""Phrase evidence for extraneous blocks: which category's patterns a block matches.

Patterns live in resources/extraneous/phrases.json (regular expressions per category,
several languages). Running ~200 regular expressions over every line of a page is too
slow for the command line, so each pattern is indexed by the word prefixes it needs:
a category's expression only runs on a block that has one of its trigger words, and
only when the block contains one of the texts its matches must contain (a substring
test, see extraneous_literals.py). Patterns anchored with ``^`` run as ``re.match``
(one position): first all of them at once, as one alternation, and only on the few
blocks where that matches, per category. A page is matched category by category, so
that each expression runs over a list of blocks in one loop.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from viewer.core.extraneous_literals import needs
from viewer.resources import read_text

PREFIX = 4
_PREFIX_OF = itemgetter(slice(0, PREFIX))
# Expressions used only while the categories are built: compiled then (re caches them).
_LITERAL = r"(?<![\\])[^\W\d_]{3,}"
_ESCAPE = r"\\[bBdDwWsS]"


@dataclass(frozen=True, slots=True)
class _Part:
    """One triggered expression and texts one of which each of its matches contains."""

    pattern: re.Pattern[str]
    needs: tuple[str, ...] | None  # None: not known


@dataclass(frozen=True, slots=True)
class _Category:
    name: str
    triggers: frozenset[str]
    # Run as if joined into one alternation: the leftmost match wins, then the earlier part.
    triggered: tuple[_Part, ...]
    anchored: re.Pattern[str] | None
    always: re.Pattern[str] | None
    # Texts one of which every match of a triggered part (of ``always``) contains.
    needs: tuple[str, ...] | None
    always_needs: tuple[str, ...] | None
    # Whitespace-free pieces of ``needs``: a block where a triggered part matches has one
    # inside one of its chunks (see extraneous_words.py). None: not known.
    pieces: tuple[str, ...] | None
    # Each text of the parts' needs, with the parts (bit j = part j) it lets run; and
    # the parts that run whatever the text (their needs are not known).
    part_texts: tuple[tuple[str, int], ...]
    unknown_parts: int


def _triggers(pattern: str) -> set[str]:
    """Word prefixes one of which every match of ``pattern`` contains (empty: none found).

    Common function words are left out so that "the" or "your" do not wake every
    expression; every pattern in the file has a content word besides them.
    """
    common = {"the", "and", "our", "your", "you", "all", "not", "this", "are", "will", "use"}
    common |= {"los", "aux", "nous", "sie", "uns", "ons", "alle", "mais", "plus", "the"}
    bare = re.sub(_ESCAPE, " ", pattern)
    return {w[:PREFIX] for w in re.findall(_LITERAL, bare) if w not in common}


def _minimal(texts: Iterable[str]) -> tuple[str, ...]:
    """``texts`` without those containing another one (the shorter is found whenever they are)."""
    unique = sorted(set(texts), key=len)
    kept: list[str] = []
    for t in unique:
        if not any(k in t for k in kept):
            kept.append(t)
    return tuple(kept)


def _needs(patterns: list[str]) -> tuple[str, ...] | None:
    """Texts one of which is in every match of any of ``patterns`` (None if not known)."""
    found: list[str] = []
    for p in patterns:
        texts = needs(p)
        if texts is None:
            return None
        found.extend(texts)
    return _minimal(found) if found else None


def _pieces(texts: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The longest whitespace-free piece of each text (None if one has none)."""
    if texts is None or not all(t.split() for t in texts):
        return None
    return _minimal(max(t.split(), key=len) for t in texts)


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
    parts = tuple(_Part(re.compile(p), _needs([p])) for p in triggered)
    texts = _needs(triggered)
    return _Category(
        name,
        frozenset(triggers),
        parts,
        _join(anchored),
        _join(always),
        texts,
        _needs(always),
        _pieces(texts),
        *_part_texts(parts),
    )


def _part_texts(parts: tuple[_Part, ...]) -> tuple[tuple[tuple[str, int], ...], int]:
    """``_Category.part_texts`` and ``unknown_parts`` of ``parts``."""
    by_text: dict[str, int] = {}
    for j, part in enumerate(parts):
        for text in part.needs or ():
            by_text[text] = by_text.get(text, 0) | 1 << j
    unknown = sum(1 << j for j, part in enumerate(parts) if part.needs is None)
    return tuple(by_text.items()), unknown


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


@lru_cache(maxsize=1)
def _index() -> _Index:
    """The trigger index of the compiled categories (built once)."""
    cats = categories()
    by_trigger: dict[str, int] = {}
    for i, cat in enumerate(cats):
        for t in cat.triggers:
            by_trigger[t] = by_trigger.get(t, 0) | 1 << i
    anchored = [c.anchored.pattern for c in cats if c.anchored is not None]
    return _Index(by_trigger=by_trigger, any_anchored=_join(anchored))


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
    return page_hits([text.strip().lower()], [woken])[0]


def page_hits(
    lows: Sequence[str], woken: Sequence[int], gates: Sequence[int] | None = None
) -> list[dict[str, str]]:
    """``woken_hits`` of many blocks: their stripped, lower-cased texts and woken categories.

    ``gates`` (optional) holds, for each block, the categories whose ``pieces`` it may
    contain (bit i = category i): a triggered category runs where woken and gated.
    Each block's hits are in category order, as if its categories ran one after the other.
    """
    first = _index().any_anchored
    # An alternation matches where one of its branches does: when no anchored
    # expression matches, no category's does, so none of them need to run.
    anchored = [] if first is None else [i for i, low in enumerate(lows) if first.match(low)]
    hits: list[dict[str, str]] = [{} for _ in lows]
    for k, cat in enumerate(categories()):
        for i, m in _category_matches(cat, 1 << k, lows, woken, gates, anchored).items():
            hits[i][cat.name] = m.group(0).strip() or lows[i][:20]
    return hits


def _category_matches(
    cat: _Category,
    bit: int,
    lows: Sequence[str],
    woken: Sequence[int],
    gates: Sequence[int] | None,
    anchored: list[int],
) -> dict[int, re.Match[str]]:
    """The first match of one category in each block where it has one.

    Anchored expressions are tried first, then those run on every block, then the
    triggered ones: each only where the earlier ones found nothing.
    """
    found: dict[int, re.Match[str]] = {}
    if cat.anchored is not None:
        match = cat.anchored.match
        found = {i: m for i in anchored if (m := match(lows[i])) is not None}
    if cat.always is not None:
        search, texts = cat.always.search, cat.always_needs
        for i, low in enumerate(lows):
            if i in found or (texts is not None and not any(map(low.__contains__, texts))):
                continue
            m = search(low)
            if m is not None:
                found[i] = m
    if cat.triggered:
        todo = [i for i, w in enumerate(woken) if w & bit]
        if gates is not None:
            todo = [i for i in todo if gates[i] & bit]
        texts = cat.needs
        for i in todo:
            low = lows[i]
            if i in found or (texts is not None and not any(map(low.__contains__, texts))):
                continue
            m = _first_match(cat, low)
            if m is not None:
                found[i] = m
    return found


def _first_match(cat: _Category, low: str) -> re.Match[str] | None:
    """What the alternation of the triggered parts finds: the leftmost match, then the
    earliest part. Only parts with one of their texts in ``low`` can match and are run.
    """
    todo = cat.unknown_parts
    for text, parts in cat.part_texts:
        if text in low:
            todo |= parts
    best = None
    for j in _bits(todo):
        m = cat.triggered[j].pattern.search(low)
        if m is not None and (best is None or m.start() < best.start()):
            best = m
    return best


@lru_cache(maxsize=4096)
def _bits(mask: int) -> tuple[int, ...]:
    """Indexes of the bits set in ``mask``, in increasing order."""
    return tuple(i for i in range(mask.bit_length()) if mask >> i & 1)
