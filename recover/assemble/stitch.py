"""The assemble stage: a table that continues another takes its names, and one that runs
over a page break becomes one table with it.

One rule decides whether a table continues the one before (:func:`continuation`): the same
column count, no title of its own (the same, or one marked 续 that names the same form), and
no header, the same header repeated (its top rows; a body row without amounts below them is
a body row), or a header that names no columns of its own. A continuation printed apart keeps its own
cells and takes the continued table's form, year, unit and organisation (and, headerless,
its column names). One that starts high on the page after the continued table ended low,
with its columns at the same relative positions, is joined to it: repeated header rows
are dropped, a merged cell cut by the break is joined, every cell keeps its own page, and
the joined table is labelled again as a whole (its checks come after this stage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from recover.label.numeric_view import numeric_view
from recover.label.stage import ROW_KEYS
from recover.model import CellStatus, ColumnMapping, ColumnStatus, Document, Page, Table

COLUMN_SHIFT = 0.03  # largest difference of a column line, as a share of the table width
LOW_ON_PAGE = 0.55  # the first part must end below this share of its page's height
HIGH_ON_PAGE = 0.45  # the next part must start above this share of its page's height
MIN_OWN_COLUMNS = 2  # amount columns a header of its own must name for a new table
SAME_HEADER = 90  # rapidfuzz ratio of two headers' words for one to repeat the other
# "预算01表(续)", "（续表）", "续表": a title that says the page continues a table.
CONTINUED_MARK = re.compile(r"[（(]\s*续表?\s*[)）]|续表")


@dataclass(frozen=True)
class Continuation:
    """How a table continues the one before it."""

    repeated_rows: int  # its top rows that repeat the continued table's header
    joins: bool  # no header of its own: one table with the continued one where the page breaks


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
    # Specks a scan adds beside header words ("市州■", "县市区_") are no part of the header.
    return [
        re.sub(r"[\W_]+", "", c.text)
        for c in sorted(table.cells, key=lambda c: (c.row, c.col))
        if c.row < rows
    ]


def _repeated_header(first: Table, table: Table) -> int:
    """How many top rows of ``table`` repeat the header of ``first``: its header rows, the
    same cells, their words alike (a character misread here and there); 0 when they do not.
    The continuation's own header count is not asked: a body row without amounts under the
    repeated header (blank amounts are common on a continuation page) reads as header too."""
    rows = first.header_rows
    if rows == 0 or table.n_rows <= rows or any(c.row < rows <= c.row_end for c in table.cells):
        return 0
    a, b = _header_texts(first, rows), _header_texts(table, rows)
    return rows if len(a) == len(b) and fuzz.ratio("|".join(a), "|".join(b)) >= SAME_HEADER else 0


def _titled_apart(first: Table, table: Table) -> bool:
    """``table`` has a title of its own: not that of ``first``, nor a title marked as
    continued (续) whose rest is empty or names ``first`` (its title or form label)."""
    title = table.meta.title
    if not title or title == first.meta.title:
        return False
    if not CONTINUED_MARK.search(title):
        return True
    rest = re.sub(r"[\W_]+", "", CONTINUED_MARK.sub("", title))
    names = [re.sub(r"[\W_]+", "", n) for n in (first.meta.title, first.meta.form_label) if n]
    return bool(rest) and not any(fuzz.ratio(rest, n) >= SAME_HEADER for n in names)


def continuation(first: Table, table: Table) -> Continuation | None:
    """How ``table`` continues ``first`` (the continued table's first part), or None when
    it is a table of its own."""
    if table.n_cols != first.n_cols:
        return None
    titled_apart = _titled_apart(first, table)
    if table.header_rows == 0:
        return Continuation(0, joins=not titled_apart)
    if titled_apart:
        return None
    repeated = _repeated_header(first, table)
    if repeated:
        return Continuation(repeated, joins=True)
    # Top rows without amounts that name no known columns are body rows of the
    # continuation (a text-only row, an empty row), not a header of a new table.
    own_columns = sum(1 for c in table.columns if c.status is ColumnStatus.MAPPED and c.id not in ROW_KEYS)
    return Continuation(0, joins=own_columns < MIN_OWN_COLUMNS)


def _meets_at_break(tail: _Tail, nxt: Table, nxt_page: Page) -> bool:
    """``nxt`` starts high on the page after the one where the tail ends low, with its
    columns where the tail's are."""
    shape_a, shape_b = _column_shape(tail.part), _column_shape(nxt)
    if shape_a is None or shape_b is None or len(shape_a) != len(shape_b):
        return False
    if max(abs(a - b) for a, b in zip(shape_a, shape_b, strict=True)) > COLUMN_SHIFT:
        return False
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


def _inherit(previous: Table, table: Table, columns: bool) -> None:
    """Take form, year, unit and organisation (and the column names) of the table continued."""
    if columns:
        table.columns = [ColumnMapping(c.col, c.path, c.id, c.score, c.status) for c in previous.columns]
    table.meta.form, table.meta.form_score = previous.meta.form, previous.meta.form_score
    table.meta.year = table.meta.year or previous.meta.year
    table.meta.unit = table.meta.unit or previous.meta.unit
    table.meta.organisation = table.meta.organisation or previous.meta.organisation
    table.meta.continues = previous.meta.continues or f"page {previous.page} table {previous.index + 1}"


def stitch(first: Table, nxt: Table, repeated: int) -> None:
    """Append ``nxt`` (its repeated header rows dropped) to ``first``, in place, and label
    the joined table's numbers anew."""
    if not first.meta.parts:
        first.meta.parts.append(f"page {first.page} table {first.index + 1}")
        first.meta.part_rows.append(0)
    offset = first.n_rows - repeated
    boundary = first.n_rows
    for cell in nxt.cells:
        if cell.row < repeated:
            continue
        cell.row += offset
        first.cells.append(cell)
    first.n_rows += nxt.n_rows - repeated
    _join_cut_cells(first, boundary, set(numeric_view(first).numeric_cols))
    first.view = numeric_view(first)
    first.meta.parts.append(f"page {nxt.page} table {nxt.index + 1}")
    first.meta.part_rows.append(boundary)


def assemble_document(doc: Document) -> Document:
    """Decide every continuation: inherit names, join tables over page breaks."""
    head: Table | None = None  # the table a continuation would continue
    tail: _Tail | None = None  # the last part of the last table on the previous page
    for page in doc.pages:
        for position, table in enumerate(list(page.tables)):
            found = None if head is None else continuation(head, table)
            if head is not None and found is not None:
                at_break = position == 0 and tail is not None and _meets_at_break(tail, table, page)
                if found.joins and at_break and tail is not None:
                    stitch(tail.table, table, found.repeated_rows)
                    page.tables.remove(table)
                    tail = _Tail(tail.table, table, page)
                    continue
                _inherit(head, table, columns=table.header_rows == 0)
            if table.header_rows > 0 or found is None:
                head = table
            tail = _Tail(table, table, page) if table is page.tables[-1] else None
        for index, table in enumerate(page.tables):
            if table.page == page.number:
                table.index = index
    return doc
