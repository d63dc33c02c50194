"""Benchmark: digital PDFs through the per-page routing (text layer where trustworthy).

    python -m benchmarks.text_layer [--source auto|text] [--dpi 200]
    python -m benchmarks.text_layer --camelot
    python -m benchmarks.text_layer --pdf-dir DIR [--every 2]   # rules erased (benchmarks.erase_rules)

Each PDF's table pages are extracted in one run (the normal pipeline: grid from the
rendered page, cell text from the PDF's own characters) and scored against the ground
truth; pages per second count every stage from rendering to the totals checks.
``--camelot`` runs camelot's digital ruled cases (rotated pages included: their sideways
text layer is refused and the OCR path turns them); texts are compared after Unicode
compatibility folding (NFKC: camelot keeps Arabic presentation forms, the tool folds them).
"""

from __future__ import annotations

import argparse
import json
import time
import unicodedata
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from benchmarks.run import camelot_cases, cnbudget_cases
from benchmarks.score import GtTable, Tally, score_page
from recover.layout.digital_engine import DigitalEngine
from recover.layout.regions import RapidLayoutEngine
from recover.pipeline import ExtractOptions, LayoutDetection, iter_document
from recover.read.ocr.rapid import RapidOcrEngine


def _folded(gt: GtTable) -> GtTable:
    cells = [replace(c, text=unicodedata.normalize("NFKC", c.text)) for c in gt.cells]
    return replace(gt, cells=cells)


def main() -> None:
    """Extract, score and print the figures as JSON."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--source", default="auto", choices=["auto", "text"])
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--camelot", action="store_true", help="camelot's digital ruled cases")
    ap.add_argument("--pdf-dir", type=Path, help="read same-named cn_budget PDFs from here")
    ap.add_argument("--every", type=int, default=1, help="every n-th cn_budget table page")
    ap.add_argument("--digital-engine", default="auto", choices=[e.value for e in DigitalEngine])
    ap.add_argument("--layout", choices=["on", "off"], default="on", help="layout detection (issue 15)")
    args = ap.parse_args()
    layout_engine = RapidLayoutEngine() if args.layout == "on" else None
    by_pdf: dict[Path, dict[int, list[GtTable]]] = defaultdict(dict)
    for original, page, gts, _ in camelot_cases() if args.camelot else cnbudget_cases(args.every):
        pdf = args.pdf_dir / original.name if args.pdf_dir else original
        by_pdf[pdf][page] = [_folded(g) for g in gts] if args.camelot else gts
    reader = RapidOcrEngine()  # only for cells that have no text layer
    total = Tally()
    sources: dict[str, int] = defaultdict(int)
    pages = 0
    started = time.perf_counter()
    for pdf, gts_by_page in by_pdf.items():
        options = ExtractOptions(
            dpi=args.dpi,
            pages=set(gts_by_page),
            source=args.source,
            digital_engine=DigitalEngine(args.digital_engine),
            layout=LayoutDetection(args.layout),
            layout_engine=layout_engine,
        )
        for done, _, _ in iter_document(pdf, reader, options):
            if args.camelot:
                for table in done.tables:
                    for cell in table.cells:
                        cell.text = unicodedata.normalize("NFKC", cell.text)
            total.add(score_page(gts_by_page[done.number], done.tables))
            sources[done.source] += 1
            pages += 1
    seconds = time.perf_counter() - started
    figures = total.figures()
    figures.pop("median_page_seconds", None)
    print(
        json.dumps(
            {
                "layout": args.layout,
                "pages": pages,
                "pages_per_second": round(pages / seconds, 2),
                "page_sources": sources,
                **figures,
            },
            indent=1,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
