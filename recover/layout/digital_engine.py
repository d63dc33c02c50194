"""Who finds the tables of a page read from its text layer: the tool's own grid, or camelot.

Measured (BENCHMARKS.md, issue 15): on ruled digital tables the own grid is exact and camelot
is not; on tables drawn without vertical rules camelot's stream flavour recovers more. So by
default (``auto``) a text-layer table without vertical rules is replaced by the camelot stream
table that overlaps it most; ``camelot`` takes every text-layer table from camelot (lattice
where ruled), ``recover`` never calls camelot.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from recover.layout.camelot_tables import CamelotFlavor, camelot_tables
from recover.model import BBox, Page, Table, TableLayout, TextSource
from recover.read.page_text import mark_inferred


class DigitalEngine(StrEnum):
    """Who finds the tables of a page read from its text layer."""

    RECOVER = "recover"  # the tool's own grid (the scans' grid code) with the page's characters
    AUTO = "auto"  # own grid where vertical rules are drawn; camelot stream for tables without them
    CAMELOT = "camelot"  # camelot for every table: lattice where ruled, stream otherwise


def camelot_where_it_wins(page: Page, pdf: Path, engine: DigitalEngine) -> None:
    """Replace the page's text-layer tables that camelot finds better, in place.

    Title, unit and form stay the tool's (read around its own table). A table camelot finds
    nothing for keeps its own grid, and the page notes say so; a table with cells read by OCR
    keeps its own grid too (camelot sees only the text layer).
    """
    found: dict[CamelotFlavor, list[Table]] = {}
    for i, table in enumerate(page.tables):
        if table.layout is TableLayout.RULED and engine is not DigitalEngine.CAMELOT:
            continue
        if any(
            c.text and c.provenance and c.provenance.source is not TextSource.TEXT_LAYER for c in table.cells
        ):
            continue
        flavor = CamelotFlavor.LATTICE if table.layout is TableLayout.RULED else CamelotFlavor.STREAM
        if flavor not in found:
            found[flavor] = camelot_tables(pdf, page.number, page.dpi, page.height, flavor)
        best = max(found[flavor], key=lambda t: _overlap(t.bbox, table.bbox), default=None)
        if best is None or _overlap(best.bbox, table.bbox) == 0 or best.n_cols < 2:
            page.notes.append(f"camelot {flavor.value} found no table at {list(table.bbox)}: own grid kept")
            continue
        found[flavor].remove(best)
        best.index, best.meta, best.layout = table.index, table.meta, table.layout
        if best.layout is TableLayout.BORDERLESS:
            mark_inferred(best)
        page.tables[i] = best


def _overlap(a: BBox, b: BBox) -> int:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, width) * max(0, height)
