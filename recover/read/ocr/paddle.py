"""Optional engine: PaddleOCR 3.x text-line recognition from a local model folder.

Install with ``pip install 'recover[paddle]'`` (paddleocr + paddlepaddle, CPU). The folder
must hold an exported PP-OCR rec model: ``inference.yml`` (model name, input shape and
character dictionary) beside the weights, either paddle (``inference.json`` or
``inference.pdmodel`` with ``inference.pdiparams``) or ONNX (``inference.onnx``). Nothing is
downloaded: PaddleOCR is only ever given the folder, and its hub check is switched off.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from recover.errors import RecoverError
from recover.read.ocr.batches import width_batches
from recover.read.ocr.engine import LineReading

_DIGITS = set("0123456789,.-")


class ModelFormat(Enum):
    """How the folder's weights are stored, which decides PaddleOCR's inference engine."""

    PADDLE = "paddle"  # inference.json / inference.pdmodel + inference.pdiparams
    ONNX = "onnxruntime"  # inference.onnx


def _model_format(model_dir: Path) -> ModelFormat:
    graph = (model_dir / "inference.json").is_file() or (model_dir / "inference.pdmodel").is_file()
    if graph and (model_dir / "inference.pdiparams").is_file():
        return ModelFormat.PADDLE
    if (model_dir / "inference.onnx").is_file():
        return ModelFormat.ONNX
    raise RecoverError(
        f"{model_dir}: no model weights; the folder needs inference.json (or inference.pdmodel) "
        "with inference.pdiparams, or inference.onnx"
    )


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


def _input_height(config: Path) -> int:
    """The model's input height, from the RecResizeImg step of its exported config."""
    try:
        loaded = yaml.safe_load(config.read_text(encoding="utf-8"))
        ops = loaded["PreProcess"]["transform_ops"]
        shape = next(op["RecResizeImg"]["image_shape"] for op in ops if "RecResizeImg" in op)
        return int(shape[1])
    except (yaml.YAMLError, KeyError, TypeError, StopIteration, IndexError, ValueError) as exc:
        raise RecoverError(
            f"{config}: no PreProcess RecResizeImg image_shape; is this a PP-OCR rec model's config?"
        ) from exc


def _load_text_recognition(model_name: str, model_dir: Path, model_format: ModelFormat, threads: int) -> Any:
    # PaddleX reads this flag at import. A model folder is always given, so no hub is ever
    # asked for a model; should one be, PaddleX would first probe the hubs' hosts.
    os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
    try:
        from paddleocr import TextRecognition
    except ImportError:
        raise RecoverError("--engine paddleocr needs the extra: pip install 'recover[paddle]'") from None
    options: dict[str, Any] = {"model_name": model_name, "model_dir": str(model_dir), "device": "cpu"}
    if model_format is ModelFormat.ONNX:
        options["engine"] = "onnxruntime"
    else:
        options["cpu_threads"] = threads if threads > 0 else (os.cpu_count() or 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # paddle warns on import that ccache is missing
            return TextRecognition(**options)
    except Exception as exc:  # PaddleX raises bare Exceptions for bad configs and weights
        raise RecoverError(f"{model_dir}: PaddleOCR could not load the model ({exc})") from exc


class PaddleOcrEngine:
    """Line recogniser backed by PaddleOCR's ``TextRecognition`` on a local model folder.

    PaddleOCR loads the model (its config, weights and character dictionary); the crops
    are batched here by similar width and the model's per-character probabilities
    decoded by PaddleOCR's own CTC decoder, so that a digits-only reading can mask them
    the way the default engine does.
    """

    digits_only = True  # the CTC output is masked to digits, as the default engine's

    def __init__(self, model_dir: Path, batch_size: int = 16, threads: int = 0) -> None:
        model_name = check_model_dir(model_dir)
        model_format = _model_format(model_dir)
        self._height = _input_height(model_dir / "inference.yml")
        predictor = _load_text_recognition(model_name, model_dir, model_format, threads).paddlex_predictor
        self._run = getattr(predictor, "runner", None)
        self._decode = getattr(predictor, "post_op", None)
        characters = getattr(self._decode, "character", None)
        if self._run is None or self._decode is None or characters is None:
            raise RecoverError(
                f"{model_dir}: PaddleOCR runs {model_name} through {type(predictor).__name__}, "
                "which gives no per-character scores; export the model as paddle or ONNX inference files"
            )
        self.name = f"paddleocr/{model_name}"
        self._batch_size = batch_size
        # Index 0 is the CTC blank, which must stay available to separate repeated digits.
        self._digit_mask = np.array(
            [1.0 if i == 0 or ch in _DIGITS else 0.0 for i, ch in enumerate(characters)], dtype=np.float32
        )

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Read each crop as one text line (all crops of a call in width-sorted batches)."""
        return self._read(crops, digits_only=False)

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Read each crop as an amount: the model's output restricted to digits, ``,.-``."""
        return self._read(crops, digits_only=True)

    def _read(self, crops: Sequence[np.ndarray], digits_only: bool) -> list[LineReading]:
        readings: list[LineReading] = [LineReading("", 0.0)] * len(crops)
        for batch, tensor in width_batches(crops, self._height, self._batch_size):
            probs = np.asarray(self._run(x=[tensor])[0])  # type: ignore[misc]
            if probs.shape[-1] != self._digit_mask.size:
                raise RecoverError(
                    f"{self.name}: the model scores {probs.shape[-1]} classes but its inference.yml "
                    f"lists {self._digit_mask.size - 2} characters (+ blank and space); wrong dictionary?"
                )
            if digits_only:
                probs = probs * self._digit_mask
            texts, scores = self._decode([probs])  # type: ignore[misc]
            for k, i in enumerate(batch):
                readings[i] = LineReading(str(texts[k]), float(scores[k]))
        return readings
