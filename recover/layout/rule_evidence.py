"""Which ruling segments of one table are its rules (pure steps on segments).

A table's rule is long relative to the cells it bounds and passes between characters, never
through them. Strokes of characters (the tall strokes of a header word stacked over several
lines), the arcs and star of a seal left over the table, and stray specks of a shadow pass
the ink filter of :mod:`recover.layout.segments`, but they either cross text or float inside
a cell without reaching the rules around it. A line that runs through a fair share of the
table is kept; a shorter one only when it ends on kept rules (a header split ends on the
rules of its header group) or is long against the cells it would bound.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from recover.layout.segments import Segment
from recover.model import PageGeometry

CrossedByText = Callable[[bool, int, int, int, int], int]
"""(vertical, pos, start, end, thickness) → pixels of the run [start, end] that text crosses."""

RULE_LINE = 0.3  # a line printed along this share of the table is a rule by its length alone
LONG_SEGMENT = 0.5  # a segment this share of the table's extent is a rule even where text crosses it
CROSSED_SHARE = 0.25  # a stroke is crossed along most of it; a rule under a seal's arc, in one place
SPANNED_SLOTS = 2.0  # a line anchored at one end must run along this many slots of the table
SLOT_SPAN = 0.75  # a rule whose ends the scan wore away still spans most of the cell it splits
THICKER = 1.5  # a line this many times as thick as the table's rules is no rule (a seal's arc)
PITCH_SHARE = 0.75  # a row rule splits a row into two of about the row pitch; strokes halve a text line
WORN_SLOT_SHARE = 0.5  # a rule worn at one end still covers most of the last slot it reaches


@dataclass
class _Line:
    """Collinear segments of one candidate rule line."""

    horizontal: bool
    pos: int
    segments: list[Segment]

    @property
    def start(self) -> int:
        return min(s.start for s in self.segments)

    @property
    def end(self) -> int:
        return max(s.end for s in self.segments)

    def covers(self, point: int, tol: int) -> bool:
        """A segment of this line passes ``point`` (along the line)."""
        return any(s.start - tol <= point <= s.end + tol for s in self.segments)


def _lines(segments: list[Segment], tol: int) -> list[_Line]:
    lines: list[_Line] = []
    for horizontal in (True, False):
        ordered = sorted((s for s in segments if s.horizontal == horizontal), key=lambda s: s.pos)
        for s in ordered:
            if lines and lines[-1].horizontal == horizontal and s.pos - lines[-1].segments[-1].pos <= tol:
                lines[-1].segments.append(s)
            else:
                lines.append(_Line(horizontal, s.pos, [s]))
    for line in lines:
        weight = sum(s.end - s.start for s in line.segments)
        line.pos = round(sum(s.pos * (s.end - s.start) for s in line.segments) / max(1, weight))
    return lines


def _extent(segments: list[Segment]) -> tuple[int, int, int, int]:
    xs = [v for s in segments for v in ((s.start, s.end) if s.horizontal else (s.pos, s.pos))]
    ys = [v for s in segments for v in ((s.pos, s.pos) if s.horizontal else (s.start, s.end))]
    return min(xs), min(ys), max(xs), max(ys)


def _share(line: _Line, lo: int, hi: int) -> float:
    """Share of [lo, hi] the line's segments cover."""
    covered = np.zeros(max(1, hi - lo), dtype=bool)
    for s in line.segments:
        covered[max(0, s.start - lo) : max(0, min(hi, s.end) - lo)] = True
    return float(covered.mean())


def _not_through_text(segments: list[Segment], char_h: int, crossed: CrossedByText) -> list[Segment]:
    """Segments without text across much of them (a long one is kept: a seal's word over a rule)."""
    x0, y0, x1, y1 = _extent(segments)
    kept = []
    for s in segments:
        extent = (x1 - x0) if s.horizontal else (y1 - y0)
        length = s.end - s.start
        if length >= LONG_SEGMENT * extent:
            kept.append(s)
            continue
        through = crossed(not s.horizontal, s.pos, s.start, s.end, s.thickness)
        if through < max(PageGeometry(char_h).gap, CROSSED_SHARE * length):
            kept.append(s)
    return kept


def _anchored_at(point: int, line: _Line, kept: list[_Line], reach: int, tol: int) -> bool:
    """A kept perpendicular line passes near ``point``, the end of ``line``."""
    return any(
        other.horizontal != line.horizontal
        and abs(other.pos - point) <= reach
        and other.covers(line.pos, tol)
        for other in kept
    )


def _slot(lines: list[_Line], horizontal: bool) -> float:
    """Median distance between neighbouring lines of one direction (a row's or a column's size)."""
    positions = sorted(line.pos for line in lines if line.horizontal == horizontal)
    gaps = np.diff(np.asarray(positions, dtype=np.float64))
    return float(np.median(gaps)) if gaps.size else 0.0


