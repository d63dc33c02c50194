"""Score the totals checks: misread numbers fixed, flagged, or left wrong silently.

Also builds the two test conditions of the checks benchmark: realistic digit errors injected
into OCR output, and source inconsistencies planted on page images.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import cv2
import numpy as np

from benchmarks.score import GtTable, match_tables, norm
from recover.check.confusion import alternatives
from recover.check.repair import check_table
from recover.label.stage import map_table
from recover.label.vocabulary import default_vocabulary
from recover.model import CellStatus, Table
from recover.read.amounts import parse_amount


@dataclass
class CheckTally:
    """Numeric-cell outcomes after the checks, against the ground truth."""

    numeric: int = 0
    wrong_before: int = 0  # misread before the checks
    fixed: int = 0  # wrong before, right after
    wrong_flagged: int = 0  # wrong after, but flagged
    silent: int = 0  # wrong after and not flagged: the number that must stay ~0
    broken: int = 0  # right before, changed to wrong by a repair
    repaired: int = 0
    flagged: int = 0  # all flagged numeric cells (the review load)
    constraints: int = 0
    holding: int = 0
    inconsistencies: int = 0
    misread_scores: list[float] = field(default_factory=list)
    right_scores: list[float] = field(default_factory=list)
    silent_examples: list[str] = field(default_factory=list)

    def add(self, other: CheckTally) -> None:
        """Accumulate another tally."""
        for name, value in vars(other).items():
            if isinstance(value, list):
                getattr(self, name).extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)

    def figures(self) -> dict[str, float]:
        """Shares for the report."""

        def pct(a: int, b: int) -> float:
            return round(100.0 * a / b, 3) if b else 0.0

        def quantiles(xs: list[float]) -> list[float]:
            if not xs:
                return []
            arr = np.array(xs)
            return [round(float(np.quantile(arr, q)), 3) for q in (0.1, 0.5, 0.9)]

        return {
            "numeric_cells": self.numeric,
            "wrong_before": self.wrong_before,
            "fixed_pct_of_wrong": pct(self.fixed, self.wrong_before),
            "flagged_pct_of_wrong": pct(self.wrong_flagged, self.wrong_before),
            "silent_error_rate_pct": pct(self.silent, self.numeric),
            "silent": self.silent,
            "correct_changed_by_repair": self.broken,
            "repaired": self.repaired,
            "flagged_pct_of_numeric": pct(self.flagged, self.numeric),
            "constraints": self.constraints,
            "holding": self.holding,
            "source_inconsistencies": self.inconsistencies,
            "misread_score_p10_p50_p90": quantiles(self.misread_scores),  # type: ignore[dict-item]
            "right_score_p10_p50_p90": quantiles(self.right_scores),  # type: ignore[dict-item]
            "silent_examples": self.silent_examples[:40],  # type: ignore[dict-item]
        }


def _gt_numbers(gt: GtTable) -> dict[tuple[int, int], Decimal]:
    out = {}
    for cell in gt.cells:
        value = parse_amount(norm(cell.text))
        if value is not None:
            out[(cell.r0, cell.c0)] = value
    return out


def score_checked(gts: list[GtTable], before: list[Table], after: list[Table]) -> CheckTally:
    """Compare numeric cells before and after the checks with the ground truth."""
    tally = CheckTally()
    copies = {id(b): a for b, a in zip(before, after, strict=True)}  # after[i] is a copy of before[i]
    for gt, pred_before in match_tables(gts, before):
        pred_after = copies.get(id(pred_before)) if pred_before is not None else None
        if pred_before is None or pred_after is None:
            continue
        truth = _gt_numbers(gt)
        was = {(c.row, c.col): c for c in pred_before.cells}
        now = {(c.row, c.col): c for c in pred_after.cells}
        for slot, value in truth.items():
            b, a = was.get(slot), now.get(slot)
            if b is None or a is None:
                continue
            tally.numeric += 1
            wrong_b = b.value != value
            wrong_a = a.value != value
            (tally.misread_scores if wrong_b else tally.right_scores).append(b.confidence)
            tally.wrong_before += wrong_b
            tally.fixed += wrong_b and not wrong_a
            # low_confidence is a review status too: the cell is in the queue.
            flagged = a.status in (CellStatus.FLAGGED, CellStatus.LOW_CONFIDENCE)
            tally.wrong_flagged += wrong_a and flagged
            tally.silent += wrong_a and not flagged
            if wrong_a and not flagged:
                tally.silent_examples.append(
                    f"r{slot[0]}c{slot[1]} truth={value} read={b.text!r} now={a.text!r} "
                    f"status={a.status.value} conf={b.confidence:.3f}"
                )
            tally.broken += (not wrong_b) and wrong_a
            tally.repaired += a.status is CellStatus.REPAIRED
            tally.flagged += flagged
        if pred_after.checks is not None:
            tally.constraints += pred_after.checks.found
            tally.holding += pred_after.checks.holding
            tally.inconsistencies += len(pred_after.checks.inconsistencies)
    return tally


def checked_copy(tables: list[Table]) -> list[Table]:
    """Deep copies labelled and checked, as the label and check stages do."""
    out = copy.deepcopy(tables)
    vocab = default_vocabulary()
    for t in out:
        map_table(t, vocab)
        t.checks = check_table(t)
    return out


def inject_errors(tables: list[Table], gts: list[GtTable], share: float, rng: np.random.Generator) -> int:
    """Misread ``share`` of the correctly read numeric cells, as the confusion model says.

    An injected reading gets a recogniser score drawn from U(0.5, 0.98): misreads come
    with lowered confidence (the measured scores of real misreads are reported beside).
    """
    injected = 0
    for gt, pred in match_tables(gts, tables):
        if pred is None:
            continue
        truth = _gt_numbers(gt)
        cells = {(c.row, c.col): c for c in pred.cells}
        for slot, value in sorted(truth.items()):
            cell = cells.get(slot)
            if cell is None or cell.value != value or rng.random() >= share:
                continue
            options = alternatives(cell.text)
            if not options:
                continue
            weights = np.array([1.0 / a.cost for a in options])
            pick = options[int(rng.choice(len(options), p=weights / weights.sum()))]
            cell.text, cell.value = pick.text, pick.value
            if cell.provenance is not None:
                cell.provenance.raw_text = pick.text
            cell.confidence = float(rng.uniform(0.5, 0.98))
            injected += 1
    return injected


def plant_inconsistency(
    rgb: np.ndarray,
    gt_json_table: dict[str, Any],
    dpi: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, tuple[int, int], str] | None:
    """Paint over one printed amount and print another value there, clearly.

    Returns the edited page, the cell's (row, col) and the new printed text; None when the
    table has no suitable amount (a non-zero whole-number amount in a body row).
    """
    from benchmarks.header_labels import gt_table
    from recover.check.discover import discover

    # Plant only where the clean page's own arithmetic reaches: elsewhere nothing can tell.
    _, constraints = discover(gt_table(gt_json_table))
    governed = {slot for con in constraints for slot in con.slots}
    options = []
    for cell in gt_json_table["cells"]:
        value = parse_amount(norm(cell["text"]))
        single = cell["r0"] == cell["r1"] and cell["c0"] == cell["c1"]
        if value is not None and value >= 100 and single and (cell["r0"], cell["c0"]) in governed:
            options.append((cell, value))
    if not options:
        return None
    cell, value = options[int(rng.integers(len(options)))]
    printed = norm(cell["text"])
    digits = [i for i, ch in enumerate(printed.split(".")[0]) if ch.isdigit()]
    position = digits[int(rng.integers(len(digits)))]
    new_digit = str((int(printed[position]) + int(rng.integers(1, 9))) % 10)
    if position == digits[0] and new_digit == "0":
        new_digit = "9"
    text = printed[:position] + new_digit + printed[position + 1 :]
    x0, y0, x1, y1 = (round(v * dpi / 72) for v in cell["bbox_top_left_pt"])
    out = rgb.copy()
    margin = max(3, dpi // 50)
    cv2.rectangle(out, (x0 + margin, y0 + margin), (x1 - margin, y1 - margin), (255, 255, 255), -1)
    height = int((y1 - y0) * 0.45)
    scale = cv2.getFontScaleFromHeight(cv2.FONT_HERSHEY_SIMPLEX, height, 2)
    (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 2)
    origin = (x1 - margin * 2 - tw, (y0 + y1 + th) // 2)
    cv2.putText(out, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 2, cv2.LINE_AA)
    return out, (cell["r0"], cell["c0"]), text
