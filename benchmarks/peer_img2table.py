"""The peer of the speed benchmark: img2table 2.x with RapidOCR's PP-OCRv6 small models.

img2table pulls ``opencv-contrib-python``, which must not share an environment with this
project's ``opencv-python-headless`` (one OpenCV per environment), so it runs in a venv of
its own (the ``bench`` extra lists it; install it there, not beside this project):

    python3 -m venv .venv-bench && .venv-bench/bin/pip install 'img2table>=2.0' pypdfium2 rapidocr onnxruntime
    .venv-bench/bin/python benchmarks/peer_img2table.py FILE.pdf ... [--json OUT]

Bordered tables, img2table's defaults (``implicit_rows=False``, ``borderless_tables=False``),
the same PP-OCRv6 small det/rec models that ship in the rapidocr wheel, Chinese recognition,
offline. Prints pages, tables found and seconds per page (median and whole run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path


def main() -> None:
    """Time img2table over the given PDFs, one page at a time."""
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("pdfs", nargs="+", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    import pypdfium2 as pdfium
    import rapidocr
    from img2table.document import PDF
    from img2table.ocr import RapidOCR
    from rapidocr import LangRec

    models = Path(rapidocr.__file__).parent / "models"
    ocr = RapidOCR(
        params={
            "Global.model_root_dir": str(models),
            "Global.use_cls": False,
            "Global.log_level": "error",
            "Rec.lang_type": LangRec.CH,
        }
    )
    seconds: list[float] = []
    tables = 0
    started = time.perf_counter()
    for path in args.pdfs:
        count = len(pdfium.PdfDocument(str(path)))
        for page in range(count):
            t0 = time.perf_counter()
            found = PDF(src=str(path), pages=[page]).extract_tables(
                ocr=ocr, implicit_rows=False, borderless_tables=False
            )
            seconds.append(time.perf_counter() - t0)
            tables += sum(len(v) for v in found.values())
    whole = time.perf_counter() - started
    result = {
        "tool": "img2table 2.x + RapidOCR PP-OCRv6 small",
        "pages": len(seconds),
        "tables": tables,
        "median_s_per_page": round(statistics.median(seconds), 3),
        "whole_run_s_per_page": round(whole / max(1, len(seconds)), 3),
    }
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
