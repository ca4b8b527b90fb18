"""Notes anchored by content, overrides of the detector, and sanitised Markdown."""

from __future__ import annotations

from dataclasses import replace

import pytest

from viewer.core import notes as N
from viewer.core.compare import compare
from viewer.core.loading import article_from_text
from viewer.core.markdown_render import render_markdown
from viewer.core.model import CompareOptions, Comparison, Extraneous

LEFT = """Officials said on Monday the bridge would close for repairs.

The work is expected to last three weeks, the city said.

Support our journalism: donate today."""

RIGHT = """Officials said on Tuesday the bridge would close for repairs.

The work is expected to last three weeks, the city said.

Drivers should use the northern bypass."""


def _cmp(left: str = LEFT, right: str = RIGHT) -> Comparison:
    return compare(article_from_text(left, "l.txt"), article_from_text(right, "r.txt"))


def _change(c: Comparison, left_text: str) -> int:
    return next(ch.id for ch in c.changes if ch.left_text.strip() == left_text)


def test_change_note_anchors_both_sides() -> None:
    c = _cmp()
    cid = _change(c, "Monday")
    note = N.note_for_change(c, cid, "why", now="t0")
    assert [a.side for a in note.anchors] == ["left", "right"]
    assert note.anchors[0].text.strip() == "Monday"
    assert note.anchors[0].before.endswith("said on ")
    assert note.created == note.modified == "t0"


def test_attach_same_comparison_keys_by_target() -> None:
    c = _cmp()
    cid = _change(c, "Monday")
    ns = (
        N.note_for_change(c, cid, "date changed"),
        N.note_for_block(c, "left", 2, "appeal"),
        N.note_for_comparison("overall"),
    )
    attached, orphaned = N.attach(ns, c)
    assert orphaned == []
    assert set(attached) == {N.change_key(cid), N.block_key("left", 2), N.COMPARISON_KEY}
    assert N.noted_changes(attached) == {cid}
    assert N.noted_blocks(attached) == {("left", 2)}


def test_notes_survive_an_edit_that_shifts_offsets() -> None:
    c = _cmp()
    cid = _change(c, "Monday")
    ns = (N.note_for_change(c, cid, "date"), N.note_for_block(c, "left", 2, "appeal"))
    edited = _cmp("BREAKING.\n\n" + LEFT, RIGHT)  # everything moves down on the left
    attached, orphaned = N.attach(ns, edited)
    assert orphaned == []
    moved = next(k for k in attached if k.startswith("change:"))
    change = edited.changes[int(moved.split(":")[1])]
    assert change.left_text.strip() == "Monday"
    fresh = attached[moved].anchors[0]
    assert edited.left.text[fresh.start : fresh.end] == fresh.text  # offsets refreshed
    assert N.block_key("left", 3) in attached


def test_note_whose_words_are_gone_is_orphaned_not_dropped() -> None:
    c = _cmp()
    ns = (N.note_for_change(c, _change(c, "Monday"), "date"), N.note_for_block(c, "left", 2, "x"))
    gone = _cmp(
        LEFT.replace("Monday", "Sunday").replace(
            "Support our journalism: donate today.", "Zzz qqq."
        ),
        RIGHT,
    )
    attached, orphaned = N.attach(ns, gone)
    assert len(attached) + len(orphaned) == 2
    reasons = {o.note.body: o.reason for o in orphaned}
    assert "x" in reasons and "gone" in reasons["x"]


def test_note_on_words_that_no_longer_differ_is_orphaned_with_reason() -> None:
    c = _cmp()
    note = N.note_for_change(c, _change(c, "Monday"), "date")
    same = _cmp(RIGHT.replace("Tuesday", "Monday"), RIGHT.replace("Tuesday", "Monday"))
    _, orphaned = N.attach([note], same)
    assert orphaned and "no longer differ" in orphaned[0].reason


def test_two_notes_on_one_target_keep_both() -> None:
    c = _cmp()
    cid = _change(c, "Monday")
    ns = (N.note_for_change(c, cid, "a"), N.note_for_change(c, cid, "b"))
    attached, orphaned = N.attach(ns, c)
    assert len(attached) == 1 and len(orphaned) == 1
    assert len(N.current_notes(N.attach(ns, c))) == 2


def test_edit_delete_and_overall_note() -> None:
    c = _cmp()
    a = N.note_for_block(c, "right", 0, "first", now="t0")
    ns = N.add_note((), a)
    ns = N.edit_note(ns, a.id, "second", now="t1")
    assert ns[0].body == "second" and ns[0].modified == "t1" and ns[0].created == "t0"
    with pytest.raises(KeyError):
        N.edit_note(ns, "nope", "x")
    ns = N.set_overall_note(ns, "overall")
    ns = N.set_overall_note(ns, "overall, edited")
    assert [n.body for n in ns if n.target == "comparison"] == ["overall, edited"]
    ns = N.set_overall_note(ns, "  ")
    assert N.overall_note(ns) is None
    assert N.delete_note(ns, a.id) == ()


def test_overrides_mark_and_unmark_extraneous() -> None:
    art = article_from_text(LEFT, "l.txt")
    flagged = art.with_blocks(
        (
            art.blocks[0],
            art.blocks[1],
            replace(art.blocks[2], extraneous=Extraneous("appeal", "asks for money", 0.9)),
        )
    )
    ov = N.set_override((), "left", flagged.blocks[2], False)
    ov = N.set_override(ov, "left", flagged.blocks[0], True)
    out = N.apply_overrides(flagged, ov, "left")
    assert out.blocks[2].extraneous is None
    assert out.blocks[0].extraneous is not None and out.blocks[0].extraneous.category == "reader"
    assert N.apply_overrides(flagged, ov, "right") is flagged  # keyed by side
    assert N.set_override(ov, "left", flagged.blocks[0], None) == ov[:1]
    assert N.override_for(ov, "left", flagged.blocks[2]) == ov[0]


def test_overrides_update_the_comparison_lists() -> None:
    from viewer.core.session import apply_overrides_to

    art = article_from_text(LEFT, "l.txt")
    c = compare(art, article_from_text(RIGHT, "r.txt"), CompareOptions(hide_extraneous=True))
    ov = N.set_override((), "left", art.blocks[2], True)
    updated = apply_overrides_to(c, ov)
    assert updated.left.blocks[2].extraneous is not None
    assert any(g.relation == "hidden" and g.left == (2,) for g in updated.groups)
    assert updated.stats.left.extraneous > 0
    assert apply_overrides_to(updated, ov) is updated  # nothing new to apply


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>hi", "<script"),
        ('<img src="x" onerror="alert(1)">', "<img"),
        ("[x](javascript:alert(1))", "javascript:"),
        ('<a href="data:text/html,boom">d</a>', "data:"),
        ("<style>body{display:none}</style>", "<style"),
        ('<p onclick="x()">p</p>', "onclick"),
        ("![pixel](https://tracker.example/p.png)", "<img"),
        ("<iframe src=https://e.example></iframe>", "<iframe"),
    ],
)
def test_markdown_is_sanitised(markdown: str, forbidden: str) -> None:
    assert forbidden not in render_markdown(markdown).lower()


def test_markdown_keeps_formatting_and_safe_links() -> None:
    html = render_markdown("**bold** [site](https://example.org) [me](mailto:a@b.c)\n\n- item")
    assert "<strong>bold</strong>" in html and "<li>item</li>" in html
    assert 'href="https://example.org"' in html and 'href="mailto:a@b.c"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert render_markdown("   ") == ""
