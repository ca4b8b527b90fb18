"""Word statistics of blocks for extraneous-block detection, from cached chunk codes.

A block's ratios (stopwords, capitalised words, letters...) are counts over the word
tokens (WORD matches) of its first characters. Each token gets a code, a sum of 10-bit
fields, one per count, so adding the codes of a block's tokens counts everything at
once; all fields fit in one machine word, where ``sum`` adds in C without allocating.

Tokens never cross whitespace, so the codes of the tokens of a whitespace-separated
chunk ("(Reuters),", "well-known") are added up once and cached: a block's statistics
are a ``split`` and a ``sum`` of cached chunk codes, with no regular expression per
block. Each chunk also has flags, or-ed over a block: the phrase categories its tokens
wake, and the phrase texts whose piece (extraneous_phrases.pieces) it holds: a block
can only hold the texts its chunks have pieces of. Codes and flags are cached across
blocks and pages, up to _CACHE_MAX chunks (and as many tokens).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache, reduce
from itertools import chain
from operator import or_
from typing import NamedTuple

from viewer.core.extraneous_phrases import categories, pieces, trigger_mask
from viewer.core.lexicon import stopwords

# Expressions as text, compiled on first use (``compiled``): importing stays cheap.
WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+"
URLISH = r"https?://|www\.|\.(?:com|org|net|de|fr)\b|@\w|\S+@\S+\.\w"
DATE = (
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|"
    r"\b(?:19|20)\d{2}\b"
)
SEPARATOR_CHARS = "|›»/>·•"  # one of them is in every SEPARATORS match (extraneous_features)
# Marks of a block: neither expression matches across whitespace, so it matches a block
# where it matches one of its chunks (and ``\b`` sees whitespace as a chunk's end).
HAS_URL, HAS_DATE, HAS_SEPARATOR = 1, 2, 4
_WOKEN_SHIFT = 3

_FIELD = 10
_MASK = (1 << _FIELD) - 1
SAMPLE_LIMIT = _MASK  # a sample's counts stay below this: no field overflows
_ALPHA, _STOP, _CAPS, _UPPER, _DIGIT_CHARS, _CHARS = (1 << _FIELD * i for i in range(6))
_CACHE_MAX = 200_000
_TOKEN_CODES: dict[str, tuple[int, int]] = {}  # code, woken categories
_CHUNK_CODES: dict[str, int] = {}
_CHUNK_FLAGS: dict[str, int] = {}  # marks | woken categories | texts with a piece, shifted
_FLAGGED: set[str] = set()  # the chunks in _CHUNK_FLAGS (those whose flags are not 0)


@cache
def compiled(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern)``, once."""
    return re.compile(pattern)


class WordStats(NamedTuple):
    """Counts over the word tokens of each block's sample, in block order."""

    alpha: list[int]  # tokens made of letters
    stop: list[int]  # ... that are stopwords
    caps: list[int]  # ... that start with a capital
    upper: list[int]  # ... all capitals (not stopwords, two letters or more)
    digits: list[int]  # characters of digit tokens
    chars: list[int]  # characters of all tokens
    marks: list[int]  # HAS_URL, HAS_DATE, HAS_SEPARATOR of the whole block
    woken: list[int]  # phrase categories the tokens wake (bit i = category i)
    gated: list[int]  # categories with a text the whole block may hold (or open ones)
    found: list[int]  # phrase texts the whole block may hold (bit g = pieces()[g].text)
    words: list[int]  # whitespace-separated words of the whole block


