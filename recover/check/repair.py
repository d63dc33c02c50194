"""Check a table's totals, repair proven misreadings, flag the rest.

For every violated constraint, each involved cell's modelled misreadings are tried; a
candidate counts when it makes *every* constraint on that cell hold. A repair is applied
only when it is the single candidate for the violation and the cell's reading was not
clear. When the digits were read clearly and the totals still disagree, the filing itself
is inconsistent: that is reported, never repaired. Every numeric cell ends ok (confirmed or
clearly read), repaired (with its proof) or flagged (with the reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from recover.check.blank_cells import blank_merged_slots
from recover.check.cell_status import CheckOutcome, apply_statuses
from recover.check.clear import CONFIDENT, is_clear
from recover.check.codes import code_problems, flag_merged_codes
from recover.check.confusion import (
    Alternative,
    ConfusionModel,
    alternatives,
    default_model,
    may_be_amount,
)
from recover.check.constraints import Constraint, RuleSource, Slot
from recover.check.discover import discover
from recover.check.hypotheses import confirmed, judge, one_cell_explains, remembered
from recover.check.printed_style import decimals_style_of, printed_decimals_of
from recover.model import (
    Cell,
    CellStatus,
    CheckedRule,
    Flag,
    FlagKind,
    Repair,
    Suggestion,
    Table,
    TableChecks,
    Verdict,
)
from recover.read.amounts import clean_text, parse_amount
from recover.read.reread import Reread

MAX_ROUNDS = 50
PRINTED_SHARE = 0.8  # of body amounts printed with one number of decimals: the table's style


@dataclass(frozen=True)
class _Candidate:
    slot: Slot
    alternative: Alternative
    proves: tuple[Constraint, ...]
    exact: bool  # every proving constraint holds with no rounding slack at all


def _preferred(cands: list[_Candidate]) -> list[_Candidate]:
    """Within one cell, readings inside the same rounding window are one explanation:
    keep the exact one when there is exactly one."""
    exact = [c for c in cands if c.exact]
    if len(exact) == 1 and all(c.slot == exact[0].slot for c in cands):
        return exact
    return cands


def _reread_alternative(cell: Cell, reread: Reread | None) -> list[Alternative]:
    if reread is None:
        return []
    text = reread(cell)
    value = None if text is None else parse_amount(clean_text(text))
    if text is None or value is None or value == cell.value:
        return []
    return [Alternative(value, clean_text(text), "digits-only re-read of the cell", 0.5)]


def _speck_alternative(cell: Cell) -> list[Alternative]:
    """A digit or two read unsurely where the cell may be blank: a speck, a stray stroke.

    Offered so that it competes with the misreadings of the other cells (a wrong repair of a
    clear figure to absorb a speck's "1" is then ambiguous), never applied by itself."""
    if cell.confidence >= CONFIDENT or len(cell.text) > 2 or cell.value in (None, Decimal(0)):
        return []
    return [Alternative(Decimal(0), "", "a speck read as a digit (the cell is blank)", 2.5)]


def _candidates(
    slot: Slot,
    cell: Cell,
    values: dict[Slot, Decimal | None],
    on_slot: list[Constraint],
    model: ConfusionModel,
    grouped_style: bool,
    reread: Reread | None = None,
    decimals_style: int | None = None,
) -> list[_Candidate]:
    """Readings of ``cell`` (modelled misreadings, a digits-only re-read) under which
    every evaluable constraint on it holds."""
    found: list[_Candidate] = []
    reading = cell.provenance.raw_text if cell.provenance and cell.provenance.raw_text else cell.text
    options = (
        alternatives(reading.replace("\n", ""), model, grouped_style)
        + _reread_alternative(cell, reread)
        + _speck_alternative(cell)
    )
    seen: set[Decimal] = set()
    for alt in options:
        styled = not alt.text or decimals_style is None or printed_decimals_of(alt.text) == decimals_style
        if alt.value in seen or not styled:
            continue
        seen.add(alt.value)
        trial = dict(values)
        trial[slot] = alt.value
        results = [c.holds(trial) for c in on_slot]
        evaluable = [r for r in results if r is not None]
        if evaluable and all(evaluable):
            proves = tuple(c for c, r in zip(on_slot, results, strict=True) if r)
            exact = all(c.residual(trial) == 0 for c in proves)
            found.append(_Candidate(slot, alt, proves, exact))
    return found


@dataclass
class _TableCheck:
    """The state of one table's check: current values, repairs and flags so far."""

    cells: dict[Slot, Cell]
    values: dict[Slot, Decimal | None]
    constraints: list[Constraint]
    model: ConfusionModel
    reread: Reread | None
    grouped_style: bool
    decimals_style: int | None
    printed_decimals: int | None = None  # decimals most body amounts are printed with
    accusable: set[Constraint] = field(default_factory=set)  # rules the numbers support
    on_slot: dict[Slot, list[Constraint]] = field(default_factory=dict)
    repaired: dict[Slot, Repair] = field(default_factory=dict)
    flagged: dict[Slot, Flag] = field(default_factory=dict)
    suggested: dict[Slot, list[Suggestion]] = field(default_factory=dict)
    settled: set[Constraint] = field(default_factory=set)
    inconsistent: set[Constraint] = field(default_factory=set)

    def __post_init__(self) -> None:
        for con in self.constraints:
            for slot in con.slots:
                self.on_slot.setdefault(slot, []).append(con)

    def violated(self) -> list[Constraint]:
        """Rules not yet settled that fail (or cannot be evaluated on an amount-like cell)."""
        return [
            c for c in self.constraints if c not in self.settled and _violated(c, self.values, self.cells)
        ]

    def candidates(self, con: Constraint) -> list[_Candidate]:
        """Single-cell readings that make ``con`` and every other rule on that cell hold."""
        suspects = [s for s in con.slots if con.repairable and s not in self.repaired and not self._plain(s)]
        found = [
            cand for s in suspects for cand in self._readings(s) if con in cand.proves and self._proven(cand)
        ]
        return _preferred(found)

    def _proven(self, cand: _Candidate) -> bool:
        """No rule on the cell is left unknown by an amount that did not read: a rule that
        cannot be evaluated proves nothing, and may be the one the reading breaks."""
        trial = dict(self.values)
        trial[cand.slot] = cand.alternative.value
        return not any(
            c.holds(trial) is None and _violated(c, trial, self.cells)
            for c in self.on_slot.get(cand.slot, [])
        )

    def repair(self, cand: _Candidate) -> None:
        """Take the one candidate that explains a failure."""
        self.values[cand.slot] = cand.alternative.value
        self.suggested[cand.slot] = [Suggestion(cand.alternative.text, _because(cand))]
        self.repaired[cand.slot] = Repair(
            printed=self.cells[cand.slot].text,
            value=str(cand.alternative.value),
            text=cand.alternative.text,
            explanation=cand.alternative.explanation,
            constraints=[c.label for c in cand.proves],
        )

    def settle(self, con: Constraint, cands: list[_Candidate]) -> None:
        """A failure no single reading explains: decide what it says and flag its cells."""
        self.settled.add(con)
        residual = con.residual(self.values)
        if not cands and self._filing_breaks(con):
            self.inconsistent.add(con)
            flag = Flag(
                FlagKind.SOURCE_INCONSISTENCY,
                f"source inconsistency: {con.label} is off by {residual} as printed",
            )
        elif cands:
            options = "; ".join(f"{c.alternative.text} ({c.alternative.explanation})" for c in cands[:4])
            flag = Flag(FlagKind.AMBIGUOUS, f"{con.label} fails; several readings would fix it: {options}")
            for c in cands:
                offered = self.suggested.setdefault(c.slot, [])
                if all(o.text != c.alternative.text for o in offered):
                    offered.append(Suggestion(c.alternative.text, _because(c)))
        elif residual is None:
            flag = Flag(
                FlagKind.CANNOT_CHECK,
                f"{con.label} cannot be checked: a cell in it does not read as a number",
            )
        else:
            flag = Flag(
                FlagKind.UNEXPLAINED, f"{con.label} fails by {residual}; no single misreading explains it"
            )
        # A rule that cannot be evaluated says nothing of the cells that read: only those
        # that did not are in doubt.
        blind = flag.kind is FlagKind.CANNOT_CHECK
        for s in con.slots:
            if not blind or self.values.get(s) is None:
                self.flagged.setdefault(s, flag)

    def _in_style(self, slot: Slot) -> bool:
        """Printed with the table's decimals ("12441" among amounts with two is a point lost)."""
        cell = self.cells[slot]
        style = self.printed_decimals
        return not cell.text or style is None or printed_decimals_of(cell.text) == style

    def _plain(self, slot: Slot) -> bool:
        """Read clearly by score, and in the table's style: no suspect of a misread."""
        return is_clear(self.cells[slot]) and self._in_style(slot)

    def _filing_breaks(self, con: Constraint) -> bool:
        """A source inconsistency: a rule the numbers support (or the form states), broken as
        one wrong figure would break it, on readings in the table's style that the
        digits-only re-read confirms."""
        return (
            con in self.accusable
            and one_cell_explains(con, self.values, self.on_slot)
            and all(self._in_style(s) and confirmed(self.cells[s], self.reread) for s in con.slots)
        )

    def run(self) -> None:
        """Repair what one explanation proves, settle the rest, until nothing changes."""
        for _ in range(MAX_ROUNDS):
            violated = self.violated()
            if not violated:
                break
            progress = False
            for con in violated:
                cands = self.candidates(con)
                if len(cands) == 1 and cands[0].alternative.text:
                    self.repair(cands[0])
                    progress = True
                    break
                self.settle(con, cands)
            if not progress and not self.violated():
                break
        self.joint()

    def joint(self) -> None:
        """Suspect cells of one rule, each with one reading that its own evaluable rules
        prove, blocked only by that rule, which none can evaluate while the others are
        unread ("94.28•", "152.95" and "•4.18" in one row): taken together, and only when
        every rule on any of them then holds."""
        progress = True
        while progress:
            progress = False
            for con in self.constraints:
                if con.repairable and _violated(con, self.values, self.cells) and self._together(con):
                    progress = True

    def _together(self, con: Constraint) -> bool:
        """Repair the suspect cells of ``con`` together if that proves them (see :meth:`joint`)."""
        picks: dict[Slot, _Candidate] = {}
        for s in con.slots:
            if s in self.repaired or self._plain(s):
                continue
            cands = _preferred(self._readings(s))
            if len(cands) == 1 and cands[0].alternative.text:
                picks[s] = cands[0]
        if len(picks) < 2:
            return False
        trial = dict(self.values) | {s: c.alternative.value for s, c in picks.items()}
        if not all(c.holds(trial) for s in picks for c in self.on_slot.get(s, [])):
            return False
        for cand in picks.values():
            self.repair(cand)
        return True

    def _readings(self, slot: Slot) -> list[_Candidate]:
        """The cell's readings under which every rule on it that can be evaluated holds."""
        return _candidates(
            slot,
            self.cells[slot],
            self.values,
            self.on_slot.get(slot, []),
            self.model,
            self.grouped_style,
            self.reread,
            self.decimals_style,
        )

    def verdict(self, con: Constraint) -> CheckedRule:
        """The rule's outcome on the final figures."""
        held = con.holds(self.values)
        off_by = con.residual(self.values)
        if held:
            return CheckedRule(con, Verdict.HOLDS, off_by)
        if held is False:
            kind = Verdict.SOURCE_INCONSISTENCY if con in self.inconsistent else Verdict.FAILS
            return CheckedRule(con, kind, off_by)
        if _violated(con, self.values, self.cells):
            return CheckedRule(con, Verdict.CANNOT_CHECK)
        return CheckedRule(con, Verdict.NO_FIGURES)


def check_table(
    table: Table, model: ConfusionModel | None = None, reread: Reread | None = None
) -> TableChecks:
    """Discover the table's constraints, repair what is proven, set every numeric cell's status.

    ``reread`` (optional) gives a second, digits-only reading of a suspect cell's crop.
    Every discovered rule is a hypothesis first (:func:`recover.check.hypotheses.judge`):
    the wrong ones are dropped (``TableChecks.dropped``) before any cell is judged by them.
    """
    numbers, found = discover(table)
    reread = remembered(reread)
    cells = {(c.row, c.col): c for c in table.cells if c.row_span == 1 and c.col_span == 1}
    cells |= blank_merged_slots(table)  # blank amounts, whether or not the grid joined them
    # A slot inside a merged cell with text (two columns' amounts fused by a lost rule) holds no
    # amount of its own: a rule on it can be neither judged nor repaired; structure flags it.
    found = [c for c in found if all(s in cells for s in c.slots)]
    shown = [c if _part_shows(table, c) else replace(c, repairable=False) for c in found]
    judged = judge(shown, numbers.values, cells, numbers.body_rows, numbers.numeric_cols)
    constraints = judged.kept
    big = [c.text for c in cells.values() if c.value is not None and abs(c.value) >= 1000]
    work = _TableCheck(
        cells,
        dict(numbers.values),
        constraints,
        model or default_model(),
        reread,
        grouped_style=bool(big) and sum("," in t for t in big) >= len(big) / 2,
        decimals_style=decimals_style_of([cells[s].text for s in cells if s[1] in numbers.numeric_cols]),
        printed_decimals=decimals_style_of(
            [cells[s].text for s in cells if s[0] in numbers.body_rows and s[1] in numbers.numeric_cols],
            PRINTED_SHARE,
        ),
        accusable=judged.supported,
    )
    work.run()
    confirmed = {s for c in constraints if c.holds(work.values) for s in c.slots}
    problems = code_problems(table, numbers)
    for slot, reason in problems.items():
        work.flagged.setdefault(slot, Flag(FlagKind.CODE, reason))
    outcome = CheckOutcome(work.repaired, work.values, work.flagged, confirmed)
    apply_statuses(cells, numbers, outcome, table.view.code_cols)
    flag_merged_codes(table, problems, set(cells))
    for slot, offered in work.suggested.items():
        if cells[slot].status in (CellStatus.FLAGGED, CellStatus.REPAIRED):
            cells[slot].suggestions = offered
    return TableChecks(
        rules=[work.verdict(c) for c in constraints], repaired=len(work.repaired), dropped=judged.dropped
    )


def _part_shows(table: Table, con: Constraint) -> bool:
    """Whether the part of a stitched table the rule lies in shows it by itself: its cells in
    one part, and a header rule only where its header is printed. A rule that only the join
    shows flags a failure for review but never repairs by it."""
    starts = table.meta.part_rows
    if len(starts) < 2:
        return True
    parts = {sum(1 for s in starts if s <= row) for row, _ in con.slots}
    return len(parts) == 1 and (con.source is not RuleSource.HEADER or parts == {1})


def _because(cand: _Candidate) -> str:
    """Why a reading is offered: the misreading it undoes and the totals it makes hold."""
    holds = ", ".join(c.label for c in cand.proves)
    return f"{cand.alternative.explanation}; makes {holds} hold"


def _violated(con: Constraint, values: dict[Slot, Decimal | None], cells: dict[Slot, Cell]) -> bool:
    """Fails, or cannot be evaluated because a cell that should be an amount did not parse."""
    result = con.holds(values)
    if result is False:
        return True
    return result is None and any(
        values.get(s) is None and may_be_amount(cells[s].text) for s in con.slots if s in cells
    )
