"""A grid cell and what is known about its text: provenance, repair, suggestions, review."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from recover.model.flags import Flag

BBox = tuple[int, int, int, int]
"""(x0, y0, x1, y1) in pixels of the prepared (upright, deskewed) page image."""


class CellStatus(StrEnum):
    """How far a cell's value can be trusted.

    An amount ends in one of four trust tiers: ``proven`` (a kept rule that holds covers it),
    ``repaired`` (corrected, with the rules that prove it), ``unproven`` (read clearly, but no
    rule covers it) or the flagged tier (``flagged``, ``low_confidence``); ``reviewed`` when a
    person decided it. ``ok`` is the read stage's "read clearly": after the check stage only
    text cells (labels, headers, subject codes, printed dashes) keep it, never an amount.
    """

    EMPTY = "empty"
    OK = "ok"  # read clearly; after the checks: a text cell (arithmetic proves no text)
    PROVEN = "proven"  # an amount a kept rule that holds covers
    UNPROVEN = "unproven"  # an amount read clearly that no rule covers
    LOW_CONFIDENCE = "low_confidence"
    REPAIRED = "repaired"
    FLAGGED = "flagged"
    REVIEWED = "reviewed"  # a person decided the value in the review queue

    @property
    def flagged_tier(self) -> bool:
        """A status that sends the cell to review (a person must look)."""
        return self in (CellStatus.FLAGGED, CellStatus.LOW_CONFIDENCE)


class TextSource(StrEnum):
    """Where text was read from."""

    OCR = "ocr"
    TEXT_LAYER = "text layer"  # the PDF's own characters


@dataclass
class Provenance:
    """Where a cell's text came from."""

    engine: str
    source: TextSource = TextSource.OCR
    raw_text: str = ""
    line_scores: list[float] = field(default_factory=list)
    # Ink in the cell that was not read: dust, a toner dot, a dot of a faded rule (page-pixel
    # boxes), so a reviewer can see what was left out of a blank cell or beside a line.
    set_aside: list[BBox] = field(default_factory=list)
    # Why ``text`` differs from the recogniser's one line, when the read stage changed its
    # marks (never a digit): the value then waits for a total to prove it.
    reread: str = ""


@dataclass
class Repair:
    """A proven correction of a misread amount."""

    printed: str  # what the recogniser read (cleaned)
    value: str  # the corrected exact value
    text: str  # the corrected printed form
    explanation: str  # the misreading that explains the difference
    constraints: list[str]  # the totals that hold only with the correction


@dataclass
class Suggestion:
    """A reading that would settle a flagged cell, and why (offered to the reviewer)."""

    text: str
    reason: str


@dataclass
class Review:
    """A reviewer's decision on a cell, applied by ``recover export``."""

    action: str  # "accept" (the suggestion or printed reading), "correct", or "resolved"
    printed: str  # the text before the decision
    text: str  # the text after it
    reviewer: str
    at: str  # ISO time of the decision


@dataclass
class Cell:
    """One (possibly merged) grid cell."""

    row: int
    col: int
    row_span: int
    col_span: int
    page: int
    bbox: BBox
    text: str = ""
    value: Decimal | None = None
    confidence: float = 1.0
    status: CellStatus = CellStatus.EMPTY
    provenance: Provenance | None = None
    flags: list[Flag] = field(default_factory=list)
    repair: Repair | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    review: Review | None = None

    @property
    def row_end(self) -> int:
        """Last row index the cell covers (inclusive)."""
        return self.row + self.row_span - 1

    @property
    def col_end(self) -> int:
        """Last column index the cell covers (inclusive)."""
        return self.col + self.col_span - 1

    @property
    def slots(self) -> list[tuple[int, int]]:
        """Every (row, column) grid slot the cell covers, row by row."""
        return [(r, c) for r in range(self.row, self.row_end + 1) for c in range(self.col, self.col_end + 1)]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form; the value is a string so no precision is lost."""
        return {
            "row": self.row,
            "col": self.col,
            "row_span": self.row_span,
            "col_span": self.col_span,
            "page": self.page,
            "bbox": list(self.bbox),
            "text": self.text,
            "value": None if self.value is None else str(self.value),
            "confidence": round(self.confidence, 5),
            "status": self.status.value,
            "provenance": None if self.provenance is None else asdict(self.provenance),
            "flags": [f.to_dict() for f in self.flags],
            "repair": None if self.repair is None else asdict(self.repair),
            "suggestions": [asdict(s) for s in self.suggestions],
            "review": None if self.review is None else asdict(self.review),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Cell:
        """Inverse of :meth:`to_dict`."""
        prov = d.get("provenance")
        x0, y0, x1, y1 = d["bbox"]
        return cls(
            row=d["row"],
            col=d["col"],
            row_span=d["row_span"],
            col_span=d["col_span"],
            page=d["page"],
            bbox=(x0, y0, x1, y1),
            text=d.get("text", ""),
            value=None if d.get("value") is None else Decimal(d["value"]),
            confidence=d.get("confidence", 1.0),
            status=CellStatus(d.get("status", "empty")),
            provenance=None if prov is None else _provenance(prov),
            flags=[Flag.from_dict(f) for f in d.get("flags", [])],
            repair=None if d.get("repair") is None else Repair(**d["repair"]),
            suggestions=[Suggestion(**s) for s in d.get("suggestions", [])],
            review=None if d.get("review") is None else Review(**d["review"]),
        )


def _provenance(d: dict[str, Any]) -> Provenance:
    boxes = [(x0, y0, x1, y1) for x0, y0, x1, y1 in d.get("set_aside", [])]
    return Provenance(**{**d, "source": TextSource(d["source"]), "set_aside": boxes})
