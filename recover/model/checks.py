"""What the checks found: a table's rules with verdicts, and the rules between tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from recover.model.rules import CheckedRule, Constraint, Verdict

_UNRESOLVED = {Verdict.FAILS, Verdict.SOURCE_INCONSISTENCY, Verdict.CANNOT_CHECK}


class DropReason(StrEnum):
    """Why a rule derived from a table's headers, labels or numbers was found wrong."""

    FAILS_MOSTLY = "fails in most places"  # on clear readings it fails more often than it holds
    CONSTANT_OFFSET = "off by the same amount everywhere"  # a part left out (or one too many)


@dataclass(frozen=True)
class DroppedRule:
    """A hypothesis the table's own numbers contradict: never checked against the filing.

    ``places`` are the rule's instances (one per row or column it governs); ``holding`` and
    ``failing`` count those that hold on non-zero figures and those that fail on figures read
    clearly; ``off_by`` is the common amount of a constant offset; ``amended`` names the rule
    kept in its place (a part added or removed that makes it hold), when one was found.
    """

    source: str
    label: str
    reason: DropReason
    places: int
    holding: int
    failing: int
    off_by: Decimal | None = None
    amended: str = ""
    rules: tuple[Constraint, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "source": self.source,
            "label": self.label,
            "reason": self.reason.value,
            "places": self.places,
            "holding": self.holding,
            "failing": self.failing,
            "off_by": None if self.off_by is None else str(self.off_by),
            "amended": self.amended,
            "constraints": [r.to_dict() for r in self.rules],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DroppedRule:
        """Inverse of :meth:`to_dict`."""
        off = d.get("off_by")
        return cls(
            d["source"],
            d["label"],
            DropReason(d["reason"]),
            d["places"],
            d["holding"],
            d["failing"],
            None if off is None else Decimal(off),
            d.get("amended", ""),
            tuple(Constraint.from_dict(r) for r in d.get("constraints", [])),
        )


@dataclass
class TableChecks:
    """A table's rules, each with its verdict, how many digits were repaired, and the
    hypotheses dropped as wrong rules (``dropped``: never reported against the filing)."""

    rules: list[CheckedRule] = field(default_factory=list)
    repaired: int = 0
    dropped: list[DroppedRule] = field(default_factory=list)

    @property
    def found(self) -> int:
        """Rules found."""
        return len(self.rules)

    @property
    def holding(self) -> int:
        """Rules that hold on the final figures."""
        return sum(1 for r in self.rules if r.verdict is Verdict.HOLDS)

    @property
    def unresolved(self) -> int:
        """Rules that fail or cannot be checked although a figure looks like an amount."""
        return sum(1 for r in self.rules if r.verdict in _UNRESOLVED)

    @property
    def inconsistencies(self) -> list[CheckedRule]:
        """Rules the filing itself breaks: they fail on figures read clearly."""
        return [r for r in self.rules if r.verdict is Verdict.SOURCE_INCONSISTENCY]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (``constraints`` carry their verdicts)."""
        return {
            "constraints": [r.to_dict() for r in self.rules],
            "found": self.found,
            "holding": self.holding,
            "repaired": self.repaired,
            "unresolved": self.unresolved,
            "inconsistencies": [
                {"constraint": r.rule.to_dict(), "off_by": None if r.off_by is None else str(r.off_by)}
                for r in self.inconsistencies
            ],
            "dropped": [d.to_dict() for d in self.dropped],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TableChecks:
        """Inverse of :meth:`to_dict`."""
        return cls(
            [CheckedRule.from_dict(r) for r in d.get("constraints", [])],
            d.get("repaired", 0),
            [DroppedRule.from_dict(r) for r in d.get("dropped", [])],
        )


class RuleKind(StrEnum):
    """Where a document rule compares figures."""

    BETWEEN_TABLES = "between tables"
    STATEMENT = "statement"  # an amount the running text states, against a table


@dataclass(frozen=True)
class Term:
    """One figure of a document rule: a table cell, or the text's stated amount
    (``form`` "text": no table, row or column)."""

    form: str
    label: str
    page: int
    text: str
    table: int | None = None
    row: int | None = None
    col: int | None = None
    value: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form; a text term has no table, row, column or value."""
        d: dict[str, Any] = {"form": self.form, "label": self.label, "page": self.page}
        if self.table is not None:
            d.update(table=self.table, row=self.row, col=self.col)
        d["text"] = self.text
        if self.table is not None:
            d["value"] = None if self.value is None else str(self.value)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Term:
        """Inverse of :meth:`to_dict`."""
        value = d.get("value")
        return cls(
            d["form"],
            d["label"],
            d["page"],
            d["text"],
            d.get("table"),
            d.get("row"),
            d.get("col"),
            None if value is None else Decimal(value),
        )


@dataclass
class DocumentRule:
    """A rule between tables, or a statement of the text, with its verdict."""

    rule: str
    says: str
    status: Verdict
    left: list[Term]
    right: list[Term]
    kind: RuleKind = RuleKind.BETWEEN_TABLES
    off_by: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "rule": self.rule,
            "kind": self.kind.value,
            "says": self.says,
            "status": self.status.value,
            "off_by": None if self.off_by is None else str(self.off_by),
            "left": [t.to_dict() for t in self.left],
            "right": [t.to_dict() for t in self.right],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentRule:
        """Inverse of :meth:`to_dict`."""
        off = d.get("off_by")
        return cls(
            d["rule"],
            d["says"],
            Verdict(d["status"]),
            [Term.from_dict(t) for t in d.get("left", [])],
            [Term.from_dict(t) for t in d.get("right", [])],
            RuleKind(d.get("kind", "between tables")),
            None if off is None else Decimal(off),
        )


@dataclass
class DocumentChecks:
    """What the checks between a document's tables found.

    ``rules`` holds every rule evaluated (a statement of the running text checked against the
    tables has kind ``statement``); ``publication`` names the standard set of forms the
    document was recognised as (部门决算, 部门预算), whose absent forms are in
    ``missing_forms``; ``notes`` are other findings about the filing (template placeholders
    left in titles, tables of different years).
    """

    publication: str = ""
    found: int = 0
    holding: int = 0
    inconsistencies: int = 0
    unsure: int = 0  # rules or statements left undecided (a figure not read surely)
    statements: int = 0  # amounts stated in the running text and checked against the tables
    statements_holding: int = 0
    statement_inconsistencies: int = 0
    rules: list[DocumentRule] = field(default_factory=list)
    missing_forms: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "publication": self.publication,
            "found": self.found,
            "holding": self.holding,
            "inconsistencies": self.inconsistencies,
            "unsure": self.unsure,
            "statements": self.statements,
            "statements_holding": self.statements_holding,
            "statement_inconsistencies": self.statement_inconsistencies,
            "rules": [r.to_dict() for r in self.rules],
            "missing_forms": list(self.missing_forms),
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentChecks:
        """Inverse of :meth:`to_dict`."""
        counts = {k: v for k, v in d.items() if k not in ("rules", "missing_forms", "notes")}
        return cls(
            **counts,
            rules=[DocumentRule.from_dict(r) for r in d.get("rules", [])],
            missing_forms=list(d.get("missing_forms", [])),
            notes=list(d.get("notes", [])),
        )
