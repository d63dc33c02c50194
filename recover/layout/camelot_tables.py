"""Tables of a digital PDF page as camelot finds them, in the tool's model.

camelot (https://camelot-py.readthedocs.io) reads the PDF's own vectors and characters:
``stream`` puts columns where the text's gutters are, ``lattice`` and ``hybrid`` use the
drawn rules. Its tables are normalised into :class:`recover.model.Table`: one cell per slot
(camelot reports no merged cells), boxes in pixels of the page as rendered, text from the
text layer with camelot's flavor as the engine in the provenance.
"""

from __future__ import annotations

import warnings
from enum import StrEnum
from pathlib import Path
from typing import Any

from recover.errors import RecoverError
from recover.model import BBox, Cell, CellStatus, Grid, Provenance, Table, TableLayout, TextSource
from recover.read.amounts import clean_text, parse_amount
from recover.read.join_lines import join_lines


class CamelotFlavor(StrEnum):
    """camelot's ways of finding a table."""

    LATTICE = "lattice"
    STREAM = "stream"
    HYBRID = "hybrid"


def require_camelot() -> Any:
    """camelot's ``read_pdf``; a clear error when it cannot be imported (a broken install)."""
    try:
        from camelot.io import read_pdf
    except ImportError as exc:
        raise RecoverError(
            f"camelot cannot be imported ({exc}): reinstall recover, or use --digital-engine recover"
        ) from None
    return read_pdf


def camelot_tables(
    pdf: Path, page: int, dpi: int, height_px: int, flavor: CamelotFlavor, areas: list[BBox] | None = None
) -> list[Table]:
    """camelot's tables on ``page`` of ``pdf`` (rendered at ``dpi``, ``height_px`` tall),
    only inside ``areas`` (pixel boxes) when given."""
    read_pdf = require_camelot()
    scale = dpi / 72
    height_pt = height_px / scale
    kwargs: dict[str, Any] = {}
    if areas:
        # camelot wants left, top, right, bottom in PDF points (origin bottom left).
        kwargs["table_areas"] = [
            f"{x0 / scale},{height_pt - y0 / scale},{x1 / scale},{height_pt - y1 / scale}"
            for x0, y0, x1, y1 in areas
        ]
    if flavor is not CamelotFlavor.STREAM:
        kwargs["backend"] = "pdfium"  # rules found on a pdfium rendering: no ghostscript
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no tables found" is an empty list here, not a warning
        found = read_pdf(str(pdf), pages=str(page), flavor=flavor.value, **kwargs)
    return [_table(i, page, t, scale, height_pt, flavor) for i, t in enumerate(found)]


def _box(x1: float, y1: float, x2: float, y2: float, scale: float, height_pt: float) -> BBox:
    """A box in PDF points (origin bottom left) as pixels (origin top left)."""
    return (
        round(x1 * scale),
        round((height_pt - y2) * scale),
        round(x2 * scale),
        round((height_pt - y1) * scale),
    )


def _table(index: int, page: int, found: Any, scale: float, height_pt: float, flavor: CamelotFlavor) -> Table:
    engine = f"camelot {flavor.value}"
    cells = []
    for r, row in enumerate(found.cells):
        for c, slot in enumerate(row):
            raw = str(slot.text).strip("\n")
            text = clean_text(join_lines(raw.split("\n"))) if raw else ""
            cells.append(
                Cell(
                    row=r,
                    col=c,
                    row_span=1,
                    col_span=1,
                    page=page,
                    bbox=_box(slot.x1, slot.y1, slot.x2, slot.y2, scale, height_pt),
                    text=text,
                    value=parse_amount(text),
                    confidence=1.0,
                    status=CellStatus.OK if text else CellStatus.EMPTY,
                    provenance=Provenance(engine=engine, source=TextSource.TEXT_LAYER, raw_text=raw),
                )
            )
    rows = [float(found.rows[0][0]), *(float(bottom) for _, bottom in found.rows)]
    cols = [float(found.cols[0][0]), *(float(right) for _, right in found.cols)]
    grid = Grid(
        row_lines=[round((height_pt - y) * scale) for y in rows],
        col_lines=[round(x * scale) for x in cols],
    )
    bbox = (grid.col_lines[0], grid.row_lines[0], grid.col_lines[-1], grid.row_lines[-1])
    layout = TableLayout.RULED if flavor is CamelotFlavor.LATTICE else TableLayout.BORDERLESS
    n_rows, n_cols = len(found.rows), len(found.cols)
    return Table(index, page, bbox, n_rows, n_cols, cells, grid, layout=layout)
