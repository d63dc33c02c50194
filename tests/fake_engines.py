"""OCR engines that misbehave on purpose (fault injection, in the style of OCRmyPDF's plugins)."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from recover.read.ocr.engine import LineReading


class BlankReader:
    """Reads nothing on every crop, instantly: for tests about files and pages, not text."""

    name = "blank"

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """An empty, unsure reading per crop."""
        return [LineReading("", 0.0) for _ in crops]


class RaisingReader:
    """An engine that fails on every call, as a crashed model runtime does."""

    name = "raising"

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Raises."""
        raise RuntimeError("engine exploded (injected fault)")


class GarbageReader:
    """An engine that answers with junk: control characters, formulas, bidi marks, 400 digits,
    impossible scores (NaN, negative, above 1, infinite)."""

    name = "garbage"

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """One junk reading per crop."""
        junk = ["\x00\ufffd", "=cmd|' /C calc'!A0", "1" * 400, "-", "１２,３.4.5", "\u202e９９", "12\n34"]
        scores = [float("nan"), -3.0, 7.5, float("inf"), 0.97]
        return [LineReading(junk[i % len(junk)], scores[i % len(scores)]) for i in range(len(crops))]


class MiscountingReader:
    """An engine that answers one reading too many or too few."""

    name = "miscounting"

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """A reading count that does not match the crops."""
        count = len(crops) + 1 if len(crops) % 2 else max(len(crops) - 1, 0)
        return [LineReading("1", 0.99) for _ in range(count)]


class HangingReader:
    """An engine that never answers (a deadlocked runtime): only the page time limit ends it."""

    name = "hanging"

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Sleeps for an hour."""
        time.sleep(3600)
        return []
