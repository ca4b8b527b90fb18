"""Tokens and word counts: the fast paths agree with the full regular expressions."""

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core.tokens import (
    WordCounter,
    char_class,
    count_words,
    is_insignificant,
    plain_words,
    token_re,
    tokenize,
    word_classes,
    word_keys,
    word_re,
    words,
)

# The definitions, written out as they were before the fast paths existed.
NOSPACE = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fff\u3040-\u30ff\u3100-\u312f"
    "\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0dff\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe20-\ufe2f"
)
WORD = rf"(?:[^\W{NOSPACE}]|[{MARKS}])+"
REF_TOKEN = re.compile(rf"{WORD}|[{NOSPACE}]|\s+|.", re.DOTALL)
REF_WORD = re.compile(rf"{WORD}|[{NOSPACE}]")
REF_NOSPACE = re.compile(f"[{NOSPACE}]")
REF_PUNCT_ONLY = re.compile(rf"(?:\s|[^\w{MARKS}])*")

# Characters that exercise every path: ASCII, Latin-1 letters and punctuation, typography,
# combining marks and joiners, scripts without spaces (BMP and astral), emoji, casefolding.
ALPHABET = (
    "ab Z_9 \t\n.,'’“é\u0301\u0e01\u0e3f日本語😀\u200c\u0670\u00a0\u2009İß-—…\u0483\U00020001\ufe20"
)
texts = st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=60)


def test_patterns_are_the_written_out_definitions():
    assert token_re().pattern == REF_TOKEN.pattern
    assert word_re().pattern == REF_WORD.pattern


def test_character_classes_agree_with_the_patterns_on_every_code_point():
    chars = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    nospace = set(REF_NOSPACE.findall(chars))
    word = set(re.findall(rf"[^\W{NOSPACE}]|[{MARKS}]", chars))
    expected = "".join("n" if c in nospace else "a" if c in word else " " for c in chars)
    assert word_classes(chars) == expected
    marks = set(re.findall(f"[{MARKS}]", chars))
    assert {c for c in chars if char_class(c) == "m"} == marks


@given(texts)
@settings(max_examples=400, deadline=None)
def test_tokens_and_words_agree_with_the_full_patterns(text):
    assert tokenize(text) == REF_TOKEN.findall(text)
    assert count_words(text) == len(REF_WORD.findall(text))
    assert words(text) == REF_WORD.findall(text)
    assert plain_words(text) == re.findall(r"\w+", text)
    folded = text.casefold()
    expected = (
        REF_WORD.findall(folded) if REF_NOSPACE.search(folded) else re.findall(r"\w+", folded)
    )
    assert word_keys(text) == expected
    assert is_insignificant(text) == (REF_PUNCT_ONLY.fullmatch(text) is not None)


@given(texts, st.data())
@settings(max_examples=400, deadline=None)
def test_word_counter_counts_any_slice_like_the_slice_itself(text, data):
    counter = WordCounter(word_classes(text))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert counter.count(start, end) == len(REF_WORD.findall(text[start:end]))
