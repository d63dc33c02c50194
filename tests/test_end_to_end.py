"""The README's first command on the bundled samples, checked against the ground truth."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import bad_inputs
import pytest
from conftest import EVAL, SAMPLES, need_eval, refuse_network
from typer.testing import CliRunner

from benchmarks.score import gt_table_from_cnbudget, norm
from recover.cli import app
from recover.model import Document
from recover.pipeline import ExtractOptions, LayoutDetection, iter_document

SAMPLE = SAMPLES / "wanli_2024_budget_p10-12.pdf"
SIDEWAYS = SAMPLES / "wanli_2024_budget_p16_sideways.pdf"
GT = EVAL / "cn_budget" / "gt" / "上海市普陀区人民政府万里街道办事处24年预算.json"


def _gt_table(page: int):  # type: ignore[no-untyped-def]
    need_eval()
    doc = json.loads(GT.read_text(encoding="utf-8"))
    return gt_table_from_cnbudget(next(p for p in doc["pages"] if p["page"] == page)["tables"][0])


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(app, ["extract", str(SAMPLE), "-o", str(out), "--debug"])
    assert result.exit_code == 0, result.output
    return out / SAMPLE.stem


def test_one_csv_per_table_matching_ground_truth(extracted: Path) -> None:
    # Page 10 holds one table; the table of page 11 runs on over page 12 (no header
    # there): it comes out as one table, page 12's rows below page 11's.
    csvs = sorted((extracted / "tables").glob("*.csv"))
    assert [p.name for p in csvs] == ["01.csv", "02.csv"]
    for path, parts in zip(csvs, ((10,), (11, 12)), strict=True):
        rows = _csv_rows(path)
        offset = 0
        for page in parts:
            gt = _gt_table(page)
            assert len(rows[0]) == gt.n_cols
            cells = [c for c in gt.cells if norm(c.text)]
            exact = sum(norm(rows[offset + c.r0][c.c0]) == norm(c.text) for c in cells)
            assert exact / len(cells) >= 0.97, (path.name, page, exact, len(cells))
            numbers = [c for c in cells if any(ch.isdigit() for ch in c.text) and "," in c.text]
            assert all(rows[offset + c.r0][c.c0] == c.text for c in numbers), (path.name, page)
            offset += gt.n_rows
        assert len(rows) == offset


def test_result_json_has_provenance_and_table_metadata(extracted: Path) -> None:
    doc = Document.from_dict(json.loads((extracted / "result.json").read_text(encoding="utf-8")))
    assert len(doc.pages) == 3 and len(doc.sha256) == 64
    header_table = doc.pages[1].tables[0]
    assert header_table.meta.title == "2024年部门收入预算总表"
    assert header_table.meta.unit == "元"
    assert header_table.meta.organisation == "上海市普陀区人民政府万里街道办事处"
    cell = next(c for c in header_table.cells if c.value is not None)
    assert cell.page == 2 and cell.provenance is not None and cell.provenance.engine.startswith("rapidocr")
    x0, y0, x1, y1 = cell.bbox
    assert 0 <= x0 < x1 <= doc.pages[1].width and 0 <= y0 < y1 <= doc.pages[1].height
    assert (extracted / "debug" / "page-0002.png").is_file()


def test_sideways_scan_is_turned_upright(reader) -> None:  # type: ignore[no-untyped-def]
    page, _, _ = next(iter_document(SIDEWAYS, reader, ExtractOptions(dpi=150)))
    assert page.rotation in (90, 270)
    gt = _gt_table(16)
    table = page.tables[0]
    assert (table.n_rows, table.n_cols) == (gt.n_rows, gt.n_cols)
    got = {(c.row, c.col): c.text for c in table.cells}
    numbers = [c for c in gt.cells if c.text.replace(",", "").isdigit()]
    assert sum(got.get((c.r0, c.c0)) == c.text for c in numbers) / len(numbers) >= 0.98


def test_upside_down_page_is_turned(reader, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import numpy as np
    from PIL import Image

    from recover.ingest.source import SourceDocument

    with SourceDocument(SAMPLE, dpi=150) as doc:
        image = next(doc.pages({2}))
    flipped = tmp_path / "flipped.png"
    Image.fromarray(np.ascontiguousarray(image.rgb[::-1, ::-1])).save(flipped, dpi=(150, 150))
    page, _, _ = next(iter_document(flipped, reader, ExtractOptions(dpi=150)))
    assert page.rotation == 180
    assert page.tables and page.tables[0].cell_at(0, 0).text == "项目"  # type: ignore[union-attr]


def test_batch_keeps_going_past_bad_files(tmp_path: Path) -> None:
    bad = [
        bad_inputs.empty_file(tmp_path),
        bad_inputs.png_with_broken_header(tmp_path),
        tmp_path / "missing.pdf",
        tmp_path,
    ]
    out = tmp_path / "out"
    args = ["extract", str(bad[0]), str(SIDEWAYS), *(str(b) for b in bad[1:]), "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 4
    assert (out / SIDEWAYS.stem / "tables" / "01.csv").is_file()
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 4
    assert str(bad[0]) in errors[0] and "empty" in errors[0]
    assert str(bad[1]) in errors[1] and "PNG" in errors[1]
    assert str(bad[2]) in errors[2] and "not found" in errors[2]
    assert str(bad[3]) in errors[3] and "folder" in errors[3]


def test_rerun_resumes_from_finished_pages(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["extract", str(SIDEWAYS), "-o", str(tmp_path)])
    assert first.exit_code == 0
    before = (tmp_path / SIDEWAYS.stem / "tables" / "01.csv").read_bytes()
    second = runner.invoke(app, ["extract", str(SIDEWAYS), "-o", str(tmp_path)])
    assert second.exit_code == 0 and "1 resumed" in second.output
    assert (tmp_path / SIDEWAYS.stem / "tables" / "01.csv").read_bytes() == before


def test_extraction_opens_no_network_connection(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    attempts = refuse_network(monkeypatch)
    from recover.read.ocr.rapid import RapidOcrEngine

    fresh_engine = RapidOcrEngine()  # model loading included, the layout model's too
    options = ExtractOptions(dpi=150, layout=LayoutDetection.ON)
    page, _, _ = next(iter_document(SIDEWAYS, fresh_engine, options))
    assert page.tables and page.regions and attempts == []


def test_sample_totals_hold_and_columns_are_named(extracted: Path) -> None:
    doc = Document.from_dict(json.loads((extracted / "result.json").read_text(encoding="utf-8")))
    checks = [t.checks for t in doc.tables]
    assert all(c is not None and c.found > 0 for c in checks)
    assert sum(c.holding for c in checks if c) == sum(c.found for c in checks if c)
    assert [t.meta.form for t in doc.tables] == ["revenue_expenditure_summary", "revenue_summary"]
    # The stitched table records its parts, and every cell keeps the page it was read on.
    stitched = doc.tables[1]
    assert stitched.meta.parts == ["page 2 table 1", "page 3 table 1"]
    assert {c.page for c in stitched.cells} == {2, 3}
    assert len(doc.pages[2].tables) == 0
    with (extracted / "tidy.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    total_201 = [r for r in rows if r["row_code"] == "201" and r["column"] == "total"]
    assert total_201 and total_201[0]["value"] == "2932700" and total_201[0]["unit"] == "元"
    assert not [r for r in rows if r["column"].startswith("unmapped:")]


def test_pages_the_file_does_not_have_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", str(SIDEWAYS), "-o", str(out), "--pages", "5"])
    assert result.exit_code == 3
    assert result.output.strip() == f"error: {SIDEWAYS}: has 1 page(s); none of the pages asked for"
    assert not (out / SIDEWAYS.stem / "result.json").exists()
    zero = CliRunner().invoke(app, ["extract", str(SIDEWAYS), "-o", str(out), "--pages", "0"])
    assert zero.exit_code == 2 and "count from 1" in zero.output
