"""Build a Table model from rows of printed text, as if read by OCR (for check tests)."""

from __future__ import annotations

from recover.label.numeric_view import numeric_view
from recover.model import Cell, CellStatus, Provenance, Table
from recover.read.amounts import clean_text, parse_amount


def make_table(rows: list[list[str]], confidence: dict[tuple[int, int], float] | None = None) -> Table:
    """One cell per slot; confidence 0.999 unless given for a slot."""
    confidence = confidence or {}
    cells = []
    for r, row in enumerate(rows):
        for c, raw in enumerate(row):
            text = clean_text(raw)
            cells.append(
                Cell(
                    row=r,
                    col=c,
                    row_span=1,
                    col_span=1,
                    page=1,
                    bbox=(c * 100, r * 40, c * 100 + 100, r * 40 + 40),
                    text=text,
                    value=parse_amount(text),
                    confidence=confidence.get((r, c), 0.999),
                    status=CellStatus.OK if text else CellStatus.EMPTY,
                    provenance=Provenance("test", raw_text=raw, line_scores=[0.999]),
                )
            )
    table = Table(0, 1, (0, 0, 100 * len(rows[0]), 40 * len(rows)), len(rows), len(rows[0]), cells)
    return labelled(table)


def labelled(table: Table) -> Table:
    """The table with its numeric view recorded, as the label stage leaves it for the checks."""
    table.view = numeric_view(table)
    return table
