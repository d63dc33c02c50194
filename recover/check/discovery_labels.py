"""Totals that rows announce by what they print: a 合计 row over the rows it heads or closes,
a 部门 row over its 单位 rows, a 单位 row over the subject rows printed under it.

The forms list 合计, then each 部门 (a 3-digit unit code such as 443), each of its 单位
(443001, the 部门's code extended), then that 单位's 类 (or 项) rows. A row's level comes
from what it prints (a total label, a unit code, a subject code); a row sums the rows of the
next level below it up to the next row of its own level or higher. Subject-code rows among
themselves are the code hierarchy's (``discover.code_hierarchy``); here only the rows above
them. Each rule is kept only when the numbers hold it.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from recover.check.constraints import Constraint, RuleSource
from recover.check.discovery_lists import printed_lists
from recover.check.discovery_support import (
    amount_columns,
    compact,
    count_blanks_as_zero,
    equation,
    kept,
    name_columns,
    words,
)
from recover.model import Table
from recover.read.amounts import strip_marks

if TYPE_CHECKING:
    from recover.check.discover import TableNumbers

TOTAL = 0  # the level of a 合计 / 总计 row
SUBJECT = 10  # the level of a 类 row; 款 and 项 rows lie below it
ITEM = 50  # a named row without a code (a 市州, a 项目)
_TOTAL_LABEL = re.compile(r"(合计|总计)$")
_DIGITS = re.compile(r"^\d+$")


def _pieces(table: Table, numbers: TableNumbers, row: int) -> dict[int, str]:
    """The codes a row prints left of its names, by column (a stray mark beside one ignored)."""
    first_name = min(name_columns(table, numbers), default=min(numbers.numeric_cols, default=table.n_cols))
    cols = sorted(set(table.view.code_cols) | set(range(first_name)))
    texts = {c: strip_marks(compact(numbers.texts.get((row, c), ""))) for c in cols}
    return {c: t for c, t in texts.items() if _DIGITS.match(t)}


def _units(pieces: dict[int, dict[int, str]], rows: list[int]) -> dict[int, str]:
    """Rows that print only a unit code: 6 digits or more (a 单位), or a 部门's 3 digits when
    the next coded row is one of its 单位 (its code extended)."""
    alone = {row: next(iter(p.values())) for row, p in pieces.items() if len(p) == 1}
    units = {row: code for row, code in alone.items() if len(code) >= 6 and len(code) % 3 == 0}
    coded = [r for r in rows if pieces[r]]
    for row, nxt in itertools.pairwise(coded):
        if len(alone.get(row, "")) == 3 and units.get(nxt, "").startswith(alone[row]):
            units[row] = alone[row]
    return units


def _subject_depth(subject: dict[int, str], subject_cols: list[int]) -> int:
    """0 for a 类, 1 for a 款, 2 for a 项: by the code's length, or by the column of its last
    piece where 类/款/项 print in columns of their own."""
    if len(subject) == 1 and len(code := next(iter(subject.values()))) in (3, 5, 7):
        return (len(code) - 3) // 2
    return min(2, subject_cols.index(max(subject))) if len(subject_cols) > 1 else 1


def row_levels(table: Table, numbers: TableNumbers) -> dict[int, int]:
    """The level of each body row that prints one: 0 for a total, 1 for a 部门 (3-digit unit
    code), 2 for a 单位 (6 digits), …, SUBJECT + depth for 类/款/项 rows, ITEM for a named row
    without a code."""
    pieces = {row: _pieces(table, numbers, row) for row in numbers.body_rows}
    units = _units(pieces, numbers.body_rows)
    subjects = {r: {c: t for c, t in p.items() if len(t) < 6} for r, p in pieces.items() if r not in units}
    subject_cols = sorted({c for p in subjects.values() for c in p})
    levels: dict[int, int] = {}
    for row in numbers.body_rows:
        label = numbers.row_label(row)
        if row in units:
            levels[row] = len(units[row]) // 3
        elif row in table.view.row_codes and len(subject_cols) < 2:
            levels[row] = SUBJECT + (len(table.view.row_codes[row]) - 3) // 2
        elif subjects.get(row):
            levels[row] = SUBJECT + _subject_depth(subjects[row], subject_cols)
        elif pieces[row] or "小计" in label:
            continue
        elif _TOTAL_LABEL.search(words(label)):
            levels[row] = TOTAL
        elif words(label):
            levels[row] = ITEM
    return levels


def _children(levels: dict[int, int], rows: list[int], level: int) -> list[int]:
    """The rows of the highest level below ``level`` among ``rows``."""
    below = [levels[r] for r in rows if r in levels and levels[r] > level]
    return [r for r in rows if below and levels.get(r) == min(below)]


def label_rules(table: Table, numbers: TableNumbers) -> list[Constraint]:
    """合计 and 部门/单位 rows over the rows they head (a 合计 printed last: the rows it closes)."""
    if not numbers.body_rows or len(printed_lists(table, numbers)) > 1:
        return []  # side-by-side lists: their own rules (discovery_lists)
    levels = row_levels(table, numbers)
    if not any(level < SUBJECT for level in levels.values()):
        return []
    cols = amount_columns(table, numbers)
    body = numbers.body_rows
    count_blanks_as_zero(table, numbers, list(range(body[0], body[-1] + 1)), cols)
    found: list[Constraint] = []
    for i, row in enumerate(body):
        level = levels.get(row)
        if level is None or level >= SUBJECT:
            continue
        after = body[i + 1 :]
        end = next((k for k, r in enumerate(after) if levels.get(r, 99) <= level), len(after))
        rows = after[:end]
        if not rows and level == TOTAL:
            start = max((k for k, r in enumerate(body[:i]) if levels.get(r) == TOTAL), default=-1)
            rows = body[start + 1 : i]
        parts = _children(levels, rows, level)
        if not parts:
            continue
        label = words(numbers.row_label(row)) or f"row {row + 1}"
        group = [
            c
            for col in cols
            if (
                c := equation(
                    RuleSource.LABEL_TOTAL,
                    f"{label} = Σ the rows it heads",
                    (row, col),
                    [(r, col) for r in parts],
                    numbers,
                )
            )
            is not None
        ]
        found += kept(group, table, numbers)
    return found
