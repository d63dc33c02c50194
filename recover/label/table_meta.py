"""Title, organisation, unit and form label of a table from the text printed around it."""

from __future__ import annotations

import re

from recover.label.vocabulary import default_vocabulary
from recover.model import TableMeta

_FORM_LABEL = re.compile(
    r"((?:预算|决算|公开|收支|附)?\s*\d{1,2}\s*(?:-\s*\d{1,2}\s*)?表|附表\s*\d{1,2}|附件\s*\d{1,2})"
)
_UNIT = re.compile(r"(?:单位|金额单位)\s*[:：]\s*(万元|千元|亿元|元)")
_ORG = re.compile(
    r"(?:编制部门|编制单位|填报单位|单位名称|部门名称|预算单位)\s*[:：]\s*(.+?)(?=\s*(?:金额)?单位\s*[:：]|$)"
)
_TITLE_HINT = re.compile(r"表|情况|明细|总表|预算|决算|安排")
# Running text of the page, not a table's title: a sentence (it holds 。 or ；, ends with ：
# or holds a comma between clauses) or a section heading of the report ("（十）…",
# "第一部分…", "一、…") that does not name a table (a heading ending in 表, or printing a
# form's title wording, is the table's own title).
# A full stop inside a line: a sentence wrapped over the line's end (…决算。纳入).
_SENTENCE_END = re.compile(r"[。；;]|[：:]$")
_CLAUSES = re.compile(r"[，,]")
_NUMERAL = "一二三四五六七八九十"
_SECTION_NUMBER = re.compile(rf"^(?:[(（][{_NUMERAL}\d]+[)）]|第[{_NUMERAL}\d]+[部分章节条]|[{_NUMERAL}]+、)")


def _clean(s: str) -> str:
    return re.sub(r"\s+", "", s)


def is_running_text(line: str) -> bool:
    """Whether a line above a table is the page's running text (a sentence, a numbered
    section heading) rather than the table's title."""
    compact = _clean(line)
    if not compact:
        return False
    if _SENTENCE_END.search(compact) or (_CLAUSES.search(compact) and "表" not in compact):
        return True
    if not _SECTION_NUMBER.match(compact) or compact.endswith("表"):
        return False
    vocab = default_vocabulary()
    folded = vocab.fold(compact)
    return not any(vocab.fold(t) in folded for form in vocab.forms for t in form.titles)


def parse_table_meta(lines: list[str]) -> TableMeta:
    """Pick title, 编制部门/填报单位, 单位 and form label out of the context lines."""
    meta = TableMeta(context_lines=list(lines))
    title_candidates = []
    for raw in lines:
        line = raw.strip()
        compact = _clean(line)
        if not compact:
            continue
        if not meta.unit and (m := _UNIT.search(compact)):
            meta.unit = m.group(1)
        if not meta.organisation and (m := _ORG.search(compact)):
            meta.organisation = m.group(1).strip()
        if _UNIT.fullmatch(compact) or _ORG.match(compact):
            continue
        label = _FORM_LABEL.fullmatch(compact)
        if label and not meta.form_label:
            meta.form_label = compact
            continue
        if _TITLE_HINT.search(compact) and len(compact) >= 4 and not is_running_text(compact):
            title_candidates.append(compact)
    if title_candidates:
        # The title is the line nearest the table among title-like lines.
        meta.title = title_candidates[-1]
    if not meta.form_label:
        for raw in lines:
            compact = _clean(raw)
            m = _FORM_LABEL.search(compact)
            if m and len(compact) <= 12:
                meta.form_label = m.group(1)
                break
    return meta
