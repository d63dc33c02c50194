"""Arithmetic rules of one table (target = Σ parts), their evaluation and their verdicts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

Slot = tuple[int, int]
"""(row, col) anchor of a cell."""


class RuleSource(StrEnum):
    """Why a rule is believed."""

    HEADER = "header"  # a 合计 column printed beside its parts under one header
    COLUMNS = "columns"  # a column is the sum of others in most rows (found in the numbers)
    SUBJECT_CODES = "subject codes"  # a 类/款 row is the sum of its 款/项 rows
    TOTAL_ROW = "total row"  # 合计/小计 over the rows it closes
    FORM_RULE = "form rule"  # a rule of the standard form (收入总计 = 支出总计)
    LIST_TOTAL = "list total"  # in a (项目, 金额) list: 合计 over its 一、二、… items, items over sub-items
    BALANCE = "balance"  # 总计 = 本年合计 + carried-over rows; the lists' equal totals and items
    REGION_SUBTOTAL = "region subtotal"  # a 小计 over the rows of its (merged 市州) block, 合计 over blocks
    LABEL_TOTAL = "label total"  # a 合计 row or a 部门/单位 row over the rows it heads


class Verdict(StrEnum):
    """The outcome of a rule on the figures as finally read."""

    HOLDS = "holds"
    FAILS = "fails"  # fails on readings that are not all clear: the cells are flagged
    SOURCE_INCONSISTENCY = "source inconsistency"  # fails on clear readings: the filing's own
    UNSURE = "unsure"  # between tables: fails, and a figure is not read surely
    CANNOT_CHECK = "cannot be checked"  # a figure looks like an amount but does not read as one
    NO_FIGURES = "no figures"  # a cell holds no amount (a dash, words): nothing to evaluate


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
    """target = Σ parts, found in the table's structure or numbers (``source`` says how)."""

    source: RuleSource
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
            "source": self.source.value,
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
        return cls(RuleSource(d["source"]), d["label"], (r, c), parts, d.get("repairable", True))


@dataclass(frozen=True)
class CheckedRule:
    """A table rule with its verdict on the final figures (``off_by`` when it does not hold)."""

    rule: Constraint
    verdict: Verdict
    off_by: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form: the rule's fields plus ``verdict`` and ``off_by``."""
        return {
            **self.rule.to_dict(),
            "verdict": self.verdict.value,
            "off_by": None if self.off_by is None else str(self.off_by),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CheckedRule:
        """Inverse of :meth:`to_dict`."""
        off = d.get("off_by")
        return cls(Constraint.from_dict(d), Verdict(d["verdict"]), None if off is None else Decimal(off))
