"""The recognition model compiled by OpenVINO, at full float precision.

rapidocr's own OpenVINO session leaves the precision to the CPU plugin, which picks
bfloat16 where the processor has it (AMX, AVX-512 BF16): faster, but it reads ~2% of crops
differently from onnxruntime (benchmarks/recognition.py). Asked for f32, it reads them the
same, so it can stand in for onnxruntime.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from recover.errors import RecoverError


class OpenVinoRecognition:
    """One compiled model and its infer request; call it with an NCHW float32 batch."""

    def __init__(self, model_path: Path, threads: int) -> None:
        try:
            import openvino
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
