"""Columns named by the economic classifications: a header leaf that is a 款 name of
部门预算支出经济分类 (301xx …) or 政府预算支出经济分类 (501xx …) is that code's column,
``dept_econ_30101`` (基本工资) or ``gov_econ_50201`` (办公经费).

The wide tables print these names under their 类 (机关商品和服务支出 / 办公经费) or under a
printed grouping (工资津补贴 / 基本工资). A name that only one code has maps wherever it is
printed; a name both classifications use (住房公积金 is 30113 and 50103, 会议费 30215 and 50202)
needs its 类 above it, or the classification the table's other columns follow
(:func:`resolve_shared`).
"""

from __future__ import annotations

from recover.label.classification import (
    Classification,
    Scheme,
    Subject,
    default_classification,
    normalise_name,
)
from recover.label.vocabulary import ColumnEntry
from recover.model import ColumnMapping, ColumnStatus

SHARED = "shared_econ:"
"""Prefix of the provisional id of a 款 name both classifications use; the codes follow,
joined by "|". :func:`resolve_shared` settles it by the table's classification."""


def column_id(subject: Subject) -> str:
    """Canonical column id of an economic 款: its classification and code."""
    return f"{subject.scheme.value}_{subject.code}"


def economic_entries(
    reserved: set[str], classification: Classification | None = None
) -> tuple[ColumnEntry, ...]:
    """Column entries for every economic 款. ``reserved`` holds the (normalised) wordings the
    hand-written vocabulary already gives another meaning (公务接待费 in the 三公 table): there,
    the 款 maps only under its 类."""
    cls = classification or default_classification()
    kuan = [s for scheme in (Scheme.DEPT_ECON, Scheme.GOV_ECON) for s in cls.in_scheme(scheme, level=2)]
    owners: dict[str, set[str]] = {}
    for s in kuan:
        for n in s.names:
            owners.setdefault(normalise_name(n), set()).add(s.code)
    lei = {
        s.code: s for scheme in (Scheme.DEPT_ECON, Scheme.GOV_ECON) for s in cls.in_scheme(scheme, level=1)
    }
    entries: list[ColumnEntry] = []
    for s in kuan:
        group = lei[s.code[:3]]
        # A 类 name inside another classification's 类 name (工资福利支出 in 机关工资福利支出)
        # must not stand for it.
        others = tuple(
            n
            for o in lei.values()
            if o.scheme is not s.scheme
            for n in o.names
            if n not in group.names and any(g in n for g in group.names)
        )
        entries.append(ColumnEntry(column_id(s), s.names, under=group.names, not_under=others))
        unique = [
            n for n in s.names if len(owners[normalise_name(n)]) == 1 and normalise_name(n) not in reserved
        ]
        if unique:
            entries.append(ColumnEntry(column_id(s), tuple(unique), not_under=others))
    shared = {n: codes for n, codes in owners.items() if len(codes) > 1 and n not in reserved}
    for name, codes in sorted(shared.items()):
        entries.append(ColumnEntry(SHARED + "|".join(sorted(codes)), (name,)))
    return tuple(entries)


def economic_scheme(ids: list[str | None]) -> Scheme | None:
    """The economic classification most of a table's mapped columns follow (None: neither)."""
    counts = {
        scheme: sum(1 for i in ids if i and i.startswith(scheme.value + "_"))
        for scheme in (Scheme.DEPT_ECON, Scheme.GOV_ECON)
    }
    best = max(counts, key=lambda k: counts[k])
    others = sum(v for k, v in counts.items() if k is not best)
    return best if counts[best] > others else None


def resolve_shared(columns: list[ColumnMapping]) -> None:
    """Give each column named by a 款 name both classifications use the code of the
    classification the table's other columns follow; without one, it stays unmapped."""
    scheme = economic_scheme([c.id for c in columns if c.id and not c.id.startswith(SHARED)])
    for column in columns:
        if column.id is None or not column.id.startswith(SHARED):
            continue
        codes = column.id[len(SHARED) :].split("|")
        chosen = [c for c in codes if scheme is not None and c.startswith(_FIRST_DIGIT[scheme])]
        if len(chosen) == 1:
            column.id = f"{scheme}_{chosen[0]}"
        else:
            column.id, column.status = None, ColumnStatus.UNMAPPED


_FIRST_DIGIT = {Scheme.DEPT_ECON: "3", Scheme.GOV_ECON: "5"}
