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
