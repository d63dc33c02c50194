"""Trust tiers (proven / repaired / unproven / flagged) and structure that must prove itself.

Tables are built in code (no OCR): a covered amount ends proven, a clear one no rule covers
unproven, never ``ok``; each structure contradiction flags its table; a clean table is left
alone; and every export carries the tiers.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import quote

from openpyxl import load_workbook
from starlette.testclient import TestClient
from table_builder import labelled, make_table

from recover.check.stage import check_stage
from recover.check.structure import check_structure, two_amounts
from recover.export.formats import OutputFormat, workbook_path
from recover.export.outputs import write_document
from recover.export.workbook import CAPTION_ROWS, STATUS_FILLS
from recover.label.stage import label_document
from recover.model import Cell, CellStatus, Document, FlagKind, Page, Table, table_proof
from recover.review.build import build_queue
from recover.review.decisions import apply_to_table
from recover.review.queue import Decision, ItemKind, ReviewQueue
from recover.review.server import create_app

BUDGET = [
    ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ["", "合计", "1,000.00", "600.00", "400.00"],
    ["201", "一般公共服务支出", "700.00", "500.00", "200.00"],
    ["20101", "人大事务", "300.00", "200.00", "100.00"],
    ["2010101", "行政运行", "300.00", "200.00", "100.00"],
    ["20103", "政府办公厅", "400.00", "300.00", "100.00"],
    ["2010301", "行政运行", "250.00", "250.00", "0.00"],
    ["2010350", "事业运行", "150.00", "50.00", "100.00"],
    ["208", "社会保障和就业支出", "300.00", "100.00", "200.00"],
    ["20805", "行政事业单位养老支出", "300.00", "100.00", "200.00"],
    ["2080505", "机关事业单位基本养老保险缴费支出", "300.00", "100.00", "200.00"],
]
# Two amounts that no printed total covers: read clearly, proven by nothing.
LIST = [["项目", "金额"], ["差旅费", "12.50"], ["会议费", "30.25"], ["培训费", "8.00"]]
TIERS = {"proven", "repaired", "unproven", "flagged", "low_confidence", "reviewed"}


def _document(*tables: Table) -> Document:
    for n, table in enumerate(tables):
        table.index, table.page = 0, n + 1
        for cell in table.cells:
            cell.page = n + 1
    pages = [Page(n + 1, 800, 600, 200, tables=[t]) for n, t in enumerate(tables)]
    return Document("/in/tiers.pdf", "cd" * 32, pages, engine="test")


def _checked(*tables: Table) -> Document:
    return check_stage(_document(*tables), None)


def _cell(table: Table, row: int, col: int) -> Cell:
    cell = table.cell_at(row, col)
    assert cell is not None
    return cell


def _merge(table: Table, row: int, col: int, rows: int, cols: int, text: str) -> Table:
    """Merge a block of slots into one cell holding ``text`` (as a grid that missed a line)."""
    table.cells = [
        c
        for c in table.cells
        if not (row <= c.row < row + rows and col <= c.col < col + cols) or (c.row == row and c.col == col)
    ]
    cell = _cell(table, row, col)
    cell.row_span, cell.col_span, cell.text = rows, cols, text
    cell.value = None
    cell.status = CellStatus.OK if text else CellStatus.EMPTY
    return labelled(table)


def test_a_covered_amount_is_proven_and_no_amount_stays_ok() -> None:
    table = make_table(BUDGET)
    _checked(table)
    amounts = [c for c in table.cells if c.value is not None and c.col >= 2]
    assert amounts and all(c.status is CellStatus.PROVEN for c in amounts)
    # Words and subject codes keep ok: arithmetic proves no text.
    assert _cell(table, 2, 1).status is CellStatus.OK and _cell(table, 2, 0).status is CellStatus.OK
    assert table_proof(table).coverage == 1.0 and table_proof(table).amounts == len(amounts)


def test_an_uncovered_clear_amount_is_unproven_and_a_doubtful_one_flagged() -> None:
    table = make_table(LIST, confidence={(3, 1): 0.41})
    _checked(table)
    assert _cell(table, 1, 1).status is CellStatus.UNPROVEN
    assert _cell(table, 2, 1).status is CellStatus.UNPROVEN
    assert _cell(table, 3, 1).status is CellStatus.FLAGGED  # low score, nothing confirms it
    proof = table_proof(table)
    assert (proof.amounts, proof.proven, proof.unproven, proof.flagged) == (3, 0, 2, 1)
    assert proof.coverage == 0.0


def test_a_repaired_amount_counts_as_proved() -> None:
    rows = [list(r) for r in BUDGET]
    rows[4][3] = "280.00"  # 200.00 misread: the totals prove the repair
    table = make_table(rows, confidence={(4, 3): 0.6})
    _checked(table)
    assert _cell(table, 4, 3).status is CellStatus.REPAIRED
    assert table_proof(table).repaired == 1 and table_proof(table).coverage == 1.0


def test_two_amounts_are_told_from_one_with_misread_separators() -> None:
    assert two_amounts("462.78441.66", 2) == ("462.78", "441.66")
    assert two_amounts("1,781.52| 1,781.52", 2) == ("1,781.52", "1,781.52")
    assert two_amounts("4.873.863,538.28", 2) == ("4.873.86", "3,538.28")
    assert two_amounts("1.234.56", 2) is None  # 1,234.56 with a dot for the comma
    assert two_amounts("11:369.68", 2) is None  # 11,369.68
    assert two_amounts("1 52.95", 2) is None  # a speck of ruling read as 1 is no amount
    assert two_amounts("2,844.89", 2) is None


def test_a_cell_holding_two_values_flags_the_table_and_the_cell() -> None:
    table = make_table(BUDGET)
    _merge(table, 3, 2, 1, 1, "300.00200.00")
    _checked(table)
    cell = _cell(table, 3, 2)
    assert cell.status is CellStatus.FLAGGED
    assert [f.kind for f in cell.flags if f.kind.structural] == [FlagKind.TWO_VALUES]
    assert [f.kind for f in table.flags] == [FlagKind.TWO_VALUES] and table.flags[0].at == (3, 2)


def test_an_amount_run_into_a_label_is_two_values() -> None:
    """A 收支总表's amount and the next list's item in one cell (the column rule between lost)."""
    table = make_table(BUDGET)
    _merge(table, 5, 4, 1, 1, "100.00二、社会保障和就业支出")
    _checked(table)
    cell = _cell(table, 5, 4)
    assert cell.status is CellStatus.FLAGGED
    assert "an amount and a label (100.00, 二、社会保障和就业支出)" in cell.flags[-1].message
    assert [f.kind for f in table.flags] == [FlagKind.TWO_VALUES]


def test_an_amount_run_into_the_next_lists_label_over_two_columns_is_two_values() -> None:
    """A 收支总表: the first list's amount and the second list's item read as one cell over
    both columns, which the header and the other rows keep apart."""
    rows = [
        ["项目", "金额", "项目", "金额"],
        ["一、一般公共预算拨款收入", "300.00", "一、一般公共服务支出", "200.00"],
        ["二、政府性基金预算拨款收入", "100.00", "二、社会保障和就业支出", "200.00"],
        ["收入总计", "400.00", "支出总计", "400.00"],
    ]
    table = _merge(make_table(rows), 2, 1, 1, 2, "100.00二、社会保障和就业支出")
    _checked(table)
    cell = _cell(table, 2, 1)
    assert cell.status is CellStatus.FLAGGED
    assert "an amount and a label (100.00, 二、社会保障和就业支出)" in cell.flags[-1].message


def test_more_digits_than_one_code_is_two_values() -> None:
    """Three rows' 30208 30209 30211 read as one code cell: rows the grid merged."""
    table = make_table(BUDGET)
    _merge(table, 6, 0, 1, 1, "201030120103502")
    _checked(table)
    cell = _cell(table, 6, 0)
    assert cell.status is CellStatus.FLAGGED
    assert "15 digits" in cell.flags[-1].message
    assert FlagKind.TWO_VALUES in [f.kind for f in table.flags]


