"""Invariants of the engine over random article pairs (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.core.compare import compare
from viewer.core.loading import article_from_text
from viewer.core.model import CompareOptions, Comparison
from viewer.core.worddiff import tokenize

WORDS = [
    "the",
    "soldiers",
    "captured",
    "recorded",
    "said",
    "stated",
    "Kyiv",
    "Zelensky",
    "naïve",
    "café",
    "😀",
    "👍🏽",
    "日本",
    "語",
    "مرحبا",
    "שלום",
    "e\u0301",
    "“quoted”",
    "–",
    ",",
    ".",
    "2025",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "war",
    "peace",
    "North",
    "Korean",
]

paragraph = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)
article = st.lists(paragraph, min_size=1, max_size=8)


@st.composite
def article_pairs(draw):
    left = draw(article)
    right = []
    for para in left:
        action = draw(st.sampled_from(["keep", "keep", "rewrite", "drop", "merge", "dup"]))
        if action == "keep":
            right.append(para)
        elif action == "rewrite":
            right.append(draw(paragraph) + " " + para)
        elif action == "merge" and right:
            right[-1] = right[-1] + " " + para
        elif action == "dup":
            right.extend([para, draw(paragraph)])
    right.extend(draw(st.lists(paragraph, max_size=2)))
    if not right:
        right = [draw(paragraph)]
    if draw(st.booleans()):
        right = right[::-1]
    return "\n".join(left), "\n".join(right)


options = st.builds(CompareOptions, st.booleans(), st.booleans(), st.booleans())
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rebuild(comparison: Comparison, is_left: bool) -> str:
    """Concatenate each side's segment texts in text order, with block separators."""
    art = comparison.left if is_left else comparison.right
    spans = sorted({s.left if is_left else s.right for s in comparison.segments})
    out, pos = [], 0
    for a, b in spans:
        if b == a:
            continue
        assert a >= pos, "segments overlap"
        gap = art.text[pos:a]
        assert set(gap) <= {"\n"}, f"text not covered by any segment: {gap!r}"
        out.append(gap)
        out.append(art.text[a:b])
        pos = b
    out.append(art.text[pos:])
    assert set(art.text[pos:]) <= {"\n"}
    return "".join(out)


@SETTINGS
@given(article_pairs(), options)
def test_segments_rebuild_both_texts(pair, opts):
    c = compare(article_from_text(pair[0]), article_from_text(pair[1]), opts)
    assert _rebuild(c, True) == c.left.text
    assert _rebuild(c, False) == c.right.text
    if opts == CompareOptions():
        for s in c.segments:
            if s.kind == "equal":
                a = c.left.text[s.left[0] : s.left[1]]
                b = c.right.text[s.right[0] : s.right[1]]
                assert a.split() == b.split()  # the amount and kind of whitespace is ignored


@SETTINGS
@given(article_pairs())
def test_changes_are_the_non_equal_segments_plus_moves(pair):
    c = compare(article_from_text(pair[0]), article_from_text(pair[1]))
    diffs = [(s.kind, s.left, s.right) for s in c.segments if s.kind != "equal"]
    assert [(ch.kind, ch.left, ch.right) for ch in c.changes if ch.kind != "move"] == diffs
    assert [ch.id for ch in c.changes] == list(range(len(c.changes)))
    moved_groups = {g.id for g in c.groups if g.moved}
    assert {ch.group for ch in c.changes if ch.kind == "move"} == moved_groups


@SETTINGS
@given(article_pairs(), st.booleans())
def test_every_block_in_exactly_one_group(pair, hide):
    left, right = article_from_text(pair[0]), article_from_text(pair[1])
    c = compare(left, right, CompareOptions(hide_extraneous=hide))
    assert sorted(i for g in c.groups for i in g.left) == list(range(len(left.blocks)))
    assert sorted(j for g in c.groups for j in g.right) == list(range(len(right.blocks)))
    assert [g.id for g in c.groups] == list(range(len(c.groups)))
    for g in c.groups:  # a group's blocks are neighbours: its text is one span
        for ids in (g.left, g.right):
            assert list(ids) == list(range(ids[0], ids[0] + len(ids))) if ids else True


def _token_bounds(text: str) -> set[int]:
    bounds, pos = {0}, 0
    for tok in tokenize(text):
        pos += len(tok)
        bounds.add(pos)
    return bounds


@SETTINGS
@given(article_pairs())
def test_offsets_land_on_whole_tokens_with_non_bmp_text(pair):
    c = compare(article_from_text(pair[0]), article_from_text(pair[1]))
    lb = _token_bounds(c.left.text)
    rb = _token_bounds(c.right.text)
    for ch in c.changes:
        assert ch.left_text == c.left.text[ch.left[0] : ch.left[1]]
        assert ch.right_text == c.right.text[ch.right[0] : ch.right[1]]
        assert ch.left[0] in lb and ch.left[1] in lb
        assert ch.right[0] in rb and ch.right[1] in rb


def test_emoji_before_a_change_does_not_shift_it():
    left = article_from_text("Hello 😀 world, the cat sat.")
    right = article_from_text("Hello 😀 world, the dog sat.")
    (change,) = compare(left, right).changes
    assert (change.left_text, change.right_text) == ("cat", "dog")
    assert change.left == (19, 22)
