"""The optional C extension: built wherever it can be, and identical to the Python reference.

viewer/core/_native.c reimplements alignment's candidate search and the tokenising,
encoding and span mapping around diff-match-patch. A comparison must be the same with or
without it, so its output is compared with the pure-Python versions exactly: same pairs,
same order, bit-identical similarities, same spans.
"""

import json
import os
import re
import shutil
import struct
import sysconfig
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import FrozenInstanceError, dataclass, fields
from pathlib import Path

import orjson
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from viewer.core import alignwords, loading
from viewer.core.align import align
from viewer.core.alignwords import Features, candidates, heaviest_chain
from viewer.core.compare import align_and_diff, word_counts
from viewer.core.extraneous import annotate_pair
from viewer.core.loading import _C0_CONTROL, build_article, load_article
from viewer.core.model import Block, Change, CompareOptions, Extraneous, Segment
from viewer.core.tokens import WordCounter, word_classes
from viewer.core.worddiff import diff_spans

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))

needs_native = pytest.mark.skipif(alignwords._native is None, reason="C extension not built")


def can_build() -> bool:
    include = sysconfig.get_paths()["include"]
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return bool(shutil.which(compiler)) and os.path.exists(os.path.join(include, "Python.h"))


def test_extension_built_where_it_can_be():
    # The install falls back to pure Python without a compiler; with one, a missing
    # extension means the build broke and every speed figure would be wrong.
    if not can_build():
        pytest.skip("no C compiler or Python headers here: the pure-Python path is used")
    assert alignwords._native is not None


VOCAB = ["the", "of", "a", "mayor", "said", "stated", "fire", "river", "42", "ü", "東京", "x"]
blocks = st.lists(
    st.lists(st.sampled_from(VOCAB) | st.text(min_size=1, max_size=6), max_size=30).map(" ".join),
    max_size=25,
)


@needs_native
@settings(max_examples=150, deadline=None)
@given(blocks, blocks, st.data())
def test_native_candidates_equal_python(left, right, data):
    lids = data.draw(
        st.lists(st.sampled_from(range(len(left))), unique=True) if left else st.just([])
    )
    rids = data.draw(
        st.lists(st.sampled_from(range(len(right))), unique=True) if right else st.just([])
    )
    f = Features(left, right, lids, rids)
    # subsets too: gaps between anchors search among some of the blocks only
    sub_l = data.draw(st.lists(st.sampled_from(lids), unique=True) if lids else st.just([]))
    sub_r = data.draw(st.lists(st.sampled_from(rids), unique=True) if rids else st.just([]))
    for ls, rs in ((lids, rids), (sub_l, sub_r)):
        assert candidates(f, ls, rs, native=True) == candidates(f, ls, rs, native=False)


@needs_native
def test_native_candidates_equal_python_on_the_seed_pair_and_many_blocks():
    left, right = (load_article(p) for p in SEEDS)
    lt, rt = [b.text for b in left.blocks], [b.text for b in right.blocks]
    lids, rids = list(range(len(lt))), list(range(len(rt)))
    f = Features(lt, rt, lids, rids)
    assert candidates(f, lids, rids, native=True) == candidates(f, lids, rids, native=False)
    # Many blocks sharing common words: postings above the cap are skipped, ties abound.
    many = [f"story {i % 7} word{i % 13} common text here" for i in range(400)]
    ids = list(range(400))
    f = Features(many, many[::-1], ids, ids)
    fast = candidates(f, ids, ids, native=True)
    assert fast == candidates(f, ids, ids, native=False)
    assert len(fast) > 400


@needs_native
def test_alignment_is_the_same_without_the_extension(monkeypatch):
    left, right = (load_article(p) for p in SEEDS)
    lt, rt = [b.text for b in left.blocks], [b.text for b in right.blocks]
    fast = align(lt, rt, frozenset(), frozenset())
    monkeypatch.setattr(alignwords, "_native", None)
    assert align(lt, rt, frozenset(), frozenset()) == fast


@needs_native
def test_native_rejects_bad_arguments_without_crashing():
    native = alignwords._native
    f = Features(["a b"], ["a c"], [0], [0])
    args = [f.left, f.right, [0], [0], f.rank, f.rank_weight, f.left_mass, f.right_mass, 2, 24, 6]
    with pytest.raises(IndexError):
        native.candidates(*args[:2], [5], *args[3:])
    with pytest.raises(KeyError):
        native.candidates([frozenset({"zzz"})], *args[1:])
    with pytest.raises(TypeError):
        native.candidates(*args[:5], ["x"] * len(f.rank_weight), *args[6:])
    with pytest.raises(ValueError):
        native.candidates(*args[:6], [], *args[7:])


