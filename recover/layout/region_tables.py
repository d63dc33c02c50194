"""What layout detection's regions decide about tables (pure steps).

The model sees the page at well under its printed resolution, so a region is a hint of
where a block lies, not its exact edge: boxes are padded by a character height before
they bound anything, and a grid is judged by how much of it lies inside a region.
"""

from __future__ import annotations

from recover.model import BBox, Region, RegionKind

FIGURE_SHARE = 0.6  # a grid this much inside a figure (and not inside a table region) is the figure's
TABLE_SHARE = 0.5  # a grid and a table region sharing this much of the smaller are one table


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
