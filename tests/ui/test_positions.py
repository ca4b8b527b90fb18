import pytest

from viewer.core.model import Block
from viewer.ui.positions import PositionMap


def blocks_of(text):
    out, start = [], 0
    for i, part in enumerate(text.split("\n")):
        out.append(Block(i, start, start + len(part), part))
        start += len(part) + 1
    return out


TEXT = "Hello 😀 world, the cat sat.\nSecond 👍🏽 para 𝔸 end\nThird"


def test_prior_art_example_cat_is_at_utf16_20():
    blocks = blocks_of(TEXT)
    pm = PositionMap(TEXT, blocks)
    cat = TEXT.index("cat")
    assert cat == 19
    assert pm.locate(cat) == (0, 20)
    assert pm.locate(cat) == (0, len(TEXT[:cat].encode("utf-16-le")) // 2)


@pytest.mark.parametrize("word", ["Second", "para", "end", "Third", "sat."])
def test_locate_matches_utf16_encoding(word):
    blocks = blocks_of(TEXT)
    pm = PositionMap(TEXT, blocks)
    offset = TEXT.index(word)
    index, utf16 = pm.locate(offset)
    block = blocks[index]
    assert len(TEXT[block.start : offset].encode("utf-16-le")) // 2 == utf16


def test_split_across_blocks_and_emoji():
    blocks = blocks_of(TEXT)
    pm = PositionMap(TEXT, blocks)
    start = TEXT.index("sat")
    end = TEXT.index("para")
    parts = list(pm.split((start, end)))
    # "sat." in block 0, then "Second 👍🏽 " in block 1 (skin-tone emoji: 2 code points, 4 units).
    assert parts == [(0, 24, 4), (1, 0, len("Second 👍🏽 ".encode("utf-16-le")) // 2)]


def test_hidden_blocks_are_skipped():
    blocks = blocks_of(TEXT)
    pm = PositionMap(TEXT, [blocks[0], blocks[2]])
    assert pm.locate(TEXT.index("para")) is None
    assert pm.locate(TEXT.index("Third")) == (1, 0)
    assert list(pm.split((0, len(TEXT)))) == [(0, 0, 28), (1, 0, 5)]


def test_empty_span_yields_nothing():
    blocks = blocks_of(TEXT)
    assert list(PositionMap(TEXT, blocks).split((3, 3))) == []


@pytest.mark.parametrize("word", ["Hello", "world", "cat", "Second", "para", "end", "Third"])
def test_offset_inverts_locate(word):
    blocks = blocks_of(TEXT)
    pm = PositionMap(TEXT, blocks)
    offset = TEXT.index(word)
    assert pm.offset(*pm.locate(offset)) == offset


def test_offset_inside_surrogate_pair_rounds_down():
    blocks = blocks_of(TEXT)
    pm = PositionMap(TEXT, blocks)
    emoji = TEXT.index("😀")
    assert pm.offset(0, emoji + 1) == emoji  # the low surrogate's position
