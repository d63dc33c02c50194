"""Pure grid reconstruction: segments → tables → grid lines → cells with spans.

No pixels here: every step works on :class:`Segment` lists, so recorded segments from
real pages make golden tests that run without images or OCR. All tolerances derive
from the page's character height.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from recover.layout.broken_rules import join_cut_tables, wall_to_wall_pieces
from recover.layout.header_columns import SeparatedByText, keep_header_columns, keep_rectangular
from recover.layout.rule_evidence import CrossedByText, table_rules
from recover.layout.segments import Segment
from recover.model import BBox, Grid, PageGeometry

# A boundary counts as ruled when rules cover at least this share of it: a merged
# cell's boundary has no rule at all (near zero), while even badly broken rules keep
# more than a third of their length.
RULED_SHARE = 0.3
WEAK_SHARE = 0.1
STRONG_LINE = 0.6
# A rule line printed along at least this share of the table can be rescued locally by
# text evidence (see BoundaryTextInk): a header-only split never reaches it.
PRESENT_LINE = 0.3


@dataclass(frozen=True)
class CellSpan:
    """A cell in grid coordinates (inclusive ends) with its pixel box."""

    row: int
    col: int
    row_end: int
    col_end: int
    bbox: BBox


@dataclass(frozen=True)
class TableGrid:
    """One table's rules and reconstructed cells."""

    bbox: BBox
    grid: Grid
    cells: list[CellSpan]

    @property
    def n_rows(self) -> int:
        """Number of grid rows."""
        return len(self.grid.row_lines) - 1

    @property
    def n_cols(self) -> int:
        """Number of grid columns."""
        return len(self.grid.col_lines) - 1


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _touches(a: Segment, b: Segment, tol: int) -> bool:
    if a.horizontal == b.horizontal:
        # Collinear pieces of one broken rule.
        return abs(a.pos - b.pos) <= tol and a.start - tol <= b.end and b.start - tol <= a.end
    h, v = (a, b) if a.horizontal else (b, a)
    return h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol


def _perpendicular_touches(seg: Segment, others: list[Segment], tol: int) -> int:
    return sum(1 for o in others if o.horizontal != seg.horizontal and _touches(seg, o, tol))


def drop_stray_segments(segments: list[Segment], char_h: int) -> list[Segment]:
    """Remove short strokes that are not part of a grid (dashes, underlines in text).

    A short segment survives when perpendicular rules meet it at two points or more, when
    it lies on the line of a surviving rule (a piece of the same broken rule), or when the
    short pieces on its line, each as thick as the rules, add up to a long one (a faint
    rule broken all along, each piece touching one rule at most), or when such pieces run
    together from one rule to another (a short rule broken in two: ``broken_rules``).
    """
    tol = PageGeometry(char_h).snap
    long_len = 4 * char_h
    kept, short = [], []
    for s in segments:
        if s.end - s.start >= long_len or _perpendicular_touches(s, segments, tol) >= 2:
            kept.append(s)
        else:
            short.append(s)
    lines = {(s.horizontal, s.pos) for s in kept}
    # Pieces of a rule are printed as thick as the rules; a character's hairline is thinner.
    rule_t = float(np.median([s.thickness for s in kept if s.end - s.start >= long_len] or [0]))
    pieces = [s for s in short if 2 * s.thickness >= rule_t]

    def on_a_line(s: Segment) -> bool:
        if any(h == s.horizontal and abs(pos - s.pos) <= tol for h, pos in lines):
            return True
        line = [o for o in pieces if o.horizontal == s.horizontal and abs(o.pos - s.pos) <= tol]
        return any(o is s for o in line) and len(line) >= 2 and sum(o.end - o.start for o in line) >= long_len

    broken = wall_to_wall_pieces(pieces, kept, tol, char_h)
    return kept + [s for s in short if on_a_line(s) or any(s is b for b in broken)]


