"""The page stages, and the driver that runs them over a document's pages.

Every page stage has the same shape, ``stage(work) -> work``: it reads the page model and
the intermediate images in :class:`PageWork` and returns them enriched. In order:
prepare (upright, deskewed, seal-free; the page's geometry recorded), rules (ruling → grids),
regions (layout detection's blocks, with ``--layout on``, where they can change the tables),
layout (grids → tables; a grid inside a figure set aside, tables without rules looked for
inside table regions), read (every
cell's text, the lines around each table, and the running text of a page without tables).
A page that fails is recorded with its error and the document goes on. The document
stages that follow (label, assemble, check, export, review) run in :mod:`recover.extract`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from pathlib import Path

from recover.errors import InputFileError, RecoverError
from recover.ingest.source import PageImage, SourceDocument, file_sha256
from recover.ingest.text_layer import TextLayer
from recover.layout.aligned import aligned_tables
from recover.layout.digital_engine import DigitalEngine, camelot_where_it_wins
from recover.layout.glyph_grids import is_glyph_grid
from recover.layout.reconstruct import TableGrid, reconstruct_tables
from recover.layout.region_gate import regions_unneeded
from recover.layout.region_tables import figure_holding, holds_table_text, open_table_areas
from recover.layout.regions import LayoutEngine
from recover.layout.segments import Segment, rule_masks, segments_from_rule_masks
from recover.layout.stubs import mark_partial, stub_notes
from recover.layout.text_ink import BoundaryTextInk
from recover.model import (
    BBox,
    Cell,
    Document,
    Page,
    PageGeometry,
    PageSource,
    PageStatus,
    RegionKind,
    Table,
    TableLayout,
)
from recover.prepare.digital import prepare_digital_page
from recover.prepare.orientation import PreparedPage, prepare_page
from recover.prepare.quarter_turn import QuarterTurnChooser
from recover.read.ocr.checked import checked
from recover.read.ocr.engine import LineRecognizer
from recover.read.page_text import read_page_text, rule_width
from recover.read.prose import read_running_text
from recover.time_limit import DEFAULT_PAGE_TIMEOUT, PageTimeout, time_limit

log = logging.getLogger(__name__)

LOW_CONFIDENCE = 0.90
"""Recogniser score below which a cell is marked low-confidence for review."""


class TextFrom(StrEnum):
    """Where the user wants cell text from."""

    AUTO = "auto"  # a PDF's text layer where it is trustworthy, OCR elsewhere
    TEXT = "text"  # the text layer only, never OCR
    OCR = "ocr"  # always OCR


class LayoutDetection(StrEnum):
    """Whether layout detection's regions guide table finding (``--layout``)."""

    ON = "on"
    OFF = "off"


@dataclass
class ExtractOptions:
    """What the user chose for one extraction run."""

    dpi: int = 200
    pages: set[int] | None = None
    low_confidence: float = LOW_CONFIDENCE
    check_totals: bool = True
    source: TextFrom = TextFrom.AUTO
    digital_engine: DigitalEngine = DigitalEngine.AUTO  # measured: BENCHMARKS.md, issue 15
    page_timeout: float | None = DEFAULT_PAGE_TIMEOUT  # seconds one page may take; None: no limit
    layout: LayoutDetection = LayoutDetection.ON  # measured: BENCHMARKS.md, issue 15
    # The engine for ``layout`` on, made once per run by the caller; built here when None.
    layout_engine: LayoutEngine | None = field(default=None, repr=False, compare=False)

    def layout_engine_for_run(self) -> LayoutEngine | None:
        """The layout engine to use (loaded now when on and none was given), or None when off."""
        if self.layout is LayoutDetection.OFF:
            return None
        if self.layout_engine is None:
            from recover.layout.regions import RapidLayoutEngine

            self.layout_engine = RapidLayoutEngine()
        return self.layout_engine


@dataclass
class PageWork:
    """A page's model plus the intermediate results the stages pass along."""

    page: Page
    image: PageImage
    prepared: PreparedPage | None = None
    segments: list[Segment] = field(default_factory=list)
    ruled: list[TableGrid] = field(default_factory=list)  # every grid the ruling drew
    grids: list[TableGrid] = field(default_factory=list)  # of those, the tables
    layer: TextLayer | None = None  # the text layer this page is read from, if any
    stubs: dict[int, str] = field(default_factory=dict)  # table index → why it is a partial table

    @property
    def geometry(self) -> PageGeometry:
        """The page's recorded geometry (prepare must have run)."""
        assert self.page.geometry is not None, "the prepare stage records the geometry"
        return self.page.geometry


Stage = Callable[[PageWork], PageWork]


