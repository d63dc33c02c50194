"""Which header cells head a total column: by their words (合计/总计/小计) or, where the
OCR garbled the words, by the canonical id labelling gave their column."""

from __future__ import annotations

import re

from recover.label.total_columns import is_total_id
from recover.model import Cell, Table

_TOTAL_HEADER = re.compile(r"(合计|总计|小计)$")


def is_total_header(text: str) -> bool:
    """合计/总计/小计 headers (本年支出合计, “三公”经费合计), OCR specks and digits aside."""
    return bool(_TOTAL_HEADER.search(re.sub(r"[^\u4e00-\u9fff]", "", text)))


def total_columns(table: Table) -> frozenset[int]:
    """Columns labelling named a total (id ``total`` or ``…_total``): a garbled 合计 (台评,
    小日) that labelling identified by its amounts or its damaged word still heads a rule."""
    return frozenset(m.col for m in table.columns if is_total_id(m.id))


def heads_total(cell: Cell, header: list[Cell], totals: frozenset[int]) -> bool:
    """A header cell that heads a total column: by its words, or, for the leaf (lowest
    header cell) of its column, by the column's canonical id."""
    if is_total_header(cell.text):
        return True
    if cell.col_span != 1 or cell.col not in totals:
        return False
    return all(c.row_end <= cell.row_end for c in header if c.col <= cell.col <= c.col_end)


def total_block(cell: Cell, header: list[Cell], n_cols: int, totals: frozenset[int]) -> tuple[int, int]:
    """From ``cell`` up to the next column of its header row that heads a total (the next
    repeated block: 预算数 合计 … | 决算数 合计 …), or to the table's last column."""
    later = [
        c.col for c in header if c.row == cell.row and c.col > cell.col and heads_total(c, header, totals)
    ]
    return cell.col, (min(later) - 1 if later else n_cols - 1)