# Characters that exercise every token class: ASCII, Latin-1, typography, combining marks
# and joiners, scripts without spaces (BMP and astral), emoji, casefolding.
ALPHABET = (
    "ab Z_9 \t\n.,'’“é\u0301\u0e01\u0e3f日本語😀\u200c\u0670\u00a0\u2009İß-—…\u0483\U00020001\ufe20"
)
texts = st.text(alphabet=ALPHABET, max_size=80) | st.text(max_size=40)
PLAIN_OPTIONS = [CompareOptions(), CompareOptions(ignore_punctuation=True)]


@needs_native
@settings(max_examples=400, deadline=None)
@given(texts, texts, st.sampled_from(PLAIN_OPTIONS))
def test_native_word_diff_equals_python(left, right, options):
    assert diff_spans(left, right, options, native=True) == diff_spans(
        left, right, options, native=False
    )


@needs_native
def test_native_tokens_are_the_tokeniser_on_every_code_point():
    # Each character between two letters: the encoded strings diff-match-patch sees must
    # split exactly where tokenize() splits, for every class of character. In pieces far
    # below the size where diff-match-patch gets a deadline (its result then hangs on time).
    chars = [chr(c) for c in range(0x20, 0x30000, 7) if not 0xD800 <= c <= 0xDFFF]
    options = CompareOptions()
    for at in range(0, len(chars), 2000):
        left = "".join(f"a{c}b " for c in chars[at : at + 2000])
        right = left.replace("a", "x")
        assert diff_spans(left, right, options, native=True) == diff_spans(
            left, right, options, native=False
        )


@needs_native
def test_native_word_diff_passes_errors_of_the_differ_through():
    native = alignwords._native

    def broken(a, b):
        return [("=", 10**6)]

    with pytest.raises(ValueError):
        native.word_diff("a b", "a c", broken)
    with pytest.raises(TypeError):
        native.word_diff("a b", "a c", lambda a, b: [("=",)])
    with pytest.raises(ZeroDivisionError):
        native.word_diff("a b", "a c", lambda a, b: 1 / 0)


@needs_native
@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_native_span_words_equal_python(text, data):
    counter = WordCounter(word_classes(text))
    offset = st.integers(0, len(text))
    spans = data.draw(st.lists(st.tuples(offset, offset), max_size=20))
    spans.append((0, len(text)))
    assert counter.counts(spans, native=True) == counter.counts(spans, native=False)


@needs_native
@settings(max_examples=300, deadline=None)
@given(texts)
def test_native_word_classes_equal_python(text):
    from viewer.core.native import native

    assert native is not None
    assert native.word_classes(text) == word_classes(text)
    prefixed = WordCounter.of_prefixed(native.word_classes(text, True))
    plain = WordCounter(word_classes(text))
    assert (prefixed.classes, prefixed.nospace) == (plain.classes, plain.nospace)


@needs_native
def test_native_word_classes_on_every_code_point():
    from viewer.core.native import native

    assert native is not None
    # every plane, surrogates excepted (a str cannot hold them paired): each class on its own
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert native.word_classes(every) == word_classes(every)


def test_article_words_equal_with_and_without_the_extension():
    from viewer.core.compare import article_words

    left, right = (load_article(p) for p in SEEDS)
    mixed = build_article("mixed", [("paragraph", 0, "東京 e\u0301 \u200d x_1 \U0001f642 ok")])
    for a, b in ((left, right), (mixed, left)):
        fast, slow = article_words(a, b), article_words(a, b, native=False)
        for side_fast, side_slow in zip(fast, slow, strict=True):
            assert side_fast[0].classes == side_slow[0].classes
            assert side_fast[1] == side_slow[1]


@needs_native
def test_native_span_words_rejects_spans_outside_the_text():
    counter = WordCounter(word_classes("two words"))
    with pytest.raises(ValueError):
        counter.counts([(0, 50)])
    with pytest.raises(TypeError):
        counter.counts([(0,)])
    assert counter.counts([(7, 2)]) == [0]  # empty spans count nothing, wherever they are


@needs_native
@settings(max_examples=150, deadline=None)
@given(st.lists(texts, max_size=8), st.lists(texts, max_size=8))
def test_native_segments_and_changes_equal_python(left_blocks, right_blocks):
    left = build_article("l.txt", [("paragraph", 0, t) for t in left_blocks])
    right = build_article("r.txt", [("paragraph", 0, t) for t in right_blocks])
    options = CompareOptions()
    fast = align_and_diff(left, right, options, native=True)
    assert fast == align_and_diff(left, right, options, native=False)
    # and the word counts of those segments (native.segment_words), every statistic
    assert word_counts(left, right, fast) == word_counts(left, right, fast, native=False)
    for made in (*fast.segments, *fast.changes):  # real, frozen instances
        assert type(made) in (Segment, Change)
        with pytest.raises(FrozenInstanceError):
            made.kind = "x"  # type: ignore[misc]


