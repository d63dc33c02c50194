"""The interface every OCR engine adapter implements.

An engine reads single upright text lines. Its one optional capability, a digits-only
reading (the checks' independent witness for a suspect amount), is part of the interface:
``digits_only`` says whether the engine has it, and ``recognize_digits`` of an engine that
does not raises :class:`UnsupportedCapabilityError` — so a wrapper either forwards it or refuses
it explicitly, never drops it by accident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from recover.errors import RecoverError


@dataclass(frozen=True)
class LineReading:
    """The recogniser's reading of one single-line crop."""

    text: str
    score: float


class UnsupportedCapabilityError(RecoverError):
    """The engine was asked for something it cannot do (e.g. a digits-only reading)."""


class LineRecognizer(Protocol):
    """Reads single text lines from upright crops (no detection, no angle classifier)."""

    name: str
    digits_only: bool
    """Whether :meth:`recognize_digits` works (output restricted to digits and ``,.-``)."""

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """One reading per crop, in order; crops are grayscale or RGB uint8 arrays."""
        ...

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """One amount reading per crop; raises UnsupportedCapabilityError without ``digits_only``."""
        ...


def no_digits_reading(engine_name: str) -> UnsupportedCapabilityError:
    """The error an engine without a digits-only reading raises from ``recognize_digits``."""
    return UnsupportedCapabilityError(
        f"engine {engine_name} cannot restrict its reading to digits; the checks go without a re-read"
    )
