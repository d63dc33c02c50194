"""What the label-driven discoveries share: the words of a cell, which columns print item
names, which print line numbers, blanks that count as zero, and the evidence a rule found
from print must have before it is kept.

A rule read from a table's labels (a 合计 row, a 小计 heading a block, a list's 一、二、… items)
is a hypothesis: it is kept only when the table's own numbers hold it on clear figures.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from recover.check.blank_cells import blank_merged_slots
from recover.check.clear import is_clear
from recover.check.confusion import alternatives, damaged_reading, default_model
from recover.check.constraints import Constraint, RuleSource, Slot
from recover.model import CellStatus, Table
from recover.read.amounts import parse_amount, strip_marks
from recover.read.chinese import chinese_count

if TYPE_CHECKING:  # discover calls these discoveries: no import of it at run time
    from recover.check.discover import TableNumbers

HALF = 0.5  # share of the evaluable places where a rule read from labels must hold …
MIN_PLACES = 4  # … when it is evaluated in this many places at least; with fewer:
SUPPORT = 0.8  # (as discover.SUPPORT)

_END_MARKS = re.compile(r"^[^\u4e00-\u9fff（(]+|[^\u4e00-\u9fff）)]+$")  # "■邵阳市", "雨花区•", "小计1"
WORD_SHARE = 0.6  # of a column's filled body cells that must carry words for it to name items
MIN_NAMES = 3  # item names a column must print to name items
LINE_HEADINGS = {"行次", "栏次"}
REMARK_HEADINGS = {"备注", "说明"}
LINE_SHARE = 0.8  # of a line-number column's filled cells that read as whole numbers


def compact(text: str) -> str:
    """The text without whitespace."""
    return re.sub(r"\s+", "", text)


def words(text: str) -> str:
    """The cell's label: its text without whitespace, or '' when it carries no word (a stray
    mark such as "•", a digit or one character left by a seal is no label)."""
    text = _END_MARKS.sub("", compact(text))
    return text if chinese_count(text) >= 2 else ""


def name_columns(table: Table, numbers: TableNumbers) -> list[int]:
    """Columns whose body cells name items: most filled ones carry words, and no amounts."""
    found = []
    for col in range(table.n_cols):
        if col in table.view.code_cols:
            continue
        texts = [numbers.texts.get((r, col), "").strip() for r in numbers.body_rows]
        filled = [t for t in texts if t]
        named = [t for t in filled if words(t)]
        if len(named) >= MIN_NAMES and len(named) >= WORD_SHARE * len(filled):
            found.append(col)
    return found


def line_number_columns(table: Table, numbers: TableNumbers) -> set[int]:
    """Amount-looking columns that print line numbers (行次 1, 2, 3, …): headed 行次 or 栏次,
    or whole numbers rising row by row. They take part in no total."""
    first_body = numbers.body_rows[0] if numbers.body_rows else table.n_rows
    headed = {
        col
        for c in table.cells
        if c.row < first_body and compact(c.text) in LINE_HEADINGS
        for col in range(c.col, c.col_end + 1)
    }
    found = headed & set(numbers.numeric_cols)
    for col in numbers.numeric_cols:
        texts = [numbers.texts.get((r, col), "").strip() for r in numbers.body_rows]
        filled = [t for t in texts if t]
        ints = [int(t) for t in filled if t.isdigit()]
        if len(ints) < 3 or len(ints) < LINE_SHARE * len(filled):
            continue
        if all(b > a for a, b in itertools.pairwise(ints)):
            found.add(col)
    return found


def remark_columns(table: Table, numbers: TableNumbers) -> set[int]:
    """Columns headed 备注 or 说明: remarks, whatever digits stray marks leave in them."""
    first_body = numbers.body_rows[0] if numbers.body_rows else table.n_rows
    return {
        col
        for c in table.cells
        if c.row < first_body and compact(c.text) in REMARK_HEADINGS
        for col in range(c.col, c.col_end + 1)
    }


def amount_columns(table: Table, numbers: TableNumbers) -> list[int]:
    """The numeric view's amount columns without line numbers and remarks."""
    left_out = line_number_columns(table, numbers) | remark_columns(table, numbers)
    return [c for c in numbers.numeric_cols if c not in left_out and not _unit_codes(numbers, c)]


def _unit_codes(numbers: TableNumbers, col: int) -> bool:
    """A column of unit codes (464, 464001) read as amounts: whole numbers, some of six digits."""
    texts = [strip_marks(compact(numbers.texts.get((r, col), ""))) for r in numbers.body_rows]
    filled = [t for t in texts if t]
    return bool(filled) and all(t.isdigit() for t in filled) and any(len(t) >= 6 for t in filled)


def count_blanks_as_zero(table: Table, numbers: TableNumbers, rows: list[int], cols: list[int]) -> None:
    """A blank amount cell (no ink) of a list or block row counts as 0, as in the body:
    rows whose every amount is blank are not body rows, but their lists still sum them."""
    blank = {
        (c.row, c.col) for c in table.cells if c.status is CellStatus.EMPTY and c.row_span == c.col_span == 1
    } | set(blank_merged_slots(table))
    for row in rows:
        for col in cols:
            if (row, col) in blank and numbers.values.get((row, col)) is None:
                numbers.values[(row, col)] = Decimal(0)


