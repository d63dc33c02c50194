"""Header paths → canonical columns, forms, and the tidy dataset."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from table_builder import make_table

from benchmarks.header_labels import form_of_title
from recover.assemble.stitch import assemble_document
from recover.export.tidy import convert, tidy_csv
from recover.label.flatten import column_paths, header_row_count
from recover.label.forms import identify_form
from recover.label.match import THRESHOLD, match_path
from recover.label.stage import label_document, map_columns
from recover.model import Cell, Document, Page, Table

LABELS = json.loads((Path(__file__).parent / "data" / "header_labels.json").read_text(encoding="utf-8"))


def test_labelled_columns_map_to_their_ids() -> None:
    columns = LABELS["columns"]
    assert len(columns) >= 1200  # cn_budget, the seeds and the seed_scans ground truth
    by_source: dict[str, list[dict[str, Any]]] = {}
    for c in columns:
        by_source.setdefault(c["source"], []).append(c)
    # Each table's columns are mapped together, as the label stage maps them.
    results = [
        (c["id"], m)
        for cols in by_source.values()
        for c, m in zip(cols, map_columns([c["path"] for c in cols]), strict=True)
    ]
    right = sum((m.id or "NONE") == label for label, m in results)
    wrong = sum(m.id is not None and m.id != label and m.score >= THRESHOLD for label, m in results)
    assert right / len(results) >= 0.98
    assert wrong / len(results) < 0.005


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        (["省级则政部门", "合 计"], "total"),  # OCR 则 for 财, letter-spaced 合 计
        (["支出预算", "基本支出", "人员经费"], "personnel_expenses"),
        (["收入预算", "财政拔款收入"], "fiscal_appropriation_revenue"),  # 拔 for 拨
        (["项目", "功能分类科目编码", "类"], "code_lei"),
        (["收  入", "预 算 数"], "income_amount"),
        (["ＸＸ局", "本年支出", "预算数"], "expenditure_amount"),
        (["财政拨款“三公”经费", "因公出国（境）费", "决算数"], "overseas_travel.final"),
        (["财政拨款“三公”经费", "公务用车购置及运行费", "小计", "预算数"], "official_vehicles_total.budget"),
    ],
)
def test_ocr_damage_and_context(damaged: list[str], expected: str) -> None:
    found = match_path(damaged)
    assert found.id == expected and found.score >= THRESHOLD


def test_unknown_header_stays_unmapped_and_flagged() -> None:
    table = make_table([["序号", "绩效指标完成率说明"], ["1", "12.5"], ["2", "13.5"]])
    doc = Document("x.pdf", "", [Page(1, 10, 10, 200, tables=[table])])
    assemble_document(label_document(doc))
    status = {m.col: (m.id, m.status) for m in table.columns}
    assert status[0] == ("serial_no", "mapped")
    assert status[1] == (None, "unmapped")


def test_three_level_header_flattens_to_paths() -> None:
    rows = [
        ["项目", "", "收入预算", "", ""],
        ["功能分类科目编码", "科目名称", "合计", "财政拨款收入", "事业收入"],
        ["201", "一般公共服务支出", "10", "8", "2"],
    ]
    table = make_table(rows)
    # Merge 项目 over two columns and 收入预算 over three, as printed.
    table.cells = [c for c in table.cells if (c.row, c.col) not in {(0, 1), (0, 3), (0, 4)}]
    for cell in table.cells:
        if (cell.row, cell.col) == (0, 0):
            cell.col_span = 2
        if (cell.row, cell.col) == (0, 2):
            cell.col_span = 3
    assert header_row_count(table) == 2
    assert column_paths(table, 2)[3] == ["收入预算", "财政拨款收入"]
    assert column_paths(table, 2)[0] == ["项目", "功能分类科目编码"]


def test_forms_of_the_labelled_tables_from_their_titles() -> None:
    titled = [t for t in LABELS["tables"] if t["title"] and form_of_title(t["title"])]
    right = sum(identify_form(t["title"], []).id == t["form"] for t in titled)
    assert right / len(titled) >= 0.95


def _filing(header: list[str], title: str, unit: str) -> Document:
    rows = [
        header,
        ["201", "一般公共服务支出", "1,000.00", "600.00", "400.00"],
        ["20101", "人大事务", "1,000.00", "600.00", "400.00"],
    ]
    table = make_table(rows)
    table.meta.title, table.meta.unit = title, unit
    return Document("f.pdf", "", [Page(1, 10, 10, 200, tables=[table])])


def test_two_filings_worded_differently_stack_into_one_dataset() -> None:
    a = _filing(["科目编码", "科目名称", "合计", "基本支出", "项目支出"], "2024年一般公共预算支出表", "万元")
    b = _filing(
        ["功能分类科目编码", "功能分类科目名称", "合 计", "基本支出合计", "项目支出"],
        "2024年部门一般公共预算支出功能分类预算表",
        "元",
    )
    tidy = []
    for name, doc in (("a", a), ("b", b)):
        assemble_document(label_document(doc))
        tidy += list(csv.DictReader(io.StringIO(tidy_csv(doc, name, unit="万元").decode("utf-8-sig"))))
    by_doc: dict[str, set[tuple[str, str, str]]] = {}
    for row in tidy:
        by_doc.setdefault(row["document"], set()).add((row["form"], row["row_code"], row["column"]))
    assert by_doc["a"] == by_doc["b"]
    assert {r["form"] for r in tidy} == {"general_budget_expenditure"}
    values = {(r["document"], r["row_code"], r["column"]): r["value"] for r in tidy}
    assert values[("a", "201", "total")] == "1000.00"  # already 万元: printed precision kept
    assert Decimal(values[("b", "201", "total")]) == Decimal("0.1")  # 1,000.00 元 = 0.1 万元 exactly


def test_unit_conversion_is_exact_and_never_guessed() -> None:
    assert convert(Decimal("3644.13"), "万元", "元") == (Decimal("36441300"), "元")
    assert convert(Decimal("1"), "元", "万元") == (Decimal("0.0001"), "万元")
    assert convert(Decimal("5"), "", "万元") == (Decimal("5"), "unknown")


def test_continuation_table_inherits_columns_and_form() -> None:
    first = make_table([["科目编码", "科目名称", "合计"], ["201", "一般公共服务支出", "10"]])
    first.meta.title = "2024年部门支出预算总表"
    second = make_table([["20101", "人大事务", "10"], ["20102", "政协事务", "0"]])
    second.page = 2
    doc = Document("x.pdf", "", [Page(1, 1, 1, 200, tables=[first]), Page(2, 1, 1, 200, tables=[second])])
    assemble_document(label_document(doc))
    assert second.header_rows == 0
    assert [m.id for m in second.columns] == ["subject_code", "subject_name", "total"]
    assert second.meta.form == "expenditure_summary" and second.meta.continues == "page 1 table 1"
    assert isinstance(second.cells[0], Cell) and isinstance(first, Table)


def test_header_wrapped_over_two_grid_rows_is_read_as_one_word() -> None:
    assert match_path(["附属单", "位上缴收入"]).id == "affiliate_remittance_revenue"
    assert match_path(["收入预算", "合计"]).id == "total"  # a real two-level path stays two levels


def test_repeated_header_on_the_next_page_keeps_the_form() -> None:
    header = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    first = make_table([header, ["201", "一般公共服务支出", "10", "6", "4"]])
    first.meta.title = "2024年部门一般公共预算支出功能分类预算表"
    second = make_table([header, ["205", "教育支出", "5", "5", "0"]])
    second.page = 2
    doc = Document("x.pdf", "", [Page(1, 1, 1, 200, tables=[first]), Page(2, 1, 1, 200, tables=[second])])
    assemble_document(label_document(doc))
    assert first.meta.form == second.meta.form == "general_budget_expenditure"
    assert second.header_rows == 1 and second.meta.continues == "page 1 table 1"


def test_a_title_with_a_character_lost_is_still_its_form_and_a_short_title_is_not_a_long_one() -> None:
    from recover.label.forms import identify_form

    basic_columns: list[str | None] = ["code_lei", "code_kuan", "subject_name", "amount.final"]
    # OCR lost the flat 一 of the title: the long wording is still the best explanation.
    lost = identify_form("般公共预算财政拨款基本支出决算表", basic_columns)
    assert lost.id == "general_budget_basic_expenditure"
    # 支出决算表 is printed inside longer titles, but a title that says only that is that form.
    assert identify_form("支出决算表", ["subject_code", "subject_name", "total"]).id == "expenditure_summary"
