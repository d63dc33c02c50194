"""Checks between a disclosure's tables: the same money in several forms, missing forms."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EVAL, need_eval
from table_builder import make_table

from recover.check.document import check_document, form_sets
from recover.check.document_rules import DocumentRules, Term
from recover.check.facts import find_amount, label_key
from recover.model import CellStatus, ColumnMapping, ColumnStatus, Document, Page, RuleKind, Table

SUMMARY_HEAD = [["收入", "", "支出", ""], ["项目", "决算数", "项目", "决算数"]]


def _form(form: str, rows: list[list[str]], ids: list[str | None], header_rows: int, **kw: object) -> Table:
    table = make_table(rows, kw.get("confidence"))  # type: ignore[arg-type]
    table.meta.form = form
    table.meta.title = str(kw.get("title", ""))
    table.header_rows = header_rows
    table.columns = [ColumnMapping(i, [], cid, 100.0, ColumnStatus.MAPPED) for i, cid in enumerate(ids)]
    return table


def _summary(income_total: str = "2,946.25", social: str = "326.71", **kw: object) -> Table:
    rows = [
        *SUMMARY_HEAD,
        ["一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", "2,106.66"],
        ["二、政府性基金预算财政拨款收入", "", "二、社会保障和就业支出", social],
        ["三、国有资本经营预算财政拨款收入", "", "三、卫生健康支出", "60.99"],
        ["四、其他收入", "6.20", "四、住房保障支出", "445.69"],
        ["本年收入合计", income_total, "本年支出合计", "2,940.05"],
    ]
    ids: list[str | None] = ["income_item", "income_amount", "expenditure_item", "expenditure_amount"]
    return _form("revenue_expenditure_summary", rows, ids, 2, title="收入支出决算总表", **kw)


def _revenue(total: str = "2,946.25", **kw: object) -> Table:
    rows = [
        ["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "其他收入"],
        ["合计", "", total, "2,940.05", "6.20"],
        ["201", "一般公共服务支出", "2,112.86", "2,106.66", "6.20"],
        ["208", "社会保障和就业支出", "326.72", "326.72", ""],
        ["210", "卫生健康支出", "60.99", "60.99", ""],
        ["221", "住房保障支出", "445.69", "445.69", ""],
    ]
    ids: list[str | None] = [
        "subject_code",
        "subject_name",
        "total",
        "fiscal_appropriation_revenue",
        "other_revenue",
    ]
    return _form("revenue_summary", rows, ids, 1, title="收入决算表", **kw)


def _expenditure(**kw: object) -> Table:
    rows = [
        ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
        ["合计", "", "2,940.05", "2,336.91", "603.14"],
        ["201", "一般公共服务支出", "2,106.66", "1,503.52", "603.14"],
        ["208", "社会保障和就业支出", "326.72", "326.72", ""],
        ["210", "卫生健康支出", "60.99", "60.99", ""],
        ["221", "住房保障支出", "445.69", "445.69", ""],
    ]
    ids: list[str | None] = [
        "subject_code",
        "subject_name",
        "total",
        "basic_expenditure",
        "project_expenditure",
    ]
    return _form("expenditure_summary", rows, ids, 1, title="支出决算表", **kw)


def _document(*tables: Table) -> Document:
    pages = []
    for number, table in enumerate(tables, start=1):
        table.page = number
        for cell in table.cells:
            cell.page = number
        pages.append(Page(number=number, width=1000, height=1000, dpi=200, tables=[table]))
    return Document(source="test.pdf", sha256="0" * 64, pages=pages)


def _rules(doc: Document) -> dict[str, dict]:  # type: ignore[type-arg]
    assert doc.checks is not None
    return {r.rule: r.to_dict() for r in doc.checks.rules}


def test_totals_repeated_in_other_forms_hold_within_rounding() -> None:
    doc = check_document(_document(_summary(), _revenue(), _expenditure()))
    rules = _rules(doc)
    assert rules["revenue_total"]["status"] == "holds"
    assert rules["fiscal_revenue"]["status"] == "holds"  # three 财政拨款 lines add up to one column
    assert rules["expenditure_total"]["status"] == "holds"
    # 326.71 in the 收支总表, 326.72 in the 支出决算表: rounding, within one unit of 0.01.
    social = rules["expenditure_by_class:社会保障和就业支出"]
    assert social["status"] == "holds" and social["off_by"] == "-0.01"
    assert (
        doc.checks is not None and doc.checks.holding == doc.checks.found and doc.checks.inconsistencies == 0
    )


def test_a_clearly_printed_disagreement_is_a_source_inconsistency_and_keeps_its_value() -> None:
    doc = check_document(_document(_summary(income_total="2,964.25"), _revenue(), _expenditure()))
    rule = _rules(doc)["revenue_total"]
    assert rule["status"] == "source inconsistency" and rule["off_by"] == "18.00"
    cell = doc.pages[0].tables[0].cell_at(6, 1)
    assert cell is not None and cell.value == Decimal("2964.25")  # never "repaired"
    assert (
        cell.status is CellStatus.FLAGGED and "source inconsistency between tables" in cell.flags[0].message
    )
    assert doc.checks is not None and doc.checks.inconsistencies == 1


def test_a_disagreement_on_an_unsure_reading_is_flagged_not_called_the_filings_fault() -> None:
    summary = _summary(social="326.11", confidence={(3, 3): 0.62})
    doc = check_document(_document(summary, _revenue(), _expenditure()))
    rule = _rules(doc)["expenditure_by_class:社会保障和就业支出"]
    assert rule["status"] == "unsure"
    cell = summary.cell_at(3, 3)
    assert cell is not None and cell.status is CellStatus.FLAGGED and cell.value == Decimal("326.11")
    assert doc.checks is not None and doc.checks.inconsistencies == 0 and doc.checks.unsure == 1


def test_budget_wording_uses_its_own_alternative() -> None:
    rows = [
        ["本年收入", "", "本年支出", ""],
        ["项目", "预算数", "项目", "预算数"],
        ["一、财政拨款收入", "91,016,775.35", "一、一般公共服务支出", "91,016,775.35"],
        ["1.一般公共预算资金", "91,016,775.35", "", ""],
        ["收入总计", "91,016,775.35", "支出总计", "91,016,775.35"],
    ]
    ids: list[str | None] = ["income_item", "income_amount", "expenditure_item", "expenditure_amount"]
    summary = _form("revenue_expenditure_summary", rows, ids, 2, title="2025年部门财务收支预算总表")
    revenue = _form(
        "revenue_summary",
        [["科目编码", "科目名称", "合计", "财政拨款收入"], ["合计", "", "91,016,775.35", "91,016,775.35"]],
        ["subject_code", "subject_name", "total", "fiscal_appropriation_revenue"],
        1,
    )
    rule = _rules(check_document(_document(summary, revenue)))["fiscal_revenue"]
    assert rule["status"] == "holds" and [t["label"] for t in rule["left"]] == ["一、财政拨款收入"]


def test_a_label_is_matched_without_its_ordinal_and_never_across_the_other_side() -> None:
    summary = _summary()
    assert label_key("（一）一般公共服务支出（类）") == label_key("一般公共服务支出")
    fact = find_amount(summary, ("一般公共服务支出",), "expenditure_amount")
    assert fact is not None and fact.value == Decimal("2106.66")
    # 本年收入合计 has no amount in the 支出 column: the 本年支出合计 label stands between.
    assert find_amount(summary, ("本年收入合计",), "expenditure_amount") is None
    # The header row's 决算数 is the column's name, not an amount.
    assert find_amount(summary, ("项目",), "income_amount") is None


def test_missing_forms_of_the_standard_set_are_named() -> None:
    tables = [_summary(), _revenue()]
    for form, title in [
        ("fiscal_appropriation_summary", "财政拨款收入支出决算总表"),
        ("general_budget_expenditure", "一般公共预算财政拨款支出决算表"),
        ("three_public_expenses", "财政拨款“三公”经费支出决算表"),
    ]:
        tables.append(_form(form, [["项目"]], [None], 1, title=title))
    doc = check_document(_document(*tables))
    assert doc.checks is not None and doc.checks.publication == "部门决算"
    assert "支出决算表" in doc.checks.missing_forms
    assert "政府性基金预算财政拨款收入支出决算表" in doc.checks.missing_forms
    assert len(doc.checks.missing_forms) == 4
    # Only some pages read: an absent form may be on the pages left out.
    partial = check_document(_document(*tables), complete=False)
    assert partial.checks is not None and partial.checks.missing_forms == []
    # Two forms are no publication set: nothing is called missing.
    few = check_document(_document(_summary(), _revenue()))
    assert few.checks is not None and few.checks.publication == "" and few.checks.missing_forms == []


def test_template_placeholders_and_mixed_years_are_noted() -> None:
    summary = _summary()
    summary.meta.context_lines = ["第二部分上海市普陀区XX局2024年度部门决算表"]
    summary.meta.year = 2024
    revenue = _revenue()
    revenue.meta.year = 2023
    doc = check_document(_document(summary, revenue))
    assert doc.checks is not None
    assert any("'XX'" in n and "page 1" in n for n in doc.checks.notes)
    assert any("different years" in n for n in doc.checks.notes)


def test_a_second_set_of_forms_is_checked_on_its_own() -> None:
    # A department's forms followed by a unit's: each unit's totals agree with its own forms.
    first = (_summary(), _revenue())
    second = (_summary(income_total="100.00"), _revenue(total="100.00"))
    doc = _document(*first, *second)
    assert [sorted(s) for s in form_sets(doc)] == [["revenue_expenditure_summary", "revenue_summary"]] * 2
    check_document(doc)
    assert doc.checks is not None
    totals = [r.to_dict() for r in doc.checks.rules if r.rule == "revenue_total"]
    assert [r["status"] for r in totals] == ["holds", "holds"]


def test_forms_with_nothing_printed_are_not_counted_as_checked() -> None:
    blank_rows = [["科目编码", "科目名称", "合计"], ["合计", "", ""]]
    fund = _form("government_fund_expenditure", blank_rows, ["subject_code", "subject_name", "total"], 1)
    fiscal = _form(
        "fiscal_appropriation_summary",
        [["项目", "合计", "政府性基金预算财政拨款"], ["本年支出合计", "", ""]],
        ["expenditure_item", "total", "government_fund_budget"],
        1,
    )
    doc = check_document(_document(fiscal, fund))
    assert doc.checks is not None and doc.checks.found == 0


def test_rules_file_terms_are_parsed_and_bad_ones_refused(tmp_path: Path) -> None:
    assert Term.parse("revenue_summary / 合计|总计 / total") == Term(
        "revenue_summary", ("合计", "总计"), "total"
    )
    with pytest.raises(ValueError, match="form / row label / column"):
        Term.parse("revenue_summary / total")
    rules = DocumentRules.load()
    assert {r.id for r in rules.equal} >= {"revenue_total", "expenditure_total", "general_budget_basic"}


def test_document_checks_round_trip_through_result_json() -> None:
    doc = check_document(_document(_summary(income_total="2,964.25"), _revenue()))
    again = Document.from_dict(doc.to_dict())
    assert again.checks == doc.checks


def test_real_filings_agree_and_the_edited_copy_lacks_a_form(reader, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    need_eval()
    from recover.extract import extract_file
    from recover.pipeline import ExtractOptions

    pdfs = EVAL / "cn_budget" / "pdf"
    original, _ = extract_file(
        pdfs / "上海市普陀区财政局2024年度部门决算.pdf", tmp_path, reader, ExtractOptions()
    )
    assert original.checks is not None and original.checks.publication == "部门决算"
    assert original.checks.found >= 14 and original.checks.holding == original.checks.found
    assert original.checks.missing_forms == [] and original.checks.notes == []
    edited, summary = extract_file(
        pdfs / "24年普陀区财政局（测试问题版本）.pdf", tmp_path, reader, ExtractOptions()
    )
    assert edited.checks is not None and edited.checks.missing_forms == ["支出决算表"]
    assert any("XX" in n for n in edited.checks.notes)
    assert summary.missing_forms == ("支出决算表",)
    # The text's own claims: 收入支出总计0万元, three 决算/预算 comparisons reversed, and a
    # 三公经费 budget of 0.95万元 whose table was left blank.
    assert edited.checks.statement_inconsistencies == 5
    findings = (summary.out_dir / "findings.csv").read_text(encoding="utf-8-sig").splitlines()
    assert findings[0] == "kind,status,page,table,where,says"
    assert any(line.startswith("missing form,,,,支出决算表,") for line in findings)
    assert sum(line.startswith("text vs tables,source inconsistency,") for line in findings) == 5


def test_a_disagreement_between_tables_is_not_settled_by_the_tables_own_totals() -> None:
    from dataclasses import replace

    from recover.check.repair import check_table
    from recover.review.decisions import settled_by_totals
    from recover.review.items import table_items
    from recover.review.queue import Decision

    revenue = _revenue()
    revenue.checks = check_table(revenue)
    doc = check_document(_document(_summary(income_total="2,964.25"), revenue))
    total = revenue.cell_at(1, 2)
    assert total is not None and total.status is CellStatus.FLAGGED
    assert revenue.checks is not None and revenue.checks.holding == revenue.checks.found > 0
    items = table_items(doc, "test", 2, revenue)
    flagged = next(i for i in items if (i.row, i.col) == (1, 2))
    other = replace(flagged, key=flagged.key + "-other")
    decided = {other.key: Decision(other.key, "accept", "1", "", "2026-11-22T00:00:00", 1)}
    # Every total of the 收入决算表 holds, yet the 收支总表 disagrees: the item stays.
    assert flagged.key not in settled_by_totals(revenue, [flagged, other], decided)


def _with_text(doc: Document, *lines: str, score: float = 1.0) -> Document:
    from recover.model import TextLine

    page = Page(number=len(doc.pages) + 1, width=1000, height=1000, dpi=200)
    page.text_lines = [TextLine(line, score) for line in lines]
    doc.pages.append(page)
    return doc


def _statements(doc: Document) -> dict[str, list[dict]]:  # type: ignore[type-arg]
    assert doc.checks is not None
    found: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for rule in doc.checks.rules:
        if rule.kind is RuleKind.STATEMENT:
            found.setdefault(rule.rule, []).append(rule.to_dict())
    return found


def _units(*tables: Table, unit: str = "万元") -> tuple[Table, ...]:
    for table in tables:
        table.meta.unit = unit
    return tables


def test_amounts_stated_in_the_text_are_checked_against_the_tables() -> None:
    doc = _document(*_units(_summary(), _revenue(), _expenditure()))
    _with_text(
        doc,
        "二、收入决算情况说明",
        "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他",
        "收入6.2万元，占0.21%；",  # a statement broken over two lines
        "三、支出决算情况说明 本年支出合计2940.00万元。",
    )
    check_document(doc)
    found = _statements(doc)
    assert found["statement:本年收入合计"][0]["status"] == "holds"
    assert found["statement:财政拨款收入"][0]["status"] == "holds"
    assert found["statement:其他收入"][0]["status"] == "holds"  # 6.2 is 6.20 at the text's precision
    spent = found["statement:本年支出合计"][0]
    assert spent["status"] == "source inconsistency" and spent["left"][0]["page"] == 4
    assert doc.checks is not None and doc.checks.statement_inconsistencies == 1
    cell = doc.pages[2].tables[0].cell_at(1, 2)  # 支出决算表 合计: the figure the text contradicts
    assert cell is not None and cell.status is CellStatus.FLAGGED and "page 4" in cell.flags[-1].message


def test_the_longest_label_is_the_statement_and_unsure_text_is_not_blamed() -> None:
    rows = [
        ["收入", "", "支出", ""],
        ["项目", "决算数", "项目", "决算数"],
        ["总计", "2,995.39", "总计", "2,995.39"],
    ]
    ids: list[str | None] = ["income_item", "income_amount", "expenditure_item", "expenditure_amount"]
    summary = _form("revenue_expenditure_summary", rows, ids, 2)
    fiscal = _form("fiscal_appropriation_summary", rows, ids, 2)
    doc = _document(*_units(summary, fiscal))
    # 收入支出总计 is the end of 财政拨款收入支出总计: only the longer label is read there.
    _with_text(doc, "本局财政拨款收入支出总计0.3万元。", score=0.8)
    check_document(doc)
    found = _statements(doc)
    assert list(found) == ["statement:财政拨款收入支出总计"]
    assert found["statement:财政拨款收入支出总计"][0]["status"] == "unsure"  # the line read at 0.8


def test_items_by_subject_and_tables_in_yuan() -> None:
    rows = [
        ["类", "款", "项", "科目名称", "合计"],
        ["201", "", "", "一般公共服务支出", "82,096,797.42"],
        ["201", "03", "", "政府办公厅（室）及相关机构事务", "82,096,797.42"],
        ["201", "03", "01", "行政运行", "12,029,501.84"],
        ["201", "03", "02", "一般行政管理事务", "70,067,295.58"],
    ]
    ids: list[str | None] = ["code_lei", "code_kuan", "code_xiang", "subject_name", "total"]
    table = _form("general_budget_expenditure", rows, ids, 1)
    doc = _document(*_units(table, unit="元"))
    _with_text(
        doc,
        "1.“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元，主要用于",
        "2.“一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）一般行政管理事务（项）”",
        "7006.73万元。2024年预算安排7016.73万元。一般公共服务支出（类）8209.68万元",
    )
    check_document(doc)
    found = _statements(doc)
    assert found["statement:行政运行"][0]["status"] == "holds"  # 12,029,501.84 元 = 1,202.95 万元
    assert [r["status"] for r in found["statement:一般行政管理事务"]] == ["holds", "source inconsistency"]
    assert found["statement:一般公共服务支出(类)"][0]["status"] == "holds"


def test_comparisons_of_budget_and_final_must_be_true() -> None:
    doc = _document(*_units(_summary()))
    _with_text(
        doc,
        "年初预算为1560.05万元，支出决算为1511.89万元。决算数大于预算数的主要原因：",
        "年初预算为135.90万元，支出决算为135.25万元。决算数小于预算数的主要原因：",
        "年初预算为10.00万元，支出决算为10.00万元。决算数与预算数基本持平。",
    )
    check_document(doc)
    statuses = [r["status"] for r in _statements(doc)["statement:决算与预算"]]
    assert statuses == ["source inconsistency", "holds", "holds"]


def test_a_year_that_differs_from_the_filings_is_noted() -> None:
    summary = _summary()
    summary.meta.title = "上海市普陀区财政局2024年度部门决算表"
    doc = _with_text(
        _document(summary), "第三部分 2023年度部门决算情况说明", "2024年度部门决算", "2024年度部门决算"
    )
    check_document(doc)
    assert doc.checks is not None
    assert any("'2023年度部门决算'" in n and "2024" in n for n in doc.checks.notes)


def test_a_statement_about_a_figure_that_did_not_read_is_not_decided() -> None:
    rows = [
        ["收入", "", "支出", ""],
        ["项目", "决算数", "项目", "决算数"],
        ["总计", "2.961.68", "总计", "2,961.68"],
    ]
    ids: list[str | None] = ["income_item", "income_amount", "expenditure_item", "expenditure_amount"]
    doc = _document(*_units(_form("revenue_expenditure_summary", rows, ids, 2)))
    _with_text(doc, "上海市普陀区财政局2024年度收入支出总计0.3万元。")
    check_document(doc)
    rule = _statements(doc)["statement:收入支出总计"][0]
    assert rule["status"] == "cannot be checked"  # the 总计 read "2.961.68": flagged, not compared
    assert doc.checks is not None and doc.checks.unsure == 1 and doc.checks.statement_inconsistencies == 0


def test_findings_list_the_filings_own_problems() -> None:
    from recover.export.findings import finding_rows

    tables = [_summary(income_total="2,964.25"), _revenue()]
    for form, title in [
        ("fiscal_appropriation_summary", "财政拨款收入支出决算总表"),
        ("general_budget_expenditure", "一般公共预算财政拨款支出决算表"),
    ]:
        tables.append(_form(form, [["项目"]], [None], 1, title=title))
    doc = check_document(_document(*tables))
    rows = finding_rows(doc)
    kinds = [r[0] for r in rows]
    assert kinds.count("between tables") == 1 and "missing form" in kinds
    between = next(r for r in rows if r[0] == "between tables")
    assert between[1] == "source inconsistency" and between[2] == "1" and "off by 18.00" in between[5]


def _three_public(*data: list[str]) -> Table:
    rows = [["合计", "因公出国（境）费", "公务接待费"], ["预算数", "预算数", "预算数"], *data]
    ids: list[str | None] = [
        "three_public_total.budget",
        "overseas_travel.budget",
        "official_reception.budget",
    ]
    return _form("three_public_expenses", rows, ids, 2 if data and any(data[0]) else len(rows))


def test_the_one_row_three_public_form_is_checked_even_when_left_blank() -> None:
    said = "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元。"
    filled = check_document(_with_text(_document(*_units(_three_public(["0.95", "", "0.95"]))), said))
    found = _statements(filled)
    assert [r["status"] for rs in found.values() for r in rs] == ["holds"]
    # The same text over a form whose one row was emptied: 0.95 stated, nothing printed.
    blank = check_document(_with_text(_document(*_units(_three_public(["", "", ""]))), said))
    rule = next(r for rs in _statements(blank).values() for r in rs)
    assert rule["status"] == "source inconsistency" and rule["right"][0]["text"] == ""


def test_a_label_inside_a_longer_name_is_not_that_statement() -> None:
    doc = _document(*_units(_summary(), _revenue(), _expenditure()))
    # 基本支出预算 is a part of the 支出预算, and 一般公共预算财政拨款收入 a part of 财政拨款收入.
    _with_text(
        doc, "本部门基本支出预算2336.91万元，一般公共预算财政拨款收入2000.00万元。支出预算2940.05万元。"
    )
    check_document(doc)
    found = _statements(doc)
    assert list(found) == ["statement:支出预算"] and found["statement:支出预算"][0]["status"] == "holds"
