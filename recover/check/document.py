"""Checks between the tables of one disclosure: the same money printed in several forms.

A 部门决算/预算 publishes its totals more than once (收支总表, 收入表, 支出表, 财政拨款收支总表
…); ``recover/data/document_rules.yaml`` lists where. Each rule is evaluated after header mapping
and stitching. A rule that fails on figures read clearly is the filing's own inconsistency
(reported, never repaired); one that fails on an unsure reading flags its cells for review.
The standard set of forms also tells which forms a filing left out.
"""

from __future__ import annotations

import re
from decimal import Decimal

from recover.check.clear import read_clearly
from recover.check.constraints import last_place_unit
from recover.check.document_rules import DocumentRules, EqualRule, SubjectRule, default_rules
from recover.check.facts import Fact, class_rows, find_amount, locate
from recover.check.statements import (
    RunningText,
    StatementCheck,
    class_statements,
    comparisons,
    labelled_statements,
    subject_statements,
    year_notes,
)
from recover.label.vocabulary import Vocabulary, default_vocabulary
from recover.model import (
    Cell,
    CellStatus,
    Document,
    DocumentChecks,
    DocumentRule,
    Flag,
    FlagKind,
    Table,
    Verdict,
)
from recover.read.reread import Reread

FormSet = dict[str, Table]

BETWEEN_TABLES = "between tables"
_FLAG_OF = {
    Verdict.SOURCE_INCONSISTENCY: FlagKind.SOURCE_INCONSISTENCY,
    Verdict.UNSURE: FlagKind.UNEXPLAINED,
    Verdict.CANNOT_CHECK: FlagKind.CANNOT_CHECK,
}

_PLACEHOLDER = re.compile(r"(?<=[\u4e00-\u9fff])(XX+|xx+|××+|ＸＸ+|某某)(?=[\u4e00-\u9fff])")


def form_sets(doc: Document) -> list[FormSet]:
    """The document's tables grouped into sets of distinct forms, in page order.

    A filing that publishes a department's forms and then each unit's starts a new set
    whenever a form comes round again, so rules never mix two units' tables.
    """
    sets: list[FormSet] = [{}]
    for table in doc.tables:
        form = table.meta.form
        if not form:
            continue
        if form in sets[-1]:
            sets.append({})
        sets[-1][form] = table
    return [s for s in sets if s]


def _flag(cell: Cell, verdict: Verdict, reason: str) -> None:
    """Send a printed figure to review with the reason (its value is never changed); only a
    decision on the cell itself clears such a flag, not its own table's totals."""
    flag = Flag(_FLAG_OF[verdict], reason, across_tables=True)
    if cell.text and flag not in cell.flags:
        cell.status = CellStatus.FLAGGED
        cell.flags.append(flag)


def _evaluate(
    rule_id: str,
    says: str,
    left: list[Fact],
    right: list[Fact],
    reread: Reread | None,
    checks: DocumentChecks,
) -> None:
    record = DocumentRule(rule_id, says, Verdict.HOLDS, [f.term() for f in left], [f.term() for f in right])
    facts = left + right
    values = [f.value for f in facts]
    if all(v == 0 and not f.cell.text for v, f in zip(values, facts, strict=True)):
        return  # every figure blank (a form with nothing this year): nothing to compare
    checks.found += 1
    if any(v is None for v in values):
        record.status = Verdict.CANNOT_CHECK
        reason = f"{says} ({BETWEEN_TABLES}) cannot be checked: a cell in it does not read as a number"
        checks.unsure += 1
    else:
        known = [v for v in values if v is not None]
        off_by = sum(known[: len(left)], Decimal(0)) - sum(known[len(left) :], Decimal(0))
        record.off_by = off_by
        if abs(off_by) <= last_place_unit(known):
            checks.holding += 1
            checks.rules.append(record)
            return
        if all(read_clearly(f.cell, reread) for f in facts):
            record.status = Verdict.SOURCE_INCONSISTENCY
            checks.inconsistencies += 1
            reason = f"source inconsistency {BETWEEN_TABLES}: {says} is off by {off_by} as printed"
        else:
            record.status = Verdict.UNSURE
            checks.unsure += 1
            reason = f"{says} fails by {off_by} ({BETWEEN_TABLES}); a figure in it is not read surely"
    checks.rules.append(record)
    for fact in facts:
        _flag(fact.cell, record.status, reason)


