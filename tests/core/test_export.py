"""The HTML report: structure of the seed pair's report, hostile input, moves, refusals."""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest

from viewer.cli import main
from viewer.core import notes as N
from viewer.core.compare import compare, compare_files
from viewer.core.errors import OutputError
from viewer.core.export import export_report, render_report, save_report
from viewer.core.loading import article_from_text
from viewer.core.model import CompareOptions, Comparison
from viewer.core.session import new_session, save_session

WHEN = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)


def _cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def column_words(doc: lxml.html.HtmlElement, column: str) -> list[str]:
    """Words of one column's primary text (echoes of displaced blocks left out), in order."""
    cells = doc.xpath(
        f"//table[{_cls('diff')}]//td[{_cls(column)}]"
        f"//div[{_cls('blk')} and not({_cls('echo')})]/p[{_cls('txt')}]"
    )
    return " ".join(p.text_content() for p in cells).split()


def assert_safe(doc: lxml.html.HtmlElement, html: str) -> None:
    """No script, no external fetch, no event handler anywhere in the report."""
    assert not doc.xpath("//script | //iframe | //object | //embed | //img | //link | //base")
    assert not [a for el in doc.iter() for a in el.attrib if a.lower().startswith("on")]
    assert not doc.xpath("//*[@src]")
    assert "<script" not in html.lower()
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]


def internal_links_resolve(doc: lxml.html.HtmlElement) -> list[str]:
    ids = set(doc.xpath("//@id"))
    return [h for h in doc.xpath("//a/@href") if h.startswith("#") and h[1:] not in ids]


@pytest.fixture
def seed_report(seed_paths: tuple[Path, Path], tmp_path: Path) -> tuple[Comparison, str]:
    out = tmp_path / "report.html"
    comparison, _warnings = export_report(seed_paths[0], seed_paths[1], out, CompareOptions())
    identical = comparison.identical
    assert identical is False
    return compare_files(*seed_paths), out.read_text(encoding="utf-8")


def test_seed_report_structure(seed_report: tuple[Comparison, str]) -> None:
    c, html = seed_report
    doc = lxml.html.fromstring(html)
    assert_safe(doc, html)
    group_rows = doc.xpath(f"//table[{_cls('diff')}]/tbody/tr[{_cls('group')}]")
    assert [r.get("id") for r in group_rows] == [f"group-{g.id}" for g in c.groups]
    for row in group_rows:  # both sides of a group share one row
        assert (
            len(row.xpath(f"./td[{_cls('L')}]")) == 1 and len(row.xpath(f"./td[{_cls('R')}]")) == 1
        )
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids)), "element ids must be unique"
    for ch in c.changes:
        assert f"change-{ch.id + 1}" in ids
    toc = doc.xpath(f"//section[{_cls('toc')}]//a/@href")
    assert toc == [f"#change-{ch.id + 1}" for ch in c.changes]
    legend = doc.xpath(f"//nav[{_cls('legend')}]")[0].text_content()
    for word in ("deleted", "inserted", "replaced", "moved", "extraneous", "note"):
        assert word in legend
    assert internal_links_resolve(doc) == []
    header = doc.xpath("//header[@id='top']")[0].text_content()
    for needle in (c.left.name, c.right.name, "similarity", "rewrite rate", "utf-8", "Words"):
        assert needle in header


def test_seed_report_has_every_word_in_order(seed_report: tuple[Comparison, str]) -> None:
    c, html = seed_report
    doc = lxml.html.fromstring(html)
    assert column_words(doc, "L") == c.left.text.split()
    assert column_words(doc, "R") == c.right.text.split()


def test_seed_report_lists_extraneous_blocks(seed_report: tuple[Comparison, str]) -> None:
    c, html = seed_report
    doc = lxml.html.fromstring(html)
    flagged = [b for b in (*c.left.blocks, *c.right.blocks) if b.extraneous]
    rows = doc.xpath(f"//section[{_cls('xlist')}]//tbody/tr")
    assert len(rows) == len(flagged)
    greyed = doc.xpath(f"//div[{_cls('xb')}]")
    assert len(greyed) >= len(flagged)


HOSTILE_MD = """# Title <script>alert('md')</script>

Para with <img src="x" onerror="alert(1)"> image and <b onclick="x()">bold</b>.

<script>document.write('pwned')</script>

<iframe src="https://evil.example/"></iframe>
"""

HOSTILE_TXT = """Breaking: <script>alert("txt")</script> in a plain text file.

A second paragraph with <img src=x onerror=alert(2)> and </td></tr></table> closing tags.
"""


