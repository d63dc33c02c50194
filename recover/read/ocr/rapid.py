"""PP-OCRv6 (small) recognition through rapidocr + onnxruntime, fully offline.

The det/rec/cls models ship inside the rapidocr wheel; this adapter checks they are
there and never lets rapidocr fall back to downloading.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from recover.errors import RecoverError
from recover.read.ocr.batches import width_batches
from recover.read.ocr.engine import LineReading

_REC_MODEL = "PP-OCRv6_rec_small.onnx"
_REC_HEIGHT = 48  # the model's input height


class RapidOcrEngine:
    """Line recogniser backed by rapidocr's bundled PP-OCRv6 small rec model."""

    name = "rapidocr/PP-OCRv6_rec_small"

    def __init__(self, threads: int = 0, batch_size: int = 16) -> None:
        import rapidocr
        from rapidocr import RapidOCR

        model_dir = Path(rapidocr.__file__).parent / "models"
        if not (model_dir / _REC_MODEL).is_file():
            raise RecoverError(
                f"{model_dir / _REC_MODEL}: OCR model missing from the rapidocr wheel; "
                "reinstall rapidocr==3.10.*"
            )
        params: dict[str, object] = {
            "Global.use_cls": False,  # the angle classifier flips upright numbers
            "Global.log_level": "error",
            "Global.model_root_dir": str(model_dir),
            "Rec.rec_batch_num": batch_size,
        }
        if threads > 0:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
        self._ocr = RapidOCR(params=params)
        self._rec = self._ocr._load_rec_model()  # type: ignore[no-untyped-call]
        self._batch_size = batch_size
        characters = list(self._rec.postprocess_op.character)
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
            preds = self._rec.session(tensor)
            if digits_only:
                preds = preds * self._digit_mask
            results, _ = self._rec.postprocess_op(preds, False)
            for k, i in enumerate(batch):
                text, score = results[k]
                readings[i] = LineReading(str(text), float(score))
        return readings
