"""Rule recall on seed_scans: how many of the totals a form prints the checks found and kept.

    python -m benchmarks.rule_recall ../shared/evaldata/seed_scans/cases OUT [--json R.json]

Each ground-truth ``constraints`` entry is expanded to its equations (a ``row_sum`` gives one
per row, a ``hierarchy`` one per parent row and value column, a ``total_row``/``subtotal`` one
per column, ``equal`` one per pair with its first cell). Ground-truth cells are mapped to the
predicted cells with the data set's own alignment (``score.py``, as ``silent_errors.py`` does),
and an equation counts as found when ``result.json`` keeps a rule with the same total and the
same parts (parts that are blank in the filing may be left out; an ``equal`` pair either way
round). Equations whose cells are all blank are not counted. Prints recall overall and per
constraint type, and the missed equations of the worst cases.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

GtCell = tuple[int, int]
PredCell = tuple[int, int, int]  # (table file index, row, col)
Equation = tuple[str, GtCell, tuple[GtCell, ...]]


def equations(table: dict[str, Any]) -> list[Equation]:
    """Every equation the table's printed totals state, in ground-truth body coordinates."""
    body = table["body"]
    blank = {(r, c) for r, row in enumerate(body) for c, text in enumerate(row) if not text.strip()}
    out: list[Equation] = []
    for rule in table["constraints"]:
        kind = rule["type"]
        if kind == "row_sum":
            for r in rule.get("rows") or range(len(body)):
                out.append((kind, (r, rule["total_col"]), tuple((r, c) for c in rule["part_cols"])))
        elif kind == "hierarchy":
            codes = {int(r): code for r, code in rule["codes"].items()}
            for r, code in codes.items():
                children = [
                    k for k, child in codes.items() if len(child) == len(code) + 2 and child.startswith(code)
                ]
                if children:
                    for c in rule["value_cols"]:
                        out.append((kind, (r, c), tuple((k, c) for k in children)))
        elif kind in ("total_row", "subtotal"):
            for c in rule["cols"]:
                out.append((kind, (rule["row"], c), tuple((k, c) for k in rule["of_rows"])))
        elif kind == "cell_sum":
            out.append((kind, tuple(rule["total"]), tuple(tuple(p) for p in rule["parts"])))
        elif kind == "equal":
            first, *rest = (tuple(c) for c in rule["cells"])
            out.extend((kind, first, (other,)) for other in rest)
    return [e for e in out if not all(cell in blank for cell in (e[1], *e[2]))]


def kept_rules(doc: dict[str, Any]) -> list[set[tuple[PredCell, frozenset[PredCell]]]]:
    """Per predicted table (in CSV order), its kept rules as (target, parts)."""
    tables = [t for p in doc["pages"] for t in p.get("tables", [])]
    out = []
    for i, t in enumerate(tables):
        rules = ((t.get("checks") or {}).get("constraints")) or []
        out.append({((i, *r["target"]), frozenset((i, *p) for p in r["parts"])) for r in rules})
    return out


def judge_case(gt_case: dict[str, Any], case_dir: Path, scorer: Any) -> dict[str, Any]:
    """Found / all equations of one case, per constraint type, and the missed ones."""
    res: dict[str, Any] = {"all": Counter(), "found": Counter(), "missed": []}
    rj = case_dir / "result.json"
    doc = json.loads(rj.read_text(encoding="utf-8")) if rj.exists() else {"pages": []}
    csvs = sorted((case_dir / "tables").glob("*.csv"))
    preds = [(p.name, scorer.read_csv_tolerant(str(p))) for p in csvs]
    by_name = {n: i for i, (n, _) in enumerate(preds)}
    sc = scorer.score_case(gt_case, [(n, r) for n, r in preds if r])
    rules = kept_rules(doc)
    for gi, t in enumerate(sc["tables"]):
        gt_table = gt_case["tables"][gi]
        eqs = equations(gt_table)
        for kind, _, _ in eqs:
            res["all"][kind] += 1
        files = t.get("pred_files") or []
        rows, origin = [], []
        for f in files:
            i = by_name[f]
            for j, row in enumerate(preds[i][1]):
                rows.append(row)
                origin.append((i, j))
        if not rows:
            res["missed"].extend((gi, kind, "table not found") for kind, _, _ in eqs)
            continue
        gt = scorer.as_scoring_table(gt_table, gi)
        detail = scorer.score_table(gt, rows, detail=True)
        where: dict[GtCell, PredCell] = {}
        for (r, c, *_), (_, _, pj, pk) in zip(detail["cells_detail"], detail["cells_pos"], strict=True):
            if pj is not None and pk is not None:
                fi, fr = origin[pj]
                where[(r, c)] = (fi, fr, pk)
        blank = {
            (r, c) for r, row in enumerate(gt_table["body"]) for c, text in enumerate(row) if not text.strip()
        }
        for kind, total, parts in eqs:
            if _found(total, parts, where, blank, rules):
                res["found"][kind] += 1
            else:
                res["missed"].append((gi, kind, f"{total} = {' + '.join(map(str, parts))}"))
    return res


def _found(
    total: GtCell,
    parts: tuple[GtCell, ...],
    where: dict[GtCell, PredCell],
    blank: set[GtCell],
    rules: list[set[tuple[PredCell, frozenset[PredCell]]]],
) -> bool:
    if total not in where:
        return False
    needed = [p for p in parts if p not in blank]
    if any(p not in where for p in needed):
        return False
    target = where[total]
    required = frozenset(where[p] for p in needed)
    allowed = required | {where[p] for p in parts if p in where}
    table = rules[target[0]] if target[0] < len(rules) else set()
    for t, ps in table:
        if t == target and required <= ps <= allowed:
            return True
        if len(parts) == 1 and len(ps) == 1 and t in required and target in ps:
            return True  # an equal pair stated the other way round
    return False


def main() -> int:
    """Score every case of GT_DIR against OUT, print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("gt", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--cases", nargs="*")
    args = parser.parse_args()
    sys.path.insert(0, str(args.gt.parent))
    import score as scorer  # the data set's own scorer (no package)

    total_all: Counter[str] = Counter()
    total_found: Counter[str] = Counter()
    cases = {}
    for path in sorted(args.gt.glob("case_*.json")):
        if args.cases and path.stem not in args.cases:
            continue
        if not (args.out / path.stem).exists():
            continue
        res = judge_case(json.loads(path.read_text(encoding="utf-8")), args.out / path.stem, scorer)
        cases[path.stem] = res
        total_all.update(res["all"])
        total_found.update(res["found"])
    worst = sorted(cases.items(), key=lambda kv: -len(kv[1]["missed"]))[:8]
    for name, res in worst:
        if res["missed"]:
            print(
                f"{name}: missed {len(res['missed'])} of {sum(res['all'].values())}: "
                + "; ".join(f"t{g} {k} {e}" for g, k, e in res["missed"][:3])
            )
    figures = {
        "equations": sum(total_all.values()),
        "found": sum(total_found.values()),
        "rule_recall": round(sum(total_found.values()) / max(1, sum(total_all.values())), 4),
        "by_type": {k: f"{total_found[k]}/{n}" for k, n in sorted(total_all.items())},
    }
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "summary": figures,
                    "cases": {
                        k: {"all": dict(v["all"]), "found": dict(v["found"]), "missed": v["missed"]}
                        for k, v in cases.items()
                    },
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
