"""A total column whose header the OCR garbled (台评 for 合计, 小日 for 小计), told by its
amounts: in the body rows it is the sum of the columns it heads.

A column opening a header group (本年收入 / 小计 …) heads the rest of its group; a column
standing alone heads the amount columns to its right, each group of them by its total
where one is mapped. The equality must hold in most body rows with an amount, and in at
least :data:`AGREEING_ROWS` of them: amounts adding up row after row are no accident. The
column then takes the id its path gives with a total leaf (小计 and 合计 must agree: under
公务用车 a 小计 is that group's own total, not the table's).
"""

from __future__ import annotations

from decimal import Decimal

from recover.label.match import THRESHOLD, match_path
from recover.label.vocabulary import Vocabulary
from recover.model import ColumnMapping, ColumnStatus, Table
from recover.read.amounts import parse_amount, regrouped

AGREEING_ROWS = 3
AGREEING_SHARE = 0.8
TOTAL_LEAVES = ("小计", "合计")


def is_total_id(column_id: str | None) -> bool:
    """Whether a canonical column id names a total (``total``, ``three_public_total`` …)."""
    base = (column_id or "").split(".")[0]
    return base == "total" or base.endswith("_total")


def _members(columns: list[ColumnMapping], prefix: list[str]) -> list[int]:
    return [c.col for c in columns if len(c.path) > len(prefix) and c.path[: len(prefix)] == prefix]


def _heads(col: int, columns: list[ColumnMapping], amounts: set[int]) -> list[int]:
    """The amount columns a total at ``col`` would sum (empty: it opens no group and
    nothing stands to its right)."""
    path = columns[col].path
    group = _members(columns, path[:-1]) if len(path) > 1 else []
    if len(group) > 1:
        if group[0] != col:
            return []
        return [c for c in group if c > col and c in amounts and not is_total_id(columns[c].id)]
    parts: list[int] = []
    seen: set[str] = set()
    for c in sorted(a for a in amounts if a > col):
        top = columns[c].path[0] if columns[c].path else ""
        members = [m for m in _members(columns, [top]) if m in amounts] if len(columns[c].path) > 1 else []
        if len(members) <= 1:
            parts.append(c)
        elif top not in seen:
            seen.add(top)
            totals = [m for m in members if is_total_id(columns[m].id)]
            parts += totals[:1] or [m for m in members if columns[m].id is not None]
    return parts


def _amount(table: Table, row: int, col: int) -> Decimal | None:
    """The cell's amount; before the checks repair it, a grouping mark misread as the
    decimal point or the reverse (1.032.64, 1,359,91) is read as the amount it stands for."""
    cell = table.cell_at(row, col)
    if cell is None or cell.row != row:
        return None
    if cell.value is not None:
        return cell.value
    fixed = regrouped(cell.text)
    return parse_amount(fixed) if fixed is not None else None


def _adds_up(table: Table, col: int, parts: list[int]) -> bool:
    """Whether the column is the sum of ``parts`` in most body rows with an amount."""
    counted = agreeing = 0
    for row in table.view.body_rows:
        value = _amount(table, row, col)
        if value is None or value == 0:
            continue
        counted += 1
        total = sum((_amount(table, row, p) or Decimal(0) for p in parts), Decimal(0))
        agreeing += total == value
    return agreeing >= max(AGREEING_ROWS, AGREEING_SHARE * counted)


def total_by_amounts(table: Table, vocab: Vocabulary) -> None:
    """Map each unmapped column that is, by its amounts, the total of the columns it heads."""
    amounts = set(table.view.numeric_cols)
    # Group totals first: the table's total then adds the groups up by them.
    for col in sorted((c.col for c in table.columns), key=lambda c: -len(table.columns[c].path)):
        column = table.columns[col]
        # The column itself may hold misread amounts the numeric view does not count yet.
        if column.id is not None or not column.path:
            continue
        parts = _heads(col, table.columns, amounts)
        if len(parts) < 2 or not _adds_up(table, col, parts):
            continue
        named = [match_path([*column.path[:-1], leaf], vocab) for leaf in TOTAL_LEAVES]
        ids = {m.id if m.score >= THRESHOLD else None for m in named}
        if len(ids) == 1 and (found := ids.pop()) is not None:
            column.id, column.score, column.status = found, THRESHOLD, ColumnStatus.MAPPED