def is_mark(numbers: TableNumbers, slot: Slot) -> bool:
    """A cell in an amount column that holds no amount and no digit: a stray mark ("•", "日"),
    flagged by the checks as text among amounts; it is left out of the sums it sits in."""
    text = compact(numbers.texts.get(slot, ""))
    return bool(text) and numbers.values.get(slot) is None and not any(ch.isdigit() for ch in text)


def equation(
    source: RuleSource, label: str, target: Slot, parts: list[Slot], numbers: TableNumbers
) -> Constraint | None:
    """target = Σ parts, stray marks left out; None when the target is no amount (an amount
    between stray marks is one: the rule may repair it) or a part lies in a merged cell (the
    checks evaluate single cells only)."""
    if target not in numbers.values:
        return None
    if numbers.values[target] is None and damaged_reading(numbers.texts.get(target, "")) is None:
        return None
    kept = tuple(p for p in parts if not is_mark(numbers, p))
    if not kept or any(p not in numbers.values for p in kept):
        return None
    return Constraint(source, label, target, kept)


def _nonzero(con: Constraint, values: dict[Slot, Decimal | None]) -> bool:
    return any(values.get(s) not in (None, Decimal(0)) for s in con.slots)


def explained(con: Constraint, table: Table, values: dict[Slot, Decimal | None]) -> bool:
    """A failure one misreading explains: a cell of the rule not read clearly has a modelled
    misreading (recover.check.confusion), or is a speck's digit, under which the rule holds."""
    cells = {(c.row, c.col): c for c in table.cells if c.row_span == c.col_span == 1}
    big = [c.text for c in cells.values() if c.value is not None and abs(c.value) >= 1000]
    grouped = bool(big) and sum("," in t for t in big) >= len(big) / 2
    for slot in con.slots:
        cell = cells.get(slot)
        if cell is None or is_clear(cell):
            continue
        reading = cell.provenance.raw_text if cell.provenance and cell.provenance.raw_text else cell.text
        for alt in alternatives(reading.replace("\n", ""), default_model(), grouped):
            if con.holds({**values, slot: alt.value}):
                return True
        # A digit or two read unsurely where the filing printed nothing: a speck.
        speck = len(cell.text) <= 2 and cell.value not in (None, Decimal(0))
        if speck and con.holds({**values, slot: Decimal(0)}):
            return True
    return False


def read_back(numbers: TableNumbers) -> dict[Slot, Decimal | None]:
    """The values with each amount between stray marks read back (".105.00=" as 105.00): a
    rule read from labels is judged on them, as a misreading explains a failure; the checks
    repair such a cell only when the rules prove its reading. An amount cell with ink that
    read as no text at all (a speck) is judged as the blank it most often is; the checks
    still cannot evaluate a rule on it, so it proves nothing and accuses nothing."""
    values = dict(numbers.values)
    for slot, value in numbers.values.items():
        text = numbers.texts.get(slot, "")
        core = None if value is not None else damaged_reading(text)
        if core is not None:
            values[slot] = parse_amount(core)
        elif value is None and not text.strip() and slot[1] in numbers.numeric_cols:
            values[slot] = Decimal(0)
    return values


def kept(
    group: list[Constraint], table: Table, numbers: TableNumbers, explain: bool = True
) -> list[Constraint]:
    """The places of a rule read from labels that its numbers support.

    The rule must hold on a non-zero total somewhere and on at least HALF of the places
    where a figure is non-zero (SUPPORT of them when fewer than MIN_PLACES): a rule that
    fails in most places is a wrong rule. Where it fails, it is kept only when one
    misreading of a cell not read clearly explains the failure (``explain``), so that the
    checks repair or flag that cell: a failure on clear readings cannot tell a wrong rule
    from the filing's own error, and a wrong rule must never accuse the filing. A place it
    cannot evaluate stays when one cell there did not read as a number (the rule may repair
    it); with two such cells it would only stand in the way of their repairs. With
    ``explain``, amounts between stray marks are read back first (:func:`read_back`).
    """
    values = read_back(numbers) if explain else numbers.values
    # A total printed blank over figures does not total that column (codes, rates, remarks).
    group = [c for c in group if numbers.texts.get(c.target, "").strip() or not _nonzero(c, values)]
    evaluable = [c for c in group if c.holds(values) is not None and _nonzero(c, values)]
    holding = [c for c in evaluable if c.holds(values)]
    failing = [c for c in evaluable if not c.holds(values)]
    explained_failures = [c for c in failing if explain and explained(c, table, values)]
    shown = any(values.get(c.target) not in (None, Decimal(0)) for c in holding)
    # A place with two cells that did not read as numbers would stop the repair of either.
    unknown = {c for c in group if sum(values.get(s) is None for s in c.slots) > 1}
    share = SUPPORT if len(evaluable) < MIN_PLACES else HALF
    if shown and len(holding) >= share * len(evaluable):
        return [c for c in group if c not in unknown and (c not in failing or c in explained_failures)]
    # Nowhere as read, but everywhere once one misread cell is read back: the misreading
    # is the evidence (and the checks repair it only when it is the single explanation).
    if failing and len(explained_failures) == len(failing) and len(failing) >= len(holding):
        return [c for c in group if c not in unknown]
    return []
