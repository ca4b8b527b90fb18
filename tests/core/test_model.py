"""The frozen model: helpers that copy blocks keep every field."""

from dataclasses import fields

from viewer.core.model import Block, Extraneous


def test_with_extraneous_keeps_every_other_field():
    values = {
        "id": 3,
        "start": 10,
        "end": 20,
        "text": "0123456789",
        "kind": "heading",
        "level": 2,
        "extraneous": None,
    }
    assert {f.name for f in fields(Block)} == set(values), (
        "a new Block field: update with_extraneous"
    )
    block = Block(**values)
    verdict = Extraneous("teaser", "cut-off teaser ending in '…'", 0.9)
    copy = block.with_extraneous(verdict)
    for name, value in values.items():
        assert getattr(copy, name) == (verdict if name == "extraneous" else value)
    assert copy.with_extraneous(None) == block


def test_with_verdicts_keeps_unflagged_blocks_and_checks_the_count():
    import pytest

    from viewer.core.loading import article_from_text

    art = article_from_text("One.\nTwo.\nThree.")
    verdict = Extraneous("share", "share: 'Share'", 0.9)
    flagged = art.with_verdicts([None, verdict, None])
    assert flagged.blocks[0] is art.blocks[0] and flagged.blocks[2] is art.blocks[2]
    assert flagged.blocks[1] == art.blocks[1].with_extraneous(verdict)
    assert flagged.with_verdicts([None] * 3).blocks == art.blocks  # a verdict taken back
    with pytest.raises(ValueError):
        art.with_verdicts([None])
