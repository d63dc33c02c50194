"""A page region as layout detection sees it: what kind of block, where, how sure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from recover.model.cell import BBox


class RegionKind(StrEnum):
    """The block kinds a layout model tells apart (the CDLA classes)."""

    TEXT = "text"
    TITLE = "title"
    FIGURE = "figure"
    FIGURE_CAPTION = "figure_caption"
    TABLE = "table"
    TABLE_CAPTION = "table_caption"
    HEADER = "header"
    FOOTER = "footer"
    REFERENCE = "reference"
    EQUATION = "equation"


@dataclass(frozen=True)
class Region:
    """One detected block, its box in prepared-page pixels."""

    kind: RegionKind
    bbox: BBox
    score: float

    def overlap(self, box: BBox) -> float:
        """Share of ``box``'s area that lies inside this region (0 to 1)."""
        x0, y0 = max(self.bbox[0], box[0]), max(self.bbox[1], box[1])
        x1, y1 = min(self.bbox[2], box[2]), min(self.bbox[3], box[3])
        area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
        return max(0, x1 - x0) * max(0, y1 - y0) / area

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"kind": self.kind.value, "bbox": list(self.bbox), "score": round(self.score, 4)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Region:
        """Inverse of :meth:`to_dict`."""
        x0, y0, x1, y1 = (int(v) for v in d["bbox"])
        return cls(RegionKind(d["kind"]), (x0, y0, x1, y1), float(d["score"]))
