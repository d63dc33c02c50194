"""A table's cells after its check: each amount-like cell repaired, flagged or ok.

A failing rule flags all its cells; one that a rule which holds proves is cleared of that flag,
since the break lies in the rule's other cells. Text where a column holds amounts is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from recover.check.clear import CONFIDENT
from recover.check.confusion import looks_like_amount
from recover.check.constraints import Slot
from recover.model import Cell, CellStatus, Flag, FlagKind, Repair
from recover.read.amounts import PLACEHOLDERS

if TYPE_CHECKING:
    from recover.check.discover import TableNumbers


@dataclass(frozen=True)
class CheckOutcome:
    """What a table's check decided: repairs, final values, flags, the cells rules confirm."""

    repaired: dict[Slot, Repair]
    values: dict[Slot, Decimal | None]
    flagged: dict[Slot, Flag]
    confirmed: set[Slot]


# The flags a failing rule gives all its cells; one that a rule which holds proves is cleared
# of them: the break lies in the rule's other cells.
_BREAKS = frozenset({FlagKind.UNEXPLAINED, FlagKind.AMBIGUOUS, FlagKind.CANNOT_CHECK})


def apply_statuses(
    cells: dict[Slot, Cell], numbers: TableNumbers, work: CheckOutcome, code_columns: list[int]
) -> None:
    """Every amount-like cell's final status after a table's check: repaired (with its
    proof), flagged (with the reason), or ok when read clearly or confirmed by a rule."""
    # Every amount-like cell gets a final status, wherever the body was found to start:
    # a number is never left with the recogniser's provisional status.
    body = set(numbers.body_rows)
    code_cols = set(code_columns)
    for slot, cell in cells.items():
        if not cell.text:
            continue
        numeric = cell.value is not None or looks_like_amount(cell.text)
        if slot in work.repaired:
            fix = work.repaired[slot]
            cell.repair = fix
            cell.text, cell.value = fix.text, work.values[slot]
            cell.status = CellStatus.REPAIRED
            continue
        if not numeric:
            placeholder = cell.text.replace(" ", "") in PLACEHOLDERS
            if slot[0] in body and slot[1] in numbers.numeric_cols and not placeholder:
                # Text where the column holds amounts: whatever it is, a person must look.
                cell.status = CellStatus.FLAGGED
                cell.flags.append(Flag(FlagKind.TEXT_IN_AMOUNTS, "text where this column holds amounts"))
            continue
        if slot in work.flagged and not (slot in work.confirmed and work.flagged[slot].kind in _BREAKS):
            cell.status = CellStatus.FLAGGED
            cell.flags.append(work.flagged[slot])
        elif cell.repair is not None and slot[1] in code_cols:
            cell.status = CellStatus.REPAIRED  # a subject code labelling corrected, with its evidence
        elif cell.value is None:
            cell.status = CellStatus.FLAGGED
            cell.flags.append(Flag(FlagKind.NOT_A_NUMBER, "looks like an amount but is not a valid number"))
        elif slot in work.confirmed or cell.confidence >= CONFIDENT:
            cell.status = CellStatus.OK
        else:
            cell.status = CellStatus.FLAGGED
            cell.flags.append(
                Flag(
                    FlagKind.LOW_CONFIDENCE,
                    f"low OCR confidence ({cell.confidence:.2f}) and no total confirms it",
                )
            )