def table_rules(segments: list[Segment], char_h: int, crossed: CrossedByText | None = None) -> list[Segment]:
    """The segments of one table's group that are its rules.

    Kept: every line along ``RULE_LINE`` of the table; then, repeatedly, a shorter line
    with an end on a kept rule (not printed thicker than the rules), or twice
    ``SPANNED_SLOTS`` rows (columns) long. With ``crossed``, segments that text runs
    through go first, and lines that stop where a word runs across their line (but not a
    row line that runs wall to wall between two rows of the table's pitch: a worn rule).
    """
    if crossed is not None:
        segments = _not_through_text(segments, char_h, crossed)
    if not segments:
        return []
    geometry = PageGeometry(char_h)
    tol, reach = geometry.snap, geometry.gap
    x0, y0, x1, y1 = _extent(segments)
    lines = _lines(segments, tol)
    kept = [line for line in lines if _share(line, *((x0, x1) if line.horizontal else (y0, y1))) >= RULE_LINE]
    pending = [line for line in lines if not any(line is k for k in kept)]
    slots = {True: _slot(lines, False), False: _slot(lines, True)}  # along a horizontal line: columns
    rule_t = float(np.median([seg.thickness for line in kept for seg in line.segments] or [0]))
    if crossed is not None:
        pending = [
            line
            for line in pending
            if not _splits_cell(line, kept, (x0, x1, y0, y1), (reach, tol), rule_t, crossed)
            or _between_rows(line, kept, (x0, x1), rule_t, PageGeometry(char_h, round(rule_t)))
        ]
    changed = True
    while changed and pending:
        changed = False
        for line in list(pending):
            ends = [_anchored_at(end, line, kept, reach, tol) for end in (line.start, line.end)]
            slots_long = (line.end - line.start) / max(1.0, slots[line.horizontal])
            # Requiring both ends, or filled pieces, loses real rules of degraded digital
            # filings (cn_budget: grid exact 100% → 92% on every 8th page): one end is enough,
            # or most of the cell it splits where the scan wore both ends away.
            worn = _like_rules(line, rule_t) and (
                _spans_cell(line, kept, reach) or _carries(line, kept, reach)
            )
            # An end on a kept rule is no evidence for a line printed thicker than the
            # rules: a seal's arc that reaches a column rule.
            anchored = any(ends) and not _thicker_than_rules(line, rule_t)
            if anchored or slots_long >= 2 * SPANNED_SLOTS or worn:
                kept.append(line)
                pending.remove(line)
                changed = True
    return [s for line in kept for s in line.segments]


def _like_rules(line: _Line, rule_t: float) -> bool:
    """The line is printed as thick as the table's rules (a seal's arc is thicker, a
    character's hairline thinner)."""
    thickness = max(seg.thickness for seg in line.segments)
    return rule_t / 2 <= thickness <= THICKER * rule_t


def _thicker_than_rules(line: _Line, rule_t: float) -> bool:
    """Every piece of the line is thicker than the table's rules are printed (a seal's
    arc, a bold stroke); a worn rule's pieces are as thin as the rules, or thinner."""
    return min(seg.thickness for seg in line.segments) > THICKER * rule_t


def _splits_cell(
    line: _Line,
    kept: list[_Line],
    box: tuple[int, int, int, int],
    near: tuple[int, int],
    rule_t: float,
    crossed: CrossedByText,
) -> bool:
    """A line that stops where a word runs across its line would split that word's cell:
    the "rule" is a seal's arc or a character's stroke. A column line: only one printed
    like the table's rules may stop on a kept rule with text beyond it. A row line: the
    text of the cells its ends stop in (to the next kept column rules) must not run
    across it (the strokes of "一、一般…" in a row's middle, lined up over the columns)."""
    reach, tol = near
    if line.horizontal:
        return _splits_text(line, _next_rules(line, kept, (box[0], box[1]), reach, tol), crossed)
    extent = (box[2], box[3])
    bounds = _bounds(line, kept, extent, reach, tol) if _like_rules(line, rule_t) else extent
    return _splits_text(line, bounds, crossed)