def word_stats(texts: Sequence[str], sample_chars: int) -> WordStats:
    """Word-token counts of the first ``sample_chars`` characters of each text."""
    if sample_chars >= SAMPLE_LIMIT:
        raise ValueError(f"samples of {sample_chars} characters overflow the count fields")
    layout = _layout()
    n = layout.categories
    every = (1 << n) - 1
    gated_shift, texts_shift = _WOKEN_SHIFT + n, _WOKEN_SHIFT + 2 * n
    heads = [text[:sample_chars].split() for text in texts]
    tails = [text[sample_chars:].split() for text in texts]
    # The codes of all the chunks at once: a text's lookups then never miss.
    tables = _tables(list(chain.from_iterable(chain(heads, tails))))
    codes = tables.codes.__getitem__
    totals, marks, woken, gated, found, words = [], [], [], [], [], []
    for text, head, tail in zip(texts, heads, tails, strict=True):
        totals.append(sum(map(codes, head)))
        flags = tables.flags_of(head)
        woken.append(flags >> _WOKEN_SHIFT & every)
        if tail:
            flags, count = _whole(text, head, tail, flags, sample_chars, tables)
        else:
            count = len(head)
        marks.append(flags & 7)
        gated.append(flags >> gated_shift & every | layout.open)
        found.append(flags >> texts_shift | layout.anywhere)
        words.append(count)
    m = _MASK
    return WordStats(
        alpha=[t & m for t in totals],
        stop=[t >> _FIELD & m for t in totals],
        caps=[t >> 2 * _FIELD & m for t in totals],
        upper=[t >> 3 * _FIELD & m for t in totals],
        digits=[t >> 4 * _FIELD & m for t in totals],
        chars=[t >> 5 * _FIELD & m for t in totals],
        marks=marks,
        woken=woken,
        gated=gated,
        found=found,
        words=words,
    )


class _Layout(NamedTuple):
    """What a chunk's flags hold above the marks: woken categories, gated categories
    (with a text piece in the chunk), then texts (see WordStats)."""

    categories: int  # how many
    texts: tuple[int, ...]  # the texts (bits) of each category
    anywhere: int  # texts without a piece: any block may hold them
    open: int  # categories gated in every block: a text without a piece, or unknown parts


@lru_cache(maxsize=1)
def _layout() -> _Layout:
    cats, found = categories(), pieces()
    texts, first = [], 0
    for cat in cats:
        texts.append(((1 << len(cat.texts)) - 1) << first)
        first += len(cat.texts)
    anywhere = sum(1 << g for g, p in enumerate(found) if not p.piece)
    open_ = sum(1 << k for k, c in enumerate(cats) if c.unknown_parts or texts[k] & anywhere)
    return _Layout(len(cats), tuple(texts), anywhere, open_)


def _whole(
    text: str, head: list[str], tail: list[str], flags: int, cut: int, tables: _Tables
) -> tuple[int, int]:
    """Flags and number of chunks of a whole text: the chunks of its first ``cut``
    characters (their flags given) and of the rest, with a chunk across the cut joined
    (a cut chunk's flags are not the chunk's: "19999" cut to "1999" looks like a year).
    """
    if head and not text[cut - 1].isspace() and not text[cut].isspace():
        across = head[-1] + tail[0]
        joined = _tables([across]).flags_of([across])
        flags = tables.flags_of(head[:-1]) | joined | tables.flags_of(tail[1:])
        return flags, len(head) + len(tail) - 1
    return flags | tables.flags_of(tail), len(head) + len(tail)


class _Tables(NamedTuple):
    """Codes and flags of chunks: the caches, or copies when they are full."""

    codes: dict[str, int]
    flags: dict[str, int]
    flagged: set[str]  # the chunks in ``flags`` (those whose flags are not 0)

    def flags_of(self, chunks: list[str]) -> int:
        """Or of the flags of ``chunks``: only the few flagged ones are looked up."""
        return reduce(or_, map(self.flags.__getitem__, self.flagged.intersection(chunks)), 0)


def _tables(chunks: list[str]) -> _Tables:
    """Tables with the codes and flags of ``chunks`` (computed for new ones)."""
    codes, flags, flagged = _CHUNK_CODES, _CHUNK_FLAGS, _FLAGGED
    new = {c: _chunk_code(c) for c in set(chunks).difference(codes)}
    new_flags = {c: flag for c, (_, flag) in new.items() if flag}
    if len(codes) < _CACHE_MAX:
        # Flags first: a chunk with a code has its flags. Never shrinks: a lookup cannot
        # race with a removal.
        flags.update(new_flags)
        flagged.update(new_flags)
        codes.update((c, code) for c, (code, _) in new.items())
        return _Tables(codes, flags, flagged)
    old = set(chunks).difference(new)
    return _Tables(
        {**{c: code for c, (code, _) in new.items()}, **{c: codes[c] for c in old}},
        {**new_flags, **{c: flags[c] for c in old if c in flagged}},
        flagged.intersection(old).union(new_flags),
    )


