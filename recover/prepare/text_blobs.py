"""Character-size estimate and text-blob extraction, the page's own length scale."""

from __future__ import annotations

import cv2
import numpy as np

from recover.model import PageGeometry

MIN_GLYPH_PX = 4  # smaller components are specks, not characters, at any resolution


def remove_long_lines(mask: np.ndarray, length: int) -> np.ndarray:
    """Mask with horizontal and vertical strokes longer than ``length`` removed."""
    horiz = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vert = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return cv2.subtract(mask, cv2.bitwise_or(horiz, vert))


def estimate_char_height(mask: np.ndarray, dpi: int) -> int:
    """Median height of character-sized ink components; falls back to 10 pt at ``dpi``."""
    fallback = max(8, round(10 * dpi / 72))
    text = remove_long_lines(mask, max(20, int(dpi * 0.5)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(text, connectivity=8)
    if n <= 1:
        return fallback
    h = stats[1:, cv2.CC_STAT_HEIGHT]
    w = stats[1:, cv2.CC_STAT_WIDTH]
    # Characters are between ~5 pt and ~30 pt at any resolution. Heights, not widths:
    # blur and tight spacing fuse neighbouring glyphs sideways, rarely across lines.
    lo, hi = 5 * dpi / 72, 30 * dpi / 72
    sel = (h >= lo) & (h <= hi) & (w <= 1.5 * h)
    if sel.sum() < 10:
        # The recorded resolution may be wrong (a screenshot, a low-resolution crop with
        # no dpi): measure glyph-sized components at any size instead.
        sel = (h >= MIN_GLYPH_PX) & (h <= hi) & (w <= 1.5 * h)
        if sel.sum() < 10:
            return fallback
    return int(np.median(h[sel]))


def text_line_boxes(
    mask: np.ndarray, char_h: int, horizontal: bool = True
) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of ink runs joined along one direction into line-like blobs."""
    text = remove_long_lines(mask, char_h * 4)
    gap = PageGeometry(char_h).gap
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1) if horizontal else (1, gap))
    joined = cv2.dilate(text, kernel)
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for i in range(1, n):
        x, y, w, h = stats[i, :4]
        boxes.append((int(x), int(y), int(x + w), int(y + h)))
    return boxes
