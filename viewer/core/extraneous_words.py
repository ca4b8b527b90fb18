"""Word statistics of blocks for extraneous-block detection, from cached chunk codes.

A block's ratios (stopwords, capitalised words, letters...) are counts over the word
tokens (WORD matches) of its first characters. Each token gets a code, a sum of 10-bit
fields, one per count, so adding the codes of a block's tokens counts everything at
once; all fields fit in one machine word, where ``sum`` adds in C without allocating.

Tokens never cross whitespace, so the codes of the tokens of a whitespace-separated
chunk ("(Reuters),", "well-known") are added up once and cached: a block's statistics
are a ``split`` and a ``sum`` of cached chunk codes, with no regular expression per
block. Each chunk also has flags, or-ed over a block: the phrase categories its tokens
wake, and those with a phrase piece (``_Category.pieces``) inside it, without which
the category's phrase search cannot match. Codes and flags are cached across blocks
and pages, up to _CACHE_MAX chunks (and as many tokens).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache, reduce
from operator import or_
from typing import NamedTuple

from viewer.core.extraneous_phrases import categories, trigger_mask
from viewer.core.lexicon import stopwords

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+")

_FIELD = 10
_MASK = (1 << _FIELD) - 1
SAMPLE_LIMIT = _MASK  # a sample's counts stay below this: no field overflows
_ALPHA, _STOP, _CAPS, _UPPER, _DIGIT_CHARS, _CHARS = (1 << _FIELD * i for i in range(6))
_CACHE_MAX = 200_000
_TOKEN_CODES: dict[str, tuple[int, int]] = {}  # code, woken categories
_CHUNK_CODES: dict[str, int] = {}
_CHUNK_FLAGS: dict[str, int] = {}  # woken categories | categories with a piece << count


class WordStats(NamedTuple):
    """Counts over the word tokens of each block's sample, in block order."""

    alpha: list[int]  # tokens made of letters
    stop: list[int]  # ... that are stopwords
    caps: list[int]  # ... that start with a capital
    upper: list[int]  # ... all capitals (not stopwords, two letters or more)
    digits: list[int]  # characters of digit tokens
    chars: list[int]  # characters of all tokens
    woken: list[int]  # phrase categories the tokens wake (bit i = category i)
    gates: list[int]  # categories whose phrase search may match in the whole block
    words: list[int]  # whitespace-separated words of the whole block


def word_stats(texts: Sequence[str], sample_chars: int) -> WordStats:
    """Word-token counts of the first ``sample_chars`` characters of each text."""
    if sample_chars >= SAMPLE_LIMIT:
        raise ValueError(f"samples of {sample_chars} characters overflow the count fields")
    n = len(categories())
    woken_mask = (1 << n) - 1
    ungated = sum(1 << i for i, c in enumerate(categories()) if c.pieces is None)
    totals, woken, gates, words = [], [], [], []
    for text in texts:
        chunks = text[:sample_chars].split()
        total, flags = _codes(chunks)
        totals.append(total)
        woken.append(flags & woken_mask)
        if len(text) > sample_chars:
            chunks = text.split()
            flags = _codes(chunks)[1]  # phrase pieces anywhere in the block
        gates.append(flags >> n | ungated)
        words.append(len(chunks))
    m = _MASK
    return WordStats(
        alpha=[t & m for t in totals],
        stop=[t >> _FIELD & m for t in totals],
        caps=[t >> 2 * _FIELD & m for t in totals],
        upper=[t >> 3 * _FIELD & m for t in totals],
        digits=[t >> 4 * _FIELD & m for t in totals],
        chars=[t >> 5 * _FIELD & m for t in totals],
        woken=woken,
        gates=gates,
        words=words,
    )


def _codes(chunks: list[str]) -> tuple[int, int]:
    """Sum of the codes and or of the flags of ``chunks``."""
    codes, flags = _CHUNK_CODES, _CHUNK_FLAGS
    try:
        return sum(map(codes.__getitem__, chunks)), reduce(or_, map(flags.__getitem__, chunks), 0)
    except KeyError:
        codes, flags = _fill(chunks)
        return sum(map(codes.__getitem__, chunks)), reduce(or_, map(flags.__getitem__, chunks), 0)


def _fill(chunks: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Tables with the codes and flags of ``chunks``: the caches, or copies when full."""
    codes, flags = _CHUNK_CODES, _CHUNK_FLAGS
    fresh = set(chunks).difference(flags)
    new = {c: _chunk_code(c) for c in fresh}
    if len(flags) < _CACHE_MAX:
        # Codes first: a chunk with flags has a code. Never shrinks: a lookup cannot race
        # with a removal.
        codes.update((c, code) for c, (code, _) in new.items())
        flags.update((c, flag) for c, (_, flag) in new.items())
        return codes, flags
    old = set(chunks).difference(fresh)
    return (
        {**{c: code for c, (code, _) in new.items()}, **{c: codes[c] for c in old}},
        {**{c: flag for c, (_, flag) in new.items()}, **{c: flags[c] for c in old}},
    )


def _chunk_code(chunk: str) -> tuple[int, int]:
    """The code and flags of one chunk (the code only matters for chunks of a sample)."""
    code, woken = 0, 0
    for word in WORD.findall(chunk):
        token = _TOKEN_CODES.get(word)
        if token is None:
            token = _token_code(word), trigger_mask(word)
            if len(_TOKEN_CODES) < _CACHE_MAX:
                _TOKEN_CODES[word] = token
        code += token[0]
        woken |= token[1]
    return code, woken | _piece_bits(chunk.lower()) << len(categories())


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
def _piece_index() -> dict[str, list[tuple[str, int]]]:
    """Phrase pieces by their first character, with the categories they belong to."""
    index: dict[str, list[tuple[str, int]]] = {}
    for i, cat in enumerate(categories()):
        for piece in cat.pieces or ():
            index.setdefault(piece[0], []).append((piece, 1 << i))
    return index


def _piece_bits(low: str) -> int:
    """Categories with a phrase piece in the lower-cased chunk ``low``."""
    index = _piece_index()
    bits = 0
    for i, c in enumerate(low):
        for piece, bit in index.get(c, ()):
            if low.startswith(piece, i):
                bits |= bit
    return bits
