"""The chain of page stages, and the driver that runs it over a document.

Every stage has the same shape, ``stage(work) -> work``: it reads the page model and the
intermediate images in :class:`PageWork` and returns them enriched. A page that fails is
recorded with its error and the document goes on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from recover.amounts import clean_text, parse_amount
from recover.cell_lines import line_crops, padded_crop
from recover.checks.repair import check_table
from recover.context_lines import context_line_boxes
from recover.grid.reconstruct import TableGrid, reconstruct_tables
from recover.grid.segments import Segment, rule_masks, segments_from_rule_masks
from recover.grid.text_ink import BoundaryTextInk
from recover.ingest import PageImage, SourceDocument, file_sha256
from recover.join_lines import join_lines
from recover.model import BBox, Cell, CellStatus, Document, Page, PageStatus, Provenance, Table
from recover.ocr.engine import LineRecognizer
from recover.prepare.orientation import PreparedPage, prepare_page
from recover.table_meta import parse_table_meta

log = logging.getLogger(__name__)

LOW_CONFIDENCE = 0.90
"""Recogniser score below which a cell is marked low-confidence for review."""


@dataclass
class ExtractOptions:
    """What the user chose for one extraction run."""

    dpi: int = 200
    pages: set[int] | None = None
    low_confidence: float = LOW_CONFIDENCE
    check_totals: bool = True


@dataclass
class PageWork:
    """A page's model plus the intermediate results the stages pass along."""

    page: Page
    image: PageImage
    prepared: PreparedPage | None = None
    segments: list[Segment] = field(default_factory=list)
    grids: list[TableGrid] = field(default_factory=list)


Stage = Callable[[PageWork], PageWork]


def make_stages(reader: LineRecognizer, options: ExtractOptions) -> list[Stage]:
    """The page stages in order."""

    def prepare(work: PageWork) -> PageWork:
        prepared = prepare_page(work.image.rgb, work.image.dpi, reader)
        work.prepared = prepared
        work.page.rotation, work.page.skew = prepared.rotation, prepared.skew
        work.page.height, work.page.width = prepared.gray.shape[:2]
        return work

    def find_tables(work: PageWork) -> PageWork:
        assert work.prepared is not None
        mask, char_h = work.prepared.mask, work.prepared.char_h
        horiz, vert = rule_masks(mask, char_h)
        work.segments = segments_from_rule_masks(horiz, vert, char_h)
        text_ink = BoundaryTextInk(mask, horiz, vert, char_h)
        work.grids = reconstruct_tables(work.segments, char_h, text_ink.separates)
        work.page.tables = [_table_from_grid(i, work.page.number, g) for i, g in enumerate(work.grids)]
        if not work.page.tables:
            work.page.status = PageStatus.NO_TABLES
        return work

    def read_text(work: PageWork) -> PageWork:
        assert work.prepared is not None
        _read_page_text(work, reader, options)
        return work

    def check_totals(work: PageWork) -> PageWork:
        reread = _digit_rereader(work, reader)
        for table in work.page.tables:
            table.checks = check_table(table, reread=reread)
        return work

    stages: list[Stage] = [prepare, find_tables, read_text]
    return [*stages, check_totals] if options.check_totals else stages


