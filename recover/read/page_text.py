"""The read stage: every cell's text, and the lines around each table, for one page.

From the page's text layer where it is used (exact, confidence 1.0; a cell with ink and no
characters — a pasted image — is read by OCR), otherwise by OCR: every cell line and
context line of the page in one batched recognition call.
"""

from __future__ import annotations

import numpy as np

from recover.ingest.text_layer import TextChar, TextLayer, assign_to_cells, chars_in, lines_of
from recover.label.context_lines import context_line_boxes
from recover.label.table_meta import parse_table_meta
from recover.layout.segments import Segment
from recover.model import (
    BBox,
    Cell,
    CellStatus,
    Flag,
    FlagKind,
    Page,
    PageGeometry,
    PageSource,
    Provenance,
    Table,
    TableLayout,
    TextSource,
)
from recover.prepare.orientation import PreparedPage
from recover.read.amounts import clean_text, parse_amount, regrouped
from recover.read.cell_lines import LineCrop, cell_ink, padded_crop
from recover.read.decimal_point import PointMark, point_restored
from recover.read.join_lines import join_lines
from recover.read.ocr.engine import LineReading, LineRecognizer

TEXT_LAYER_ENGINE = "pdfium text layer"
BORDERLESS_CONFIDENCE = 0.8  # below the low-confidence line: such cells are reviewed
REGROUPED_CONFIDENCE = 0.8
"""Score of a reading whose separators were put right (amounts.regrouped), or whose point
read as a character was put back (decimal_point): below the low-confidence line, so only a
total that holds lets the value through."""


def rule_width(segments: list[Segment]) -> int:
    """The median ruling-line thickness (0 without rules)."""
    thick = [s.thickness for s in segments]
    return int(np.median(thick)) if thick else 0


def context_regions(page: Page) -> list[BBox]:
    """For each table, the band between the previous table (or page top) and it."""
    regions = []
    top = 0
    for table in page.tables:
        _x0, y0, _x1, _ = table.bbox
        regions.append((0, top, page.width, y0))
        top = table.bbox[3]
    return regions


def read_page_text(
    page: Page,
    prepared: PreparedPage,
    geometry: PageGeometry,
    reader: LineRecognizer,
    low_confidence: float,
    layer: TextLayer | None = None,
    ocr_images: bool = True,
) -> None:
    """Fill every cell and each table's title/unit lines (in place)."""
    char_h = geometry.char_height
    margin = geometry.cell_margin
    jobs: list[tuple[Cell | None, int, LineCrop]] = []  # (cell or None, table index, line)
    context: dict[int, list[str]] = {}
    set_aside: dict[int, list[BBox]] = {}  # by id(cell): dust left unread beside its lines
    outside = layer.chars if layer is not None else []  # characters in no table (yet)
    for t_index, table in enumerate(page.tables):
        layer_cells: dict[int, list[TextChar]] = {}
        if layer is not None:
            layer_cells, outside = _layer_chars_by_cell(table, outside)
        for n, cell in enumerate(table.cells):
            chars = layer_cells.get(n)
            if chars:
                _fill_from_layer(cell, chars)
                continue
            if layer is not None and not ocr_images:
                continue
            ink = cell_ink(prepared.mask, cell.bbox, char_h, margin, _rows_inside(table, cell))
            jobs += [(cell, t_index, line) for line in ink.lines]
            if ink.set_aside:
                set_aside[id(cell)] = ink.set_aside
                if not ink.lines:
                    cell.provenance = Provenance(engine=reader.name, raw_text="", set_aside=ink.set_aside)
    for t_index, region in enumerate(context_regions(page)):
        if layer is not None:
            context[t_index] = lines_of(chars_in(region, outside))
        else:
            for box in context_line_boxes(prepared.mask, region, char_h):
                jobs.append((None, t_index, LineCrop(box)))
    if jobs:
        pad = geometry.crop_pad
        readings = reader.recognize([padded_crop(prepared.gray, line.bbox, pad) for _, _, line in jobs])
        read = list(zip(jobs, readings, strict=True))
        if _fill_cells(read, reader.name, low_confidence, set_aside, context) and layer is not None:
            page.source = PageSource.MIXED
    for t_index, table in enumerate(page.tables):
        table.meta = parse_table_meta(context.get(t_index, []))
        if table.layout is TableLayout.BORDERLESS:
            mark_inferred(table)


