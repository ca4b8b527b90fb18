from collections.abc import Callable, Mapping

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
def configure(
    nospace_bounds: list[int], mark_bounds: list[int], code_bounds: list[int]
) -> None: ...
def word_diff(
    left: str, right: str, dmp: Callable[[str, str], list[tuple[str, int]]]
) -> list[tuple[str, int, int, int, int]]: ...