@needs_native
def test_native_segments_and_changes_equal_python_on_the_seed_pair():
    left, right = (load_article(p) for p in SEEDS)
    fast = align_and_diff(left, right, CompareOptions(), native=True)
    assert fast == align_and_diff(left, right, CompareOptions(), native=False)
    assert len(fast.changes) > 10
    assert word_counts(left, right, fast) == word_counts(left, right, fast, native=False)


@needs_native
def test_native_group_loop_equals_python_on_every_kind_of_group():
    # build_groups: pairs equal and changed, a move, a merge and a split, blocks on one
    # side only (deletes and inserts at the other side's cursor), a pair with almost
    # nothing in common (unshredded into one replacement), hidden extraneous blocks,
    # and the options that send the diff back to Python.
    body = [
        "The minister said on Tuesday that the new budget would cut spending on roads.",
        "Opposition leaders called the plan reckless and promised to fight it in parliament.",
        "Analysts expect the vote to be close, with several members still undecided today.",
        "The finance ministry published the full figures late in the evening on its site.",
        "Farmers protested outside the building, blocking traffic for most of the morning.",
    ]
    left = build_article(
        "l.txt",
        [
            ("paragraph", 0, t)
            for t in [
                *body,
                "Donate now to support our journalism.",
                "Share this story on social media.",
            ]
        ],
    )
    right = build_article(
        "r.txt",
        [
            ("paragraph", 0, t)
            for t in [
                body[4],  # moved to the top
                body[0].replace("said", "stated").replace("cut", "reduce"),
                body[1] + " " + body[2],  # merged
                "The finance ministry published the figures.",  # split in two
                "It did so late in the evening on its site.",
                "Completely unrelated words about football scores from yesterday evening.",
                "Remind me later.",
            ]
        ],
    )
    for options in (
        CompareOptions(),
        CompareOptions(ignore_case=True),
        CompareOptions(ignore_punctuation=True),
        CompareOptions(fold_typography=True),
    ):
        fast = align_and_diff(left, right, options, native=True)
        assert fast == align_and_diff(left, right, options, native=False), options
    relations = {g.relation for g in align_and_diff(left, right, CompareOptions()).groups}
    assert relations == {"moved", "changed", "merged", "split", "unmatched"}
    # a pair whose few equal runs are function words: _unshred makes it one replacement
    said = "The minister said on Tuesday that the new budget would cut spending on roads."
    filler = "Minister budget Tuesday: of the and to in a for it is on with as by at from that."
    left = build_article("l.txt", [("paragraph", 0, t) for t in [said, "x y z", said]])
    right = build_article("r.txt", [("paragraph", 0, t) for t in ["x y z", filler]])
    fast = align_and_diff(left, right, CompareOptions(), native=True)
    assert fast == align_and_diff(left, right, CompareOptions(), native=False)
    assert [c.kind for c in fast.changes if c.left_text == said][-1] == "replace"
    seeds = annotate_pair(*(load_article(p) for p in SEEDS))
    hide = CompareOptions(hide_extraneous=True)
    fast = align_and_diff(*seeds, hide, native=True)
    assert fast == align_and_diff(*seeds, hide, native=False)
    assert any(g.relation == "hidden" for g in fast.groups)


@needs_native
def test_native_segment_words_refuses_what_it_cannot_count():
    from viewer.core.compare import _native_builder

    native = _native_builder()
    classes = " " + word_classes("two words")
    assert native.segment_words(
        [Segment("replace", 0, (0, 3), (4, 9))], classes, classes, 0, 0
    ) == (
        (0, 0, 1),
        (0, 0, 1),
    )
    assert native.segment_words([Segment("equal", 0, (0, 9), (0, 9))], classes, classes, 0, 0) == (
        (0, 0, 0),
        (0, 0, 0),
    )
    for bad in (
        [Segment("replace", 0, (0, 50), (0, 1))],  # outside the text
        [Segment("replace", 0, (0,), (0, 1))],  # not a span
        [Segment("odd", 0, (0, 1), (0, 1))],  # no such kind
        [("replace", 0, (0, 1), (0, 1))],  # not a Segment
    ):
        with pytest.raises((ValueError, TypeError)):
            native.segment_words(bad, classes, classes, 0, 0)


@needs_native
def test_native_builder_refuses_what_it_cannot_build():
    native = alignwords._native
    native_fields = [f.name for f in fields(Segment)], [f.name for f in fields(Change)]

    @dataclass(frozen=True)
    class NoSlots:
        kind: str = "x"  # a class attribute, no slot

    @dataclass(frozen=True, slots=True)
    class Checked:
        kind: str

        def __post_init__(self) -> None:
            pass

    try:
        with pytest.raises(TypeError):
            native.configure_builder(NoSlots, ["kind"], Change, native_fields[1])
        with pytest.raises(ValueError):
            native.configure_builder(Checked, ["kind"], Change, native_fields[1])
        with pytest.raises(AttributeError):
            native.configure_builder(Segment, ["nope"], Change, native_fields[1])
        with pytest.raises(RuntimeError):  # refused: nothing is built until configured again
            native.add_ops([], 0, 0, 0, "", "", [], [])
    finally:
        native.configure_builder(Segment, native_fields[0], Change, native_fields[1])
    segments: list[Segment] = []
    with pytest.raises(ValueError):
        native.add_ops([("equal", 0, 9, 0, 1)], 0, 0, 0, "ab", "ab", segments, [])
    with pytest.raises(TypeError):
        native.add_ops([("equal", 0, 1)], 0, 0, 0, "ab", "ab", segments, [])
    assert segments == []


