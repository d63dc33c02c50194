"""A garbled header whose neighbours name it: the columns of a fixed sequence (类 / 款 / 项)
stand together in that order, so a column whose two neighbours are 款 and 项 and whose
reading still shows 类 (对國國量类, the merged 功能科目 above it read into it) is 类."""

from __future__ import annotations

from recover.label.match import THRESHOLD
from recover.label.vocabulary import Vocabulary
from recover.model import ColumnMapping, ColumnStatus


def _shows(reading: str, column_id: str, vocab: Vocabulary) -> bool:
    """Whether the reading still shows one of the column's wordings whole."""
    return any(vocab.fold(n) in reading for e in vocab.columns if e.id == column_id for n in e.names)


def complete_sequences(columns: list[ColumnMapping], vocab: Vocabulary) -> None:
    """Map each unmapped column that fills the one gap of a vocabulary sequence whose other
    columns stand mapped beside it, when its reading shows the missing column's wording."""
    ids = [c.id for c in columns]
    for column in columns:
        if column.id is not None or not column.path:
            continue
        reading = vocab.fold(column.path[-1])
        for sequence in vocab.sequences:
            for slot, wanted in enumerate(sequence):
                start = column.col - slot
                if start < 0 or start + len(sequence) > len(columns):
                    continue
                around = [ids[start + i] for i in range(len(sequence)) if i != slot]
                if around == [s for i, s in enumerate(sequence) if i != slot] and _shows(
                    reading, wanted, vocab
                ):
                    column.id, column.score, column.status = wanted, THRESHOLD, ColumnStatus.MAPPED
