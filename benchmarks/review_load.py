"""Benchmark: how fast the review page loads an item with a queue of 5,000 items.

    python -m benchmarks.review_load [--items 5000] [--loads 300]

Extracts one sample page whose OCR misreads two amounts (real items, real crops), then
fills the queue to ``--items`` with copies of those items spread over the table's cells,
and times, through the real app (Starlette's test client, no network): "next item" (the
doubt-ordered query) + the item page with its crop, and a decision with its re-check.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from misreading_reader import MisreadingReader  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from recover.extract import extract_file  # noqa: E402
from recover.pipeline import ExtractOptions  # noqa: E402
from recover.read.ocr.rapid import RapidOcrEngine  # noqa: E402
from recover.review.queue import Item, ReviewQueue  # noqa: E402
from recover.review.server import create_app  # noqa: E402

SAMPLE = ROOT / "samples" / "wanli_2024_budget_p10-12.pdf"


def _quantiles(ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(ms, n=20)
    return {"p50_ms": round(statistics.median(ms), 2), "p95_ms": round(cuts[18], 2)}


def main() -> None:
    """Build the queue, time item loads and decisions, print the figures as JSON."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--loads", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        reader = MisreadingReader(
            RapidOcrEngine(), {"257,700": ("257,100", 0.62), "1,106,000": ("1,106,0", 0.55)}
        )
        extract_file(SAMPLE, out, reader, ExtractOptions(dpi=200, pages={2}))
        queue = ReviewQueue(out)
        real = [i for r in queue.conn.execute("SELECT key FROM items") if (i := queue.item(r["key"]))]
        extra: list[Item] = []
        n = 0
        while len(real) + len(extra) < args.items:
            base = real[n % len(real)]
            extra.append(replace(base, key=f"{base.key}-copy{n}", doubt=base.doubt - 0.0001 * (n % 997)))
            n += 1
        queue.replace_items(real[0].sha256, real + extra)
        client = TestClient(create_app(out))
        loads, decisions = [], []
        for _ in range(args.loads):
            start = time.perf_counter()
            location = client.get("/next", follow_redirects=False).headers["location"]
            page = client.get(location)
            key = location.rsplit("/", 1)[1]
            item = queue.item(key)
            assert item is not None and page.status_code == 200
            crop = client.get(f"/crops/{item.doc}/{item.crop}")
            loads.append((time.perf_counter() - start) * 1000)
            assert crop.status_code == 200
            start = time.perf_counter()
            client.post(f"/item/{key}/decide", data={"action": "accept"}, follow_redirects=False)
            decisions.append((time.perf_counter() - start) * 1000)
        figures = {
            "items": queue.counts()["total"],
            "load_next_item_page_and_crop": _quantiles(loads),
            "decide_and_recheck": _quantiles(decisions),
        }
        queue.close()
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
