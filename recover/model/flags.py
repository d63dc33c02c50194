"""Why a cell (or a whole table) is flagged: a kind (what went wrong) and a message (the particulars).

The review queue orders by kind, the decisions know which flags only the cell's own totals
can settle, and findings report by kind; the message is for the reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class FlagKind(StrEnum):
    """What is uncertain or wrong about a cell."""

    SOURCE_INCONSISTENCY = "source inconsistency"  # read clearly, and the filing does not add up
    AMBIGUOUS = "ambiguous"  # a total fails and several readings would fix it
    UNEXPLAINED = "unexplained failure"  # a total fails and no single misreading explains it
    CANNOT_CHECK = "cannot be checked"  # a cell of a total does not read as a number
    NOT_A_NUMBER = "not a number"  # looks like an amount but does not parse
    TEXT_IN_AMOUNTS = "text in amounts"  # words where the column holds amounts
    LOW_CONFIDENCE = "low confidence"  # a low score and no total confirms it
    CODE = "subject code"  # a subject code that cannot be right
    BORDERLESS = "borderless"  # columns inferred from text alignment
    NOT_READ = "not read"  # ink, but no text came out
    # The grid contradicts its own content (raised on the table, and on the cells involved):
    TWO_VALUES = "two values in one cell"  # two amounts, or an amount over columns the header separates
    EMPTY_COLUMN = "empty column in a header group"  # no header of its own and no figure in any row
    UNLABELLED_ROW = "amounts without a label"  # a body row with amounts and no label at all
    PARTIAL_TABLE = "partial table"  # the grid is much smaller than the ruling printed around it

    @property
    def failing_total(self) -> bool:
        """A flag raised because a total of the cell's own table fails."""
        return self in _TOTALS

    @property
    def structural(self) -> bool:
        """A flag on the table's grid as a whole: its structure contradicts its content."""
        return self in _STRUCTURE


_TOTALS = {FlagKind.SOURCE_INCONSISTENCY, FlagKind.AMBIGUOUS, FlagKind.UNEXPLAINED, FlagKind.CANNOT_CHECK}
_STRUCTURE = {FlagKind.TWO_VALUES, FlagKind.EMPTY_COLUMN, FlagKind.UNLABELLED_ROW}


@dataclass(frozen=True)
class Flag:
    """One reason a cell goes to review."""

    kind: FlagKind
    message: str
    across_tables: bool = False  # raised by a rule between tables (or against the text)
    at: tuple[int, int] | None = None  # a table's flag: the (row, col) slot it points at

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (``at`` only on a table's flags)."""
        d: dict[str, Any] = {"kind": self.kind.value, "message": self.message}
        d["across_tables"] = self.across_tables
        if self.at is not None:
            d["at"] = list(self.at)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Flag:
        """Inverse of :meth:`to_dict`."""
        at = d.get("at")
        slot = None if at is None else (int(at[0]), int(at[1]))
        return cls(FlagKind(d["kind"]), str(d["message"]), bool(d.get("across_tables", False)), slot)