def group_tables(segments: list[Segment], char_h: int) -> list[list[Segment]]:
    """Connected groups of rules that form fully ruled tables, top to bottom."""
    tol = PageGeometry(char_h).snap
    segs = drop_stray_segments(segments, char_h)
    uf = _UnionFind(len(segs))
    for i, a in enumerate(segs):
        for j in range(i + 1, len(segs)):
            if _touches(a, segs[j], tol):
                uf.union(i, j)
    groups: dict[int, list[Segment]] = {}
    for i, s in enumerate(segs):
        groups.setdefault(uf.find(i), []).append(s)
    tables = []
    for group in groups.values():
        n_h = sum(1 for s in group if s.horizontal)
        n_v = len(group) - n_h
        x0, y0, x1, y1 = _extent(group)
        if n_h >= 2 and n_v >= 2 and x1 - x0 >= 3 * char_h and y1 - y0 >= 2 * char_h:
            tables.append(group)
    _absorb_inner_pieces(tables, [g for g in groups.values() if not any(g is t for t in tables)], tol)
    tables.sort(key=lambda g: (_extent(g)[1], _extent(g)[0]))
    return join_cut_tables(tables, tol)


def _absorb_inner_pieces(tables: list[list[Segment]], others: list[list[Segment]], tol: int) -> None:
    """Give each table the loose rule pieces lying inside it.

    A rule whose ends were lost to a broken scan touches nothing, but it still
    separates rows (or columns) of the table it lies in.
    """
    boxes = [_extent(t) for t in tables]
    for group in others:
        gx0, gy0, gx1, gy1 = _extent(group)
        for table, (x0, y0, x1, y1) in zip(tables, boxes, strict=True):
            if x0 - tol <= gx0 and gx1 <= x1 + tol and y0 - tol <= gy0 and gy1 <= y1 + tol:
                table.extend(group)
                break


def _extent(group: list[Segment]) -> BBox:
    xs = [v for s in group for v in ((s.start, s.end) if s.horizontal else (s.pos, s.pos))]
    ys = [v for s in group for v in ((s.pos, s.pos) if s.horizontal else (s.start, s.end))]
    return min(xs), min(ys), max(xs), max(ys)


def _cluster_positions(segs: list[Segment], tol: int, min_slot: int = 0) -> list[int]:
    """Length-weighted centre of each cluster of near-equal positions; of two closer than
    ``min_slot``, the longer."""
    ordered = sorted(segs, key=lambda s: s.pos)
    clusters: list[list[Segment]] = []
    for s in ordered:
        if clusters and s.pos - clusters[-1][-1].pos <= tol:
            clusters[-1].append(s)
        else:
            clusters.append([s])
    centres: list[int] = []
    weights: list[int] = []
    for c in clusters:
        weight = sum(s.end - s.start for s in c)
        centre = round(sum(s.pos * (s.end - s.start) for s in c) / max(1, weight))
        if centres and centre - centres[-1] < min_slot:
            # Too close to hold a line of text between them: one rule and its shadow (or
            # a doubled frame); the better printed of the two is the rule.
            if weight > weights[-1]:
                centres[-1], weights[-1] = centre, weight
            continue
        centres.append(centre)
        weights.append(weight)
    return centres


def grid_lines(group: list[Segment], char_h: int, page: list[Segment] | None = None) -> Grid:
    """Row and column rule positions of one table; open sides closed at the rules' ends
    (``page``: all the page's segments, for a frame line the scan broke off the table)."""
    tol = PageGeometry(char_h).snap
    horiz = [s for s in group if s.horizontal]
    vert = [s for s in group if not s.horizontal]
    min_slot = PageGeometry(char_h).min_slot
    rows = _cluster_positions(horiz, tol, min_slot)
    cols = _cluster_positions(vert, tol, min_slot)
    if not rows or not cols:
        return Grid(row_lines=rows, col_lines=cols)
    others = page if page is not None else group
    frame_rows = _frame_lines([s for s in others if s.horizontal], cols[0], cols[-1])
    frame_cols = _frame_lines([s for s in others if not s.horizontal], rows[0], rows[-1])
    return Grid(
        row_lines=_closed(rows, vert, min_slot, frame_rows, char_h),
        col_lines=_closed(cols, horiz, min_slot, frame_cols, char_h),
    )


