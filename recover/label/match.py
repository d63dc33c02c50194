"""Header path → canonical column id, with a score; below the threshold, unmapped.

Scoring is rapidfuzz's normalised similarity on folded text (width, whitespace and
OCR-confusable characters folded), so 省级则政部门 and 合 计 still match. The path above the
leaf is context: it decides between same-named columns (收入 / 预算数 versus 支出 / 预算数) and
turns a measure leaf (预算数, 决算数) into a qualifier of its parent (三公 / 因公出国(境)费 / 决算数).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from recover.label.damaged import damaged_reading
from recover.label.vocabulary import ColumnEntry, Vocabulary, default_vocabulary

THRESHOLD = 85.0
"""Lowest score (0–100) at which a column is mapped; below it the printed name is kept."""
JOINED_THRESHOLD = 90.0
"""A leaf read together with the word above it (a header wrapped over two grid rows) must
match closely: a parent's name with a misread leaf ("机关商品和服务支出 / I合计") is no word."""


@dataclass(frozen=True)
class ColumnMatch:
    """The canonical id for one column path (None when unmapped) and its score."""

    id: str | None
    score: float
    damaged: bool = False
    """Mapped from a damaged reading (:mod:`recover.label.damaged`), at the threshold."""


def _context_depth(entry: ColumnEntry, ancestors: list[str], vocab: Vocabulary) -> int:
    """1-based position of the nearest ancestor naming the entry's context (0 = none)."""
    for depth in range(len(ancestors), 0, -1):
        if any(vocab.fold(u) in ancestors[depth - 1] for u in entry.under):
            return depth
    return 0


def _eligible(
    entries: tuple[ColumnEntry, ...], ancestors: list[str], vocab: Vocabulary
) -> list[tuple[ColumnEntry, int]]:
    """The entries the path above the leaf allows, with the depth of their context."""
    context = "/".join(ancestors)
    found = []
    for entry in entries:
        depth = _context_depth(entry, ancestors, vocab) if entry.under else 0
        if entry.under and depth == 0:
            continue
        if any(vocab.fold(u) in context for u in entry.not_under):
            continue
        found.append((entry, depth))
    return found


def _damaged(leaf: str, ancestors: list[str], vocab: Vocabulary) -> ColumnMatch:
    """The column a damaged leaf names, if only one column fits it (score at the threshold)."""
    # A wording two entries share (a 款 name under its 类 and the same name anywhere) is the
    # entry whose context is printed nearest, as for an exact reading.
    owner: dict[str, str] = {}
    for entry, _ in sorted(_eligible(vocab.columns, ancestors, vocab), key=lambda e: -e[1]):
        for name in entry.names:
            owner.setdefault(vocab.fold(name), entry.id)
    names: dict[str, list[str]] = {}
    for name, column in owner.items():
        names.setdefault(column, []).append(name)
    found = damaged_reading(vocab.fold(leaf), [(column, tuple(n)) for column, n in names.items()])
    return ColumnMatch(found, THRESHOLD, damaged=True) if found else ColumnMatch(None, 0.0)


def _best(
    entries: tuple[ColumnEntry, ...], leaf: str, ancestors: list[str], vocab: Vocabulary
) -> tuple[str | None, float]:
    best_id, best_score = None, 0.0
    folded_leaf = vocab.fold(leaf)
    for entry, depth in _eligible(entries, ancestors, vocab):
        score = max((fuzz.ratio(folded_leaf, vocab.fold(n)) for n in entry.names), default=0.0)
        # An entry whose required context is present is the more specific reading, the
        # more so the nearer that context stands to the leaf (公务用车 / 小计 versus 三公 / 小计).
        rank = score + (0.5 + 0.1 * depth if entry.under else 0.0)
        if rank > best_score:
            best_id, best_score = entry.id, rank
    return best_id, min(100.0, best_score)


def match_path(path: list[str], vocab: Vocabulary | None = None) -> ColumnMatch:
    """Canonical id of a flattened header path (top → leaf). A header cell above the leaf
    that read as specks only ("• / 合计") may have been the measure or group that names the
    column: the match is then below the threshold, for review."""
    vocab = vocab or default_vocabulary()
    if not path:
        return ColumnMatch(None, 0.0)
    if len(path) > 1 and not all(vocab.fold(p) for p in path[:-1]):
        found = match_path([p for p in path if vocab.fold(p)], vocab)
        return ColumnMatch(found.id, min(found.score, THRESHOLD - 1.0))
    leaf = path[-1]
    ancestors = [vocab.fold(p) for p in path[:-1]]
    if len(path) > 1:
        # A measure printed above the columns it splits ("预算数 / 因公出国(境)费") qualifies
        # each of them, as it does printed below.
        top, top_score = _best(vocab.measures, path[0], [], vocab)
        if top is not None and top_score >= THRESHOLD:
            below = match_path(path[1:], vocab)
            if below.id is not None and below.score >= THRESHOLD and "." not in below.id:
                return ColumnMatch(f"{below.id}.{top}", min(below.score, top_score))
    measure, measure_score = _best(vocab.measures, leaf, ancestors, vocab)
    if measure is not None and measure_score >= THRESHOLD:
        # A measure names what is counted, the path above it names the column.
        parent = match_path(path[:-1], vocab) if len(path) > 1 else ColumnMatch(None, 0.0)
        column, column_score = _best(vocab.columns, leaf, ancestors, vocab)
        if (
            parent.id is not None
            and parent.score >= THRESHOLD
            and not (column and column_score >= parent.score)
        ):
            return ColumnMatch(f"{parent.id}.{measure}", min(parent.score, measure_score))
        if column is not None and column_score >= THRESHOLD:
            return ColumnMatch(column, column_score)
        return ColumnMatch(f"amount.{measure}", measure_score)
    column, score = _best(vocab.columns, leaf, ancestors, vocab)
    if (column is None or score < THRESHOLD) and len(path) >= 2:
        # A header wrapped over two grid rows ("附属单" / "位上缴收入") reads as one word;
        # not a parent with its leaf misread ("对事业单位经常性补助 / 创"): the parent alone
        # must not already be that word.
        joined = match_path([*path[:-2], path[-2] + path[-1]], vocab)
        if (joined.score >= JOINED_THRESHOLD or joined.damaged) and joined.id is not None:
            parent = match_path(path[:-1], vocab)
            if parent.id != joined.id or parent.score < THRESHOLD:
                return joined
    if column is None or score < THRESHOLD:
        damaged = _damaged(leaf, ancestors, vocab)
        return damaged if damaged.id is not None else ColumnMatch(None, score)
    return ColumnMatch(column, score)
