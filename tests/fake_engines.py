"""OCR engines that misbehave on purpose (fault injection, in the style of OCRmyPDF's plugins)."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from recover.read.ocr.engine import LineReading, LineRecognizer, no_digits_reading


class WithoutDigits:
    """A fake engine's answer to the digits-only capability: it has none, and says so."""

    name = "fake"
    digits_only = False

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Refused, as the protocol asks of an engine without it."""
        raise no_digits_reading(self.name)


class BlankReader(WithoutDigits):
    """Reads nothing on every crop, instantly: for tests about files and pages, not text."""

    name = "blank"

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """An empty, unsure reading per crop."""
        return [LineReading("", 0.0) for _ in crops]


class RaisingReader(WithoutDigits):
    """An engine that fails on every call, as a crashed model runtime does."""

    name = "raising"

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Raises."""
        raise RuntimeError("engine exploded (injected fault)")


class GarbageReader(WithoutDigits):
    """An engine that answers with junk: control characters, formulas, bidi marks, 400 digits,
    impossible scores (NaN, negative, above 1, infinite)."""

    name = "garbage"

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """One junk reading per crop."""
        junk = ["\x00\ufffd", "=cmd|' /C calc'!A0", "1" * 400, "-", "１２,３.4.5", "\u202e９９", "12\n34"]
        scores = [float("nan"), -3.0, 7.5, float("inf"), 0.97]
        return [LineReading(junk[i % len(junk)], scores[i % len(scores)]) for i in range(len(crops))]


class MiscountingReader(WithoutDigits):
    """An engine that answers one reading too many or too few."""

    name = "miscounting"

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """A reading count that does not match the crops."""
        count = len(crops) + 1 if len(crops) % 2 else max(len(crops) - 1, 0)
        return [LineReading("1", 0.99) for _ in range(count)]


class HangingReader(WithoutDigits):
    """An engine that never answers (a deadlocked runtime): only the page time limit ends it."""

    name = "hanging"

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Sleeps for an hour."""
        time.sleep(3600)
        return []


class RecordingReader(WithoutDigits):
    """Passes crops to a real recogniser and keeps a copy of each (to count or re-read them)."""

    def __init__(self, inner: LineRecognizer) -> None:
        self.name = inner.name
        self.inner = inner
        self.crops: list[np.ndarray] = []

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """The real reading; the crops are kept."""
        self.crops += [c.copy() for c in crops]
        return self.inner.recognize(crops)
