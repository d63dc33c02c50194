"""``<stem>.xlsx``: one workbook per filing, for the analyst who opens results in Excel.

A sheet per table: its title and a line with organisation, unit and page above the grid,
merged cells merged as printed, amounts as numbers with the printed number of decimals, and
each cell coloured by its trust tier (no colour: proven by a total; grey: unproven; blue:
repaired; red / yellow: flagged / low confidence; green: reviewed) with the reason as a cell
comment, and the table's proof coverage in the caption. Then a ``findings`` sheet (the rows
of ``findings.csv``) and a ``tidy`` sheet (the rows of ``tidy.csv``, values as numbers).

Amounts are written as numbers (Excel keeps doubles): an amount of at most 15 significant
digits is shown, and reads back, exactly; a longer one is written as text rather than rounded.
Text is always written as text, never as a formula, whatever it starts with.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from recover.export.findings import HEADER as FINDINGS_HEADER
from recover.export.findings import finding_rows
from recover.export.tidy import FIELDS as TIDY_FIELDS
from recover.export.tidy import tidy_rows
from recover.model import Cell, CellStatus, Document, Table, table_proof

CAPTION_ROWS = 2
"""Rows above each table's grid: its title, then organisation, unit and page."""

STATUS_FILLS = {
    # A proven amount has no fill: what is left uncoloured is what the totals prove.
    CellStatus.UNPROVEN: PatternFill("solid", fgColor="E7E6E6"),  # grey: read clearly, no total covers it
    CellStatus.FLAGGED: PatternFill("solid", fgColor="FFC7CE"),  # red: wrong or doubtful, review it
    CellStatus.LOW_CONFIDENCE: PatternFill("solid", fgColor="FFEB9C"),  # yellow: text read unsurely
    CellStatus.REPAIRED: PatternFill("solid", fgColor="BDD7EE"),  # blue: corrected, the totals prove it
    CellStatus.REVIEWED: PatternFill("solid", fgColor="C6EFCE"),  # green: a person decided it
}
STATUS_WORDS = {
    CellStatus.FLAGGED: "flagged for review",
    CellStatus.LOW_CONFIDENCE: "low confidence",
    CellStatus.REPAIRED: "repaired",
    CellStatus.REVIEWED: "reviewed",
}
_EXACT_DIGITS = 15  # significant digits a double shows exactly
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31
_HEADER_FONT = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=13)


def workbook_bytes(doc: Document, document: str, unit: str | None = None) -> bytes:
    """The filing's workbook as .xlsx bytes (``unit`` converts the tidy sheet as in tidy.csv)."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = {"findings", "tidy"}
    for number, table in enumerate(doc.tables, start=1):
        _table_sheet(book.create_sheet(sheet_name(number, table, used)), table)
    _rows_sheet(book.create_sheet("findings"), FINDINGS_HEADER, finding_rows(doc), numeric=set())
    tidy = [
        [row[f] for f in TIDY_FIELDS]
        for number, table in enumerate(doc.tables, start=1)
        for row in tidy_rows(document, number, table, unit)
    ]
    _rows_sheet(book.create_sheet("tidy"), TIDY_FIELDS, tidy, numeric={TIDY_FIELDS.index("value")})
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def sheet_name(number: int, table: Table, used: set[str]) -> str:
    """A unique sheet name of at most 31 characters: the table's number and printed title
    (or its form's id when the page prints none)."""
    label = _SHEET_FORBIDDEN.sub("", table.meta.title or table.meta.form).strip("' ")
    base = f"{number:02d} {label}".strip()[:_SHEET_MAX]
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[: _SHEET_MAX - len(str(n)) - 1]}~{n}"
    used.add(name.lower())
    return name


def _table_sheet(sheet: Worksheet, table: Table) -> None:
    width = max(1, table.n_cols)
    title = table.meta.title or table.meta.form or f"table {table.index + 1} on page {table.page}"
    _put_text(sheet, 1, 1, title).font = _TITLE_FONT
    _put_text(sheet, 2, 1, _caption(table))
    for row in (1, 2):
        if width > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    for cell in table.cells:
        _put_cell(sheet, table, cell)
    sheet.freeze_panes = sheet.cell(row=CAPTION_ROWS + table.header_rows + 1, column=1)
    _fit_columns(sheet, table)


def _caption(table: Table) -> str:
    meta = table.meta
    pages = sorted({c.page for c in table.cells} or {table.page})
    where = f"page {pages[0]}" if len(pages) == 1 else f"pages {pages[0]}–{pages[-1]}"
    parts = [
        f"编制单位：{meta.organisation}" if meta.organisation else "",
        f"单位：{meta.unit}" if meta.unit else "单位：未注明 (unit not stated)",
        where,
        _proof_caption(table),
    ]
    return "    ".join(p for p in parts if p)


