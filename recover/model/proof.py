"""Proof coverage: how many of a table's amounts arithmetic proves, tier by tier.

An amount is a cell below the header, outside the columns that identify rows (subject codes,
unit codes, serial and line numbers: ``key_cols``), that holds a number (or, in an amount
column of the body, failed to read as one and was flagged). Its trust tier
is its status: ``proven`` / ``repaired`` (together: proved), ``unproven``, flagged
(``flagged``, ``low_confidence``) or ``reviewed``. Proof coverage = proved / all amounts.
Counted from the cells' statuses whenever the model is written, so it never goes stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from recover.model.cell import Cell, CellStatus

if TYPE_CHECKING:
    from recover.model.table import Table


KEY_COLUMNS = frozenset(
    {"code_lei", "code_kuan", "code_xiang", "subject_code", "unit_code", "serial_no", "row_number"}
)
"""Canonical ids of the columns that identify a row rather than state an amount."""


def key_cols(table: Table) -> set[int]:
    """The columns that identify rows: subject codes, unit codes, serial and line numbers (行次)."""
    mapped = {m.col for m in table.columns if m.id in KEY_COLUMNS}
    return mapped | set(table.view.code_cols)


def is_amount(table: Table, cell: Cell, keys: set[int] | None = None) -> bool:
    """Whether ``cell`` is one of the table's amounts (what proof coverage counts);
    ``keys``: the table's :func:`key_cols`, when already known."""
    if cell.row < table.header_rows or cell.col in (key_cols(table) if keys is None else keys):
        return False
    if cell.row in table.view.numbering_rows:
        return False  # 栏次 1, 2, 3 …: the columns' numbers
    if cell.value is not None:
        return True
    in_amounts = cell.row in table.view.body_rows and cell.col in table.view.numeric_cols
    return in_amounts and (cell.status.flagged_tier or cell.status is CellStatus.REVIEWED)


@dataclass
class ProofTally:
    """A table's (or a filing's) amounts by trust tier."""

    amounts: int = 0
    proven: int = 0
    repaired: int = 0
    unproven: int = 0  # read clearly, no rule covers it (an amount still ``ok``: not checked)
    flagged: int = 0
    reviewed: int = 0

    @property
    def proved(self) -> int:
        """Amounts arithmetic proves: proven or repaired with its proof."""
        return self.proven + self.repaired

    @property
    def coverage(self) -> float:
        """Proof coverage: proved / all amounts (1.0 for a table without amounts)."""
        return self.proved / self.amounts if self.amounts else 1.0

    def add(self, other: ProofTally) -> None:
        """Accumulate another tally."""
        for name in ("amounts", "proven", "repaired", "unproven", "flagged", "reviewed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def count(self, status: CellStatus) -> None:
        """Count one amount of ``status``."""
        self.amounts += 1
        if status is CellStatus.PROVEN:
            self.proven += 1
        elif status is CellStatus.REPAIRED:
            self.repaired += 1
        elif status.flagged_tier:
            self.flagged += 1
        elif status is CellStatus.REVIEWED:
            self.reviewed += 1
        else:
            self.unproven += 1

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form, with ``coverage`` rounded to 4 places."""
        return {
            "amounts": self.amounts,
            "proven": self.proven,
            "repaired": self.repaired,
            "unproven": self.unproven,
            "flagged": self.flagged,
            "reviewed": self.reviewed,
            "coverage": round(self.coverage, 4),
        }


def table_proof(table: Table) -> ProofTally:
    """The tally of one table's amounts."""
    tally = ProofTally()
    keys = key_cols(table)
    for cell in table.cells:
        if is_amount(table, cell, keys):
            tally.count(cell.status)
    return tally


def proof_of(tables: Iterable[Table]) -> ProofTally:
    """The tally over several tables (a filing)."""
    total = ProofTally()
    for table in tables:
        total.add(table_proof(table))
    return total


def coverage_text(tally: ProofTally) -> str:
    """One line for the console: ``proof: 95.2% of 1,204 amounts (…)``."""
    return (
        f"proof: {100 * tally.coverage:.1f}% of {tally.amounts:,} amounts proven by totals "
        f"({tally.proven} proven, {tally.repaired} repaired, {tally.unproven} unproven, "
        f"{tally.flagged} flagged, {tally.reviewed} reviewed)"
    )
