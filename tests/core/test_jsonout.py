"""The article-diff/1 document: blocks, groups and changes written as their to_json, by
orjson and by the json fallback alike (the writer builds them from dicts made in C)."""

import json
from dataclasses import replace

from viewer.core.compare import compare, compare_files
from viewer.core.extraneous import annotate_pair
from viewer.core.jsonout import blocks_json, comparison_json, encode_comparison, encode_line
from viewer.core.loading import article_from_text


def _reference(c):
    """The document as the model's to_json methods write it, one object at a time."""

    def side(a):
        return {
            "path": a.path,
            "encoding": a.encoding,
            "format": a.format,
            "warnings": list(a.warnings),
            "blocks": [b.to_json() for b in a.blocks],
        }

    return {
        "format": "article-diff/1",
        "options": c.options.to_json(),
        "left": side(c.left),
        "right": side(c.right),
        "alignment": [g.to_json() for g in c.groups],
        "changes": [change.to_json() for change in c.changes],
        "stats": c.stats.to_json(),
    }


def _same_json(doc, reference):
    # equal values, and keys in the same order everywhere
    assert doc == reference
    assert json.dumps(doc) == json.dumps(reference)


def test_the_document_is_the_to_json_of_its_parts(seed_paths):
    c = compare_files(*seed_paths)
    assert any(b.extraneous for b in c.right.blocks)  # verdicts written as their JSON
    doc = json.loads(encode_line(comparison_json(c)))
    _same_json(doc, _reference(c))
    # A path orjson refuses (surrogate escapes) goes through json.dumps: the same document.
    odd = replace(c, left=replace(c.left, path="caf\udce9.txt"))
    fallback = json.loads(encode_line(comparison_json(odd)))
    assert fallback["left"]["path"] == "caf\udce9.txt"
    fallback["left"]["path"] = doc["left"]["path"]
    _same_json(fallback, doc)


def test_levels_and_kinds_of_markdown_blocks_are_written(seed_paths):
    text = "# Title\n\nA paragraph.\n\n- one\n  - nested\n\n> quoted\n\nShare this article"
    left = article_from_text(text, "a.md", "markdown")
    right = article_from_text(text.replace("paragraph", "passage"), "b.md", "markdown")
    left, right = annotate_pair(left, right)
    c = compare(left, right)
    assert {b.level for b in c.left.blocks} - {0}  # some blocks have a level
    doc = json.loads(encode_line(comparison_json(c)))
    _same_json(doc, _reference(c))
    line = json.loads(encode_line(blocks_json(left)))
    assert line["blocks"] == [b.to_json() for b in left.blocks]
    assert encode_comparison(c) == encode_line(comparison_json(c))  # levels and verdicts


def test_the_command_lines_encoding_gives_the_same_bytes(seed_paths, monkeypatch):
    # encode_comparison writes the changes in C (an orjson fragment): byte for byte what
    # encode_line writes of comparison_json, with the extension and without it, and for a
    # path only the json fallback can write.
    from viewer.core import jsonout

    c = compare_files(*seed_paths)
    assert encode_comparison(c) == encode_line(comparison_json(c))
    odd = replace(c, left=replace(c.left, path="caf\udce9.txt"))
    assert encode_comparison(odd) == encode_line(comparison_json(odd))
    tricky = replace(c, changes=(replace(c.changes[0], left_text='"\\\x01\x7f\u2028\U0001f600'),))
    assert encode_comparison(tricky) == encode_line(comparison_json(tricky))
    monkeypatch.setattr(jsonout, "native", None)
    assert encode_comparison(c) == encode_line(comparison_json(c))


def test_groups_and_changes_written_early_give_the_same_bytes(seed_paths, monkeypatch, tmp_path):
    # the command line writes the groups and changes while detection may still run
    from viewer.core import compare as compare_module
    from viewer.core.jsonout import Early

    monkeypatch.setattr(compare_module, "PARALLEL_MIN_BYTES", 0)  # fork even for the seeds
    for detect_in in ("here", "fork"):
        early = Early()
        c = compare_files(*seed_paths, detect_in=detect_in, meanwhile=early.write)
        assert early.groups is c.groups and early.changes is c.changes
        assert encode_comparison(c, early) == encode_line(comparison_json(c))
        # the blocks' JSON is used where no verdict changed a block since it was written:
        # here, where detection ran first; forked, the seeds' verdicts came after
        assert (early.blocks_of(1, c.right.blocks) is not None) == (detect_in == "here")
    other = replace(c, changes=c.changes[:1])  # (a session may change a comparison)
    assert encode_comparison(other, early) == encode_line(comparison_json(other))
    # a pair in which detection finds nothing: the blocks written early are the JSON's
    plain = [tmp_path / "a.txt", tmp_path / "b.txt"]
    said = (
        "The minister {} on Tuesday that the new budget would cut spending on roads and "
        "schools across the country.\nOpposition leaders called the plan reckless and "
        "promised to fight it in parliament next week.\n"
    )
    plain[0].write_text(said.format("said"), encoding="utf-8")
    plain[1].write_text(said.format("stated"), encoding="utf-8")
    early = Early()
    c = compare_files(*plain, detect_in="fork", meanwhile=early.write)
    assert not any(b.extraneous for a in (c.left, c.right) for b in a.blocks)
    assert early.blocks_of(0, c.left.blocks) is not None
    assert encode_comparison(c, early) == encode_line(comparison_json(c))
