"""Check a table's totals, repair proven misreadings, flag the rest.

For every violated constraint, each involved cell's modelled misreadings are tried; a
candidate counts when it makes *every* constraint on that cell hold. A repair is applied
only when it is the single candidate for the violation and the cell's reading was not
clear. When the digits were read clearly and the totals still disagree, the filing itself
is inconsistent: that is reported, never repaired. Every numeric cell ends ok (confirmed or
clearly read), repaired (with its proof) or flagged (with the reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from recover.check.codes import code_problems
from recover.check.confusion import (
    Alternative,
    ConfusionModel,
    alternatives,
    default_model,
    looks_like_amount,
)
from recover.check.constraints import Constraint, Slot
from recover.check.discover import discover
from recover.model import Cell, CellStatus, Repair, Suggestion, Table, TableChecks
from recover.read.amounts import clean_text, parse_amount
from recover.read.reread import Reread

PLACEHOLDERS = {"-", "--", "—", "——", "－", "/", "／", "…", "无", "0.00%"}
"""What filings print in an amount column for 'nothing'."""
CLEAR_READING = 0.99
"""Recogniser score at or above which a reading is taken as what is printed."""
CONFIDENT = CLEAR_READING
"""Score below which a number that no constraint confirms is flagged for review: real
misreads score far lower (benchmark p50 ≈ 0.4), correct readings above 0.99 (p10)."""
MAX_ROUNDS = 50


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


def is_clear(cell: Cell) -> bool:
    """Read as printed: a blank cell, or an amount the recogniser scored at CLEAR_READING."""
    # A blank cell (no ink at all) is a clearly printed nothing: it counts as 0 in totals.
    blank = cell.status is CellStatus.EMPTY and not cell.text
    return blank or (cell.value is not None and cell.confidence >= CLEAR_READING)


def read_clearly(cell: Cell, reread: Reread | None) -> bool:
    """Clear by score, or confirmed by an independent digits-only reading of the crop.

    Used only to tell a filing's own inconsistency from an unexplained failure; repair
    suspects are chosen by score alone.
    """
    if is_clear(cell):
        return True
    if cell.value is None or reread is None:
        return False
    second = reread(cell)
    return second is not None and parse_amount(clean_text(second)) == cell.value


def _reread_alternative(cell: Cell, reread: Reread | None) -> list[Alternative]:
    if reread is None:
        return []
    text = reread(cell)
    value = None if text is None else parse_amount(clean_text(text))
    if text is None or value is None or value == cell.value:
        return []
    return [Alternative(value, clean_text(text), "digits-only re-read of the cell", 0.5)]


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
    options = alternatives(reading.replace("\n", ""), model, grouped_style) + _reread_alternative(
        cell, reread
    )
    seen: set[Decimal] = set()
    for alt in options:
        if alt.value in seen or (decimals_style is not None and _decimals(alt.text) != decimals_style):
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


def check_table(
    table: Table, model: ConfusionModel | None = None, reread: Reread | None = None
) -> TableChecks:
    """Discover the table's constraints, repair what is proven, set every numeric cell's status.

    ``reread`` (optional) gives a second, digits-only reading of a suspect cell's crop.
    """
    model = model or default_model()
    numbers, constraints = discover(table)
    cells = {(c.row, c.col): c for c in table.cells if c.row_span == 1 and c.col_span == 1}
    values = dict(numbers.values)
    on_slot: dict[Slot, list[Constraint]] = {}
    for con in constraints:
        for slot in con.slots:
            on_slot.setdefault(slot, []).append(con)

    repaired: dict[Slot, Repair] = {}
    flagged: dict[Slot, str] = {}
    suggested: dict[Slot, list[Suggestion]] = {}
    inconsistencies: list[dict[str, object]] = []
    settled: set[Constraint] = set()
    big = [c.text for c in cells.values() if c.value is not None and abs(c.value) >= 1000]
    grouped_style = bool(big) and sum("," in t for t in big) >= len(big) / 2
    decimals_style = _decimals_style([cells[s].text for s in cells if s[1] in numbers.numeric_cols])
    for _ in range(MAX_ROUNDS):
        violated = [c for c in constraints if c not in settled and _violated(c, values, cells)]
        if not violated:
            break
        progress = False
        for con in violated:
            suspects = [
                s for s in con.slots if con.repairable and s not in repaired and not is_clear(cells[s])
            ]
            cands = _preferred(
                [
                    cand
                    for s in suspects
                    for cand in _candidates(
                        s, cells[s], values, on_slot.get(s, []), model, grouped_style, reread, decimals_style
                    )
                    if con in cand.proves
                ]
            )
            if len(cands) == 1:
                cand = cands[0]
                values[cand.slot] = cand.alternative.value
                suggested[cand.slot] = [Suggestion(cand.alternative.text, _because(cand))]
                repaired[cand.slot] = Repair(
                    printed=cells[cand.slot].text,
                    value=str(cand.alternative.value),
                    text=cand.alternative.text,
                    explanation=cand.alternative.explanation,
                    constraints=[c.label for c in cand.proves],
                )
                progress = True
                break
            settled.add(con)
            residual = con.residual(values)
            if not cands and all(read_clearly(cells[s], reread) for s in con.slots):
                inconsistencies.append(
                    {"constraint": con.to_dict(), "off_by": None if residual is None else str(residual)}
                )
                reason = f"source inconsistency: {con.label} is off by {residual} as printed"
            elif cands:
                options = "; ".join(f"{c.alternative.text} ({c.alternative.explanation})" for c in cands[:4])
                reason = f"{con.label} fails; several readings would fix it: {options}"
                for c in cands:
                    offered = suggested.setdefault(c.slot, [])
                    if all(o.text != c.alternative.text for o in offered):
                        offered.append(Suggestion(c.alternative.text, _because(c)))
            elif residual is None:
                reason = f"{con.label} cannot be checked: a cell in it does not read as a number"
            else:
                reason = f"{con.label} fails by {residual}; no single misreading explains it"
            for s in con.slots:
                flagged.setdefault(s, reason)
        if not progress and all(c in settled or not _violated(c, values, cells) for c in constraints):
            break

    confirmed = {s for c in constraints if c.holds(values) for s in c.slots}
    for slot, reason in code_problems(table, numbers).items():
        flagged.setdefault(slot, reason)
    _apply_statuses(
        table, cells, numbers.body_rows, numbers.numeric_cols, values, repaired, flagged, confirmed
    )
    for slot, offered in suggested.items():
        if cells[slot].status in (CellStatus.FLAGGED, CellStatus.REPAIRED):
            cells[slot].suggestions = offered
    holding = sum(1 for c in constraints if c.holds(values))
    return TableChecks(
        constraints=[c.to_dict() for c in constraints],
        found=len(constraints),
        holding=holding,
        repaired=len(repaired),
        unresolved=sum(1 for c in constraints if c.holds(values) is False or _violated(c, values, cells)),
        inconsistencies=inconsistencies,
    )


def _because(cand: _Candidate) -> str:
    """Why a reading is offered: the misreading it undoes and the totals it makes hold."""
    holds = ", ".join(c.label for c in cand.proves)
    return f"{cand.alternative.explanation}; makes {holds} hold"


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _decimals_style(texts: list[str]) -> int | None:
    """The number of decimals the table prints amounts with, when (nearly) all agree."""
    amounts = [t for t in texts if parse_amount(t) is not None]
    if len(amounts) < 5:
        return None
    counts: dict[int, int] = {}
    for t in amounts:
        counts[_decimals(t)] = counts.get(_decimals(t), 0) + 1
    places, n = max(counts.items(), key=lambda kv: kv[1])
    return places if n >= 0.95 * len(amounts) else None


def _violated(con: Constraint, values: dict[Slot, Decimal | None], cells: dict[Slot, Cell]) -> bool:
    """Fails, or cannot be evaluated because a cell that should be an amount did not parse."""
    result = con.holds(values)
    if result is False:
        return True
    return result is None and any(
        values.get(s) is None and looks_like_amount(cells[s].text) for s in con.slots if s in cells
    )


def _apply_statuses(
    table: Table,
    cells: dict[Slot, Cell],
    body_rows: list[int],
    numeric_cols: list[int],
    values: dict[Slot, Decimal | None],
    repaired: dict[Slot, Repair],
    flagged: dict[Slot, str],
    confirmed: set[Slot],
) -> None:
    # Every amount-like cell gets a final status, wherever the body was found to start:
    # a number is never left with the recogniser's provisional status.
    body = set(body_rows)
    for slot, cell in cells.items():
        if not cell.text:
            continue
        numeric = cell.value is not None or looks_like_amount(cell.text)
        if not numeric:
            if slot[0] in body and slot[1] in numeric_cols and cell.text.replace(" ", "") not in PLACEHOLDERS:
                # Text where the column holds amounts: whatever it is, a person must look.
                cell.status = CellStatus.FLAGGED
                cell.flags.append("text where this column holds amounts")
            continue
        if slot in repaired:
            fix = repaired[slot]
            cell.repair = fix
            cell.text, cell.value = fix.text, values[slot]
            cell.status = CellStatus.REPAIRED
        elif slot in flagged:
            cell.status = CellStatus.FLAGGED
            cell.flags.append(flagged[slot])
        elif cell.value is None:
            cell.status = CellStatus.FLAGGED
            cell.flags.append("looks like an amount but is not a valid number")
        elif slot in confirmed or cell.confidence >= CONFIDENT:
            cell.status = CellStatus.OK
        else:
            cell.status = CellStatus.FLAGGED
            cell.flags.append(f"low OCR confidence ({cell.confidence:.2f}) and no total confirms it")
