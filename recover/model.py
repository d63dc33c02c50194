"""The data model every stage reads and enriches: Document → Page → Table → Cell.

Each object round-trips through plain dicts (``to_dict`` / ``from_dict``) so that
``result.json`` is the whole model and recorded stage outputs can be replayed in tests.
Amounts are ``Decimal`` in memory and strings in JSON, never floats.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

BBox = tuple[int, int, int, int]
"""(x0, y0, x1, y1) in pixels of the prepared (upright, deskewed) page image."""

SCHEMA_VERSION = 1


class CellStatus(StrEnum):
    """How far a cell's value can be trusted."""

    EMPTY = "empty"
    OK = "ok"
    LOW_CONFIDENCE = "low_confidence"
    REPAIRED = "repaired"
    FLAGGED = "flagged"
    REVIEWED = "reviewed"  # a person decided the value in the review queue


class PageStatus(StrEnum):
    """Outcome of processing one page; a failed page never sinks the document."""

    OK = "ok"
    NO_TABLES = "no_tables"
    FAILED = "failed"


@dataclass
class Provenance:
    """Where a cell's text came from."""

    engine: str
    source: str = "ocr"  # "ocr" or "text layer"
    raw_text: str = ""
    line_scores: list[float] = field(default_factory=list)


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
class TableChecks:
    """What the arithmetic checks found in one table."""

    constraints: list[dict[str, Any]] = field(default_factory=list)
    found: int = 0
    holding: int = 0
    repaired: int = 0
    unresolved: int = 0
    inconsistencies: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DocumentChecks:
    """What the checks between a document's tables found.

    ``rules`` holds every rule evaluated (its cells, values and status; ``kind: statement`` for
    an amount the running text states, checked against the tables); ``publication``
    names the standard set of forms the document was recognised as (部门决算, 部门预算),
    whose absent forms are listed in ``missing_forms``; ``notes`` are other findings about
    the filing (template placeholders left in titles, tables of different years).
    """

    publication: str = ""
    found: int = 0
    holding: int = 0
    inconsistencies: int = 0
    unsure: int = 0  # rules or statements left undecided (a figure not read surely)
    statements: int = 0  # amounts stated in the running text and checked against the tables
    statements_holding: int = 0
    statement_inconsistencies: int = 0
    rules: list[dict[str, Any]] = field(default_factory=list)
    missing_forms: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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
    flags: list[str] = field(default_factory=list)
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
            "flags": list(self.flags),
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
            provenance=None if prov is None else Provenance(**prov),
            flags=list(d.get("flags", [])),
            repair=None if d.get("repair") is None else Repair(**d["repair"]),
            suggestions=[Suggestion(**s) for s in d.get("suggestions", [])],
            review=None if d.get("review") is None else Review(**d["review"]),
        )


@dataclass
class Grid:
    """Ruling-line positions of a table, kept for the debug overlay and for tests."""

    row_lines: list[int]
    col_lines: list[int]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"row_lines": list(self.row_lines), "col_lines": list(self.col_lines)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Grid:
        """Inverse of :meth:`to_dict`."""
        return cls(row_lines=list(d["row_lines"]), col_lines=list(d["col_lines"]))


@dataclass
class TableMeta:
    """What the page says about a table: title, organisation, unit, form label; and which
    standard form it is (``form``, from the vocabulary in recover/data/columns.yaml)."""

    title: str = ""
    organisation: str = ""
    unit: str = ""
    form_label: str = ""
    context_lines: list[str] = field(default_factory=list)
    form: str = ""
    form_score: float = 0.0
    year: int | None = None
    continues: str = ""  # "page N table M" when this table continues an earlier one
    parts: list[str] = field(default_factory=list)  # "page N table M" of each part stitched into it


@dataclass
class ColumnMapping:
    """A column's printed header path and its canonical id (None = unmapped, for review)."""

    col: int
    path: list[str]
    id: str | None
    score: float
    status: str  # "mapped" | "unmapped" | "no header"


