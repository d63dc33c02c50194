"""Record golden fixtures for the grid tests: rule segments of real pages + GT grids.

    python -m benchmarks.record_grid_fixtures

Each fixture holds the segments found on one rendered (and possibly degraded) cn_budget
page, its character height, and the expected tables from the ground truth (rows, columns,
spans), so tests/test_grid_fixtures.py checks reconstruction without images or OCR.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from benchmarks.degrade import degrade
from benchmarks.run import EVAL, _render, _seed
from recover.layout.segments import find_segments
from recover.prepare.orientation import prepare_page
from recover.prepare.quarter_turn import QuarterTurnChooser
from recover.read.ocr.rapid import RapidOcrEngine

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "grid"

# (gt stem, page, dpi, strength or "" for a clean render)
PAGES = [
    ("上海市普陀区人民政府万里街道办事处24年预算", 11, 200, ""),
    ("上海市普陀区人民政府万里街道办事处24年预算", 10, 150, "medium"),
    ("上海市普陀区人民政府万里街道办事处24年预算", 24, 200, "medium"),
    ("上海市普陀区财政局2024年度部门决算", 16, 200, "medium"),
    ("上海市普陀区人民政府办公室单位25年预算", 19, 200, "medium"),
    ("附件2：部门决算模板", 11, 150, "mild"),
    ("24年普陀区财政局（测试问题版本）", 14, 300, "medium"),
]


def main() -> None:
    """Write one JSON fixture per page in PAGES."""
    OUT.mkdir(parents=True, exist_ok=True)
    reader = RapidOcrEngine()
    for stem, page, dpi, strength in PAGES:
        pdf = EVAL / "cn_budget" / "pdf" / f"{stem}.pdf"
        gt = json.loads((EVAL / "cn_budget" / "gt" / f"{stem}.json").read_text(encoding="utf-8"))
        tables = next(p["tables"] for p in gt["pages"] if p["page"] == page)
        rgb = _render(pdf, page, dpi)
        if strength:
            rgb = degrade(rgb, dpi, strength, _seed(pdf.name, page, dpi, strength)).rgb
        prepared = prepare_page(rgb, dpi, QuarterTurnChooser(reader))
        segments = find_segments(prepared.mask, prepared.char_h)
        fixture = {
            "source": f"cn_budget/{stem}.pdf",
            "page": page,
            "dpi": dpi,
            "degradation": strength or "none",
            "char_h": prepared.char_h,
            "segments": [s.to_list() for s in segments],
            "expected": [
                {
                    "n_rows": t["n_rows"],
                    "n_cols": t["n_cols"],
                    "spans": sorted(
                        [c["r0"], c["c0"], c["r1"], c["c1"]]
                        for c in t["cells"]
                        if c["r1"] > c["r0"] or c["c1"] > c["c0"]
                    ),
                }
                for t in tables
            ],
        }
        name = f"p{page:02d}_{dpi}_{strength or 'clean'}_{zlib.crc32(stem.encode()) % 10_000:04d}.json"
        (OUT / name).write_text(json.dumps(fixture, ensure_ascii=False), encoding="utf-8")
        print(name, len(segments), "segments")


if __name__ == "__main__":
    main()
