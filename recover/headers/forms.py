"""Which standard form a table is, from its title and the columns it carries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from recover.headers.vocabulary import Vocabulary, default_vocabulary

FORM_THRESHOLD = 60.0


@dataclass(frozen=True)
class FormMatch:
    """A form id (None when unknown) and its score (0–100)."""

    id: str | None
    score: float


def identify_form(title: str, column_ids: list[str | None], vocab: Vocabulary | None = None) -> FormMatch:
    """Score each form by its title wording (the longest wording printed in the title wins)
    and by the share of its characteristic columns the table has."""
    vocab = vocab or default_vocabulary()
    folded = vocab.fold(title)
    present = {c.split(".")[0] for c in column_ids if c}
    best: tuple[float, float, str | None] = (0.0, 0.0, None)
    for form in vocab.forms:
        title_score = 0.0
        specificity = 0.0
        for wording in form.titles:
            w = vocab.fold(wording)
            if w and w in folded:
                title_score, specificity = 100.0, max(specificity, float(len(w)))
            elif folded:
                title_score = max(title_score, fuzz.partial_ratio(w, folded) * 0.9)
        overlap = len(present & set(form.columns)) / max(1, len(form.columns))
        score = 0.7 * title_score + 30.0 * overlap if folded else 100.0 * overlap
        key = (score + specificity / 10.0, specificity, form.id)
        if key[:2] > best[:2]:
            best = key
    score = min(100.0, best[0])
    return FormMatch(best[2], score) if score >= FORM_THRESHOLD else FormMatch(None, score)


def filing_year(text: str) -> int | None:
    """The year a filing's title names (2024年部门预算 → 2024)."""
    found = re.search(r"(20\d{2})\s*年", text)
    return int(found.group(1)) if found else None
