"""Layout detection: the rapid-layout adapter's typed regions on a real page, and what the
page stages do with regions (injected by a fake engine, so no model is needed for those)."""

from __future__ import annotations

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from conftest import SAMPLES
from fake_engines import BlankReader
from test_grid_aligned import COLS_X, ROWS

from recover.ingest.text_layer import TextLayer
from recover.layout.region_tables import shared
from recover.model import BBox, Page, PageGeometry, Region, RegionKind
from recover.pipeline import ExtractOptions, LayoutDetection, PageStages, PageWork
from recover.prepare.orientation import prepare_page


class _FixedRegions:
    """A layout engine that reports the regions it was given."""

    name = "fixed"

    def __init__(self, *regions: Region) -> None:
        self.regions = list(regions)

    def detect(self, page: np.ndarray) -> list[Region]:
        return list(self.regions)


def _text(img: np.ndarray, text: str, x: int, y: int) -> None:
    cv2.putText(img, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2, cv2.LINE_AA)


def _ruled_page(text: bool = True) -> np.ndarray:
    """A 4 × 3 ruled grid, a number in every cell (or, like a chart's gridlines, bars instead)."""
    img = np.full((900, 1200, 3), 255, np.uint8)
    rows, cols = [200, 280, 360, 440, 520], [100, 420, 740, 1060]
    for y in rows:
        cv2.line(img, (cols[0], y), (cols[-1], y), (0, 0, 0), 3)
    for x in cols:
        cv2.line(img, (x, rows[0]), (x, rows[-1]), (0, 0, 0), 3)
    for r, top in enumerate(rows[:-1]):
        for c, left in enumerate(cols[:-1]):
            if text:
                _text(img, f"{r}{c}.50", left + 40, top + 55)
    if not text:
        for k, height in enumerate((250, 120, 300)):  # a bar per column, taller than any text
            cv2.rectangle(
                img, (cols[k] + 120, rows[-1] - height), (cols[k] + 200, rows[-1]), (90, 90, 90), -1
            )
    return img


def _laid_out(img: np.ndarray, engine: _FixedRegions) -> PageWork:
    """The page prepared, its regions taken from ``engine``, its tables laid out."""
    options = ExtractOptions(layout=LayoutDetection.ON, layout_engine=engine)
    stages = PageStages(reader=BlankReader(), options=options, layout_engine=engine)
    h, w = img.shape[:2]
    work = PageWork(Page(number=1, width=w, height=h, dpi=200), None)  # type: ignore[arg-type]
    prepared = prepare_page(img, 200, None)
    work.prepared = prepared
    work.page.geometry = PageGeometry(prepared.char_h, 0, prepared.dpi, prepared.scale)
    assert stages.in_order()[1:3] == [stages.rules, stages.regions]
    return stages.layout(stages.regions(stages.rules(work)))


FIGURE = Region(RegionKind.FIGURE, (60, 150, 1110, 580), 0.9)


def test_a_chart_grid_inside_a_figure_region_is_set_aside_and_noted() -> None:
    # Without layout detection, the chart's gridlines (and its bars' edges) pass for a table.
    assert _laid_out(_ruled_page(text=False), _FixedRegions()).page.tables
    work = _laid_out(_ruled_page(text=False), _FixedRegions(FIGURE))
    assert work.page.tables == []
    assert any("inside a figure" in note for note in work.page.notes)
    assert [r.kind for r in work.page.regions] == [RegionKind.FIGURE]


def test_a_table_with_text_that_the_model_calls_a_figure_stays_a_table() -> None:
    work = _laid_out(_ruled_page(), _FixedRegions(FIGURE))
    assert [(t.n_rows, t.n_cols) for t in work.page.tables] == [(4, 3)]
    assert not any("figure" in note for note in work.page.notes)


def test_the_model_is_not_run_where_its_regions_cannot_change_the_tables() -> None:
    # A ruled grid full of text and nothing table-like outside it: no region could set it
    # aside, make it a stub or add a table, so the model is not asked and the page says why.
    work = _laid_out(_ruled_page(), _FixedRegions(FIGURE))
    assert work.page.regions == []
    assert work.page.regions_skipped.startswith("not computed: 1 ruled grid(s) hold table text")
    restored = Page.from_dict(work.page.to_dict())
    assert restored.regions_skipped == work.page.regions_skipped


def test_the_model_runs_where_a_table_like_block_lies_outside_the_grid() -> None:
    img = _ruled_page()
    for r in range(3):  # three more lines in the grid's columns below it: rows its rules lost
        for c, left in enumerate((100, 420, 740)):
            _text(img, f"{r}{c}.75", left + 40, 600 + 60 * r)
    region = Region(RegionKind.TABLE, (90, 190, 1070, 890), 0.9)  # the table the model sees
    work = _laid_out(img, _FixedRegions(region))
    assert work.page.regions == [region] and work.page.regions_skipped == ""
    assert "covers 45% of the table region" in work.stubs[0]  # reported as partial, not whole


def _empty_form_page() -> np.ndarray:
    """A 7 × 3 ruled form that prints its column headings and no rows (a filing's 空表: the
    unit has nothing to report under this form): text in 3 of its 21 cells."""
    img = np.full((900, 1200, 3), 255, np.uint8)
    rows, cols = [150 + 80 * k for k in range(8)], [100, 420, 740, 1060]
    for y in rows:
        cv2.line(img, (cols[0], y), (cols[-1], y), (0, 0, 0), 3)
    for x in cols:
        cv2.line(img, (x, rows[0]), (x, rows[-1]), (0, 0, 0), 3)
    for c, left in enumerate(cols[:-1]):
        _text(img, f"Col {c}", left + 40, rows[0] + 55)
    return img