@dataclass
class Table:
    """A recovered table: its grid of cells plus what the page says about it."""

    index: int
    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    cells: list[Cell] = field(default_factory=list)
    grid: Grid | None = None
    meta: TableMeta = field(default_factory=TableMeta)
    checks: TableChecks | None = None
    header_rows: int = 0
    columns: list[ColumnMapping] = field(default_factory=list)
    layout: str = "ruled"  # "ruled", "partially ruled" (horizontal rules only) or "borderless"

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell covering grid slot (row, col), merged or not."""
        for cell in self.cells:
            if cell.row <= row <= cell.row_end and cell.col <= col <= cell.col_end:
                return cell
        return None

    def rows_as_text(self) -> list[list[str]]:
        """Row-major text; a merged cell's text sits in its top-left slot, others ''."""
        rows = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for cell in self.cells:
            rows[cell.row][cell.col] = cell.text
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "index": self.index,
            "page": self.page,
            "bbox": list(self.bbox),
            "n_rows": self.n_rows,
            "n_cols": self.n_cols,
            "meta": asdict(self.meta),
            "grid": None if self.grid is None else self.grid.to_dict(),
            "checks": None if self.checks is None else asdict(self.checks),
            "header_rows": self.header_rows,
            "columns": [asdict(c) for c in self.columns],
            "layout": self.layout,
            "cells": [c.to_dict() for c in self.cells],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Table:
        """Inverse of :meth:`to_dict`."""
        x0, y0, x1, y1 = d["bbox"]
        grid = d.get("grid")
        return cls(
            index=d["index"],
            page=d["page"],
            bbox=(x0, y0, x1, y1),
            n_rows=d["n_rows"],
            n_cols=d["n_cols"],
            cells=[Cell.from_dict(c) for c in d["cells"]],
            grid=None if grid is None else Grid.from_dict(grid),
            meta=TableMeta(**d.get("meta", {})),
            checks=None if d.get("checks") is None else TableChecks(**d["checks"]),
            header_rows=d.get("header_rows", 0),
            columns=[ColumnMapping(**c) for c in d.get("columns", [])],
            layout=d.get("layout", "ruled"),
        )


@dataclass
class TextLine:
    """A line of a page's running text (outside tables), with the recogniser's score."""

    text: str
    score: float = 1.0


@dataclass
class Page:
    """One page of the input, as prepared for recognition."""

    number: int  # 1-based
    width: int
    height: int
    dpi: int
    rotation: int = 0  # degrees turned clockwise to make the page upright
    skew: float = 0.0  # degrees of skew corrected
    status: PageStatus = PageStatus.OK
    errors: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    seconds: float = 0.0
    source: str = "ocr"  # "ocr", "text layer", or "text layer + ocr" (some cells were images)
    notes: list[str] = field(default_factory=list)  # what was found and set aside (not errors)
    text_lines: list[TextLine] = field(default_factory=list)  # running text of a page without tables

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "number": self.number,
            "width": self.width,
            "height": self.height,
            "dpi": self.dpi,
            "rotation": self.rotation,
            "skew": round(self.skew, 3),
            "status": self.status.value,
            "errors": list(self.errors),
            "seconds": round(self.seconds, 3),
            "source": self.source,
            "notes": list(self.notes),
            "text_lines": [{"text": t.text, "score": round(t.score, 5)} for t in self.text_lines],
            "tables": [t.to_dict() for t in self.tables],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Page:
        """Inverse of :meth:`to_dict`."""
        return cls(
            number=d["number"],
            width=d["width"],
            height=d["height"],
            dpi=d["dpi"],
            rotation=d.get("rotation", 0),
            skew=d.get("skew", 0.0),
            status=PageStatus(d.get("status", "ok")),
            errors=list(d.get("errors", [])),
            tables=[Table.from_dict(t) for t in d.get("tables", [])],
            seconds=d.get("seconds", 0.0),
            source=d.get("source", "ocr"),
            notes=list(d.get("notes", [])),
            text_lines=[TextLine(**t) for t in d.get("text_lines", [])],
        )


@dataclass
class Document:
    """One input file and everything recovered from it."""

    source: str
    sha256: str
    pages: list[Page] = field(default_factory=list)
    engine: str = ""
    checks: DocumentChecks | None = None  # the checks between tables (after stitching)
    notes: list[str] = field(default_factory=list)  # about the input file (a misleading name)

    @property
    def tables(self) -> list[Table]:
        """All tables of the document in page order."""
        return [t for p in self.pages for t in p.tables]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (the ``result.json`` schema)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "sha256": self.sha256,
            "engine": self.engine,
            "document_checks": None if self.checks is None else asdict(self.checks),
            "notes": list(self.notes),
            "pages": [p.to_dict() for p in self.pages],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        """Inverse of :meth:`to_dict`."""
        return cls(
            source=d["source"],
            sha256=d["sha256"],
            engine=d.get("engine", ""),
            pages=[Page.from_dict(p) for p in d.get("pages", [])],
            checks=None if d.get("document_checks") is None else DocumentChecks(**d["document_checks"]),
            notes=list(d.get("notes", [])),
        )
