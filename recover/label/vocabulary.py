"""The canonical column vocabulary of ``recover/data/columns.yaml`` and text folding for matching."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from recover.data import load_yaml, model_text

# What a speck, a rule end or seal ink beside a header word reads as: digits, Latin or Greek
# letters (μ), punctuation.
_JUNK = r"[\dA-Za-z\u0370-\u03ffµ:：.,，。;；]"


@dataclass(frozen=True)
class ColumnEntry:
    """One canonical column: id, printed wordings, required and forbidden context."""

    id: str
    names: tuple[str, ...]
    under: tuple[str, ...] = ()
    not_under: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormEntry:
    """One standard form: id, Chinese name, title wordings, characteristic columns."""

    id: str
    zh: str
    titles: tuple[str, ...]
    columns: tuple[str, ...]
    rows: str = ""  # the classification its row codes follow (function, dept_econ …), if any


@dataclass(frozen=True)
class Vocabulary:
    """Columns, measures, forms and the OCR confusion fold."""

    columns: tuple[ColumnEntry, ...]
    measures: tuple[ColumnEntry, ...]
    forms: tuple[FormEntry, ...]
    fold_map: dict[str, str]
    sequences: tuple[tuple[str, ...], ...] = ()
    """Columns printed side by side in a fixed order (类, 款, 项)."""

    def fold(self, text: str) -> str:
        """Comparable form: NFKC width folding, no whitespace or quotes, confusions folded."""
        text = unicodedata.normalize("NFKC", text)
        text = re.sub(r"[\s\"'“”‘’]+", "", text)
        # "2024年机关运行经费预算数": the year says when, not what the column is.
        text = re.sub(r"^(19|20)\d{2}年(度)?", "", text)
        # Specks and seal ink read as symbols or letters, a stray column number or punctuation
        # beside a word ("1合计", "I合计", "类:"): header words are Chinese.
        text = re.sub(r"[•■□▪●◆=_|【】\[\]~·…]+", "", text)
        text = re.sub(
            rf"^{_JUNK}+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff\)）]){_JUNK}+$",
            "",
            text,
        )
        return "".join(self.fold_map.get(ch, ch) for ch in text)

    @classmethod
    def load(cls, path: Path | None = None) -> Vocabulary:
        """Read the YAML vocabulary (``RECOVER_COLUMNS`` overrides the default path)."""
        data = load_yaml(model_text("columns.yaml", "RECOVER_COLUMNS", path))

        def entry(d: dict[str, object]) -> ColumnEntry:
            return ColumnEntry(
                id=str(d["id"]),
                names=tuple(str(n) for n in d.get("names", [])),  # type: ignore[attr-defined]
                under=tuple(str(n) for n in d.get("under", [])),  # type: ignore[attr-defined]
                not_under=tuple(str(n) for n in d.get("not_under", [])),  # type: ignore[attr-defined]
            )

        # Imported here: the economic columns are built from ColumnEntry, defined above.
        from recover.label.classification import normalise_name
        from recover.label.economic_columns import economic_entries

        fold_map = {str(wrong): str(right) for right, wrong in data.get("ocr_confusions", [])}
        written = tuple(entry(d) for d in data.get("columns", []))
        reserved = {normalise_name(n) for e in written for n in e.names}
        return cls(
            # The hand-written columns, then every 款 of the two economic classifications.
            columns=written + economic_entries(reserved),
            measures=tuple(entry(d) for d in data.get("measures", [])),
            forms=tuple(
                FormEntry(
                    str(f["id"]),
                    str(f["zh"]),
                    tuple(f.get("titles", [])),
                    tuple(f.get("columns", [])),
                    str(f.get("rows", "")),
                )
                for f in data.get("forms", [])
            ),
            fold_map=fold_map,
            sequences=tuple(tuple(str(i) for i in seq) for seq in data.get("sequences", [])),
        )


@lru_cache(maxsize=4)
def default_vocabulary() -> Vocabulary:
    """The vocabulary shipped in ``recover/data/`` (read once)."""
    return Vocabulary.load()
