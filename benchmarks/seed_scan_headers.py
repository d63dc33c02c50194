"""Header mapping and form identification on the seed_scans forms (issue 13).

    python -m benchmarks.seed_scan_headers [--out /work/bench/<you>/seed/out]

Labels: SEED_SCAN_LABELS gives the canonical id of every printed header path of the
seed_scans ground truth (cases/*.json ``header``), SEED_SCAN_FORMS the standard form of each
template. Figures, on the ground truth's own headers (clean) and, with ``--out``, on a
seed_scans run's result.json (the OCR'd scans):
mapped % (the labelled id), wrong id above the threshold %, consistency (the same printed
column of the same form gets the same id across filings: share of columns whose id is their
group's most common one), and forms right %.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.seed_scans import SEED_SCANS
from recover.label.match import THRESHOLD
from recover.label.stage import map_table
from recover.label.vocabulary import default_vocabulary
from recover.model import Cell, CellStatus, Document, Table
from recover.read.amounts import parse_amount

# Printed header path (column numbers dropped, as the label stage does) → canonical id.
SEED_SCAN_LABELS = {
    "预算数 / 合计": "total.budget",
    "预算数 / 因公出国（境）费": "overseas_travel.budget",
    "预算数 / 公务用车购置及运行维护费 / 小计": "official_vehicles_total.budget",
    "预算数 / 公务用车购置及运行维护费 / 公务用车购置费": "vehicle_purchase.budget",
    "预算数 / 公务用车购置及运行维护费 / 公务用车运行维护费": "vehicle_operation.budget",
    "预算数 / 公务接待费": "official_reception.budget",
    "决算数 / 合计": "total.final",
    "决算数 / 因公出国（境）费": "overseas_travel.final",
    "决算数 / 公务用车购置及运行维护费 / 小计": "official_vehicles_total.final",
    "决算数 / 公务用车购置及运行维护费 / 公务用车购置费": "vehicle_purchase.final",
    "决算数 / 公务用车购置及运行维护费 / 公务用车运行维护费": "vehicle_operation.final",
    "决算数 / 公务接待费": "official_reception.final",
    "部门（单位）代码": "unit_code",
    "部门（单位）名称": "unit_name",
    "合计": "total",
    "本年收入 / 小计": "total",
    "本年收入 / 一般公共预算": "general_public_budget",
    "本年收入 / 政府性基金预算": "government_fund_budget",
    "本年收入 / 国有资本经营预算": "state_capital_budget",
    "本年收入 / 财政专户管理资金": "fiscal_special_account_revenue",
    "本年收入 / 上级财政补助收入 / 一般公共预算补助": "superior_fiscal_general",
    "本年收入 / 上级财政补助收入 / 政府性基金补助": "superior_fiscal_fund",
    "本年收入 / 上级财政补助收入 / 国有资本经营预算补助": "superior_fiscal_state_capital",
    "本年收入 / 事业收入": "business_revenue",
    "本年收入 / 事业单位经营收入": "operating_revenue",
    "本年收入 / 上级补助收入": "superior_subsidy_revenue",
    "本年收入 / 附属单位上缴收入": "affiliate_remittance_revenue",
    "本年收入 / 其他收入": "other_revenue",
    "上年结转结余 / 小计": "total",
    "上年结转结余 / 一般公共预算": "general_public_budget",
    "上年结转结余 / 政府性基金预算": "government_fund_budget",
    "上年结转结余 / 国有资本经营预算": "state_capital_budget",
    "上年结转结余 / 财政专户管理资金": "fiscal_special_account_revenue",
    "上年结转结余 / 单位资金": "unit_funds",
    "功能科目 / 类": "code_lei",
    "功能科目 / 款": "code_kuan",
    "功能科目 / 项": "code_xiang",
    "单位代码": "unit_code",
    "单位名称（功能科目）": "subject_name",
    "总计": "total",
    "机关商品和服务支出 / 合计": "total",
    "机关商品和服务支出 / 办公经费": "gov_econ_50201",
    "机关商品和服务支出 / 会议费": "gov_econ_50202",
    "机关商品和服务支出 / 培训费": "gov_econ_50203",
    "机关商品和服务支出 / 委托业务费": "gov_econ_50205",
    "机关商品和服务支出 / 公务接待费": "gov_econ_50206",
    "机关商品和服务支出 / 公务用车运行维护费": "gov_econ_50208",
    "机关商品和服务支出 / 维修(护)费": "gov_econ_50209",
    "机关商品和服务支出 / 其他商品和服务支出": "gov_econ_50299",
    "对事业单位经常性补助 / 合计": "total",
    "对事业单位经常性补助 / 商品和服务支出": "gov_econ_50502",
    "对事业单位经常性补助 / 其他对事业单位补助": "gov_econ_50599",
    "工资津补贴 / 合计": "total",
    "工资津补贴 / 基本工资": "dept_econ_30101",
    "工资津补贴 / 津贴补贴": "dept_econ_30102",
    "工资津补贴 / 奖金": "dept_econ_30103",
    "工资津补贴 / 绩效工资": "dept_econ_30107",
    "社会保障缴费 / 合计": "total",
    "社会保障缴费 / 机关事业单位基本养老保险缴费": "dept_econ_30108",
    "社会保障缴费 / 职业年金缴费": "dept_econ_30109",
    "社会保障缴费 / 职工基本医疗保险缴费": "dept_econ_30110",
    "社会保障缴费 / 公务员医疗补助缴费": "dept_econ_30111",
    "社会保障缴费 / 其他社会保障缴费": "dept_econ_30112",
    "住房公积金": "dept_econ_30113",
    "其他工资福利支出 / 合计": "total",
    "其他工资福利支出 / 伙食补助费": "dept_econ_30106",
    "其他工资福利支出 / 医疗费": "dept_econ_30114",
    "其他工资福利支出": "dept_econ_30199",
    "科目编码": "subject_code",
    "科目名称": "subject_name",
    "基本支出": "basic_expenditure",
    "项目支出": "project_expenditure",
    "事业单位经营支出": "business_expenditure",
    "上缴上级支出": "remit_to_superior",
    "对附属单位补助支出": "subsidy_to_affiliates",
    "项目 / 功能分类科目编码": "subject_code",
    "项目 / 科目名称": "subject_name",
    "本年支出合计": "total",
    "经营支出": "business_expenditure",
    "科目编码 / 类": "code_lei",
    "科目编码 / 款": "code_kuan",
    "科目编码 / 项": "code_xiang",
    "收入 / 项目": "income_item",
    "收入 / 行次": "row_number",
    "收入 / 决算数": "income_amount",
    "支出 / 项目": "expenditure_item",
    "支出 / 行次": "row_number",
    "支出 / 决算数": "expenditure_amount",
    "市州": "region",
    "县市区": "region",
    "金额": "allocated_amount",
    "备注": "remarks",
    "单位编码": "unit_code",
    "单位名称": "unit_name",
    "“三公”经费合计": "three_public_total",
    "因公出国（境）费": "overseas_travel",
    "公务用车购置及运行费 / 小计": "official_vehicles_total",
    "公务用车购置及运行费 / 公务用车购置费": "vehicle_purchase",
    "公务用车购置及运行费 / 公务用车运行费": "vehicle_operation",
    "公务接待费": "official_reception",
    "基本支出 / 小计": "total",
    "基本支出 / 人员经费 / 工资福利支出": "dept_econ_wages",
    "基本支出 / 人员经费 / 对个人和家庭的补助": "econ_household_transfers",
    "基本支出 / 公用经费": "public_expenses",
    "收入 / 预算数": "income_amount",
    "支出 / 项目（按功能分类）": "expenditure_item",
    "支出 / 预算数": "expenditure_amount",
    "支出 / 项目（按部门预算经济分类）": "expenditure_item",
    "支出 / 项目（按政府预算经济分类）": "expenditure_item",
}

# Template of the ground truth → standard form.
SEED_SCAN_FORMS = {
    "gongkai09_sangong_juesuan": "three_public_expenses",
    "yusuan02_shouru_zongbiao": "revenue_summary",
    "yusuan12_gongyong_zhengfu": "general_budget_public_expenses",
    "yusuan09_renyuan_bumen": "general_budget_personnel_expenses",
    "yusuan03_zhichu_zongbiao": "expenditure_summary",
    "gongkai03_zhichu_juesuan": "expenditure_summary",
    "kaifu2023_ybgg_zhichu": "general_budget_expenditure",
    "gongkai01_shouzhi_juesuan_zongbiao": "revenue_expenditure_summary",
    "xiangcaiyu2023_180_buzhu_anpai": "fund_allocation",
    "yusuan14_sangong": "three_public_expenses",
    "yusuan07_ybgg_zhichu": "general_budget_expenditure",
    "yusuan01_shouzhi_zongbiao": "revenue_expenditure_summary",
}


def gt_table(t: dict[str, Any]) -> Table:
    """A seed_scans ground-truth table (header and body as printed) as a model Table."""
    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(t["header"]):
        c = 0
        for h in row:
            while (r, c) in taken:
                c += 1
            cells.append(_cell(r, c, h["rowspan"], h["colspan"], h["text"]))
            taken |= {(rr, cc) for rr in range(r, r + h["rowspan"]) for cc in range(c, c + h["colspan"])}
            c += h["colspan"]
    top = len(t["header"])
    spans = {(m["row"], m["col"]): (m["rowspan"], m["colspan"]) for m in t.get("body_merges", [])}
    covered = {
        (r + dr, c + dc) for (r, c), (rs, cs) in spans.items() for dr in range(rs) for dc in range(cs)
    } - set(spans)
    for r, row in enumerate(t["body"]):
        for c, text in enumerate(row):
            if (r, c) not in covered:
                rs, cs = spans.get((r, c), (1, 1))
                cells.append(_cell(top + r, c, rs, cs, text))
    table = Table(0, 1, (0, 0, 1, 1), top + len(t["body"]), t["n_cols"], cells)
    table.meta.title = t["title"]
    return table


def _cell(row: int, col: int, rs: int, cs: int, text: str) -> Cell:
    status = CellStatus.OK if text else CellStatus.EMPTY
    return Cell(row, col, rs, cs, 1, (0, 0, 1, 1), text, parse_amount(text), 1.0, status)


def labelled_columns() -> list[dict[str, Any]]:
    """Every header column of every seed_scans table, with its label."""
    rows = []
    for path in sorted((SEED_SCANS / "cases").glob("case_*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        for index, t in enumerate(case["tables"]):
            table = gt_table(t)
            map_table(table, default_vocabulary())
            for mapping in table.columns:
                key = " / ".join(mapping.path)
                rows.append(
                    {
                        "source": f"seed_scans {case['case']} t{index}",
                        "case": case["case"],
                        "table": index,
                        "template": t["template"],
                        "form": SEED_SCAN_FORMS[t["template"]],
                        "col": mapping.col,
                        "path": mapping.path,
                        "id": SEED_SCAN_LABELS[key],
                    }
                )
    return rows


def figures(pairs: list[tuple[str, str, str, str | None, float]]) -> dict[str, float]:
    """(form, path, label, got, score) → mapped / wrong / consistency figures."""
    n = max(1, len(pairs))
    right = sum(got == label and s >= THRESHOLD for _, _, label, got, s in pairs)
    wrong = sum(got is not None and got != label and s >= THRESHOLD for _, _, label, got, s in pairs)
    groups: dict[tuple[str, str], Counter[str | None]] = {}
    for form, path, _, got, _ in pairs:
        groups.setdefault((form, path), Counter())[got] += 1
    same = sum(c.most_common(1)[0][1] for c in groups.values())
    return {
        "columns": len(pairs),
        "mapped_pct": round(100 * right / n, 2),
        "wrong_above_threshold_pct": round(100 * wrong / n, 2),
        "consistent_pct": round(100 * same / n, 2),
    }


def clean_run() -> dict[str, Any]:
    """Map the ground truth's own headers and titles (no OCR)."""
    pairs: list[tuple[str, str, str, str | None, float]] = []
    forms_right = forms_total = 0
    misses: list[tuple[str, ...]] = []
    for path in sorted((SEED_SCANS / "cases").glob("case_*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        for t in case["tables"]:
            table = gt_table(t)
            map_table(table, default_vocabulary())
            form = SEED_SCAN_FORMS[t["template"]]
            forms_total += 1
            forms_right += table.meta.form == form
            if table.meta.form != form:
                misses.append(("form", case["case"], form, table.meta.form))
            for m in table.columns:
                key = " / ".join(m.path)
                label = SEED_SCAN_LABELS[key]
                pairs.append((t["template"], key, label, m.id, m.score))
                if m.id != label:
                    misses.append(("column", case["case"], key, label, str(m.id)))
    return {
        "seed_scans_clean": figures(pairs)
        | {"tables": forms_total, "forms_right_pct": round(100 * forms_right / max(1, forms_total), 2)},
        "seed_scans_clean_misses": sorted(set(misses))[:20],
    }


def _texts(table: Table) -> set[str]:
    return {c.text.replace(" ", "") for c in table.cells if c.text.strip()}


def _subsets(case: dict[str, Any]) -> list[str]:
    """The dpi and strength subsets a case belongs to (as score.py names them)."""
    strength = case["degradation"]["strength"]
    band = (
        "strength<0.34" if strength < 0.34 else "strength 0.34-0.67" if strength < 0.67 else "strength>=0.67"
    )
    return ["all", f"dpi {case['degradation']['dpi']}", band]


def ocr_run(out: Path) -> dict[str, Any]:
    """Compare the labels of a seed_scans run (``OUT/<case>/result.json``) with the truth,
    overall and per dpi and strength."""
    by: dict[str, dict[str, Any]] = {}
    misses: list[tuple[str, ...]] = []
    for path in sorted((SEED_SCANS / "cases").glob("case_*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        part = _ocr_case(case, out, misses)
        for name in _subsets(case):
            acc = by.setdefault(name, {"pairs": [], "forms_right": 0, "tables": 0, "compared": 0})
            acc["pairs"] += part["pairs"]
            for key in ("forms_right", "tables", "compared"):
                acc[key] += part[key]
    figures_by = {
        name: figures(acc["pairs"])
        | {
            "tables": acc["tables"],
            "tables_compared": acc["compared"],
            "forms_right_pct": round(100 * acc["forms_right"] / max(1, acc["tables"]), 2),
        }
        for name, acc in sorted(by.items())
    }
    return {
        "seed_scans_ocr": figures_by.pop("all"),
        "seed_scans_ocr_by_subset": figures_by,
        "seed_scans_ocr_misses": misses[:30],
    }


def _ocr_case(case: dict[str, Any], out: Path, misses: list[tuple[str, ...]]) -> dict[str, Any]:
    """One case's column pairs and form verdicts."""
    pairs: list[tuple[str, str, str, str | None, float]] = []
    forms_right = forms_total = compared = 0
    result = out / case["case"] / "result.json"
    doc = Document.from_dict(json.loads(result.read_text(encoding="utf-8"))) if result.exists() else None
    preds = [] if doc is None else doc.tables
    for t in case["tables"]:
        truth = gt_table(t)
        map_table(truth, default_vocabulary())
        forms_total += 1
        wanted = _texts(truth)
        pred = max(preds, key=lambda p: len(_texts(p) & wanted), default=None)
        if pred is None:
            continue
        form = SEED_SCAN_FORMS[t["template"]]
        forms_right += pred.meta.form == form
        if pred.meta.form != form:
            misses.append(("form", case["case"], form, pred.meta.form))
        if pred.n_cols != truth.n_cols or not pred.columns:
            continue
        compared += 1
        for m, got in zip(truth.columns, pred.columns, strict=True):
            key = " / ".join(m.path)
            label = SEED_SCAN_LABELS[key]
            pairs.append((t["template"], key, label, got.id, got.score))
            if got.id != label:
                misses.append(("column", case["case"], " / ".join(got.path), label, str(got.id)))
    return {"pairs": pairs, "forms_right": forms_right, "tables": forms_total, "compared": compared}


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="a seed_scans run's OUT folder (…/seed/out)")
    args = ap.parse_args()
    result = clean_run()
    if args.out:
        result |= ocr_run(args.out)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
