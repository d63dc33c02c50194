"""Rules a scan broke (pure steps on segments): the pieces of one rule, and one table cut in two.

A worn scan breaks a short rule (a column line printed over two rows only) into pieces
each too short to pass for a rule, and it can break every column rule of a table at the
same height, so that the rules above and below that height no longer touch and the table
falls apart in two. Both are told by what a printed rule does: it runs from one rule to
another (wall to wall), and the columns of one table stand at the same places.
"""

from __future__ import annotations

from recover.layout.segments import Segment

CHAIN_GAP = 2  # pieces of one broken rule lie at most this many character heights apart
CHAIN_COVER = 0.5  # and print at least this share of the length from the first to the last
SHARED_COLUMNS = 2  # two stacked pieces of one table share at least this many column rules
SHARED_WIDTH = 0.8  # and overlap over this share of the narrower one's width


def _end_on_rule(s: Segment, end: int, others: list[Segment], tol: int) -> bool:
    """Whether a perpendicular segment meets ``s`` at ``end`` (its start or its end)."""
    return any(
        o.horizontal != s.horizontal and abs(o.pos - end) <= tol and o.start - tol <= s.pos <= o.end + tol
        for o in others
    )


def _chains(line: list[Segment], char_h: int) -> list[list[Segment]]:
    """Collinear pieces, in order, split where the gap between two is wider than a break."""
    chains: list[list[Segment]] = []
    for s in sorted(line, key=lambda s: s.start):
        if chains and s.start - chains[-1][-1].end <= CHAIN_GAP * char_h:
            chains[-1].append(s)
        else:
            chains.append([s])
    return chains


def wall_to_wall_pieces(
    pieces: list[Segment], segments: list[Segment], tol: int, char_h: int
) -> list[Segment]:
    """The pieces (short, as thick as the rules) that together are one broken rule: collinear,
    a break apart at most, printing most of their run, and meeting a perpendicular rule at
    both ends of it — a rule runs from wall to wall, a row of character strokes does not."""
    lines: list[list[Segment]] = []
    for s in sorted(pieces, key=lambda s: (s.horizontal, s.pos)):
        last = lines[-1][-1] if lines else None
        if last is not None and last.horizontal == s.horizontal and s.pos - last.pos <= tol:
            lines[-1].append(s)
        else:
            lines.append([s])
    found: list[Segment] = []
    for line in lines:
        for chain in _chains(line, char_h):
            first, last = chain[0], chain[-1]
            run = max(1, last.end - first.start)
            printed = sum(s.end - s.start for s in chain)
            if len(chain) < 2 or printed < CHAIN_COVER * run:
                continue
            walls = (
                _end_on_rule(first, first.start, segments, tol),
                _end_on_rule(last, last.end, segments, tol),
            )
            if all(walls):
                found.extend(chain)
    return found


def _box(group: list[Segment]) -> tuple[int, int, int, int]:
    xs = [v for s in group for v in ((s.start, s.end) if s.horizontal else (s.pos, s.pos))]
    ys = [v for s in group for v in ((s.pos, s.pos) if s.horizontal else (s.start, s.end))]
    return min(xs), min(ys), max(xs), max(ys)


def _columns(group: list[Segment]) -> list[int]:
    return sorted({s.pos for s in group if not s.horizontal})


def _one_table(upper: list[Segment], lower: list[Segment], tol: int) -> bool:
    """Two groups of rules that are one table the scan cut in two: their boxes meet or
    overlap in height (two printed tables leave a gap, a title at least, between them),
    they overlap in width, and column rules of both stand at the same places."""
    ux0, _, ux1, uy1 = _box(upper)
    lx0, ly0, lx1, _ = _box(lower)
    if ly0 > uy1 + tol:
        return False
    overlap = min(ux1, lx1) - max(ux0, lx0)
    if overlap < SHARED_WIDTH * min(ux1 - ux0, lx1 - lx0):
        return False
    below = _columns(lower)
    shared = sum(1 for x in _columns(upper) if any(abs(x - y) <= tol for y in below))
    return shared >= SHARED_COLUMNS


def join_cut_tables(tables: list[list[Segment]], tol: int) -> list[list[Segment]]:
    """The groups of rules (top to bottom) with each table the scan cut in two joined again."""
    joined: list[list[Segment]] = []
    for group in tables:
        if joined and _one_table(joined[-1], group, tol):
            joined[-1] = joined[-1] + group
        else:
            joined.append(group)
    return joined
