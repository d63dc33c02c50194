"""Rules derived from a table's headers, labels or numbers are hypotheses, judged by the
table's own numbers before anything is checked against the filing.

A hypothesis is one rule applied in several places (a row rule in every body row, a code
hierarchy or a total row in every amount column): the constraints of one source and label.
Its places that hold on non-zero figures support it; its places that fail on figures read
clearly count against it (a failure on an unclear reading may be a misread, which the
repair decides). A hypothesis that fails by the same amount in two places or more (a part
left out: 住房公积金 forgotten beside the group 合计 columns), or fails more often than it
holds, is a wrong rule: it is dropped and recorded, never reported against the filing, and
replaced by its amendment when adding or removing one part makes it hold everywhere. Only
a hypothesis that holds more often than it fails (``supported``), or a documented rule of a
standard form, may call a break the filing's own; and only when one cell explains the break
and every reading in it is confirmed (:func:`one_cell_explains`, :func:`confirmed`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from recover.check.clear import is_clear
from recover.check.constraints import Constraint, RuleSource, Slot
from recover.model import Cell, CellStatus, DroppedRule, DropReason, TextSource
from recover.read.amounts import clean_text, parse_amount
from recover.read.reread import Reread

DOCUMENTED = frozenset({RuleSource.FORM_RULE})
"""Sources whose rules are stated by the standard form itself, not inferred."""
MIN_AMENDMENT_SUPPORT = 2  # places an amended rule must hold on (non-zero), failing nowhere clearly

Values = Mapping[Slot, Decimal | None]
Key = tuple[RuleSource, str]


@dataclass
class Judgement:
    """The rules kept (in discovery order), those of them the numbers support, and the
    hypotheses dropped as wrong rules."""

    kept: list[Constraint] = field(default_factory=list)
    supported: set[Constraint] = field(default_factory=set)
    dropped: list[DroppedRule] = field(default_factory=list)


@dataclass(frozen=True)
class _Tally:
    places: int
    holding: int
    failing: list[Decimal]  # residuals of the places that fail on clear readings
    failing_any: int  # places that fail, on any reading

    @property
    def constant_offset(self) -> Decimal | None:
        """The common residual when two places or more fail, all by the same amount."""
        if len(self.failing) >= 2 and len(set(self.failing)) == 1:
            return self.failing[0]
        return None


PER_ITEM = frozenset({RuleSource.LIST_TOTAL, RuleSource.REGION_SUBTOTAL, RuleSource.LABEL_TOTAL})
"""Sources whose labels name the item ("一、… = Σ its sub-items"): one hypothesis is the
rule's form over every item it applies to, so the items that hold support the others."""


def _family(con: Constraint) -> str:
    if con.source in PER_ITEM and " = " in con.label:
        return con.label.split(" = ", 1)[1]
    return con.label


def group(constraints: Iterable[Constraint]) -> dict[Key, list[Constraint]]:
    """The hypotheses: constraints of one source and rule form, in discovery order."""
    groups: dict[Key, list[Constraint]] = {}
    for con in constraints:
        groups.setdefault((con.source, _family(con)), []).append(con)
    return groups


def _clear(slot: Slot, cells: Mapping[Slot, Cell]) -> bool:
    cell = cells.get(slot)
    return cell is not None and is_clear(cell)


def tally(rules: list[Constraint], values: Values, cells: Mapping[Slot, Cell]) -> _Tally:
    """Places that hold on non-zero figures, and residuals of those failing on clear readings."""
    holding = failing_any = 0
    failing: list[Decimal] = []
    for con in rules:
        held = con.holds(values)
        if held and any(values.get(s) not in (None, Decimal(0)) for s in con.slots):
            holding += 1
        elif held is False:
            failing_any += 1
            residual = con.residual(values)
            if residual is not None and all(_clear(s, cells) for s in con.slots):
                failing.append(residual)
    return _Tally(len(rules), holding, failing, failing_any)


def _reason(t: _Tally) -> DropReason | None:
    if t.constant_offset is not None:
        return DropReason.CONSTANT_OFFSET
    # Fails more often than it holds: on clear readings, or on any reading at all (a rule
    # that the misreads of a scan would have to rescue in most places is no evidence). One
    # that fails on clear readings as often as it holds is no evidence either: it would
    # accuse the filing on a coin's toss.
    if (len(t.failing) >= 2 and len(t.failing) > t.holding) or (
        t.failing_any >= 2 and (t.failing_any > t.holding or (t.failing and t.failing_any == t.holding))
    ):
        return DropReason.FAILS_MOSTLY
    return None


