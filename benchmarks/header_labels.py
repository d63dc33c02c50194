"""The labelled header set for issue "Map headers to canonical column names".

    python -m benchmarks.header_labels      # rewrites tests/data/header_labels.json

Labels are written by hand below (LABELS: one canonical id per distinct printed header
path of the cn_budget ground truth; FORMS: the standard form of each printed title), and
SEED_COLUMNS transcribes header columns of the tables in ../shared/seeds, and the seed_scans
ground truth's headers are added with their labels (benchmarks/seed_scan_headers.py). "NONE" marks a
path that is not a column header (body rows the header step takes in on continuation
pages): the right answer there is "unmapped".
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import seed_scan_headers
from benchmarks.run import EVAL
from recover.label.flatten import column_paths, header_row_count
from recover.label.numeric_view import numeric_view
from recover.model import Cell, CellStatus, Table
from recover.read.amounts import clean_text, parse_amount

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "header_labels.json"

LABELS = {
    "2024年“三公”经费预算数 / 公务接待费": "official_reception",
    "2024年“三公”经费预算数 / 公务用车购置及运行费 / 小计": "official_vehicles_total",
    "2024年“三公”经费预算数 / 公务用车购置及运行费 / 购置费": "vehicle_purchase",
    "2024年“三公”经费预算数 / 公务用车购置及运行费 / 运行费": "vehicle_operation",
    "2024年“三公”经费预算数 / 合计": "three_public_total",
    "2024年“三公”经费预算数 / 因公出国(境)费": "overseas_travel",
    "2024年机关运行经费预算数": "agency_operating_costs",
    "“三公”经费预算数 / 公务接待费": "official_reception",
    "“三公”经费预算数 / 公务用车购置及运行费 / 小计": "official_vehicles_total",
    "“三公”经费预算数 / 公务用车购置及运行费 / 购置费": "vehicle_purchase",
    "“三公”经费预算数 / 公务用车购置及运行费 / 运行费": "vehicle_operation",
    "“三公”经费预算数 / 合计": "three_public_total",
    "“三公”经费预算数 / 因公出国(境)费": "overseas_travel",
    "一般公共预算基本支出 / 人员经费": "personnel_expenses",
    "一般公共预算基本支出 / 公用经费": "public_expenses",
    "一般公共预算基本支出 / 合计": "total",
    "一般公共预算支出 / 合计": "total",
    "一般公共预算支出 / 基本支出": "basic_expenditure",
    "一般公共预算支出 / 项目支出": "project_expenditure",
    "上级补助收入": "superior_subsidy_revenue",
    "上缴上级支出": "remit_to_superior",
    "事业收入": "business_revenue",
    "使用非财政拨款结余（含专用结余）": "NONE",
    "其他收入": "other_revenue",
    "决算数": "amount.final",
    "单位名称": "unit_name",
    "合计": "total",
    "国有资本经营预算支出 / 合计": "total",
    "国有资本经营预算支出 / 基本支出": "basic_expenditure",
    "国有资本经营预算支出 / 项目支出": "project_expenditure",
    "基本支出": "basic_expenditure",
    "备注": "remarks",
    "对附属单位补助支出": "subsidy_to_affiliates",
    "年初结转和结余": "prior_balance",
    "年末结转和结余": "closing_balance",
    "序号": "serial_no",
    "支出 / 一般公共预算财政拨款": "general_public_budget",
    "支出 / 决算数": "expenditure_amount",
    "支出 / 合计": "total",
    "支出 / 国有资本经营预算财政拨款": "state_capital_budget",
    "支出 / 政府性基金预算财政拨款": "government_fund_budget",
    "支出 / 项目": "expenditure_item",
    "支出预算 / 合计": "total",
    "支出预算 / 基本支出": "basic_expenditure",
    "支出预算 / 项目支出": "project_expenditure",
    "收入 / 决算数": "income_amount",
    "收入 / 项目": "income_item",
    "收入预算 / 事业单位经营收入": "operating_revenue",
    "收入预算 / 事业收入": "business_revenue",
    "收入预算 / 其他收入": "other_revenue",
    "收入预算 / 合计": "total",
    "收入预算 / 财政拨款收入": "fiscal_appropriation_revenue",
    "政府性基金预算支出 / 合计": "total",
    "政府性基金预算支出 / 基本支出": "basic_expenditure",
    "政府性基金预算支出 / 项目支出": "project_expenditure",
    "本年支出 / 合计": "total",
    "本年支出 / 基本支出": "basic_expenditure",
    "本年支出 / 小计": "total",
    "本年支出 / 项目": "expenditure_item",
    "本年支出 / 项目支出": "project_expenditure",
    "本年支出 / 预算数": "expenditure_amount",
    "本年支出 / 预算数 / 合计": "total",
    "本年支出 / 预算数 / 基本支出 / 人员经费": "personnel_expenses",
    "本年支出 / 预算数 / 基本支出 / 公用经费": "public_expenses",
    "本年支出 / 预算数 / 项目支出": "project_expenditure",
    "本年支出合计": "total",
    "本年收入": "year_revenue",
    "本年支出": "year_expenditure",
    "本年收入 / 项目": "income_item",
    "本年收入 / 预算数": "income_amount",
    "本年收入合计": "total",
    "机关运行经费预算数": "agency_operating_costs",
    "科目名称": "subject_name",
    "经济分类 / 科目编码 / 款": "code_kuan",
    "经济分类 / 科目编码 / 类": "code_lei",
    "经济分类科目编码": "subject_code",
    "经营支出": "business_expenditure",
    "经营收入": "operating_revenue",
    "结余分配": "NONE",
    "财政拨款“三公”经费 / 公务接待费 / 决算数": "official_reception.final",
    "财政拨款“三公”经费 / 公务接待费 / 预算数": "official_reception.budget",
    "财政拨款“三公”经费 / 公务用车购置及运行维护费 / 公务用车购置费 / 决算数": "vehicle_purchase.final",
    "财政拨款“三公”经费 / 公务用车购置及运行维护费 / 公务用车购置费 / 预算数": "vehicle_purchase.budget",
    "财政拨款“三公”经费 / 公务用车购置及运行维护费 / 公务用车运行维护费 / 决算数": "vehicle_operation.final",
    "财政拨款“三公”经费 / 公务用车购置及运行维护费 / 公务用车运行维护费 / 预算数": "vehicle_operation.budget",
    "财政拨款“三公”经费 / 公务用车购置及运行维护费 / 小计 / 决算数": "official_vehicles_total.final",
    "财政拨款“三公”经费 / 公务用车购置及运行维护费 / 小计 / 预算数": "official_vehicles_total.budget",
    "财政拨款“三公”经费 / 公务用车购置及运行费 / 公务用车购置费 / 决算数": "vehicle_purchase.final",
    "财政拨款“三公”经费 / 公务用车购置及运行费 / 公务用车购置费 / 预算数": "vehicle_purchase.budget",
    "财政拨款“三公”经费 / 公务用车购置及运行费 / 公务用车运行费 / 决算数": "vehicle_operation.final",
    "财政拨款“三公”经费 / 公务用车购置及运行费 / 公务用车运行费 / 预算数": "vehicle_operation.budget",
    "财政拨款“三公”经费 / 公务用车购置及运行费 / 小计 / 决算数": "official_vehicles_total.final",
    "财政拨款“三公”经费 / 公务用车购置及运行费 / 小计 / 预算数": "official_vehicles_total.budget",
    "财政拨款“三公”经费 / 合计 / 决算数": "three_public_total.final",
    "财政拨款“三公”经费 / 合计 / 预算数": "three_public_total.budget",
    "财政拨款“三公”经费 / 因公出国（境）费 / 决算数": "overseas_travel.final",
    "财政拨款“三公”经费 / 因公出国（境）费 / 预算数": "overseas_travel.budget",
    "财政拨款支出 / 一般公共预算": "general_public_budget",
    "财政拨款支出 / 合计": "total",
    "财政拨款支出 / 国有资本经营预算": "state_capital_budget",
    "财政拨款支出 / 政府性基金预算": "government_fund_budget",
    "财政拨款支出 / 项目": "expenditure_item",
    "财政拨款收入": "fiscal_appropriation_revenue",
    "财政拨款收入 / 项目": "income_item",
    "财政拨款收入 / 预算数": "income_amount",
    "附属单位上缴收入": "affiliate_remittance_revenue",
    "项目 / 功能分类 / 科目编码": "subject_code",
    "项目 / 功能分类 / 科目编码 / 款": "code_kuan",
    "项目 / 功能分类 / 科目编码 / 类": "code_lei",
    "项目 / 功能分类 / 科目编码 / 项": "code_xiang",
    "项目 / 功能分类科目名称": "subject_name",
    "项目 / 功能分类科目编码": "subject_code",
    "项目 / 功能分类科目编码 / 合计": "subject_code",
    "项目 / 功能分类科目编码 / 款": "code_kuan",
    "项目 / 功能分类科目编码 / 类": "code_lei",
    "项目 / 功能分类科目编码 / 项": "code_xiang",
    "项目 / 支出功能分类 / 科目编码": "subject_code",
    "项目 / 支出功能分类 / 科目编码 / 款": "code_kuan",
    "项目 / 支出功能分类 / 科目编码 / 类": "code_lei",
    "项目 / 支出功能分类 / 科目编码 / 项": "code_xiang",
    "项目 / 支出功能分类科目编码 / 款": "code_kuan",
    "项目 / 支出功能分类科目编码 / 类": "code_lei",
    "项目 / 支出功能分类科目编码 / 项": "code_xiang",
    "项目 / 科目名称": "subject_name",
    "项目 / 科目名称 / 合计": "subject_name",
    "项目 / 经济分类科目名称": "subject_name",
    "项目 / 经济分类科目编码 / 款": "code_kuan",
    "项目 / 经济分类科目编码 / 类": "code_lei",
    "项目 / 部门经济分类科目名称": "subject_name",
    "项目 / 部门预算经济分类科目编码 / 款": "code_kuan",
    "项目 / 部门预算经济分类科目编码 / 类": "code_lei",
    "项目支出": "project_expenditure",
}

# Printed title (as in the cn_budget manifest, year stripped) → standard form.
FORMS = {
    "部门财务收支预算总表": "revenue_expenditure_summary",
    "预算单位财务收支预算总表": "revenue_expenditure_summary",
    "部门决算表": "revenue_expenditure_summary",
    "部门收入预算总表": "revenue_summary",
    "预算单位收入预算总表": "revenue_summary",
    "收入决算表": "revenue_summary",
    "部门支出预算总表": "expenditure_summary",
    "预算单位支出预算总表": "expenditure_summary",
    "支出决算表": "expenditure_summary",
    "财政拨款收支预算总表": "fiscal_appropriation_summary",
    "财政拨款收入支出决算总表": "fiscal_appropriation_summary",
    "一般公共预算支出功能分类预算表": "general_budget_expenditure",
    "一般公共预算财政拨款支出决算表": "general_budget_expenditure",
    "一般公共预算基本支出部门预算经济分类预算表": "general_budget_basic_expenditure",
    "一般公共预算财政拨款基本支出决算表": "general_budget_basic_expenditure",
    "三公经费": "three_public_expenses",
    "三公经费支出决算表": "three_public_expenses",
    "政府性基金预算支出功能分类预算表": "government_fund_expenditure",
    "政府性基金预算财政拨款收入支出决算表": "government_fund_expenditure",
    "国有资本经营预算支出功能分类预算表": "state_capital_expenditure",
    "国有资本经营预算财政拨款收入支出决算表": "state_capital_expenditure",
}

# Transcribed from ../shared/seeds (Hunan filings): (seed, form, header path, id).
SEED_COLUMNS = [
    ("000 预算01表", "revenue_expenditure_summary", "收入 / 项目", "income_item"),
    ("000 预算01表", "revenue_expenditure_summary", "收入 / 预算数", "income_amount"),
    ("000 预算01表", "revenue_expenditure_summary", "支出 / 项目（按功能分类）", "expenditure_item"),
    ("000 预算01表", "revenue_expenditure_summary", "支出 / 项目（按部门预算经济分类）", "expenditure_item"),
    ("000 预算01表", "revenue_expenditure_summary", "支出 / 项目（按政府预算经济分类）", "expenditure_item"),
    ("000 预算01表", "revenue_expenditure_summary", "支出 / 预算数", "expenditure_amount"),
    ("000 预算03表", "expenditure_summary", "科目编码", "subject_code"),
    ("000 预算03表", "expenditure_summary", "科目名称", "subject_name"),
    ("000 预算03表", "expenditure_summary", "合计", "total"),
    ("000 预算03表", "expenditure_summary", "基本支出", "basic_expenditure"),
    ("000 预算03表", "expenditure_summary", "项目支出", "project_expenditure"),
    ("000 预算03表", "expenditure_summary", "事业单位经营支出", "business_expenditure"),
    ("000 预算03表", "expenditure_summary", "上缴上级支出", "remit_to_superior"),
    ("000 预算03表", "expenditure_summary", "对附属单位补助支出", "subsidy_to_affiliates"),
    ("000 预算04表", "economic_classification_summary", "功能科目 / 类", "code_lei"),
    ("000 预算04表", "economic_classification_summary", "功能科目 / 款", "code_kuan"),
    ("000 预算04表", "economic_classification_summary", "功能科目 / 项", "code_xiang"),
    ("000 预算04表", "economic_classification_summary", "单位代码", "unit_code"),
    ("000 预算04表", "economic_classification_summary", "单位名称（功能科目）", "subject_name"),
    ("000 预算04表", "economic_classification_summary", "总 计", "total"),
    ("000 预算04表", "economic_classification_summary", "机关工资福利支出", "gov_econ_wages"),
    ("000 预算04表", "economic_classification_summary", "机关商品和服务支出", "gov_econ_goods_services"),
    ("000 预算04表", "economic_classification_summary", "机关资本性支出", "gov_econ_capital"),
    (
        "000 预算04表",
        "economic_classification_summary",
        "机关资本性支出(基本建设)",
        "gov_econ_capital_construction",
    ),
    (
        "000 预算04表",
        "economic_classification_summary",
        "对事业单位经常性补助",
        "gov_econ_institution_current",
    ),
    (
        "000 预算04表",
        "economic_classification_summary",
        "对事业单位资本性补助",
        "gov_econ_institution_capital",
    ),
    ("000 预算04表", "economic_classification_summary", "对企业补助", "gov_econ_enterprise_subsidy"),
    ("000 预算04表", "economic_classification_summary", "对企业资本性支出", "gov_econ_enterprise_capital"),
    ("000 预算04表", "economic_classification_summary", "对个人和家庭的补助", "econ_household_transfers"),
    ("000 预算04表", "economic_classification_summary", "对社会保障基金补助", "econ_social_security_fund"),
    ("000 预算04表", "economic_classification_summary", "债务利息及费用支出", "econ_debt_interest"),
    ("000 预算04表", "economic_classification_summary", "其他支出", "econ_other"),
    ("000 预算07表", "general_budget_expenditure", "科目编码", "subject_code"),
    ("000 预算07表", "general_budget_expenditure", "科目名称", "subject_name"),
    ("000 预算07表", "general_budget_expenditure", "合计", "total"),
    ("000 预算14表", "three_public_expenses", "单位编码", "unit_code"),
    ("000 预算14表", "three_public_expenses", "单位名称", "unit_name"),
    ("000 预算14表", "three_public_expenses", "“三公”经费合计", "three_public_total"),
    ("000 预算14表", "three_public_expenses", "因公出国（境）费", "overseas_travel"),
    ("000 预算14表", "three_public_expenses", "公务用车购置及运行费 / 小计", "official_vehicles_total"),
    ("000 预算14表", "three_public_expenses", "公务用车购置及运行费 / 公务用车购置费", "vehicle_purchase"),
    ("000 预算14表", "three_public_expenses", "公务用车购置及运行费 / 公务用车运行费", "vehicle_operation"),
    ("000 预算14表", "three_public_expenses", "公务接待费", "official_reception"),
    ("000 预算15表", "government_fund_expenditure", "科目编码", "subject_code"),
    ("000 预算15表", "government_fund_expenditure", "科目名称", "subject_name"),
    ("000 预算15表", "government_fund_expenditure", "本年政府性基金预算支出 / 合计", "total"),
    ("001 补助经费安排表", "fund_allocation", "市州", "region"),
    ("001 补助经费安排表", "fund_allocation", "县市区", "region"),
    ("001 补助经费安排表", "fund_allocation", "金额", "allocated_amount"),
    ("001 补助经费安排表", "fund_allocation", "备注", "remarks"),
    ("004 资金分配表", "fund_allocation", "单位/区县（市）", "region"),
    ("004 资金分配表", "fund_allocation", "金额", "allocated_amount"),
    ("004 资金分配表", "fund_allocation", "部门预算经济科目", "dept_econ_code"),
    ("004 资金分配表", "fund_allocation", "政府预算经济科目", "gov_econ_code"),
    ("004 资金分配表", "fund_allocation", "备注", "remarks"),
    ("002 公开01表", "revenue_expenditure_summary", "收入 / 项 目", "income_item"),
    ("002 公开01表", "revenue_expenditure_summary", "收入 / 行次", "row_number"),
    ("002 公开01表", "revenue_expenditure_summary", "收入 / 决算数", "income_amount"),
    ("002 公开01表", "revenue_expenditure_summary", "支出 / 项 目", "expenditure_item"),
    ("002 公开01表", "revenue_expenditure_summary", "支出 / 行次", "row_number"),
    ("002 公开01表", "revenue_expenditure_summary", "支出 / 决算数", "expenditure_amount"),
    ("002 公开04表", "fiscal_appropriation_summary", "收入 / 项 目", "income_item"),
    ("002 公开04表", "fiscal_appropriation_summary", "收入 / 行次", "row_number"),
    ("002 公开04表", "fiscal_appropriation_summary", "收入 / 金额", "income_amount"),
    ("002 公开04表", "fiscal_appropriation_summary", "支出 / 项 目", "expenditure_item"),
    ("002 公开04表", "fiscal_appropriation_summary", "支出 / 行次", "row_number"),
    ("002 公开04表", "fiscal_appropriation_summary", "支出 / 合计", "total"),
    ("003 部门预算", "expenditure_summary", "省级则政部门 / 合 计", "total"),
    ("003 部门预算", "fund_allocation", "拔款金额", "allocated_amount"),
]


def gt_table(t: dict) -> Table:  # type: ignore[type-arg]
    """A cn_budget GT table as a model Table (text only), with its numeric view labelled."""
    cells = []
    for c in t["cells"]:
        text = clean_text(c["text"].replace("\n", ""))
        cells.append(
            Cell(
                c["r0"],
                c["c0"],
                c["r1"] - c["r0"] + 1,
                c["c1"] - c["c0"] + 1,
                1,
                (0, 0, 1, 1),
                text,
                parse_amount(text),
                1.0,
                CellStatus.OK if text else CellStatus.EMPTY,
            )
        )
    table = Table(0, 1, (0, 0, 1, 1), t["n_rows"], t["n_cols"], cells)
    table.view = numeric_view(table)
    return table


def form_of_title(title: str) -> str | None:
    """Hand label of a printed title (the longest FORMS key it contains)."""
    compact = title.replace(" ", "").replace("“", "").replace("”", "")
    keys = [k for k in FORMS if k in compact]
    return FORMS[max(keys, key=len)] if keys else None


def build() -> dict:  # type: ignore[type-arg]
    """Every labelled column and table of the cn_budget GT, plus the seed transcriptions."""
    root = EVAL / "cn_budget"
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    columns, tables = [], []
    previous_form: dict[str, str | None] = {}
    for entry in sorted(manifest, key=lambda e: (e["pdf"], e["page"])):
        gt = json.loads((root / entry["gt"]).read_text(encoding="utf-8"))
        page = next(p for p in gt["pages"] if p["page"] == entry["page"])
        raw = page["tables"][entry["table_index"]]
        table = gt_table(raw)
        header_rows = header_row_count(table)
        paths = column_paths(table, header_rows)
        form = form_of_title(entry["title_guess"]) if entry["title_guess"] else None
        if form is None:
            form = previous_form.get(entry["pdf"])  # a continuation page, header repeated or not
        if entry["kind"].startswith("aux_box"):
            form = "unit_list"
        previous_form[entry["pdf"]] = form
        tables.append(
            {"pdf": entry["pdf"], "page": entry["page"], "title": entry["title_guess"], "form": form}
        )
        for col, path in enumerate(paths):
            if path:
                key = " / ".join(path)
                columns.append(
                    {
                        "source": f"cn_budget {Path(entry['pdf']).stem} p{entry['page']}",
                        "page": entry["page"],
                        "pdf": entry["pdf"],
                        "col": col,
                        "form": form,
                        "path": path,
                        "id": LABELS[key],
                    }
                )
    for source, seed_form, printed, label in SEED_COLUMNS:
        path = printed.split(" / ")
        columns.append({"source": f"seed {source}", "form": seed_form, "path": path, "id": label})
    # The seed_scans ground truth's headers (benchmarks/seed_scan_headers.py labels them).
    columns.extend(seed_scan_headers.labelled_columns())
    return {"columns": columns, "tables": tables}


def main() -> None:
    """Write tests/data/header_labels.json."""
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
    print(OUT, len(data["columns"]), "columns,", len(data["tables"]), "tables")


if __name__ == "__main__":
    main()
