"""Benchmark: tables that run over page breaks in the cn_budget PDFs come out as one table.

    python -m benchmarks.stitching [--source auto|ocr] [--dpi 200]

The ground truth lists a continued table once per page (continuation pages print no
header). A case is a chain of such parts on consecutive pages (same column count, the
later parts headerless); it passes when one recovered table holds exactly the rows of
all its parts in order (so no header repeated, nothing lost or doubled). Each PDF's
table pages run through the whole document pipeline (text layer by default: fast).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.header_labels import gt_table
from benchmarks.run import EVAL, cnbudget_cases
from benchmarks.score import norm
from recover.assemble.stitch import assemble_document
from recover.label.flatten import header_row_count
from recover.label.stage import label_document
from recover.model import Document, Table
from recover.pipeline import ExtractOptions, iter_document
from recover.read.ocr.rapid import RapidOcrEngine


def gt_chains(pages: dict[int, tuple[list[dict[str, Any]], bool]]) -> list[list[dict[str, Any]]]:
    """Chains of GT table parts that continue over consecutive pages: the later page prints
    no title above its first table, which has the previous page's last table's columns."""
    chains: list[list[dict[str, Any]]] = []
    for number in sorted(pages):
        previous = pages.get(number - 1)
        tables, titled = pages[number]
        first = tables[0]
        if previous and not titled and previous[0][-1]["n_cols"] == first["n_cols"]:
            if chains and chains[-1][-1] is previous[0][-1]:
                chains[-1].append(first)
            else:
                chains.append([previous[0][-1], first])
    return chains


def expected_rows(chain: list[dict[str, Any]]) -> list[list[str]]:
    """The rows of the joined table: later parts lose a header that repeats the first's."""
    rows = [[norm(t) for t in row] for row in chain[0]["rows"]]
    for part in chain[1:]:
        part_rows = [[norm(t) for t in row] for row in part["rows"]]
        repeated = header_row_count(gt_table(part))
        if repeated and part_rows[:repeated] == rows[:repeated]:
            part_rows = part_rows[repeated:]
        rows.extend(part_rows)
    return rows


def _titled_pages() -> dict[tuple[str, int], bool]:
    """Whether the GT records text above the first table of each page (a title)."""
    titled = {}
    for gt in sorted((EVAL / "cn_budget" / "gt").glob("*.json")):
        doc = json.loads(gt.read_text(encoding="utf-8"))
        for page in doc["pages"]:
            titled[(f"{gt.stem}.pdf", page["page"])] = bool(page.get("text_above_table"))
    return titled


def _rows(table: Table) -> list[list[str]]:
    return [[norm(t) for t in row] for row in table.rows_as_text()]


def main() -> None:
    """Extract, stitch, compare, print JSON."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--source", default="auto", choices=["auto", "ocr"])
    ap.add_argument("--dpi", type=int, default=200)
    args = ap.parse_args()
    raw: dict[Path, dict[int, tuple[list[dict[str, Any]], bool]]] = defaultdict(dict)
    titled = _titled_pages()
    for pdf, page, _, raw_tables in cnbudget_cases(1):
        raw[pdf][page] = (raw_tables, titled[(pdf.name, page)])
    reader = RapidOcrEngine()
    cases: list[dict[str, Any]] = []
    expected_tables = recovered_tables = 0
    for pdf, pages in raw.items():
        chains = gt_chains(pages)
        doc = Document(source=str(pdf), sha256="")
        options = ExtractOptions(dpi=args.dpi, pages=set(pages), source=args.source, check_totals=False)
        doc.pages = [page for page, _, _ in iter_document(pdf, reader, options)]
        assemble_document(label_document(doc))
        recovered = [_rows(t) for t in doc.tables]
        recovered_tables += len(recovered)
        expected_tables += sum(len(p[0]) for p in pages.values()) - sum(len(c) - 1 for c in chains)
        for chain in chains:
            want = expected_rows(chain)
            cases.append({"pdf": pdf.name, "parts": len(chain), "one_table": want in recovered})
    print(
        json.dumps(
            {
                "cases": len(cases),
                "stitched_exactly": sum(c["one_table"] for c in cases),
                "pct": round(100 * sum(c["one_table"] for c in cases) / max(1, len(cases)), 2),
                "tables_expected_after_stitching": expected_tables,
                "tables_recovered": recovered_tables,
                "failures": [c for c in cases if not c["one_table"]],
            },
            indent=1,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
