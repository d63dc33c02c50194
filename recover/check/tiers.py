"""The check stage's last step: every amount read clearly gets its trust tier.

``ok`` is what the read stage calls a clear reading; once the rules have verdicts, an amount
that a kept rule which holds covers — a rule of its own table, a rule between tables or a
statement of the filing's text — is ``proven``, any other is ``unproven`` (exported, counted,
never called ``ok``). Repaired, flagged and reviewed cells keep their status; text cells
(labels, headers, subject codes, line numbers, printed dashes) keep ``ok``: arithmetic proves no words.
"""

from __future__ import annotations

import re

from recover.check.confusion import looks_like_amount
from recover.check.serial_numbers import check_numbering, numbering_cols
from recover.model import CellStatus, Document, Flag, FlagKind, Slot, Table, Verdict, is_amount, key_cols
from recover.read.amounts import PLACEHOLDERS
from recover.read.chinese import has_chinese


def holding_slots(table: Table) -> set[Slot]:
    """The cells a rule of the table's own that holds covers."""
    if table.checks is None:
        return set()
    return {s for r in table.checks.rules if r.verdict is Verdict.HOLDS for s in r.rule.slots}


def document_slots(doc: Document) -> dict[int, set[Slot]]:
    """Per table (by position in ``doc.tables``), the cells a holding rule between tables or
    a holding statement of the text covers."""
    found: dict[int, set[Slot]] = {}
    if doc.checks is None:
        return found
    tables = doc.tables
    for rule in doc.checks.rules:
        if rule.status is not Verdict.HOLDS:
            continue
        for term in [*rule.left, *rule.right]:
            if term.table is None or term.row is None or term.col is None:
                continue
            for n, table in enumerate(tables):
                cell = table.cell_at(term.row, term.col) if table.index + 1 == term.table else None
                # A stitched table sits on its first page; its cells keep their own page.
                anchored = cell is not None and (cell.row, cell.col) == (term.row, term.col)
                if cell is not None and anchored and cell.page == term.page:
                    found.setdefault(n, set()).add((term.row, term.col))
                    break
    return found


_NOT_A_NUMBER = "looks like an amount but is not a valid number"
_DAMAGED = re.compile(r"[.,:;=·'_|-]*\d[\d,.:;·]*[.,:;=·'_|-]*")


_NOT_A_LINE_NUMBER = "not a line number where this column numbers its rows"
_GRID_DOUBT = "the table's grid contradicts its content and no rule proves this amount"
_ORDINAL = re.compile(r"[(（]?\d+(?:[.-]\d+)*[)）.、]?")


def _broken_number(text: str) -> bool:
    """A reading that is neither blank, a placeholder, words (一, 合计) nor a number (3, (2), 1.1)."""
    body = text.replace(" ", "")
    if not body or body in PLACEHOLDERS or has_chinese(body):
        return False
    return _ORDINAL.fullmatch(body) is None


def _damaged(text: str, amount_column: bool) -> bool:
    """A damaged amount: digits and separators that do not parse (``15:00``, ``.105.00=``).

    In an amount column any such reading counts; elsewhere (the labelling may have missed the
    column) only one of three digits or more with a separator, not an ordinal such as ``2.``.
    """
    body = text.replace(" ", "")
    if not body or body in PLACEHOLDERS:
        return False
    if amount_column and looks_like_amount(body):
        return True
    digits = sum(ch.isdigit() for ch in body)
    shaped = _DAMAGED.fullmatch(body) is not None and digits < len(body)
    return shaped and (amount_column or digits >= 3)


def _doubted_rows(table: Table) -> set[int] | None:
    """The rows a structure flag puts in doubt; None for the whole table. Amounts fused in
    one cell show where the grid lost a rule: in their own rows (the flag says the grid keeps
    those columns apart elsewhere). A row's words fused with its amount, an empty column or
    unlabelled rows doubt the whole grid: a spurious line may have shifted every column."""
    kinds = {f.kind for f in table.flags if f.kind.structural}
    if kinds != {FlagKind.TWO_VALUES}:
        return None
    fused = [c for c in table.cells if any(f.kind is FlagKind.TWO_VALUES for f in c.flags)]
    if any(has_chinese(c.text) for c in fused):
        return None
    return {row for c in fused for row in range(c.row, c.row_end + 1)}


def table_tiers(table: Table, proven_elsewhere: set[Slot] | None = None) -> None:
    """Turn each ``ok`` amount of ``table`` into ``proven`` or ``unproven`` (in place).

    A cell still ``ok`` that looks like a damaged amount (a merged cell, which the table's
    rules never see, or one outside the columns labelling took for amounts) is flagged: it
    would otherwise leave as a clear reading.
    """
    check_numbering(table)  # a 序号 that breaks its column's count is repaired or flagged first
    covered = holding_slots(table) | (proven_elsewhere or set())
    numeric, keys = set(table.view.numeric_cols), key_cols(table)
    numbering = numbering_cols(table)
    doubt = next((f for f in table.flags if f.kind.structural), None)
    doubted = _doubted_rows(table)
    for cell in table.cells:
        if cell.status is not CellStatus.OK:
            continue
        if cell.col in numbering and _broken_number(cell.text):
            cell.status = CellStatus.FLAGGED
            cell.flags.append(Flag(FlagKind.NOT_A_NUMBER, _NOT_A_LINE_NUMBER))
            continue
        if cell.value is None:
            below = cell.row >= table.header_rows and cell.col not in keys
            if below and _damaged(cell.text, cell.col in numeric):
                cell.status = CellStatus.FLAGGED
                cell.flags.append(Flag(FlagKind.NOT_A_NUMBER, _NOT_A_NUMBER))
            continue
        if not is_amount(table, cell, keys):
            continue  # a header's digits, a subject code, a line number: text, not an amount
        if (cell.row, cell.col) in covered:
            cell.status = CellStatus.PROVEN
        elif doubt is not None and (doubted is None or cell.row in doubted):
            # The grid contradicts itself and no rule proves the amount: it may sit one
            # column or row off, or hold a neighbour's figure, so a person must look.
            cell.status = CellStatus.FLAGGED
            cell.flags.append(Flag(doubt.kind, _GRID_DOUBT))
        else:
            cell.status = CellStatus.UNPROVEN


def assign_tiers(doc: Document) -> Document:
    """Give every amount of the document its trust tier (the check stage's final step)."""
    elsewhere = document_slots(doc)
    for n, table in enumerate(doc.tables):
        table_tiers(table, elsewhere.get(n))
    return doc
