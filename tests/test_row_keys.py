"""Row codes and names against the classification: confirmed, corrected with evidence,
or flagged; amounts are never touched."""

from __future__ import annotations

from decimal import Decimal

from table_builder import make_table

from recover.check.repair import check_table
from recover.label.classification import default_classification
from recover.label.row_keys import RowKeyVerdict, is_unit_row, judge
from recover.label.stage import label_document
from recover.model import CellStatus, Document, FlagKind, Page, Table

HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]


def _labelled(rows: list[list[str]]) -> Table:
    table = make_table([HEADER, *rows])
    label_document(Document("f.pdf", "", [Page(1, 10, 10, 200, tables=[table])]))
    return table


def _cell(table: Table, row: int, col: int) -> tuple[str, CellStatus]:
    cell = table.cell_at(row, col)
    assert cell is not None
    return cell.text, cell.status


def test_verdicts_of_the_classification() -> None:
    cls = default_classification()
    assert judge("2101505", "医疗保障政策管理", cls).verdict is RowKeyVerdict.CONFIRMED
    # One digit misread: the name names exactly one code of that 款 a digit away.
    fixed = judge("2101585", "医疗保障政策管理", cls)
    assert fixed.verdict is RowKeyVerdict.CODE_CORRECTED and fixed.code == "2101505"
    assert "2101585" in fixed.evidence
    # Not a misreading: 行政运行 is also the 01 项 of a 款 the file lists no 项 for (城乡社区管理事务).
    real = judge("2120101", "行政运行", cls)
    assert real.verdict is RowKeyVerdict.UNLISTED_XIANG and real.code == "2120101"
    # A 款 digit misread (21016 exists): left to the parent check, never changed here.
    assert judge("2101605", "医疗保障政策管理", cls).code == "2101605"
    # A character of the name misread: the code's own name is the only near one.
    named = judge("2101505", "医疗保障政策管埋", cls)
    assert named.verdict is RowKeyVerdict.NAME_CORRECTED and named.name == "医疗保障政策管理"
    # Both valid, of different subjects: a mismatch, never changed.
    mismatch = judge("2101501", "医疗保障政策管理", cls)
    assert mismatch.verdict is RowKeyVerdict.MISMATCH and mismatch.problem and mismatch.code == "2101501"
    assert judge("299", "不存在的支出", cls).verdict is RowKeyVerdict.UNKNOWN_CODE
    # 项 are listed as far as the filings show them; an unlisted one under a known 款 is not an error.
    assert judge("2010401", "行政运行", cls).verdict is RowKeyVerdict.UNLISTED_XIANG
    # 307 beside an organisation keys a unit (it is also 债务利息及费用支出).
    assert judge("307", "湖南省医疗保障局", cls).verdict is RowKeyVerdict.UNIT
    assert judge("307001", "湖南省医疗保障局本级", cls).verdict is RowKeyVerdict.UNIT


def test_a_misread_code_is_corrected_with_its_evidence_and_the_amounts_stay() -> None:
    table = _labelled(
        [
            ["210", "卫生健康支出", "30.00", "20.00", "10.00"],
            ["21015", "医疗保障管理事务", "30.00", "20.00", "10.00"],
            ["2101501", "行政运行", "20.00", "20.00", ""],
            ["21O15O5", "医疗保障政策管理", "10.00", "", "10.00"],  # letters read for digits
        ]
    )
    text, status = _cell(table, 4, 0)
    cell = table.cell_at(4, 0)
    assert cell is not None and cell.repair is not None
    assert (text, status) == ("2101505", CellStatus.REPAIRED) and cell.repair.printed == "21O15O5"
    assert table.view.row_codes[4] == "2101505"
    checks = check_table(table)
    assert _cell(table, 4, 0)[1] is CellStatus.REPAIRED
    assert _cell(table, 4, 2) == ("10.00", CellStatus.OK)
    # With the code right, 21015 = Σ its 项 holds.
    assert any("21015 = Σ" in r.rule.label for r in checks.rules)


def test_a_misread_name_is_corrected_and_a_mismatch_is_flagged_unchanged() -> None:
    table = _labelled(
        [
            ["210", "卫生健康支出", "30.00", "20.00", "10.00"],
            ["21015", "医疗保障管理事务", "30.00", "20.00", "10.00"],
            ["2101501", "行政运竹", "20.00", "20.00", ""],  # a character misread
            ["2101502", "医疗保障政策管理", "10.00", "", "10.00"],  # code and name disagree
        ]
    )
    name = table.cell_at(3, 1)
    assert name is not None and name.text == "行政运行" and name.repair is not None
    assert "行政运竹" in name.repair.explanation
    check_table(table)
    code = table.cell_at(4, 0)
    assert code is not None and code.text == "2101502" and code.status is CellStatus.FLAGGED
    assert any(f.kind is FlagKind.CODE and "医疗保障政策管理 is 2101505" in f.message for f in code.flags)
    assert _cell(table, 4, 1)[0] == "医疗保障政策管理"


