"""A recovered table: grid, cells, header mapping, numeric view and checks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from recover.model.cell import BBox, Cell
from recover.model.checks import TableChecks
from recover.model.flags import Flag
from recover.model.proof import table_proof


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
    part_rows: list[int] = field(default_factory=list)  # the first row of each part in the joined table


class ColumnStatus(StrEnum):
    """Whether a column got a canonical name."""

    MAPPED = "mapped"
    UNMAPPED = "unmapped"  # printed name kept, sent to review
    NO_HEADER = "no header"
    REVIEWED = "reviewed"  # a person named it in the review queue


class TableLayout(StrEnum):
    """How the table's grid was found."""

    RULED = "ruled"
    PARTIALLY_RULED = "partially ruled"  # horizontal rules only; columns from text alignment
    BORDERLESS = "borderless"


@dataclass
class ColumnMapping:
    """A column's printed header path and its canonical id (None = unmapped, for review)."""

    col: int
    path: list[str]
    id: str | None
    score: float
    status: ColumnStatus


@dataclass
class NumericView:
    """The table as numbers, decided once by labelling and read by every later stage.

    ``body_rows`` are the rows below the header that hold amounts, ``numeric_cols`` the
    columns of amounts (a column blank in every body row right of the amounts counts: its
    parts are zeros), ``code_cols`` the leading columns of subject codes and ``row_codes`` the
    full 类/款/项 code of each coded body row.
    """

    body_rows: list[int] = field(default_factory=list)
    numeric_cols: list[int] = field(default_factory=list)
    code_cols: list[int] = field(default_factory=list)
    row_codes: dict[int, str] = field(default_factory=dict)
    numbering_rows: list[int] = field(default_factory=list)
    """Rows under the header that print the columns' numbers (栏次 1, 2, 3 …): no amounts."""

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (row numbers as keys of ``row_codes`` become strings)."""
        return {
            "body_rows": list(self.body_rows),
            "numeric_cols": list(self.numeric_cols),
            "code_cols": list(self.code_cols),
            "row_codes": {str(r): c for r, c in sorted(self.row_codes.items())},
            "numbering_rows": list(self.numbering_rows),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> NumericView:
        """Inverse of :meth:`to_dict`."""
        return cls(
            list(d.get("body_rows", [])),
            list(d.get("numeric_cols", [])),
            list(d.get("code_cols", [])),
            {int(r): str(c) for r, c in d.get("row_codes", {}).items()},
            list(d.get("numbering_rows", [])),
        )


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
    layout: TableLayout = TableLayout.RULED
    view: NumericView = field(default_factory=NumericView)
    flags: list[Flag] = field(default_factory=list)  # the table as a whole: its grid contradicts itself

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
            "checks": None if self.checks is None else self.checks.to_dict(),
            "header_rows": self.header_rows,
            "columns": [asdict(c) for c in self.columns],
            "layout": self.layout.value,
            "numeric_view": self.view.to_dict(),
            "flags": [f.to_dict() for f in self.flags],
            "proof": table_proof(self).to_dict(),  # counted from the cells' statuses
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
            checks=None if d.get("checks") is None else TableChecks.from_dict(d["checks"]),
            header_rows=d.get("header_rows", 0),
            columns=[
                ColumnMapping(**{**c, "status": ColumnStatus(c["status"])}) for c in d.get("columns", [])
            ],
            layout=TableLayout(d.get("layout", "ruled")),
            view=NumericView.from_dict(d.get("numeric_view", {})),
            flags=[Flag.from_dict(f) for f in d.get("flags", [])],
        )
