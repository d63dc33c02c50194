"""What layout detection's regions decide about tables (pure steps).

The model sees the page at well under its printed resolution, so a region is a hint of
where a block lies, not its exact edge: boxes are padded by a character height before
they bound anything, and a grid is judged by how much of it lies inside a region. The
model also calls some ruled tables figures (measured on cn_budget: BENCHMARKS.md), so a
figure region alone never discards a grid: only one whose cells hold almost no text and no
heading row (a chart's gridlines, a drawing's frame) is the figure's.
"""

from __future__ import annotations

import numpy as np

from recover.layout.glyph_grids import glyphs_in
from recover.layout.reconstruct import TableGrid
from recover.model import BBox, Region, RegionKind

FIGURE_SHARE = 0.6  # a grid this much inside a figure (and not inside a table region) may be the figure's
TABLE_SHARE = 0.5  # a grid and a table region sharing this much of the smaller are one table
TEXT_CELLS = 0.2  # a grid with text in fewer of its cells than this share holds no table


def _area(box: BBox) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def shared(a: BBox, b: BBox) -> float:
    """The intersection of two boxes as a share of the smaller one (0 to 1)."""
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return _area((x0, y0, x1, y1)) / max(1, min(_area(a), _area(b))) if x1 > x0 and y1 > y0 else 0.0


def padded(box: BBox, pad: int, width: int, height: int) -> BBox:
    """``box`` widened by ``pad`` on every side, kept on the page."""
    return (max(0, box[0] - pad), max(0, box[1] - pad), min(width, box[2] + pad), min(height, box[3] + pad))


def figure_holding(grid: BBox, regions: list[Region]) -> Region | None:
    """The figure region a ruled "grid" belongs to, unless a table region claims it too."""
    if any(r.kind is RegionKind.TABLE and shared(r.bbox, grid) >= TABLE_SHARE for r in regions):
        return None
    return next((r for r in regions if r.kind is RegionKind.FIGURE and r.overlap(grid) >= FIGURE_SHARE), None)


def _text_cells(mask: np.ndarray, grid: TableGrid, char_h: int) -> list[bool]:
    """For each of the grid's cells, whether a character-sized blob of ink is centred in it."""
    centres = [(g.x + g.w / 2, g.y + g.h / 2) for g in glyphs_in(mask, grid) if g.h <= 2 * char_h]
    return [
        any(c.bbox[0] <= x <= c.bbox[2] and c.bbox[1] <= y <= c.bbox[3] for x, y in centres)
        for c in grid.cells
    ]


def holds_table_text(mask: np.ndarray, grid: TableGrid, char_h: int) -> bool:
    """Whether a ruled grid holds a table's text: text in ``TEXT_CELLS`` of its cells, or a
    heading row (every cell across one of its rows, two or more, holds text).

    A filing prints a form it has nothing to report under with its headings and empty rows
    (空表): few of its cells hold text, but its heading names every column. A chart's
    gridlines hold bars, lines and at most a few labels, never a full row of text.
    """
    if not grid.cells:
        return False
    filled = _text_cells(mask, grid, char_h)
    if sum(filled) >= TEXT_CELLS * len(grid.cells):
        return True
    for row in range(grid.n_rows):
        across = [
            full for cell, full in zip(grid.cells, filled, strict=True) if cell.row <= row <= cell.row_end
        ]
        if len(across) >= 2 and all(across):
            return True
    return False


def open_table_areas(
    regions: list[Region], grids: list[BBox], pad: int, width: int, height: int
) -> list[BBox]:
    """Table regions that no ruled grid accounts for, padded: where the rules are faint or
    missing and the table must come from its text's alignment."""
    areas = []
    for region in regions:
        if region.kind is not RegionKind.TABLE:
            continue
        if any(shared(region.bbox, g) >= TABLE_SHARE for g in grids):
            continue
        areas.append(padded(region.bbox, pad, width, height))
    return sorted(areas, key=lambda b: (b[1], b[0]))
