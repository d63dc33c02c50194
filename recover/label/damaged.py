"""A header word the OCR damaged: read cut short (其他商品服 for 其他商品和服务支出, 补助支出
for 对附属单位补助支出) or with one character misread or a speck added (王资福利支出,
日合计). Such a reading names a column only when it fits one column's wording and no other
column's comes near it: a reading that two columns could explain stays unmapped."""

from __future__ import annotations

from rapidfuzz import fuzz

DAMAGED_RATIO = 80.0
"""Lowest similarity at which a misread word may still name its column (one wrong character
in six, one speck beside a two-character word)."""
MARGIN = 10.0
"""How far the damaged reading's column must stand ahead of every other column."""
LOST_SHARE = 0.4
"""Share of a wording a reading with characters lost must keep (and at least LOST_CHARS)."""
LOST_CHARS = 3


def _kept_in_order(reading: str, name: str) -> bool:
    """Whether ``reading`` is ``name`` cut short at one end (a cell edge, a seal), at most
    one more character lost inside what is left: 其他商品服 of 其他商品和服务支出, 补助支出 of
    对附属单位补助支出; not 年末结余, a word of its own inside 年末结转和结余."""
    if len(reading) < LOST_CHARS or len(reading) >= len(name) or len(reading) < LOST_SHARE * len(name):
        return False
    span = len(reading) + 1
    return any(_subsequence(reading, part) for part in (name[:span], name[-span:]))


def _subsequence(reading: str, name: str) -> bool:
    rest = iter(name)
    return all(ch in rest for ch in reading)


def damaged_reading(reading: str, candidates: list[tuple[str, tuple[str, ...]]]) -> str | None:
    """The one column (id) a damaged reading names, from ``candidates`` (id, folded
    wordings) the context allows; None when no column fits or two could."""
    if not reading:
        return None
    best: dict[str, float] = {}
    fits: set[str] = set()
    for column, names in candidates:
        for name in names:
            ratio = fuzz.ratio(reading, name)
            best[column] = max(best.get(column, 0.0), ratio)
            # A misread keeps the word's length (a speck adds one character at most): a
            # known name with a word added (基本支出结转) is another column.
            misread = ratio >= DAMAGED_RATIO and abs(len(reading) - len(name)) <= 1
            if misread or _kept_in_order(reading, name):
                fits.add(column)
    if len(fits) != 1:
        return None
    (column,) = fits
    others = max((s for c, s in best.items() if c != column), default=0.0)
    if best[column] < DAMAGED_RATIO:
        # Characters lost: no other column may read nearly as this one.
        return column if others < DAMAGED_RATIO else None
    return column if best[column] >= others + MARGIN else None
