"""Column names and forms from damaged or misleading print (issue 13): running text above a
table, header words the OCR garbled, a header rule the grid lost."""

from __future__ import annotations

import pytest
from table_builder import make_table

from recover.label.stage import map_table
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
    "line", ["2024年部门收支总表", "一、收入支出决算总表", "（一）财政拨款收支总表", "单位构成"]
)
def test_a_table_title_is_a_title_even_when_numbered(line: str) -> None:
    assert not is_running_text(line)