def test_hostile_articles_and_notes_run_nothing(tmp_path: Path) -> None:
    md, txt = tmp_path / "a.md", tmp_path / "b.txt"
    md.write_text(HOSTILE_MD, encoding="utf-8")
    txt.write_text(HOSTILE_TXT, encoding="utf-8")
    c = compare_files(md, txt)
    evil = "<script>alert('note')</script> [x](javascript:alert(1)) <img src=x onerror=alert(3)>"
    notes = (N.note_for_block(c, "right", 0, evil), N.note_for_comparison(evil))
    session = tmp_path / "s.json"
    save_session(new_session(md, txt, CompareOptions(), notes), session)
    out = tmp_path / "out.html"
    export_report(md, txt, out, CompareOptions(), session_path=session)
    html = out.read_text(encoding="utf-8")
    doc = lxml.html.fromstring(html)
    assert_safe(doc, html)
    assert "javascript:" not in html
    # the .txt's markup is shown as text, verbatim
    right_text = " ".join(column_words(doc, "R"))
    assert '<script>alert("txt")</script>' in right_text
    assert "</td></tr></table>" in right_text
    assert column_words(doc, "R") == c.right.text.split()
    assert column_words(doc, "L") == c.left.text.split()
    assert len(doc.xpath(f"//table[{_cls('diff')}]/tbody/tr")) >= len(c.groups)


MOVE_LEFT = "\n\n".join(
    [
        "Alpha paragraph opens the story about the harbour fire on Monday night.",
        "Bravo paragraph quotes the fire chief about the cause of the blaze.",
        "Charlie paragraph describes the damage to the warehouses and boats nearby.",
        "Delta paragraph gives the background of earlier fires in the harbour district.",
        "Echo paragraph closes with the mayor promising an inquiry into safety.",
    ]
)
MOVE_RIGHT = "\n\n".join(
    [
        "Alpha paragraph opens the story about the harbour fire on Monday night.",
        "Delta paragraph gives the background of earlier fires in the harbour district.",
        "Bravo paragraph quotes the fire chief about the cause of the blaze.",
        "Charlie paragraph describes the damage to the boats and warehouses nearby.",
        "Echo paragraph closes with the mayor promising an inquiry into safety.",
    ]
)


def test_moved_block_is_marked_at_both_places_and_order_kept() -> None:
    c = compare(article_from_text(MOVE_LEFT, "l.txt"), article_from_text(MOVE_RIGHT, "r.txt"))
    html = render_report(c, {}, [], "", WHEN)
    doc = lxml.html.fromstring(html)
    assert column_words(doc, "L") == c.left.text.split()
    assert column_words(doc, "R") == c.right.text.split()
    assert internal_links_resolve(doc) == []
    if any(g.moved for g in c.groups):
        assert doc.xpath(f"//tr[{_cls('moved')}]")
        echoes = doc.xpath(f"//div[{_cls('echo')}]")
        ghosts = doc.xpath(f"//tr[{_cls('ghost')}]")
        assert len(echoes) == len(ghosts) >= 1
        for echo in echoes:  # the aligned copy links to the block's own place and back
            target = echo.xpath(f".//a[{_cls('mchip')}]/@href")[0][1:]
            back = doc.get_element_by_id(target).xpath(f".//a[{_cls('mchip')}]/@href")[0]
            assert back == f"#{echo.get('id')}"


def test_hidden_extraneous_blocks_still_show_every_word() -> None:
    left = article_from_text(MOVE_LEFT + "\n\nDonate now to support our journalism.", "l.txt")
    ov = N.set_override((), "left", left.blocks[-1], True)
    left = N.apply_overrides(left, ov, "left")
    c = compare(left, article_from_text(MOVE_RIGHT, "r.txt"), CompareOptions(hide_extraneous=True))
    assert any(g.relation == "hidden" for g in c.groups)
    doc = lxml.html.fromstring(render_report(c, {}, [], "", WHEN))
    assert column_words(doc, "L") == c.left.text.split()
    assert doc.xpath(f"//tr[{_cls('rel-hidden')}]//span[{_cls('xchip')}]")


def test_notes_appear_beside_their_target_and_in_the_list() -> None:
    c = compare(article_from_text(MOVE_LEFT, "l.txt"), article_from_text(MOVE_RIGHT, "r.txt"))
    change = c.changes[-1]
    ns = (
        N.note_for_change(c, change.id, "**why** it matters"),
        N.note_for_block(c, "left", 0, "lead"),
    )
    attached, orphaned = N.attach(ns, c)
    gone = N.Orphan(N.note_for_comparison("old note"), "the words it annotated are gone")
    doc = lxml.html.fromstring(
        render_report(c, attached, [*orphaned, gone], "Overall *view*", WHEN)
    )
    row = doc.get_element_by_id(f"group-{change.group}")
    assert "why it matters" in row.xpath(f"./td[{_cls('N')}]")[0].text_content()
    assert row.xpath(".//strong[text()='why']")
    listed = doc.xpath(f"//section[{_cls('nlist')}]//article[{_cls('note')}]")
    assert len(listed) == 3  # two attached, one orphaned
    assert "the words it annotated are gone" in doc.get_element_by_id("notes").text_content()
    assert doc.xpath(f"//section[{_cls('overall')}]//em[text()='view']")
    assert doc.xpath(f"//section[{_cls('toc')}]//tr[td[5][text()='✎']]")


