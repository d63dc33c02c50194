"""Row codes against the classification, on a seed_scans run (issue 13).

    python -m benchmarks.row_codes --out /work/bench/<you>/seed/out

Every body row of a recovered table that prints a subject code is judged against
政府收支分类科目 (recover/label/row_keys.py). Compared with the ground truth's code/name pairs
(the ``hierarchy`` constraints' resolved codes and the row's printed name): how many rows
were checked, confirmed, corrected (and whether the correction is right), flagged, and how
many end up wrong without a flag (silently wrong: the figure that must be 0). Ground-truth
pairs no recovered row carries are counted as lost (a layout miss, not a code check).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.seed_scans import SEED_SCANS
from recover.label.classification import default_classification, normalise_name
from recover.label.row_keys import RowKey, RowKeyVerdict, judge, row_keys
from recover.model import Document, FlagKind, Table

_CJK = re.compile(r"[\u4e00-\u9fff]")


def truth_pairs(t: dict[str, Any]) -> Counter[tuple[str, str]]:
    """The ground truth's (full code, normalised name) pairs of one table."""
    pairs: Counter[tuple[str, str]] = Counter()
    for con in t["constraints"]:
        if con.get("type") != "hierarchy":
            continue
        for row, code in con["codes"].items():
            body = t["body"][int(row)]
            name = next((x for x in body if _CJK.search(x)), "")
            pairs[(code, normalise_name(name))] += 1
    return pairs


def _corrected(table: Table, key: RowKey) -> bool:
    cols = [c for c, _ in key.pieces] + ([key.name_col] if key.name_col is not None else [])
    cells = [table.cell_at(key.row, c) for c in cols]
    return any(
        c is not None and c.repair is not None and "政府收支分类科目" in " ".join(c.repair.constraints)
        for c in cells
    )


def _flagged(table: Table, key: RowKey) -> bool:
    """A code flag on the code, or any flag on the name (a name that did not read)."""
    cells = [table.cell_at(key.row, c) for c, _ in key.pieces]
    name = table.cell_at(key.row, key.name_col) if key.name_col is not None else None
    return any(c is not None and any(f.kind is FlagKind.CODE for f in c.flags) for c in cells) or bool(
        name is not None and name.flags
    )


def _texts(table: Table) -> set[str]:
    return {c.text.replace(" ", "") for c in table.cells if c.text.strip()}


def score_table(pred: Table, truth: Counter[tuple[str, str]], tally: Counter[str], misses: list[str]) -> None:
    """Judge every row key of ``pred`` and compare with the truth."""
    cls = default_classification()
    left = Counter(truth)
    for key in row_keys(pred):
        verdict = judge(key.code, key.name, cls)
        if verdict.verdict is RowKeyVerdict.UNIT:
            tally["unit rows"] += 1
            continue
        tally["checked"] += 1
        tally[verdict.verdict.value] += 1
        pair = (key.code, normalise_name(key.name))
        if not pair[1]:
            # No name read: the code alone is compared.
            pair = next((p for p in left if p[0] == key.code and left[p] > 0), pair)
        right = left[pair] > 0
        if right:
            left[pair] -= 1
        corrected, flagged = _corrected(pred, key), _flagged(pred, key)
        tally["corrected"] += corrected
        tally["corrected right"] += corrected and right
        tally["flagged"] += flagged
        if not right and not flagged:
            tally["silently wrong"] += 1
            misses.append(f"{key.code} {key.name} ({verdict.verdict.value})")
    tally["truth pairs"] += sum(truth.values())
    tally["truth pairs not on a recovered row"] += sum(left.values())


def run(out: Path) -> dict[str, Any]:
    """Score every case of a seed_scans OUT folder."""
    tally: Counter[str] = Counter()
    misses: list[str] = []
    for path in sorted((SEED_SCANS / "cases").glob("case_*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        result = out / case["case"] / "result.json"
        if not result.exists():
            continue
        preds = Document.from_dict(json.loads(result.read_text(encoding="utf-8"))).tables
        for t in case["tables"]:
            truth = truth_pairs(t)
            if not truth:
                continue
            wanted = {x.replace(" ", "") for row in t["body"] for x in row if x}
            pred = max(preds, key=lambda p: len(_texts(p) & wanted), default=None)
            if pred is None:
                tally["truth pairs"] += sum(truth.values())
                tally["truth pairs not on a recovered row"] += sum(truth.values())
                continue
            before = tally["silently wrong"]
            score_table(pred, truth, tally, misses)
            if tally["silently wrong"] > before:
                misses.append(f"  ^ {case['case']}")
    return {"row_codes": dict(sorted(tally.items())), "silently_wrong_rows": misses[:40]}


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="a seed_scans run's OUT folder (…/seed/out)")
    print(json.dumps(run(ap.parse_args().out), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