def _bits(xs):
    return [struct.pack("<d", x) for x in xs]


@needs_native
@settings(max_examples=200, deadline=None)
@given(st.lists(texts, max_size=12), st.lists(texts, max_size=12), st.data())
def test_native_features_equal_python(left, right, data):
    lids = data.draw(
        st.lists(st.sampled_from(range(len(left))), unique=True) if left else st.just([])
    )
    rids = data.draw(
        st.lists(st.sampled_from(range(len(right))), unique=True) if right else st.just([])
    )
    fast = Features(left, right, lids, rids, native=True)
    slow = Features(left, right, lids, rids, native=False)
    assert fast.left == slow.left and fast.right == slow.right
    assert fast.weight.keys() == slow.weight.keys()  # (in another order: no order is meant)
    assert _bits(fast.weight[w] for w in slow.weight) == _bits(slow.weight.values())
    assert fast.df == slow.df
    assert _bits(fast.left_mass) == _bits(slow.left_mass)
    assert _bits(fast.right_mass) == _bits(slow.right_mass)
    assert fast.rank == slow.rank and _bits(fast.rank_weight) == _bits(slow.rank_weight)
    # similarities and containments, their common masses summed in C without the set
    for li in ([i] for i in lids):
        for ri in ([j] for j in rids):
            assert _bits([fast.sim(li, ri)]) == _bits([slow.sim(li, ri)])
            a, b = fast.left[li[0]], fast.right[ri[0]]
            assert _bits([fast.containment(a, b)]) == _bits([slow.containment(a, b)])
    if len(lids) > 1 and rids:
        assert _bits([fast.sim(lids[:2], rids[:1])]) == _bits([slow.sim(lids[:2], rids[:1])])


@needs_native
def test_native_features_equal_python_on_the_seed_pair_and_cjk():
    left, right = (load_article(p) for p in SEEDS)
    lt = [b.text for b in left.blocks] + ["東京で会議 was held", "ÉCOLE straße İstanbul ǅ"]
    rt = [b.text for b in right.blocks] + ["会議は東京で", "école STRASSE istanbul"]
    lids, rids = list(range(len(lt))), list(range(len(rt)))
    fast = Features(lt, rt, lids, rids, native=True)
    slow = Features(lt, rt, lids, rids, native=False)
    assert fast.left == slow.left and fast.right == slow.right
    assert _bits(fast.left_mass) == _bits(slow.left_mass)
    assert fast.weight == slow.weight and fast.df == slow.df
    sims = [(fast.sim([i], [j]), slow.sim([i], [j])) for i in lids for j in rids]
    assert _bits(a for a, _ in sims) == _bits(b for _, b in sims)
    assert any(a > 0 for a, _ in sims)
    with pytest.raises(TypeError):
        alignwords._native.common_mass([], frozenset(), {})


@needs_native
def test_native_features_reject_bad_arguments():
    native = alignwords._native
    with pytest.raises(IndexError):
        native.word_sets([(["a"], [3])], lambda t: [])
    with pytest.raises(TypeError):
        native.word_sets([([b"a"], [0])], lambda t: [])
    with pytest.raises(TypeError):
        native.word_sets([(["東京"], [0])], lambda t: [1])
    with pytest.raises(ZeroDivisionError):  # the fallback's errors pass through
        native.word_sets([(["東京"], [0])], lambda t: 1 / 0)
    (sets,), df = native.word_sets([(["alpha beta alpha", "Beta gamma"], [0, 1])], lambda t: [])
    assert sets == [frozenset({"alpha", "beta"}), frozenset({"beta", "gamma"})]
    assert df == {"alpha": 1, "beta": 2, "gamma": 1}
    first, second = ([w for w in found if w == "beta"][0] for found in sets)
    assert first is second  # one str per word
    with pytest.raises(TypeError):
        native.word_weights({"a": 1}, 10, ["not", "a", "set"])
    with pytest.raises(KeyError):
        native.masses([frozenset({"missing"})], {})
    with pytest.raises(TypeError):
        native.masses([["a"]], {"a": 1.0})


SPACES_AND_CONTROLS = (
    "".join(chr(c) for c in range(0x3100) if chr(c).isspace() or not chr(c).isprintable())
    + "a\n é\u00a0\u202f\u2007\u3000\u205f\u2028\u2029\U0001f600"
)