def _proof_caption(table: Table) -> str:
    """The table's proof coverage, as the caption shows it (nothing for a table of no amounts)."""
    tally = table_proof(table)
    if not tally.amounts:
        return ""
    unproven = f"{tally.unproven} unproven, in grey"
    return f"proof {100 * tally.coverage:.1f}% of {tally.amounts} amounts ({unproven})"


def _put_cell(sheet: Worksheet, table: Table, cell: Cell) -> None:
    row, col = cell.row + CAPTION_ROWS + 1, cell.col + 1
    number = None if cell.value is None else _as_number(cell.value)
    if number is None:
        target = _put_text(sheet, row, col, cell.text)
    else:
        target = sheet.cell(row=row, column=col, value=number[0])
        target.number_format = number[1]
    if cell.row_span > 1 or cell.col_span > 1:
        sheet.merge_cells(start_row=row, start_column=col, end_row=row + cell.row_span - 1,
                          end_column=col + cell.col_span - 1)  # fmt: skip
    if cell.row < table.header_rows:
        target.font = _HEADER_FONT
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fill = STATUS_FILLS.get(cell.status)
    if fill is not None:
        target.fill = fill
    note = cell_comment(cell)
    if note:
        comment = Comment(note, "recover")
        comment.width, comment.height = 320, 40 + 18 * note.count("\n")
        target.comment = comment


def cell_comment(cell: Cell) -> str:
    """Why a cell has its status: flags, the repair and its proof, suggestions, the decision."""
    lines = []
    if cell.status in STATUS_WORDS:
        score = f" (score {cell.confidence:.2f})" if cell.status is CellStatus.LOW_CONFIDENCE else ""
        lines.append(STATUS_WORDS[cell.status] + score)
    if cell.repair is not None:
        r = cell.repair
        lines.append(f"read {r.printed}, repaired to {r.text}: {r.explanation}")
        lines.extend(f"holds only so: {c}" for c in r.constraints)
    lines.extend(f.message for f in cell.flags)
    lines.extend(f"suggested {s.text}: {s.reason}" for s in cell.suggestions)
    if cell.review is not None:
        v = cell.review
        by = f" by {v.reviewer}" if v.reviewer else ""
        lines.append(f"{v.action}{by} {v.at}: was {v.printed or '(empty)'}".replace("  ", " "))
    return _clean("\n".join(lines))


def _as_number(value: Decimal) -> tuple[int | float, str] | None:
    """The amount as a spreadsheet number with a format showing its printed decimals."""
    if not value.is_finite():
        return None
    _, digits, exponent = value.as_tuple()
    if len(digits) > _EXACT_DIGITS:
        return None  # a double would round it: keep the exact text instead
    places = max(0, -int(exponent))
    fmt = "#,##0" + ("." + "0" * places if places else "")
    return (int(value) if places == 0 else float(value)), fmt


def _put_text(sheet: Worksheet, row: int, col: int, text: str) -> SheetCell:
    """Write ``text`` as a string cell: never evaluated as a formula, whatever it starts with."""
    target = sheet.cell(row=row, column=col)
    target.value = _clean(text)
    target.data_type = "s"
    target.quotePrefix = True
    return target


def _clean(text: str) -> str:
    # Control characters are not allowed in the file format; a PDF's text layer may hold some.
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def _rows_sheet(sheet: Worksheet, header: list[str], rows: list[list[str]], numeric: set[int]) -> None:
    for col, name in enumerate(header, start=1):
        _put_text(sheet, 1, col, name).font = _HEADER_FONT
    for r, row in enumerate(rows, start=2):
        for c, text in enumerate(row):
            number = _as_number(Decimal(text)) if c in numeric and text else None
            if number is None:
                _put_text(sheet, r, c + 1, text)
            else:
                sheet.cell(row=r, column=c + 1, value=number[0]).number_format = number[1]
    sheet.freeze_panes = "A2"
    for col, name in enumerate(header, start=1):
        longest = max([_display_width(name), *(_display_width(row[col - 1]) for row in rows[:500])])
        sheet.column_dimensions[get_column_letter(col)].width = min(60, longest + 2)


def _fit_columns(sheet: Worksheet, table: Table) -> None:
    widths = [8] * table.n_cols
    for cell in table.cells:
        if cell.col_span == 1:
            widths[cell.col] = max(widths[cell.col], _display_width(cell.text))
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(40, width + 2)


def _display_width(text: str) -> int:
    """Columns a line of text takes: CJK characters are twice as wide."""
    line = max(text.split("\n"), key=len) if text else ""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)
