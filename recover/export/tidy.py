"""The tidy long table: one row per recovered amount, so many filings stack into one dataset.

Columns: document, form, table, page, row, row_code, row_name, column (canonical id, or
``unmapped:<printed path>``), column_path, value, unit, status. Values can be converted to
元 / 千元 / 万元 / 亿元 exactly (Decimal); a table whose unit the page does not state is
never converted, and says so in its unit column.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from recover.export.csv_text import csv_safe
from recover.model import Document, Table, key_cols
from recover.read.chinese import has_chinese

UNIT_FACTORS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
FIELDS = [
    "document",
    "form",
    "table",
    "page",
    "row",
    "row_code",
    "row_name",
    "column",
    "column_path",
    "value",
    "unit",
    "status",
]
_NUMERIC = {"table", "page", "row", "value"}  # written as they are: digits, never formulas


def convert(value: Decimal, unit: str, target: str | None) -> tuple[Decimal, str]:
    """``value`` in ``target`` units (exact); unchanged when either unit is unknown."""
    if target is None or unit not in UNIT_FACTORS or target not in UNIT_FACTORS:
        return value, unit or ("unknown" if target else "")
    if unit == target:
        return value, unit
    converted = value * UNIT_FACTORS[unit] / UNIT_FACTORS[target]
    return converted.normalize() if converted == converted.to_integral_value() else converted, target


def _plain(value: Decimal) -> str:
    return format(value, "f")


def _row_name(table: Table, row: int, col: int) -> str:
    """The nearest text to the left of an amount in its row (its line item)."""
    for c in range(col - 1, -1, -1):
        cell = table.cell_at(row, c)
        if cell is not None and cell.value is None and has_chinese(cell.text):
            return re.sub(r"\s+", "", cell.text)
    return ""


def tidy_rows(document: str, table_number: int, table: Table, unit: str | None) -> list[dict[str, str]]:
    """Tidy rows of one table's body amounts (texts as printed; writers neutralise formulas)."""
    codes = table.view.row_codes
    names = {m.col: m for m in table.columns}
    keys = key_cols(table)
    rows = []
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        if cell.row < table.header_rows or cell.value is None or cell.col in keys:
            continue
        mapping = names.get(cell.col)
        path = " / ".join(mapping.path) if mapping else ""
        column = mapping.id if mapping and mapping.id else f"unmapped:{path}"
        value, shown_unit = convert(cell.value, table.meta.unit, unit)
        rows.append(
            {
                "document": document,
                "form": table.meta.form,
                "table": str(table_number),
                "page": str(cell.page),
                "row": str(cell.row + 1),
                "row_code": codes.get(cell.row, ""),
                "row_name": _row_name(table, cell.row, cell.col),
                "column": column,
                "column_path": path,
                "value": _plain(value),
                "unit": shown_unit,
                "status": cell.status.value,
            }
        )
    return rows


def tidy_csv(doc: Document, document: str, unit: str | None = None) -> bytes:
    """The document's tidy CSV (UTF-8 with BOM)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for number, table in enumerate(doc.tables, start=1):
        for row in tidy_rows(document, number, table, unit):
            writer.writerow({k: v if k in _NUMERIC else csv_safe(v, False) for k, v in row.items()})
    return buf.getvalue().encode("utf-8-sig")
