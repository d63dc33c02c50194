"""Totals checks and digit repair: every constraint kind, every error kind, never silent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from table_builder import labelled, make_table

from recover.check.confusion import alternatives
from recover.check.constraints import Constraint, RuleSource
from recover.check.discover import discover
from recover.check.repair import check_table
from recover.label.numeric_view import numeric_view
from recover.model import Cell, CellStatus

HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]


def agreeing(cell: Cell) -> str:
    """A digits-only re-read that reads what the first reading read."""
    return cell.text


def budget_rows() -> list[list[str]]:
    """A 类/款/项 expenditure table whose rows and columns all add up."""
    return [
        HEADER,
        ["", "合计", "1,000.00", "600.00", "400.00"],
        ["201", "一般公共服务支出", "700.00", "500.00", "200.00"],
        ["20101", "人大事务", "300.00", "200.00", "100.00"],
        ["2010101", "行政运行", "300.00", "200.00", "100.00"],
        ["20103", "政府办公厅（室）及相关机构事务", "400.00", "300.00", "100.00"],
        ["2010301", "行政运行", "250.00", "250.00", "0.00"],
        ["2010350", "事业运行", "150.00", "50.00", "100.00"],
        ["208", "社会保障和就业支出", "300.00", "100.00", "200.00"],
        ["20805", "行政事业单位养老支出", "300.00", "100.00", "200.00"],
        ["2080505", "机关事业单位基本养老保险缴费支出", "300.00", "100.00", "200.00"],
    ]


def test_clean_table_finds_every_kind_of_constraint_and_all_hold() -> None:
    table = make_table(budget_rows())
    checks = check_table(table)
    sources = {c.rule.source for c in checks.rules}
    # 合计 printed beside 基本支出 and 项目支出: the header states the column rule.
    assert sources == {"header", "subject codes", "total row"}
    assert checks.holding == checks.found and checks.repaired == 0 and not checks.inconsistencies
    assert all(c.status is CellStatus.OK for c in table.cells if c.value is not None)


def test_column_rule_found_from_numbers_when_the_header_does_not_say_it() -> None:
    rows = budget_rows()
    rows[0] = ["科目编码", "科目名称", "甲", "乙", "丙"]
    checks = check_table(make_table(rows))
    labels = {c.rule.label for c in checks.rules if c.rule.source == "columns"}
    assert labels == {"column 3 = column 4 + column 5"}


def test_header_rule_governs_a_short_table_with_a_broken_row() -> None:
    # Three body rows, one printed wrong: 2 of 3 is under the 80% a numeric rule needs,
    # but the header states 合计 = its siblings, so the break is found and reported.
    rows = [
        ["项目", "财政拨款支出", "财政拨款支出", "财政拨款支出"],
        ["项目", "合计", "一般公共预算", "政府性基金预算"],
        ["一般公共服务支出", "200.00", "150.00", "50.00"],
        ["住房保障支出", "445.69", "745.69", ""],
        ["卫生健康支出", "60.99", "60.99", ""],
    ]
    table = make_table(rows)
    # The parent header spans columns 1-3 as one merged cell.
    table.cells = [c for c in table.cells if not (c.row == 0 and c.col in (2, 3))]
    parent = next(c for c in table.cells if c.row == 0 and c.col == 1)
    parent.col_span = 3
    checks = check_table(table, reread=agreeing)
    assert {c.rule.source for c in checks.rules} == {"header"}
    assert len(checks.inconsistencies) == 1
    bad = table.cell_at(3, 2)
    assert (
        bad is not None
        and bad.status is CellStatus.FLAGGED
        and "source inconsistency" in bad.flags[0].message
    )


def test_blank_columns_are_zero_parts_of_the_total() -> None:
    # 上级补助收入 and 事业收入 blank in every row: 合计 = 财政拨款 + 0 + 0 still holds and
    # governs the cells; a clear break in one row is the filing's own inconsistency.
    rows = [
        ["项目", "甲", "乙", "丙", "丁"],  # no header words: the rule must come from numbers
        ["一般公共服务支出", "60.99", "60.99", "", ""],
        ["住房保障支出", "445.69", "445.69", "", ""],
        ["住房改革支出", "445.69", "445.69", "", ""],
        ["住房公积金", "687.19", "187.19", "", ""],
        ["购房补贴", "258.50", "258.50", "", ""],
    ]
    table = make_table(rows)
    checks = check_table(table, reread=agreeing)
    assert {c.rule.label for c in checks.rules} == {"column 2 = column 3 + column 4 + column 5"}
    assert len(checks.inconsistencies) == 1 and checks.repaired == 0


def test_codes_in_split_columns_and_under_their_parent() -> None:
    rows = [
        ["类", "款", "项", "名称", "金额"],
        ["210", "", "", "卫生健康支出", "90"],
        ["", "15", "", "医疗保障管理事务", "90"],
        ["", "", "01", "行政运行", "60"],
        ["", "", "02", "一般行政管理事务", "30"],
        ["210 15 99", "", "", "其他", "0"],
    ]
    table = make_table(rows)
    codes = numeric_view(table).row_codes
    assert codes == {1: "210", 2: "21015", 3: "2101501", 4: "2101502", 5: "2101599"}


@pytest.mark.parametrize(
    ("printed", "misread"),
    [
        ("300.00", "800.00"),  # 3 ↔ 8
        ("600.00", "500.00"),  # 6 ↔ 5
        ("700.00", "100.00"),  # 7 ↔ 1
        ("400.00", "480.00"),  # 0 ↔ 8
        ("300.00", "30.00"),  # dropped digit
        ("300.00", "3000.00"),  # inserted digit
        ("300.00", "30000"),  # decimal point dropped
        ("300.00", "3000.0"),  # decimal point moved
    ],
)
def test_each_misreading_is_repaired_with_proof(printed: str, misread: str) -> None:
    rows = budget_rows()
    r, c = next((r, c) for r, row in enumerate(rows) for c, t in enumerate(row) if t == printed and r >= 1)
    rows[r][c] = misread
    table = make_table(rows, confidence={(r, c): 0.8})
    checks = check_table(table)
    cell = table.cell_at(r, c)
    assert cell is not None and cell.status is CellStatus.REPAIRED
    assert cell.value == Decimal(printed.replace(",", ""))
    assert cell.repair is not None and cell.repair.printed == misread and cell.repair.constraints
    assert checks.repaired == 1
    others = [x for x in table.cells if x is not cell and x.value is not None]
    assert all(x.status is CellStatus.OK for x in others)  # no correct cell touched


def test_thousands_separators_read_as_points() -> None:
    rows = [
        ["项目", "合计", "甲", "乙"],
        ["一", "2,389.43", "1,000.00", "1,389.43"],
        ["二", "3,000.00", "1,000.00", "2,000.00"],
        ["三", "1,500.00", "500.00", "1,000.00"],
    ]
    rows[1][1] = "2.389.43"
    table = make_table(rows, confidence={(1, 1): 0.7})
    check_table(table)
    cell = table.cell_at(1, 1)
    assert cell is not None and cell.status is CellStatus.REPAIRED and cell.text == "2,389.43"


def test_ambiguous_violation_is_flagged_not_repaired() -> None:
    # 500 = 300 + 280 fails; reading 280 as 200 or 500 as 580 would each fix it.
    rows = [
        ["项目", "合计", "基本支出", "项目支出"],
        ["甲", "500", "300", "200"],
        ["乙", "900", "600", "300"],
        ["丁", "700", "400", "300"],
        ["戊", "1,200", "700", "500"],
        ["丙", "500", "300", "280"],
    ]
    table = make_table(rows, confidence={(5, 1): 0.8, (5, 2): 0.8, (5, 3): 0.8})
    check_table(table)
    row = [table.cell_at(5, c) for c in (1, 2, 3)]
    assert all(c is not None and c.status is CellStatus.FLAGGED for c in row)
    assert "several readings" in row[0].flags[0].message  # type: ignore[union-attr]
    assert [c.text for c in row] == ["500", "300", "280"]  # type: ignore[union-attr]


def test_clear_reading_that_does_not_add_up_is_a_source_inconsistency() -> None:
    rows = budget_rows()
    rows[4][3] = "210.00"  # printed clearly; 行政运行 no longer adds up
    table = make_table(rows)
    checks = check_table(table, reread=agreeing)
    assert checks.repaired == 0 and checks.inconsistencies
    cell = table.cell_at(4, 3)
    assert cell is not None and cell.text == "210.00" and cell.status is CellStatus.FLAGGED
    assert "source inconsistency" in cell.flags[0].message


def test_rounding_within_one_cent_holds() -> None:
    values = {(0, 0): Decimal("100.01"), (0, 1): Decimal("33.34"), (0, 2): Decimal("66.66")}
    con = Constraint(RuleSource.COLUMNS, "t", (0, 0), ((0, 1), (0, 2)))
    assert con.holds(values)
    values[(0, 0)] = Decimal("100.02")
    assert not con.holds(values)
    integers = {(0, 0): Decimal("101"), (0, 1): Decimal("33"), (0, 2): Decimal("67")}
    assert not con.holds(integers)  # whole-yuan figures must add up exactly


def test_balance_rule_of_the_summary_form() -> None:
    rows = [
        ["收入", "预算数", "支出", "预算数"],
        ["一般公共预算拨款", "1,200", "一般公共服务支出", "1,200"],
        ["收入总计", "1,200", "支出总计", "1,300"],
    ]
    table = make_table(rows)
    _, constraints = discover(table)
    assert any(c.source == "form rule" for c in constraints)
    checks = check_table(table, reread=agreeing)
    assert checks.inconsistencies and str(checks.inconsistencies[0].off_by) == "-100"


def test_unconfirmed_low_confidence_amount_is_flagged() -> None:
    rows = [["项目", "金额"], ["甲", "1,234"], ["乙", "5,678"]]
    table = make_table(rows, confidence={(2, 1): 0.6})
    check_table(table)
    low = table.cell_at(2, 1)
    assert (
        low is not None and low.status is CellStatus.FLAGGED and "low OCR confidence" in low.flags[0].message
    )
    assert table.cell_at(1, 1).status is CellStatus.OK  # type: ignore[union-attr]


def test_confusion_model_proposes_each_kind() -> None:
    explanations = {a.explanation.split(" ")[0] for a in alternatives("2888")}
    assert {"printed", "stray"} <= explanations
    values = {a.value for a in alternatives("28.88")}
    assert Decimal("2888") in values and Decimal("288.8") in values and Decimal("23.88") in values
    assert alternatives("合计") == []


def test_digits_only_reread_repairs_a_letter_misread() -> None:
    rows = budget_rows()
    rows[4][3] = "2O0.00"  # the recogniser returned a letter O inside the amount
    table = make_table(rows, confidence={(4, 3): 0.7})
    reread_cells = []

    def reread(cell):  # type: ignore[no-untyped-def]
        reread_cells.append((cell.row, cell.col))
        return "200.00"  # what a digits-only reading of that crop returns

    check_table(table, reread=reread)
    cell = table.cell_at(4, 3)
    assert cell is not None and cell.status is CellStatus.REPAIRED and cell.text == "200.00"
    assert cell.repair is not None and "digits-only" in cell.repair.explanation
    assert (4, 3) in reread_cells and all(s == (4, 3) for s in reread_cells)  # only the suspect is re-read


def test_subject_codes_of_wrong_length_or_parent_are_flagged() -> None:
    rows = [
        ["类", "款", "项", "名称", "金额"],
        ["201", "", "", "一般公共服务支出", "30"],
        ["201", "05", "", "统计信息事务", "30"],
        ["201", "05", "025", "专项普查活动", "10"],  # 项 with three digits
        ["210", "05", "08", "其他", "20"],  # 类 210 under 201's rows
    ]
    table = make_table(rows)
    check_table(table)
    bad_length = table.cell_at(3, 2)
    bad_parent = table.cell_at(4, 0)
    assert (
        bad_length is not None
        and bad_length.status is CellStatus.FLAGGED
        and "digits" in bad_length.flags[0].message
    )
    assert (
        bad_parent is not None
        and bad_parent.status is CellStatus.FLAGGED
        and "not under" in bad_parent.flags[0].message
    )
    assert table.cell_at(2, 1).status is CellStatus.OK  # type: ignore[union-attr]


def test_second_reading_that_agrees_makes_a_failure_a_source_inconsistency() -> None:
    rows = budget_rows()
    rows[4][3] = "210.00"  # printed; 行政运行 no longer adds up, and no single misreading explains it
    unclear = make_table(rows, confidence={(4, 3): 0.95})
    check_table(unclear)
    assert "source inconsistency" not in unclear.cell_at(4, 3).flags[0].message  # type: ignore[union-attr]
    confirmed = make_table(rows, confidence={(4, 3): 0.95})
    checks = check_table(confirmed, reread=lambda cell: cell.text)  # the digits-only reading agrees
    cell = confirmed.cell_at(4, 3)
    assert cell is not None and cell.status is CellStatus.FLAGGED and cell.text == "210.00"
    assert "source inconsistency" in cell.flags[0].message and checks.inconsistencies and checks.repaired == 0


def test_header_rule_on_a_single_row_flags_but_never_repairs() -> None:
    # A 三公 table has one body row: the header says 合计 = its parts, but one row cannot
    # prove a repair. 839.00 misread as 339.00 (a modelled 8→3 confusion that would fix it)
    # must be flagged, not changed.
    rows = [
        ["“三公”经费预算数", "“三公”经费预算数", "“三公”经费预算数", "机关运行经费"],
        ["合计", "因公出国(境)费", "公务接待费", "机关运行经费"],
        ["867.50", "339.00", "28.50", "213.28"],
    ]
    table = make_table(rows, confidence={(2, 1): 0.6})
    table.cells = [c for c in table.cells if not (c.row == 0 and c.col in (1, 2))]
    parent = next(c for c in table.cells if c.row == 0 and c.col == 0)
    parent.col_span = 3
    checks = check_table(table)
    assert checks.rules and all(not c.rule.repairable for c in checks.rules)
    misread = table.cell_at(2, 1)
    assert misread is not None and misread.status is CellStatus.FLAGGED and checks.repaired == 0
    assert misread.text == "339.00"


def test_a_rule_through_a_merged_amount_cell_is_not_judged_and_does_not_crash() -> None:
    # A lost column rule fuses two amounts of a row into one cell spanning both columns
    # (a 150 dpi harsh scan: "1.511.89" over 基本支出 | 项目支出); the row's rule has no cell to
    # judge there, the other rows' rules still hold.
    rows = [
        ["项目", "合计", "基本支出", "项目支出"],
        ["一般公共服务支出", "300.00", "200.00", "100.00"],
        ["教育支出", "50.00", "20.00", "30.00"],
        ["卫生健康支出", "80.00", "60.00", "20.00"],
        ["住房保障支出", "90.00", "40.00", "50.00"],
    ]
    table = make_table(rows)
    fused = table.cell_at(2, 2)
    assert fused is not None
    fused.col_span, fused.text, fused.value = 2, "2.030.00", None
    table.cells = [c for c in table.cells if (c.row, c.col) != (2, 3)]
    checks = check_table(labelled(table))
    slots = {s for r in checks.rules for s in r.rule.slots}
    assert (2, 2) not in slots and (2, 3) not in slots
    assert checks.rules and checks.holding == checks.found and not checks.inconsistencies
