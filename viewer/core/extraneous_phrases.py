"""Phrase evidence for extraneous blocks: which category's patterns a block matches.

Patterns live in resources/extraneous/phrases.json (regular expressions per category,
several languages). Running ~200 regular expressions over every line of a page is too
slow for the command line, so each pattern is indexed by the word prefixes it needs:
a category's expressions only run on a block that has one of its trigger words, and
each of them only when the block contains one of the texts its matches must contain
(extraneous_literals.py). Which of those texts a block may contain is known from its
whitespace-separated chunks, cached across blocks (extraneous_words.py), so most of
them need no substring test either. Patterns anchored with ``^`` run as ``re.match``
(one position): first all of them at once, as one alternation, and only on the few
blocks where that matches, per category. A page is matched category by category, so
that each expression runs over a list of blocks in one loop.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import compress, repeat
from operator import and_, itemgetter
from typing import Any, NamedTuple

from viewer.core import regexes
from viewer.core.extraneous_literals import needs
from viewer.resources import read_text

PREFIX = 4
_PREFIX_OF = itemgetter(slice(0, PREFIX))
# Expressions used only while the categories are built: compiled then (re caches them).
_LITERAL = r"(?<![\\])[^\W\d_]{3,}"
_ESCAPE = r"\\[bBdDwWsS]"
_LEADING_WORDS = r"\\b([^\W\d_][^\W\d_ ]*(?: [^\W\d_]+)*)"  # \b, then words and spaces


class _Part(NamedTuple):
    """One triggered expression and texts one of which each of its matches contains."""

    source: str  # as in the phrase file
    expression: str  # the same matches, found faster (see _literal_first)
    needs: tuple[str, ...] | None  # None: not known

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled expression: on first use, as most parts never run on a page."""
        return regexes.compile(self.expression)


class _Category(NamedTuple):
    name: str
    triggers: frozenset[str]
    # Run as if joined into one alternation: the leftmost match wins, then the earlier part.
    triggered: tuple[_Part, ...]
    anchored: re.Pattern[str] | None
    always: re.Pattern[str] | None
    always_needs: tuple[str, ...] | None  # texts one of which every match of ``always`` has
    # The texts of the parts' needs, each once, and the parts (bit j = part j) each lets
    # run; and the parts that run whatever the text (their needs are not known).
    texts: tuple[str, ...]
    text_parts: tuple[int, ...]
    unknown_parts: int


class Piece(NamedTuple):
    """A whitespace-free piece of a category text, found in one chunk of any block with it.

    ``start`` (``end``): the text has whitespace before (after) the piece, so the piece
    starts (ends) its chunk. ``exact``: the piece is the whole text, so a chunk holding
    it means the block holds the text. A text of whitespace only has the empty piece:
    any block may hold it.
    """

    text: str
    piece: str
    start: bool
    end: bool
    exact: bool


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
    """``texts`` without those containing another one (the shorter is found whenever they
    are), shortest first, then in alphabetical order (not a set's, which varies by run)."""
    kept: list[str] = []
    for t in sorted(set(texts), key=lambda t: (len(t), t)):
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


def _literal_first(pattern: str) -> str:
    """``pattern`` with a leading ``\\b`` moved after the literal text that follows it.

    ``\\bword`` matches where ``word`` starts after a non-word character (or at the
    start), exactly like ``word(?<!\\w.{4})``: the same matches, but sre finds a
    pattern that starts with literal text with a fast scan instead of trying every position.
    """
    m = re.match(_LEADING_WORDS, pattern)
    if m is None:
        return pattern
    text, rest = m.group(1), pattern[m.end() :]
    if rest[:1] in ("?", "*", "+", "{"):  # the quantifier applies to the last character
        text, rest = text[:-1], text[-1] + rest
    return f"{text}(?<!\\w.{{{len(text)}}}){rest}" if text else pattern


