"""Which standard form a table is, from its title and the columns it carries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from recover.label.vocabulary import Vocabulary, default_vocabulary

FORM_THRESHOLD = 60.0
NEAR_TITLE = 90.0  # partial similarity at which a title wording counts as printed


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
    best: tuple[float, float, str | None, float] = (0.0, 0.0, None, 0.0)
    for form in vocab.forms:
        title_score = 0.0
        specificity = 0.0
        for wording in form.titles:
            w = vocab.fold(wording)
            if w and w in folded:
                title_score, specificity = 100.0, max(specificity, float(len(w)))
            elif folded:
                # A wording longer than the title is compared whole: a short title inside a
                # long wording (支出决算表 in 一般公共预算财政拨款支出决算表) is not that form.
                ratio = fuzz.partial_ratio(w, folded) if len(w) <= len(folded) else fuzz.ratio(w, folded)
                if ratio >= NEAR_TITLE:
                    # A long wording read with a character lost ("般公共预算…基本支出决算表"):
                    # as telling as an exact one, and more specific than a short one inside it.
                    title_score = max(title_score, ratio)
                    specificity = max(specificity, len(w) * ratio / 100.0)
                else:
                    title_score = max(title_score, ratio * 0.9)
        overlap = len(present & set(form.columns)) / max(1, len(form.columns))
        score = 0.7 * title_score + 30.0 * overlap if folded else 100.0 * overlap
        # Ranked by how much of the title the wording explains: the longest wording printed
        # (or nearly printed) wins; the reported score keeps the title/column evidence.
        key = (score + specificity, specificity, form.id, score + specificity / 10.0)
        if key[:2] > best[:2]:
            best = key
    score = min(100.0, best[3])
    return FormMatch(best[2], score) if score >= FORM_THRESHOLD else FormMatch(None, score)


def filing_year(text: str) -> int | None:
    """The year a filing's title names (2024年部门预算 → 2024)."""
    found = re.search(r"(20\d{2})\s*年", text)
    return int(found.group(1)) if found else None
