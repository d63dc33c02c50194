"""Find a labelled amount in a table: the row by its printed label, the column by its id.

Used by the checks between tables, where one form repeats an amount of another (the
收支总表's 本年支出合计 is the 支出表's 合计 row). Pure lookups over the table model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from recover.check.confusion import looks_like_amount
from recover.check.document_rules import Alternatives
from recover.label.vocabulary import Vocabulary, default_vocabulary
from recover.model import Cell, Table, Term
from recover.read.amounts import PLACEHOLDERS

# Ordinals that number the lines of a form: 一、 （一） (1) 1. 1、 — after NFKC folding.
_ORDINAL = re.compile(r"^(\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+[、.]|\d+[.、])")
_CLASS_MARK = re.compile(r"\((类|款|项)\)$")
FIRST_ROW = "*"
"""A term's row label meaning "the first row below the header" (a form with one row of amounts)."""


@dataclass(frozen=True)
class Fact:
    """One amount located in the document; ``value`` is None when the cell does not read as one."""

    table: Table
    label: Cell
    cell: Cell
    value: Decimal | None

    def term(self) -> Term:
        """Where the amount is and what it says, for ``document_checks.rules``."""
        return Term(
            form=self.table.meta.form,
            label=self.label.text,
            page=self.cell.page,
            text=self.cell.text,
            table=self.table.index + 1,
            row=self.cell.row,
            col=self.cell.col,
            value=self.value,
        )


def label_key(text: str, vocab: Vocabulary | None = None) -> str:
    """A row label made comparable: folded, ordinal and (类) mark removed."""
    folded = (vocab or default_vocabulary()).fold(text)
    return _CLASS_MARK.sub("", _ORDINAL.sub("", folded))


def amount_value(cell: Cell) -> Decimal | None:
    """The amount a cell states: blank and printed dashes state 0; None when unreadable."""
    if cell.value is not None:
        return cell.value
    text = cell.text.replace(" ", "")
    return Decimal(0) if not text or text in PLACEHOLDERS else None


def columns_with_id(table: Table, column: str) -> list[int]:
    """Columns mapped to ``column`` ("amount" also matches "amount.final")."""
    return sorted(m.col for m in table.columns if m.id is not None and column in (m.id, m.id.split(".")[0]))


def find_amount(
    table: Table, labels: tuple[str, ...], column: str, vocab: Vocabulary | None = None
) -> Fact | None:
    """The amount in ``column`` on the first row labelled with one of ``labels``.

    The amount must lie right of its label with no other label between (a 收支总表 row
    carries a 收入 and a 支出 label); header rows, where the column holds words, are passed.
    """
    keys = {label_key(w, vocab) for w in labels}
    cols = columns_with_id(table, column)
    if not cols:
        return None
    if labels == (FIRST_ROW,):
        return _first_body_amount(table, cols[0])
    for label in sorted(table.cells, key=lambda c: (c.row, c.col)):
        if not label.text or label_key(label.text, vocab) not in keys:
            continue
        right = [c for c in cols if c > label.col_end]
        if not right:
            continue
        amount = table.cell_at(label.row, right[0])
        if amount is None or amount.row != label.row or amount.row_span != 1:
            continue
        if _label_between(table, label, right[0]):
            continue
        value = amount_value(amount)
        if value is None and (label.row < table.header_rows or not looks_like_amount(amount.text)):
            continue  # a header row: the column holds its own name here
        return Fact(table, label, amount, value)
    return None


def locate(alternatives: Alternatives, tables: dict[str, Table], vocab: Vocabulary) -> list[Fact] | None:
    """The amounts of the first alternative whose every term is found in ``tables`` (by form)."""
    for terms in alternatives:
        facts = [
            find_amount(tables[t.form], t.labels, t.column, vocab) if t.form in tables else None
            for t in terms
        ]
        if all(f is not None for f in facts):
            return [f for f in facts if f is not None]
    return None


def _first_body_amount(table: Table, col: int) -> Fact | None:
    """The amount in ``col`` on the first row below the header (forms of one row, 三公经费表).

    A form whose one row of amounts is left blank has no row told apart from its header:
    then its last row, when nothing at all is printed in it, is that row (blank = 0).
    """
    rows = list(range(table.header_rows, table.n_rows))
    last = table.n_rows - 1
    if not rows and last >= 0 and not any(c.text for c in table.cells if c.row <= last <= c.row_end):
        rows = [last]
    for row in rows:
        cell = table.cell_at(row, col)
        if cell is not None and cell.row == row and cell.row_span == 1:
            value = amount_value(cell)
            if value is not None or looks_like_amount(cell.text):
                return Fact(table, cell, cell, value)
    return None


def _label_between(table: Table, label: Cell, col: int) -> bool:
    for c in range(label.col_end + 1, col):
        cell = table.cell_at(label.row, c)
        words = cell is not None and cell.row == label.row and cell.text and amount_value(cell) is None
        if words and cell is not None and not looks_like_amount(cell.text):
            return True
    return False


def subject_rows(table: Table, column: str, vocab: Vocabulary | None = None) -> dict[str, Fact]:
    """Every coded row's amount in ``column``, by its full subject code (3/5/7 digits); the
    fact's label is the row's name (subject_name column)."""
    cols = columns_with_id(table, column)
    name_cols = columns_with_id(table, "subject_name")
    if not cols or not name_cols:
        return {}
    found: dict[str, Fact] = {}
    for row, code in table.view.row_codes.items():
        name = table.cell_at(row, name_cols[0])
        amount = table.cell_at(row, cols[0])
        if name is None or not name.text or amount is None or amount.row != row:
            continue
        found.setdefault(code, Fact(table, name, amount, amount_value(amount)))
    return found


def class_rows(table: Table, column: str, vocab: Vocabulary | None = None) -> dict[str, Fact]:
    """The 类 rows (3-digit subject codes) of a table, by their comparable name."""
    found: dict[str, Fact] = {}
    for code, fact in subject_rows(table, column, vocab).items():
        if len(code) == 3:
            found.setdefault(label_key(fact.label.text, vocab), fact)
    return found
