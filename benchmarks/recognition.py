"""Benchmark: the recognition runtimes and thread counts on the same real crops.

    python -m benchmarks.recognition
    python -m benchmarks.recognition --every 4 --seed-every 5 --runtimes onnxruntime:1 openvino:1

The crops are the ones the pipeline itself sends to the recogniser (cell lines, title lines,
sample lines of the orientation vote), recorded while extracting benchmark pages: the
cn_budget table pages of benchmarks.run (every n-th, degraded at 200 dpi medium) and every
n-th seed scan. Each configuration then reads every page's crops in one call, as the
read stage does, the configurations taking turns page by page so machine load falls on all
alike. Prints per configuration: seconds in all and ms a crop, and against the first
configuration: crops read to the same text, and the largest score difference.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmarks.degrade import degrade, save_image_pdf
from benchmarks.run import EVAL, _render, _seed, cnbudget_cases
from recover.pipeline import ExtractOptions, iter_document
from recover.read.ocr.engine import LineReading, no_digits_reading
from recover.read.ocr.rapid import RapidOcrEngine, Runtime


class RecordingReader:
    """A recogniser that keeps a copy of every crop it is asked to read."""

    digits_only = False  # records free readings only

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Not offered: this wrapper records free readings only."""
        raise no_digits_reading(self.name)

    def __init__(self, inner: RapidOcrEngine) -> None:
        self.name = inner.name
        self._inner = inner
        self.calls: list[list[np.ndarray]] = []

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        self.calls.append([c.copy() for c in crops])
        return self._inner.recognize(crops)


def _scan_paths(every: int, seed_every: int, tmp: Path) -> list[Path]:
    paths = []
    for n, (pdf, page, _, _) in enumerate(cnbudget_cases(every)):
        hurt = degrade(_render(pdf, page, 200), 200, "medium", _seed(pdf.name, page, 200, "medium"))
        scan = tmp / f"{n:04d}.pdf"
        save_image_pdf([hurt.rgb], 200, str(scan), quality=95)
        paths.append(scan)
    seeds = sorted((EVAL / "seed_scans" / "cases").glob("case_*.pdf"))
    return paths + seeds[::seed_every]


def record_crops(paths: list[Path]) -> list[list[np.ndarray]]:
    """Per page, every crop the pipeline reads (in the order it reads them)."""
    reader = RecordingReader(RapidOcrEngine())
    pages = []
    for path in paths:
        for _page, _, _ in iter_document(path, reader, ExtractOptions(dpi=200, check_totals=False)):
            pages.append([c for call in reader.calls for c in call])
            reader.calls.clear()
    return pages


def _engine(spec: str) -> RapidOcrEngine:
    runtime, _, threads = spec.partition(":")
    return RapidOcrEngine(threads=int(threads or 0), runtime=Runtime(runtime))


def compare(pages: list[list[np.ndarray]], specs: list[str]) -> None:
    """Read every page's crops with each configuration, in turns, and print the figures."""
    engines = {spec: _engine(spec) for spec in specs}
    seconds = dict.fromkeys(specs, 0.0)
    readings: dict[str, list[LineReading]] = {spec: [] for spec in specs}
    for crops in pages:
        for spec, engine in engines.items():
            started = time.perf_counter()
            readings[spec] += engine.recognize(crops)
            seconds[spec] += time.perf_counter() - started
    reference = readings[specs[0]]
    n = len(reference)
    print(f"pages {len(pages)} | crops {n} | reference {specs[0]}")
    for spec in specs:
        same = sum(a.text == b.text for a, b in zip(reference, readings[spec], strict=True))
        diff = max(
            (abs(a.score - b.score) for a, b in zip(reference, readings[spec], strict=True)), default=0
        )
        print(
            f"{spec:<16} {seconds[spec]:7.1f} s | {1000 * seconds[spec] / max(1, n):6.2f} ms/crop | "
            f"same text {same}/{n} | max score diff {diff:.4f}",
            flush=True,
        )
    for spec in specs[1:]:
        for i, (a, b) in enumerate(zip(reference, readings[spec], strict=True)):
            if a.text != b.text:
                print(f"  {spec} crop {i}: {a.text!r} ({a.score:.3f}) vs {b.text!r} ({b.score:.3f})")


def main() -> None:
    """Record the crops, then compare the configurations on them."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--every", type=int, default=8, help="cn_budget: every n-th table page")
    ap.add_argument("--seed-every", type=int, default=10, help="seed_scans: every n-th case")
    ap.add_argument(
        "--runtimes",
        nargs="+",
        default=["onnxruntime:1", "onnxruntime:2", "openvino:1", "openvino:2"],
        help="runtime:threads, the first is the reference (threads 0 = the runtime's default)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pages = record_crops(_scan_paths(args.every, args.seed_every, Path(tmp)))
    compare(pages, args.runtimes)


if __name__ == "__main__":
    main()
