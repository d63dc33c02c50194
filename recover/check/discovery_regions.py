"""Region hierarchies of allocation tables (资金分配表, 补助经费安排表).

The table names a 市州 in a cell merged down the rows of its block and the 县市区 beside it:
the block's first (or last) row is its 小计 (长沙市小计), over the other rows of the block; a
小计 inside the block (市本级及所辖区小计) is over the run of rows printed right under it, as long
as the numbers say; a 合计 row (全省合计) is over the blocks' 小计 rows and the rows outside
any block. A stitched table is one table here: a block cut by a page break was joined by the
assemble stage. Every rule is kept only when the numbers hold it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from recover.check.constraints import Constraint, RuleSource
from recover.check.discovery_support import (
    amount_columns,
    count_blanks_as_zero,
    equation,
    kept,
    name_columns,
    words,
)
from recover.model import Table
from recover.read.chinese import has_chinese

if TYPE_CHECKING:
    from recover.check.discover import TableNumbers

_SUBTOTAL = re.compile(r"(小计|合计)$")
_GRAND = re.compile(r"(合计|总计)$")


def _blocks(table: Table, numbers: TableNumbers, col: int) -> list[range]:
    """The rows of each block: a named cell of ``col`` and the rows it is merged down over
    (a cell cut from its name, "市" under "衡阳", is a block too: joined below)."""
    # A row whose amount did not read is no body row, but it is in its block all the same.
    body = set(range(numbers.body_rows[0], numbers.body_rows[-1] + 1))
    cells = [
        c
        for c in table.cells
        if c.col == col
        and c.col_span == 1
        and c.row in body
        and (words(c.text) or (c.row_span > 1 and has_chinese(c.text)))
        and not _GRAND.search(words(c.text))
    ]
    return [range(c.row, c.row_end + 1) for c in sorted(cells, key=lambda c: c.row)]


class _Region:
    """One table's amount columns and the rule builder over them."""

    def __init__(self, table: Table, numbers: TableNumbers, cols: list[int], names: tuple[int, int]) -> None:
        self.table, self.numbers, self.cols, self.names = table, numbers, cols, names

    def label(self, row: int) -> str:
        """The row's name: the 县市区 column's, else the 市州 column's (a 合计 merged across)."""
        item, block = self.names
        texts = self.numbers.texts
        return words(texts.get((row, item), "")) or words(texts.get((row, block), ""))

    def rule(self, target: int, parts: list[int], what: str, explain: bool = True) -> list[Constraint]:
        """target row = Σ parts rows in every amount column, where the numbers support it."""
        group = []
        for col in self.cols:
            con = equation(
                RuleSource.REGION_SUBTOTAL, what, (target, col), [(r, col) for r in parts], self.numbers
            )
            if con is not None:
                group.append(con)
        return kept(group, self.table, self.numbers, explain)

    def nested(
        self, sub: int, run: list[int], head: int, members: list[int]
    ) -> tuple[list[Constraint], list[int]]:
        """A 小计 inside a block over the rows right under it: as many as the numbers say —
        as read first, else with one misreading explained where the block's rule agrees."""
        what = f"{self.label(sub)} = Σ the rows under it"
        for explain in (False, True):
            for k in range(1, len(run) + 1):
                found = self.rule(sub, run[:k], what, explain)
                rest = [r for r in members if r not in run[:k]]
                if found and (not explain or self.rule(head, rest, "", explain)):
                    return found, run[:k]
        return [], []

    def block(self, rows: range) -> tuple[int | None, list[Constraint]]:
        """The block's 小计 row and its rules (nested 小计 first)."""
        labels = {r: self.label(r) for r in rows}
        head = next((r for r in (rows[0], rows[-1]) if _SUBTOTAL.search(labels[r])), None)
        if head is None or len(rows) < 2:
            return (rows[0] if len(rows) == 1 else None), []
        members = [r for r in rows if r != head]
        found: list[Constraint] = []
        covered: set[int] = set()
        for sub in (r for r in members if _SUBTOTAL.search(labels[r])):
            run = [r for r in members if r > sub and not _SUBTOTAL.search(labels[r]) and r not in covered]
            rules, under = self.nested(sub, run, head, members)
            found += rules
            covered.update(under)
        parts = [r for r in members if r not in covered]
        what = f"{labels[head]} = Σ the rows of its block"
        # A nested 小计 whose rows the numbers do not tell: the block's own rows still add up.
        leaves = [r for r in members if not _SUBTOTAL.search(labels[r])]
        found += self.rule(head, parts, what) or (
            self.rule(head, leaves, what) if covered != set(leaves) else []
        )
        return head, found

    def blocks(self, rows: range) -> list[tuple[int | None, list[Constraint]]]:
        """Each block's 小计 row and rules; a merged cell over two blocks (衡阳市 and 邵阳市
        read as one cell) is split at the 小计 row above which the first block adds up."""
        head, found = self.block(rows)
        if head is None or any(c.target[0] == head for c in found):
            return [(head, found)]
        for split in (r for r in rows[1:] if _SUBTOTAL.search(self.label(r))):
            first_head, first = self.block(range(rows[0], split))
            if first_head == rows[0] and any(c.target[0] == first_head for c in first):
                return [(first_head, first), *self.blocks(range(split, rows[-1] + 1))]
        return [(head, found)]


def _joined(blocks: list[range], region: _Region) -> list[range]:
    """Blocks with a merged cell cut in two (a 市州 name read as two cells, "衡阳" over "市"):
    a block of several rows without a 小计 of its own continues a block that opens with one."""
    joined: list[range] = []
    for rows in blocks:
        prev = joined[-1] if joined else None
        opens = prev is not None and bool(_SUBTOTAL.search(region.label(prev[0])))
        own = any(_SUBTOTAL.search(region.label(r)) for r in rows)
        if prev is not None and opens and len(rows) > 1 and prev[-1] + 1 == rows[0] and not own:
            joined[-1] = range(prev[0], rows[-1] + 1)
            continue
        joined.append(rows)
    return joined


def region_rules(table: Table, numbers: TableNumbers) -> list[Constraint]:
    """小计 rows over their blocks and a 合计 over the blocks, in a table whose regions are
    named in cells merged down their rows (none in a table with subject codes)."""
    if table.view.row_codes or not numbers.body_rows:
        return []
    names = name_columns(table, numbers)
    merged = {c.col for c in table.cells if c.row_span > 1 and c.row in numbers.body_rows and words(c.text)}
    block_col = next((c for c in names if c in merged), None)
    if block_col is None:
        return []
    item_col = next((c for c in names if c > block_col), block_col)
    cols = [c for c in amount_columns(table, numbers) if c > item_col]
    body = numbers.body_rows
    count_blanks_as_zero(table, numbers, list(range(body[0], body[-1] + 1)), cols)
    region = _Region(table, numbers, cols, (item_col, block_col))
    found: list[Constraint] = []
    entries: list[int] = []
    in_blocks: set[int] = set()
    for rows in _joined(_blocks(table, numbers, block_col), region):
        in_blocks.update(rows)
        for head, rules in region.blocks(rows):
            found += rules
            entries += [head] if head is not None else [r for r in rows if r in body]
    for row in body:
        if row not in in_blocks and _GRAND.search(region.label(row)) and "小计" not in region.label(row):
            others = [
                r for r in body if r not in in_blocks and r != row and not _GRAND.search(region.label(r))
            ]
            found += region.rule(row, sorted(entries + others), f"{region.label(row)} = Σ the blocks")
    return found
