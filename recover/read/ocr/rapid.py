"""PP-OCRv6 (small) recognition with rapidocr's bundled model, fully offline.

The det/rec/cls models ship inside the rapidocr wheel; this adapter checks they are
there and never lets rapidocr fall back to downloading. The same ONNX model runs on
OpenVINO or onnxruntime (benchmarks/recognition.py compares them).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np

from recover.errors import RecoverError
from recover.read.ocr.batches import batch_slices, width_batches
from recover.read.ocr.engine import LineReading

_REC_MODEL = "PP-OCRv6_rec_small.onnx"
_REC_HEIGHT = 48  # the model's input height


def _onnxruntime_recognizer(model: Path, batch_size: int, threads: int) -> Any:
    """rapidocr's text recogniser on onnxruntime, for ``model`` and nothing else."""
    from rapidocr import RapidOCR

    params: dict[str, object] = {
        "Global.use_cls": False,  # the angle classifier flips upright numbers
        "Global.log_level": "error",
        "Global.model_root_dir": str(model.parent),
        "Rec.rec_batch_num": batch_size,
        # The model file itself, so rapidocr never looks for (or downloads) one of its own.
        "Rec.model_path": str(model),
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,  # one graph, run in order
    }
    return RapidOCR(params=params)._load_rec_model()  # type: ignore[no-untyped-call]


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Runtime(Enum):
    """The inference runtime that executes the recognition model."""

    ONNXRUNTIME = "onnxruntime"
    OPENVINO = "openvino"


class RapidOcrEngine:
    """Line recogniser backed by rapidocr's bundled PP-OCRv6 small rec model.

    OpenVINO (at f32) by default: it reads the same text as onnxruntime, faster
    (BENCHMARKS.md, benchmarks/recognition.py). ``threads`` is the runtime's thread count
    for one inference; 0 means the cores this process may run on (not the machine's: a
    container or a pinned worker has fewer). A worker among several should ask for its share.
    """

    name = "rapidocr/PP-OCRv6_rec_small"
    digits_only = True  # the CTC output can be masked to digits

    def __init__(self, threads: int = 0, batch_size: int = 16, runtime: Runtime = Runtime.OPENVINO) -> None:
        import rapidocr

        model = Path(rapidocr.__file__).parent / "models" / _REC_MODEL
        if not model.is_file():
            raise RecoverError(
                f"{model}: OCR model missing from the rapidocr wheel; reinstall rapidocr==3.10.*"
            )
        threads = threads if threads > 0 else usable_cores()
        self._infer: Callable[[np.ndarray], np.ndarray]
        if runtime is Runtime.OPENVINO:
            from recover.read.ocr.openvino_rec import GreedyCtcDecode, OpenVinoRecognition

            session = OpenVinoRecognition(model, threads)
            self._infer, self._decode = session, GreedyCtcDecode(session.characters)
        else:
            rec = _onnxruntime_recognizer(model, batch_size, threads)
            self._infer, self._decode = rec.session, rec.postprocess_op
        self._batch_size = batch_size
        characters = list(self._decode.character)
        allowed = set("0123456789,.-")
        # Index 0 is the CTC blank, which must stay available to separate repeated digits.
        self._digit_mask = np.array(
            [1.0 if i == 0 or ch in allowed else 0.0 for i, ch in enumerate(characters)], dtype=np.float32
        )

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Read each crop as one text line.

        Crops are batched by similar width and padded only to their batch's widest,
        not to rapidocr's 320-pixel minimum: most cells hold a short number.
        """
        return self._read(crops, digits_only=False)

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Read each crop as an amount: the model's output restricted to digits, ``,.-``.

        A second opinion for a suspect amount: where the free reading chose a letter or
        punctuation, the best digit at that position is taken instead.
        """
        return self._read(crops, digits_only=True)

    def _read(self, crops: Sequence[np.ndarray], digits_only: bool) -> list[LineReading]:
        readings: list[LineReading] = [LineReading("", 0.0)] * len(crops)
        for batch, tensor in width_batches(crops, _REC_HEIGHT, self._batch_size):
            for part, inputs in batch_slices(batch, tensor):
                preds = self._infer(inputs)
                if digits_only:
                    preds = preds * self._digit_mask
                results, _ = self._decode(preds, False)
                for k, i in enumerate(part):
                    text, score = results[k]
                    readings[i] = LineReading(str(text), float(score))
        return readings