def test_an_empty_form_that_the_model_calls_a_figure_stays_a_table() -> None:
    # Its heading row names every column: a chart's gridlines hold no such row.
    assert [(t.n_rows, t.n_cols) for t in _laid_out(_empty_form_page(), _FixedRegions()).page.tables] == [
        (7, 3)
    ]
    work = _laid_out(_empty_form_page(), _FixedRegions(Region(RegionKind.FIGURE, (60, 100, 1110, 790), 0.9)))
    assert [(t.n_rows, t.n_cols) for t in work.page.tables] == [(7, 3)]
    assert not any("figure" in note for note in work.page.notes)


def test_a_ruled_grid_that_a_table_region_also_claims_stays_a_table() -> None:
    engine = _FixedRegions(
        Region(RegionKind.FIGURE, (60, 150, 1110, 580), 0.6),
        Region(RegionKind.TABLE, (90, 190, 1070, 530), 0.9),
    )
    work = _laid_out(_ruled_page(), engine)
    assert [(t.n_rows, t.n_cols) for t in work.page.tables] == [(4, 3)]
    assert not any("figure" in note for note in work.page.notes)


def _aligned_page_with_columns_below() -> np.ndarray:
    """ROWS as a borderless table, and further down two more lines in the same columns."""
    img = np.full((1300, 1100, 3), 255, np.uint8)
    for r, row in enumerate(ROWS):
        for x, text in zip(COLS_X, row, strict=True):
            _text(img, text, x, 150 + 70 * r)
    for r, row in enumerate([["Total", "9.99", "1.2-3.4", "0.001"], ["Mean", "1.11", "2.2-4.4", "0.500"]]):
        for x, text in zip(COLS_X, row, strict=True):
            _text(img, text, x, 1000 + 70 * r)
    return img


def test_the_aligned_path_keeps_to_the_table_region() -> None:
    img = _aligned_page_with_columns_below()
    whole_page = _laid_out(img, _FixedRegions())
    assert [t.n_rows for t in whole_page.page.tables] == [len(ROWS) + 2]  # no region: the page's text
    region = Region(RegionKind.TABLE, (50, 100, 1060, 460), 0.95)
    work = _laid_out(img, _FixedRegions(region))
    assert [(t.n_rows, t.n_cols) for t in work.page.tables] == [(len(ROWS), 4)]
    bottom = work.page.tables[0].bbox[3]
    assert bottom < 1000 - 40  # the lines below the region are not part of it


def test_a_text_layer_page_is_not_given_to_the_layout_model() -> None:
    engine = _FixedRegions(FIGURE)
    stages = PageStages(reader=BlankReader(), options=ExtractOptions(), layout_engine=engine)
    work = PageWork(Page(number=1, width=1200, height=900, dpi=200), None)  # type: ignore[arg-type]
    work.prepared = prepare_page(_ruled_page(text=False), 200, None)
    work.layer = TextLayer(chars=[], garbled=0)
    assert stages.regions(work).page.regions == []
    work.layer = None
    assert stages.regions(work).page.regions == [FIGURE]


def test_regions_survive_result_json() -> None:
    page = Page(
        number=1, width=10, height=10, dpi=200, regions=[Region(RegionKind.TITLE, (1, 2, 8, 4), 0.75)]
    )
    assert Page.from_dict(page.to_dict()).regions == page.regions


def test_rapid_layout_finds_the_table_of_a_real_page() -> None:
    pytest.importorskip("rapid_layout", reason="rapid-layout is installed --no-deps (README)")
    from recover.layout.regions import RapidLayoutEngine

    pdf = pdfium.PdfDocument(str(SAMPLES / "wanli_2024_budget_p10-12.pdf"))
    try:
        rgb = np.asarray(pdf[0].render(scale=100 / 72).to_pil().convert("RGB"))
    finally:
        pdf.close()
    prepared = prepare_page(rgb, 100, None)
    regions = RapidLayoutEngine(threads=1).detect(prepared.gray)
    assert regions and all(isinstance(r.kind, RegionKind) for r in regions)
    h, w = prepared.gray.shape[:2]
    assert all(0 <= r.bbox[0] < r.bbox[2] <= w and 0 <= r.bbox[1] < r.bbox[3] <= h for r in regions)
    work = _laid_out(rgb, _FixedRegions())  # the ruled table, found without the model
    table: BBox = work.page.tables[0].bbox
    assert any(r.kind is RegionKind.TABLE and shared(r.bbox, table) > 0.9 for r in regions)


def test_layout_on_without_rapid_layout_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from recover.errors import RecoverError
    from recover.layout.regions import RapidLayoutEngine

    monkeypatch.setitem(sys.modules, "rapid_layout", None)  # as if not installed
    with pytest.raises(RecoverError, match="--no-deps 'rapid-layout"):
        RapidLayoutEngine()


def test_an_unknown_layout_choice_is_refused_in_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from recover.cli import app
    from recover.errors import ExitCode

    pdf = SAMPLES / "wanli_2024_budget_p10-12.pdf"
    result = CliRunner().invoke(app, ["extract", str(pdf), "-o", str(tmp_path), "--layout", "maybe"])
    assert result.exit_code == int(ExitCode.BAD_ARGS)
    assert "--layout: 'maybe' is not one of on, off" in result.output
    assert not (tmp_path / pdf.stem).exists()
