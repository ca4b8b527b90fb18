"""Statistics counted on class strings equal word counts of the texts themselves."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_properties import article_pairs
from tests.core.test_tokens import REF_WORD
from viewer.core.compare import compare
from viewer.core.loading import article_from_text


def count_words(text):
    return len(REF_WORD.findall(text))


def _reference_side(c, is_left):
    """Word counts of one side the plain way: the word regex on every block and segment text."""
    art = c.left if is_left else c.right
    words = [count_words(b.text) for b in art.blocks]
    kinds = Counter()
    for s in c.segments:
        a, b = s.left if is_left else s.right
        if b > a and s.kind != "equal":
            kinds[s.kind] += count_words(art.text[a:b])
    hidden = sum(
        sum(words[i] for i in (g.left if is_left else g.right))
        for g in c.groups
        if g.relation == "hidden"
    )
    changed = kinds["delete" if is_left else "insert"]
    return sum(words), sum(words) - hidden - changed - kinds["replace"], changed, kinds["replace"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_pairs(), st.booleans())
def test_side_counts_match_counting_each_text(pair, ignore_case):
    from viewer.core.model import CompareOptions

    c = compare(article_from_text(pair[0]), article_from_text(pair[1]), CompareOptions(ignore_case))
    for is_left, side in ((True, c.stats.left), (False, c.stats.right)):
        expected = _reference_side(c, is_left)
        assert (side.words, side.equal, side.changed, side.replaced) == expected
