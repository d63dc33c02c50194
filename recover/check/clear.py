"""What counts as read clearly: the line between a reading the checks take as printed and
one they may suspect of a misread."""

from __future__ import annotations

from recover.model import Cell, CellStatus
from recover.read.amounts import clean_text, parse_amount
from recover.read.reread import Reread

CLEAR_READING = 0.99
"""Recogniser score at or above which a reading is taken as what is printed."""
CONFIDENT = CLEAR_READING
"""Score below which a number that no constraint confirms is flagged for review: real
misreads score far lower (benchmark p50 ≈ 0.4), correct readings above 0.99 (p10)."""


def is_clear(cell: Cell) -> bool:
    """Read as printed: a blank cell, or an amount the recogniser scored at CLEAR_READING."""
    # A blank cell (no ink at all) is a clearly printed nothing: it counts as 0 in totals.
    blank = cell.status is CellStatus.EMPTY and not cell.text
    return blank or (cell.value is not None and cell.confidence >= CLEAR_READING)


def read_clearly(cell: Cell, reread: Reread | None) -> bool:
    """Clear by score, or confirmed by an independent digits-only reading of the crop.

    Used only to tell a filing's own inconsistency from an unexplained failure; repair
    suspects are chosen by score alone.
    """
    if is_clear(cell):
        return True
    if cell.value is None or reread is None:
        return False
    second = reread(cell)
    return second is not None and parse_amount(clean_text(second)) == cell.value