def _join(patterns: list[str]) -> re.Pattern[str] | None:
    return regexes.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _analyse(name: str, patterns: Iterable[str]) -> dict[str, Any]:
    """What a category is made of, before compiling: its trigger prefixes, its triggered
    parts with the texts they need, its anchored and always-run expressions."""
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
    parts = [(p, _literal_first(p), _needs([p])) for p in triggered]
    by_text: dict[str, int] = {}
    for j, (_source, _expression, needed) in enumerate(parts):
        for text in needed or ():
            by_text[text] = by_text.get(text, 0) | 1 << j
    return {
        "name": name,
        "triggers": sorted(triggers),
        "parts": parts,
        "anchored": anchored,
        "always": always,
        "always_needs": _needs(always),
        "texts": list(by_text),
        "text_parts": list(by_text.values()),
        "unknown_parts": sum(1 << j for j, part in enumerate(parts) if part[2] is None),
    }


def _texts(found: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if found is None else tuple(found)


def _category(a: dict[str, Any]) -> _Category:
    """The category of an analysis, its expressions compiled."""
    return _Category(
        a["name"],
        frozenset(a["triggers"]),
        tuple(
            _Part(source, expression, _texts(needed)) for source, expression, needed in a["parts"]
        ),
        _join(a["anchored"]),
        _join(a["always"]),
        _texts(a["always_needs"]),
        tuple(a["texts"]),
        tuple(a["text_parts"]),
        a["unknown_parts"],
    )


INDEX = ("extraneous", "phrases.index.json")


def analyse_file(text: str) -> dict[str, Any]:
    """The analysis of every category of a phrase file's text (what INDEX holds), with a
    checksum of that text, by which a stale index is recognised and left unused."""
    data = json.loads(text)
    return {
        "source_crc32": zlib.crc32(text.encode("utf-8")),
        "categories": [_analyse(name, pats) for name, pats in data["patterns"].items()],
    }


@lru_cache(maxsize=1)
def categories() -> tuple[_Category, ...]:
    """The compiled phrase categories (read once from resources).

    Analysing ~200 expressions takes longer than compiling them: the analysis is shipped
    beside the phrase file (INDEX, written by ``python -m viewer.core.extraneous_phrases``)
    and made here only if the phrase file has changed since.
    """
    text = read_text("extraneous", "phrases.json")
    try:
        index = json.loads(read_text(*INDEX))
        fresh = index["source_crc32"] == zlib.crc32(text.encode("utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        fresh = False
    analysis = index if fresh else analyse_file(text)
    return tuple(_category(a) for a in analysis["categories"])


class _Index(NamedTuple):
    """How the categories worth running on a block are found (bit i = category i)."""

    by_trigger: dict[str, int]  # trigger prefix -> categories it wakes
    any_anchored: re.Pattern[str] | None  # every anchored expression in one alternation
    offsets: tuple[int, ...]  # bit of each category's first text in a pieces mask


@lru_cache(maxsize=1)
def _index() -> _Index:
    """The trigger index of the compiled categories (built once)."""
    cats = categories()
    by_trigger: dict[str, int] = {}
    for i, cat in enumerate(cats):
        for t in cat.triggers:
            by_trigger[t] = by_trigger.get(t, 0) | 1 << i
    anchored = [c.anchored.pattern for c in cats if c.anchored is not None]
    offsets = [0]
    for cat in cats:
        offsets.append(offsets[-1] + len(cat.texts))
    return _Index(by_trigger, _join(anchored), tuple(offsets[:-1]))


@lru_cache(maxsize=1)
def pieces() -> tuple[Piece, ...]:
    """A piece of every category text (bit g of a pieces mask is ``pieces()[g]``).

    The longest piece, then one that must start or end its chunk.
    """
    found = []
    for cat in categories():
        for text in cat.texts:
            words = text.split()
            if not words:
                found.append(Piece(text, "", False, False, False))
                continue
            last = len(words) - 1
            bounds = [
                (k > 0 or text[0].isspace(), k < last or text[-1].isspace())
                for k in range(last + 1)
            ]
            k = max(range(last + 1), key=lambda k: (len(words[k]), sum(bounds[k])))
            found.append(Piece(text, words[k], *bounds[k], words[k] == text))
    return tuple(found)


def trigger_mask(word: str) -> int:
    """Categories (bit i = category i) that the word token ``word`` wakes."""
    return _index().by_trigger.get(word[:PREFIX].lower(), 0)


def trigger_index() -> dict[str, int]:
    """What ``trigger_mask`` reads: lower-cased word prefix -> the categories it wakes."""
    return _index().by_trigger


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
    lows: Sequence[str], woken: Sequence[int], found: Sequence[int] | None = None
) -> list[dict[str, str]]:
    """``woken_hits`` of many blocks: their stripped, lower-cased texts and woken categories.

    ``found`` (optional) holds, for each block, the texts (bit g = ``pieces()[g].text``)
    whose piece its chunks hold: only those texts can be in it; a woken category none of
    whose texts a block can hold (and with no part of unknown texts) may be left out.
    Each block's hits are in category order, as if its categories ran one after the other.
    """
    index = _index()
    first = index.any_anchored
    # An alternation matches where one of its branches does: when no anchored
    # expression matches, no category's does, so none of them need to run.
    anchored = [] if first is None else [i for i, low in enumerate(lows) if first.match(low)]
    hits: list[dict[str, str]] = [{} for _ in lows]
    for k, cat in enumerate(categories()):
        matches: dict[int, re.Match[str]] = {}
        if cat.anchored is not None:
            match = cat.anchored.match
            matches = {i: m for i in anchored if (m := match(lows[i])) is not None}
        if cat.always is not None:
            _always(cat.always, cat.always_needs, lows, matches)
        if cat.triggered:
            todo = compress(range(len(lows)), map(and_, woken, repeat(1 << k)))
            _triggered(cat, index.offsets[k], todo, lows, found, matches)
        for i, m in matches.items():
            hits[i][cat.name] = m.group(0).strip() or lows[i][:20]
    return hits


def _always(
    pattern: re.Pattern[str],
    texts: tuple[str, ...] | None,
    lows: Sequence[str],
    matches: dict[int, re.Match[str]],
) -> None:
    """Add the matches of an expression run on every block (holding one of ``texts``)."""
    search = pattern.search
    for i, low in enumerate(lows):
        if i in matches or (texts is not None and not any(map(low.__contains__, texts))):
            continue
        m = search(low)
        if m is not None:
            matches[i] = m


def _triggered(
    cat: _Category,
    offset: int,
    todo: Iterable[int],
    lows: Sequence[str],
    found: Sequence[int] | None,
    matches: dict[int, re.Match[str]],
) -> None:
    """Add the matches of a category's triggered parts in the blocks ``todo``.

    A text whose piece a block's chunks hold is in the block if the piece is the whole
    text, and is looked up otherwise; with no ``found``, every text is looked up.
    """
    texts, every = cat.texts, (1 << len(cat.texts)) - 1
    exact = [p.exact for p in pieces()[offset : offset + len(texts)]]
    for i in todo:
        if i in matches:
            continue
        low = lows[i]
        if found is None:
            present = [k for k, t in enumerate(texts) if t in low]
        else:
            present = [k for k in _bits(found[i] >> offset & every) if exact[k] or texts[k] in low]
        if present or cat.unknown_parts:
            m = _first_match(cat, low, present)
            if m is not None:
                matches[i] = m


def _first_match(cat: _Category, low: str, present: list[int]) -> re.Match[str] | None:
    """What the alternation of the triggered parts finds: the leftmost match, then the
    earliest part. Only parts with one of their texts ``present`` in ``low`` can match.
    """
    todo = cat.unknown_parts
    for k in present:
        todo |= cat.text_parts[k]
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


def write_index() -> None:
    """Write INDEX from the phrase file (after editing it; tests check it is current)."""
    from viewer.core.safe_write import write_text_atomic
    from viewer.resources import resource_path

    analysis = analyse_file(read_text("extraneous", "phrases.json"))
    write_text_atomic(
        resource_path(*INDEX), json.dumps(analysis, ensure_ascii=False, indent=1) + "\n"
    )


if __name__ == "__main__":  # pragma: no cover
    write_index()
