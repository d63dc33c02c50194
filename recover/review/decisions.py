"""Decisions applied to the recovered model: cell values, re-checked totals, export.

A decision replaces a cell's text (status ``reviewed``, the former text kept in
``cell.review``); header decisions set the column's canonical id. After each decision the
table's constraints are evaluated again: an open item whose every total now holds is settled
(exported as ``proven``). A decision on a table's structure item records that the table was
looked at; it changes no cell.
"""

from __future__ import annotations

import json
from pathlib import Path

from recover.check.constraints import Constraint, Slot
from recover.check.discover import table_numbers
from recover.errors import RecoverError
from recover.export.formats import OutputFormat, recorded_formats
from recover.export.outputs import write_document
from recover.label.vocabulary import Vocabulary
from recover.model import CellStatus, ColumnStatus, Document, Review, Table
from recover.read.amounts import clean_text, parse_amount
from recover.review.queue import KIND_AMOUNT, KIND_HEADER, Decision, Item, ItemKind, ReviewQueue


def apply_to_table(table: Table, items: list[Item], decided: dict[str, Decision]) -> None:
    """Write the decisions on ``items`` into ``table`` (in place)."""
    for item in items:
        decision = decided.get(item.key)
        if decision is None:
            continue
        if item.kind == KIND_HEADER:
            mapping = next((m for m in table.columns if m.col == item.col), None)
            if mapping is not None and decision.text:
                mapping.id, mapping.status = decision.text, ColumnStatus.REVIEWED
            continue
        if item.kind == ItemKind.STRUCTURE:
            continue  # the table was looked at; its cells are decided by their own items
        cell = table.cell_at(item.row, item.col)
        if cell is None:
            continue
        previous = cell.review.printed if cell.review is not None else cell.text
        cell.review = Review(decision.action, previous, decision.text, decision.reviewer, decision.at)
        cell.text = decision.text
        cell.value = parse_amount(clean_text(decision.text))
        cell.status = CellStatus.REVIEWED


def settled_by_totals(table: Table, items: list[Item], decided: dict[str, Decision]) -> dict[str, str]:
    """Open items of ``table`` that the decisions settled: every total on the cell holds now.

    ``table`` must already carry the decisions. Returns item key → the latest decision's key.
    """
    if table.checks is None or not decided:
        return {}
    mine = [d for d in decided.values() if any(d.key == i.key for i in items)]
    if not mine:
        return {}
    latest = max(mine, key=lambda d: d.seq).key
    values = table_numbers(table).values
    on_slot: dict[Slot, list[Constraint]] = {}
    for checked in table.checks.rules:
        con = checked.rule
        for slot in con.slots:
            on_slot.setdefault(slot, []).append(con)
    settled = {}
    for item in items:
        # Only amounts flagged by the totals can be settled by them; a repair still awaits
        # its own confirmation.
        if item.key in decided or item.kind != KIND_AMOUNT or item.across_tables:
            continue  # a disagreement with another table is not settled by this table's totals
        constraints = on_slot.get((item.row, item.col), [])
        if constraints and all(c.holds(values) for c in constraints):
            settled[item.key] = latest
    return settled


def check_correction(item: Item, text: str, vocab: Vocabulary) -> str | None:
    """Why a typed correction cannot be taken, or None when it can."""
    if item.kind == KIND_HEADER:
        known = {c.id for c in vocab.columns}
        return None if text in known else f"'{text}' is not a column id of recover/data/columns.yaml"
    if item.kind == ItemKind.STRUCTURE and text:
        return "a table's structure is accepted as looked at or skipped; correct its cells in their own items"
    if item.kind != "text" and text and parse_amount(clean_text(text)) is None:
        return f"'{text}' is not an amount (digits, optional , separators and one decimal point)"
    return None


def export_reviewed(
    out_root: Path,
    queue: ReviewQueue,
    unit: str | None = None,
    formats: frozenset[OutputFormat] | None = None,
) -> list[Path]:
    """Rewrite the outputs of every reviewed document in ``out_root``: those its extraction
    wrote (recorded in its result.json) unless ``formats`` says otherwise."""
    written = []
    decided = queue.decisions()
    resolved = queue.resolved()
    for result in sorted(out_root.glob("*/result.json")):
        doc_dir = result.parent
        try:
            recorded = json.loads(result.read_text(encoding="utf-8"))
            doc = Document.from_dict(recorded)
        except (OSError, ValueError, KeyError) as exc:
            raise RecoverError(f"{result}: cannot read result.json ({exc})") from None
        for table_no, table in enumerate(doc.tables, start=1):
            items = queue.items_of_table(doc.sha256, table_no)
            apply_to_table(table, items, decided)
            for item in items:
                by = resolved.get(item.key)
                cell = table.cell_at(item.row, item.col)
                if by is None or item.key in decided or cell is None or cell.status is CellStatus.REVIEWED:
                    continue
                decision = decided.get(by)
                cell.status = CellStatus.PROVEN  # every total on it holds now
                cell.review = Review(
                    "resolved", cell.text, cell.text,
                    decision.reviewer if decision else "", decision.at if decision else "",
                )  # fmt: skip
        write_document(doc_dir, doc, unit, formats or recorded_formats(recorded))
        written.append(doc_dir)
    return written