def _chunk_code(chunk: str) -> tuple[int, int]:
    """The code and flags of one chunk (the code only matters for chunks of a sample)."""
    alpha = chunk.isalpha()  # one word: WORD matches all of it; and no mark
    code, woken = 0, 0
    for word in (chunk,) if alpha else compiled(WORD).findall(chunk):
        token = _TOKEN_CODES.get(word)
        if token is None:
            token = _token_code(word), trigger_mask(word)
            if len(_TOKEN_CODES) < _CACHE_MAX:
                _TOKEN_CODES[word] = token
        code += token[0]
        woken |= token[1]
    texts = _piece_bits(chunk.lower())
    layout = _layout()
    gated = sum(1 << k for k, every in enumerate(layout.texts) if texts & every) if texts else 0
    flags = woken | (gated | texts << layout.categories) << layout.categories
    return code, (0 if alpha else _marks(chunk)) | flags << _WOKEN_SHIFT


def _marks(chunk: str) -> int:
    """HAS_URL, HAS_DATE and HAS_SEPARATOR of one chunk that is not a word of letters
    (such a word has no '.', '@', ':', digit or separator)."""
    marks = HAS_URL if compiled(URLISH).search(chunk) else 0
    if compiled(DATE).search(chunk):
        marks |= HAS_DATE
    if any(map(chunk.__contains__, SEPARATOR_CHARS)):
        marks |= HAS_SEPARATOR
    return marks


def _token_code(word: str) -> int:
    """The packed counts of one word token."""
    if word.isdigit():
        return len(word) * (_DIGIT_CHARS + _CHARS)
    sw = stopwords()
    code = _ALPHA + len(word) * _CHARS
    if word[0].isupper():
        code += _CAPS
        if word.lower() in sw:
            code += _STOP
        elif len(word) > 1 and word.isupper():
            code += _UPPER
    elif word in sw:
        code += _STOP
    return code


@lru_cache(maxsize=1)
def _piece_index() -> tuple[re.Pattern[str], dict[str, list[tuple[int, bool, bool, int]]]]:
    """How pieces are found in a chunk: an expression whose group 1 is the longest piece
    starting at a position (every position: it only looks ahead), and for each piece,
    every piece it starts with (itself too): length, start, end and texts (bits)."""
    merged: dict[tuple[str, bool, bool], int] = {}
    for g, p in enumerate(pieces()):
        if p.piece:
            key = (p.piece, p.start, p.end)
            merged[key] = merged.get(key, 0) | 1 << g
    words = {piece for piece, _, _ in merged}
    starts: dict[str, list[tuple[int, bool, bool, int]]] = {w: [] for w in words}
    for (piece, start, end), bits in merged.items():
        for w in words:
            if w.startswith(piece):
                starts[w].append((len(piece), start, end, bits))
    return re.compile(f"(?=({_trie(sorted(words))}))"), starts


_Trie = dict[str, "_Trie"]  # character -> the rest; "" ends a word


def _trie(words: list[str]) -> str:
    """An expression matching the longest of ``words`` (none empty) at a position.

    Shaped as a trie, so that sre tries one branch per character instead of every word.
    """
    root: _Trie = {}
    for w in words:
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        branches = [re.escape(c) + emit(child) for c, child in node.items() if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer word first

    return emit(root)


def _piece_bits(low: str) -> int:
    """Texts (bit g = pieces()[g].text) with their piece in the lower-cased chunk ``low``."""
    finder, starts = _piece_index()
    bits = 0
    for m in finder.finditer(low):
        i = m.start()
        for size, start, end, texts in starts[m.group(1)]:
            if (not start or i == 0) and (not end or i + size == len(low)):
                bits |= texts
    return bits
