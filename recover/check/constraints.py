"""Arithmetic constraints between cells of one table, and their evaluation with tolerance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Slot = tuple[int, int]
"""(row, col) anchor of a cell."""


def last_place_unit(values: Iterable[Decimal]) -> Decimal:
    """One unit in the last decimal place printed among ``values`` (0 for whole numbers)."""
    places = 0
    for v in values:
        exponent = v.as_tuple().exponent
        if isinstance(exponent, int):
            places = max(places, -exponent)
    return Decimal(1).scaleb(-places) if places else Decimal(0)


@dataclass(frozen=True)
class Constraint:
    """target = Σ parts, found in the table's structure or numbers.

    ``source`` says why it is believed: "columns" (a column is the sum of others in most
    rows), "subject codes" (a 类/款 row is the sum of its 款/项 rows), "total row"
    (合计/小计 over the rows it closes) or "form rule" (收入总计 = 支出总计).
    """

    source: str
    label: str
    target: Slot
    parts: tuple[Slot, ...]
    repairable: bool = True  # False: too little evidence to repair by; a failure only flags

    @property
    def slots(self) -> tuple[Slot, ...]:
        """Every cell the constraint involves."""
        return (self.target, *self.parts)

    def residual(self, values: Mapping[Slot, Decimal | None]) -> Decimal | None:
        """target − Σ parts, or None when a value is missing."""
        target = values.get(self.target)
        parts = [values.get(p) for p in self.parts]
        if target is None or any(p is None for p in parts):
            return None
        return target - sum((p for p in parts if p is not None), Decimal(0))

    def tolerance(self, values: Mapping[Slot, Decimal | None]) -> Decimal:
        """Rounding allowance: one unit in the last printed decimal place, 0 for integers.

        Filings that print 万元 with two decimals are often off by 0.01 after rounding;
        whole-yuan figures add up exactly.
        """
        return last_place_unit(v for slot in self.slots if (v := values.get(slot)) is not None)

    def holds(self, values: Mapping[Slot, Decimal | None]) -> bool | None:
        """Whether it holds within tolerance; None when a value is missing."""
        r = self.residual(values)
        if r is None:
            return None
        return abs(r) <= self.tolerance(values)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "source": self.source,
            "label": self.label,
            "target": list(self.target),
            "parts": [list(p) for p in self.parts],
            "repairable": self.repairable,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Constraint:
        """Inverse of :meth:`to_dict`."""
        r, c = d["target"]
        parts = tuple((pr, pc) for pr, pc in d["parts"])
        return cls(d["source"], d["label"], (r, c), parts, d.get("repairable", True))
