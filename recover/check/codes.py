"""Subject-code checks: a printed 类/款/项 code must have its level's length, sit under its
parent, and be a code of the national classification whose name is the row's name
(``recover/label/row_keys.py`` decides; labelling already corrected the misreadings that have
one unique match, with their evidence). Codes are identifiers, not amounts: a wrong one is
flagged, never repaired here."""

from __future__ import annotations

import re

from recover.check.constraints import Slot
from recover.check.discover import TableNumbers
from recover.label.classification import Classification, default_classification
from recover.label.row_keys import is_unit_row, judge, name_column, row_keys, subject_code_cols
from recover.model import CellStatus, Flag, FlagKind, Table

_SPLIT_LENGTHS = (3, 2, 2)  # 类, 款, 项 printed in separate columns
_TOTAL = re.compile(r"(合计|小计|总计)$")  # a total row's label across the code columns (人员经费合计)


def code_problems(
    table: Table, numbers: TableNumbers, classification: Classification | None = None
) -> dict[Slot, str]:
    """Code cells that cannot be right, with the reason."""
    cls = classification or default_classification()
    problems = _shape_problems(table, numbers, cls)
    for key in row_keys(table):
        verdict = judge(key.code, key.name, cls)
        if verdict.problem and key.pieces:
            problems.setdefault((key.row, key.pieces[0][0]), verdict.evidence)
    return problems


def flag_merged_codes(table: Table, problems: dict[Slot, str], single: set[Slot]) -> None:
    """Flag the code cells with a problem that span several grid slots (two rows fused
    around one code): the statuses of single cells do not reach them."""
    for slot, reason in problems.items():
        cell = table.cell_at(*slot)
        # Only a cell that holds a code (alone or fused with its name): not a label like 栏次.
        if slot in single or cell is None or not re.search(r"\d{3}", cell.text):
            continue
        cell.status = CellStatus.FLAGGED
        cell.flags.append(Flag(FlagKind.CODE, reason))


def _unit_row(table: Table, numbers: TableNumbers, row: int, cls: Classification) -> bool:
    """A row keyed by a unit code (307001 湖南省医疗保障局本级) rather than a subject."""
    cols = subject_code_cols(table)
    code = "".join(numbers.texts.get((row, c), "").replace(" ", "") for c in cols)
    name_col = name_column(table, cols)
    name = "" if name_col is None else numbers.texts.get((row, name_col), "")
    return code.isdigit() and is_unit_row(code, name, cls)


def _shape_problems(table: Table, numbers: TableNumbers, cls: Classification) -> dict[Slot, str]:
    """Codes of the wrong length, with non-digits, or not under the code above them."""
    cols = subject_code_cols(table)
    problems: dict[Slot, str] = {}
    if not cols:
        return problems
    split = len(cols) > 1
    parents: dict[int, str] = {}  # level → last code seen at that level
    for row in numbers.body_rows:
        pieces = [(c, numbers.texts.get((row, c), "").replace(" ", "")) for c in cols]
        filled = [(c, t) for c, t in pieces if t]
        if not filled or _unit_row(table, numbers, row, cls) or _TOTAL.search(filled[0][1]):
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
