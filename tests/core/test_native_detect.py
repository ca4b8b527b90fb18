"""The detector's chunk coding in C (viewer/core/_chunks.c) and its model (_model.c)
equal their Python references.

Word statistics feed the detector's features, so a block must get the very same counts
and flags with or without the extension: every token rule (letters, apostrophes, digits,
case), stopwords, trigger prefixes, phrase pieces and URL, date and separator marks.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core import extraneous_words
from viewer.core.extraneous_features import SAMPLE_CHARS
from viewer.core.extraneous_model import BinnedLogit, load_model
from viewer.core.extraneous_phrases import pieces
from viewer.core.extraneous_words import code_chunks, word_stats
from viewer.core.native import native

SAMPLE_LIMIT = extraneous_words.SAMPLE_LIMIT
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.skipif(native is None, reason="C extension not built")


@contextmanager
def empty_caches(room: int | None = None) -> Iterator[None]:
    """Fresh chunk caches (holding ``room`` chunks at most) for the block, then the old ones."""
    saved = (
        extraneous_words._CHUNK_CODES,
        extraneous_words._CHUNK_FLAGS,
        extraneous_words._TOKEN_CODES,
        extraneous_words._CACHE_MAX,
    )
    extraneous_words._CHUNK_CODES = {}
    extraneous_words._CHUNK_FLAGS = {}
    extraneous_words._TOKEN_CODES = {}
    if room is not None:
        extraneous_words._CACHE_MAX = room
    try:
        yield
    finally:
        (
            extraneous_words._CHUNK_CODES,
            extraneous_words._CHUNK_FLAGS,
            extraneous_words._TOKEN_CODES,
            extraneous_words._CACHE_MAX,
        ) = saved


def both_ways(texts: list[str], cut: int, room: int | None = None) -> None:
    with empty_caches(room):
        reference = word_stats(texts, cut, native=False)
    with empty_caches(room):
        assert word_stats(texts, cut, native=True) == reference
        # again, from the caches the first call filled
        assert word_stats(texts, cut, native=True) == reference


# Letters of every kind the rules tell apart: cases ("İ" lower-cases to two characters),
# apostrophes, decimal and other digits ("²", "½", Arabic-Indic), marks, separators, URL
# and date characters, scripts without spaces, emoji.
ALPHABET = "aZéİß'’-_.,:/@|›»>·•0123456789²½٣ \n\t\u00a0\u0301日本😀"
PIECES = sorted({p.piece for p in pieces() if p.piece})
WORDS = [*PIECES, "The", "AND", "of", "Www.x.com", "12:30", "2024-01-02", "1.2.24", "USA's"]
chunk = st.text(alphabet=ALPHABET, min_size=1, max_size=14) | st.sampled_from(WORDS)
text = st.lists(chunk | st.sampled_from([" ", "\n", "  "]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(chunk | st.text(min_size=1, max_size=8), max_size=30))
def test_chunk_codes_equal_python(chunks):
    fast = code_chunks(chunks, native=True)
    assert fast == code_chunks(chunks, native=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(text | st.text(max_size=30), max_size=12), st.integers(0, 60))
def test_word_stats_equal_python(texts, cut):
    both_ways(texts, cut)


def test_word_stats_equal_python_on_corpus_pages():
    # The development corpus where it is (beside the repository), else the seed pair.
    pages = sorted(CORPUS.rglob("*.txt"))[:80] if CORPUS.is_dir() else []
    pages = pages or sorted(SEEDS.glob("*.txt"))
    texts = [line for p in pages for line in p.read_text(encoding="utf-8").splitlines()]
    both_ways(texts, SAMPLE_CHARS)
    chunks = {c for t in texts for c in t.split()}
    assert code_chunks(chunks, native=True) == code_chunks(chunks, native=False)


def test_long_chunks_and_sums_beyond_a_machine_word():
    # Counts of a chunk of 20,000 letters do not fit in 64 bits: the Python coder takes it;
    # a text of many long chunks sums past 64 bits too.
    long_word, long_number = "Word" * 5000, "7" * 20000
    texts = [long_word, long_number, f"{long_word} {long_number} x", " ".join([long_word] * 8)]
    both_ways(texts, SAMPLE_LIMIT - 1)
    both_ways(texts, 10)
    assert code_chunks([long_word], native=True) == code_chunks([long_word], native=False)


def test_word_stats_equal_python_without_room_in_the_caches():
    texts = ["Donate now to support us", "Read more: www.example.com | 12:30", "a b a b"]
    both_ways(texts, SAMPLE_CHARS, room=0)
    kept = native.cached_chunks()
    with empty_caches(room=0):
        word_stats(["Never seen before: zqx-1", *texts], SAMPLE_CHARS, native=True)
        assert native.cached_chunks() == kept  # no room: coded, used, not kept


def test_bad_arguments_and_errors_pass_through_without_crashing():
    with pytest.raises(TypeError):
        native.chunk_codes([b"bytes"], {}, {}, 3)
    with pytest.raises(TypeError):
        native.text_codes(["ok", 5], 10, 10, 3)
    with pytest.raises(ValueError):
        native.text_codes(["ok"], -1, 10, 3)
    with pytest.raises(TypeError):
        native.chunk_codes(["x"], [], {}, 3)
    with pytest.raises(ValueError):
        native.configure_chunks((1, 2), frozenset(), {}, 4, [], (), len, ".", len, "|", len)
    # a configuration that failed leaves the extension usable once configured again
    extraneous_words._native_coder.cache_clear()
    assert code_chunks(["a.b"], native=True) == code_chunks(["a.b"], native=False)


def test_configuring_again_empties_the_cache_of_codes():
    word_stats(["some words to keep"], SAMPLE_CHARS, native=True)
    assert native.cached_chunks() > 0
    extraneous_words._native_coder.cache_clear()
    extraneous_words._native_coder()  # codes made under another configuration are gone
    assert native.cached_chunks() == 0
    both_ways(["some words to keep", "Donate now"], SAMPLE_CHARS)


def test_threads_coding_at_once_get_the_same_counts():
    # The window may detect on worker threads: the C table of codes is shared by all, and
    # a thread can pause in the Python coder (long chunks) while another fills the table.
    import sys
    from concurrent.futures import ThreadPoolExecutor

    pages = [
        [
            f"Word{i}{'x' * (9000 if i % 3 == 0 else 0)} shared Donate now {i} words 12:30"
            for i in range(n, n + 60)
        ]
        for n in range(0, 240, 40)
    ]
    with empty_caches():
        expected = [word_stats(p, SAMPLE_CHARS, native=False) for p in pages]
    extraneous_words._native_coder.cache_clear()
    extraneous_words._native_coder()  # an empty table
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        with ThreadPoolExecutor(4) as pool:
            found = list(pool.map(lambda p: word_stats(p, SAMPLE_CHARS, native=True), pages * 3))
    finally:
        sys.setswitchinterval(interval)
    assert found == expected * 3


def _rows_near_edges(model: BinnedLogit) -> st.SearchStrategy[list[list[float]]]:
    """Rows of features at, beside and far from the model's bin edges (NaN and inf too)."""

    def value(edges: tuple[float, ...]) -> st.SearchStrategy[float]:
        at = st.sampled_from(edges) if edges else st.just(0.0)
        beside = at.map(lambda e: e + 1e-12)
        return st.one_of(at, beside, st.floats(allow_nan=True, allow_infinity=True))

    return st.lists(st.tuples(*map(value, model.edges)).map(list), max_size=20)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_binned_logits_equal_the_python_logit_bit_for_bit(data):
    model = load_model()
    for part in (model.local, model.context):
        rows = data.draw(_rows_near_edges(part))
        expected = [part.logit(row) for row in rows]
        got = part.logits(rows)
        assert len(got) == len(expected)
        for a, b in zip(got, expected, strict=True):
            assert a == b or (a != a and b != b), (a, b)


