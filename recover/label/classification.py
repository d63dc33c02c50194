"""The national classification 政府收支分类科目 (``recover/data/classification.yaml``):
typed lookups of a subject code's name, level and parent, and of the codes a name has.

Codes are accepted in any edition the file records (a code renamed between editions keeps
every name it had); names are compared after width folding and without whitespace or quotes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from recover.data import load_yaml, model_text


class Scheme(StrEnum):
    """The four classifications of 政府收支分类科目."""

    FUNCTION = "function"  # 支出功能分类 (类 201–234 / 款 / 项)
    DEPT_ECON = "dept_econ"  # 部门预算支出经济分类 (301–399)
    GOV_ECON = "gov_econ"  # 政府预算支出经济分类 (501–599)
    REVENUE = "revenue"  # 收入分类 (101–110)

    @property
    def economic(self) -> bool:
        """One of the two economic classifications (their 款 name table columns)."""
        return self in (Scheme.DEPT_ECON, Scheme.GOV_ECON)


LEVEL_LENGTHS = {3: 1, 5: 2, 7: 3}
"""Code length → level (类 1, 款 2, 项 3)."""


@dataclass(frozen=True)
class Subject:
    """One code: its names (the current one first, then other editions' and printed
    variants), the editions that named it (empty: every edition) and its classification."""

    code: str
    scheme: Scheme
    names: tuple[str, ...]
    editions: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        """The current name."""
        return self.names[0]

    @property
    def level(self) -> int:
        """1 (类), 2 (款) or 3 (项)."""
        return LEVEL_LENGTHS[len(self.code)]

    @property
    def parent(self) -> str | None:
        """The code one level up (None for a 类)."""
        return None if len(self.code) == 3 else self.code[: len(self.code) - 2]


def normalise_name(text: str) -> str:
    """Comparable form of a subject name: width folded, no whitespace, quotes or a leading
    enumeration ("一、", "1.")."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\s\"'“”‘’]+", "", text)
    return re.sub(r"^([一二三四五六七八九十]+、|\d+[.、])", "", text)


def _names(value: object) -> tuple[tuple[str, ...], tuple[int, ...]]:
    if isinstance(value, str):
        return (value,), ()
    if isinstance(value, list):
        return tuple(str(v) for v in value), ()
    if isinstance(value, dict):
        by_year = sorted(((int(y), str(n)) for y, n in value.items()), reverse=True)
        return tuple(dict.fromkeys(n for _, n in by_year)), tuple(y for y, _ in by_year)
    raise ValueError(
        f"classification: a code's value must be a name, a list or a year mapping, not {value!r}"
    )


@dataclass(frozen=True)
class Classification:
    """Every code of the shipped edition(s), with lookups by code and by name."""

    subjects: dict[str, Subject]
    edition: int
    source: str
    by_name: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, path: Path | None = None) -> Classification:
        """Read the YAML classification (``RECOVER_CLASSIFICATION`` overrides the default)."""
        data = load_yaml(model_text("classification.yaml", "RECOVER_CLASSIFICATION", path))
        subjects: dict[str, Subject] = {}
        for scheme in Scheme:
            for key, value in (data.get(scheme.value) or {}).items():
                code = str(key)
                if not code.isdigit() or len(code) not in LEVEL_LENGTHS:
                    raise ValueError(f"classification: {scheme.value} code {code!r} is not 3, 5 or 7 digits")
                if code in subjects:
                    raise ValueError(f"classification: code {code} appears twice")
                names, editions = _names(value)
                subjects[code] = Subject(code, scheme, names, editions)
        found: dict[str, list[str]] = {}
        for subject in subjects.values():
            for n in subject.names:
                found.setdefault(normalise_name(n), []).append(subject.code)
        by_name = {k: tuple(sorted(set(v))) for k, v in found.items()}
        return cls(subjects, int(data.get("edition", 0)), str(data.get("source", "")), by_name)

    def get(self, code: str) -> Subject | None:
        """The subject of a code (None when no edition has it)."""
        return self.subjects.get(code)

    def name_of(self, code: str) -> str | None:
        """The current name of a code."""
        subject = self.subjects.get(code)
        return None if subject is None else subject.name

    def accepts(self, code: str, name: str) -> bool:
        """Whether some edition gives ``code`` the name ``name``."""
        subject = self.subjects.get(code)
        return subject is not None and normalise_name(name) in {normalise_name(n) for n in subject.names}

    def codes_named(self, name: str, scheme: Scheme | None = None) -> list[str]:
        """Every code some edition names ``name`` (in one classification, if given)."""
        return [
            c for c in self.by_name.get(normalise_name(name), ()) if scheme is None or c[0] == _FIRST[scheme]
        ]

    def children(self, code: str) -> list[Subject]:
        """The codes one level below ``code``."""
        return [s for s in self.subjects.values() if s.parent == code]

    def in_scheme(self, scheme: Scheme, level: int | None = None) -> list[Subject]:
        """The subjects of one classification (of one level, if given), in code order."""
        return sorted(
            (s for s in self.subjects.values() if s.scheme is scheme and (level is None or s.level == level)),
            key=lambda s: s.code,
        )

    def scheme_of(self, code: str) -> Scheme | None:
        """Which classification a code belongs to, by its first digit (None: none)."""
        return next((s for s, first in _FIRST.items() if code[:1] == first), None)


_FIRST = {Scheme.FUNCTION: "2", Scheme.DEPT_ECON: "3", Scheme.GOV_ECON: "5", Scheme.REVENUE: "1"}


@lru_cache(maxsize=2)
def default_classification() -> Classification:
    """The classification shipped in ``recover/data/`` (read once)."""
    return Classification.load()