@needs_native
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SPACES_AND_CONTROLS, max_size=60) | st.text(max_size=60))
@example(" \x1f")  # a run of a space and an odd space
@example("a\u00a0 \t b")
def test_native_loading_passes_equal_the_expressions(text):
    native = alignwords._native
    assert native.drop_controls(text) == re.subn(_C0_CONTROL, "", text)
    assert native.count_controls(text) == len(re.findall(_C0_CONTROL, text))
    assert native.printable(text) is text.replace("\n", " ").isprintable()
    for odd in (True, False):
        assert native.collapse_spaces(text, odd) == _python_collapse(text, not odd)
    if native.nfc_sure(text):
        assert unicodedata.is_normalized("NFC", text)


@needs_native
def test_a_text_already_in_block_form_is_not_copied():
    # (one emoji makes a 1 MB text 4 MB: a copy is a thousand pages to fault in)
    text = "First paragraph 😀.\nSecond one.\nThird."
    assert loading.article_from_text(text, "a.txt").text is text
    spaced = "First paragraph 😀. \nSecond one.\n\nThird.\n"
    assert loading.article_from_text(spaced, "a.txt").text == text


@contextmanager
def _loading_without_extension() -> Iterator[None]:
    """loading's pure-Python paths (a context: hypothesis tests cannot use monkeypatch)."""
    saved, loading._native = loading._native, None
    try:
        yield
    finally:
        loading._native = saved


def _python_collapse(text: str, printable: bool) -> str:
    with _loading_without_extension():
        return loading._collapse(text, printable)


@needs_native
def test_native_loading_passes_on_every_code_point():
    native = alignwords._native
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    # one text in each of str's storage widths (1, 2 and 4 bytes a character)
    for text in ("".join(every[:256]), "".join(every[:0xD800]), "".join(every)):
        assert native.drop_controls(text) == re.subn(_C0_CONTROL, "", text)
        assert native.count_controls(text) == len(re.findall(_C0_CONTROL, text))
        for odd in (True, False):
            assert native.collapse_spaces(text, odd) == _python_collapse(text, not odd)
            # each character between letters, twice over (a run), after a space (a run)
            spaced = "a".join(text) + "a" + "".join(ch + ch + "a " + ch for ch in text)
            assert native.collapse_spaces(spaced, odd) == _python_collapse(spaced, not odd)
    for prefix in ("a", "\u0100", "\U0001f600"):  # each character alone, in each width
        expected = [(prefix + ch).replace("\n", " ").isprintable() for ch in every]
        assert [native.printable(prefix + ch) for ch in every] == expected
    clean = "plain text, no controls"
    assert native.collapse_spaces(clean, True) is clean  # nothing to change: the same object
    assert native.drop_controls(clean)[0] is clean
    with pytest.raises(TypeError):
        native.printable(b"bytes")


