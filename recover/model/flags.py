"""Why a cell is flagged: a kind (what went wrong) and a message (the particulars).

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
    PARTIAL_TABLE = "partial table"  # the grid is much smaller than the ruling printed around it

    @property
    def failing_total(self) -> bool:
        """A flag raised because a total of the cell's own table fails."""
        return self in _TOTALS


_TOTALS = {FlagKind.SOURCE_INCONSISTENCY, FlagKind.AMBIGUOUS, FlagKind.UNEXPLAINED, FlagKind.CANNOT_CHECK}


@dataclass(frozen=True)
class Flag:
    """One reason a cell goes to review."""

    kind: FlagKind
    message: str
    across_tables: bool = False  # raised by a rule between tables (or against the text)

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"kind": self.kind.value, "message": self.message, "across_tables": self.across_tables}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Flag:
        """Inverse of :meth:`to_dict`."""
        return cls(FlagKind(d["kind"]), str(d["message"]), bool(d.get("across_tables", False)))
