"""The Excel workbook: merged headers as printed, amounts as numbers, statuses, round trips.

The table is built in code (no OCR): a two-row header with merged cells, amounts with two
decimals, and one cell of each status the checks give, with their reasons.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from conftest import EVAL, need_eval
from openpyxl import load_workbook
from table_builder import make_table
from typer.testing import CliRunner

from recover.cli import app
from recover.errors import RecoverError
from recover.export.formats import OutputFormat, parse_formats, workbook_path
from recover.export.outputs import write_document
from recover.export.workbook import CAPTION_ROWS, STATUS_FILLS, sheet_name
from recover.model import (
    Cell,
    CellStatus,
    ColumnMapping,
    ColumnStatus,
    Document,
    Flag,
    FlagKind,
    Page,
    Repair,
    Suggestion,
    Table,
    TableMeta,
)
from recover.review.build import build_queue
from recover.review.decisions import export_reviewed
from recover.review.queue import ReviewQueue

ALL = frozenset(OutputFormat)


def _document() -> Document:
    table = make_table(
        [
            ["项目", "本年收入", ""],
            ["", "预算数", "决算数"],
            ["一般公共预算拨款", "1,234.50", "1,200.00"],
            ["政府性基金", "-20.00", "15.25"],
            ['=HYPERLINK("http://x")', "12345678901234567.89", "30.00"],
            ["合计", "1,214.50", "1,245.25"],
        ]
    )
    # The header as printed: 项目 spans both header rows, 本年收入 both amount columns.
    table.cells = [c for c in table.cells if (c.row, c.col) not in {(1, 0), (0, 2)}]
    table.cell_at(0, 0).row_span = 2  # type: ignore[union-attr]
    table.cell_at(0, 1).col_span = 2  # type: ignore[union-attr]
    table.header_rows = 2
    table.meta = TableMeta(title="收入预算表", organisation="某某局", unit="万元", form="收入预算表")
    table.columns = [
        ColumnMapping(0, ["项目"], "item", 1.0, ColumnStatus.MAPPED),
        ColumnMapping(1, ["本年收入", "预算数"], "budget", 1.0, ColumnStatus.MAPPED),
        ColumnMapping(2, ["本年收入", "决算数"], None, 0.0, ColumnStatus.UNMAPPED),
    ]
    flagged = _cell(table, 5, 2)
    flagged.status = CellStatus.FLAGGED
    flagged.flags = [Flag(FlagKind.SOURCE_INCONSISTENCY, "合计 is off by 0.50 as printed")]
    flagged.suggestions = [Suggestion("1,245.75", "the column adds up to it")]
    low = _cell(table, 3, 0)
    low.status, low.confidence = CellStatus.LOW_CONFIDENCE, 0.62
    repaired = _cell(table, 3, 2)
    repaired.status = CellStatus.REPAIRED
    repaired.repair = Repair("16.25", "15.25", "15.25", "6 read for 5", ["合计 = sum of rows"])
    page = Page(1, 400, 300, 200, tables=[table], notes=["lines at [0, 0, 10, 10] are no table"])
    return Document("/in/收入=表.pdf", "ab" * 32, [page], engine="test")


def _cell(table: Table, row: int, col: int) -> Cell:
    cell = table.cell_at(row, col)
    assert cell is not None
    return cell


def test_workbook_keeps_merges_numbers_statuses_and_reasons(tmp_path: Path) -> None:
    doc_dir = tmp_path / "out" / "收入=表"
    write_document(doc_dir, _document(), formats=ALL)
    book = load_workbook(workbook_path(doc_dir))
    assert book.sheetnames == ["01 收入预算表", "findings", "tidy"]
    sheet = book["01 收入预算表"]
    first = CAPTION_ROWS + 1  # the grid starts under the title and unit lines
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert merged == {"A1:C1", "A2:C2", f"A{first}:A{first + 1}", f"B{first}:C{first}"}
    assert sheet["A1"].value == "收入预算表" and "单位：万元" in sheet["A2"].value
    amount = sheet.cell(row=first + 2, column=2)
    assert amount.value == 1234.5 and isinstance(amount.value, float)
    assert amount.number_format == "#,##0.00"
    assert sheet.cell(row=first + 3, column=2).value == -20.0
    # An amount a double would round is kept as its exact text.
    assert sheet.cell(row=first + 4, column=2).value == "12345678901234567.89"
    injected = sheet.cell(row=first + 4, column=1)
    assert injected.data_type == "s" and injected.value == '=HYPERLINK("http://x")'
    flagged = sheet.cell(row=first + 5, column=3)
    assert flagged.fill.fgColor.rgb == STATUS_FILLS[CellStatus.FLAGGED].fgColor.rgb
    assert "off by 0.50" in flagged.comment.text and "suggested 1,245.75" in flagged.comment.text
    repaired = sheet.cell(row=first + 3, column=3)
    assert repaired.fill.fgColor.rgb == STATUS_FILLS[CellStatus.REPAIRED].fgColor.rgb
    assert "read 16.25, repaired to 15.25: 6 read for 5" in repaired.comment.text
    low = sheet.cell(row=first + 3, column=1)
    assert "low confidence (score 0.62)" in low.comment.text
    assert sheet.cell(row=first + 2, column=1).comment is None  # an ok cell says nothing
    assert sheet.freeze_panes == f"A{first + 2}"


def test_pandas_reads_every_sheet_back_with_numbers_as_numbers(tmp_path: Path) -> None:
    doc_dir = tmp_path / "收入=表"
    write_document(doc_dir, _document(), formats=ALL)
    sheets = pd.read_excel(workbook_path(doc_dir), sheet_name=None)
    assert list(sheets) == ["01 收入预算表", "findings", "tidy"]
    grid = pd.read_excel(workbook_path(doc_dir), sheet_name="01 收入预算表", header=None)
    assert grid.iloc[CAPTION_ROWS + 2, 1] == pytest.approx(1234.5)
    tidy = sheets["tidy"]
    assert pd.api.types.is_numeric_dtype(tidy["value"])
    assert len(tidy) == len((doc_dir / "tidy.csv").read_text(encoding="utf-8-sig").splitlines()) - 1
    assert Decimal(str(tidy["value"].iloc[0])) == Decimal("1234.5")
    assert set(tidy["column"]) >= {"budget", "unmapped:本年收入 / 决算数"}
    findings = sheets["findings"]
    assert list(findings.columns) == ["kind", "status", "page", "table", "where", "says"]
    assert findings["says"].tolist() == ["lines at [0, 0, 10, 10] are no table"]


def test_sheet_names_are_short_unique_and_legal() -> None:
    used: set[str] = {"findings", "tidy"}
    form = "一般公共预算财政拨款基本支出预算表[经济分类]/续表:明细"
    long = Table(0, 1, (0, 0, 1, 1), 1, 1, meta=TableMeta(form=form))
    names = [sheet_name(n, long, used) for n in (1, 1, 1)]
    assert len(set(names)) == 3 and all(len(n) <= 31 for n in names)
    assert not any(ch in n for n in names for ch in "[]:*?/\\")
    assert sheet_name(3, Table(0, 1, (0, 0, 1, 1), 1, 1), used) == "03"


def test_formats_choose_outputs_and_json_is_always_written(tmp_path: Path) -> None:
    doc_dir = tmp_path / "a"
    write_document(doc_dir, _document(), formats=ALL)
    assert (doc_dir / "tables" / "01.csv").is_file() and workbook_path(doc_dir).is_file()
    write_document(doc_dir, _document(), formats=parse_formats("json"))
    assert not (doc_dir / "tables" / "01.csv").exists() and not (doc_dir / "tidy.csv").exists()
    assert not workbook_path(doc_dir).exists()  # outdated outputs do not linger
    assert json.loads((doc_dir / "result.json").read_text(encoding="utf-8"))["formats"] == ["json"]
    assert parse_formats("CSV, xlsx") == ALL
    with pytest.raises(RecoverError, match="'pdf' is not one of csv, xlsx, json"):
        parse_formats("csv,pdf")


def test_export_rewrites_the_workbook_with_the_decisions(tmp_path: Path) -> None:
    out = tmp_path / "out"
    doc = _document()
    doc_dir = out / "收入=表"
    write_document(doc_dir, doc, formats=parse_formats("xlsx"))
    build_queue(out, doc_dir, doc)
    queue = ReviewQueue(out)
    try:
        keys = [r["key"] for r in queue.conn.execute("SELECT key FROM items")]
        flagged = next(k for k in keys if k.endswith("-r5-c2"))
        queue.decide(flagged, "correct", "1,245.75", "ann")
        export_reviewed(out, queue)
    finally:
        queue.close()
    assert not (doc_dir / "tables").exists()  # csv was not asked for at extraction
    sheet = load_workbook(workbook_path(doc_dir))["01 收入预算表"]
    decided = sheet.cell(row=CAPTION_ROWS + 6, column=3)
    assert decided.value == 1245.75
    assert decided.fill.fgColor.rgb == STATUS_FILLS[CellStatus.REVIEWED].fgColor.rgb
    assert "correct by ann" in decided.comment.text and "was 1,245.25" in decided.comment.text


def test_extract_and_export_write_the_workbook_of_a_real_filing(tmp_path: Path) -> None:
    need_eval()
    budget = "上海市普陀区财政局2024年度部门决算"  # page 8: 收入决算表, a 3-row merged header
    pdf = EVAL / "cn_budget" / "pdf" / f"{budget}.pdf"
    gt = json.loads((EVAL / "cn_budget" / "gt" / f"{budget}.json").read_text(encoding="utf-8"))
    spans = next(p for p in gt["pages"] if p["page"] == 8)["tables"][0]["n_spanning_cells"]
    out = tmp_path / "out"
    args = ["extract", str(pdf), "-o", str(out), "--pages", "8", "--format", "xlsx"]
    assert CliRunner().invoke(app, args).exit_code == 0
    doc_dir = out / budget
    assert not (doc_dir / "tables").exists()
    assert json.loads((doc_dir / "result.json").read_text(encoding="utf-8"))["formats"] == ["xlsx", "json"]
    sheets = pd.read_excel(workbook_path(doc_dir), sheet_name=None)
    assert list(sheets)[-2:] == ["findings", "tidy"] and len(sheets["tidy"]) >= 30
    assert pd.api.types.is_numeric_dtype(sheets["tidy"]["value"])
    sheet = load_workbook(workbook_path(doc_dir)).worksheets[0]
    assert len(sheet.merged_cells.ranges) == spans + 2  # the printed merges, plus title and unit lines
    assert "单位：万元" in sheet["A2"].value
    workbook_path(doc_dir).unlink()
    assert CliRunner().invoke(app, ["export", str(out)]).exit_code == 0
    assert workbook_path(doc_dir).is_file() and not (doc_dir / "tables").exists()