def test_an_unknown_code_is_flagged_and_unit_rows_are_not_subjects() -> None:
    table = _labelled(
        [
            ["307", "湖南省医疗保障局", "30.00", "20.00", "10.00"],
            ["307001", "湖南省医疗保障局本级", "30.00", "20.00", "10.00"],
            ["299", "不存在的支出", "30.00", "20.00", "10.00"],
        ]
    )
    check_table(table)
    assert _cell(table, 1, 0)[1] is CellStatus.OK and _cell(table, 2, 0)[1] is CellStatus.OK
    unknown = table.cell_at(3, 0)
    assert unknown is not None and unknown.status is CellStatus.FLAGGED
    assert any(f.kind is FlagKind.CODE and "no edition" in f.message for f in unknown.flags)


def test_a_kuan_printed_short_after_a_full_xiang_is_the_next_kuan() -> None:
    table = _labelled(
        [
            ["210", "卫生健康支出", "30.00", "20.00", "10.00"],
            ["11", "行政事业单位医疗", "10.00", "10.00", ""],
            ["2101101", "行政单位医疗", "10.00", "10.00", ""],
            ["15", "医疗保障管理事务", "20.00", "10.00", "10.00"],
            ["2101501", "行政运行", "20.00", "10.00", "10.00"],
        ]
    )
    assert table.view.row_codes == {1: "210", 2: "21011", 3: "2101101", 4: "21015", 5: "2101501"}


def test_a_code_with_a_speck_or_a_digit_too_many_is_corrected_even_where_amounts_did_not_read() -> None:
    table = _labelled(
        [
            ["日205", "教育支出", "3.00", "3.00", ""],  # a speck read beside the code
            ["20508", "进修及培训", "3.00", "3.00", ""],
            ["1208", "社会保障和就业支出", "5.00.5.00", "5.00", ""],  # a rule read as 1; fused amount
        ]
    )
    assert _cell(table, 1, 0) == ("205", CellStatus.REPAIRED)
    fixed = table.cell_at(3, 0)
    assert fixed is not None and fixed.text == "208" and fixed.repair is not None
    assert "1208" in fixed.repair.printed and fixed.repair.constraints[0].startswith("政府收支分类科目")
    # The amount that did not read is left as it is, for the checks to flag.
    assert _cell(table, 3, 2)[0] == "5.00.5.00"


def test_a_code_cell_spanning_two_fused_rows_is_flagged_too() -> None:
    table = make_table(
        [
            HEADER,
            ["210", "卫生健康支出", "30.00", "20.00", "10.00"],
            ["21015", "医疗保障管理事务", "30.00", "20.00", "10.00"],
            ["2101501", "医疗保障政策管理", "30.00", "20.00", "10.00"],  # the name of 2101505
            ["", "（续）", "", "", ""],
        ]
    )
    merged = table.cell_at(3, 0)
    assert merged is not None
    merged.row_span = 2  # the code cell covers the fused row below it
    table.cells = [c for c in table.cells if (c.row, c.col) != (4, 0)]
    label_document(Document("f.pdf", "", [Page(1, 10, 10, 200, tables=[table])]))
    check_table(table)
    assert merged.status is CellStatus.FLAGGED and any(f.kind is FlagKind.CODE for f in merged.flags)


def test_a_corrected_code_cell_holds_the_value_of_its_corrected_text() -> None:
    # A digit misread in a code (an unsure "2101585", a digit too many in "2105") that the
    # classification corrects: the cell's value is what its corrected text reads, as the
    # read stage and the review give every cell, never the misreading's.
    table = make_table(
        [
            HEADER,
            ["2105", "卫生健康支出", "30.00", "20.00", "10.00"],
            ["21015", "医疗保障管理事务", "30.00", "20.00", "10.00"],
            ["2101501", "行政运行", "20.00", "20.00", ""],
            ["2101585", "医疗保障政策管理", "10.00", "", "10.00"],
        ],
        confidence={(1, 0): 0.6, (4, 0): 0.6},
    )
    label_document(Document("f.pdf", "", [Page(1, 10, 10, 200, tables=[table])]))
    check_table(table)
    for row, code in ((1, "210"), (4, "2101505")):
        cell = table.cell_at(row, 0)
        assert cell is not None and cell.repair is not None
        assert (cell.text, cell.status) == (code, CellStatus.REPAIRED)
        assert cell.value == Decimal(code)


def test_six_digits_beside_a_subjects_name_are_no_unit_code() -> None:
    cls = default_classification()
    assert is_unit_row("307001", "湖南省医疗保障局本级", cls)
    # Two rows of 210 fused by a lost row line: a code problem, not a unit.
    assert not is_unit_row("210210", "卫生健康支出", cls)
    table = _labelled([["210210", "卫生健康支出", "30.00", "20.00", "10.00"]])
    check_table(table)
    assert _cell(table, 1, 0)[1] is CellStatus.FLAGGED