def test_cli_html_refuses_to_overwrite_an_input(
    seed_paths: tuple[Path, Path], tmp_path: Path
) -> None:
    left, right = tmp_path / "l.txt", tmp_path / "r.txt"
    shutil.copy(seed_paths[0], left)
    shutil.copy(seed_paths[1], right)
    before = right.read_bytes()
    assert main([str(left), str(right), "--html", str(right)]) == 2
    assert right.read_bytes() == before
    assert main([str(left), str(right), "--html", str(tmp_path / "out.html")]) == 1
    assert (tmp_path / "out.html").is_file()
    assert main([str(left), str(left), "--html", str(tmp_path / "same.html")]) == 0


def test_cli_html_refuses_to_overwrite_the_session(
    seed_paths: tuple[Path, Path], tmp_path: Path
) -> None:
    session = tmp_path / "s.json"
    save_session(new_session(*seed_paths, CompareOptions()), session)
    before = session.read_bytes()
    args = [str(p) for p in seed_paths] + ["--html", str(session), "--session", str(session)]
    assert main(args) == 2
    assert session.read_bytes() == before


@pytest.mark.parametrize("where", ["parent-is-a-file", "missing-folder"])
def test_unwritable_destination_is_a_clear_error(
    seed_paths: tuple[Path, Path], tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = blocker / "r.html" if where == "parent-is-a-file" else tmp_path / "no" / "r.html"
    with pytest.raises(OutputError, match="does not exist"):
        export_report(*seed_paths, out, CompareOptions())
    assert main([*(str(p) for p in seed_paths), "--html", str(out)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_large_pair_renders_quickly() -> None:
    words = "the harbour fire chief said boats warehouses inquiry mayor district night".split()
    paras_l, paras_r = [], []
    for i in range(3000):
        base = " ".join(words[(i + k) % len(words)] for k in range(40)) + f" item {i}."
        paras_l.append(base)
        paras_r.append(base.replace("chief", "head", 1) if i % 3 else base)
    left = article_from_text("\n\n".join(paras_l), "l.txt")
    right = article_from_text("\n\n".join(paras_r), "r.txt")
    c = compare(left, right)
    start = time.perf_counter()
    html = render_report(c, {}, [], "", WHEN)
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0, f"rendering took {elapsed:.2f}s"
    assert html.count('class="row group') == len(c.groups)


def test_save_report_from_the_window_comparison(tmp_path: Path) -> None:
    left, right = tmp_path / "l.txt", tmp_path / "r.txt"
    left.write_text(MOVE_LEFT, encoding="utf-8")
    right.write_text(MOVE_RIGHT, encoding="utf-8")
    c = compare_files(left, right)
    notes = (N.note_for_change(c, c.changes[-1].id, "checked"), N.note_for_comparison("all *fine*"))
    out = tmp_path / "window.html"
    save_report(c, notes, out, warnings=["left file changed"])
    doc = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    assert N.noted_changes(N.attach(notes, c).attached) == {c.changes[-1].id}
    assert doc.xpath(f"//section[{_cls('overall')}]//em[text()='fine']")
    assert "left file changed" in doc.get_element_by_id("top").text_content()
    with pytest.raises(OutputError, match="refusing"):
        save_report(c, notes, left)
    with pytest.raises(OutputError, match="refusing"):
        save_report(c, notes, tmp_path / "s.json", protect=[tmp_path / "s.json"])


PARAGRAPHS = [
    f"Paragraph {name} tells part {i} of the story with its own distinct words {name.lower()}ish."
    for i, name in enumerate(
        ["Amber", "Birch", "Cedar", "Dune", "Ember", "Fjord", "Grove", "Heath"], start=1
    )
]


@pytest.mark.parametrize(
    "order",
    [
        (7, 0, 1, 2, 3, 4, 5, 6),  # last to first
        (1, 0, 3, 2, 5, 4, 7, 6),  # neighbours swapped
        (4, 5, 6, 7, 0, 1, 2, 3),  # halves swapped
        (0, 6, 2, 3, 4, 5, 1, 7),  # two far moves
    ],
)
def test_every_word_in_order_whatever_moves(order: tuple[int, ...]) -> None:
    right = [PARAGRAPHS[i].replace("story", "tale") if i % 3 == 0 else PARAGRAPHS[i] for i in order]
    c = compare(
        article_from_text("\n\n".join(PARAGRAPHS), "l.txt"),
        article_from_text("\n\n".join(right) + "\n\nA new closing line.", "r.txt"),
    )
    doc = lxml.html.fromstring(render_report(c, {}, [], "", WHEN))
    assert column_words(doc, "L") == c.left.text.split()
    assert column_words(doc, "R") == c.right.text.split()
    assert internal_links_resolve(doc) == []
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert all(f"change-{ch.id + 1}" in ids for ch in c.changes)
