"""Blank cells the grid merged: no ink in any of their slots, so each slot is a blank amount."""

from __future__ import annotations

from recover.check.constraints import Slot
from recover.model import Cell, CellStatus, Table


def blank_merged_slots(table: Table) -> dict[Slot, Cell]:
    """Every slot of a merged cell without ink (two blank amounts the grid joined because
    no rule was printed between them), mapped to that cell. A blank amount is 0 whether the
    grid kept it alone or joined it to its blank neighbour; a merged cell with any text
    holds fused amounts and is no part of this."""
    return {
        slot: cell
        for cell in table.cells
        if len(cell.slots) > 1 and cell.status is CellStatus.EMPTY and not cell.text.strip()
        for slot in cell.slots
    }
