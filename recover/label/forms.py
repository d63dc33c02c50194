"""Which standard form a table is, from its title and the columns it carries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from recover.label.classification import default_classification
from recover.label.vocabulary import FormEntry, Vocabulary, default_vocabulary

FORM_THRESHOLD = 60.0
NEAR_TITLE = 90.0  # partial similarity at which a title wording counts as printed
FRAGMENT = 4  # characters a title must keep to count as a fragment of a wording
UNTITLED_COLUMNS = 45.0  # weight of the columns when a title is printed but names no form: never enough alone
ROW_AGREES, ROW_DISAGREES = 10.0, -25.0  # what the rows' classification adds to a form's score


@dataclass(frozen=True)
class FormMatch:
    """A form id (None when unknown) and its score (0–100)."""

    id: str | None
    score: float


def _title_evidence(form: FormEntry, folded: str, vocab: Vocabulary) -> tuple[float, float]:
    """(title score, specificity): a wording printed in the title (or printed with a
    character misread) scores; a title merely resembling a wording does not."""
    title_score = specificity = 0.0
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
            elif len(folded) >= FRAGMENT and folded in w and 2 * len(folded) >= len(w):
                # What a seal or a faint scan left of the title ("经费支出表" of 三公经费支出表):
                # evidence in proportion to the share of the wording it shows.
                share = len(folded) / len(w)
                if 100.0 * share > title_score:
                    title_score, specificity = 100.0 * share, max(specificity, len(folded) * 0.5)
    return title_score, specificity


def identify_form(
    title: str,
    column_ids: Sequence[str | None],
    vocab: Vocabulary | None = None,
    row_scheme: str | None = None,
) -> FormMatch:
    """Score each form by its title wording (the longest wording printed in the title wins),
    the share of its characteristic columns the table has, and whether the classification of
    its row codes (``row_scheme``: function, dept_econ …) is the one the form lists. A table
    whose title names no form of the vocabulary needs nearly all of a form's columns: a
    table of another form is unknown, not its nearest neighbour."""
    vocab = vocab or default_vocabulary()
    # "续表" (continued) names no form: the columns do.
    folded = vocab.fold(re.sub(r"[(（]?续(表)?[)）]?$", "", title.strip()))
    present = {c.split(".")[0] for c in column_ids if c}
    best: tuple[float, float, str | None, float] = (0.0, 0.0, None, 0.0)
    for form in vocab.forms:
        title_score, specificity = _title_evidence(form, folded, vocab)
        overlap = len(present & set(form.columns)) / max(1, len(form.columns))
        if title_score:
            score = 0.7 * title_score + 30.0 * overlap
        else:
            score = (100.0 if not folded else UNTITLED_COLUMNS) * overlap
        if form.rows and row_scheme:
            score += ROW_AGREES if form.rows == row_scheme else ROW_DISAGREES
        # Ranked by how much of the title the wording explains: the longest wording printed
        # (or nearly printed) wins; the reported score keeps the title/column evidence.
        key = (score + specificity, specificity, form.id, score + specificity / 10.0)
        if key[:2] > best[:2]:
            best = key
    score = max(0.0, min(100.0, best[3]))
    return FormMatch(best[2], score) if score >= FORM_THRESHOLD else FormMatch(None, score)


def row_scheme(codes: list[str]) -> str | None:
    """The classification most of a table's row codes belong to (None: no codes, or no
    classification has most of them)."""
    classification = default_classification()
    schemes = [classification.scheme_of(c) for c in codes if classification.get(c) is not None]
    if not schemes:
        return None
    top = max(set(schemes), key=schemes.count)
    return top.value if top is not None and schemes.count(top) > len(schemes) / 2 else None


def filing_year(text: str) -> int | None:
    """The year a filing's title names (2024年部门预算 → 2024)."""
    found = re.search(r"(20\d{2})\s*年", text)
    return int(found.group(1)) if found else None
