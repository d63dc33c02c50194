"""Benchmark: the layout model's cost per page, and what it finds (issue 15).

    python -m benchmarks.layout_regions [--every 8] [--threads 1]

Renders every n-th cn_budget table page at 200 dpi, prepares it as the pipeline does, and
times :meth:`RapidLayoutEngine.detect` alone (the model sees 608 × 800 whatever the page);
prints ms per page (median, mean) and the regions found by kind.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import Counter

from benchmarks.run import _render, cnbudget_cases
from recover.layout.regions import RapidLayoutEngine
from recover.prepare.orientation import prepare_page


def main() -> None:
    """Time the model on the pages; print JSON."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--every", type=int, default=8)
    ap.add_argument("--threads", type=int, default=0, help="onnxruntime threads (0 = its default)")
    args = ap.parse_args()
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    started = time.perf_counter()
    engine = RapidLayoutEngine(threads=args.threads)
    load_ms = 1000 * (time.perf_counter() - started)
    kinds: Counter[str] = Counter()
    ms = []
    for pdf, page, _, _ in cnbudget_cases(args.every):
        prepared = prepare_page(_render(pdf, page, 200), 200, None)
        started = time.perf_counter()
        regions = engine.detect(prepared.gray)
        ms.append(1000 * (time.perf_counter() - started))
        kinds.update(r.kind.value for r in regions)
    print(
        json.dumps(
            {
                "pages": len(ms),
                "load_ms": round(load_ms),
                "median_ms_per_page": round(statistics.median(ms)),
                "mean_ms_per_page": round(statistics.mean(ms)),
                "regions": dict(kinds),
            }
        )
    )


if __name__ == "__main__":
    main()
