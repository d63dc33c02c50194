"""Rules the grid's faults used to hide: blank amounts the grid merged, and a 合计 block
whose parent heading the grid cut (预算数 | 决算数 printed side by side)."""

from __future__ import annotations

from table_builder import labelled, make_table
from test_hypotheses import agreeing, merge

from recover.check.repair import check_table
from recover.model import CellStatus, Table

Kept = set[tuple[tuple[int, int], frozenset[tuple[int, int]]]]


def _kept(table: Table) -> Kept:
    checks = check_table(table, reread=agreeing)
    assert not checks.inconsistencies
    return {(r.rule.target, frozenset(r.rule.parts)) for r in checks.rules}


def spending_by_subject(merged_blanks: bool) -> Table:
    """合计 = 基本支出 + 项目支出 by subject; 基本支出 is blank in two adjacent rows, which the
    grid joins into one empty cell when no rule was printed between them."""
    rows = [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["210", "卫生健康支出", "802.72", "415.74", "386.98"],
        ["21015", "医疗保障管理事务", "469.33", "415.74", "53.59"],
        ["21013", "医疗救助", "81.79", "", "81.79"],
        ["21012", "财政对基本医疗保险基金的补助", "251.60", "", "251.60"],
    ]
    table = make_table(rows)
    if merged_blanks:
        merge(table, 3, 3, row_span=2)
    return labelled(table)


def test_blank_amounts_the_grid_merged_count_as_zero() -> None:
    kept = _kept(spending_by_subject(merged_blanks=True))
    assert kept == _kept(spending_by_subject(merged_blanks=False))
    assert ((3, 2), frozenset({(3, 3), (3, 4)})) in kept
    assert ((4, 2), frozenset({(4, 3), (4, 4)})) in kept
    assert ((0 + 1, 3), frozenset({(2, 3), (3, 3), (4, 3)})) in kept  # 210 = Σ its 款, blanks too


def test_a_merged_cell_with_text_still_holds_no_amount_of_its_own() -> None:
    table = spending_by_subject(merged_blanks=False)
    cell = table.cell_at(3, 3)
    assert cell is not None
    cell.text, cell.status = "81.79 251.60", CellStatus.OK
    merge(table, 3, 3, row_span=2)
    kept = _kept(labelled(table))
    assert not any((3, 3) in parts or (4, 3) in parts for _, parts in kept)


def three_public(spent: tuple[str, str, str]) -> Table:
    """A one-row “三公”经费 table: 预算数 and 决算数 blocks, each 合计 = 因公出国(境)费 +
    公务用车…小计 + 公务接待费. The grid cut each block's parent heading, so the blank
    piece over 合计 and 因公出国 is all the header says of its group."""
    total, abroad, reception = spent
    head = ["合计", "因公出国(境)费", "公务用车购置及运行维护费", "", "", "公务接待费"]
    rows = [
        ["", "", "预算数", "", "", "", "", "", "决算数", "", "", ""],
        head + head,
        ["", "", "小计", "购置费", "运行维护费", ""] * 2,
        ["1.08", "", "", "", "", "1.08", total, abroad, "", "", "", reception],
    ]
    table = make_table(rows)
    for left in (0, 6):
        merge(table, 0, left, col_span=2)
        merge(table, 0, left + 2, col_span=4)
        for col in (left, left + 1, left + 5):
            merge(table, 1, col, row_span=2)
        merge(table, 1, left + 2, col_span=3)
    return labelled(table)


def test_a_total_block_under_a_cut_parent_runs_to_the_next_total() -> None:
    kept = _kept(three_public(("0.48", "", "0.48")))
    assert ((3, 0), frozenset({(3, 1), (3, 2), (3, 5)})) in kept
    assert ((3, 6), frozenset({(3, 7), (3, 8), (3, 11)})) in kept


def test_the_cut_parent_reading_is_kept_only_where_the_numbers_prove_it() -> None:
    table = three_public(("0.48", "0.10", "0.48"))
    kept = _kept(table)
    assert ((3, 0), frozenset({(3, 1), (3, 2), (3, 5)})) in kept
    assert not any(target == (3, 6) for target, _ in kept)
    assert not any(c.status is CellStatus.FLAGGED for c in table.cells)


def income_rows(sub_items: list[str]) -> list[list[str]]:
    """A 收支总表's 收入 list beside a 支出 list: 一、一般公共预算拨款收入 over 经费拨款 and
    纳入一般公共预算管理的非税收入拨款, itself printed over ``sub_items``, all blank."""
    rows = [
        ["收入", "", "支出", ""],
        ["项目", "预算数", "项目（按功能分类）", "预算数"],
        ["一、一般公共预算拨款收入", "1,000.00", "一、一般公共服务支出", "400.00"],
        ["经费拨款", "1,000.00", "二、教育支出", "600.00"],
        ["纳入一般公共预算管理的非税收入拨款", "", "三、卫生健康支出", ""],
    ]
    rows += [[name, "", "", ""] for name in sub_items]
    rows += [
        ["本年收入合计", "1,000.00", "本年支出合计", "1,000.00"],
        ["收入总计", "1,000.00", "支出总计", "1,000.00"],
    ]
    return rows


