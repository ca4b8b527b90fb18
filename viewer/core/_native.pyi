from collections.abc import Mapping

def candidates(
    left_sets: list[frozenset[str]],
    right_sets: list[frozenset[str]],
    lids: list[int],
    rids: list[int],
    rank: Mapping[str, int],
    weights: list[float],
    left_mass: list[float],
    right_mass: list[float],
    cap: int,
    probe_words: int,
    keep: int,
) -> list[tuple[float, int, int]]: ...
