"""Benchmark: camelot (pdfium backend) on the digital cn_budget pages, for comparison
with the tool's own text-layer path (``benchmarks.text_layer``).

    python -m benchmarks.camelot_compare [--every 1] [--flavor lattice,stream,hybrid] [--pdf-dir DIR]

``--pdf-dir`` reads same-named PDFs from another folder (the originals with their rules
erased by ``benchmarks.erase_rules``); the ground truth is the originals'.

Issue 6 asked for the text-layer path to go through camelot; this measures what camelot gives
on the same pages with the same scoring, and how fast. camelot reports no merged cells, so
its tables are scored as grids of single cells (grid exactness fails wherever the ground truth
has spans); numeric cells are never merged, so the numeric figure compares like with like.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections import defaultdict
from pathlib import Path

from camelot.io import read_pdf

from benchmarks.run import cnbudget_cases
from benchmarks.score import GtTable, Tally, score_page
from recover.model import Cell, CellStatus, Table
from recover.read.amounts import clean_text, parse_amount


def _table(rows: list[list[str]]) -> Table:
    cells = []
    for r, row in enumerate(rows):
        for c, raw in enumerate(row):
            text = clean_text(" ".join(raw.split()))
            status = CellStatus.OK if text else CellStatus.EMPTY
            cells.append(Cell(r, c, 1, 1, 1, (0, 0, 0, 0), text, parse_amount(text), 1.0, status))
    return Table(0, 1, (0, 0, 0, 0), len(rows), len(rows[0]) if rows else 0, cells)


def main() -> None:
    """Run camelot page by page, score and print the figures as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--every", type=int, default=1, help="every n-th table page")
    ap.add_argument("--flavor", default="lattice", help="comma-separated camelot flavors")
    ap.add_argument("--pdf-dir", type=Path, help="read same-named PDFs from here (rules erased)")
    args = ap.parse_args()
    by_pdf: dict[Path, dict[int, list[GtTable]]] = defaultdict(dict)
    for pdf, page, gts, _ in cnbudget_cases(args.every):
        by_pdf[args.pdf_dir / pdf.name if args.pdf_dir else pdf][page] = gts
    report = {}
    for flavor in args.flavor.split(","):
        total = Tally()
        pages = 0
        started = time.perf_counter()
        for pdf, gts_by_page in by_pdf.items():
            for page, gts in gts_by_page.items():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # "no tables found" is scored, not printed
                    found = read_pdf(str(pdf), pages=str(page), flavor=flavor, backend="pdfium")
                tables = [_table(t.df.values.tolist()) for t in found]
                total.add(score_page(gts, tables))
                pages += 1
        seconds = time.perf_counter() - started
        report[flavor] = {"pages": pages, "pages_per_second": round(pages / seconds, 2), **total.figures()}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
