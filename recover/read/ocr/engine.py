"""The interface every OCR engine adapter implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class LineReading:
    """The recogniser's reading of one single-line crop."""

    text: str
    score: float


class LineRecognizer(Protocol):
    """Reads single text lines from upright crops (no detection, no angle classifier)."""

    name: str

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """One reading per crop, in order; crops are grayscale or RGB uint8 arrays."""
        ...