def judge(
    constraints: list[Constraint],
    values: Values,
    cells: Mapping[Slot, Cell],
    rows: list[int],
    cols: list[int],
) -> Judgement:
    """Keep the hypotheses the numbers do not contradict; drop (and amend) the wrong ones.

    ``rows`` and ``cols`` are the body rows and amount columns an amendment may add.
    """
    out = Judgement()
    taken = {(c.target, frozenset(c.parts)) for c in constraints}
    for (source, label), rules in group(constraints).items():
        if source in DOCUMENTED:
            out.kept.extend(rules)
            out.supported.update(rules)
            continue
        t = tally(rules, values, cells)
        reason = _reason(t)
        if reason is None:
            if t.holding > len(t.failing):
                out.kept.extend(rules)
                out.supported.update(rules)
            else:
                # Not borne out by a single place: it may flag a failure, never repair by it.
                out.kept.extend(replace(c, repairable=False) for c in rules)
            continue
        amended = amend(rules, values, cells, rows, cols)
        if amended and all((c.target, frozenset(c.parts)) not in taken for c in amended):
            taken.update((c.target, frozenset(c.parts)) for c in amended)
            out.kept.extend(amended)
            out.supported.update(amended)
        out.dropped.append(
            DroppedRule(
                source.value,
                label,
                reason,
                t.places,
                t.holding,
                len(t.failing),
                t.constant_offset,
                amended[0].label if amended else "",
                tuple(rules),
            )
        )
    return out


def _axis(rules: list[Constraint]) -> str | None:
    """'row' when every place lies in one row (a column rule), 'col' when in one column."""
    if all(len({s[0] for s in c.slots}) == 1 for c in rules):
        return "row"
    if all(len({s[1] for s in c.slots}) == 1 for c in rules):
        return "col"
    return None


def _shifted(con: Constraint, axis: str, add: int | None, remove: int | None, label: str) -> Constraint:
    """``con`` with one part line added (``add``) or removed (``remove``), in its own row/column."""
    fixed = con.target[0] if axis == "row" else con.target[1]

    def slot(line: int) -> Slot:
        return (fixed, line) if axis == "row" else (line, fixed)

    index = 1 if axis == "row" else 0
    parts = tuple(p for p in con.parts if p[index] != remove)
    if add is not None:
        parts = (*parts, slot(add))
    return replace(con, label=label, parts=parts)


def amend(
    rules: list[Constraint], values: Values, cells: Mapping[Slot, Cell], rows: list[int], cols: list[int]
) -> list[Constraint]:
    """The one rule that differs from a wrong hypothesis by one part (a column or row added
    or removed) and holds wherever it can be told, on non-zero figures in at least
    MIN_AMENDMENT_SUPPORT places; empty when there is none or more than one."""
    axis = _axis(rules)
    if axis is None:
        return []
    first = rules[0]
    index = 1 if axis == "row" else 0
    used = {s[index] for s in first.slots}
    parts = sorted({p[index] for p in first.parts})
    pool = cols if axis == "row" else rows
    name = "column" if axis == "row" else "row"
    options: list[tuple[int | None, int | None, str]] = [
        (line, None, f"{first.label} + {name} {line + 1}") for line in pool if line not in used
    ]
    options += [(None, line, f"{first.label} − {name} {line + 1}") for line in parts if len(parts) > 2]
    found: list[list[Constraint]] = []
    for add, remove, label in options:
        trial = [_shifted(c, axis, add, remove, label) for c in rules]
        t = tally(trial, values, cells)
        if not t.failing and t.holding >= MIN_AMENDMENT_SUPPORT and _none_fail(trial, values):
            found.append(trial)
    return found[0] if len(found) == 1 else []


def _none_fail(rules: list[Constraint], values: Values) -> bool:
    return all(c.holds(values) is not False for c in rules)


def one_cell_explains(con: Constraint, values: Values, on_slot: Mapping[Slot, list[Constraint]]) -> bool:
    """Whether one cell, printed otherwise, would make ``con`` and every other rule on that
    cell hold: a break of the filing is one wrong figure, not a rule that misses a part."""
    residual = con.residual(values)
    if residual is None:
        return False
    for slot in con.slots:
        value = values.get(slot)
        if value is None:
            continue
        trial = dict(values)
        trial[slot] = value - residual if slot == con.target else value + residual
        if all(c.holds(trial) is not False for c in on_slot.get(slot, [con])):
            return True
    return False


def confirmed(cell: Cell, reread: Reread | None) -> bool:
    """Read as printed beyond doubt: a blank cell, the PDF's own characters, or an OCR reading
    that an independent digits-only reading of the crop repeats."""
    if cell.status is CellStatus.EMPTY and not cell.text:
        return True
    if cell.provenance is not None and cell.provenance.source is TextSource.TEXT_LAYER:
        return True
    if cell.value is None or reread is None:
        return False
    second = reread(cell)
    return second is not None and parse_amount(clean_text(second)) == cell.value


def remembered(reread: Reread | None) -> Reread | None:
    """``reread`` that reads each cell's crop once per table check."""
    if reread is None:
        return None
    memo: dict[tuple[int, int, int], str | None] = {}
    inner: Callable[[Cell], str | None] = reread

    def once(cell: Cell) -> str | None:
        key = (cell.page, cell.row, cell.col)
        if key not in memo:
            memo[key] = inner(cell)
        return memo[key]

    return once
