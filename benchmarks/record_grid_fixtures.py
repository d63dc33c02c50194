"""Record golden fixtures for the grid tests: rule segments of real pages + GT grids.

    python -m benchmarks.record_grid_fixtures                      # cn_budget pages (segments)
    python -m benchmarks.record_grid_fixtures --seed-out OUT/out   # seed_scans crops (ink masks)

The second form takes the prepared pages a seed_scans run kept (``benchmarks.seed_scans
--out OUT``) and writes, for each page in SEED_CROPS, the ink mask of the table's area as
a PNG and its character height, the source and the expected grid (from the case's ground
truth) as JSON (``tests/fixtures/grid_scans/``), so tests/test_grid_evidence.py runs the
layout stage on real scans without the OCR engine.

Each fixture holds the segments found on one rendered (and possibly degraded) cn_budget
page, its character height, and the expected tables from the ground truth (rows, columns,
spans), so tests/test_grid_fixtures.py checks reconstruction without images or OCR.
"""

from __future__ import annotations

import argparse
import json
import zlib
from pathlib import Path

import cv2

from benchmarks.degrade import degrade
from benchmarks.run import EVAL, _render, _seed
from recover.layout.segments import find_segments
from recover.prepare.orientation import prepare_page
from recover.prepare.quarter_turn import QuarterTurnChooser
from recover.read.ocr.rapid import RapidOcrEngine

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "grid"
SCANS_OUT = OUT.parent / "grid_scans"
SEED_CASES = EVAL / "seed_scans" / "cases"

# (case, page, what the crop shows)
SEED_CROPS = [
    ("case_002", 1, "a seal's arcs and star across the rules of 预算12表 (200 dpi)"),
    ("case_003", 1, "a caption's stroke joined to the frame of 预算09表 (200 dpi)"),
    ("case_004", 1, "a faint 预算03表 whose rules are mostly lost (200 dpi, harsh)"),
    ("case_041", 1, "a seal's star over the header and a doubled frame, 公开03表 (150 dpi)"),
    ("case_056", 3, "merged 市州 cells beside a broken rule, 补助经费安排表 (150 dpi)"),
    ("case_007", 1, "the strokes of 一、一般… lined up across a row of 公开01表 (150 dpi, harsh)"),
    ("case_052", 1, "a grey seal's ring over 预算03表, its top arc ending on a column rule (200 dpi)"),
    ("case_037", 1, "faint broken rules of a 22-column 预算02表 scanned sideways (200 dpi, harsh)"),
    ("case_040", 1, "two amounts side by side beside a faded column rule's dots, 预算03表 (150 dpi, gray)"),
]

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


def record_seed_crops(seed_out: Path) -> None:
    """Write the ink mask around each SEED_CROPS table, with its expected grid."""
    SCANS_OUT.mkdir(parents=True, exist_ok=True)
    for case, page, shows in SEED_CROPS:
        gt = json.loads((SEED_CASES / f"{case}.json").read_text(encoding="utf-8"))
        table = gt["tables"][0]
        saved = json.loads((seed_out / case / "pages" / f"{page:04d}.json").read_text(encoding="utf-8"))
        geometry = saved["page"]["geometry"]
        mask = cv2.imread(str(seed_out / case / "page-images" / f"{page:04d}-ink.png"), cv2.IMREAD_GRAYSCALE)
        if mask is None:
            raise SystemExit(f"{seed_out / case}: no kept ink mask of page {page}; run seed_scans first")
        x0, y0, x1, y1 = saved["page"]["tables"][0]["bbox"]
        pad = 3 * geometry["char_height"]
        crop = mask[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
        header = len(table["header"]) if page == 1 or table["bbox_per_page"][page - 1]["header_drawn"] else 0
        first, last = table["bbox_per_page"][page - 1]["body_rows"]
        name = f"{case}_p{page}"
        cv2.imwrite(str(SCANS_OUT / f"{name}.png"), crop)
        fixture = {
            "source": f"seed_scans/{case}.pdf",
            "page": page,
            "shows": shows,
            "degradation": gt["degradation"],
            "char_h": geometry["char_height"],
            "n_rows": header + last - first + 1,
            "n_cols": table["n_cols"],
        }
        text = json.dumps(fixture, ensure_ascii=False, indent=1)
        (SCANS_OUT / f"{name}.json").write_text(text, encoding="utf-8")
        print(name, crop.shape)


def main() -> None:
    """Write one JSON fixture per page in PAGES (or the seed_scans crops with --seed-out)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed-out", type=Path, help="the out/ folder of a benchmarks.seed_scans run")
    args = parser.parse_args()
    if args.seed_out is not None:
        record_seed_crops(args.seed_out)
        return
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
