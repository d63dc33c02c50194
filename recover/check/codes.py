"""Subject-code checks: a printed 类/款/项 code must have its level's length and sit under
its parent. Codes are identifiers, not amounts: a wrong one is flagged, never repaired."""

from __future__ import annotations

from recover.check.constraints import Slot
from recover.check.discover import TableNumbers
from recover.model import Table

_SPLIT_LENGTHS = (3, 2, 2)  # 类, 款, 项 printed in separate columns


def code_problems(table: Table, numbers: TableNumbers) -> dict[Slot, str]:
    """Code cells that cannot be right, with the reason."""
    cols = table.view.code_cols
    problems: dict[Slot, str] = {}
    if not cols:
        return problems
    split = len(cols) > 1
    parents: dict[int, str] = {}  # level → last code seen at that level
    for row in numbers.body_rows:
        pieces = [(c, numbers.texts.get((row, c), "").replace(" ", "")) for c in cols]
        filled = [(c, t) for c, t in pieces if t]
        if not filled:
            continue
        for c, text in filled:
            if not text.isdigit():
                problems[(row, c)] = "subject code with non-digits"
                continue
            allowed = (_SPLIT_LENGTHS[cols.index(c)],) if split and len(cols) == 3 else (2, 3, 5, 7)
            if len(text) not in allowed:
                problems[(row, c)] = f"subject code of {len(text)} digits where this column has {allowed[0]}"
        if any(s in problems for s in ((row, c) for c, _ in filled)):
            continue
        code = "".join(t for _, t in pieces) if split and pieces[0][1] else filled[-1][1]
        if not split and len(code) not in (3, 5, 7):
            continue
        level = {3: 1, 5: 2, 7: 3}.get(len(code))
        if level is None:
            continue
        if level > 1 and level - 1 in parents and not code.startswith(parents[level - 1]):
            slot = (row, filled[0][0])
            problems[slot] = f"subject code {code} is not under {parents[level - 1]}"
        parents[level] = code
        for deeper in [lv for lv in parents if lv > level]:
            del parents[deeper]
    return problems
