import pytest

from viewer.core.navigation import Location, index_at, locate

KEYS = [1, 3, 3, 7]


@pytest.mark.parametrize(
    ("position", "current", "expected"),
    [
        (0, None, Location(None, None, 0, 0, 3)),
        (1, None, Location(None, None, 0, 0, 3)),
        (2, None, Location(None, 0, 1, 0, 3)),
        (3, None, Location(None, 0, 1, 0, 3)),
        (8, None, Location(None, 3, None, 0, 3)),
        (0, 0, Location(0, None, 1, 0, 3)),
        (0, 2, Location(2, 1, 3, 0, 3)),
        (0, 3, Location(3, 2, None, 0, 3)),
        (5, 9, Location(None, 2, 3, 0, 3)),  # out-of-range current falls back to position
    ],
)
def test_locate(position, current, expected):
    assert locate(KEYS, position, current) == expected


def test_locate_empty():
    assert locate([], 5) == Location(None, None, None, None, None)
    assert locate([], 5, 0) == Location(None, None, None, None, None)


@pytest.mark.parametrize(("position", "expected"), [(0, None), (1, 0), (3, 2), (6, 2), (9, 3)])
def test_index_at(position, expected):
    assert index_at(KEYS, position) == expected
