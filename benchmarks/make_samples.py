"""Regenerate ``samples/``: small image-only PDFs made from real cn_budget filings.

    python -m benchmarks.make_samples

Pages are rendered from the digital originals, given seeded scan damage, and saved
as JPEG-only PDFs, so the README's first command has a realistic scan to read.
"""

from __future__ import annotations

from pathlib import Path

import cv2

from benchmarks.degrade import degrade, save_image_pdf
from benchmarks.run import EVAL, _render, _seed

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BUDGET = EVAL / "cn_budget" / "pdf" / "上海市普陀区人民政府万里街道办事处24年预算.pdf"

# (output name, source pdf, pages, dpi, strength, force a quarter turn)
RECIPES = [
    ("wanli_2024_budget_p10-12.pdf", BUDGET, [10, 11, 12], 150, "mild", False),
    ("wanli_2024_budget_p16_sideways.pdf", BUDGET, [16], 150, "medium", True),
]


def main() -> None:
    """Write every sample PDF."""
    SAMPLES.mkdir(exist_ok=True)
    for name, pdf, pages, dpi, strength, sideways in RECIPES:
        images = []
        for page in pages:
            hurt = degrade(_render(pdf, page, dpi), dpi, strength, _seed(pdf.name, page, dpi, strength))
            rgb = hurt.rgb
            if sideways and not hurt.rotated:
                rgb = cv2.rotate(rgb, cv2.ROTATE_90_COUNTERCLOCKWISE)
            images.append(rgb)
        save_image_pdf(images, dpi, str(SAMPLES / name), quality=70)
        print(SAMPLES / name, (SAMPLES / name).stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main()
