"""OpenVINO (the default runtime, at f32) reads the pipeline's own crops as onnxruntime does."""

from __future__ import annotations

from conftest import SAMPLES
from fake_engines import RecordingReader

from recover.pipeline import ExtractOptions, iter_document
from recover.read.ocr.rapid import RapidOcrEngine, Runtime


def test_openvino_and_onnxruntime_read_the_same_text(reader) -> None:  # type: ignore[no-untyped-def]
    recording = RecordingReader(reader)
    options = ExtractOptions(dpi=150, pages={2}, check_totals=False)
    next(iter_document(SAMPLES / "wanli_2024_budget_p10-12.pdf", recording, options))
    assert len(recording.crops) > 50
    default = reader.recognize(recording.crops)
    onnx = RapidOcrEngine(runtime=Runtime.ONNXRUNTIME).recognize(recording.crops)
    assert [r.text for r in default] == [r.text for r in onnx]
    assert max(abs(a.score - b.score) for a, b in zip(default, onnx, strict=True)) < 1e-3
