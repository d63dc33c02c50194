"""Document stage: a table that runs over a page break becomes one table.

Judged by structure: the next page's first table has the same column count and column
positions (after scaling to the table width), no title of its own, and either no header
or the same header repeated; the first table ends low on its page and the next starts
high on its. Repeated header rows are dropped, a merged cell cut by the break is joined,
and every cell keeps its own page. The totals are then checked again over the whole
table: rules that only the joined table shows (a 类 row on one page, its 款 rows on the
next) are evaluated and a failure is flagged (never repaired: the crops are gone by now).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from recover.check.constraints import Constraint, Slot
from recover.check.discover import discover, table_numbers
from recover.check.repair import read_clearly
from recover.label.stage import ROW_KEYS
from recover.model import Cell, CellStatus, Document, Page, Table, TableChecks
from recover.read.reread import Reread

COLUMN_SHIFT = 0.03  # largest difference of a column line, as a share of the table width
LOW_ON_PAGE = 0.55  # the first part must end below this share of its page's height
HIGH_ON_PAGE = 0.45  # the next part must start above this share of its page's height
MIN_OWN_COLUMNS = 2  # amount columns a header of its own must name for a new table


@dataclass
class _Tail:
    """The last part of a (possibly already stitched) table: where it ends."""

    table: Table
    part: Table
    page: Page


def _column_shape(table: Table) -> list[float] | None:
    if table.grid is None or len(table.grid.col_lines) < 2:
        return None
    lines = table.grid.col_lines
    width = lines[-1] - lines[0]
    return [(x - lines[0]) / width for x in lines] if width > 0 else None


def _header_texts(table: Table, rows: int) -> list[str]:
    return [
        re.sub(r"\s+", "", c.text) for c in sorted(table.cells, key=lambda c: (c.row, c.col)) if c.row < rows
    ]


def repeated_header_rows(first: Table, part: Table, nxt: Table) -> int | None:
    """How many of ``nxt``'s top rows repeat the header (0: none printed), or None when
    ``nxt`` does not continue the table whose first part is ``first`` and last is ``part``."""
    if nxt.n_cols != part.n_cols:
        return None
    shape_a, shape_b = _column_shape(part), _column_shape(nxt)
    if shape_a is None or shape_b is None or len(shape_a) != len(shape_b):
        return None
    if max(abs(a - b) for a, b in zip(shape_a, shape_b, strict=True)) > COLUMN_SHIFT:
        return None
    if nxt.meta.title and nxt.meta.title != first.meta.title:
        return None
    if nxt.header_rows == 0:
        return 0
    if nxt.header_rows == first.header_rows and _header_texts(nxt, nxt.header_rows) == _header_texts(
        first, first.header_rows
    ):
        return nxt.header_rows
    # Top rows without amounts that name no known columns are body rows of the
    # continuation (a text-only row, an empty row), not a header of a new table.
    own_columns = sum(1 for c in nxt.columns if c.status == "mapped" and c.id not in ROW_KEYS)
    return 0 if own_columns < MIN_OWN_COLUMNS else None


def _breaks_between(tail: _Tail, nxt: Table, nxt_page: Page) -> bool:
    ends_low = tail.part.bbox[3] >= LOW_ON_PAGE * tail.page.height
    starts_high = nxt.bbox[1] <= HIGH_ON_PAGE * nxt_page.height
    return nxt_page.number == tail.page.number + 1 and ends_low and starts_high


def _join_cut_cells(table: Table, boundary: int, numeric_cols: set[int]) -> None:
    """Join a label cell that the break cut in two: merged on at least one side, and
    empty on one side or merged on both (市州 names merged down many rows)."""
    above = {c.col: c for c in table.cells if c.row_end == boundary - 1}
    for below in [c for c in table.cells if c.row == boundary]:
        top = above.get(below.col)
        if top is None or top.col_span != below.col_span or below.col in numeric_cols:
            continue
        merged = top.row_span > 1 or below.row_span > 1
        if not merged or (top.text and below.text and not (top.row_span > 1 and below.row_span > 1)):
            continue
        top.row_span += below.row_span
        top.text = top.text + below.text
        if top.status is CellStatus.EMPTY and below.status is not CellStatus.EMPTY:
            top.status, top.confidence, top.provenance = below.status, below.confidence, below.provenance
        table.cells.remove(below)


def _shifted(con: dict[str, object], offset: int) -> dict[str, object]:
    target = con["target"]
    parts = con["parts"]
    assert isinstance(target, list) and isinstance(parts, list)
    return {
        **con,
        "target": [target[0] + offset, target[1]],
        "parts": [[r + offset, c] for r, c in parts],
    }


def _merged_checks(a: TableChecks | None, b: TableChecks | None, offset: int) -> TableChecks | None:
    if a is None or b is None:
        return a or b
    return TableChecks(
        constraints=a.constraints + [_shifted(c, offset) for c in b.constraints],
        found=a.found + b.found,
        holding=a.holding + b.holding,
        repaired=a.repaired + b.repaired,
        unresolved=a.unresolved + b.unresolved,
        inconsistencies=a.inconsistencies
        + [{**i, "constraint": _shifted(i["constraint"], offset)} for i in b.inconsistencies],
    )


def _check_whole(table: Table, reread: Reread | None) -> None:
    """Evaluate the rules only the joined table shows; flag the cells of those that fail."""
    if table.checks is None:
        return
    known = {(tuple(c["target"]), tuple(tuple(p) for p in c["parts"])) for c in table.checks.constraints}
    numbers, found = discover(table)
    cells = {(c.row, c.col): c for c in table.cells}
    for con in found:
        if (con.target, con.parts) in known:
            continue
        held = con.holds(numbers.values)
        table.checks.constraints.append(con.to_dict())
        table.checks.found += 1
        if held:
            table.checks.holding += 1
        elif held is False:
            table.checks.unresolved += 1
            _flag_failure(con, numbers.values, cells, table.checks, reread)


def _flag_failure(
    con: Constraint,
    values: Mapping[Slot, Decimal | None],
    cells: dict[Slot, Cell],
    checks: TableChecks,
    reread: Reread | None,
) -> None:
    residual = con.residual(values)
    if all(slot in cells and read_clearly(cells[slot], reread) for slot in con.slots):
        # Every figure was read clearly: the filing itself does not add up.
        reason = f"source inconsistency: {con.label} is off by {residual} as printed (over the page break)"
        checks.inconsistencies.append({"constraint": con.to_dict(), "off_by": str(residual)})
    else:
        reason = f"{con.label} fails by {residual} over the page break; no single reading is sure"
    for slot in con.slots:
        cell = cells.get(slot)
        if cell is None or cell.status is CellStatus.REPAIRED:
            continue
        if cell.value is not None or cell.text:
            cell.status = CellStatus.FLAGGED
            cell.flags.append(reason)


def stitch(first: Table, nxt: Table, repeated: int) -> None:
    """Append ``nxt`` (its repeated header rows dropped) to ``first``, in place."""
    offset = first.n_rows - repeated
    boundary = first.n_rows
    for cell in nxt.cells:
        if cell.row < repeated:
            continue
        cell.row += offset
        first.cells.append(cell)
    first.n_rows += nxt.n_rows - repeated
    first.checks = _merged_checks(first.checks, nxt.checks, offset)
    _join_cut_cells(first, boundary, set(table_numbers(first).numeric_cols))
    first.meta.parts.append(f"page {nxt.page} table {nxt.index + 1}")


def stitch_document(doc: Document, reread: Reread | None = None) -> Document:
    """Join every table that continues over page breaks into its first part.

    ``reread`` (optional) gives a digits-only second reading of a cell from its page: with
    it a failing rule of the joined table whose figures are confirmed is reported as the
    filing's own inconsistency.
    """
    tail: _Tail | None = None
    stitched: set[int] = set()
    for page in doc.pages:
        for position, table in enumerate(list(page.tables)):
            if position == 0 and tail is not None and _breaks_between(tail, table, page):
                repeated = repeated_header_rows(tail.table, tail.part, table)
                if repeated is not None:
                    if not tail.table.meta.parts:
                        tail.table.meta.parts.append(f"page {tail.table.page} table {tail.table.index + 1}")
                    stitch(tail.table, table, repeated)
                    stitched.add(id(tail.table))
                    page.tables.remove(table)
                    tail = _Tail(tail.table, table, page)
                    continue
            tail = _Tail(table, table, page) if table is page.tables[-1] else None
        for index, table in enumerate(page.tables):
            if table.page == page.number:
                table.index = index
    for table in doc.tables:
        if id(table) in stitched:
            _check_whole(table, reread)
    return doc