def test_one_amount_over_columns_the_grid_keeps_apart_is_two_values() -> None:
    table = make_table(BUDGET)
    _merge(table, 5, 3, 1, 2, "300.00")  # 基本支出 and 项目支出 read as one cell
    _checked(table)
    assert _cell(table, 5, 3).status is CellStatus.FLAGGED
    assert [f.kind for f in table.flags] == [FlagKind.TWO_VALUES]
    assert "columns 4–5" in _cell(table, 5, 3).flags[-1].message


def _grouped(leaves: bool) -> Table:
    """基本支出 over three columns; the third empty in every row; its leaf names printed or not."""
    rows = [
        ["科目编码", "科目名称", "合计", "基本支出", "", ""],
        ["", "", "", "人员经费", "公用经费", "其他"],
        ["201", "一般公共服务支出", "700.00", "500.00", "200.00", ""],
        ["20101", "人大事务", "300.00", "200.00", "100.00", ""],
        ["20103", "政府办公厅", "400.00", "300.00", "100.00", ""],
    ]
    table = make_table(rows)
    table.header_rows = 2
    if leaves:
        _merge(table, 0, 3, 1, 3, "基本支出")
    else:
        _merge(table, 0, 3, 2, 3, "基本支出")  # the leaves' dividing lines were never found
    for col in (0, 1, 2):
        _merge(table, 0, col, 2, 1, rows[0][col])
    return table


