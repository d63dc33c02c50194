"""A measure printed over a block of columns whose rule the grid lost in part.

Wide tables repeat one block of columns under each measure (预算数: 合计 … 公务接待费, then
决算数: the same columns). When a spurious or lost line splits the measure's cell, some
columns of a block read without it (合计 instead of 预算数 / 合计) and two columns of the
table take one id. The block structure says which measure they stand under: the columns
repeat with the same names block after block, and each block shows one measure, a
different one per block.
"""

from __future__ import annotations

from recover.label.vocabulary import Vocabulary
from recover.model import ColumnMapping


def _split(column_id: str | None, measures: set[str]) -> tuple[str | None, str | None]:
    """(base id, measure) of a column id: total.budget → (total, budget)."""
    if column_id is None:
        return None, None
    base, _, last = column_id.rpartition(".")
    return (base, last) if base and last in measures else (column_id, None)


def _blocks(bases: list[str | None]) -> tuple[int, int] | None:
    """(start, length) of the repeated blocks that run to the table's last column: every
    block has the same mapped names in the same order (the shortest such blocks)."""
    n = len(bases)
    for start in range(n):
        for length in range(2, (n - start) // 2 + 1):
            if (n - start) % length:
                continue
            first = bases[start : start + length]
            if None in first:
                continue
            if all(bases[b : b + length] == first for b in range(start, n, length)):
                return start, length
    return None


def measure_repeated_blocks(columns: list[ColumnMapping], vocab: Vocabulary) -> None:
    """Give the columns of each repeated block that read without a measure the one measure
    the rest of their block shows (in place). Blocks that show no measure, or the same one,
    are left as they are."""
    measures = {m.id for m in vocab.measures}
    split = [_split(c.id, measures) for c in columns]
    found = _blocks([base for base, _ in split])
    if found is None:
        return
    start, length = found
    shown: list[str] = []
    for b in range(start, len(columns), length):
        printed = {m for _, m in split[b : b + length] if m is not None}
        if len(printed) != 1:
            return
        shown.append(printed.pop())
    if len(set(shown)) != len(shown):
        return
    for index, b in enumerate(range(start, len(columns), length)):
        for col in range(b, b + length):
            base, measure = split[col]
            if measure is None:
                columns[col].id = f"{base}.{shown[index]}"
