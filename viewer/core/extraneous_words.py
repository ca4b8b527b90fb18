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

Where the C extension is built, viewer/core/_chunks.c splits, looks up, codes the
missing chunks, adds and ors in one pass (``text_codes``), with a cache of its own keyed
by the chunks' characters (no str is made to look one up); the Python code here is its
reference, and tests/core/test_native_detect.py checks both agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache, reduce
from itertools import chain
from operator import or_
from types import ModuleType
from typing import NamedTuple

from viewer.core.extraneous_phrases import PREFIX, categories, pieces, trigger_index, trigger_mask
from viewer.core.lexicon import stopwords
from viewer.core.native import native as _native
from viewer.core.regexes import compile as compiled  # re.compile, once, ahead where it can

# Expressions as text, compiled on first use (``compiled``): importing stays cheap.
WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+"
URLISH = r"https?://|www\.|\.(?:com|org|net|de|fr)\b|@\w|\S+@\S+\.\w"
DATE = (
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|"
    r"\b(?:19|20)\d{2}\b"
)
SEPARATOR_CHARS = "|›»/>·•"  # one of them is in every SEPARATORS match (extraneous_features)
URL_CHARS = ".:@"  # one of them is in every URLISH match (and every DATE match has a digit)
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


def word_stats(texts: Sequence[str], sample_chars: int, *, native: bool = True) -> WordStats:
    """Word-token counts of the first ``sample_chars`` characters of each text.

    In C where the extension is built (``native``), else here: the same counts.
    """
    if sample_chars >= SAMPLE_LIMIT:
        raise ValueError(f"samples of {sample_chars} characters overflow the count fields")
    layout = _layout()
    n = layout.categories
    every = (1 << n) - 1
    gated_shift, texts_shift = _WOKEN_SHIFT + n, _WOKEN_SHIFT + 2 * n
    coder = _native_coder() if native else None
    if coder is None:
        totals, heads, wholes, words = _text_codes(texts, sample_chars)
    else:
        totals, heads, wholes, words = coder.text_codes(
            texts, sample_chars, _CACHE_MAX, _WOKEN_SHIFT
        )
    m = _MASK
    return WordStats(
        alpha=[t & m for t in totals],
        stop=[t >> _FIELD & m for t in totals],
        caps=[t >> 2 * _FIELD & m for t in totals],
        upper=[t >> 3 * _FIELD & m for t in totals],
        digits=[t >> 4 * _FIELD & m for t in totals],
        chars=[t >> 5 * _FIELD & m for t in totals],
        marks=[f & 7 for f in wholes],
        woken=[f >> _WOKEN_SHIFT & every for f in heads],
        gated=[f >> gated_shift & every | layout.open for f in wholes],
        found=[f >> texts_shift | layout.anywhere for f in wholes],
        words=words,
    )


def _text_codes(
    texts: Sequence[str], cut: int
) -> tuple[list[int], list[int], list[int], list[int]]:
    """For each text: the sum of the codes of the chunks of its first ``cut`` characters,
    the or of their flags, the or of the flags of all its chunks, and how many it has."""
    heads = [text[:cut].split() for text in texts]
    tails = [text[cut:].split() for text in texts]
    # The codes of all the chunks at once: a text's lookups then never miss.
    tables = _tables(list(chain.from_iterable(chain(heads, tails))))
    codes = tables.codes.__getitem__
    totals, head_flags, whole_flags, words = [], [], [], []
    for text, head, tail in zip(texts, heads, tails, strict=True):
        totals.append(sum(map(codes, head)))
        flags = tables.flags_of(head)
        head_flags.append(flags)
        if tail:
            flags, count = _whole(text, head, tail, flags, cut, tables)
        else:
            count = len(head)
        whole_flags.append(flags)
        words.append(count)
    return totals, head_flags, whole_flags, words


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
    flags: dict[str, int]  # only the flags that are not 0

    def flags_of(self, chunks: list[str]) -> int:
        """Or of the flags of ``chunks``: only the few flagged ones are looked up."""
        flags = self.flags
        return reduce(or_, map(flags.__getitem__, flags.keys() & chunks), 0)


def _tables(chunks: list[str]) -> _Tables:
    """Tables with the codes and flags of ``chunks`` (computed for new ones)."""
    codes, flags = _CHUNK_CODES, _CHUNK_FLAGS
    new, new_flags = code_chunks(set(chunks).difference(codes), native=False)  # (C: text_codes)
    if len(codes) < _CACHE_MAX:
        # Flags first: a chunk with a code has its flags. Never shrinks: a lookup cannot
        # race with a removal.
        flags.update(new_flags)
        codes.update(new)
        return _Tables(codes, flags)
    old = set(chunks).difference(new)
    return _Tables(
        {**new, **{c: codes[c] for c in old}},
        {**new_flags, **{c: flags[c] for c in old if c in flags}},
    )


def code_chunks(
    chunks: Iterable[str], *, native: bool = True
) -> tuple[dict[str, int], dict[str, int]]:
    """The codes of ``chunks``, and their flags where they are not 0 (see _chunk_code).

    In C where the extension is built (``native``), else here: the same dicts.
    """
    codes: dict[str, int] = {}
    flags: dict[str, int] = {}
    coder = _native_coder() if native else None
    if coder is not None:
        coder.chunk_codes(chunks, codes, flags, _WOKEN_SHIFT)
        return codes, flags
    for chunk in chunks:
        codes[chunk], flag = _chunk_code(chunk)
        if flag:
            flags[chunk] = flag
    return codes, flags


@lru_cache(maxsize=1)
def _native_coder() -> ModuleType | None:
    """The extension, configured with what _chunk_code reads; None where it is not built."""
    if _native is None:
        return None
    _native.configure_chunks(
        (_ALPHA, _STOP, _CAPS, _UPPER, _DIGIT_CHARS, _CHARS),
        stopwords(),
        trigger_index(),
        PREFIX,
        [(piece, start, end, bits) for (piece, start, end), bits in _merged_pieces().items()],
        _layout().texts,
        compiled(URLISH).search,
        URL_CHARS,
        compiled(DATE).search,
        SEPARATOR_CHARS,
        _chunk_code,
    )
    return _native


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
    marks = 0
    if any(map(chunk.__contains__, URL_CHARS)) and compiled(URLISH).search(chunk):
        marks |= HAS_URL
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
def _merged_pieces() -> dict[tuple[str, bool, bool], int]:
    """Each distinct (piece, start, end) of pieces(), with the texts (bits) it stands for."""
    merged: dict[tuple[str, bool, bool], int] = {}
    for g, p in enumerate(pieces()):
        if p.piece:
            key = (p.piece, p.start, p.end)
            merged[key] = merged.get(key, 0) | 1 << g
    return merged


@lru_cache(maxsize=1)
def _piece_index() -> tuple[re.Pattern[str], dict[str, list[tuple[int, bool, bool, int]]]]:
    """How pieces are found in a chunk: an expression whose group 1 is the longest piece
    starting at a position (every position: it only looks ahead), and for each piece,
    every piece it starts with (itself too): length, start, end and texts (bits)."""
    merged = _merged_pieces()
    words = {piece for piece, _, _ in merged}
    starts: dict[str, list[tuple[int, bool, bool, int]]] = {w: [] for w in words}
    for (piece, start, end), bits in merged.items():
        for w in words:
            if w.startswith(piece):
                starts[w].append((len(piece), start, end, bits))
    return compiled(f"(?=({_trie(sorted(words))}))"), starts


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