def test_an_empty_column_inside_a_header_group_flags_the_table() -> None:
    table = _grouped(leaves=False)
    flags = check_structure(table)
    assert [f.kind for f in flags] == [FlagKind.EMPTY_COLUMN] and flags[0].at == (2, 5)
    # The same blank column under a header of its own may just be blank this year.
    assert check_structure(_grouped(leaves=True)) == []


def test_a_row_with_amounts_but_no_label_below_a_merged_block_flags_the_table() -> None:
    rows = [list(r) for r in BUDGET[:8]]
    rows[6][0], rows[6][1] = "", ""  # 行政运行's label swallowed by the block above
    table = make_table(rows)
    _merge(table, 4, 1, 2, 1, "政府办公厅")
    flags = check_structure(table)
    assert [f.kind for f in flags] == [FlagKind.UNLABELLED_ROW] and flags[0].at == (6, 2)
    assert "below a merged block" in flags[0].message


def test_a_clean_table_with_a_grouped_header_gets_no_structure_flag() -> None:
    rows = [
        ["科目编码", "科目名称", "合计", "基本支出", "", "项目支出"],
        ["", "", "", "人员经费", "公用经费", ""],
        ["", "合计", "1,000.00", "400.00", "200.00", "400.00"],
        ["201", "一般公共服务支出", "700.00", "300.00", "200.00", "200.00"],
        ["20101", "人大事务", "300.00", "100.00", "", "200.00"],
        ["20103", "政府办公厅", "400.00", "200.00", "200.00", ""],
        ["208", "社会保障和就业支出", "300.00", "100.00", "", "200.00"],
    ]
    table = make_table(rows)
    table.header_rows = 2
    _merge(table, 0, 3, 1, 2, "基本支出")
    for col in (0, 1, 2, 5):
        _merge(table, 0, col, 2, 1, rows[0][col])
    _merge(table, 2, 0, 1, 2, "合计")  # 合计 across the code and name columns, as printed
    _checked(table)
    assert table.flags == [] and not any(f.kind.structural for c in table.cells for f in c.flags)


