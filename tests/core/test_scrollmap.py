import pytest

from viewer.core.model import AlignmentGroup
from viewer.core.scrollmap import Link, build_links, map_y, scroll_target, sync_point


def group(gid, left, right, relation="equal", moved=False):
    return AlignmentGroup(gid, tuple(left), tuple(right), relation, 1.0, moved)


# Left paragraphs are short, right ones are tall (different wrapping).
LEFT = {0: (0, 10), 1: (10, 20), 2: (20, 30), 3: (30, 40)}
RIGHT = {0: (0, 40), 1: (40, 80), 2: (80, 120), 3: (120, 160)}


def test_links_skip_moved_hidden_unmatched_and_backwards():
    groups = [
        group(0, [0], [0]),
        group(1, [1], [], "unmatched"),
        group(2, [3], [1], "moved", moved=True),
        group(3, [2], [2], "changed"),
        group(4, [], [3], "unmatched"),
    ]
    links = build_links(groups, LEFT, RIGHT)
    assert links == (Link((0, 10), (0, 40)), Link((20, 30), (80, 120)))


def test_merged_group_spans_all_its_blocks():
    links = build_links([group(0, [0, 1], [0], "merged")], LEFT, RIGHT)
    assert links == (Link((0, 20), (0, 40)),)


def test_backwards_group_is_dropped():
    groups = [group(0, [2], [2]), group(1, [0], [3])]
    assert build_links(groups, LEFT, RIGHT) == (Link((20, 30), (80, 120)),)


LINKS = (Link((0, 10), (0, 40)), Link((20, 30), (80, 120)))
HEIGHTS = (40.0, 160.0)


@pytest.mark.parametrize(
    ("side", "y", "expected"),
    [
        ("left", 0, 0),
        ("left", 5, 20),  # inside the first link: proportional
        ("left", 10, 40),  # end of the first link: start of the gap
        ("left", 15, 60),  # middle of the gap 10..20 -> 40..80
        ("left", 25, 100),
        ("left", 35, 140),  # trailing gap 30..40 -> 120..160
        ("left", 40, 160),
        ("right", 20, 5),
        ("right", 60, 15),
        ("right", 160, 40),
    ],
)
def test_map_y_interpolates(side, y, expected):
    assert map_y(LINKS, side, y, HEIGHTS) == pytest.approx(expected)


def test_map_y_without_links_maps_proportionally():
    assert map_y((), "left", 20, (40, 160)) == pytest.approx(80)


def test_map_y_leading_gap():
    links = (Link((10, 20), (50, 60)),)
    assert map_y(links, "left", 5, (30, 100)) == pytest.approx(25)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0.0), (25, 0.25), (50, 0.5), (500, 0.5), (950, 0.5), (975, 0.75), (1000, 1.0)],
)
def test_sync_point_ramps_at_both_ends(value, expected):
    assert sync_point(value, 100, 1000) == pytest.approx(expected)


def test_sync_point_short_document():
    assert sync_point(0, 100, 0) == 0.0
    assert sync_point(20, 100, 40) == pytest.approx(0.5)


def test_scroll_target_ends_line_up():
    pages = (10.0, 10.0)
    assert scroll_target(LINKS, "left", 0, pages, HEIGHTS) == 0
    assert scroll_target(LINKS, "left", 30, pages, HEIGHTS) == pytest.approx(150)
    assert scroll_target(LINKS, "right", 150, pages, HEIGHTS) == pytest.approx(30)


def test_scroll_target_middle_keeps_blocks_level():
    # Left page of 10 scrolled to 20: its middle (25) is in link 2 -> right 100, minus half page.
    assert scroll_target(LINKS, "left", 20, (10.0, 10.0), HEIGHTS) == pytest.approx(95)


def test_scroll_target_is_clamped():
    assert scroll_target(LINKS, "left", 20, (10.0, 200.0), HEIGHTS) == 0