def _digit_rereader(work: PageWork, reader: LineRecognizer) -> Callable[[Cell], str | None] | None:
    """A digits-only second reading of a cell's crop, when the engine offers one."""
    read_digits = getattr(reader, "recognize_digits", None)
    prepared = work.prepared
    if read_digits is None or prepared is None:
        return None
    margin = max(2, prepared.char_h // 8) + _rule_half_width(work.segments)
    pad = max(2, prepared.char_h // 4)

    def reread(cell: Cell) -> str | None:
        lines = line_crops(prepared.mask, cell.bbox, prepared.char_h, margin)
        if len(lines) != 1:
            return None  # amounts sit on one line; anything else is not re-read
        readings = read_digits([padded_crop(prepared.gray, lines[0].bbox, pad)])
        return str(readings[0].text) if readings and readings[0].text else None

    return reread


def _table_from_grid(index: int, page: int, grid: TableGrid) -> Table:
    cells = [
        Cell(
            row=s.row,
            col=s.col,
            row_span=s.row_end - s.row + 1,
            col_span=s.col_end - s.col + 1,
            page=page,
            bbox=s.bbox,
        )
        for s in grid.cells
    ]
    return Table(index, page, grid.bbox, grid.n_rows, grid.n_cols, cells, grid.grid)


def _context_regions(page: Page) -> list[BBox]:
    """For each table, the band between the previous table (or page top) and it."""
    regions = []
    top = 0
    for table in page.tables:
        _x0, y0, _x1, _ = table.bbox
        regions.append((0, top, page.width, y0))
        top = table.bbox[3]
    return regions


def _read_page_text(work: PageWork, reader: LineRecognizer, options: ExtractOptions) -> None:
    """OCR every cell line and every context line of the page in one batch."""
    prepared = work.prepared
    assert prepared is not None
    char_h = prepared.char_h
    pad = max(2, char_h // 4)
    jobs: list[tuple[Cell | None, int, BBox]] = []  # (cell or None, table index, line box)
    rule_half = _rule_half_width(work.segments)
    for t_index, table in enumerate(work.page.tables):
        margin = max(2, char_h // 8) + rule_half
        for cell in table.cells:
            for line in line_crops(prepared.mask, cell.bbox, char_h, margin):
                jobs.append((cell, t_index, line.bbox))
    for t_index, region in enumerate(_context_regions(work.page)):
        for box in context_line_boxes(prepared.mask, region, char_h):
            jobs.append((None, t_index, box))
    readings = reader.recognize([padded_crop(prepared.gray, box, pad) for _, _, box in jobs])
    per_cell: dict[int, list[tuple[str, float]]] = {}
    context: dict[int, list[str]] = {}
    cell_by_id: dict[int, Cell] = {}
    for (owner, t_index, _), reading in zip(jobs, readings, strict=True):
        if owner is None:
            if reading.text.strip():
                context.setdefault(t_index, []).append(reading.text)
            continue
        cell_by_id[id(owner)] = owner
        per_cell.setdefault(id(owner), []).append((reading.text, reading.score))
    for key, lines in per_cell.items():
        _fill_cell(cell_by_id[key], lines, reader.name, options.low_confidence)
    for t_index, table in enumerate(work.page.tables):
        table.meta = parse_table_meta(context.get(t_index, []))


def _rule_half_width(segments: list[Segment]) -> int:
    thick = [s.thickness for s in segments]
    return int(np.median(thick)) // 2 + 1 if thick else 1


def _fill_cell(cell: Cell, lines: list[tuple[str, float]], engine: str, low: float) -> None:
    raw = join_lines([t for t, _ in lines])
    scores = [s for t, s in lines if t.strip()]
    cell.text = clean_text(raw)
    cell.value = parse_amount(cell.text)
    cell.confidence = min(scores) if scores else 0.0
    cell.provenance = Provenance(engine=engine, raw_text="\n".join(t for t, _ in lines), line_scores=scores)
    if not cell.text:
        cell.status = CellStatus.LOW_CONFIDENCE
        cell.flags.append("ink but no text read")
    elif cell.confidence < low:
        cell.status = CellStatus.LOW_CONFIDENCE
    else:
        cell.status = CellStatus.OK


def process_page(image: PageImage, stages: list[Stage]) -> tuple[Page, PageWork]:
    """Run the stages over one page; a failure is recorded on the page, not raised."""
    started = time.perf_counter()
    h, w = image.rgb.shape[:2]
    work = PageWork(Page(number=image.number, width=w, height=h, dpi=image.dpi), image)
    try:
        for stage in stages:
            work = stage(work)
    except Exception as exc:  # one bad page must never sink the batch; the error is kept
        log.exception("page %d failed", image.number)
        work.page.status = PageStatus.FAILED
        work.page.errors.append(f"{type(exc).__name__}: {exc}")
        work.page.tables = []
    work.page.seconds = time.perf_counter() - started
    return work.page, work


def iter_document(
    path: Path,
    reader: LineRecognizer,
    options: ExtractOptions,
    done_pages: dict[int, Page] | None = None,
) -> Iterator[tuple[Page, PageWork | None, int]]:
    """Yield (page, work, page_count) for each page; pages in ``done_pages`` are reused."""
    stages = make_stages(reader, options)
    with SourceDocument(path, options.dpi) as source:
        wanted = set(range(1, source.page_count + 1)) if options.pages is None else options.pages
        todo = {n for n in wanted if not done_pages or n not in done_pages}
        for number in sorted(wanted - todo):
            assert done_pages is not None
            yield done_pages[number], None, source.page_count
        for image in source.pages(todo):
            page, work = process_page(image, stages)
            yield page, work, source.page_count


def new_document(path: Path, reader: LineRecognizer) -> Document:
    """An empty document model for ``path`` (validates nothing; see SourceDocument)."""
    return Document(source=str(path), sha256=file_sha256(path), engine=reader.name)
