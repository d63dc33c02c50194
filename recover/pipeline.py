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

from recover.check.repair import check_table
from recover.errors import InputFileError
from recover.ingest.source import PageImage, SourceDocument, file_sha256
from recover.ingest.text_layer import TextLayer
from recover.layout.aligned import aligned_tables
from recover.layout.glyph_grids import is_glyph_grid
from recover.layout.reconstruct import TableGrid, reconstruct_tables
from recover.layout.segments import Segment, rule_masks, segments_from_rule_masks
from recover.layout.text_ink import BoundaryTextInk
from recover.model import Cell, Document, Page, PageStatus, Table
from recover.prepare.digital import prepare_digital_page
from recover.prepare.orientation import PreparedPage, prepare_page
from recover.read.ocr.engine import LineRecognizer
from recover.read.page_text import read_page_text, rule_half_width
from recover.read.prose import read_running_text
from recover.read.reread import Reread, digits_reader, reread_crop

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
    source: str = "auto"  # where cell text comes from: auto | text (layer only) | ocr (always)


@dataclass
class PageWork:
    """A page's model plus the intermediate results the stages pass along."""

    page: Page
    image: PageImage
    prepared: PreparedPage | None = None
    segments: list[Segment] = field(default_factory=list)
    grids: list[TableGrid] = field(default_factory=list)
    layer: TextLayer | None = None  # the text layer this page is read from, if any


Stage = Callable[[PageWork], PageWork]


def make_stages(reader: LineRecognizer, options: ExtractOptions) -> list[Stage]:
    """The page stages in order."""

    def prepare(work: PageWork) -> PageWork:
        layer = work.image.text_layer
        if layer is not None and (options.source == "text" or layer.trustworthy):
            work.layer = layer
            work.page.source = "text layer"
            prepared = prepare_digital_page(work.image.rgb, work.image.dpi, layer.char_height())
        else:
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
        grids = reconstruct_tables(work.segments, char_h, text_ink.separates)
        work.grids = []
        for grid in grids:
            if is_glyph_grid(mask, grid):
                # A heavy title's strokes, lined up: its "rows" are shorter than its characters.
                work.page.notes.append(
                    f"lines at {list(grid.bbox)} are strokes of large characters: not a table"
                )
            else:
                work.grids.append(grid)
        layouts = ["ruled"] * len(work.grids)
        if not grids:
            # No ruled table: columns may still be there, drawn by the text's alignment.
            found = aligned_tables(mask, work.segments, char_h)
            work.grids, layouts = [g for g, _ in found], [layout for _, layout in found]
        work.page.tables = [
            _table_from_grid(i, work.page.number, g, layout)
            for i, (g, layout) in enumerate(zip(work.grids, layouts, strict=True))
        ]
        if not work.page.tables:
            work.page.status = PageStatus.NO_TABLES
        return work

    def read_text(work: PageWork) -> PageWork:
        assert work.prepared is not None
        read_page_text(
            work.page,
            work.prepared,
            rule_half_width(work.segments),
            reader,
            options.low_confidence,
            work.layer,
            ocr_images=options.source != "text",
        )
        return work

    def read_prose(work: PageWork) -> PageWork:
        # The statements of a page without tables are checked against the tables later.
        if not work.page.tables and work.prepared is not None:
            work.page.text_lines = read_running_text(work.prepared, reader, work.layer)
        return work

    def check_totals(work: PageWork) -> PageWork:
        reread = _digit_rereader(work, reader)
        for table in work.page.tables:
            table.checks = check_table(table, reread=reread)
        return work

    stages: list[Stage] = [prepare, find_tables, read_text]
    # The running text is read only to check the amounts it states against the tables.
    return [*stages, read_prose, check_totals] if options.check_totals else stages


def _digit_rereader(work: PageWork, reader: LineRecognizer) -> Reread | None:
    """A digits-only second reading of a cell's crop, when the engine offers one."""
    read_digits = digits_reader(reader)
    prepared = work.prepared
    if read_digits is None or prepared is None:
        return None
    margin = max(2, prepared.char_h // 8) + rule_half_width(work.segments)

    def reread(cell: Cell) -> str | None:
        return reread_crop(prepared.gray, prepared.mask, prepared.char_h, margin, cell, read_digits)

    return reread


def _table_from_grid(index: int, page: int, grid: TableGrid, layout: str = "ruled") -> Table:
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
    return Table(index, page, grid.bbox, grid.n_rows, grid.n_cols, cells, grid.grid, layout=layout)


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
    with open_source(path, options) as source:
        wanted = wanted_pages(path, source.page_count, options)
        todo = {n for n in wanted if not done_pages or n not in done_pages}
        for number in sorted(wanted - todo):
            assert done_pages is not None
            yield done_pages[number], None, source.page_count
        for image in source.pages(todo):
            page, work = process_page(image, stages)
            yield page, work, source.page_count


def open_source(path: Path, options: ExtractOptions) -> SourceDocument:
    """The input file opened for rendering as ``options`` ask (its text layer unless OCR only)."""
    return SourceDocument(path, options.dpi, read_text=options.source != "ocr")


def wanted_pages(path: Path, page_count: int, options: ExtractOptions) -> set[int]:
    """The pages of a file of ``page_count`` pages to extract; none of them is an error."""
    every = set(range(1, page_count + 1))
    wanted = every if options.pages is None else options.pages & every
    if not wanted:
        # Pages past the end of one file of a batch are skipped; asking for none it has is an error.
        raise InputFileError(str(path), f"has {page_count} page(s); none of the pages asked for")
    return wanted


def process_source_page(source: SourceDocument, number: int, stages: list[Stage]) -> tuple[Page, PageWork]:
    """Render page ``number`` of an open source and run the stages over it."""
    image = next(source.pages({number}))
    return process_page(image, stages)


def new_document(path: Path, engine_name: str) -> Document:
    """An empty document model for ``path`` (validates nothing; see SourceDocument)."""
    return Document(source=str(path), sha256=file_sha256(path), engine=engine_name)