def _equal(
    rule: EqualRule, tables: FormSet, vocab: Vocabulary, reread: Reread | None, checks: DocumentChecks
) -> None:
    left = locate(rule.left, tables, vocab)
    right = locate(rule.right, tables, vocab)
    if left is not None and right is not None:
        _evaluate(rule.id, rule.says, left, right, reread, checks)


def _by_subject(
    rule: SubjectRule, tables: FormSet, vocab: Vocabulary, reread: Reread | None, checks: DocumentChecks
) -> None:
    if rule.subjects_form not in tables or rule.lines_form not in tables:
        return
    lines = tables[rule.lines_form]
    for name, subject in class_rows(tables[rule.subjects_form], rule.subjects_column, vocab).items():
        found = (find_amount(lines, (name,), column, vocab) for column in rule.lines_columns)
        line = next((f for f in found if f is not None), None)
        if line is not None:
            says = f"{rule.says}（{subject.label.text}）"
            _evaluate(f"{rule.id}:{name}", says, [line], [subject], reread, checks)


def _statements(found: list[StatementCheck], checks: DocumentChecks) -> None:
    for check in found:
        checks.rules.append(check.record)
        checks.statements += 1
        if check.status is Verdict.HOLDS:
            checks.statements_holding += 1
            continue
        if check.status is Verdict.SOURCE_INCONSISTENCY:
            checks.statement_inconsistencies += 1
        else:
            checks.unsure += 1
        if check.fact is not None:
            page = check.record.left[0].page
            says = f"{check.status} {BETWEEN_TABLES} and text (page {page}): {check.record.says}"
            _flag(check.fact.cell, check.status, says)


def _publication(doc: Document, rules: DocumentRules, vocab: Vocabulary) -> tuple[str, list[str]]:
    """The standard set the document publishes, and that set's forms it does not carry."""
    found = {t.meta.form for t in doc.tables if t.meta.form}
    titles = " ".join(t.meta.title for t in doc.tables)
    best = None
    for pub in rules.publications:
        carried = len(found & set(pub.forms))
        if carried >= pub.min_found and pub.title_word in titles:
            score = (titles.count(pub.title_word), carried)
            if best is None or score > best[0]:
                best = (score, pub)
    if best is None:
        return "", []
    pub = best[1]
    names = {f.id: f for f in vocab.forms}
    missing = []
    for form in pub.forms:
        if form in found or form not in names:
            continue
        entry = names[form]
        missing.append(next((t for t in entry.titles if pub.title_word in t), entry.zh))
    return pub.zh, missing


def _placeholder_notes(doc: Document) -> list[str]:
    notes = []
    seen: set[str] = set()
    for table in doc.tables:
        for line in [table.meta.title, table.meta.organisation, *table.meta.context_lines]:
            match = _PLACEHOLDER.search(line)
            if match and line not in seen:
                seen.add(line)
                notes.append(f"page {table.page}: template placeholder {match.group(0)!r} left in {line!r}")
    return notes


def check_document(
    doc: Document,
    rules: DocumentRules | None = None,
    vocab: Vocabulary | None = None,
    reread: Reread | None = None,
    complete: bool = True,
) -> Document:
    """Evaluate the rules between tables; ``complete`` is False when only some pages were read
    (then absent forms are not reported: they may sit on the pages left out)."""
    rules = rules or default_rules()
    vocab = vocab or default_vocabulary()
    checks = DocumentChecks()
    sets = form_sets(doc)
    for tables in sets:
        for equal in rules.equal:
            _equal(equal, tables, vocab, reread, checks)
        for subject in rules.by_subject:
            _by_subject(subject, tables, vocab, reread, checks)
    text = RunningText.of(doc)
    if text.text and sets:
        # The text speaks of the department's forms: the first set.
        _statements(
            labelled_statements(text, rules.statements, sets[0], vocab, reread)
            + subject_statements(text, sets[0], vocab, reread)
            + class_statements(text, sets[0], vocab, reread)
            + comparisons(text),
            checks,
        )
    checks.publication, missing = _publication(doc, rules, vocab)
    checks.missing_forms = missing if complete else []
    checks.notes = _placeholder_notes(doc) + year_notes(doc, text)
    doc.checks = checks
    return doc
