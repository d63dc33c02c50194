"""The count a 序号 column prints: a number that breaks it is repaired or flagged, never ``ok``."""

from __future__ import annotations

from table_builder import make_table

from recover.check.serial_numbers import COUNT_RULE
from recover.check.stage import check_stage
from recover.label.stage import label_document
from recover.model import Cell, CellStatus, Document, FlagKind, Page, Table

UNITS = ["财政局本级", "财政所", "国库收付中心", "信息中心", "会计服务中心"]


def _units(serials: list[str]) -> Table:
    rows = [["序号", "单位名称", "备注"]] + [[s, UNITS[n], ""] for n, s in enumerate(serials)]
    table = make_table(rows)
    document = Document("/in/units.pdf", "ab" * 32, [Page(1, 800, 600, 200, tables=[table])], engine="test")
    check_stage(label_document(document), None)
    return table


def _cell(table: Table, row: int, col: int = 0) -> Cell:
    cell = table.cell_at(row, col)
    assert cell is not None
    return cell


def test_a_count_that_holds_stays_ok() -> None:
    table = _units(["1", "2", "3", "4", "5"])
    assert {_cell(table, r).status for r in range(1, 6)} == {CellStatus.OK}


def test_a_misread_number_that_one_confusion_explains_is_repaired_by_the_count() -> None:
    table = _units(["1", "2", "8", "4", "5"])  # 3 read as 8
    cell = _cell(table, 3)
    assert cell.status is CellStatus.REPAIRED and cell.text == "3"
    assert cell.repair is not None and cell.repair.printed == "8" and cell.repair.constraints == [COUNT_RULE]
    assert _cell(table, 4).status is CellStatus.OK


def test_a_number_no_misreading_explains_is_flagged() -> None:
    table = _units(["1", "2", "3", "9", "5"])  # 4 read as 9: one confusion (4↔9) — repaired
    assert _cell(table, 4).status is CellStatus.REPAIRED
    table = _units(["1", "2", "3", "6", "5"])  # 6 is no one misreading of 4
    cell = _cell(table, 4)
    assert cell.status is CellStatus.FLAGGED
    assert [f.kind for f in cell.flags] == [FlagKind.UNEXPLAINED]
    assert "it must be 4" in cell.flags[0].message


def test_a_row_lost_from_the_count_flags_nothing() -> None:
    # 1, 2, 4, 5: a row not printed or not recovered — 4 and 5 count on from each other.
    table = _units(["1", "2", "4", "5"])
    assert {_cell(table, r).status for r in range(1, 5)} == {CellStatus.OK}


def test_a_damaged_first_number_still_starts_the_body() -> None:
    # "1" read as "I": the row is the first of the list, not a second header row; the
    # column is still 序号, and 3 read as B is flagged.
    table = _units(["I", "2", "B"])
    assert table.header_rows == 1
    assert table.columns[0].id == "serial_no"
    assert _cell(table, 3).status is CellStatus.FLAGGED
    assert _cell(table, 2).status is CellStatus.OK
