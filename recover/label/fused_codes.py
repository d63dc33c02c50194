"""A subject code and its name read as one cell (``01行政运行``): two values, put back apart.

A column rule lost in one row (or a name printed tight against its code) leaves a code
column's cell holding the code followed by the row's name. Where the name column has no
text of its own in that row — the cell reaches over it, or its own cell there is blank —
the name is moved to it, split at the column line, so the row's code is read whole and
checked against the classification like any other. Elsewhere the cell stays as read and
the check stage flags it (``check.structure``): one cell, two values.
"""

from __future__ import annotations

import re
from dataclasses import replace

from recover.model import Cell, CellStatus, Provenance, Table
from recover.read.amounts import parse_amount
from recover.read.chinese import has_chinese

CODE_IDS = frozenset({"code_lei", "code_kuan", "code_xiang", "subject_code"})
NAME_ID = "subject_name"
SPLIT = "a code and its name read as one cell: split at the column line"
_CODE_AND_NAME = re.compile(r"(\d{2,7})\s*(\D.*)", re.DOTALL)


def code_and_name(text: str) -> tuple[str, str] | None:
    """(code, name) of a reading that is a code followed by words; None for anything else."""
    found = _CODE_AND_NAME.fullmatch(text.strip())
    if found is None or not has_chinese(found.group(2)):
        return None
    return found.group(1), found.group(2).strip()


def _name_col(table: Table) -> int | None:
    """The column the table prints its subject names in, if labelling found one."""
    return next((m.col for m in table.columns if m.id == NAME_ID), None)


def fused_code_name(table: Table, cell: Cell) -> tuple[str, str] | None:
    """(code, name) when ``cell`` is a code column's cell holding a code and a name in a
    table that prints its names in a column of their own after it; None otherwise."""
    name_col = _name_col(table)
    codes = {m.col for m in table.columns if m.id in CODE_IDS}
    if name_col is None or cell.col not in codes or cell.col >= name_col:
        return None
    return code_and_name(cell.text)


def _split(table: Table, cell: Cell, name_col: int, code: str, name: str) -> None:
    """``cell`` (which reaches over ``name_col``) becomes the code; the name gets the columns
    from ``name_col`` on, from the grid's column line there."""
    x0, y0, x1, y1 = cell.bbox
    if table.grid is not None and len(table.grid.col_lines) > name_col:
        x = table.grid.col_lines[name_col]
    else:  # no grid recorded: the columns it spans share its width
        x = x0 + (x1 - x0) * (name_col - cell.col) // cell.col_span
    provenance = _split_provenance(cell)
    named = Cell(
        row=cell.row,
        col=name_col,
        row_span=cell.row_span,
        col_span=cell.col_end - name_col + 1,
        page=cell.page,
        bbox=(x, y0, x1, y1),
        text=name,
        confidence=cell.confidence,
        status=CellStatus.OK,
        provenance=provenance,
    )
    cell.col_span, cell.bbox = name_col - cell.col, (x0, y0, x, y1)
    cell.text, cell.value, cell.provenance = code, parse_amount(code), provenance
    table.cells.append(named)


def _split_provenance(cell: Cell) -> Provenance:
    """The reading's provenance, saying that its text was split in two (both halves carry it)."""
    if cell.provenance is None:
        return Provenance(engine="", raw_text=cell.text, reread=SPLIT)
    return replace(cell.provenance, reread=SPLIT)


def split_code_names(table: Table) -> None:
    """Put each code-and-name cell of a code column back apart where the name column is
    free in its row (in place; the cells stay in row, column order)."""
    name_col = _name_col(table)
    if name_col is None:
        return
    for cell in [c for c in table.cells if c.row >= table.header_rows]:
        parts = fused_code_name(table, cell)
        if parts is None:
            continue
        if cell.col_end >= name_col:
            _split(table, cell, name_col, *parts)
            continue
        beside = table.cell_at(cell.row, name_col)
        if (
            cell.col_end + 1 == name_col
            and beside is not None
            and beside.row == cell.row
            and not beside.text.strip()
        ):
            cell.provenance, beside.provenance = _split_provenance(cell), _split_provenance(cell)
            cell.text, cell.value = parts[0], parse_amount(parts[0])
            beside.text, beside.status, beside.confidence = parts[1], CellStatus.OK, cell.confidence
    table.cells.sort(key=lambda c: (c.row, c.col))