@needs_native
def test_nfc_sure_only_of_characters_that_stay_nfc_side_by_side():
    # nfc_sure(text) says "NFC" without unicodedata when every character is NFC, has no
    # combining class (nothing to reorder) and is not the second character of any
    # composition (nothing composes with it): a text of such characters is NFC.
    native = alignwords._native
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    # Hangul vowels and finals compose by algorithm, the others as their decompositions say
    seconds = {chr(c) for c in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))}
    for ch in every:
        parts = unicodedata.decomposition(ch).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    sure = [ch for ch in every if native.nfc_sure(ch)]
    for ch in sure:
        assert unicodedata.normalize("NFC", ch) == ch, hex(ord(ch))
        assert not unicodedata.combining(ch) and ch not in seconds, hex(ord(ch))
    assert {"a", "é", "ß", "\u2019", "\u2014", "\u20ac", "Ж", "\u200b", "\u2122"} <= set(sure)
    assert {"\u2265", "\u2705", "\U0001f44d", "\u4e2d", "\uac00"} <= set(sure)
    assert not {"\u0301", "\u2000", "\u0483", "\u212b", "\u11a8", "\u3099"} & set(sure)
    # a sample of pairs, composed for real
    sample = sure[:: max(1, len(sure) // 400)] + ["e", "\u1100", "\uac00", "="]
    for first in sample:
        assert all(unicodedata.normalize("NFC", first + ch) == first + ch for ch in sample)
    for prefix in ("a", "\u0100", "\U0001f600"):  # in each storage width
        assert native.nfc_sure(prefix + "é") is True
        assert native.nfc_sure(prefix + "e\u0301") is False
    assert native.nfc_sure("") is True


pair_lists = st.lists(
    st.tuples(
        st.sampled_from([0.5, 1.0, 0.25, 2.0, 0.1 + 0.2]) | st.floats(0.01, 5.0),
        st.integers(0, 12),
        st.integers(0, 12),
    ),
    max_size=40,
)


@needs_native
@settings(max_examples=400, deadline=None)
@given(pair_lists)
def test_native_heaviest_chain_equals_python(pairs):
    # ties of weight and repeated pairs included: the first heaviest chain, as Python's
    assert heaviest_chain(pairs, native=True) == heaviest_chain(pairs, native=False)


@needs_native
def test_native_heaviest_chain_refuses_bad_pairs():
    with pytest.raises(TypeError):
        alignwords._native.heaviest_chain([(1.0, 2)])
    assert alignwords._native.heaviest_chain([]) == set()


@needs_native
def test_quiet_clock_keeps_diff_match_patch_exact_and_its_deadline():
    # The C++ port's clock() import points at a clock read without a system call: the
    # same diffs as the pure-Python library, and a deadline still cuts a hard diff short.
    import sys

    import fast_diff_match_patch
    from diff_match_patch import diff_match_patch

    from viewer.core.native import native
    from viewer.core.worddiff import _fast_dmp

    assert native is not None
    assert _fast_dmp() is fast_diff_match_patch  # quiet_clock ran on first use
    if sys.platform == "linux":
        assert native.quiet_clock(fast_diff_match_patch.diff) >= 1  # the slot is found
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    for a, b in [("the cat sat", "a cat sat down"), ("abcdef" * 40, "abdcfe" * 40), ("", "x")]:
        ours = fast_diff_match_patch.diff(a, b, timelimit=0, checklines=False, cleanup="No")
        ref = [("-=+"[op + 1], text) for op, text in dmp.diff_main(a, b, False)]
        assert [(op, n) for op, n in ours] == [(op, len(t)) for op, t in ref]
    # No common subsequence is found for this pair within a microsecond: the port gives up
    # with "delete all, insert all", as it does with its own clock.
    a, b = "ab" * 20000 + "x", "ba" * 20000 + "y"
    cut = fast_diff_match_patch.diff(a, b, timelimit=1e-6, checklines=False, cleanup="No")
    assert sum(n for op, n in cut if op != "+") == len(a)
    assert sum(n for op, n in cut if op != "-") == len(b)


@needs_native
def test_quiet_clock_and_tune_malloc_refuse_or_report():
    from viewer.core.native import native

    assert native is not None
    with pytest.raises(TypeError):
        native.quiet_clock(len.__call__)  # not a built-in function
    assert native.quiet_clock(native.tune_malloc) == 0  # the extension imports no clock()
    assert isinstance(native.tune_malloc(), bool)


@needs_native
@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 10**6),
            st.integers(-5, 10**9),
            st.integers(-5, 10**9),
            st.text(max_size=20),
            st.sampled_from(["paragraph", "heading", "list_item", "quote"]),
            st.integers(0, 6),
            st.none()
            | st.builds(Extraneous, st.text(max_size=5), st.text(max_size=5), st.floats()),
        ),
        max_size=30,
    )
)
def test_instances_are_the_objects_the_dataclass_init_makes(rows):
    from viewer.core.native import field_names

    _BLOCK_FIELDS = field_names(Block)
    from viewer.core.native import native

    assert native is not None
    made = native.instances(Block, _BLOCK_FIELDS, rows)
    expected = [Block(*row) for row in rows]
    assert [type(b) for b in made] == [Block] * len(rows)
    assert [tuple(getattr(b, f) for f in _BLOCK_FIELDS) for b in made] == [
        tuple(getattr(b, f) for f in _BLOCK_FIELDS) for b in expected
    ]
    for b, row in zip(made, rows, strict=True):
        assert all(getattr(b, f) is v for f, v in zip(_BLOCK_FIELDS, row, strict=True))
        assert b == Block(*row) and hash(b) == hash(Block(*row))
        with pytest.raises(FrozenInstanceError):
            b.text = "changed"  # type: ignore[misc]


@needs_native
def test_instances_refuse_what_they_cannot_make_like_init():
    from viewer.core.native import field_names

    _BLOCK_FIELDS = field_names(Block)
    from viewer.core.native import native

    assert native is not None

    @dataclass(frozen=True)
    class NoSlots:
        a: int = 0  # a class attribute, not a slot

    @dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            raise ValueError

    with pytest.raises(TypeError):
        native.instances(NoSlots, ["a"], [(1,)])
    with pytest.raises(ValueError):
        native.instances(Checked, ["a"], [(1,)])
    with pytest.raises(TypeError):
        native.instances(Block, _BLOCK_FIELDS, [(1, 2, 3)])  # a value for every field
    assert native.instances(Block, _BLOCK_FIELDS, []) == []


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 10**6),
            st.sampled_from(["insert", "delete", "replace", "move"]),
            st.integers(0, 10**6),
            st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)),
            st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)),
            st.text(max_size=20),
            st.text(max_size=20),
        ),
        max_size=30,
    )
)
def test_records_are_the_fields_as_to_json_gives_them(rows):
    from viewer.core import native as native_module

    changes = [Change(*row) for row in rows]
    made = native_module.records(Change, changes)
    # the same JSON, keys in the same order (spans stay tuples: JSON arrays all the same)
    expected = [c.to_json() for c in changes]
    assert orjson.dumps(made) == orjson.dumps(expected)
    assert json.dumps(made) == json.dumps(expected)
    for record, change in zip(made, changes, strict=True):
        assert record["left"] is change.left and record["left_text"] is change.left_text


