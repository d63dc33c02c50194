"""Columns named by the classification, and forms by title + columns + rows."""

from __future__ import annotations

from recover.label.forms import identify_form, row_scheme
from recover.label.match import match_path
from recover.label.stage import map_columns


def test_a_column_never_labelled_but_named_by_the_classification_is_mapped() -> None:
    # None of these wordings is in columns.yaml: the classification names them.
    assert match_path(["商品和服务支出", "差旅费"]).id == "dept_econ_30211"
    assert match_path(["机关商品和服务支出", "专用材料购置费"]).id == "gov_econ_50204"
    assert match_path(["工资津补贴", "绩效工资"]).id == "dept_econ_30107"
    assert match_path(["对个人和家庭的补助", "抚恤金"]).id == "dept_econ_30304"
    # An OCR-damaged name still matches (one character lost is near).
    assert match_path(["社会保障缴费", "机关事业单位基本养老保险缴"]).id == "dept_econ_30108"


def test_a_kuan_name_takes_its_group_and_a_shared_name_the_tables_classification() -> None:
    # 公务接待费 under 机关商品和服务支出 is 50206; alone (the 三公 table) it is the 三公 column.
    assert match_path(["机关商品和服务支出", "公务接待费"]).id == "gov_econ_50206"
    assert match_path(["公务接待费"]).id == "official_reception"
    # 商品和服务支出 under 对事业单位经常性补助 is its 款 50502, not the 类 302.
    assert match_path(["对事业单位经常性补助", "商品和服务支出"]).id == "gov_econ_50502"
    # 住房公积金 is 30113 and 50103: the table's other columns decide.
    dept = map_columns([["工资津补贴", "基本工资"], ["工资津补贴", "津贴补贴"], ["住房公积金"]])
    assert [c.id for c in dept] == ["dept_econ_30101", "dept_econ_30102", "dept_econ_30113"]
    gov = map_columns([["机关工资福利支出", "工资奖金津补贴"], ["住房公积金"]])
    assert gov[1].id == "gov_econ_50103"
    alone = map_columns([["科目名称"], ["住房公积金"]])
    assert alone[1].id is None


def test_a_measure_above_the_columns_qualifies_them_and_column_numbers_are_not_names() -> None:
    assert match_path(["预算数", "因公出国（境）费"]).id == "overseas_travel.budget"
    assert match_path(["决算数", "公务用车购置及运行维护费", "小计"]).id == "official_vehicles_total.final"
    cols = map_columns([["项目", "功能分类科目编码", "栏次"], ["本年支出合计", "1"], ["上缴上级支出", "4"]])
    assert [c.id for c in cols] == ["subject_code", "total", "remit_to_superior"]
    assert [c.id for c in map_columns([["单位名称"], ["部门（单位）代码"]])] == ["unit_name", "unit_code"]


def test_forms_from_title_columns_and_rows_and_unknown_outside_the_vocabulary() -> None:
    personnel = ["total", "dept_econ_30101", "dept_econ_30102", "dept_econ_30107", "dept_econ_30108"]
    title = "一般公共预算基本支出表--人员经费(工资福利支出)(按部门预算经济分类)"
    assert identify_form(title, personnel, row_scheme="function").id == "general_budget_personnel_expenses"
    # A seal left part of the title: the fragment and the columns still tell the form.
    three = ["three_public_total", "overseas_travel", "official_vehicles_total", "vehicle_purchase"]
    assert identify_form("经费支出表", [*three, "official_reception"]).id == "three_public_expenses"
    # Forms outside the vocabulary are unknown, not their nearest neighbour.
    spending = ["subject_code", "subject_name", "total", "basic_expenditure", "project_expenditure"]
    assert identify_form("项目支出表", spending).id is None
    assert identify_form("上年结转支出表", spending).id is None
    assert identify_form("政府采购预算明细表", ["total", "project_expenditure"]).id is None
    # Rows of economic codes are not a function-classification form.
    assert row_scheme(["301", "30101", "30102", "302"]) == "dept_econ"
    assert row_scheme(["210", "21015", "2101501", "307"]) == "function"
