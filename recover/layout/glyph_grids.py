"""Tell a ruled table from a "grid" drawn by the strokes of large characters.

A cover's title in a heavy font has strokes long enough to pass for rules, and where the
strokes of neighbouring characters line up they enclose "cells" smaller than the characters
they cut. A real table's rows are taller than the text they hold and its lines run between
characters, not through them; such a grid fails both.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from recover.layout.reconstruct import TableGrid

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

    def matches(self, box: tuple[int, int, int, int]) -> bool:
        """The blob's box is ``box`` (the ruled frame), not a character that holds it."""
        tol_x, tol_y = max(3.0, 0.05 * (box[2] - box[0])), max(3.0, 0.05 * (box[3] - box[1]))
        return (
            abs(self.x - box[0]) <= tol_x
            and abs(self.x + self.w - box[2]) <= tol_x
            and abs(self.y - box[1]) <= tol_y
            and abs(self.y + self.h - box[3]) <= tol_y
        )

    def cut_by(self, grid: TableGrid) -> bool:
        """An inner line of the grid runs through the middle of this blob."""
        inner_rows = grid.grid.row_lines[1:-1]
        inner_cols = grid.grid.col_lines[1:-1]
        across = any(self.y + 0.15 * self.h < y < self.y + 0.85 * self.h for y in inner_rows)
        down = any(self.x + 0.15 * self.w < x < self.x + 0.85 * self.w for x in inner_cols)
        return across or down


def glyphs_in(mask: np.ndarray, grid: TableGrid) -> list[Glyph]:
    """Character-like ink blobs centred in the table, measured whole.

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
    count, _, stats, _ = cv2.connectedComponentsWithStats((crop > 0).astype(np.uint8), connectivity=8)
    glyphs = []
    for x, y, w, h, _area in stats[1:count]:
        if w < 2 or h < 2 or max(w, h) > RULE_ASPECT * min(w, h):
            continue
        glyph = Glyph(int(cx0 + x), int(cy0 + y), int(w), int(h))
        if glyph.matches((x0, y0, x1, y1)):
            continue  # the table's own frame
        if x0 <= glyph.x + w / 2 <= x1 and y0 <= glyph.y + h / 2 <= y1:
            glyphs.append(glyph)
    return glyphs


def is_glyph_grid(mask: np.ndarray, grid: TableGrid) -> bool:
    """True when the grid's rows are shorter than the characters in it and its lines cut them."""
    glyphs = glyphs_in(mask, grid)
    if not glyphs or grid.n_rows < 1:
        return False
    text_h = float(np.median([g.h for g in glyphs]))
    rows = np.diff(np.asarray(grid.grid.row_lines, dtype=np.float64))
    if float(np.median(rows)) >= ROW_TO_TEXT * text_h:
        return False
    return sum(g.cut_by(grid) for g in glyphs) >= CUT_SHARE * len(glyphs)