def test_every_export_carries_the_tiers(tmp_path: Path) -> None:
    proven, listed = make_table(BUDGET), make_table(LIST)
    _merge(proven, 3, 2, 1, 1, "300.00200.00")
    doc = _checked(proven, listed)
    doc_dir = tmp_path / "out" / "tiers"
    write_document(doc_dir, doc, formats=frozenset(OutputFormat))
    status = list(csv.reader((doc_dir / "status" / "02.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert status == [["ok", "ok"], ["ok", "unproven"], ["ok", "unproven"], ["ok", "unproven"]]
    first_status = (doc_dir / "status" / "01.csv").read_text(encoding="utf-8-sig").splitlines()
    assert list(csv.reader(first_status))[8] == ["ok", "ok", "proven", "proven", "proven"]
    tidy = list(csv.DictReader((doc_dir / "tidy.csv").read_text(encoding="utf-8-sig").splitlines()))
    # The fused cell's rules cannot be evaluated: they flag that cell, not the amounts
    # beside it, which other rules prove.
    assert {"proven", "unproven"} <= {r["status"] for r in tidy} <= TIERS
    result = json.loads((doc_dir / "result.json").read_text(encoding="utf-8"))
    assert result["schema_version"] == 3
    cells = [c for p in result["pages"] for t in p["tables"] for c in t["cells"] if c["value"] is not None]
    assert "ok" not in {
        c["status"] for c in cells if c["col"] >= 1 and c["row"] >= 1 and c["text"][:1] != "2"
    }
    second = result["pages"][1]["tables"][0]["proof"]
    assert second == {
        "amounts": 3,
        "proven": 0,
        "repaired": 0,
        "unproven": 3,
        "flagged": 0,
        "reviewed": 0,
        "coverage": 0.0,
    }
    assert result["proof"]["amounts"] == table_proof(proven).amounts + 3
    assert result["pages"][0]["tables"][0]["flags"][0]["kind"] == "two values in one cell"
    findings = (doc_dir / "findings.csv").read_text(encoding="utf-8-sig")
    assert 'table structure,two values in one cell,1,01,"row 4, column 3"' in findings
    sheet = load_workbook(workbook_path(doc_dir))["02"]
    unproven = sheet.cell(row=CAPTION_ROWS + 2, column=2)
    assert unproven.fill.fgColor.rgb == STATUS_FILLS[CellStatus.UNPROVEN].fgColor.rgb
    assert "proof 0.0% of 3 amounts" in sheet["A2"].value
    first = load_workbook(workbook_path(doc_dir))["01"]
    assert first.cell(row=CAPTION_ROWS + 9, column=3).fill.fill_type is None  # proven: no colour


def test_the_review_queue_holds_structure_items_and_no_unproven_amounts(tmp_path: Path) -> None:
    table, listed = make_table(BUDGET), make_table(LIST)
    _merge(table, 3, 2, 1, 1, "300.00200.00")
    doc = _checked(table, listed)
    out = tmp_path / "out"
    doc_dir = out / "tiers"
    write_document(doc_dir, doc)
    items = build_queue(out, doc_dir, doc)
    structure = [i for i in items if i.kind is ItemKind.STRUCTURE]
    assert len(structure) == 1 and structure[0].reason == table.flags[0].message
    assert structure[0].doubt > max(i.doubt for i in items if i.kind is not ItemKind.STRUCTURE)
    assert not any(i.table_no == 2 for i in items)  # unproven amounts are no review items
    queue = ReviewQueue(out)
    try:
        assert queue.item(structure[0].key) == structure[0]
    finally:
        queue.close()
    # Looking at the table changes no cell: its cells are decided by their own items.
    before = [c.to_dict() for c in table.cells]
    apply_to_table(
        table, structure, {structure[0].key: Decision(structure[0].key, "accept", "", "ann", "t", 1)}
    )
    assert [c.to_dict() for c in table.cells] == before


def test_the_review_page_shows_tiers_coverage_and_the_structure_item(tmp_path: Path) -> None:
    table, listed = make_table(BUDGET), make_table(LIST)
    _merge(table, 3, 2, 1, 1, "300.00200.00")
    doc = _checked(table, listed)
    out = tmp_path / "out"
    write_document(out / "tiers", doc)
    items = build_queue(out, out / "tiers", doc)
    client = TestClient(create_app(out))
    first = client.get("/next", follow_redirects=False).headers["location"]
    assert first == f"/item/{quote(next(i.key for i in items if i.kind is ItemKind.STRUCTURE))}"
    page = client.get(first).text
    assert "Looked at the table" in page and "hold two values" in page
    refused = client.post(f"{first}/decide", data={"action": "correct", "text": "1"})
    assert refused.status_code == 400
    grid = client.get("/table/tiers/2").text
    assert 'class="unproven"' in grid and "proof coverage 0.0% of 3 amounts" in grid
    assert "hold two values" in client.get("/table/tiers/1").text


def test_amounts_no_rule_proves_in_a_grid_that_contradicts_itself_are_flagged() -> None:
    # Harsh scans: a spurious column line shifts every figure one column right and fuses a
    # row's words with its amount; the structure checks doubt the grid, so what no rule
    # proves is no clear reading. (Amounts fused alone doubt only their own rows.)
    rows = [*LIST, ["印刷费", "6.40"], ["邮电费8.00", ""]]
    table = make_table(rows)
    _merge(table, 5, 0, 1, 2, "邮电费8.00")
    _checked(table)
    assert [f.kind for f in table.flags] == [FlagKind.TWO_VALUES]
    for row in (1, 2):
        cell = _cell(table, row, 1)
        assert cell.status is CellStatus.FLAGGED
        assert any("grid contradicts" in f.message for f in cell.flags)
    # The same list with a sound grid keeps them unproven.
    clean = make_table(rows[:-1])
    _checked(clean)
    assert _cell(clean, 1, 1).status is CellStatus.UNPROVEN


def test_a_damaged_reading_in_a_numbering_column_is_flagged() -> None:
    rows = [["序号", "单位名称", "备注"], ["1", "财政局本级", ""], ["2", "财政所", "并入本级"]]
    rows.append(["B", "国库收付中心", ""])
    table = make_table(rows)
    document = _document(table)
    label_document(document)
    check_stage(document, None)
    assert _cell(table, 3, 0).status is CellStatus.FLAGGED  # 3 read as B
    assert _cell(table, 2, 0).status is CellStatus.OK and _cell(table, 2, 1).status is CellStatus.OK