def test_binned_logits_refuse_what_the_python_logit_refuses():
    part = load_model().local
    with pytest.raises(ValueError, match="expected"):
        part.logits([[0.0]])
    with pytest.raises(TypeError):
        part.logits([["x"] * len(part.edges)])
    broken = part._replace(weights=tuple(w[:1] for w in part.weights))
    with pytest.raises(IndexError):
        broken.logits([[float("inf")] * len(part.edges)])
    with pytest.raises(IndexError):
        broken.logits([[float("inf")] * len(part.edges)], native=False)


_SENTENCE_ALPHABET = st.sampled_from(
    list(".!?。\"'”’»)]“‘«(") + list("Aa Zz0É×ÞÀ9 \t\n\u00a0\u2003\u3000x,;")
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=_SENTENCE_ALPHABET, max_size=40) | st.text(max_size=20)))
def test_sentence_counts_in_c_equal_the_expression(texts):
    from viewer.core.extraneous_features import sentence_counts

    assert sentence_counts(texts) == sentence_counts(texts, native=False)


def test_sentence_counts_on_corpus_or_seed_lines():
    from viewer.core.extraneous_features import sentence_counts

    pages = sorted(CORPUS.glob("*/*.txt"))[:100] or sorted(SEEDS.glob("*.txt"))
    lines = [line for p in pages for line in p.read_text(encoding="utf-8").splitlines()]
    assert sentence_counts(lines) == sentence_counts(lines, native=False)
    assert sum(sentence_counts(lines)) > 0
