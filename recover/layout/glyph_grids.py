"""Tell a ruled table from a "grid" drawn by the strokes of large characters.

A cover's title in a heavy font has strokes long enough to pass for rules, and where the
strokes of neighbouring characters line up they enclose "cells" smaller than the characters
they cut. A real table's rows are taller than the text they hold and its lines run between
characters, not through them; such a grid fails both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recover.layout.reconstruct import TableGrid
from recover.layout.segments import components

RULE_ASPECT = 4.0  # a blob this elongated is a rule fragment, not a character
ROW_TO_TEXT = 0.8  # rows shorter than this share of the text height cannot hold the text
CUT_SHARE = 0.5  # share of the characters that the grid's inner lines must run through


@dataclass(frozen=True)
class Glyph:
    """A character-like ink blob, in page pixels."""

    x: int
    y: int
    w: int
    h: int


def glyph_boxes(mask: np.ndarray, grid: TableGrid) -> np.ndarray:
    """Character-like ink blobs centred in the table, measured whole: an (n, 4) array of
    x, y, w, h in page pixels.

    The box is widened so that a character it cuts is not cut short: by its own height, or
    three of its tallest rows when that is less (a real table's characters sit inside it, so
    a large table needs no more); the ruled frame (a blob with the table's own box) and blobs
    elongated like rules are left out.
    """
    x0, y0, x1, y1 = grid.bbox
    tallest_row = max(b - a for a, b in zip(grid.grid.row_lines, grid.grid.row_lines[1:], strict=False))
    pad = min(y1 - y0, 3 * tallest_row)
    h_img, w_img = mask.shape[:2]
    cx0, cy0 = max(0, x0 - pad), max(0, y0 - pad)
    crop = mask[cy0 : min(h_img, y1 + pad), cx0 : min(w_img, x1 + pad)]
    # OpenCV takes any nonzero pixel as ink, as ``crop > 0`` does: no converted copy.
    count, _, stats, (bx, by) = components(crop if crop.dtype == np.uint8 else (crop > 0).astype(np.uint8))
    x, y, w, h = (stats[1:count, k].astype(np.int64) for k in range(4))
    x, y = x + (cx0 + bx), y + (cy0 + by)
    blob = (w >= 2) & (h >= 2) & (np.maximum(w, h) <= RULE_ASPECT * np.minimum(w, h))
    # The table's own frame: the blob's box is the ruled box, not a character that holds it.
    tol_x, tol_y = max(3.0, 0.05 * (x1 - x0)), max(3.0, 0.05 * (y1 - y0))
    frame = (
        (np.abs(x - x0) <= tol_x)
        & (np.abs(x + w - x1) <= tol_x)
        & (np.abs(y - y0) <= tol_y)
        & (np.abs(y + h - y1) <= tol_y)
    )
    mid_x, mid_y = x + w / 2, y + h / 2
    centred = (x0 <= mid_x) & (mid_x <= x1) & (y0 <= mid_y) & (mid_y <= y1)
    boxes: np.ndarray = np.column_stack([x, y, w, h])[blob & ~frame & centred]
    return boxes


def glyphs_in(mask: np.ndarray, grid: TableGrid) -> list[Glyph]:
    """The blobs of :func:`glyph_boxes`, one :class:`Glyph` each."""
    return [Glyph(int(x), int(y), int(w), int(h)) for x, y, w, h in glyph_boxes(mask, grid).tolist()]


def _cut(starts: np.ndarray, sizes: np.ndarray, lines: list[int]) -> np.ndarray:
    """Per blob, whether one of ``lines`` runs through its middle (15–85% of its size)."""
    at = np.asarray(lines, dtype=np.float64)[None, :]
    inside = ((starts + 0.15 * sizes)[:, None] < at) & (at < (starts + 0.85 * sizes)[:, None])
    return np.asarray(inside.any(axis=1))


def is_glyph_grid(mask: np.ndarray, grid: TableGrid) -> bool:
    """True when the grid's rows are shorter than the characters in it and its lines cut them."""
    glyphs = glyph_boxes(mask, grid)
    if not len(glyphs) or grid.n_rows < 1:
        return False
    x, y, w, h = glyphs.T
    text_h = float(np.median(h))
    rows = np.diff(np.asarray(grid.grid.row_lines, dtype=np.float64))
    if float(np.median(rows)) >= ROW_TO_TEXT * text_h:
        return False
    # An inner line of the grid runs through the middle of a blob (Glyph.cut_by, for all at once).
    cut = _cut(y, h, grid.grid.row_lines[1:-1]) | _cut(x, w, grid.grid.col_lines[1:-1])
    return int(cut.sum()) >= CUT_SHARE * len(glyphs)
