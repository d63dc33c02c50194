"""Benchmark: mixed PDFs made from the digital cn_budget filings, through the normal path.

    python -m benchmarks.mixed [--dpi 200] [--every 1]

From each original: every third table page is rasterised (its objects replaced by one
image of the page), and on the other table pages one non-empty cell in eight (seeded) is
replaced by an image of itself (its text objects removed) — the "[image: …]768. 04" case.
Per page the pipeline decides: text layer, OCR, or text layer with OCR for image cells.
Scored against the ground truth; "duplicated" counts cells whose text holds the expected
text more than once (a cell read both from the layer and the image would).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from benchmarks.run import cnbudget_cases
from benchmarks.score import Tally, _anchor_texts, match_tables, norm, score_page
from recover.pipeline import ExtractOptions, iter_document
from recover.read.ocr.rapid import RapidOcrEngine

IMAGE_DPI = 200


def _image_object(pdf: pdfium.PdfDocument, bitmap: pdfium.PdfBitmap, box_pt: tuple[float, ...]) -> Any:
    """An image object showing ``bitmap`` over ``box_pt`` (left, bottom, right, top)."""
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(bitmap)
    left, bottom, right, top = box_pt
    image.set_matrix(pdfium.PdfMatrix().scale(right - left, top - bottom).translate(left, bottom))
    return image


def rasterise_page(pdf: pdfium.PdfDocument, index: int) -> None:
    """Replace everything on the page by one image of it (a scanned page in a digital PDF)."""
    page = pdf[index]
    bitmap = page.render(scale=IMAGE_DPI / 72)
    for obj in list(page.get_objects(max_depth=1)):
        page.remove_obj(obj)
    width, height = page.get_size()
    page.insert_obj(_image_object(pdf, bitmap, (0, 0, width, height)))
    page.gen_content()


def cells_to_images(pdf: pdfium.PdfDocument, index: int, boxes_top_left: list[tuple[float, ...]]) -> int:
    """Replace the text inside each cell box by an image of the cell; returns cells replaced."""
    page = pdf[index]
    height = page.get_height()
    scale = IMAGE_DPI / 72
    full = page.render(scale=scale).to_pil()
    texts = [o for o in page.get_objects(max_depth=1) if o.type == pdfium_c.FPDF_PAGEOBJ_TEXT]
    replaced = 0
    for x0, y0, x1, y1 in boxes_top_left:
        inside = []
        for obj in texts:
            left, bottom, right, top = obj.get_bounds()
            cx, cy = (left + right) / 2, height - (bottom + top) / 2
            if x0 < cx < x1 and y0 < cy < y1:
                inside.append(obj)
        if not inside:
            continue
        for obj in inside:
            page.remove_obj(obj)
            texts.remove(obj)
        # Inset by a point so the image does not cover the cell's rules.
        crop = full.crop(
            (
                round((x0 + 1) * scale),
                round((y0 + 1) * scale),
                round((x1 - 1) * scale),
                round((y1 - 1) * scale),
            )
        )
        bitmap = pdfium.PdfBitmap.from_pil(crop)
        page.insert_obj(_image_object(pdf, bitmap, (x0 + 1, height - y1 + 1, x1 - 1, height - y0 - 1)))
        replaced += 1
    page.gen_content()
    return replaced


def main() -> None:
    """Build the mixed PDFs, extract, score, print JSON."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--every", type=int, default=1)
    args = ap.parse_args()
    by_pdf: dict[Path, dict[int, tuple[list[Any], list[dict[str, Any]]]]] = defaultdict(dict)
    for pdf, page, gts, raw_tables in cnbudget_cases(args.every):
        by_pdf[pdf][page] = (gts, raw_tables)
    reader = RapidOcrEngine()
    total, per_kind = Tally(), {"rasterised": Tally(), "image cells": Tally()}
    sources: dict[str, int] = defaultdict(int)
    duplicated = replaced = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for n, (src, pages) in enumerate(by_pdf.items()):
            rng = random.Random(f"mixed|{src.name}")
            pdf = pdfium.PdfDocument(str(src))
            kinds = {}
            for k, (page, (_, raw_tables)) in enumerate(sorted(pages.items())):
                if k % 3 == 0:
                    rasterise_page(pdf, page - 1)
                    kinds[page] = "rasterised"
                else:
                    cells = [c for t in raw_tables for c in t["cells"] if norm(c["text"])]
                    chosen = [tuple(c["bbox_top_left_pt"]) for c in cells if rng.random() < 1 / 8]
                    replaced += cells_to_images(pdf, page - 1, chosen)
                    kinds[page] = "image cells"
            mixed = Path(tmp) / f"{n}.pdf"
            pdf.save(str(mixed))
            pdf.close()
            options = ExtractOptions(dpi=args.dpi, pages=set(pages))
            for done, _, _ in iter_document(mixed, reader, options):
                gts = pages[done.number][0]
                tally = score_page(gts, done.tables)
                total.add(tally)
                per_kind[kinds[done.number]].add(tally)
                sources[done.source] += 1
                for gt, pred in match_tables(gts, done.tables):
                    texts = _anchor_texts(pred) if pred is not None else {}
                    for cell in gt.cells:
                        want, got = norm(cell.text), norm(texts.get((cell.r0, cell.c0), ""))
                        duplicated += bool(want) and got.count(want) > 1
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "pages": sum(sources.values()),
                "seconds": round(seconds, 1),
                "page_sources": sources,
                "cells_replaced_by_images": replaced,
                "duplicated_cells": duplicated,
                "all": total.figures(),
                **{kind: t.figures() for kind, t in per_kind.items()},
            },
            indent=1,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