@dataclass
class PageStages:
    """The page stages of one document, bound to the recogniser and the user's options."""

    reader: LineRecognizer
    options: ExtractOptions
    pdf: Path | None = None  # the file, for camelot on its text-layer pages
    layout_engine: LayoutEngine | None = None  # layout detection's regions, when on
    turns: QuarterTurnChooser = field(init=False)  # one per document: its classifier loads on the first scan

    def __post_init__(self) -> None:
        self.reader = checked(self.reader)  # every engine answer checked (see read.ocr.checked)
        self.turns = QuarterTurnChooser(self.reader)

    def prepare(self, work: PageWork) -> PageWork:
        """Upright, deskewed, seal-free page; its scale recorded as the page's geometry."""
        layer = work.image.text_layer
        if layer is not None and (self.options.source is TextFrom.TEXT or layer.trustworthy):
            work.layer = layer
            work.page.source = PageSource.TEXT_LAYER
            prepared = prepare_digital_page(work.image.rgb, work.image.dpi, layer.char_height())
        else:
            prepared = prepare_page(work.image.rgb, work.image.dpi, self.turns)
        work.prepared = prepared
        work.page.rotation, work.page.skew = prepared.rotation, prepared.skew
        work.page.height, work.page.width = prepared.gray.shape[:2]
        work.page.geometry = PageGeometry(prepared.char_h, 0, prepared.dpi, prepared.scale)
        return work

    def rules(self, work: PageWork) -> PageWork:
        """Ruling segments → grids; a heavy title's strokes set aside (and noted)."""
        assert work.prepared is not None
        mask, char_h = work.prepared.mask, work.prepared.char_h
        horiz, vert = rule_masks(mask, char_h)
        work.segments = segments_from_rule_masks(horiz, vert, char_h)
        work.page.geometry = replace(work.geometry, rule_width=rule_width(work.segments))
        ink = BoundaryTextInk(mask, horiz, vert, char_h)
        evidence = (ink.separates, ink.crossed_length, ink.flush_against)
        work.ruled = reconstruct_tables(work.segments, char_h, *evidence)
        work.grids = [g for g in work.ruled if not _glyph_strokes(work, g)]
        return work

    def regions(self, work: PageWork) -> PageWork:
        """The page's blocks (table, figure, title, text …) from the layout engine, on pages
        read by OCR where they can change its tables (``layout.region_gate``; why not is
        recorded on the page): on a text-layer page it halved the speed and changed no cell
        (measured, BENCHMARKS.md), camelot stream already bounds the tables there without rules."""
        assert work.prepared is not None and self.layout_engine is not None
        if work.layer is None:
            skipped = regions_unneeded(work.prepared.mask, work.grids, work.prepared.char_h)
            if skipped is None:
                work.page.regions = self.layout_engine.detect(work.prepared.gray)
            else:
                work.page.regions_skipped = skipped
        return work

    def layout(self, work: PageWork) -> PageWork:
        """Grids → tables (or tables from text alignment without rules)."""
        assert work.prepared is not None
        char_h = work.prepared.char_h
        work.grids = [g for g in work.grids if not _figure_lines(work, g)]
        work.stubs = stub_notes(work.grids, work.segments, work.page.regions, char_h)
        work.page.notes.extend(work.stubs.values())
        layouts = [TableLayout.RULED] * len(work.grids)
        for grid, layout in _aligned(work, [g.bbox for g in work.ruled]):
            work.grids.append(grid)
            layouts.append(TableLayout(layout))
        work.page.tables = [
            _table_from_grid(i, work.page.number, g, layout)
            for i, (g, layout) in enumerate(zip(work.grids, layouts, strict=True))
        ]
        if not work.page.tables:
            work.page.status = PageStatus.NO_TABLES
        return work

    def read(self, work: PageWork) -> PageWork:
        """Every cell's text and each table's context lines; the running text of a page
        without tables when the checks will compare it with the tables."""
        assert work.prepared is not None
        read_page_text(
            work.page,
            work.prepared,
            work.geometry,
            self.reader,
            self.options.low_confidence,
            work.layer,
            ocr_images=self.options.source is not TextFrom.TEXT,
        )
        for index, reason in work.stubs.items():
            mark_partial(work.page.tables[index], reason)
        if self.options.check_totals and not work.page.tables:
            work.page.text_lines = read_running_text(work.prepared, work.geometry, self.reader, work.layer)
        return work

    def digital_tables(self, work: PageWork) -> PageWork:
        """Tables of a text-layer page that camelot finds better (see layout.digital_engine)."""
        if work.layer is not None and self.pdf is not None:
            camelot_where_it_wins(work.page, self.pdf, self.options.digital_engine)
        return work

    def in_order(self) -> list[Stage]:
        """prepare → rules (→ regions) → layout → read (→ camelot's tables where they win, on
        text-layer pages)."""
        stages: list[Stage] = [self.prepare, self.rules, self.layout, self.read]
        if self.layout_engine is not None:
            stages.insert(2, self.regions)
        if self.options.digital_engine is not DigitalEngine.RECOVER and self.pdf is not None:
            stages.append(self.digital_tables)
        return stages


def _glyph_strokes(work: PageWork, grid: TableGrid) -> bool:
    """Whether a ruled grid is a heavy title's strokes, lined up (its "rows" shorter than its
    characters); noted on the page when it is."""
    assert work.prepared is not None
    if is_glyph_grid(work.prepared.mask, grid):
        work.page.notes.append(f"lines at {list(grid.bbox)} are strokes of large characters: not a table")
        return True
    return False


