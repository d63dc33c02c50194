"""OpenVINO (the default runtime, at f32) reads the pipeline's own crops as onnxruntime does."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from conftest import SAMPLES

from recover.pipeline import ExtractOptions, iter_document
from recover.read.ocr.engine import LineReading, LineRecognizer, no_digits_reading
from recover.read.ocr.rapid import RapidOcrEngine, Runtime


class Recording:
    """Passes crops to the real recogniser and keeps them."""

    digits_only = False  # records free readings only

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Not offered: this wrapper records free readings only."""
        raise no_digits_reading(self.name)

    def __init__(self, inner: LineRecognizer) -> None:
        self.name = inner.name
        self.inner = inner
        self.crops: list[np.ndarray] = []

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        self.crops += [c.copy() for c in crops]
        return self.inner.recognize(crops)


def test_openvino_and_onnxruntime_read_the_same_text(reader) -> None:  # type: ignore[no-untyped-def]
    recording = Recording(reader)
    options = ExtractOptions(dpi=150, pages={2}, check_totals=False)
    next(iter_document(SAMPLES / "wanli_2024_budget_p10-12.pdf", recording, options))
    assert len(recording.crops) > 50
    default = reader.recognize(recording.crops)
    onnx = RapidOcrEngine(runtime=Runtime.ONNXRUNTIME).recognize(recording.crops)
    assert [r.text for r in default] == [r.text for r in onnx]
    assert max(abs(a.score - b.score) for a, b in zip(default, onnx, strict=True)) < 1e-3