def test_the_classification_says_which_sub_item_heads_the_rest() -> None:
    table = make_table(income_rows(["行政事业性收费收入", "专项收入", "罚没收入"]))
    kept = _kept(table)
    assert ((2, 1), frozenset({(3, 1), (4, 1)})) in kept  # 一 = 经费拨款 + 非税收入拨款
    assert not any(target == (2, 1) and (5, 1) in parts for target, parts in kept)


def test_without_the_classification_a_blank_sub_item_heads_nothing() -> None:
    table = make_table(income_rows(["事业收入", "经营收入", "附属单位上缴收入"]))
    kept = _kept(table)
    assert ((2, 1), frozenset({(3, 1), (4, 1), (5, 1), (6, 1), (7, 1)})) in kept


def test_a_speck_read_as_a_digit_keeps_the_carry_rule_and_is_flagged() -> None:
    rows = [
        ["收入", "", "支出", ""],
        ["项目", "决算数", "项目", "决算数"],
        ["一、一般公共预算财政拨款收入", "1,896.66", "一、一般公共服务支出", "87.16"],
        ["二、事业收入", "", "二、卫生健康支出", "1,809.50"],
        ["本年收入合计", "1,896.66", "本年支出合计", "1,896.66"],
        ["使用非财政拨款结余", "2", "结余分配", ""],
        ["年初结转和结余", "", "年末结转和结余", ""],
        ["总计", "1,896.66", "总计", "1,896.66"],
    ]
    table = make_table(rows, confidence={(5, 1): 0.66})
    checks = check_table(table, reread=agreeing)
    assert not checks.inconsistencies
    carry = [r for r in checks.rules if r.rule.target == (7, 1) and (5, 1) in r.rule.parts]
    assert carry and carry[0].verdict.value == "fails"
    speck = table.cell_at(5, 1)
    assert speck is not None and speck.status is CellStatus.FLAGGED
    assert [s.text for s in speck.suggestions] == [""]


def test_ink_that_read_as_no_text_keeps_its_rule_but_proves_nothing() -> None:
    rows = [
        ["收入", "", "支出", ""],
        ["项目", "预算数", "项目", "预算数"],
        ["一、一般公共预算拨款收入", "1,000.00", "一、一般公共服务支出", "1,000.00"],
        ["二、事业收入", "", "二、教育支出", ""],
        ["本年收入合计", "1,000.00", "本年支出合计", "1,000.00"],
        ["上年结转结余", "", "年终结转结余", ""],
        ["收入总计", "1,000.00", "支出总计", "1,000.00"],
    ]
    table = make_table(rows)
    speck = table.cell_at(5, 3)
    assert speck is not None
    speck.status, speck.confidence = CellStatus.LOW_CONFIDENCE, 0.0  # ink, but no text read
    checks = check_table(table, reread=agreeing)
    assert not checks.inconsistencies
    carry = [r for r in checks.rules if r.rule.target == (6, 3) and (5, 3) in r.rule.parts]
    assert carry and carry[0].verdict.value != "holds"
    assert speck.status is CellStatus.LOW_CONFIDENCE and speck.value is None


def test_a_garbled_grand_total_sits_on_the_row_of_the_others() -> None:
    rows = [
        ["收入", "", "支出", "", "支出", ""],
        ["项目", "预算数", "项目（按功能分类）", "预算数", "项目（按部门预算经济分类）", "预算数"],
        [
            "一、一般公共预算拨款收入",
            "1,000.00",
            "一、一般公共服务支出",
            "1,000.00",
            "一、基本支出",
            "1,000.00",
        ],
        ["本年收入合计", "1,000.00", "本年支出合计", "1,000.00", "本年支出合计", "1,000.00"],
        ["上年结转结余", "100.00", "年终结转结余", "100.00", "年终结转结余", "100.00"],
        ["收入总计", "1,100.00", "支出总计", "1,100.00", "支面计", "1,100.00"],
    ]
    kept = _kept(make_table(rows))
    assert ((5, 5), frozenset({(3, 5), (4, 5)})) in kept  # 总计 = 本年支出合计 + 结转
    assert ((5, 1), frozenset({(5, 5)})) in kept  # 收入总计 = that 总计
    rows[5][5] = "1,200.00"  # a 总计 the numbers do not bear out: no rule, no accusation
    kept = _kept(make_table(rows))
    assert not any(target == (5, 5) or (5, 5) in parts for target, parts in kept)
