"""A table much smaller than the ruling around it: rows were lost, not absent (pure steps).

A faint scan can keep the rules of a table's first rows and lose the rest, so the grid that
comes out is a stub of the printed table. The page still shows it: rules as wide as the
table go on above or below the grid at the spacing of its rows, or layout detection's table
region reaches far past it. Such a table is reported, never exported as if it were whole.
"""

from __future__ import annotations

import numpy as np

from recover.layout.reconstruct import TableGrid
from recover.layout.segments import Segment
from recover.model import CellStatus, Flag, FlagKind, PageGeometry, Region, RegionKind, Table

WIDE_RULE = 0.5  # a rule of the same table spans this share of the grid's width
ROW_STEPS = 3.0  # rules of one table follow each other within this many row heights
STUB_SHARE = 0.5  # a grid covering less than this share of its ruling (or region) is a stub
PARTIAL_CONFIDENCE = 0.8  # below the low-confidence line: every reading of a partial table is reviewed


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def ruled_extent(grid: TableGrid, segments: list[Segment], char_h: int) -> tuple[int, int]:
    """Top and bottom of the ruling that continues the grid: rules as wide as it, one after
    another above and below it at most ``ROW_STEPS`` rows apart."""
    x0, y0, x1, y1 = grid.bbox
    rows = np.diff(np.asarray(grid.grid.row_lines, dtype=np.float64))
    step = ROW_STEPS * max(float(np.median(rows)) if rows.size else 0.0, 2.0 * char_h)
    snap = PageGeometry(char_h).snap
    wide = _wide_rules([s for s in segments if s.horizontal], x0, x1, snap)
    top, bottom = y0, y1
    for pos in reversed([p for p in wide if p < y0 - snap]):
        if top - pos > step:
            break
        top = pos
    for pos in [p for p in wide if p > y1 + snap]:
        if pos - bottom > step:
            break
        bottom = pos
    return top, bottom


def _wide_rules(horizontal: list[Segment], x0: int, x1: int, snap: int) -> list[int]:
    """Positions of the rule lines (collinear pieces together) spanning WIDE_RULE of x0..x1."""
    lines: list[list[Segment]] = []
    for s in sorted(horizontal, key=lambda s: s.pos):
        if lines and s.pos - lines[-1][-1].pos <= snap:
            lines[-1].append(s)
        else:
            lines.append([s])
    wide = []
    for line in lines:
        covered = np.zeros(max(1, x1 - x0), dtype=bool)
        for s in line:
            covered[max(0, s.start - x0) : max(0, min(x1, s.end) - x0)] = True
        if covered.mean() >= WIDE_RULE:
            wide.append(round(float(np.median([s.pos for s in line]))))
    return wide


def stub_reason(grid: TableGrid, segments: list[Segment], regions: list[Region], char_h: int) -> str | None:
    """Why ``grid`` is a stub of a larger printed table, or None when it is not."""
    x0, y0, x1, y1 = grid.bbox
    height = max(1, y1 - y0)
    top, bottom = ruled_extent(grid, segments, char_h)
    if height < STUB_SHARE * (bottom - top):
        return (
            f"the table at {list(grid.bbox)} is {height} px tall but its ruling runs from y={top} "
            f"to y={bottom}: rows of it were not recovered"
        )
    for region in regions:
        if region.kind is not RegionKind.TABLE:
            continue
        rx0, ry0, rx1, ry1 = region.bbox
        inside = _overlap(x0, x1, rx0, rx1) * _overlap(y0, y1, ry0, ry1)
        area = max(1, (rx1 - rx0) * (ry1 - ry0))
        if inside >= STUB_SHARE * (x1 - x0) * height and inside < STUB_SHARE * area:
            return (
                f"the table at {list(grid.bbox)} covers {inside / area:.0%} of the table region "
                f"at {list(region.bbox)}: rows or columns of it were not recovered"
            )
    return None


def stub_notes(
    grids: list[TableGrid], segments: list[Segment], regions: list[Region], char_h: int
) -> dict[int, str]:
    """Index → reason of every grid that is a stub."""
    found = {}
    for i, grid in enumerate(grids):
        reason = stub_reason(grid, segments, regions, char_h)
        if reason is not None:
            found[i] = reason
    return found


def mark_partial(table: Table, reason: str) -> None:
    """A table smaller than its printed ruling lost rows: every reading of it goes to review."""
    for cell in table.cells:
        if cell.text:
            cell.confidence = min(cell.confidence, PARTIAL_CONFIDENCE)
            cell.status = CellStatus.LOW_CONFIDENCE
        cell.flags.append(Flag(FlagKind.PARTIAL_TABLE, reason))
