"""Rules read from what a table prints: side-by-side lists with their balance rows, region
blocks of allocation tables (also over a page break), 合计 and 部门/单位 rows — each kept only
where the table's numbers hold it."""

from __future__ import annotations

from table_builder import labelled, make_table

from recover.check.constraints import RuleSource
from recover.check.discover import discover
from recover.check.repair import check_table
from recover.model import Cell, CellStatus, Table


def summary_rows() -> list[list[str]]:
    """A 收支总表: 收入 beside 支出 by function and by 部门预算 economic class."""
    return [
        ["收入", "", "支出", "", "支出", ""],
        ["项目", "预算数", "项目（按功能分类）", "预算数", "项目（按部门预算经济分类）", "预算数"],
        ["一、一般公共预算拨款收入", "1,000.00", "一、一般公共服务支出", "300.00", "一、基本支出", "900.00"],
        ["经费拨款", "800.00", "二、教育支出", "", "工资福利支出", "700.00"],
        [
            "纳入一般公共预算管理的非税收入拨款",
            "200.00",
            "三、卫生健康支出",
            "900.00",
            "商品和服务支出",
            "200.00",
        ],
        ["二、政府性基金预算拨款收入", "", "四、住房保障支出", "", "二、项目支出", "300.00"],
        ["三、事业收入", "100.00", "", "", "按项目管理的商品和服务支出", "300.00"],
        ["本年收入合计", "1,100.00", "本年支出合计", "1,200.00", "本年支出合计", "1,200.00"],
        ["上年结转结余", "100.00", "年终结转结余", "", "年终结转结余", ""],
        ["收入总计", "1,200.00", "支出总计", "1,200.00", "支出总计", "1,200.00"],
    ]


def _rules(table: Table) -> set[tuple[str, tuple[int, int], frozenset[tuple[int, int]]]]:
    _, constraints = discover(table)
    return {(c.source.value, c.target, frozenset(c.parts)) for c in constraints}


def test_side_by_side_lists_with_their_balance_rows() -> None:
    table = make_table(summary_rows())
    rules = _rules(table)
    assert ("list total", (7, 1), frozenset({(2, 1), (5, 1), (6, 1)})) in rules  # 本年收入合计 = 一 + 二 + 三
    assert ("list total", (2, 1), frozenset({(3, 1), (4, 1)})) in rules  # 一 = 经费拨款 + 非税收入拨款
    assert ("list total", (7, 5), frozenset({(2, 5), (5, 5)})) in rules  # 本年支出合计 = 基本 + 项目
    assert ("list total", (2, 5), frozenset({(3, 5), (4, 5)})) in rules
    assert ("balance", (9, 1), frozenset({(7, 1), (8, 1)})) in rules  # 收入总计 = 本年收入合计 + 结转
    assert ("balance", (9, 1), frozenset({(9, 3)})) in rules  # 收入总计 = 支出总计
    assert ("balance", (7, 3), frozenset({(7, 5)})) in rules  # the 本年支出合计 rows agree
    checks = check_table(table)
    assert checks.holding == checks.found and not checks.inconsistencies


def test_a_misread_list_amount_is_repaired_by_its_list() -> None:
    rows = summary_rows()
    rows[4][1] = "700.00"  # 200.00 with the 2 read as 7, not read clearly
    table = make_table(rows, confidence={(4, 1): 0.6})
    checks = check_table(table)
    cell = table.cell_at(4, 1)
    assert cell is not None and cell.status is CellStatus.REPAIRED and cell.value == 200
    assert not checks.inconsistencies


def _merge_down(table: Table, col: int, blocks: list[tuple[int, int]]) -> Table:
    """Merge the cells of ``col`` over each (first, last) row block, keeping the first text."""
    merged = {(r, col) for first, last in blocks for r in range(first + 1, last + 1)}
    cells = [c for c in table.cells if (c.row, c.col) not in merged]
    for cell in cells:
        for first, last in blocks:
            if (cell.row, cell.col) == (first, col):
                cell.row_span = last - first + 1
    table.cells = cells
    return labelled(table)


