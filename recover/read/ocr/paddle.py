"""Optional engine: PaddleOCR 3.x text-line recognition from a local model folder.

Install with ``pip install recover[paddle]`` (and a paddlepaddle build). The folder must
hold an exported PP-OCR rec model (``inference.yml`` plus ``inference.json``/``.pdiparams``,
or an ONNX file run with ``engine="onnxruntime"``); nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from recover.errors import RecoverError
from recover.read.ocr.engine import LineReading, no_digits_reading


def check_model_dir(model_dir: Path) -> str:
    """Validate a local PaddleOCR rec model folder; returns its model name."""
    if not model_dir.is_dir():
        raise RecoverError(
            f"{model_dir}: model folder not found; point --model-dir at a local PP-OCR rec model"
        )
    config = model_dir / "inference.yml"
    if not config.is_file():
        raise RecoverError(f"{config}: missing; the folder must hold an exported PaddleOCR rec model")
    for line in config.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model_name" and value.strip():
            return value.strip()
    return model_dir.name


class PaddleOcrEngine:
    """Line recogniser backed by ``paddleocr.TextRecognition`` on a local model."""

    digits_only = False  # TextRecognition offers no hook into the CTC output

    def __init__(self, model_dir: Path, batch_size: int = 16) -> None:
        model_name = check_model_dir(model_dir)
        try:
            from paddleocr import TextRecognition
        except ImportError:
            raise RecoverError("--engine paddleocr needs the extra: pip install 'recover[paddle]'") from None
        self.name = f"paddleocr/{model_name}"
        self._model = TextRecognition(model_name=model_name, model_dir=str(model_dir))
        self._batch_size = batch_size

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Read each crop as one text line."""
        if not crops:
            return []
        images = [c if c.ndim == 3 else np.repeat(c[:, :, None], 3, axis=2) for c in crops]
        results = self._model.predict(input=images, batch_size=self._batch_size)
        return [LineReading(str(r["rec_text"]), float(r["rec_score"])) for r in results]

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Not offered by this engine: raises UnsupportedCapabilityError."""
        raise no_digits_reading(self.name)