def _frame_lines(parallel: list[Segment], lo: int, hi: int) -> list[int]:
    """Positions of the lines among ``parallel`` printed along half of [lo, hi] or more."""
    by_pos: dict[int, int] = {}
    for s in parallel:
        by_pos[s.pos] = by_pos.get(s.pos, 0) + max(0, min(s.end, hi) - max(s.start, lo))
    return [pos for pos, length in by_pos.items() if length >= (hi - lo) / 2]


def _closed(
    lines: list[int], across: list[Segment], min_slot: int, frame: list[int], char_h: int
) -> list[int]:
    """``lines`` with an open side closed where the rules across reach past the outer line.

    Two rules must reach past it: a single one sticking out is a character's stroke joined
    to the frame (the first letter of a caption above the table), not an open row — unless
    it ends within a character of a frame line the scan broke off the table.
    """
    before = sorted(s.start for s in across if lines[0] - s.start >= min_slot)
    after = sorted(s.end for s in across if s.end - lines[-1] >= min_slot)
    closed = list(lines)
    if len(before) >= 2 or (before and any(abs(f - before[0]) <= char_h for f in frame)):
        closed.insert(0, before[1] if len(before) >= 2 else before[0])
    if len(after) >= 2 or (after and any(abs(f - after[-1]) <= char_h for f in frame)):
        closed.append(after[-2] if len(after) >= 2 else after[-1])
    return closed


def _covered_share(segs: list[Segment], pos: int, lo: int, hi: int, tol: int) -> float:
    """Share of [lo, hi] at ``pos`` covered by the given parallel segments."""
    if hi <= lo:
        return 1.0
    pieces = sorted(
        (max(lo, s.start), min(hi, s.end))
        for s in segs
        if abs(s.pos - pos) <= tol and s.end > lo and s.start < hi
    )
    covered, cursor = 0, lo
    for start, end in pieces:
        begin = max(start, cursor)
        if end > begin:
            covered += end - begin
            cursor = end
    return covered / (hi - lo)


def _is_ruled(local: float, whole_line: float) -> bool:
    # A scanned rule can lose most of a short stretch; when the same rule runs clearly
    # through the rest of the table, a little local evidence is enough. A merged cell
    # has no rule pixels at all.
    return local >= RULED_SHARE or (local >= WEAK_SHARE and whole_line >= STRONG_LINE)


