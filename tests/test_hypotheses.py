"""Rules as hypotheses: wrong rules dropped and recorded, amended where one part explains
them; code hierarchies in every printed layout; accusations only on confirmed one-cell breaks."""

from __future__ import annotations

from decimal import Decimal

from table_builder import labelled, make_table

from recover.check.repair import check_table
from recover.model import (
    Cell,
    CellStatus,
    ColumnMapping,
    ColumnStatus,
    DropReason,
    FlagKind,
    Table,
    TableChecks,
)


def agreeing(cell: Cell) -> str:
    """A digits-only re-read that reads what the first reading read."""
    return cell.text


def merge(table: Table, row: int, col: int, row_span: int = 1, col_span: int = 1) -> None:
    """Make the cell at (row, col) span a block, removing the cells it covers."""
    covered = {(r, c) for r in range(row, row + row_span) for c in range(col, col + col_span)} - {(row, col)}
    table.cells = [c for c in table.cells if (c.row, c.col) not in covered]
    anchor = table.cell_at(row, col)
    assert anchor is not None
    anchor.row_span, anchor.col_span = row_span, col_span


def basic_expenditure(merged_leaf: bool) -> tuple[Table, TableChecks]:
    """A 预算09表-style table: 总计 = 工资津补贴合计 + 社会保障缴费合计 + 住房公积金, each group
    合计 = Σ its leaves; 住房公积金 is 185.00 in every row. With ``merged_leaf`` the grid lost
    the rule between 社会保障缴费 and 住房公积金, so the header puts the leaf under the group."""
    rows = [
        ["项目", "总计", "工资津补贴", "", "", "社会保障缴费", "", "", "住房公积金"],
        ["", "", "合计", "基本工资", "津贴补贴", "合计", "养老保险", "医疗保险", "住房公积金"],
        ["合计", "1,000.00", "600.00", "400.00", "200.00", "215.00", "150.00", "65.00", "185.00"],
        ["行政运行", "785.00", "500.00", "300.00", "200.00", "100.00", "60.00", "40.00", "185.00"],
        ["事业运行", "1,300.00", "800.00", "500.00", "300.00", "315.00", "200.00", "115.00", "185.00"],
    ]
    if merged_leaf:
        rows[0][8] = ""
    table = make_table(rows)
    merge(table, 0, 0, row_span=2)
    merge(table, 0, 1, row_span=2)
    merge(table, 0, 2, col_span=3)
    merge(table, 0, 5, col_span=4 if merged_leaf else 3)
    if not merged_leaf:
        merge(table, 0, 8, row_span=2)
    labelled(table)
    return table, check_table(table, reread=agreeing)


def test_forgotten_leaf_column_is_a_wrong_rule_dropped_and_amended() -> None:
    table, checks = basic_expenditure(merged_leaf=True)
    assert not checks.inconsistencies
    assert all(c.status is CellStatus.OK for c in table.cells if c.value is not None)
    dropped = {d.label: d for d in checks.dropped}
    total = dropped["column 2 = column 3 + column 6 (header)"]
    assert total.reason is DropReason.CONSTANT_OFFSET and total.off_by == Decimal("185.00")
    assert total.amended == "column 2 = column 3 + column 6 (header) + column 9"
    group = dropped["column 6 = column 7 + column 8 + column 9 (header)"]
    assert group.off_by == Decimal("-185.00") and group.amended.endswith("− column 9")
    kept = {(r.rule.target, frozenset(r.rule.parts)) for r in checks.rules}
    assert ((3, 1), frozenset({(3, 2), (3, 5), (3, 8)})) in kept  # 总计 with the leaf
    assert checks.holding == checks.found
    recorded = checks.to_dict()["dropped"]
    assert {d["reason"] for d in recorded} == {"off by the same amount everywhere"}
    assert TableChecks.from_dict(checks.to_dict()).dropped == checks.dropped


def test_ungrouped_leaf_counts_in_the_total_from_the_header_tree() -> None:
    _, checks = basic_expenditure(merged_leaf=False)
    labels = {r.rule.label for r in checks.rules}
    assert "column 2 = column 3 + column 6 + column 9 (header)" in labels
    assert "column 3 = column 4 + column 5 (header)" in labels
    assert not checks.dropped and checks.holding == checks.found


def test_constant_offset_rule_without_amendment_is_dropped_never_reported() -> None:
    rows = [
        ["项目", "合计", "甲", "乙"],
        ["一", "110.00", "60.00", "40.00"],
        ["二", "210.00", "150.00", "50.00"],
        ["三", "60.00", "30.00", "20.00"],
    ]
    table = make_table(rows)
    checks = check_table(table, reread=agreeing)
    assert not checks.inconsistencies and not checks.rules
    [drop] = checks.dropped
    assert drop.reason is DropReason.CONSTANT_OFFSET and drop.off_by == Decimal("10.00") and not drop.amended
    assert all(c.status is CellStatus.OK for c in table.cells if c.value is not None)


