"""Tables without vertical rules: columns found from how the text lines up.

Pure steps, like the ruled path: ink → words → rows → column gutters → grid → cells.
A *partially ruled* table (horizontal rules only, as scientific and many statistical
tables print them) is bounded by its long horizontal rules; a *borderless* one is the
block of aligned text itself (best effort: its cells are marked lower-confidence by the
read stage). A block counts as a table only when at least three rows share at least
one gutter and most of them fill two or more columns: a paragraph has no gutters.
"""

from __future__ import annotations

import cv2
import numpy as np

from recover.layout.reconstruct import CellSpan, TableGrid
from recover.layout.segments import Segment
from recover.model import BBox, Grid
from recover.prepare.text_blobs import remove_long_lines

WORD_GAP = 0.6  # gaps narrower than this many character heights join a word
GUTTER = 0.8  # a column gutter is at least this many character heights wide
GUTTER_CROSSINGS = 0.1  # share of rows whose text may cross a gutter (spanning headers)
MIN_ROWS = 3
MULTI_COLUMN_ROWS = 0.3  # share of rows that must fill two or more columns
LONG_RULE = 0.5  # a bounding rule is at least this share of the longest rule's length


def word_boxes(mask: np.ndarray, char_h: int) -> list[BBox]:
    """Boxes of words and numbers: glyphs joined across gaps narrower than WORD_GAP."""
    text = remove_long_lines(mask, 3 * char_h)
    gap = max(2, round(WORD_GAP * char_h))
    joined = cv2.dilate(text, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if 0.4 * char_h <= h <= 3 * char_h:
            # The dilation widened the word by half a gap on each side.
            boxes.append((x + gap // 2, y, x + w - gap // 2, y + h))
    return boxes


def rows_of(words: list[BBox]) -> list[list[BBox]]:
    """Words grouped into text rows: a word joins the row its vertical centre falls in."""
    rows: list[list[BBox]] = []
    bands: list[tuple[int, int]] = []
    for box in sorted(words, key=lambda b: (b[1] + b[3]) / 2):
        cy = (box[1] + box[3]) / 2
        if bands and bands[-1][0] <= cy <= bands[-1][1]:
            rows[-1].append(box)
            top, bottom = bands[-1]
            bands[-1] = (min(top, box[1]), max(bottom, box[3]))
        else:
            rows.append([box])
            bands.append((box[1], box[3]))
    return [sorted(r) for r in rows]


def column_bounds(rows: list[list[BBox]], x0: int, x1: int, char_h: int) -> list[int]:
    """Column lines: the outer edges and the middle of every gutter wide enough."""
    width = x1 - x0
    coverage = np.zeros(width + 1, dtype=np.int32)
    for row in rows:
        covered = np.zeros(width + 1, dtype=bool)
        for bx0, _, bx1, _ in row:
            covered[max(0, bx0 - x0) : max(0, min(width, bx1 - x0)) + 1] = True
        coverage += covered
    allowed = int(GUTTER_CROSSINGS * len(rows))
    free = coverage <= allowed
    lines = [x0]
    start = None
    for x in range(width + 1):
        if free[x] and start is None:
            start = x
        elif not free[x] and start is not None:
            if start > 0 and x - start >= GUTTER * char_h:
                lines.append(x0 + (start + x) // 2)
            start = None
    lines.append(x1)
    return lines


def _bounding_rules(segments: list[Segment]) -> tuple[int, int, int, int] | None:
    """Top and bottom rule and their common extent, when the page has two or more long ones."""
    horizontal = [s for s in segments if s.horizontal]
    if len(horizontal) < 2:
        return None
    longest = max(s.end - s.start for s in horizontal)
    long_ones = [s for s in horizontal if s.end - s.start >= LONG_RULE * longest]
    if len(long_ones) < 2:
        return None
    top = min(long_ones, key=lambda s: s.pos)
    bottom = max(long_ones, key=lambda s: s.pos)
    if bottom.pos - top.pos <= 0:
        return None
    return (min(top.start, bottom.start), top.pos, max(top.end, bottom.end), bottom.pos)


def aligned_tables(
    mask: np.ndarray, segments: list[Segment], char_h: int, area: BBox | None = None
) -> list[tuple[TableGrid, str]]:
    """The page's table found from text alignment, with its layout ("partially ruled" or
    "borderless"); empty when the text does not form columns. With ``area`` (a table region
    from layout detection) only the words and rules inside it count, not the whole page."""
    words = word_boxes(mask, char_h)
    if area is not None:
        words = [w for w in words if _centre_in(w, area)]
        segments = [s for s in segments if _centre_in(_segment_box(s), area)]
    rules = _bounding_rules(segments)
    layout = "borderless"
    if rules is not None:
        rx0, ry0, rx1, ry1 = rules
        inside = [w for w in words if ry0 < (w[1] + w[3]) / 2 < ry1 and rx0 <= w[0] and w[2] <= rx1]
        if inside:
            words, layout = inside, "partially ruled"
    rows = rows_of(words)
    if len(rows) < MIN_ROWS:
        return []
    x0 = min(b[0] for r in rows for b in r)
    x1 = max(b[2] for r in rows for b in r)
    if rules is not None and layout == "partially ruled":
        x0, x1 = min(x0, rules[0]), max(x1, rules[2])
    cols = column_bounds(rows, x0, x1, char_h)
    if len(cols) < 3:
        return []
    multi = sum(1 for r in rows if len({_column_of(b, cols) for b in r}) >= 2)
    if multi < MULTI_COLUMN_ROWS * len(rows):
        return []
    row_lines = _row_lines(rows, char_h, rules if layout == "partially ruled" else None)
    height = mask.shape[0]
    row_lines = [min(max(0, y), height - 1) for y in row_lines]
    grid = Grid(row_lines, cols)
    cells = _cells(rows, grid)
    bbox = (cols[0], row_lines[0], cols[-1], row_lines[-1])
    return [(TableGrid(bbox, grid, cells), layout)]


def _centre_in(box: BBox, area: BBox) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return area[0] <= cx <= area[2] and area[1] <= cy <= area[3]


def _segment_box(s: Segment) -> BBox:
    return (s.start, s.pos, s.end, s.pos) if s.horizontal else (s.pos, s.start, s.pos, s.end)


def _column_of(box: BBox, cols: list[int]) -> int:
    cx = (box[0] + box[2]) / 2
    return max(0, int(np.searchsorted(cols, cx)) - 1)


def _row_lines(rows: list[list[BBox]], char_h: int, rules: tuple[int, int, int, int] | None) -> list[int]:
    tops = [min(b[1] for b in r) for r in rows]
    bottoms = [max(b[3] for b in r) for r in rows]
    pad = max(2, char_h // 3)
    lines = [rules[1] if rules is not None else tops[0] - pad]
    lines += [(bottoms[i] + tops[i + 1]) // 2 for i in range(len(rows) - 1)]
    lines.append(rules[3] if rules is not None else bottoms[-1] + pad)
    return lines


def _cells(rows: list[list[BBox]], grid: Grid) -> list[CellSpan]:
    """One cell per (row, column); a word crossing column lines makes its cell span them."""
    cols = grid.col_lines
    cells = []
    for r, row in enumerate(rows):
        spans: list[tuple[int, int]] = []
        for bx0, _, bx1, _ in row:
            # Clamped to the columns: a word can start on or past the last column line.
            first = min(len(cols) - 2, max(0, int(np.searchsorted(cols, bx0, side="right")) - 1))
            last = min(len(cols) - 2, int(np.searchsorted(cols, bx1, side="left")) - 1)
            spans.append((first, max(first, last)))
        merged: list[list[int]] = []
        for first, last in sorted(spans):
            if merged and first <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        covered = {c for first, last in merged for c in range(first, last + 1)}
        pieces = [(f, l) for f, l in merged] + [(c, c) for c in range(len(cols) - 1) if c not in covered]
        y0, y1 = grid.row_lines[r], grid.row_lines[r + 1]
        for first, last in sorted(pieces):
            cells.append(CellSpan(r, first, r, last, (cols[first], y0, cols[last + 1], y1)))
    return cells