def _between_rows(
    line: _Line, kept: list[_Line], edges: tuple[int, int], rule_t: float, geometry: PageGeometry
) -> bool:
    """A row line printed like the rules that runs from one column's wall to another's and
    splits the row it lies in into two of about the table's row pitch is a rule, whatever
    text runs beside it (a header split whose wall the scan wore away next to a merged
    cell's word). A row of character strokes starts and stops a cell's padding inside the
    walls, at mid-height of one text line: it halves its row."""
    if not line.horizontal or not _like_rules(line, rule_t):
        return False
    walls = sorted({*edges, *(k.pos for k in kept if not k.horizontal)})
    if not _wall_to_wall(line, walls, geometry.junction):
        return False
    rows = sorted(k.pos for k in kept if k.horizontal)
    beside = [k.pos for k in kept if k.horizontal and k.start < line.end and k.end > line.start]
    above = [p for p in beside if p < line.pos]
    below = [p for p in beside if p > line.pos]
    if len(rows) < 3 or not above or not below:
        return False
    pitch = float(np.median(np.diff(rows)))
    return min(line.pos - max(above), min(below) - line.pos) >= PITCH_SHARE * pitch


def _wall_to_wall(line: _Line, walls: list[int], junction: int) -> bool:
    """Both ends on a column wall; or one on a wall and the other worn away inside the last
    slot the line reaches, most of which it still covers, past at least one wall between (a
    header split over several columns whose last stretch the scan lost). Strokes stop a
    cell's padding off the walls at both ends."""
    on_wall = [min(abs(end - w) for w in walls) <= junction for end in (line.start, line.end)]
    if all(on_wall):
        return True
    if not any(on_wall):
        return False
    inside = [w for w in walls if line.start + junction < w < line.end - junction]
    worn = line.end if on_wall[0] else line.start
    before = [w for w in walls if w < worn]
    after = [w for w in walls if w > worn]
    if not inside or not before or not after:
        return False
    slot_lo, slot_hi = max(before), min(after)
    covered = worn - slot_lo if on_wall[0] else slot_hi - worn
    return covered >= WORN_SLOT_SHARE * (slot_hi - slot_lo)


def _next_rules(
    line: _Line, kept: list[_Line], extent: tuple[int, int], reach: int, tol: int
) -> tuple[int, int]:
    """The kept rules across nearest beyond each end of the line (the table's edges where
    there are none): the cells its ends stop in. An end on a kept rule leaves nothing beyond.
    A rule across counts from its first to its last piece: one broken where this line meets
    it still bounds the cell (the merged cell beyond it is another's)."""
    across = [
        k.pos for k in kept if k.horizontal != line.horizontal and k.start - tol <= line.pos <= k.end + tol
    ]
    lo = [p for p in across if p <= line.start + reach]
    hi = [p for p in across if p >= line.end - reach]
    return (max(lo) if lo else extent[0]), (min(hi) if hi else extent[1])


def _bounds(line: _Line, kept: list[_Line], extent: tuple[int, int], reach: int, tol: int) -> tuple[int, int]:
    """How far along the line text would split it: to the table's edge, or only to the
    kept rule across that an end of it stops on (text beyond that rule is another cell's:
    a merged header over the column split below it)."""
    across = [k.pos for k in kept if k.horizontal != line.horizontal and k.covers(line.pos, tol)]
    lo = [p for p in across if abs(p - line.start) <= reach]
    hi = [p for p in across if abs(p - line.end) <= reach]
    return (min([*lo, line.start]) if lo else extent[0]), (max([*hi, line.end]) if hi else extent[1])


def _spans_cell(line: _Line, kept: list[_Line], reach: int) -> bool:
    """The line runs along ``SLOT_SPAN`` of the cell between the two kept rules across
    that pass through its line on either side of it, and not past them: a rule of that
    cell whose ends the scan wore away, not a stroke, an arc or a speck."""
    mid = (line.start + line.end) // 2
    across = [k.pos for k in kept if k.horizontal != line.horizontal and k.covers(line.pos, -reach)]
    before = [p for p in across if p < mid]
    after = [p for p in across if p > mid]
    if not before or not after:
        return False
    lo, hi = max(before), min(after)
    inside = line.start >= lo - reach and line.end <= hi + reach
    return inside and line.end - line.start >= SLOT_SPAN * (hi - lo)


def _carries(line: _Line, kept: list[_Line], reach: int) -> bool:
    """A kept rule across ends on the line inside its span (a T-junction): the rules of
    the cells below a header split hang from it, though the scan wore its ends away."""
    return any(
        k.horizontal != line.horizontal
        and line.start + reach < k.pos < line.end - reach
        and min(abs(k.start - line.pos), abs(k.end - line.pos)) <= reach
        for k in kept
    )


def _splits_text(line: _Line, bounds: tuple[int, int], crossed: CrossedByText) -> bool:
    """Text runs across the line where it is not printed, within ``bounds`` along it."""
    thickness = max(s.thickness for s in line.segments)
    vertical = not line.horizontal
    before = crossed(vertical, line.pos, bounds[0], line.start, thickness)
    return before + crossed(vertical, line.pos, line.end, bounds[1], thickness) > 0
