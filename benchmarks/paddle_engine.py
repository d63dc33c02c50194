"""Benchmark: the PaddleOCR engine beside the default engine on the bundled 3-page sample.

    python -m benchmarks.paddle_engine --model-dir DIR [DIR ...]

Each engine extracts samples/wanli_2024_budget_p10-12.pdf (pages 10–12 of the Wanli 2024
budget, 200 dpi, the checks on); the tables are scored against the cn_budget ground truth
and each cell compared with the default engine's. ``silent`` counts amounts that differ from
the default engine's reading (which matches the ground truth) yet were exported as a clear
reading (``proven`` or ``unproven``);
the others are listed by the status they were exported with.
Seconds are per page, whole pipeline, and the part spent in the recogniser.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmarks.score import Tally, gt_table_from_cnbudget, score_page
from recover.model import Cell, CellStatus, Page
from recover.pipeline import ExtractOptions, iter_document
from recover.read.ocr.engine import LineReading, LineRecognizer
from recover.read.ocr.rapid import RapidOcrEngine

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "wanli_2024_budget_p10-12.pdf"
GT = (
    ROOT.parent
    / "shared"
    / "evaldata"
    / "cn_budget"
    / "gt"
    / "上海市普陀区人民政府万里街道办事处24年预算.json"
)
FIRST_PAGE = 10  # the sample's first page in the original filing


class TimedReader:
    """Wraps an engine, adding up the seconds spent recognising."""

    def __init__(self, engine: LineRecognizer) -> None:
        self.engine = engine
        self.name = engine.name
        self.digits_only = engine.digits_only
        self.seconds = 0.0

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """The wrapped engine's reading, timed."""
        started = time.perf_counter()
        try:
            return self.engine.recognize(crops)
        finally:
            self.seconds += time.perf_counter() - started

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """The wrapped engine's digits-only reading, timed."""
        started = time.perf_counter()
        try:
            return self.engine.recognize_digits(crops)
        finally:
            self.seconds += time.perf_counter() - started


def _cells(pages: list[Page]) -> dict[tuple[int, int, int, int], Cell]:
    return {(p.number, t.index, c.row, c.col): c for p in pages for t in p.tables for c in t.cells}


def run(engine: LineRecognizer) -> tuple[list[Page], dict]:  # type: ignore[type-arg]
    """Extract and score the sample with ``engine``: (pages, figures)."""
    gt = json.loads(GT.read_text(encoding="utf-8"))
    reader = TimedReader(engine)
    total = Tally()
    pages: list[Page] = []
    started = time.perf_counter()
    for page, _, _ in iter_document(SAMPLE, reader, ExtractOptions(dpi=200)):
        tables = next(p for p in gt["pages"] if p["page"] == FIRST_PAGE + len(pages))["tables"]
        total.add(score_page([gt_table_from_cnbudget(t) for t in tables], page.tables))
        pages.append(page)
    seconds = time.perf_counter() - started
    figures = {k: v for k, v in total.figures().items() if not k.endswith("s_per_page")}
    figures |= {"s_per_page": seconds / len(pages), "ocr_s_per_page": reader.seconds / len(pages)}
    return pages, figures


_CLEAR = (CellStatus.OK, CellStatus.PROVEN, CellStatus.UNPROVEN)  # exported as a clear reading


def compare(pages: list[Page], default: list[Page]) -> dict[str, object]:
    """Agreement of ``pages`` with the default engine's, cell by cell."""
    ours, theirs = _cells(pages), _cells(default)
    texts = [k for k, c in theirs.items() if c.text]
    amounts = [k for k, c in theirs.items() if c.value is not None]
    differ = [k for k in amounts if k not in ours or ours[k].value != theirs[k].value]
    return {
        "same_cells": float(ours.keys() == theirs.keys()),
        "same_text_pct": 100 * sum(k in ours and ours[k].text == theirs[k].text for k in texts) / len(texts),
        "same_amount_pct": 100 * (1 - len(differ) / len(amounts)),
        "amounts_differing": len(differ),
        "differing_by_status": dict(Counter(str(ours[k].status) for k in differ if k in ours)),
        "silent": sum(k in ours and ours[k].status in _CLEAR for k in differ),
    }


def main() -> None:
    """Print one line of figures per engine."""
    from recover.read.ocr.paddle import PaddleOcrEngine

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", type=Path, nargs="+", required=True, help="PaddleOCR rec model folders")
    args = ap.parse_args()
    default, figures = run(RapidOcrEngine())
    print(json.dumps({"engine": RapidOcrEngine.name, **figures}, ensure_ascii=False), flush=True)
    for folder in args.model_dir:
        engine = PaddleOcrEngine(folder)
        pages, figures = run(engine)
        row = {"engine": engine.name, **figures, **compare(pages, default)}
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
