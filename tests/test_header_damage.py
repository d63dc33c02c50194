"""Column names and forms from damaged or misleading print (issue 13): running text above a
table, header words the OCR garbled, a header rule the grid lost."""

from __future__ import annotations

import pytest
from table_builder import make_table

from recover.label.match import THRESHOLD, match_path
from recover.label.stage import map_columns, map_table
from recover.label.table_meta import is_running_text, parse_table_meta
from recover.label.vocabulary import default_vocabulary

UNIT_LIST = [["序号", "单位名称"], ["1", "上海市某某局（本级）"], ["2", "上海市某某局信息中心"]]


@pytest.mark.parametrize(
    "line",
    [
        "险可控、成本合理、运行高效的地方政府举债融资机制。",
        "（十）执行国家和本市债务管理的制度和政策，建立规范合理的政府债务管理及",
        "第一部分上海市XX局概况",
        "一、部门主要职能",
        "主要职责是：",
        "上海市普陀区财政局本级决算、下属行政事业单位决算。纳入",  # a sentence wrapped
    ],
)
def test_a_sentence_or_a_section_heading_above_a_table_is_not_its_title(line: str) -> None:
    assert is_running_text(line)
    table = make_table(UNIT_LIST)
    table.meta = parse_table_meta([line])
    assert table.meta.title == ""
    # The label stage also ignores such a line handed to it as the title: the columns decide.
    table.meta.title = line
    map_table(table, default_vocabulary())
    assert table.meta.form == "unit_list"


@pytest.mark.parametrize(
    "line",
    [
        "2024年部门收支总表",
        "一、收入支出决算总表",
        "（一）财政拨款收支总表",
        "单位构成",
        "二、部门决算单位构成",
    ],
)
def test_a_table_title_is_a_title_even_when_numbered(line: str) -> None:
    assert not is_running_text(line)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        (["机关商品和服务支出", "其他商品服"], "gov_econ_50299"),  # characters lost at the end
        (["μ补助支出"], "subsidy_to_affiliates"),  # lost at the start, a Greek speck before
        (["基本支出", "人员经费", "■王资福利支出"], "dept_econ_wages"),  # one character misread
        (["对事业单位经常性补助", "日合计"], "total"),  # a speck read as a character
        (["一缴上级", "支出1"], "remit_to_superior"),  # wrapped over two rows and misread
        (["能科自", "款·"], "code_kuan"),  # 目 read as 自 in the group above
    ],
)
def test_a_damaged_header_word_maps_when_one_column_alone_fits_it(printed: list[str], expected: str) -> None:
    found = match_path(printed)
    assert found.id == expected and found.score >= THRESHOLD


@pytest.mark.parametrize(
    "printed",
    [
        ["一般公共"],  # kept in order by 一般公共预算 and by 一般公共预算补助: either
        ["小日"],  # one character of 小计 is no evidence
        ["基本支出结转"],  # a known name with a word added is another column
        ["年末结余"],  # a word of its own inside 年末结转和结余, not a cut-short reading of it
        # The parent with its leaf misread is not the parent's own column.
        ["对事业单位经常性补助", "创"],
    ],
)
def test_a_damaged_word_two_columns_could_explain_stays_unmapped(printed: list[str]) -> None:
    found = match_path(printed)
    assert found.id is None or found.score < THRESHOLD


def test_a_measure_over_part_of_a_repeated_block_reaches_the_whole_block() -> None:
    # The 预算数 / 决算数 cells were cut by a spurious rule: 合计 and 因公出国(境)费 of each
    # block read without their measure.
    block = ["合计", "因公出国(境)费", "公务接待费"]
    paths = [
        [block[0]],
        [block[1]],
        ["预算数", block[2]],
        [block[0]],
        ["决算数", block[1]],
        ["决算数", block[2]],
    ]
    ids = [m.id for m in map_columns(paths)]
    assert ids == [
        "total.budget",
        "overseas_travel.budget",
        "official_reception.budget",
        "total.final",
        "overseas_travel.final",
        "official_reception.final",
    ]
    # Blocks that show no measure, or one measure in two blocks, say nothing.
    assert [m.id for m in map_columns([[block[0]], [block[1]], [block[0]], [block[1]]])] == [
        "total",
        "overseas_travel",
    ] * 2
    same = [m.id for m in map_columns([[block[0]], ["预算数", block[1]], [block[0]], ["预算数", block[1]]])]
    assert same == ["total", "overseas_travel.budget"] * 2


def test_a_garbled_lei_between_kuan_and_xiang_is_lei_when_it_still_shows_it() -> None:
    paths = [["对國國量类"], ["功能科目", "款"], ["功能科目", "项"]]
    assert [m.id for m in map_columns(paths)] == ["code_lei", "code_kuan", "code_xiang"]
    assert map_columns([["对國國量"], ["功能科目", "款"], ["功能科目", "项"]])[0].id is None


def _garbled_total(rows: list[list[str]]) -> list[str | None]:
    table = make_table(rows)
    map_table(table, default_vocabulary())
    return [m.id for m in table.columns]


def test_a_garbled_total_is_told_by_its_amounts() -> None:
    header = [
        ["科目名称", "台评", "本年收入", "本年收入", "本年收入", "上年结转", "上年结转"],
        ["", "", "小日", "一般公共预算", "政府性基金预算", "小计", "单位资金"],
    ]
    body = [
        ["合计", "60", "40", "30", "10", "20", "20"],
        ["甲", "35", "25", "20", "5", "10", "10"],
        ["乙", "25", "15", "10", "5", "10", "10"],
    ]
    ids = _garbled_total(header + body)
    # The group total (小日 = the group's other columns), then the table's (台评 = the groups'
    # totals).
    assert ids[1:] == [
        "total",
        "total",
        "general_public_budget",
        "government_fund_budget",
        "total",
        "unit_funds",
    ]


def test_a_garbled_column_that_does_not_add_up_stays_unmapped() -> None:
    rows = [
        ["科目名称", "台评", "基本支出", "项目支出"],
        ["合计", "70", "40", "20"],
        ["甲", "35", "25", "10"],
        ["乙", "35", "15", "10"],
    ]
    assert _garbled_total(rows)[1] is None
    # Two rows adding up are not enough.
    assert _garbled_total([*rows[:1], ["甲", "35", "25", "10"], ["乙", "25", "15", "10"]])[1] is None


def test_amounts_with_their_marks_misread_still_tell_a_total() -> None:
    # Read before the checks repair the marks: 1.360.00 and 1,035,00 stand for 1360.00, 1035.00.
    rows = [
        ["科目名称", "台评", "基本支出", "项目支出"],
        ["合计", "1.360.00", "1,035,00", "325.00"],
        ["甲", "1,035.00", "1,000.00", "35.00"],
        ["乙", "325.00", "35.00", "290.00"],
    ]
    assert _garbled_total(rows)[1:] == ["total", "basic_expenditure", "project_expenditure"]