def allocation_rows() -> list[list[str]]:
    """A 补助经费安排表: 全省合计, 市州 blocks with a nested 市本级及所辖区小计."""
    return [
        ["市州", "县市区", "金额", "备注"],
        ["全省合计", "", "500.00", "来源：财社2023-30号"],
        ["长沙市", "长沙市小计", "300.00", ""],
        ["", "市本级及所辖区小计", "250.00", ""],
        ["", "长沙市本级", "190.00", ""],
        ["", "雨花区", "60.00", ""],
        ["", "浏阳市", "50.00", ""],
        ["株洲市", "株洲市小计", "200.00", ""],
        ["", "市本级及所辖区小计", "120.00", ""],
        ["", "株洲市本级", "120.00", ""],
        ["", "醴陵市", "30.00", ""],
        ["", "攸县", "50.00", ""],
    ]


def test_region_hierarchy_over_a_page_break() -> None:
    table = _merge_down(make_table(allocation_rows()), 0, [(2, 6), (7, 11)])
    table.meta.part_rows = [0, 9]  # stitched: the 株洲市 block runs onto the next page
    rules = _rules(table)
    assert ("region subtotal", (3, 2), frozenset({(4, 2), (5, 2)})) in rules  # nested 小计
    assert ("region subtotal", (2, 2), frozenset({(3, 2), (6, 2)})) in rules  # 长沙市小计
    assert ("region subtotal", (8, 2), frozenset({(9, 2)})) in rules
    assert ("region subtotal", (7, 2), frozenset({(8, 2), (10, 2), (11, 2)})) in rules
    assert ("region subtotal", (1, 2), frozenset({(2, 2), (7, 2)})) in rules  # 全省合计 = Σ 小计
    checks = check_table(table)
    assert checks.holding == checks.found and not checks.inconsistencies
    across = [r.rule for r in checks.rules if r.rule.target == (7, 2)]
    assert across and not across[0].repairable  # only the join shows it: it never repairs


def test_label_totals_over_unit_and_subject_rows() -> None:
    rows = [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["合计", "", "1,000.00", "600.00", "400.00"],
        ["443", "某市医疗保障局", "1,000.00", "600.00", "400.00"],
        ["443001", "某市医疗保障局本级", "1,000.00", "600.00", "400.00"],
        ["208", "社会保障和就业支出", "300.00", "100.00", "200.00"],
        ["20805", "行政事业单位养老支出", "300.00", "100.00", "200.00"],
        ["210", "卫生健康支出", "700.00", "500.00", "200.00"],
        ["21015", "医疗保障管理事务", "700.00", "500.00", "200.00"],
    ]
    rules = _rules(make_table(rows))
    for col in (2, 3, 4):
        assert ("label total", (1, col), frozenset({(2, col)})) in rules  # 合计 = 部门
        assert ("label total", (2, col), frozenset({(3, col)})) in rules  # 部门 = 单位
        assert ("label total", (3, col), frozenset({(4, col), (6, col)})) in rules  # 单位 = Σ 类


def test_a_label_rule_the_numbers_do_not_hold_is_not_kept() -> None:
    # 长沙市小计 printed 10.00 above its rows, and the 合计 with it: read clearly, the block's
    # rule is not what these numbers say, so it is dropped, not reported against the filing.
    rows = allocation_rows()
    rows[2][2] = "310.00"
    rows[1][2] = "510.00"
    table = _merge_down(make_table(rows), 0, [(2, 6), (7, 11)])
    rules = _rules(table)
    assert not any(target == (2, 2) for _, target, _ in rules)
    assert ("region subtotal", (1, 2), frozenset({(2, 2), (7, 2)})) in rules  # 510 = 310 + 200 holds
    checks = check_table(table)
    assert not checks.inconsistencies
    sources = {r.rule.source for r in checks.rules}
    assert RuleSource.REGION_SUBTOTAL in sources  # the other blocks still hold