def test_economic_classification_301_is_the_sum_of_its_301xx_rows() -> None:
    rows = [
        ["经济分类科目编码", "科目名称", "合计", "人员经费", "公用经费"],
        ["301", "工资福利支出", "300.00", "300.00", ""],
        ["30101", "基本工资", "200.00", "200.00", ""],
        ["30102", "津贴补贴", "100.00", "100.00", ""],
        ["302", "商品和服务支出", "50.00", "", "50.00"],
        ["30201", "办公费", "30.00", "", "30.00"],
        ["30205", "水费", "20.00", "", "20.00"],
    ]
    checks = check_table(make_table(rows))
    by_label = {r.rule.label for r in checks.rules if r.rule.source == "subject codes"}
    assert by_label == {"301 = Σ its 5-digit rows", "302 = Σ its 5-digit rows"}
    parts = {r.rule.target: r.rule.parts for r in checks.rules if r.rule.source == "subject codes"}
    assert parts[(1, 2)] == ((2, 2), (3, 2))
    assert checks.holding == checks.found


def test_economic_lists_side_by_side_and_split_with_short_kuan() -> None:
    rows = [
        ["类", "款", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"],
        ["301", "", "工资福利支出", "300.00", "302", "商品和服务支出", "50.00"],
        ["301", "1", "基本工资", "200.00", "30201", "办公费", "30.00"],
        ["301", "2", "津贴补贴", "100.00", "30205", "水费", "20.00"],
    ]
    checks = check_table(make_table(rows))
    codes = {(r.rule.target, r.rule.parts) for r in checks.rules if r.rule.source == "subject codes"}
    assert ((1, 3), ((2, 3), (3, 3))) in codes  # 301 = 30101 + 30102 ("301 | 1", "301 | 2")
    assert ((1, 6), ((2, 6), (3, 6))) in codes  # the list beside it: 302 = 30201 + 30205
    assert not checks.inconsistencies and not checks.dropped


def test_function_codes_split_over_lei_kuan_xiang_columns() -> None:
    rows = [
        ["类", "款", "项", "科目名称", "合计", "基本支出", "项目支出"],
        ["210", "", "", "卫生健康支出", "120.00", "60.00", "60.00"],
        ["", "15", "", "医疗保障管理事务", "90.00", "60.00", "30.00"],
        ["210", "15", "01", "行政运行", "60.00", "60.00", ""],
        ["210", "15", "02", "一般行政管理事务", "30.00", "", "30.00"],
        ["", "13", "", "医疗救助", "30.00", "", "30.00"],
        ["210", "13", "99", "其他医疗救助支出", "30.00", "", "30.00"],
    ]
    checks = check_table(make_table(rows))
    codes = {(r.rule.target, r.rule.parts) for r in checks.rules if r.rule.source == "subject codes"}
    assert ((1, 4), ((2, 4), (5, 4))) in codes  # 210 = 21015 + 21013
    assert ((2, 5), ((3, 5), (4, 5))) in codes  # 21015 = its 项
    assert checks.holding == checks.found and not checks.dropped


def test_codes_printed_in_the_names_cells() -> None:
    rows = [
        ["科目", "合计", "基本支出", "项目支出"],
        ["205教育支出", "30.00", "20.00", "10.00"],
        ["20508 进修及培训", "30.00", "20.00", "10.00"],
        ["2050803 培训支出", "25.00", "20.00", "5.00"],
        ["2050899 其他进修及培训", "5.00", "", "5.00"],
    ]
    checks = check_table(make_table(rows))
    codes = {(r.rule.target, r.rule.parts) for r in checks.rules if r.rule.source == "subject codes"}
    assert ((2, 1), ((3, 1), (4, 1))) in codes and ((1, 3), ((2, 3),)) in codes


def one_cell_break() -> list[list[str]]:
    return [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["201", "一般公共服务支出", "700.00", "500.00", "200.00"],
        ["20101", "人大事务", "300.00", "200.00", "100.00"],
        ["2010101", "行政运行", "300.00", "210.00", "100.00"],  # 210.00 printed: the filing's own
        ["20103", "政府办公厅", "400.00", "300.00", "100.00"],
        ["2010301", "行政运行", "250.00", "250.00", ""],
        ["2010350", "事业运行", "150.00", "50.00", "100.00"],
    ]


def test_one_cell_break_is_a_source_inconsistency_only_when_the_reread_confirms_it() -> None:
    unconfirmed = make_table(one_cell_break())
    checks = check_table(unconfirmed)  # no digits-only reading to confirm the printed digits
    cell = unconfirmed.cell_at(3, 3)
    assert not checks.inconsistencies and cell is not None and cell.status is CellStatus.FLAGGED
    assert cell.flags[0].kind is FlagKind.UNEXPLAINED
    disagreeing = make_table(one_cell_break())
    checks = check_table(disagreeing, reread=lambda c: "200.00" if (c.row, c.col) == (3, 3) else c.text)
    assert not checks.inconsistencies
    confirmed = make_table(one_cell_break())
    checks = check_table(confirmed, reread=agreeing)
    cell = confirmed.cell_at(3, 3)
    assert checks.inconsistencies and cell is not None and cell.flags[0].kind is FlagKind.SOURCE_INCONSISTENCY
    assert not checks.dropped and checks.repaired == 0


def test_column_numbers_row_is_not_checked() -> None:
    rows = [
        ["项目", "合计", "基本支出", "项目支出"],
        ["栏次", "1", "2", "3"],
        ["一般公共服务支出", "300.00", "200.00", "100.00"],
        ["教育支出", "50.00", "20.00", "30.00"],
        ["卫生健康支出", "80.00", "60.00", "20.00"],
    ]
    checks = check_table(make_table(rows), reread=agreeing)
    assert checks.found and checks.holding == checks.found and not checks.inconsistencies
    assert all(1 not in {s[0] for s in r.rule.slots} for r in checks.rules)


def test_suffix_printed_alone_is_a_kuan_when_the_codes_below_start_with_it() -> None:
    # "15" after 2101103: not the 项 2101115 but the 款 21015 that 2101501 sits under.
    rows = [
        ["科目编码", "科目名称", "合计"],
        ["210", "卫生健康支出", "100.00"],
        ["11", "行政事业单位医疗", "30.00"],
        ["2101101", "行政单位医疗", "20.00"],
        ["2101103", "公务员医疗补助", "10.00"],
        ["15", "医疗保障管理事务", "70.00"],
        ["2101501", "行政运行", "70.00"],
    ]
    checks = check_table(make_table(rows))
    codes = {(r.rule.label, r.rule.parts) for r in checks.rules if r.rule.source == "subject codes"}
    assert ("210 = Σ its 5-digit rows", ((2, 2), (5, 2))) in codes
    assert ("21015 = Σ its 7-digit rows", ((6, 2),)) in codes
    assert checks.holding == checks.found and not checks.dropped


def test_government_economic_classification_501() -> None:
    rows = [
        ["政府预算经济分类", "科目名称", "金额"],
        ["501", "机关工资福利支出", "80.00"],
        ["50101", "工资奖金津补贴", "50.00"],
        ["50102", "社会保障缴费", "20.00"],
        ["50103", "住房公积金", "10.00"],
        ["502", "机关商品和服务支出", "12.00"],
        ["50201", "办公经费", "12.00"],
    ]
    checks = check_table(make_table(rows))
    labels = {r.rule.label for r in checks.rules if r.verdict == "holds"}
    assert {"501 = Σ its 5-digit rows", "502 = Σ its 5-digit rows"} <= labels


def test_a_speck_read_as_a_digit_blocks_a_repair_of_a_clear_figure() -> None:
    # 4,910.42 = 3,463.60 + 1,446.82 + "1": the "1" is a speck in a blank cell, read unsurely.
    # Reading 3,463.60 as 3,462.60 would make the row add up, but so would a blank cell.
    rows = [
        ["项目", "合计", "基本支出", "项目支出", "上缴上级支出"],
        ["甲", "4,910.42", "3,463.60", "1,446.82", "1"],
        ["乙", "1,000.00", "600.00", "400.00", ""],
        ["丙", "500.00", "300.00", "200.00", ""],
    ]
    table = make_table(rows, confidence={(1, 2): 0.98, (1, 4): 0.53})
    checks = check_table(table)
    clear = table.cell_at(1, 2)
    speck = table.cell_at(1, 4)
    assert checks.repaired == 0 and clear is not None and clear.text == "3,463.60"
    assert speck is not None and speck.status is CellStatus.FLAGGED
    assert any(s.text == "" for s in speck.suggestions)


def test_whole_yuan_amounts_are_no_code_list() -> None:
    # A column of 3-digit whole-yuan amounts looks like codes; with no names beside it, it is none.
    rows = [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["201", "一般公共服务支出", "1,370", "370", "1,000"],
        ["20101", "人大事务", "685", "185", "500"],
        ["2010101", "行政运行", "685", "185", "500"],
        ["20103", "政府办公厅", "685", "185", "500"],
        ["2010301", "行政运行", "685", "185", "500"],
    ]
    checks = check_table(make_table(rows))
    cols = {r.rule.target[1] for r in checks.rules if r.rule.label == "201 = Σ its 5-digit rows"}
    assert cols == {2, 3, 4} and checks.holding == checks.found


def test_a_named_row_whose_code_did_not_read_is_the_parent_of_the_codes_below() -> None:
    rows = [
        ["科目编码", "科目名称", "合计"],
        ["210", "卫生健康支出", "100.00"],
        ["Ⅱl", "行政事业单位医疗", "30.00"],  # "11" misread: the row is still 21011
        ["2101101", "行政单位医疗", "20.00"],
        ["2101103", "公务员医疗补助", "10.00"],
        ["21015", "医疗保障管理事务", "70.00"],
        ["2101501", "行政运行", "70.00"],
    ]
    checks = check_table(make_table(rows))
    codes = {(r.rule.label, r.rule.parts) for r in checks.rules if r.rule.source == "subject codes"}
    assert ("210 = Σ its 5-digit rows", ((2, 2), (5, 2))) in codes
    assert ("21011 = Σ its 7-digit rows", ((3, 2), (4, 2))) in codes
    assert checks.holding == checks.found and not checks.dropped


def test_codes_of_a_list_beside_are_never_amounts_of_the_list_before() -> None:
    # The form's empty template: codes and names, no amounts yet. The second list's codes
    # (302, 30201, …) are no amounts of the first, whatever column labelling took them for.
    rows = [
        ["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"],
        ["301", "工资福利支出", "", "302", "商品和服务支出", ""],
        ["30101", "基本工资", "", "30201", "办公费", ""],
        ["30102", "津贴补贴", "", "30202", "印刷费", ""],
        ["30103", "奖金", "", "30205", "水费", ""],
    ]
    table = make_table(rows)
    checks = check_table(table)
    assert all(3 not in {s[1] for s in r.rule.slots} for r in checks.rules)
    assert not any(c.status is CellStatus.FLAGGED for c in table.cells)


def garbled_totals(named: bool) -> TableChecks:
    """总计 = 本年收入小计 + 上年结转小计, each 小计 = Σ its leaves; the OCR garbled 总计 (台评)
    and the first 小计 (小日). With ``named`` labelling named both columns ``total``."""
    rows = [
        ["项目", "台评", "本年收入", "", "", "上年结转", "", ""],
        ["", "", "小日", "甲", "乙", "小计", "丙", "丁"],
        ["合计", "100.00", "60.00", "40.00", "20.00", "40.00", "30.00", "10.00"],
        ["行政运行", "55.00", "35.00", "30.00", "5.00", "20.00", "12.00", "8.00"],
        ["事业运行", "45.00", "25.00", "10.00", "15.00", "20.00", "18.00", "2.00"],
    ]
    table = make_table(rows)
    merge(table, 0, 0, row_span=2)
    merge(table, 0, 1, row_span=2)
    merge(table, 0, 2, col_span=3)
    merge(table, 0, 5, col_span=3)
    if named:
        table.columns = [
            ColumnMapping(1, ["台评"], "total", 85.0, ColumnStatus.MAPPED),
            ColumnMapping(2, ["本年收入", "小日"], "total", 85.0, ColumnStatus.MAPPED),
        ]
    labelled(table)
    return check_table(table, reread=agreeing)


def test_a_garbled_total_named_by_labelling_heads_its_header_rule() -> None:
    header_rules = {
        r.rule.label for r in garbled_totals(named=True).rules if r.rule.label.endswith("(header)")
    }
    assert "column 2 = column 3 + column 6 (header)" in header_rules
    assert "column 3 = column 4 + column 5 (header)" in header_rules
    unnamed = {r.rule.label for r in garbled_totals(named=False).rules if r.rule.label.endswith("(header)")}
    assert "column 2 = column 3 + column 6 (header)" not in unnamed
    assert "column 3 = column 4 + column 5 (header)" not in unnamed


def test_rule_failing_on_clear_readings_as_often_as_it_holds_accuses_no_one() -> None:
    # 合计 = 甲 + 乙 holds in two rows and fails, by different amounts, in two: no evidence
    # for the rule, so the failures are no source inconsistencies.
    rows = [
        ["项目", "合计", "甲", "乙"],
        ["一", "110.00", "60.00", "50.00"],
        ["二", "210.00", "150.00", "60.00"],
        ["三", "60.00", "30.00", "20.00"],
        ["四", "95.00", "40.00", "35.00"],
    ]
    table = make_table(rows)
    checks = check_table(table, reread=agreeing)
    assert not checks.inconsistencies
    [drop] = checks.dropped
    assert drop.reason is DropReason.FAILS_MOSTLY and (drop.holding, drop.failing) == (2, 2)
    assert all(c.status is CellStatus.OK for c in table.cells if c.value is not None)
