"""The article-diff/1 document: changes written by orjson as their to_json, in both writers."""

import json
from dataclasses import replace

from viewer.core.compare import compare_files
from viewer.core.jsonout import comparison_json, encode_line


def test_changes_are_written_as_their_to_json(seed_paths):
    c = compare_files(*seed_paths)
    doc = json.loads(encode_line(comparison_json(c)))
    assert doc["changes"] == [change.to_json() for change in c.changes]
    assert doc["changes"] and list(doc["changes"][0]) == list(c.changes[0].to_json())
    # A path orjson refuses (surrogate escapes) goes through json.dumps: the same changes.
    odd = replace(c, left=replace(c.left, path="caf\udce9.txt"))
    fallback = json.loads(encode_line(comparison_json(odd)))
    assert fallback["left"]["path"] == "caf\udce9.txt"
    assert fallback["changes"] == doc["changes"]
