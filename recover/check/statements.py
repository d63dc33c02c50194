"""Amounts the filing's text (情况说明) states, checked against its own tables.

"本年收入合计2946.25万元" must be the 收入表's 合计; "“一般公共服务支出（类）财政事务（款）行政运行
（项）”…支出决算为1511.89万元" must be that 项's row; "决算数小于预算数" must be true of the two
amounts before it. The labels come from ``recover/data/document_rules.yaml``; a statement whose
label matches nothing in the tables is not checked (it is never guessed at).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from recover.check.clear import CLEAR_READING, read_clearly
from recover.check.document_rules import Statement
from recover.check.facts import Fact, class_rows, label_key, locate, subject_rows
from recover.label.vocabulary import Vocabulary
from recover.model import Document, DocumentRule, RuleKind, Table, Term, Verdict
from recover.read.reread import Reread

AMOUNT = r"(?P<amount>\d[\d,]*(?:\.\d+)?)万元"
_LINK = r"(?:为|是|共计|:)?"
_NAME = r"(?:[^()\"“”。;,:]|\([^()]{1,4}\))+?"
_PAREN_PATH = re.compile(
    rf"(?<![\u4e00-\u9fff])(?P<lei>[\u4e00-\u9fff]+?)\(类\)(?P<kuan>{_NAME})\(款\)(?P<xiang>{_NAME})\(项\)"
)
_CLASS = re.compile(rf"(?<![\u4e00-\u9fff])(?P<lei>[\u4e00-\u9fff]+?)\(类\){AMOUNT}")
_DASH_PATH = re.compile(r"“(?P<lei>[^“”\-]+?)-(?P<kuan>[^“”]+?)-(?P<xiang>[^“”\-]+?)”科目")
_IMMEDIATE = re.compile(rf"[”\"]?(?:科目)?{AMOUNT}")  # right after the item's name
_LATER = [re.compile(rf"支出决算为{AMOUNT}"), re.compile(rf"预算安排{AMOUNT}")]  # further in its paragraph
_COMPARISON = re.compile(
    r"年初预算为(?P<budget>\d[\d,]*(?:\.\d+)?)万元,支出决算为(?P<final>\d[\d,]*(?:\.\d+)?)万元[。.]?"
    r"决算数(?:(?P<rel>大于|小于|等于)预算数|与预算数(?P<flat>基本)?持平)"
)
_YEAR = re.compile(r"(20\d\d)年度?部门(决算|预算)")
_UNIT_SCALE = {"万元": Decimal(1), "元": Decimal("0.0001")}


@dataclass
class RunningText:
    """The document's running text as one string, each character traced to its line."""

    text: str
    line_at: list[int]
    lines: list[tuple[int, float]]  # (page, recognition score) of each line

    @classmethod
    def of(cls, doc: Document) -> RunningText:
        """All text lines of pages without tables, folded (NFKC) and without spaces."""
        parts: list[str] = []
        line_at: list[int] = []
        lines: list[tuple[int, float]] = []
        for page in doc.pages:
            for line in page.text_lines:
                text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", line.text))
                parts.append(text)
                line_at.extend([len(lines)] * len(text))
                lines.append((page.number, line.score))
        return cls("".join(parts), line_at, lines)

    def page(self, pos: int) -> int:
        """Page of the character at ``pos``."""
        return self.lines[self.line_at[pos]][0] if self.line_at else 0

    def clear(self, start: int, end: int) -> bool:
        """Every line the span touches was read clearly."""
        return all(self.lines[i][1] >= CLEAR_READING for i in set(self.line_at[start:end]))

    def snippet(self, start: int, end: int) -> str:
        """The span with a little text before it, for reports."""
        return self.text[max(0, start - 16) : end]


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _in_wan(fact: Fact) -> Decimal | None:
    scale = _UNIT_SCALE.get(fact.table.meta.unit)
    return None if scale is None or fact.value is None else fact.value * scale


def _agrees(stated: str, fact: Fact) -> bool | None:
    """Whether the stated 万元 amount is the table's figure, at the text's precision."""
    table = _in_wan(fact)
    if table is None:
        return None
    decimals = len(stated.split(".")[1]) if "." in stated else 0
    tolerance = Decimal(5).scaleb(-decimals - 1) + (Decimal("0.01") if fact.table.meta.unit == "万元" else 0)
    return abs(table - _decimal(stated)) <= tolerance


@dataclass
class StatementCheck:
    """One statement of the text and its outcome, as recorded in ``document_checks.rules``."""

    record: DocumentRule
    fact: Fact | None

    @property
    def status(self) -> Verdict:
        """The statement's verdict."""
        return self.record.status


def _record(
    rule: str, says: str, status: Verdict, text: RunningText, span: tuple[int, int], stated: str
) -> DocumentRule:
    stated_term = Term(form="text", label=text.snippet(*span), page=text.page(span[0]), text=stated)
    return DocumentRule(rule, says, status, [stated_term], [], RuleKind.STATEMENT)


def _compared(
    rule: str, text: RunningText, match: re.Match[str], fact: Fact, reread: Reread | None
) -> list[StatementCheck]:
    """The statement's check against ``fact``; none when the table's unit is not known
    (its figures cannot be compared with 万元)."""
    stated = match.group("amount")
    if fact.table.meta.unit not in _UNIT_SCALE:
        return []
    agrees = _agrees(stated, fact)
    span = (match.start(), match.end())
    if agrees is None:
        status = Verdict.CANNOT_CHECK  # the table's figure does not read as a number (flagged)
    elif agrees:
        status = Verdict.HOLDS
    elif text.clear(*span) and read_clearly(fact.cell, reread):
        status = Verdict.SOURCE_INCONSISTENCY
    else:
        status = Verdict.UNSURE
    table_says = f"{fact.cell.text or '(blank)'} {fact.table.meta.unit}"
    says = f"the text states {stated}万元; {fact.table.meta.title or fact.table.meta.form} says {table_says}"
    record = _record(rule, says, status, text, span, stated)
    record.right = [fact.term()]
    return [StatementCheck(record, fact)]


