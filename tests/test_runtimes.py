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


def test_greedy_ctc_decode_reads_as_rapidocr_decoder() -> None:
    """The decoder written out for the OpenVINO session gives rapidocr's texts and scores,
    repeats, blanks, a row of blanks and the digits-only masking included."""
    import numpy as np
    from rapidocr.ch_ppocr_rec.utils import CTCLabelDecode

    from recover.read.ocr.openvino_rec import GreedyCtcDecode

    characters = [chr(0x4E00 + i) for i in range(40)] + list("0123456789,.-")
    rng = np.random.default_rng(7)
    preds = rng.random((6, 30, len(characters) + 2), dtype=np.float32) ** 8
    preds[1, 5:9] = 0.0
    preds[1, 5:9, 3] = 0.9  # one character held over four steps: read once
    preds[2, :, 0] = 2.0  # only blanks: empty text, score 0
    preds[3, ::2, 0] = 2.0  # a blank between every step
    preds[4] = preds[4] * (np.arange(preds.shape[2]) >= len(characters) - 12)  # digits only
    ours, _ = GreedyCtcDecode(characters)(preds, False)
    theirs, _ = CTCLabelDecode(character=list(characters))(preds, False)
    assert ours == theirs
    assert ours[2] == ("", 0.0) and len(ours[1][0]) < 30
