"""The boundary every engine's answer crosses: counted, typed and scored within [0, 1].

Engines are plugins (rapidocr, paddleocr, a user's own); what they return is checked once
here, not trusted by every stage. A reading count that does not match the crops is an
:class:`recover.errors.EngineError` (the page fails with that message); a score that is not
a number in [0, 1] (NaN, infinite, negative, above 1) breaks the engine's contract and is
trusted as nothing: 0, which sends the cell to review.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from recover.errors import EngineError
from recover.read.ocr.engine import LineReading, LineRecognizer

Recognize = Callable[[Sequence[np.ndarray]], list[LineReading]]


class CheckedRecognizer:
    """Wraps an engine; its readings (and digits-only readings, when it has them) are checked."""

    def __init__(self, inner: LineRecognizer) -> None:
        self.inner = inner
        self.name = inner.name
        # The capability is the engine's: kept when it has it, refused (by the engine) when not.
        self.digits_only = inner.digits_only

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """The engine's readings, checked."""
        return self._checked(self.inner.recognize)(crops)

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """The engine's digits-only readings, checked (its own refusal passes through)."""
        return self._checked(self.inner.recognize_digits)(crops)

    def _checked(self, recognize: Recognize) -> Recognize:
        def run(crops: Sequence[np.ndarray]) -> list[LineReading]:
            readings = recognize(crops)
            if not isinstance(readings, list) or len(readings) != len(crops):
                count = len(readings) if isinstance(readings, list) else type(readings).__name__
                raise EngineError(f"OCR engine {self.name} returned {count} readings for {len(crops)} crops")
            return [_normalised(r) for r in readings]

        return run


def checked(reader: LineRecognizer) -> LineRecognizer:
    """``reader`` behind the check (once: a checked reader is returned as it is)."""
    return reader if isinstance(reader, CheckedRecognizer) else CheckedRecognizer(reader)


def _normalised(reading: LineReading) -> LineReading:
    try:
        score = float(reading.score)
    except (TypeError, ValueError):
        score = 0.0
    if not 0.0 <= score <= 1.0:  # NaN fails this too
        score = 0.0
    text = reading.text if isinstance(reading.text, str) else str(reading.text)
    return LineReading(text, score)