def _fill_cells(
    read: list[tuple[tuple[Cell | None, int, LineCrop], LineReading]],
    engine: str,
    low: float,
    set_aside: dict[int, list[BBox]],
    context: dict[int, list[str]],
) -> int:
    """Each cell's lines from its readings (context lines to ``context``); how many cells."""
    per_cell: dict[int, list[tuple[str, float]]] = {}
    points: dict[int, list[PointMark | None]] = {}
    cell_by_id: dict[int, Cell] = {}
    for (owner, t_index, line), reading in read:
        if owner is None:
            if reading.text.strip():
                context.setdefault(t_index, []).append(reading.text)
            continue
        cell_by_id[id(owner)] = owner
        per_cell.setdefault(id(owner), []).append((reading.text, reading.score))
        points.setdefault(id(owner), []).append(line.point)
    for key, lines in per_cell.items():
        point = points[key][0] if len(points[key]) == 1 else None
        fill_from_ocr(cell_by_id[key], lines, engine, low, set_aside.get(key, []), point)
    return len(per_cell)


def _rows_inside(table: Table, cell: Cell) -> list[int]:
    """Page y of the grid's row lines that a merged cell spans (none for a single slot)."""
    if table.grid is None or cell.row_span == 1:
        return []
    return table.grid.row_lines[cell.row + 1 : cell.row + cell.row_span]


def mark_inferred(table: Table) -> None:
    """A borderless table's columns are a best guess: every reading goes to review."""
    for cell in table.cells:
        if cell.text:
            cell.confidence = min(cell.confidence, BORDERLESS_CONFIDENCE)
            cell.status = CellStatus.LOW_CONFIDENCE
            cell.flags.append(
                Flag(FlagKind.BORDERLESS, "borderless table: columns inferred from text alignment")
            )


def _layer_chars_by_cell(
    table: Table, chars: list[TextChar]
) -> tuple[dict[int, list[TextChar]], list[TextChar]]:
    if table.grid is None:
        return {}, chars
    slots = {slot: n for n, cell in enumerate(table.cells) for slot in cell.slots}
    return assign_to_cells(slots, table.grid.row_lines, table.grid.col_lines, chars)


def _fill_from_layer(cell: Cell, chars: list[TextChar]) -> None:
    raw = "\n".join(lines_of(chars))
    cell.text = clean_text(join_lines(raw.split("\n")))
    cell.value = parse_amount(cell.text)
    cell.confidence = 1.0
    cell.provenance = Provenance(
        engine=TEXT_LAYER_ENGINE, source=TextSource.TEXT_LAYER, raw_text=raw, line_scores=[]
    )
    cell.status = CellStatus.OK if cell.text else CellStatus.EMPTY


def _reread(text: str, point: PointMark | None) -> tuple[str, str] | None:
    """The printed form of a one-line amount whose marks the recogniser misread, and why."""
    fixed = regrouped(text)
    if fixed is not None:
        return fixed, "separators misread: regrouped"
    fixed = point_restored(text, point)
    if fixed is not None:
        return fixed, "decimal point read as a character: restored from the ink"
    return None


def fill_from_ocr(
    cell: Cell,
    lines: list[tuple[str, float]],
    engine: str,
    low: float,
    set_aside: list[BBox] | None = None,
    point: PointMark | None = None,
) -> None:
    """Set a cell's text, value, confidence and status from its recognised lines
    (``set_aside``: the dust beside them that was not read; ``point``: a decimal point the
    ink of a one-line cell shows)."""
    raw = join_lines([t for t, _ in lines])
    scores = [s for t, s in lines if t.strip()]
    cell.text = clean_text(raw)
    cell.confidence = min(scores) if scores else 0.0
    # One line only: two lines of amounts joined ("3,846.03" + "2.399.21") are two values.
    reread = _reread(cell.text, point) if len(scores) == 1 else None
    if reread is not None:
        cell.text = reread[0]
        cell.confidence = min(cell.confidence, REGROUPED_CONFIDENCE)
    cell.value = parse_amount(cell.text)
    cell.provenance = Provenance(
        engine=engine,
        raw_text="\n".join(t for t, _ in lines),
        line_scores=scores,
        set_aside=set_aside or [],
        reread=reread[1] if reread is not None else "",
    )
    if not cell.text:
        cell.status = CellStatus.LOW_CONFIDENCE
        cell.flags.append(Flag(FlagKind.NOT_READ, "ink but no text read"))
    elif cell.confidence < low:
        cell.status = CellStatus.LOW_CONFIDENCE
    else:
        cell.status = CellStatus.OK
