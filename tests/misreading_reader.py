"""A real recogniser that misreads chosen amounts, as OCR does on bad scans (for review tests)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from recover.read.ocr.engine import LineReading, LineRecognizer


class MisreadingReader:
    """Wraps a real engine; the first reading equal to a key is replaced by (text, score)."""

    def __init__(self, inner: LineRecognizer, misreadings: dict[str, tuple[str, float]]) -> None:
        self.inner = inner
        self.name = self.inner.name
        self.misreadings = dict(misreadings)
        self.pending = dict(misreadings)
        self.digits_only = inner.digits_only

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """The engine's readings with the planted misreadings applied once each."""
        readings = self.inner.recognize(crops)
        out = []
        for reading in readings:
            planted = self.pending.pop(reading.text, None)
            out.append(reading if planted is None else LineReading(*planted))
        return out

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """The wrapped engine's digits-only reading, misreading the same crops the same way
        (a second look at a crop the engine misreads does not see it right either)."""
        readings = self.inner.recognize_digits(crops)
        return [LineReading(*self.misreadings.get(r.text, (r.text, r.score))) for r in readings]
