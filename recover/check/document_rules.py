"""The rules between a disclosure's tables, read from ``recover/data/document_rules.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from recover.data import load_yaml, model_text


@dataclass(frozen=True)
class Term:
    """One amount of the document: a form's row (by its printed label) and column."""

    form: str
    labels: tuple[str, ...]
    column: str

    @classmethod
    def parse(cls, spec: str) -> Term:
        """From ``"form / label|label / column"``."""
        parts = [p.strip() for p in spec.split("/")]
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"a term is 'form / row label / column', got {spec!r}")
        return cls(parts[0], tuple(w.strip() for w in parts[1].split("|")), parts[2])


Alternatives = tuple[tuple[Term, ...], ...]


@dataclass(frozen=True)
class EqualRule:
    """left = right; each side's first alternative whose terms are all found is used."""

    id: str
    says: str
    left: Alternatives
    right: Alternatives


@dataclass(frozen=True)
class SubjectRule:
    """Each 类 row of ``subjects`` equals the line of ``lines`` that names the same 类
    (in the first of ``lines_columns`` the lines form has)."""

    id: str
    says: str
    subjects_form: str
    subjects_column: str
    lines_form: str
    lines_columns: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """An amount the filing's text states: ``label`` (a regular expression) right before it."""

    label: str
    terms: Alternatives


@dataclass(frozen=True)
class Publication:
    """A standard set of forms published together (部门决算, 部门预算)."""

    id: str
    zh: str
    title_word: str
    min_found: int
    forms: tuple[str, ...]


@dataclass(frozen=True)
class DocumentRules:
    """All rules between tables, and the standard sets of forms."""

    publications: tuple[Publication, ...]
    equal: tuple[EqualRule, ...]
    by_subject: tuple[SubjectRule, ...]
    statements: tuple[Statement, ...] = ()

    @classmethod
    def load(cls, path: Path | None = None) -> DocumentRules:
        """Read the YAML rules (``RECOVER_DOCUMENT_RULES`` overrides the default path)."""
        text = model_text("document_rules.yaml", "RECOVER_DOCUMENT_RULES", path)
        data: dict[str, Any] = load_yaml(text)

        def alternatives(specs: list[list[str]]) -> Alternatives:
            return tuple(tuple(Term.parse(s) for s in alt) for alt in specs)

        def pair(spec: str) -> tuple[str, str]:
            form, _, column = (p.strip() for p in spec.partition("/"))
            if not form or not column:
                raise ValueError(f"expected 'form / column', got {spec!r}")
            return form, column

        subject_rules = []
        for d in data.get("by_subject", []):
            (sf, sc), (lf, lc) = pair(d["subjects"]), pair(d["lines"])
            columns = tuple(c.strip() for c in lc.split("|"))
            subject_rules.append(SubjectRule(str(d["id"]), str(d["says"]), sf, sc, lf, columns))
        return cls(
            publications=tuple(
                Publication(
                    str(p["id"]), str(p["zh"]), str(p["title_word"]), int(p["min_found"]), tuple(p["forms"])
                )
                for p in data.get("publications", [])
            ),
            equal=tuple(
                EqualRule(str(d["id"]), str(d["says"]), alternatives(d["left"]), alternatives(d["right"]))
                for d in data.get("equal", [])
            ),
            by_subject=tuple(subject_rules),
            statements=tuple(
                Statement(str(d["label"]), alternatives(d["terms"])) for d in data.get("statements", [])
            ),
        )


@lru_cache(maxsize=2)
def default_rules() -> DocumentRules:
    """The rules shipped in ``recover/data/`` (read once)."""
    return DocumentRules.load()
