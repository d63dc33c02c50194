"""Find the arithmetic a table obeys: from its structure and from its own numbers.

What is found here is a hypothesis: the check judges each against the table's numbers
before using it (:mod:`recover.check.hypotheses`), whichever function found it; only the
rules of the form (收入总计 = 支出总计) stand by themselves. Constraints found from numbers
use the values as read, so one misread digit cannot hide a rule the other rows confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import combinations

from recover.check.blank_cells import blank_merged_slots
from recover.check.code_lists import code_lists
from recover.check.confusion import damaged_reading
from recover.check.constraints import Constraint, RuleSource, Slot
from recover.check.discovery_labels import label_rules
from recover.check.discovery_lists import list_rules
from recover.check.discovery_regions import region_rules
from recover.check.discovery_support import read_back
from recover.check.total_headers import heads_total, total_block, total_columns
from recover.label.numeric_view import SUBTOTAL_LABEL, TOTAL_LABEL
from recover.model import Cell, CellStatus, Table
from recover.read.amounts import parse_amount

SUPPORT = 0.8  # share of governed, evaluable places where a discovered rule must hold
MIN_EVIDENCE = 2  # non-zero places that must confirm it
MAX_PARTS = 4  # column subsets searched (contiguous runs may be longer)


@dataclass
class TableNumbers:
    """The amounts of a table on its numeric view: values by slot (blank = 0 in the body)."""

    values: dict[Slot, Decimal | None]
    texts: dict[Slot, str]
    body_rows: list[int]
    numeric_cols: list[int]
    n_cols: int

    def row_label(self, row: int) -> str:
        """Non-numeric text of the row (codes excluded), whitespace removed."""
        parts = []
        for col in range(self.n_cols):
            text = self.texts.get((row, col), "")
            if text and self.values.get((row, col)) is None and not text.replace(" ", "").isdigit():
                parts.append(text)
        return re.sub(r"\s+", "", "".join(parts))


def table_numbers(table: Table) -> TableNumbers:
    """The current values of ``table`` on the numeric view labelling recorded (``table.view``).

    Filings leave zero amounts blank: a blank cell (no ink at all) in an amount column of a
    body row counts as 0; one with ink that did not read stays unknown.
    """
    values: dict[Slot, Decimal | None] = {}
    texts: dict[Slot, str] = {}
    blank: set[Slot] = set()
    for cell in table.cells:
        texts[(cell.row, cell.col)] = cell.text
        if cell.row_span == 1 and cell.col_span == 1:
            values[(cell.row, cell.col)] = cell.value
            if cell.status is CellStatus.EMPTY:
                blank.add((cell.row, cell.col))
    for slot in blank_merged_slots(table):
        texts[slot] = ""
        blank.add(slot)
    view = table.view
    counting = list(view.numbering_rows)
    rows = list(view.body_rows)
    cols = list(view.numeric_cols)
    if counting and cols:
        # Without its 栏次 row, a numbered column blank in every body row is a column of zeros.
        cols = sorted(
            cols
            + [
                c
                for c in range(cols[0] + 1, table.n_cols)
                if c not in cols
                and any(texts.get((r, c), "").strip() for r in counting)
                and all((r, c) in blank for r in rows)
            ]
        )
    # A column of amounts most of which did not read ("1.359.91", "1,359,91") is no text
    # column because labelling could not tell: its amounts may still be repaired.
    cols = sorted(
        cols + [c for c in range(table.n_cols) if c not in cols and _damaged_amounts(texts, rows, c)]
    )
    for row in rows:
        for col in cols:
            if (row, col) in blank:
                values[(row, col)] = Decimal(0)
    return TableNumbers(values, texts, rows, cols, table.n_cols)


def _damaged_amounts(texts: dict[Slot, str], rows: list[int], col: int) -> bool:
    """Every filled body cell an amount with decimals or one between stray marks, and more
    than one of them, at least one damaged (a column of codes or line numbers never is)."""
    filled = [t for r in rows if (t := texts.get((r, col), "").replace(" ", ""))]
    damaged = [t for t in filled if damaged_reading(t) is not None]
    decimal = [t for t in filled if "." in t and parse_amount(t) is not None]
    return len(filled) > 1 and bool(damaged) and len(damaged) + len(decimal) == len(filled)


def _supported(constraints: list[Constraint], values: dict[Slot, Decimal | None]) -> bool:
    """Holds on at least SUPPORT of the evaluable places, MIN_EVIDENCE of them non-zero.

    Places where every figure is zero (blank) hold trivially and count for nothing.
    """
    evaluable = [
        c
        for c in constraints
        if c.holds(values) is not None and any(values.get(s) != Decimal(0) for s in c.slots)
    ]
    holding = [c for c in evaluable if c.holds(values)]
    nonzero = [c for c in holding if values.get(c.target) not in (None, Decimal(0))]
    return bool(evaluable) and len(holding) >= SUPPORT * len(evaluable) and len(nonzero) >= MIN_EVIDENCE


def column_identities(numbers: TableNumbers) -> list[Constraint]:
    """In each body row, column t = Σ other columns, where most rows agree."""
    found: list[Constraint] = []
    cols = numbers.numeric_cols
    values = read_back(numbers)  # a damaged amount ("1.359.91") read back is evidence too
    used_targets: set[int] = set()
    for t in cols:
        others = [c for c in cols if c > t]
        # Columns that are zero in every row only add ambiguity to the search.
        live = [
            c for c in others if any(values.get((r, c)) not in (None, Decimal(0)) for r in numbers.body_rows)
        ]
        candidates: list[tuple[int, ...]] = []
        for k in range(2, len(others) + 1):
            candidates.append(tuple(others[:k]))  # contiguous runs, zero columns included
        for k in range(2, min(MAX_PARTS, len(live)) + 1):
            candidates.extend(combinations(live[:8], k))
        best: tuple[int, ...] | None = None
        for parts in candidates:
            rows = [
                Constraint(RuleSource.COLUMNS, "", (r, t), tuple((r, c) for c in parts))
                for r in numbers.body_rows
            ]
            if _supported(rows, values) and (best is None or len(parts) > len(best)):
                best = parts
        if best is None or t in used_targets:
            continue
        used_targets.add(t)
        label = f"column {t + 1} = " + " + ".join(f"column {c + 1}" for c in best)
        found.extend(
            Constraint(RuleSource.COLUMNS, label, (r, t), tuple((r, c) for c in best))
            for r in numbers.body_rows
        )
    return found


def _group_parts(
    group: Cell, header: list[Cell], numbers: TableNumbers, totals: frozenset[int] = frozenset()
) -> list[int]:
    """The columns through which a header group counts in its parent's total: its own
    合计/小计 column; without one, the parts of each of its sub-headers (a leaf counts
    itself); a group whose sub-header did not survive counts through its first column
    when the numbers show that column is the sum of the others, else through all of them."""
    cols = [c for c in range(group.col, group.col_end + 1) if c in numbers.numeric_cols]
    if group.col_span == 1 and not cols and _damaged_column(numbers, group.col):
        return [group.col]  # its only figures did not read, so labelling took it for text
    if group.col_span == 1:
        # A column with neither a name nor a figure is a gap in the grid, no part of a total.
        unnamed = not re.search(r"[\u4e00-\u9fff]", group.text)
        empty = all(not numbers.texts.get((r, c)) for c in cols for r in numbers.body_rows)
        return [] if unnamed and empty else cols
    children = [
        c for c in header if c.row == group.row_end + 1 and group.col <= c.col and c.col_end <= group.col_end
    ]
    own_total = [
        c.col for c in children if c.col_span == 1 and c.col in cols and heads_total(c, header, totals)
    ]
    if own_total:
        return own_total[:1]
    if children:
        return [col for child in children for col in _group_parts(child, header, numbers, totals)]
    if len(cols) > 2:
        first = [
            Constraint(RuleSource.COLUMNS, "", (r, cols[0]), tuple((r, c) for c in cols[1:]))
            for r in numbers.body_rows
        ]
        if _supported(first, numbers.values):
            return cols[:1]
    return cols


def _damaged_column(numbers: TableNumbers, col: int) -> bool:
    """A column whose filled body cells all read as amounts between stray marks (".2.17"),
    none as a clean number (a line number, a code); its blanks then count as 0."""
    texts = [numbers.texts.get((r, col), "").strip() for r in numbers.body_rows]
    if not any(texts) or not all(damaged_reading(t) is not None for t in texts if t):
        return False
    for row, text in zip(numbers.body_rows, texts, strict=True):
        if not text:
            numbers.values[(row, col)] = Decimal(0)
    return True


def _sibling_parts(
    cell: Cell, header: list[Cell], numbers: TableNumbers, totals: frozenset[int], span: tuple[int, int]
) -> list[int]:
    """The columns through which the header cells beside ``cell`` within ``span`` count."""
    lo, hi = span
    siblings = [c for c in header if c.row == cell.row and lo <= c.col and c.col_end <= hi and c is not cell]
    return [col for sib in siblings for col in _group_parts(sib, header, numbers, totals)]


def header_identities(table: Table, numbers: TableNumbers) -> list[Constraint]:
    """A 合计 column printed beside its parts under one parent header (or beside them at the
    top level): in each body row it is the sum of its siblings — each sibling group through
    its own 合计 column, each ungrouped leaf (住房公积金 beside the groups) by itself.

    The rule comes from the header, so a short table need not prove it on 80% of its rows:
    it is a hypothesis the table's numbers must not contradict (:mod:`recover.check.hypotheses`).
    """
    if not numbers.body_rows:
        return []
    first_body = numbers.body_rows[0]
    header = [c for c in table.cells if c.row_end < first_body]
    totals = total_columns(table)
    found: list[Constraint] = []
    for cell in header:
        if (
            cell.col_span != 1
            or cell.col not in numbers.numeric_cols
            or not heads_total(cell, header, totals)
        ):
            continue
        parent = next(
            (p for p in header if p.row_end == cell.row - 1 and p.col <= cell.col <= p.col_end), None
        )
        lo, hi = (parent.col, parent.col_end) if parent is not None else (0, table.n_cols - 1)
        parts = _sibling_parts(cell, header, numbers, totals, (lo, hi))
        named = parent is not None and bool(re.search(r"[\u4e00-\u9fff]", parent.text))
        proven_only = False
        if parent is not None and not named and len(parts) < 2:
            # A blank parent over a 合计 is a heading the grid cut (预算数 split in pieces): the block
            # runs to the next total of the row, a reading the numbers must prove, never accuse by.
            block = total_block(cell, header, table.n_cols, totals)
            parts = _sibling_parts(cell, header, numbers, totals, block)
            proven_only = True
        # One part is a rule only under a parent heading that read: a blank one over two
        # columns is a heading the grid cut, not a group of one.
        if len(parts) < 2 and not (len(parts) == 1 and named):
            continue
        label = f"column {cell.col + 1} = " + " + ".join(f"column {c + 1}" for c in parts) + " (header)"
        group = [
            Constraint(RuleSource.HEADER, label, (r, cell.col), tuple((r, c) for c in parts))
            for r in numbers.body_rows
        ]
        evaluable = [
            c
            for c in group
            if c.holds(numbers.values) is not None
            and any(numbers.values.get(s) != Decimal(0) for s in c.slots)
        ]
        if proven_only and not (evaluable and all(c.holds(numbers.values) for c in evaluable)):
            continue
        if len(evaluable) < MIN_EVIDENCE:
            # One row cannot tell a misread header from a misread number: the rule may
            # flag a failure for review but never repairs by it.
            group = [replace(c, repairable=False) for c in group]
        # Whether the numbers bear the header out is the hypotheses' judgement (repair).
        found.extend(group)
    return found


def code_hierarchy(table: Table, numbers: TableNumbers) -> list[Constraint]:
    """In each code list, a 类 row is the sum of its 款 rows and a 款 row the sum of its 项 rows
    (function classification), a 301 row the sum of its 301xx rows (economic ones), in every
    amount column the list governs. The children of a code are the rows under it, up to the
    next code outside it; a code whose rows run to the end of the table may continue on a
    page not read, so it is kept only in the columns where it holds."""
    found: list[Constraint] = []
    last_body = numbers.body_rows[-1] if numbers.body_rows else -1
    for codes in code_lists(table, numbers):
        entries = list(codes.codes)
        for i, (row, code) in enumerate(entries):
            children = []
            for child_row, child in entries[i + 1 :]:
                if not child.startswith(code):
                    break
                if len(child) == len(code) + 2:
                    children.append(child_row)
            if not children:
                continue
            group = [
                Constraint(
                    RuleSource.SUBJECT_CODES,
                    f"{code} = Σ its {len(code) + 2}-digit rows",
                    (row, col),
                    tuple((r, col) for r in children),
                )
                for col in codes.value_cols
            ]
            run_to_end = all(c.startswith(code) for _, c in entries[i:]) and entries[-1][0] == last_body
            if run_to_end:
                # Its remaining rows may be on a page not read: only where it holds is it known.
                group = [c for c in group if c.holds(numbers.values)]
            found.extend(group)
    return found


def total_rows(table: Table, numbers: TableNumbers) -> list[Constraint]:
    """合计/总计 rows over the top-level rows, 小计 rows over the rows they close."""
    codes = table.view.row_codes
    found: list[Constraint] = []
    start = numbers.body_rows[0] if numbers.body_rows else 0
    for row in numbers.body_rows:
        label = numbers.row_label(row)
        if SUBTOTAL_LABEL.search(label):
            parts = [r for r in numbers.body_rows if start <= r < row]
            start = row + 1
        elif TOTAL_LABEL.search(label):
            top = [r for r, c in codes.items() if len(c) == 3]
            parts = top or [
                r for r in numbers.body_rows if r != row and not SUBTOTAL_LABEL.search(numbers.row_label(r))
            ]
        else:
            continue
        if not parts:
            continue
        group = [
            Constraint(
                RuleSource.TOTAL_ROW,
                f"{label} = Σ the rows it closes",
                (row, col),
                tuple((r, col) for r in parts),
            )
            for col in numbers.numeric_cols
        ]
        if _supported(group, numbers.values):
            found.extend(group)
    return found


def balance(numbers: TableNumbers) -> list[Constraint]:
    """收入总计 = 支出总计 (and 收入合计 = 支出合计) in the 收支总表 forms: a rule of the form."""
    income: list[Slot] = []
    spending: list[Slot] = []
    for (row, col), text in numbers.texts.items():
        compact = re.sub(r"\s+", "", text)
        value_slot = next(
            ((row, c) for c in range(col + 1, numbers.n_cols) if numbers.values.get((row, c)) is not None),
            None,
        )
        if value_slot is None:
            continue
        if re.fullmatch(r"收入(总计|合计)", compact):
            income.append(value_slot)
        elif re.fullmatch(r"支出(总计|合计)", compact):
            spending.append(value_slot)
    if len(income) == 1 and len(spending) == 1:
        return [Constraint(RuleSource.FORM_RULE, "收入总计 = 支出总计", income[0], (spending[0],))]
    return []


def discover(table: Table) -> tuple[TableNumbers, list[Constraint]]:
    """All constraints of a table that its structure or numbers support (on ``table.view``)."""
    numbers = table_numbers(table)
    if not numbers.body_rows or not numbers.numeric_cols:
        return numbers, []
    by_header = header_identities(table, numbers)
    # The header's rule stands for a numerically found one on the same column.
    header_targets = {c.target[1] for c in by_header}
    constraints = (
        by_header
        + [c for c in column_identities(numbers) if c.target[1] not in header_targets]
        + code_hierarchy(table, numbers)
        + total_rows(table, numbers)
        + balance(numbers)
    )
    # Rules read from what the table prints: lists, region blocks, 合计 and 部门/单位 rows.
    constraints += list_rules(table, numbers) or region_rules(table, numbers) or label_rules(table, numbers)
    return numbers, distinct(constraints)


def distinct(constraints: list[Constraint]) -> list[Constraint]:
    """Each rule once: the first of those with the same total and parts (or, for two cells,
    the same pair either way round)."""
    seen: set[tuple[Slot, frozenset[Slot]]] = set()
    kept = []
    for con in constraints:
        key = (con.target, frozenset(con.parts))
        if key in seen:
            continue
        seen.add(key)
        if len(con.parts) == 1:
            seen.add((con.parts[0], frozenset([con.target])))
        kept.append(con)
    return kept
