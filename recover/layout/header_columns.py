"""Slots kept apart where the scan lost the rule between them: merges stay rectangles, and
the columns the header prints stay columns in the body."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from recover.model import Grid

SeparatedByText = Callable[[bool, int, int, int, int, int], bool]
"""(vertical, pos, lo, hi, before, after) → a test of the text beside one boundary."""


def keep_header_columns(side: np.ndarray, flush: SeparatedByText, grid: Grid, inset: int) -> None:
    """Keep slots (r, c) and (r, c + 1) apart (in place) where the column line between them
    parts the slots of a row above (the header's own cell boundary carries it down) and
    an amount in (r, c) is set right against that line with nothing in (r, c + 1).

    ``side[r, c]`` is True where the two slots are apart; ``flush`` tests the text beside a
    boundary (:meth:`recover.layout.text_ink.BoundaryTextInk.flush_against`), each slot
    ``inset`` clear of the rules across. A table's columns are the ones
    its header prints: an amount flush against a line the header draws, beside an empty
    slot, is bounded by that line even where the scan lost its ink there (an empty column
    beside an amount column would otherwise swallow the amounts into 1 × 2 cells). A label
    centred in a cell merged across the line (合计 over 编码 and 名称) is not flush with it.
    """
    if side.size == 0:
        return
    rows, cols = grid.row_lines, grid.col_lines
    above = np.logical_or.accumulate(side, axis=0)
    for r, c in zip(*np.nonzero(~side), strict=True):
        if r > 0 and above[r - 1, c]:
            lo, hi = rows[r] + inset, rows[r + 1] - inset
            side[r, c] = flush(True, cols[c + 1], lo, hi, cols[c], cols[c + 2])


def keep_rectangular(across: np.ndarray, down: np.ndarray, ruled_down: np.ndarray) -> None:
    """Keep two slots side by side apart (in place) when joining them would swallow a rule.

    A merged cell is a rectangle with no rule inside. Where the slot on one side joins the
    slot below it and the slot on the other side is ruled off from its own, joining the two
    sides would make a block that a printed rule runs through: the rule between them was
    lost to the scan (the merged 市州 cell beside its rows of 县市区), not absent.
    """
    for r, c in zip(*np.nonzero(~across), strict=True):
        for b in (r - 1, r):
            if 0 <= b < down.shape[0] and down[b, c] != down[b, c + 1] and ruled_down[b, c : c + 2].any():
                across[r, c] = True
                break
