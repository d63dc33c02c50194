"""A page of the input and the document it belongs to (the ``result.json`` root)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from recover.model.checks import DocumentChecks
from recover.model.proof import proof_of
from recover.model.region import Region
from recover.model.table import Table

SCHEMA_VERSION = 3


class PageStatus(StrEnum):
    """Outcome of processing one page; a failed page never sinks the document."""

    OK = "ok"
    NO_TABLES = "no_tables"
    FAILED = "failed"


class PageSource(StrEnum):
    """Where a page's cell text came from."""

    OCR = "ocr"
    TEXT_LAYER = "text layer"
    MIXED = "text layer + ocr"  # some cells were images in a digital page


@dataclass(frozen=True)
class PageGeometry:
    """The prepared page's measured scale: every pixel threshold derives from it.

    ``char_height`` is the median character height, ``rule_width`` the median ruling-line
    thickness (0 without rules), ``dpi`` the effective resolution of the prepared image and
    ``scale`` how much preparation enlarged it (1.0 when not). The derived lengths below are
    the only place their formulas are written.
    """

    char_height: int
    rule_width: int = 0
    dpi: int = 0
    scale: float = 1.0

    @property
    def rule_clearance(self) -> int:
        """How far a cell's ink keeps off its rules: half a rule, plus one."""
        return self.rule_width // 2 + 1

    @property
    def crop_pad(self) -> int:
        """Paper kept around a text line's ink when it is cut out for the recogniser."""
        return max(2, self.char_height // 4)

    @property
    def cell_margin(self) -> int:
        """Inset of a cell's box before its ink is searched (rules and their halo excluded)."""
        return max(2, self.char_height // 8) + self.rule_clearance

    @property
    def snap(self) -> int:
        """Distance within which two lines or edges are one (grid lines, column gutters)."""
        return max(3, self.char_height // 3)

    @property
    def min_slot(self) -> int:
        """Least distance between two rules with a line of text between them (a row or column)."""
        return max(self.snap + 1, (2 * self.char_height) // 3)

    @property
    def flush(self) -> int:
        """Most paper between a right-aligned amount's ink and its column's rule (the cell's padding)."""
        return max(3, self.char_height)

    @property
    def gap(self) -> int:
        """Gap that ink bridges: strokes of one glyph, pieces of one broken rule."""
        return max(3, self.char_height // 2)

    @property
    def thin(self) -> int:
        """Thickness below which a band of ink is a stroke or rule remnant, not text."""
        return max(2, self.char_height // 6)

    @property
    def speck(self) -> int:
        """Area (px²) below which an ink blob is dust."""
        return max(2, (self.char_height // 8) ** 2)

    @property
    def junction(self) -> int:
        """Most distance between a rule's end and the centre of a rule across that it meets:
        the wall's half width and the line's own overshoot (a rule width), plus a pixel.
        Text keeps a cell's padding off the walls, so a stroke stops farther away."""
        return max(2, self.rule_width + 1)

    @property
    def dust(self) -> int:
        """Extent (px) under which a blob alone in a cell is dust, not text: less than any
        character or dash is wide or tall; a decimal point never stands alone."""
        return max(3, (2 * self.char_height) // 5)

    @property
    def short_stroke(self) -> int:
        """Length (px) under which a thin stroke alone in its line is a piece of a broken
        rule, not a "1" or "丨": a digit stands as tall as the text."""
        return max(4, (3 * self.char_height) // 5)

    @property
    def blot(self) -> int:
        """Extent (px) under which a solid blob thick both ways is a toner blot ("■"),
        not a character: no glyph is a filled square half a character high."""
        return max(4, self.char_height // 2)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "char_height": self.char_height,
            "rule_width": self.rule_width,
            "dpi": self.dpi,
            "scale": round(self.scale, 4),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PageGeometry:
        """Inverse of :meth:`to_dict`."""
        return cls(
            int(d["char_height"]), int(d.get("rule_width", 0)), int(d.get("dpi", 0)), d.get("scale", 1.0)
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
    source: PageSource = PageSource.OCR
    geometry: PageGeometry | None = None  # recorded by prepare (scale) and layout (rules)
    notes: list[str] = field(default_factory=list)  # what was found and set aside (not errors)
    text_lines: list[TextLine] = field(default_factory=list)  # running text of a page without tables
    regions: list[Region] = field(default_factory=list)  # layout detection's blocks (--layout on)
    # Why layout detection was not run on this page although it was on (see layout.region_gate).
    regions_skipped: str = ""

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
            "source": self.source.value,
            "geometry": None if self.geometry is None else self.geometry.to_dict(),
            "notes": list(self.notes),
            "text_lines": [{"text": t.text, "score": round(t.score, 5)} for t in self.text_lines],
            "regions": [r.to_dict() for r in self.regions],
            "regions_skipped": self.regions_skipped,
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
            source=PageSource(d.get("source", "ocr")),
            geometry=None if d.get("geometry") is None else PageGeometry.from_dict(d["geometry"]),
            notes=list(d.get("notes", [])),
            text_lines=[TextLine(**t) for t in d.get("text_lines", [])],
            regions=[Region.from_dict(r) for r in d.get("regions", [])],
            regions_skipped=d.get("regions_skipped", ""),
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
            "document_checks": None if self.checks is None else self.checks.to_dict(),
            "notes": list(self.notes),
            "proof": proof_of(self.tables).to_dict(),  # the filing's amounts by trust tier
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
            checks=None
            if d.get("document_checks") is None
            else DocumentChecks.from_dict(d["document_checks"]),
            notes=list(d.get("notes", [])),
        )
