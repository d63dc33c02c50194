"""Whether layout detection's regions can change a page's tables (pure steps).

The regions decide three things (``layout.region_tables``, ``layout.stubs``): a ruled grid in
a figure region whose cells hold almost no text is set aside; a grid covering under half of a
table region is a stub of a larger table; a table region no ruled grid accounts for is searched
for a table drawn by its text's alignment. The model costs about as much as the rules and grids
together (BENCHMARKS.md, "Session 8: CPU per scanned page"), so it runs only where the page's
own evidence leaves one of those open:

- a page without a ruled grid: a table region is what bounds the alignment search there;
- a grid whose cells hold almost no text: a figure region would set it aside;
- outside the ruled grids, text that lines up like table rows — ``MIN_ROWS`` consecutive lines
  each spread over two or more columns. Rows lost from a grid (its ruling too faint to
  survive) and a second table printed without rules both look like that, and both are what
  a table region reaching past the grids, or lying beside them, would hold. A title, the
  unit and 编制单位 lines, notes and a page number are lines of one or two pieces, rarely three
  such lines in a row.
"""

from __future__ import annotations

from itertools import pairwise

import cv2
import numpy as np

from recover.layout.aligned import GUTTER, MIN_ROWS, WORD_GAP, rows_of
from recover.layout.reconstruct import TableGrid
from recover.layout.region_tables import holds_table_text
from recover.model import BBox
from recover.prepare.text_blobs import remove_long_lines

MIN_CHAR_PX = 10  # characters at least this tall stay legible as blobs at half resolution
ROW_GAP = 2.0  # lines this many character heights apart or less follow each other (one block)


def _outside_words(mask: np.ndarray, grids: list[TableGrid], char_h: int) -> list[BBox]:
    """Word boxes of the ink outside every grid (the grids' boxes blanked, rules removed),
    found at half resolution when the text is large enough: only lines and gutters count here."""
    outside = mask.copy()
    for grid in grids:
        x0, y0, x1, y1 = grid.bbox
        outside[y0 : y1 + 1, x0 : x1 + 1] = 0
    shrink = 2 if char_h >= 2 * MIN_CHAR_PX else 1
    if shrink > 1:
        outside = cv2.resize(outside, None, fx=1 / shrink, fy=1 / shrink, interpolation=cv2.INTER_AREA)
    small_h = char_h / shrink
    text = remove_long_lines(outside, round(3 * small_h))
    gap = max(2, round(WORD_GAP * small_h))
    joined = cv2.dilate(text, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    words = []
    for x, y, w, h, _area in stats[1:n]:
        if 0.4 * small_h <= h <= 3 * small_h:
            words.append((int(x) * shrink, int(y) * shrink, int(x + w) * shrink, int(y + h) * shrink))
    return words


def _spread(row: list[BBox], char_h: int) -> bool:
    """Whether a line of words fills two or more columns: a gutter-wide gap between two words."""
    return any(b[0] - a[2] >= GUTTER * char_h for a, b in pairwise(row))


def table_like_lines(mask: np.ndarray, grids: list[TableGrid], char_h: int) -> int:
    """The most consecutive lines outside the grids that each fill two or more columns."""
    best = run = 0
    bottom: int | None = None
    for row in rows_of(_outside_words(mask, grids, char_h)):
        top = min(b[1] for b in row)
        follows = bottom is not None and top - bottom <= ROW_GAP * char_h
        run = (run + 1 if follows else 1) if _spread(row, char_h) else 0
        best = max(best, run)
        bottom = max(b[3] for b in row)
    return best


def regions_unneeded(mask: np.ndarray, grids: list[TableGrid], char_h: int) -> str | None:
    """Why layout detection cannot change this page's tables, or None when it can (run it).

    ``grids``: the page's ruled grids (a heavy title's strokes already set aside)."""
    if not grids:
        return None
    if not all(holds_table_text(mask, g, char_h) for g in grids):
        return None
    lines = table_like_lines(mask, grids, char_h)
    if lines >= MIN_ROWS:
        return None
    return (
        f"not computed: {len(grids)} ruled grid(s) hold table text and the text outside them has "
        f"at most {lines} consecutive line(s) spread over columns (a table needs {MIN_ROWS})"
    )
