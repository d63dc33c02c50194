"""Benchmark: PubTabNet's 40 table images (mostly horizontal rules only, or none).

    python -m benchmarks.pubtabnet [--layout on|off] [--every N]

Each image goes through the normal pipeline (no ruled grid there, so the text-alignment
path); scored like the other sets: tables found, grid exact (rows × columns and spans),
cell exact (whitespace removed; the GT's inline tags are already stripped), CER. The images
are small crops with no recorded resolution: the pipeline measures their character height
and enlarges them first.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

from benchmarks.run import EVAL
from benchmarks.score import GtCell, GtTable, Tally, score_page
from recover.pipeline import ExtractOptions, LayoutDetection, iter_document
from recover.read.ocr.rapid import RapidOcrEngine


def main() -> None:
    """Extract and score every image; print JSON."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--layout", choices=["on", "off"], default="on", help="layout detection (issue 15)")
    ap.add_argument("--every", type=int, default=1, help="use every n-th image (1 = all 40)")
    args = ap.parse_args()
    root = EVAL / "pubtabnet"
    gt = json.loads((root / "gt.json").read_text(encoding="utf-8"))
    gt = {name: entry for i, (name, entry) in enumerate(sorted(gt.items())) if i % args.every == 0}
    options = ExtractOptions(layout=LayoutDetection(args.layout))
    reader = RapidOcrEngine()
    total = Tally()
    layouts: Counter[str] = Counter()
    seconds = []
    for name, entry in sorted(gt.items()):
        cells = [GtCell(c["r0"], c["c0"], c["r1"], c["c1"], c["text"]) for c in entry["cells"]]
        rows = entry["rows"]
        table = GtTable(len(rows), max(len(r) for r in rows), cells)
        started = time.perf_counter()
        page = next(iter_document(root / "images" / name, reader, options))[0]
        seconds.append(time.perf_counter() - started)
        total.add(score_page([table], page.tables))
        layouts.update(t.layout for t in page.tables)
    figures = total.figures()
    figures.pop("median_s_per_page", None)
    figures.pop("mean_s_per_page", None)
    print(
        json.dumps(
            {
                "layout": args.layout,
                "images": len(gt),
                "layouts_found": layouts,
                "mean_s_per_image": round(sum(seconds) / len(seconds), 2),
                **figures,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