def _figure_lines(work: PageWork, grid: TableGrid) -> bool:
    """Whether a ruled grid is a figure's lines (in a figure region, its cells nearly empty
    and no heading row); noted on the page when it is."""
    assert work.prepared is not None
    figure = figure_holding(grid.bbox, work.page.regions)
    if figure is not None and not holds_table_text(work.prepared.mask, grid, work.prepared.char_h):
        work.page.notes.append(
            f"lines at {list(grid.bbox)} lie inside a figure at {list(figure.bbox)} "
            "and hold almost no text: not a table"
        )
        return True
    return False


def _aligned(work: PageWork, ruled: list[BBox]) -> list[tuple[TableGrid, str]]:
    """Tables from the text's alignment: inside each table region that no ruled grid
    accounts for when layout detection ran; on the whole page when it found no table
    region and the page has no ruled grid (as without layout detection)."""
    assert work.prepared is not None
    mask, char_h = work.prepared.mask, work.prepared.char_h
    height, width = mask.shape[:2]
    areas = open_table_areas(work.page.regions, ruled, char_h, width, height)
    if areas:
        return [found for area in areas for found in aligned_tables(mask, work.segments, char_h, area)]
    if ruled or any(r.kind is RegionKind.TABLE for r in work.page.regions):
        return []
    # No ruled table: columns may still be there, drawn by the text's alignment.
    return aligned_tables(mask, work.segments, char_h)


def _table_from_grid(index: int, page: int, grid: TableGrid, layout: TableLayout) -> Table:
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


def process_page(
    number: int,
    render: Callable[[], PageImage],
    stages: list[Stage],
    dpi: int,
    seconds: float | None = None,
) -> tuple[Page, PageWork | None]:
    """Render page ``number`` and run the stages over it, within ``seconds``; a failure —
    damaged page data, a stage's error, the time limit — is recorded on the page, not raised."""
    started = time.perf_counter()
    work: PageWork | None = None
    try:
        with time_limit(seconds):
            image = render()
            h, w = image.rgb.shape[:2]
            work = PageWork(Page(number=number, width=w, height=h, dpi=image.dpi), image)
            for stage in stages:
                work = stage(work)
    except (RecoverError, PageTimeout) as exc:
        # A page that cannot be read or takes too long: its message says it all.
        log.info("page %d failed: %s", number, exc)  # the caller reports it (result.json, console)
        page = _failed_page(number, dpi, work, f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # one bad page must never sink the batch; the error is kept
        log.exception("page %d failed", number)
        page = _failed_page(number, dpi, work, f"{type(exc).__name__}: {' '.join(str(exc).split())}")
    else:
        assert work is not None
        page = work.page
    page.seconds = time.perf_counter() - started
    return page, work


def _failed_page(number: int, dpi: int, work: PageWork | None, error: str) -> Page:
    page = work.page if work is not None else Page(number=number, width=0, height=0, dpi=dpi)
    page.status = PageStatus.FAILED
    page.errors.append(error)
    page.tables = []
    return page


def iter_document(
    path: Path,
    reader: LineRecognizer,
    options: ExtractOptions,
    done_pages: dict[int, Page] | None = None,
) -> Iterator[tuple[Page, PageWork | None, int]]:
    """Yield (page, work, page_count) for each page; pages in ``done_pages`` are reused
    (work None), and so is a page that failed before it had an image (work None)."""
    stages = PageStages(reader, options, path, options.layout_engine_for_run()).in_order()
    with open_source(path, options) as source:
        wanted = wanted_pages(path, source.page_count, options)
        todo = {n for n in wanted if not done_pages or n not in done_pages}
        for number in sorted(wanted - todo):
            assert done_pages is not None
            yield done_pages[number], None, source.page_count
        for number in sorted(todo):
            page, work = process_page(
                number, partial(source.render, number), stages, options.dpi, options.page_timeout
            )
            yield page, work, source.page_count


def wanted_pages(path: Path, page_count: int, options: ExtractOptions) -> set[int]:
    """The pages of ``path`` asked for that it has; none of them is an error."""
    every = set(range(1, page_count + 1))
    wanted = every if options.pages is None else options.pages & every
    if not wanted:
        # Pages past the end of one file of a batch are skipped; asking for none it has is an error.
        raise InputFileError(str(path), f"has {page_count} page(s); none of the pages asked for")
    return wanted


def open_source(path: Path, options: ExtractOptions) -> SourceDocument:
    """Open the file within one page's time limit (a hostile file can be slow to even open)."""
    try:
        with time_limit(options.page_timeout):
            return SourceDocument(path, options.dpi, read_text=options.source is not TextFrom.OCR)
    except PageTimeout as exc:
        raise InputFileError(str(path), f"took too long to open: {exc}") from None


def new_document(path: Path, reader: LineRecognizer) -> Document:
    """An empty document model for ``path`` (validates nothing; see SourceDocument)."""
    return Document(source=str(path), sha256=file_sha256(path), engine=reader.name)