def test_records_without_the_extension_are_the_same(monkeypatch):
    from viewer.core import native as native_module

    changes = [
        Change(0, "replace", 3, (1, 2), (1, 4), "a", "bcd"),
        Change(1, "insert", 4, (5, 5), (7, 9), "", "xy"),
    ]
    made = native_module.records(Change, changes)
    monkeypatch.setattr(native_module, "native", None)
    assert native_module.records(Change, changes) == made


@needs_native
def test_records_refuse_other_objects():
    from viewer.core.native import field_names, native

    assert native is not None
    with pytest.raises(TypeError):
        native.records(Change, field_names(Change), [Segment("equal", 0, (0, 0), (0, 0))])
    with pytest.raises(TypeError):
        native.records(Change, field_names(Change), None)
    assert native.records(Change, field_names(Change), ()) == []


def test_instances_helper_gives_the_same_objects_with_or_without_the_extension(monkeypatch):
    from viewer.core import native as native_module
    from viewer.core.model import AlignmentGroup

    rows = [(0, (0,), (0, 1), "split", 0.5, False), (1, (), (2,), "unmatched", 0.0, False)]
    made = native_module.instances(AlignmentGroup, rows)
    monkeypatch.setattr(native_module, "native", None)
    assert (
        native_module.instances(AlignmentGroup, rows)
        == made
        == [AlignmentGroup(*row) for row in rows]
    )


@needs_native
def test_lower_is_str_lower_on_every_code_point():
    native = alignwords._native
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for prefix in ("A", "\u0100", "\U0001f600"):  # in each storage width
        for ch in every:
            text = prefix + ch
            assert native.lower(text) == text.lower(), hex(ord(ch))
    # the narrowest storage: the Kelvin sign's lower case is ASCII, and hashes as such
    assert native.lower("\u212a").isascii() and hash(native.lower("\u212a")) == hash("k")
    with pytest.raises(TypeError):
        native.lower(b"bytes")


@needs_native
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aAzZ \u0130\u03a3\u03c3\u00c9\u212a\U00010400.", max_size=20) | st.text())
@example("ΟΔΟΣ ΟΔΟΣ.")  # final sigma, by context
@example("İstanbul")  # two characters in lower case
def test_lower_is_str_lower_in_context(text):
    from viewer.core.native import lower

    assert alignwords._native.lower(text) == text.lower() == lower(text)


@needs_native
@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=6),
        st.sampled_from([0.3, 1.25, 2.5, 2.5000000000000004]) | st.floats(0.01, 50),
        max_size=60,
    )
)
def test_rank_words_is_the_sorted_probe_order(weights):
    native = alignwords._native
    rarest = sorted(zip(map(float.__neg__, weights.values()), weights, strict=True))
    rank, rank_weight = native.rank_words(weights)
    assert list(rank.items()) == [(w, k) for k, (_, w) in enumerate(rarest)]
    assert rank_weight == [-neg for neg, _ in rarest]
    with pytest.raises(TypeError):
        native.rank_words({"a": 1})  # weights are floats


@needs_native
@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-(2**63), 2**63 - 1),
            st.text(max_size=8),
            st.integers(0, 10**12),
            st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)),
            st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)),
            st.text(max_size=30),  # any code point, lone surrogates included
            st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=30),
        ),
        max_size=20,
    )
)
def test_records_json_is_what_orjson_writes_of_the_records(rows):
    from viewer.core.native import field_names, native, records

    changes = [Change(*row) for row in rows]
    try:
        expected = orjson.dumps(records(Change, changes))
    except orjson.JSONEncodeError:  # a lone surrogate: refused both ways
        with pytest.raises(ValueError):
            native.records_json(Change, field_names(Change), changes)
        return
    assert native.records_json(Change, field_names(Change), changes) == expected


@needs_native
def test_records_json_refuses_what_it_does_not_write():
    from viewer.core.native import field_names, native

    names = field_names(Change)
    for odd in (1e-05, float("nan"), float("inf")):  # orjson writes these otherwise: its job
        with pytest.raises(TypeError):
            native.records_json(Change, names, [Change(0, "insert", 1, (0, 0), (0, odd), "", "x")])
    with pytest.raises(TypeError):  # a value JSON has no form for
        native.records_json(Change, names, [Change(0, "insert", 1, (0, 0), {0, 1}, "", "x")])
    with pytest.raises(OverflowError):  # beyond 64 bits
        native.records_json(Change, names, [Change(2**70, "insert", 1, (0, 0), (0, 1), "", "x")])
    with pytest.raises(TypeError):
        native.records_json(Change, names, [Segment("equal", 0, (0, 0), (0, 0))])
    lone = [Change(0, "insert", 1, (0, 0), (0, 1), "", "\ud800")]  # orjson refuses it too
    with pytest.raises(ValueError):
        native.records_json(Change, names, lone)
    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps(lone)
    assert native.records_json(Change, names, []) == b"[]"


