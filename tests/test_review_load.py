"""Review load: a right number is left unflagged only when a kept rule that holds proves it.

Synthetic tables (no OCR), one per mechanism: an amount between stray marks is a modelled
misreading the totals may prove; a failing rule flags the cells no holding rule proves, and a
rule that cannot be evaluated only the cells that did not read; suspect cells blocked by a rule
among them are repaired together; a cell holding two values doubts its own rows; a region
block keeps a row whose amount did not read; a header's leaf column whose only figure is
damaged stays a part of the 合计.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from table_builder import make_table
from test_checks import budget_rows
from test_discovery_print import _merge_down, _rules, allocation_rows
from test_tiers import _merge

from recover.check.confusion import alternatives, damaged_reading
from recover.check.discover import discover
from recover.check.repair import check_table
from recover.check.structure import check_structure
from recover.check.tiers import table_tiers
from recover.model import Cell, CellStatus, FlagKind, Table


def _cell(table: Table, row: int, col: int) -> Cell:
    cell = table.cell_at(row, col)
    assert cell is not None
    return cell


@pytest.mark.parametrize(
    ("reading", "amount"),
    [
        ("•930.42", "930.42"),
        ("8.73日", "8.73"),
        (".105.00=", "105.00"),
        ("175.00 I", "175.00"),
        ("-168.68", "168.68"),
        ("45:72", "45.72"),
        ("246,46", "246.46"),
        ("1,359,91", "1,359.91"),
        ("1.359.91", "1,359.91"),
    ],
)
def test_the_amount_between_stray_marks_is_read_back(reading: str, amount: str) -> None:
    assert damaged_reading(reading) == amount
    assert amount in {a.text for a in alternatives(reading)}


@pytest.mark.parametrize(
    "reading", ["12.5", "1,234.00", "28.31一1", "11:369.68", "合计", "2010101", "205教育支出", "•1234"]
)
def test_a_clean_or_unreadable_reading_has_no_amount_between_marks(reading: str) -> None:
    assert damaged_reading(reading) is None


@pytest.mark.parametrize("misread", ["•300.00", "300.00日", "-300.00", "300:00", "300,00"])
def test_an_amount_between_stray_marks_is_repaired_with_proof(misread: str) -> None:
    rows = budget_rows()
    rows[4][2] = misread  # 2010101 行政运行, 合计 column
    table = make_table(rows, confidence={(4, 2): 0.9})
    check_table(table)
    cell = _cell(table, 4, 2)
    assert cell.status is CellStatus.REPAIRED and cell.text == "300.00" and cell.value == Decimal("300.00")
    assert cell.repair is not None and cell.repair.printed == misread and cell.repair.constraints


def test_a_failing_rule_flags_only_the_cells_no_holding_rule_proves() -> None:
    rows = budget_rows()
    rows[4][2] = "390.00"  # read clearly, wrong: 20101 and its row no longer add up
    table = make_table(rows)
    check_table(table)
    assert _cell(table, 4, 2).status is CellStatus.FLAGGED
    # Each of these is in a failing rule too, but proven by another that holds.
    for row, col in ((3, 2), (4, 3), (4, 4)):
        assert _cell(table, row, col).status is CellStatus.OK, (row, col)


def test_a_rule_that_cannot_be_evaluated_flags_only_the_cell_that_did_not_read() -> None:
    rows = [
        ["项目", "合计", "甲", "乙"],
        ["一", "3O0.0O", "100.00", "200.00"],
        ["二", "500.00", "200.00", "300.00"],
        ["三", "700.00", "300.00", "400.00"],
    ]
    table = make_table(rows)
    check_table(table)
    assert _cell(table, 1, 1).status is CellStatus.FLAGGED
    assert _cell(table, 1, 2).status is CellStatus.OK and _cell(table, 1, 3).status is CellStatus.OK


def test_suspect_cells_blocked_by_a_rule_among_them_are_repaired_together() -> None:
    rows = [
        ["项目", "合计", "甲", "乙", "丙"],
        ["合计", "1,200.00", "200.00", "400.00", "600.00"],
        ["一", "600.00", "•100.00", "200.00日", "300.00"],
        ["二", "600.00", "100.00", "200.00", "300.00"],
    ]
    table = make_table(rows)
    _, found = discover(table)
    assert any(c.target == (2, 1) for c in found)  # the row's own rule: two cells it cannot read
    check_table(table)
    for col, text in ((2, "100.00"), (3, "200.00")):
        cell = _cell(table, 2, col)
        assert cell.status is CellStatus.REPAIRED and cell.text == text


def test_two_values_in_one_cell_doubt_only_its_own_row() -> None:
    rows = [["项目", "金额"], ["差旅费", "12.50"], ["会议费", "30.25"], ["培训费", "8.00"]]
    rows += [["印刷费", "6.40"], ["邮电费", "8.0030.25"]]
    table = make_table(rows)
    check_table(table)
    check_structure(table)
    assert [f.kind for f in table.flags] == [FlagKind.TWO_VALUES]
    table_tiers(table)
    assert _cell(table, 5, 1).status is CellStatus.FLAGGED
    # The grid keeps the other rows apart: their amounts stay unproven, not flagged.
    assert all(_cell(table, row, 1).status is CellStatus.UNPROVEN for row in (1, 2, 3, 4))


def test_a_block_row_whose_amount_did_not_read_keeps_its_block() -> None:
    rows = allocation_rows()
    rows[1][2] = "590.00"
    rows += [["湘潭市", "湘潭市小计", "90.00", ""], ["", "湘潭县", "40.00", ""], ["", "湘乡市", "50.00", ""]]
    rows[7][2] = ".200.00="  # 株洲市小计: no body row, since its only amount did not read
    table = _merge_down(make_table(rows, confidence={(7, 2): 0.9}), 0, [(2, 6), (7, 11), (12, 14)])
    rules = _rules(table)
    assert ("region subtotal", (7, 2), frozenset({(8, 2), (10, 2), (11, 2)})) in rules
    assert ("region subtotal", (1, 2), frozenset({(2, 2), (7, 2), (12, 2)})) in rules  # 全省合计
    check_table(table)
    cell = _cell(table, 7, 2)
    assert cell.status is CellStatus.REPAIRED and cell.text == "200.00"


def test_a_header_leaf_whose_only_figure_is_damaged_stays_a_part() -> None:
    rows = [
        ["合计", "因公出国(境)费", "公务接待费"],
        ["3.50", "1.20", ".2.30"],
    ]
    table = make_table(rows, confidence={(1, 2): 0.9})
    assert 2 not in table.view.numeric_cols  # its only figure did not read: taken for text
    _, found = discover(table)
    assert any(c.target == (1, 0) and set(c.parts) == {(1, 1), (1, 2)} for c in found)


def test_a_column_of_amounts_most_of_which_did_not_read_is_still_checked() -> None:
    rows = [
        ["单位代码", "单位名称", "台评", "一般公共预算", "上年结转"],  # 合计 misread: no header rule
        ["346", "某市医疗保障局", "1,359.91", "1,032.64", "327.27"],
        ["346001", "某市医疗保障局本级", "1.359.91", "1,032.64", "327.27"],
        ["346002", "某中心", "1,359,91", "1,032.64", "327.27"],
    ]
    table = make_table(rows, confidence={(2, 2): 0.9, (3, 2): 0.9})
    assert 2 not in table.view.numeric_cols  # labelling took the column for text
    check_table(table)
    for row in (2, 3):
        cell = _cell(table, row, 2)
        assert cell.status is CellStatus.REPAIRED and cell.text == "1,359.91"
    assert _cell(table, 1, 0).status is CellStatus.OK  # the unit codes stay text


def test_one_part_makes_a_header_rule_only_under_a_parent_heading_that_read() -> None:
    rows = [
        ["", "", "决算数", ""],
        ["合计", "因公出国(境)费", "合计", "公务接待费"],
        ["1.08", "", "0.48", "0.48"],
    ]
    table = _merge(make_table(rows), 0, 0, 1, 2, "")  # a heading the grid cut, read blank
    table = _merge(table, 0, 2, 1, 2, "决算数")
    _, found = discover(table)
    labels = {c.label for c in found}
    assert "column 3 = column 4 (header)" in labels
    assert "column 1 = column 2 (header)" not in labels
