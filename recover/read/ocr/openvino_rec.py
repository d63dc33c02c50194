"""The recognition model compiled by OpenVINO, at full float precision.

rapidocr's own OpenVINO session leaves the precision to the CPU plugin, which picks
bfloat16 where the processor has it (AMX, AVX-512 BF16): faster, but it reads ~2% of crops
differently from onnxruntime (benchmarks/recognition.py). Asked for f32, it reads them the
same, so it can stand in for onnxruntime.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

from recover.errors import RecoverError

_CONVERTER = "openvino.tools.ovc"
"""The model converter ``import openvino`` loads too; importing it sends a usage event
(openvino_telemetry, from a new process: a whole interpreter in a spawned worker)."""


def _import_openvino() -> Any:
    """``openvino`` without its model converter, which the tool never uses: the package
    skips it when it is not importable. Only while the package first loads (a later
    ``import openvino.tools.ovc`` works as usual), and not if it is already loaded."""
    if "openvino" in sys.modules or _CONVERTER in sys.modules:
        import openvino

        return openvino
    sys.modules[_CONVERTER] = None  # type: ignore[assignment]  # None: import raises ImportError
    try:
        import openvino
    finally:
        del sys.modules[_CONVERTER]
    return openvino


class OpenVinoRecognition:
    """One compiled model and its infer request; call it with an NCHW float32 batch."""

    def __init__(self, model_path: Path, threads: int) -> None:
        try:
            openvino = _import_openvino()
        except ImportError:
            raise RecoverError(
                "the OpenVINO runtime is not installed; pip install 'openvino>=2025.0'"
            ) from None
        core = openvino.Core()
        model = core.read_model(str(model_path))
        framework = model.get_rt_info()["framework"]
        # The character set travels in the ONNX file's metadata, as for onnxruntime.
        self.characters: list[str] = str(framework["character"].value).splitlines()
        config = {"INFERENCE_PRECISION_HINT": "f32", "INFERENCE_NUM_THREADS": str(threads)}
        self._request = core.compile_model(model, "CPU", config).create_infer_request()

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        """The model's per-step character probabilities (a copy: the request reuses its buffer)."""
        self._request.infer([batch])
        return np.array(self._request.get_output_tensor().data, copy=True)


class GreedyCtcDecode:
    """Best path decoding of the model's output, as rapidocr's ``CTCLabelDecode`` does it:
    the likeliest character at each step, repeats merged, blanks dropped; the score is the
    mean of the kept steps' probabilities, each rounded to 5 places as rapidocr rounds them.

    Written out here because importing rapidocr's decoder loads its whole pipeline and
    configuration (about a second of every process start, each worker's included); the
    readings are the same (tests/test_runtimes.py compares the two).
    """

    def __init__(self, characters: list[str]) -> None:
        # Index 0 is the CTC blank; the model's last class is a space.
        self.character = ["blank", *characters, " "]

    def __call__(
        self, preds: np.ndarray, return_word_box: bool = False
    ) -> tuple[list[tuple[str, float]], list[None]]:
        """(text, score) per batch row of ``preds`` (batch × steps × classes)."""
        indices = preds.argmax(axis=2)
        probabilities = preds.max(axis=2)
        results: list[tuple[str, float]] = []
        for row, steps in enumerate(indices):
            kept = np.ones(len(steps), dtype=bool)
            kept[1:] = steps[1:] != steps[:-1]
            kept &= steps != 0
            scores = [round(p, 5) for p in probabilities[row][kept].tolist()] or [0]
            text = "".join(self.character[i] for i in steps[kept])
            results.append((text, float(np.mean(scores).round(5))))
        return results, []