def test_merged_cell_helper_builds_one_cell_per_block() -> None:
    table = _merge_down(make_table(allocation_rows()), 0, [(2, 6)])
    block = table.cell_at(4, 0)
    assert isinstance(block, Cell) and (block.row, block.row_span) == (2, 5)


def test_a_region_cell_cut_in_two_or_merged_over_two_blocks() -> None:
    # "长沙" over "市" (one name read as two merged cells) still makes one block; the next two
    # 市州 read as one merged cell are split at the 小计 above which the first adds up.
    rows = [
        *allocation_rows(),
        ["湘潭市", "湘潭市小计", "90.00", ""],
        ["", "湘潭市本级", "40.00", ""],
        ["", "湘潭县", "50.00", ""],
    ]
    rows[1][2] = "590.00"
    table = _merge_down(make_table(rows), 0, [(2, 4), (5, 6), (7, 14)])
    cut = table.cell_at(5, 0)
    assert cut is not None
    cut.text = "市"
    rules = _rules(table)
    assert ("region subtotal", (2, 2), frozenset({(3, 2), (6, 2)})) in rules  # 长沙市小计, joined
    assert ("region subtotal", (7, 2), frozenset({(8, 2), (10, 2), (11, 2)})) in rules  # 株洲市小计
    assert ("region subtotal", (12, 2), frozenset({(13, 2), (14, 2)})) in rules  # 湘潭市小计
    assert ("region subtotal", (1, 2), frozenset({(2, 2), (7, 2), (12, 2)})) in rules


def test_line_numbers_and_column_numbers_take_part_in_no_total() -> None:
    # A 公开01-style 收支决算总表: 行次 columns beside the amounts and a 栏次 row under the
    # header. Rules are read on the amounts only; nothing is evaluated on the numbering.
    rows = [
        ["收入", "", "", "支出", "", ""],
        ["项目", "行次", "决算数", "项目", "行次", "决算数"],
        ["栏次", "", "1", "栏次", "", "2"],
        ["一、财政拨款收入", "1", "300.00", "一、一般公共服务支出", "5", "100.00"],
        ["二、事业收入", "2", "50.00", "二、卫生健康支出", "6", "250.00"],
        ["本年收入合计", "3", "350.00", "本年支出合计", "7", "350.00"],
        ["总计", "4", "350.00", "总计", "8", "350.00"],
    ]
    table = make_table(rows)
    numbers, constraints = discover(table)
    assert 2 not in numbers.body_rows  # the 栏次 row
    assert table.view.numbering_rows == [2]  # decided once, by labelling: no amounts to prove
    assert {s[1] for c in constraints for s in c.slots} <= {2, 5}
    rules = _rules(table)
    assert ("list total", (5, 2), frozenset({(3, 2), (4, 2)})) in rules
    assert ("balance", (6, 2), frozenset({(6, 5)})) in rules
    checks = check_table(table)
    assert checks.holding == checks.found and not checks.inconsistencies


def test_a_total_printed_blank_over_a_column_does_not_total_it() -> None:
    # A 资金分配表: 合计 under the amounts, nothing under the economic-class codes beside them.
    rows = [
        ["单位/区县（市）", "金额", "部门预算经济科目", "政府预算经济科目", "备注"],
        ["市医疗保障局", "119", "30227", "50205", "用于基金监管"],
        ["市医疗保障事务中心", "58", "30227", "50205", ""],
        ["雨花区", "38", "30299", "50299", ""],
        ["长沙县", "8", "30299", "50299", ""],
        ["合计", "223", "", "", ""],
    ]
    rules = _rules(make_table(rows))
    assert ("label total", (5, 1), frozenset({(1, 1), (2, 1), (3, 1), (4, 1)})) in rules
    assert not any(target[1] in (2, 3) for _, target, _ in rules if target[0] == 5)
