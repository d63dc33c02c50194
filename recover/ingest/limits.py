"""How large a page may be, checked from its header or page box before any pixel is decoded.

The limits are those of the largest sheet a filing is printed on, scanned at the finest
resolution the tool renders: anything larger is a damaged or hostile file (a decompression
bomb), and would need gigabytes of memory. Pillow's own bomb check keeps its default limit
(never changed here: a global would change every other user of Pillow in the process); our
limit lies below it, so the warning Pillow gives between its limit and twice it never
concerns an image we accept — it is turned into a refusal where we open images.
"""

from __future__ import annotations

import math

LARGEST_SHEET_IN = (12.0, 18.0)
"""An A3 filing on an oversize scanner bed (305 × 457 mm)."""
FINEST_DPI = 600
"""The finest rendering resolution ``--dpi`` accepts."""
MAX_SIDE_PX = round(LARGEST_SHEET_IN[1] * FINEST_DPI)
"""Longest side of a page image (10,800 px); also keeps OpenCV below its 32,767-px limits."""
MAX_PAGE_PIXELS = round(LARGEST_SHEET_IN[0] * FINEST_DPI) * MAX_SIDE_PX
"""Largest page image (77.8 megapixels, 233 MB as RGB)."""


def size_problem(width: float, height: float, advice: str) -> str | None:
    """Why a page image of ``width`` × ``height`` pixels is refused (``advice`` says what to
    do about a too large one); None when it is fine."""
    if not (math.isfinite(width) and math.isfinite(height)) or width < 1 or height < 1:
        return f"has no area ({_px(width)}×{_px(height)} px): its header or page box is damaged"
    if width * height > MAX_PAGE_PIXELS:
        return (
            f"is {_px(width)}×{_px(height)} px ({width * height / 1e6:.0f} megapixels, "
            f"limit {MAX_PAGE_PIXELS / 1e6:.0f}); {advice}"
        )
    if max(width, height) > MAX_SIDE_PX:
        return f"is {_px(width)}×{_px(height)} px (longest side limit {MAX_SIDE_PX} px); {advice}"
    return None


def _px(value: float) -> str:
    return str(round(value)) if math.isfinite(value) else str(value)
