"""The review items of a checked document: what a person should look at, and why.

Flagged amounts, low-confidence text cells, repairs to confirm, unmapped header columns, and
one item per structure flag of a table (its grid contradicts its content). Unproven amounts
are no items: they are read clearly and exported as ``unproven``; the queue holds doubt only.
"""

from __future__ import annotations

from recover.model import Cell, CellStatus, ColumnMapping, ColumnStatus, Document, Flag, FlagKind, Table
from recover.review.queue import (
    KIND_AMOUNT,
    KIND_CONFIRM,
    KIND_HEADER,
    KIND_TEXT,
    Item,
    ItemKind,
    item_key,
)

STRUCTURE_DOUBT = 4.5
"""A table whose grid contradicts itself comes first: every figure in it may sit wrong."""


def _doubt(cell: Cell, kind: ItemKind) -> float:
    """Larger for what is more likely wrong: failing totals, then unreadable amounts, then
    low scores; repairs to confirm come last."""
    uncertainty = 1.0 - cell.confidence
    kinds = {f.kind for f in cell.flags}
    if kind == KIND_CONFIRM:
        return 0.5 + uncertainty
    if FlagKind.SOURCE_INCONSISTENCY in kinds:
        return 4.0 + uncertainty
    if any(k.failing_total for k in kinds):
        return 3.5 + uncertainty
    if kind == KIND_AMOUNT and cell.value is None:
        return 3.0 + uncertainty
    return (2.0 if kind == KIND_AMOUNT else 1.0) + uncertainty


def _needs_review(cell: Cell) -> ItemKind | None:
    """The item kind of a cell, or None when nothing about it is uncertain."""
    if cell.status is CellStatus.REPAIRED:
        return KIND_CONFIRM
    if cell.status is CellStatus.FLAGGED:
        return KIND_AMOUNT
    if cell.status is CellStatus.LOW_CONFIDENCE:
        return KIND_TEXT
    return None


def table_items(doc: Document, doc_name: str, table_no: int, table: Table) -> list[Item]:
    """The items of one table: its structure flags, uncertain cells and unmapped header columns."""
    items = [_structure_item(doc, doc_name, table_no, table, f) for f in table.flags if f.kind.structural]
    for cell in table.cells:
        kind = _needs_review(cell)
        if kind is not None:
            items.append(_cell_item(doc, doc_name, table_no, table, cell, kind))
    unmapped = [m for m in table.columns if m.status is ColumnStatus.UNMAPPED]
    return items + [_header_item(doc, doc_name, table_no, table, m) for m in unmapped]


def _structure_item(doc: Document, doc_name: str, table_no: int, table: Table, flag: Flag) -> Item:
    """The item of one structure flag: the table, shown at the slot the flag points at."""
    row, col = flag.at or (table.header_rows, 0)
    key = item_key(doc.sha256, table.page, table.index, row, col, structure=flag.kind.name.lower())
    cell = table.cell_at(row, col)
    return Item(
        key=key,
        sha256=doc.sha256,
        doc=doc_name,
        page=cell.page if cell is not None else table.page,
        table_no=table_no,
        row=row,
        col=col,
        kind=ItemKind.STRUCTURE,
        doubt=STRUCTURE_DOUBT,
        printed=cell.text if cell is not None else "",
        suggestions=[],
        reason=flag.message,
        row_label=_row_label(table, row, set(table.view.numeric_cols)),
        code=table.view.row_codes.get(row, ""),
        header_path=_header_path(table, col),
        crop=f"{key}.png",
        flags=[flag],
    )


def _cell_item(doc: Document, doc_name: str, table_no: int, table: Table, cell: Cell, kind: ItemKind) -> Item:
    """The item of one uncertain cell."""
    key = item_key(doc.sha256, table.page, table.index, cell.row, cell.col)
    printed = cell.repair.printed if cell.repair is not None else cell.text
    reason = "; ".join(f.message for f in cell.flags)
    if kind == KIND_CONFIRM and cell.repair is not None:
        reason = f"repaired {cell.repair.printed} → {cell.repair.text}: {cell.repair.explanation}"
    elif kind == KIND_TEXT:
        reason = f"low OCR confidence ({cell.confidence:.2f})"
    return Item(
        key=key,
        sha256=doc.sha256,
        doc=doc_name,
        page=cell.page,  # a stitched table's cells keep their own page
        table_no=table_no,
        row=cell.row,
        col=cell.col,
        kind=kind,
        doubt=round(_doubt(cell, kind), 4),
        printed=printed,
        suggestions=[{"text": s.text, "reason": s.reason} for s in cell.suggestions],
        reason=reason,
        row_label=_row_label(table, cell.row, set(table.view.numeric_cols)),
        code=table.view.row_codes.get(cell.row, ""),
        header_path=_header_path(table, cell.col),
        crop=f"{key}.png",
        flags=list(cell.flags),
    )


def _header_item(doc: Document, doc_name: str, table_no: int, table: Table, mapping: ColumnMapping) -> Item:
    """The item of one unmapped header column: its canonical id to type."""
    key = item_key(doc.sha256, table.page, table.index, 0, mapping.col, header=True)
    near = (
        [{"text": mapping.id, "reason": f"closest column name (score {mapping.score:.0f})"}]
        if mapping.id
        else []
    )
    return Item(
        key=key,
        sha256=doc.sha256,
        doc=doc_name,
        page=table.page,
        table_no=table_no,
        row=0,
        col=mapping.col,
        kind=KIND_HEADER,
        doubt=1.5,
        printed=" / ".join(mapping.path),
        suggestions=near,
        reason="column name not recognised: type its canonical id",
        row_label="",
        code="",
        header_path=" / ".join(mapping.path),
        crop=f"{key}.png",
    )


def _row_label(table: Table, row: int, numeric_cols: set[int]) -> str:
    """The row's name: its text outside the amount columns, codes left out."""
    texts = [
        c.text
        for c in sorted(table.cells, key=lambda c: c.col)
        if c.row <= row <= c.row_end
        and c.col not in numeric_cols
        and c.text
        and not c.text.replace(" ", "").isdigit()
    ]
    return " ".join(dict.fromkeys(texts))


def _header_path(table: Table, col: int) -> str:
    mapping = next((m for m in table.columns if m.col == col), None)
    if mapping is None:
        return ""
    name = " / ".join(mapping.path)
    return f"{name} ({mapping.id})" if mapping.id else name
