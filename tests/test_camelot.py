"""camelot on digital pages: stream where a table has no vertical rules, lattice on request.

The page is a real digital filing page (cn_budget) with its vertical rules erased from the
content stream (``benchmarks.erase_rules``): the text layer and the ground truth stay the
original's, so camelot's tables are scored cell for cell against it.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import EVAL, need_eval

from benchmarks.erase_rules import erase_page
from benchmarks.mixed import cells_to_images
from benchmarks.score import GtTable, gt_table_from_cnbudget, score_page
from recover.extract import extract_file
from recover.layout.digital_engine import DigitalEngine
from recover.model import Page
from recover.pipeline import ExtractOptions
from recover.read.ocr.engine import LineRecognizer

BUDGET = "上海市普陀区人民政府万里街道办事处24年预算"
PAGE = 24  # 19 rows × 7 columns of 项目支出: wrapped names, empty amount columns


def json_page() -> dict[str, Any]:
    doc = json.loads((EVAL / "cn_budget" / "gt" / f"{BUDGET}.json").read_text(encoding="utf-8"))
    return next(p for p in doc["pages"] if p["page"] == PAGE)


def _gt() -> list[GtTable]:
    return [gt_table_from_cnbudget(t) for t in json_page()["tables"]]


def _extract(path: Path, reader, engine: DigitalEngine) -> Page:  # type: ignore[no-untyped-def]
    """The page after every stage (the checks run over the document)."""
    options = ExtractOptions(pages={PAGE}, digital_engine=engine)
    with tempfile.TemporaryDirectory() as out:
        doc, _ = extract_file(path, Path(out), reader, options)
    return doc.pages[0]


@pytest.fixture(scope="module")
def without_vertical_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_eval()
    target = tmp_path_factory.mktemp("camelot") / f"{BUDGET}.pdf"
    with pikepdf.open(EVAL / "cn_budget" / "pdf" / f"{BUDGET}.pdf") as pdf:
        erase_page(pdf, pdf.pages[PAGE - 1], drop_all=False)
        pdf.save(target)
    return target


def test_stream_reads_the_table_the_own_grid_gets_wrong(without_vertical_rules: Path, reader) -> None:  # type: ignore[no-untyped-def]
    own = _extract(without_vertical_rules, reader, DigitalEngine.RECOVER)
    page = _extract(without_vertical_rules, reader, DigitalEngine.AUTO)
    assert own.tables[0].layout == page.tables[0].layout == "partially ruled"
    table = page.tables[0]
    filled = [c for c in table.cells if c.text]
    assert {c.provenance.engine for c in filled if c.provenance} == {"camelot stream"}
    assert all(c.provenance and c.provenance.source == "text layer" for c in filled)
    assert table.meta == own.tables[0].meta  # title, unit, form: the tool's own reading of the page
    x0, y0, x1, y1 = table.bbox
    assert all(x0 <= c.bbox[0] < c.bbox[2] <= x1 and y0 <= c.bbox[1] < c.bbox[3] <= y1 for c in table.cells)
    assert x0 > 0 and y0 > 0 and x1 < page.width and y1 < page.height
    camelot, mine = score_page(_gt(), page.tables), score_page(_gt(), own.tables)
    assert camelot.cells_exact >= 0.95 * camelot.cells > mine.cells_exact
    assert table.checks is not None  # the totals are checked on camelot's table as on any other


def test_camelot_engine_reads_ruled_tables_by_lattice(reader) -> None:  # type: ignore[no-untyped-def]
    need_eval()
    page = _extract(EVAL / "cn_budget" / "pdf" / f"{BUDGET}.pdf", reader, DigitalEngine.CAMELOT)
    table = page.tables[0]
    assert table.layout == "ruled"
    assert {c.provenance.engine for c in table.cells if c.text and c.provenance} == {"camelot lattice"}
    gt = _gt()[0]
    printed = {(c.r0, c.c0): c.text for c in gt.cells if c.text}
    amounts = [c for c in table.cells if c.value is not None]
    assert amounts and all(c.text == printed.get((c.row, c.col)) for c in amounts)


def test_a_table_with_ocr_cells_keeps_its_own_grid(
    without_vertical_rules: Path, reader: LineRecognizer, tmp_path: Path
) -> None:
    pdf = pdfium.PdfDocument(str(without_vertical_rules))
    cells = [c for c in json_page()["tables"][0]["cells"] if c["text"].strip() and c["r0"] >= 2]
    assert cells_to_images(pdf, PAGE - 1, [tuple(c["bbox_top_left_pt"]) for c in cells[::15]]) > 0
    mixed = tmp_path / "mixed.pdf"
    pdf.save(str(mixed))
    pdf.close()
    page = _extract(mixed, reader, DigitalEngine.AUTO)
    engines = {c.provenance.engine for c in page.tables[0].cells if c.text and c.provenance}
    assert "camelot stream" not in engines and len(engines) == 2  # text layer and the OCR engine