def cells_from_grid(
    group: list[Segment],
    grid: Grid,
    char_h: int,
    separated: SeparatedByText | None = None,
    flush: SeparatedByText | None = None,
) -> list[CellSpan]:
    """Merge grid slots not separated by a rule into spanning cells (rectangles).

    ``separated`` (optional) rescues a rule that the scan lost in one stretch: when the
    line runs clearly through the rest of the table and text stands on both sides
    without crossing, the slots stay apart. ``flush`` (optional) finds an amount set against
    a column line with nothing beyond it (see :func:`keep_header_columns`).
    """
    tol = PageGeometry(char_h).snap
    rows, cols = grid.row_lines, grid.col_lines
    n_rows, n_cols = len(rows) - 1, len(cols) - 1
    horiz = [s for s in group if s.horizontal]
    vert = [s for s in group if not s.horizontal]
    # Keep clear of the crossing rules' ink only, so short boundaries keep their length.
    inset = max(1, int(np.median([s.thickness for s in group])))
    col_share = [_covered_share(vert, x, rows[0], rows[-1], tol) for x in cols]
    row_share = [_covered_share(horiz, y, cols[0], cols[-1], tol) for y in rows]

    def covered(vertical: bool, k: int, j: int) -> bool:
        """Whether the boundary on line k (a column line when vertical), in slot j across, is ruled."""
        segs, lines, across, share = (
            (vert, cols, rows, col_share) if vertical else (horiz, rows, cols, row_share)
        )
        lo, hi = across[j] + inset, across[j + 1] - inset
        return _is_ruled(_covered_share(segs, lines[k], lo, hi, tol), share[k])

    def apart(vertical: bool, k: int, j: int) -> bool:
        if covered(vertical, k, j):
            return True
        lines, across, share = (cols, rows, col_share) if vertical else (rows, cols, row_share)
        return (
            separated is not None
            and (vertical or share[k] >= PRESENT_LINE)
            and separated(
                vertical, lines[k], across[j] + inset, across[j + 1] - inset, lines[k - 1], lines[k + 1]
            )
        )

    # side[r, c]: slots (r, c) and (r, c + 1) apart; down[r, c]: slots (r, c) and (r + 1, c).
    side, down = _boundaries(apart, n_rows, n_cols)
    ruled_side, ruled_down = _boundaries(covered, n_rows, n_cols)
    if flush is not None:
        keep_header_columns(side, flush, grid, inset)
    keep_rectangular(side, down, ruled_down)
    keep_rectangular(down.T, side.T, ruled_side.T)
    uf = _UnionFind(n_rows * n_cols)
    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not side[r, c]:
                uf.union(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and not down[r, c]:
                uf.union(r * n_cols + c, (r + 1) * n_cols + c)
    return _rectangles(uf, grid, n_rows, n_cols)


def _boundaries(
    test: Callable[[bool, int, int], bool], n_rows: int, n_cols: int
) -> tuple[np.ndarray, np.ndarray]:
    """``test`` over the slots' boundaries: side[r, c] between (r, c) and (r, c + 1), down[r, c]
    between (r, c) and (r + 1, c)."""
    side = [[test(True, c + 1, r) for c in range(n_cols - 1)] for r in range(n_rows)]
    down = [[test(False, r + 1, c) for c in range(n_cols)] for r in range(n_rows - 1)]
    return (
        np.array(side, dtype=bool).reshape(n_rows, n_cols - 1),
        np.array(down, dtype=bool).reshape(n_rows - 1, n_cols),
    )


def _rectangles(uf: _UnionFind, grid: Grid, n_rows: int, n_cols: int) -> list[CellSpan]:
    """Bounding rectangles of slot groups, merging groups whose rectangles overlap."""
    while True:
        boxes: dict[int, list[int]] = {}
        for r in range(n_rows):
            for c in range(n_cols):
                root = uf.find(r * n_cols + c)
                b = boxes.setdefault(root, [r, c, r, c])
                b[0], b[1], b[2], b[3] = min(b[0], r), min(b[1], c), max(b[2], r), max(b[3], c)
        merged = False
        for root, (r0, c0, r1, c1) in boxes.items():
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    other = uf.find(r * n_cols + c)
                    if other != uf.find(root):
                        uf.union(root, other)
                        merged = True
        if not merged:
            break
    rows, cols = grid.row_lines, grid.col_lines
    cells = [
        CellSpan(r0, c0, r1, c1, (cols[c0], rows[r0], cols[c1 + 1], rows[r1 + 1]))
        for r0, c0, r1, c1 in boxes.values()
    ]
    cells.sort(key=lambda s: (s.row, s.col))
    return cells


def reconstruct_tables(
    segments: list[Segment],
    char_h: int,
    separated: SeparatedByText | None = None,
    crossed: CrossedByText | None = None,
    flush: SeparatedByText | None = None,
) -> list[TableGrid]:
    """All fully ruled tables found among a page's segments, top to bottom; with ``crossed``,
    segments that text runs through are not rules (see :mod:`recover.layout.rule_evidence`)."""
    tables = []
    for found in group_tables(segments, char_h):
        group = table_rules(found, char_h, crossed)
        if not group:
            continue
        grid = grid_lines(group, char_h, segments)
        if len(grid.row_lines) < 3 or len(grid.col_lines) < 3:
            continue  # what is left of a caption's strokes once they are set aside: no table
        cells = cells_from_grid(group, grid, char_h, separated, flush)
        x0, y0 = grid.col_lines[0], grid.row_lines[0]
        x1, y1 = grid.col_lines[-1], grid.row_lines[-1]
        tables.append(TableGrid((x0, y0, x1, y1), grid, cells))
    return tables