def labelled_statements(
    text: RunningText,
    statements: tuple[Statement, ...],
    tables: dict[str, Table],
    vocab: Vocabulary,
    reread: Reread | None,
) -> list[StatementCheck]:
    """Statements "<label><amount>万元"; where labels overlap the longest one is taken."""
    found = []
    for statement in statements:
        label = unicodedata.normalize("NFKC", statement.label)
        for match in re.finditer(rf"(?:{label}){_LINK}{AMOUNT}", text.text):
            found.append((match.start("amount") - match.start(), match, statement))
    taken: list[tuple[int, int]] = []
    checks = []
    for _, match, statement in sorted(found, key=lambda f: -f[0]):
        # One amount, one statement: the longest label before it says what it is.
        start, end = match.span("amount")
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        facts = locate(statement.terms, tables, vocab)
        if facts:
            label = match.group(0)[: match.start("amount") - match.start()]
            checks += _compared(f"statement:{label}", text, match, facts[0], reread)
    return checks


def _item_rows(table: Table, vocab: Vocabulary) -> dict[tuple[str, str, str], Fact]:
    """The 项 rows of a table by their (类, 款, 项) names."""
    rows = subject_rows(table, "total", vocab)
    names = {code: label_key(fact.label.text, vocab) for code, fact in rows.items()}
    return {
        (names[code[:3]], names[code[:5]], names[code]): fact
        for code, fact in rows.items()
        if len(code) == 7 and code[:3] in names and code[:5] in names
    }


def subject_statements(
    text: RunningText, tables: dict[str, Table], vocab: Vocabulary, reread: Reread | None
) -> list[StatementCheck]:
    """“类-款-项” items of the text with the amount stated for them, against that 项's row."""
    table = tables.get("general_budget_expenditure") or tables.get("expenditure_summary")
    rows = {} if table is None else _item_rows(table, vocab)
    if not rows:
        return []
    paths = sorted(
        [*_PAREN_PATH.finditer(text.text), *_DASH_PATH.finditer(text.text)], key=lambda m: m.start()
    )
    checks = []
    for n, path in enumerate(paths):
        key = tuple(label_key(path.group(g), vocab) for g in ("lei", "kuan", "xiang"))
        fact = rows.get((key[0], key[1], key[2]))
        if fact is None:
            continue
        end = paths[n + 1].start() if n + 1 < len(paths) else min(len(text.text), path.end() + 300)
        found = [_IMMEDIATE.match(text.text, path.end(), end)]
        found += [m for pattern in _LATER for m in pattern.finditer(text.text, path.end(), end)]
        for match in found:
            if match is not None:
                checks += _compared(f"statement:{path.group('xiang')}", text, match, fact, reread)
    return checks


def class_statements(
    text: RunningText, tables: dict[str, Table], vocab: Vocabulary, reread: Reread | None
) -> list[StatementCheck]:
    """ "一般公共服务支出（类）2106.66万元": the 类 row of the 一般公共预算支出表."""
    table = tables.get("general_budget_expenditure")
    rows = {} if table is None else class_rows(table, "total", vocab)
    checks = []
    for match in _CLASS.finditer(text.text):
        fact = rows.get(label_key(match.group("lei"), vocab))
        if fact is not None:
            checks += _compared(f"statement:{match.group('lei')}(类)", text, match, fact, reread)
    return checks


def comparisons(text: RunningText) -> list[StatementCheck]:
    """ "年初预算为A万元，支出决算为B万元。决算数大于/小于预算数" must be true of A and B."""
    checks = []
    for match in _COMPARISON.finditer(text.text):
        budget, final = _decimal(match.group("budget")), _decimal(match.group("final"))
        rel = match.group("rel")
        if rel is not None:
            holds = {"大于": final > budget, "小于": final < budget, "等于": final == budget}[rel]
            claim = f"决算数{rel}预算数"
        else:
            limit = budget * Decimal("0.01") if match.group("flat") else Decimal(0)
            holds = abs(final - budget) <= limit
            claim = "决算数与预算数" + ("基本持平" if match.group("flat") else "持平")
        span = (match.start(), match.end())
        status = (
            Verdict.HOLDS
            if holds
            else (Verdict.SOURCE_INCONSISTENCY if text.clear(*span) else Verdict.UNSURE)
        )
        says = f"the text says {claim} of 预算 {budget}万元 and 决算 {final}万元"
        checks.append(StatementCheck(_record("statement:决算与预算", says, status, text, span, ""), None))
    return checks


def year_notes(doc: Document, text: RunningText) -> list[str]:
    """Years the filing names (its text's "20XX年度部门决算", its tables' titles) that differ
    from the year it names most."""
    seen: list[tuple[int, int, str]] = [
        (int(m.group(1)), text.page(m.start()), m.group(0)) for m in _YEAR.finditer(text.text)
    ]
    seen += [(t.meta.year, t.page, t.meta.title) for t in doc.tables if t.meta.year]
    if not seen:
        return []
    counts: dict[int, int] = {}
    for year, _, _ in seen:
        counts[year] = counts.get(year, 0) + 1
    main = max(counts.items(), key=lambda kv: kv[1])[0]
    return [
        f"page {page}: '{words}' names {year} — different years in one filing (mostly {main})"
        for year, page, words in seen
        if year != main
    ]
