"""Score recovered tables against ground truth: tables found, grid exact, cell exact, CER.

Ground-truth tables are given as ``GtTable`` (rows of text plus spans), predictions as
:class:`recover.model.Table`. Text is compared after the GT's suggested normalisation
(all whitespace dropped, full-width brackets unified).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from recover.model import Table
from recover.read.amounts import parse_amount


def norm(s: str) -> str:
    """The cn_budget GT's comparison normalisation."""
    return "".join(s.split()).replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class GtCell:
    """A ground-truth cell (inclusive ends)."""

    r0: int
    c0: int
    r1: int
    c1: int
    text: str


@dataclass(frozen=True)
class GtTable:
    """A ground-truth table."""

    n_rows: int
    n_cols: int
    cells: list[GtCell]
    spans_known: bool = True  # camelot's expected outputs give rows only

    @property
    def spans(self) -> set[tuple[int, int, int, int]]:
        """Spanning cells as (r0, c0, r1, c1)."""
        return {(c.r0, c.c0, c.r1, c.c1) for c in self.cells if c.r1 > c.r0 or c.c1 > c.c0}


@dataclass
class Tally:
    """Running totals over many tables."""

    tables_expected: int = 0
    tables_found: int = 0
    tables_extra: int = 0
    tables_stub: int = 0  # found, but cut to under half the GT's rows or columns
    grid_exact: int = 0
    cells: int = 0
    cells_exact: int = 0
    numeric: int = 0
    numeric_exact: int = 0
    chars: int = 0
    char_errors: int = 0
    page_seconds: list[float] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        """Accumulate another tally into this one."""
        for name in (
            "tables_expected",
            "tables_found",
            "tables_extra",
            "tables_stub",
            "grid_exact",
            "cells",
            "cells_exact",
            "numeric",
            "numeric_exact",
            "chars",
            "char_errors",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.page_seconds.extend(other.page_seconds)

    def figures(self) -> dict[str, float]:
        """Percentages and ratios for the report."""

        def pct(a: int, b: int) -> float:
            return round(100.0 * a / b, 2) if b else 0.0

        secs = sorted(self.page_seconds)
        return {
            "tables_found": self.tables_found,
            "tables_expected": self.tables_expected,
            "tables_found_pct": pct(self.tables_found, self.tables_expected),
            "tables_extra": self.tables_extra,
            "tables_stub": self.tables_stub,
            "grid_exact_pct": pct(self.grid_exact, self.tables_expected),
            "cell_exact_pct": pct(self.cells_exact, self.cells),
            "numeric_exact_pct": pct(self.numeric_exact, self.numeric),
            "numeric_cells": self.numeric,
            "cer_pct": pct(self.char_errors, self.chars),
            "median_s_per_page": round(secs[len(secs) // 2], 3) if secs else 0.0,
            "mean_s_per_page": round(sum(secs) / len(secs), 3) if secs else 0.0,
        }


def _anchor_texts(table: Table) -> dict[tuple[int, int], str]:
    return {(c.row, c.col): c.text for c in table.cells}


def _content(texts: list[str]) -> set[str]:
    return {norm(t) for t in texts if norm(t)}


def _similarity(gt: GtTable, pred: Table) -> float:
    a = _content([c.text for c in gt.cells])
    b = _content([c.text for c in pred.cells])
    return len(a & b) / max(1, len(a | b))


def match_tables(gts: list[GtTable], preds: list[Table]) -> list[tuple[GtTable, Table | None]]:
    """Pair each GT table with the unused prediction sharing most cell texts (or none)."""
    pairs: list[tuple[GtTable, Table | None]] = []
    used: set[int] = set()
    for gt in gts:
        best, best_sim = None, 0.05
        for i, pred in enumerate(preds):
            if i in used:
                continue
            sim = _similarity(gt, pred)
            same_shape = pred.n_rows == gt.n_rows and pred.n_cols == gt.n_cols
            if sim > best_sim or (same_shape and sim >= best_sim and best is None):
                best, best_sim = i, sim
        if best is not None:
            used.add(best)
        pairs.append((gt, preds[best] if best is not None else None))
    return pairs


def score_table(gt: GtTable, pred: Table | None) -> Tally:
    """Cell-level comparison of one GT table with its matched prediction."""
    tally = Tally(tables_expected=1)
    texts = _anchor_texts(pred) if pred is not None else {}
    if pred is not None:
        tally.tables_found = 1
        tally.tables_stub = int(2 * pred.n_rows < gt.n_rows or 2 * pred.n_cols < gt.n_cols)
        pred_spans = {
            (c.row, c.col, c.row_end, c.col_end) for c in pred.cells if c.row_span > 1 or c.col_span > 1
        }
        same_spans = pred_spans == gt.spans or not gt.spans_known
        if pred.n_rows == gt.n_rows and pred.n_cols == gt.n_cols and same_spans:
            tally.grid_exact = 1
    for cell in gt.cells:
        want = norm(cell.text)
        if not want:
            continue
        got = norm(texts.get((cell.r0, cell.c0), ""))
        tally.cells += 1
        tally.cells_exact += int(got == want)
        tally.chars += len(want)
        tally.char_errors += Levenshtein.distance(want, got)
        value = parse_amount(want)
        if value is not None:
            tally.numeric += 1
            tally.numeric_exact += int(parse_amount(got) == value and got == want)
    return tally


def score_page(gts: list[GtTable], preds: list[Table]) -> Tally:
    """Score all tables of one page."""
    tally = Tally()
    pairs = match_tables(gts, preds)
    for gt, pred in pairs:
        tally.add(score_table(gt, pred))
    tally.tables_extra = len(preds) - sum(1 for _, p in pairs if p is not None)
    return tally


def gt_table_from_cnbudget(t: dict) -> GtTable:  # type: ignore[type-arg]
    """A cn_budget GT table dict as a GtTable."""
    cells = [GtCell(c["r0"], c["c0"], c["r1"], c["c1"], c["text"]) for c in t["cells"]]
    return GtTable(t["n_rows"], t["n_cols"], cells)


def gt_table_from_rows(rows: list[list[str]]) -> GtTable:
    """A GT table given only as rows (camelot's expected output): no span information."""
    cells = [GtCell(r, c, r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    return GtTable(len(rows), max((len(r) for r in rows), default=0), cells, spans_known=False)
