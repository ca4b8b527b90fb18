"""Word-level diff: whole words, options, offsets in code points, no shredding."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core.model import CompareOptions
from viewer.core.worddiff import count_words, diff_words, run_dmp, tokenize


def pieces(left: str, right: str, options: CompareOptions | None = None):
    return [
        (op.kind, left[op.left[0] : op.left[1]], right[op.right[0] : op.right[1]])
        for op in diff_words(left, right, options)
    ]


def changes(left: str, right: str, options: CompareOptions | None = None):
    return [p for p in pieces(left, right, options) if p[0] != "equal"]


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("Zelensky stated Sunday", "Zelensky said Sunday", [("replace", "stated", "said")]),
        ("the dog barked", "the duck barked", [("replace", "dog", "duck")]),
        ("soldiers captured", "soldiers recorded", [("replace", "captured", "recorded")]),
        ("held in Russia.", "held captive in Russia.", [("insert", "", "captive ")]),
        ("a very big cat", "a big cat", [("delete", "very ", "")]),
    ],
)
def test_changes_read_as_whole_words(left, right, expected):
    assert changes(left, right) == expected


def test_identical_and_empty_texts():
    assert pieces("same text", "same text") == [("equal", "same text", "same text")]
    assert pieces("", "new") == [("insert", "", "new")]
    assert pieces("old", "") == [("delete", "old", "")]
    assert diff_words("", "") == []


@pytest.mark.parametrize(
    ("left", "right", "options"),
    [
        ("The Cat sat", "the cat sat", CompareOptions(ignore_case=True)),
        ("Hello, world!", "Hello world", CompareOptions(ignore_punctuation=True)),
        ("it’s “quoted” – here", 'it\'s "quoted" - here', CompareOptions(fold_typography=True)),
    ],
)
def test_options_make_ignored_differences_equal(left, right, options):
    assert changes(left, right) != []
    assert changes(left, right, options) == []


def test_whitespace_amount_is_never_a_change():
    assert changes("a  b", "a b") == []


def test_emoji_offsets_are_code_points():
    left = "Hello 😀 world, the cat sat."
    right = "Hello 😀 world, the dog sat."
    ops = [op for op in diff_words(left, right) if op.kind != "equal"]
    assert len(ops) == 1
    assert ops[0].left == (19, 22)  # the code-point index the prior-art note gives
    assert left[19:22] == "cat" and right[ops[0].right[0] : ops[0].right[1]] == "dog"


def test_scripts_without_spaces_are_tokenised_per_character():
    assert tokenize("我爱北京") == ["我", "爱", "北", "京"]
    assert changes("我爱北京天安门", "我爱上海天安门") == [("replace", "北京", "上海")]
    assert count_words("日本語のテキスト") == 8


def test_combining_accents_stay_inside_their_word():
    decomposed = "cafe\u0301 noir"
    assert tokenize(decomposed)[0] == "cafe\u0301"
    assert count_words(decomposed) == 2


def test_unrelated_sentences_are_one_replacement_not_confetti():
    left = "The minister said on Monday that the budget of the city would rise."
    right = "Fans of the team gathered in the square to celebrate the win of the cup."
    assert [p[0] for p in pieces(left, right)] == ["replace"]


def test_accelerated_and_reference_dmp_agree():
    a = "".join(chr(0x100 + (i * 7) % 40) for i in range(300))
    b = "".join(chr(0x100 + (i * 11) % 40) for i in range(280))
    assert run_dmp(a, b, accelerated=True) == run_dmp(a, b, accelerated=False)


def test_result_does_not_depend_on_the_hash_seed(seed_paths):
    import subprocess
    import sys

    outputs = set()
    for seed in ("0", "1", "12345"):
        proc = subprocess.run(
            [sys.executable, "-m", "viewer", *map(str, seed_paths), "--json", "-"],
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(proc.stdout)
    assert len(outputs) == 1


def test_token_codes_avoid_whitespace_and_ascii():
    from viewer.core.worddiff import _code

    codes = [_code(n) for n in (0, 1, 6591, 6592, 27583, 27584, 900_000)]
    assert all(not c.isspace() and ord(c) > 127 for c in codes)
    assert len(set(codes)) == len(codes)


@given(
    st.lists(
        st.sampled_from(["the", "cat", " ", ",", "sat", "dog", "mat", " ", "on"]), max_size=60
    ),
    st.lists(
        st.sampled_from(["the", "cat", " ", ".", "sat", "duck", "mat", " ", "in"]), max_size=60
    ),
)
@settings(max_examples=300, deadline=None)
def test_accelerated_and_reference_dmp_agree_on_encoded_tokens(left, right):
    from viewer.core.worddiff import _Encoder

    enc = _Encoder(CompareOptions())
    a, b = enc.encode(left), enc.encode(right)
    assert run_dmp(a, b, accelerated=True) == run_dmp(a, b, accelerated=False)


def _reference_encode(token_lists, options):
    """The encoder as first written: one token at a time."""
    from viewer.core.worddiff import _code, token_key

    codes, out = {" ": " "}, []
    for tokens in token_lists:
        for tok in tokens:
            key = token_key(tok, options)
            if key not in codes:
                codes[key] = _code(len(codes) - 1)
        out.append("".join(codes[token_key(t, options)] for t in tokens))
    return out


@given(
    st.lists(
        st.lists(st.sampled_from(["The", "the", " ", "  ", "\n", "’", "'", "—", "-", "É", "é"]))
    ),
    st.builds(CompareOptions, st.booleans(), st.booleans(), st.booleans()),
)
@settings(max_examples=300, deadline=None)
def test_encoder_gives_codes_in_order_of_first_appearance(token_lists, options):
    from viewer.core.worddiff import _Encoder

    enc = _Encoder(options)
    assert [enc.encode(tokens) for tokens in token_lists] == _reference_encode(token_lists, options)


def test_encoder_runs_past_the_first_block_of_codes():
    from viewer.core.worddiff import _Encoder

    tokens = [f"w{i}" for i in range(7000)]
    options = CompareOptions()
    enc = _Encoder(options)
    assert [enc.encode(tokens[:6000]), enc.encode(tokens)] == _reference_encode(
        [tokens[:6000], tokens], options
    )