@needs_native
def test_records_json_rounds_floats_as_round_does():
    from viewer.core.model import AlignmentGroup
    from viewer.core.native import field_names, native, records

    groups = [
        AlignmentGroup(k, (k,), (k,), "changed", s, False)
        for k, s in enumerate([0.0, 1.0, 0.5, 0.1234567, 0.0005, 0.0015, 0.9995, 2 / 3, 0.12345])
    ]
    expected = [
        {**r, "similarity": round(r["similarity"], 3)} for r in records(AlignmentGroup, groups)
    ]
    written = native.records_json(AlignmentGroup, field_names(AlignmentGroup), groups, (), None, 3)
    assert written == orjson.dumps(expected)


# JSON values of the shapes the document holds: texts with any code point, 64-bit ints,
# floats of every size (orjson and repr part ways on exponents: refused, then), nesting.
_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


@needs_native
@settings(max_examples=400, deadline=None)
@given(_json_values, st.booleans())
@example(['\x00\x1f\x7f"\\/\u2028\U0001f600', 0.1, -0.0, 1e16, 1e-05, 123.0], True)
def test_dumps_writes_what_orjson_writes(value, newline):
    from viewer.core.native import native

    option = orjson.OPT_APPEND_NEWLINE if newline else 0
    try:
        expected = orjson.dumps(value, option=option)
    except orjson.JSONEncodeError:  # a lone surrogate: refused both ways
        with pytest.raises(ValueError):
            native.dumps(value, newline)
        return
    try:
        written = native.dumps(value, newline)
    except TypeError:  # only what orjson writes otherwise than repr: an exponent
        assert "e" in repr(value) or "E" in repr(value)
        return
    assert written == expected
    assert json.loads(written) == json.loads(expected)


@needs_native
def test_dumps_writes_bytes_as_fragments_and_refuses_the_rest():
    from viewer.core.native import native

    parts = {"a": [1, 2], "b": "x", "c": [{"d": None}]}
    fragments = {k: native.dumps(v) for k, v in parts.items()}
    assert native.dumps(fragments, True) == orjson.dumps(
        {k: orjson.Fragment(v) for k, v in fragments.items()}, option=orjson.OPT_APPEND_NEWLINE
    )
    assert native.dumps(fragments) == orjson.dumps(parts)
    large = native.dumps(list(range(20000)))  # a fragment of 64 KiB or more: its own part
    document = {"small": fragments["a"], "large": large, "after": [large, "x"]}
    written = native.dumps(document, True, True)
    assert b"".join(written) == native.dumps(document, True)
    assert [part is large for part in written] == [False, True, False, True, False]
    assert native.dumps({"a": 1}, False, True) == [b'{"a":1}']
    for odd in ({1: "int key"}, {"set": {1}}, float("nan"), [object()]):
        with pytest.raises(TypeError):
            native.dumps(odd)
    deep: list[object] = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(TypeError):  # nested beyond any document's depth
        native.dumps(deep)
    with pytest.raises(OverflowError):
        native.dumps(2**64)


@needs_native
@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 10**6),
            st.integers(0, 10**9),
            st.integers(0, 10**9),
            st.text(max_size=20),
            st.sampled_from(["paragraph", "heading", "list_item", "quote"]),
            st.integers(0, 6),
            st.none()
            | st.builds(Extraneous, st.text(max_size=5), st.text(max_size=5), st.floats(0, 1)),
        ),
        max_size=20,
    )
)
def test_blocks_written_in_c_are_what_orjson_writes(rows):
    # "level" left out where it is 0, verdicts written by the default given
    from viewer.core import jsonout

    blocks = [Block(*row) for row in rows]
    assert jsonout._blocks_written(blocks) == orjson.dumps(jsonout._blocks_json(blocks))


@needs_native
@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.text(alphabet=" \t\u00a0\u2009\x1fab.-é", max_size=12), max_size=12).map(
        "\n".join
    )
    | st.text(alphabet="ab \n", max_size=60)
)
@example(text="one line\n")
@example(text="line one 😀\nline two")  # already joined as its blocks: used as it is
@example(text="para one\n\npara two\n\npara three")  # blank lines, one line each: not wrapped
@example(text=("a wrapped line that goes on and on for a while\n" * 3 + "\n") * 3)  # wrapped
def test_plain_text_blocks_in_c_are_the_python_ones(text):
    fast = loading.article_from_text(text, "a.txt")
    with _loading_without_extension():
        slow = loading.article_from_text(text, "a.txt")
    assert fast == slow
    assert [type(b) for b in fast.blocks] == [Block] * len(fast.blocks)
